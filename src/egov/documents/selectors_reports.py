"""Reads for work files, registers and handling statistics (SPEC §3.5, §3.6, §3.9, §4.4).

Registers are built from query sets walked in chunks (``iterator``) with their related rows prefetched, so a
year of documents is never held in memory at once; the PDF, which WeasyPrint lays out whole, is capped at
``REGISTER_PDF_MAX_ROWS`` with a clear message. Secret documents (``secrecy > 0``) appear only for the agency's
clerks and leaders, as in the incoming-document policy.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from egov.accounts.roles import Role
from egov.core.errors import DomainError, NotFound, PermissionDeniedError
from egov.directory.models import Agency, Official
from egov.directory.selectors import agency_by_code, user_agency
from egov.documents.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Delivery,
    Direction,
    DocumentRegister,
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    WorkFile,
    WorkFileItem,
    WorkFileStatus,
)
from egov.documents.policies.workfiles import (
    can_export_registers,
    can_view_agency_records,
    is_records_admin,
    workfiles_visible_to,
)
from egov.documents.services.workfiles import ARCHIVE_MIN_YEARS, workfile_code

REGISTER_MAX_DAYS = 366
REGISTER_PDF_MAX_ROWS = 1000  # WeasyPrint lays 1,000 rows out in ~19 s and ~200 MB on the dev machine
REGISTER_EXCEL_MAX_ROWS = 100_000
CHUNK = 500


# --- common -------------------------------------------------------------------------------------------
def parse_day(text, *, label: str) -> dt.date:
    """A day written dd/mm/yyyy (also ISO yyyy-mm-dd for API clients); else a Vietnamese 400."""
    if isinstance(text, dt.date):
        return text
    value = str(text or "").strip()
    if not value:
        raise DomainError("invalid_date", f"Vui lòng nhập {label.lower()} (dd/mm/yyyy).")
    for layout in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, layout).date()
        except ValueError:
            continue
    raise DomainError("invalid_date", f"{label} không hợp lệ: “{value[:40]}”. Nhập theo dạng dd/mm/yyyy.")


def check_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise DomainError("invalid_period", "Đến ngày phải sau hoặc trùng Từ ngày.")
    if (end - start).days >= REGISTER_MAX_DAYS:
        raise DomainError("period_too_long", f"Mỗi lần xem sổ, báo cáo tối đa {REGISTER_MAX_DAYS} ngày.")


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_default_timezone()
    return (dt.datetime.combine(start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz))


def report_agency(user, code: str = "") -> Agency:
    """The agency whose records the user asked for: his own; a system administrator names any by code."""
    code = (code or "").strip()
    if code and is_records_admin(user):
        agency = agency_by_code(code)
        if agency is None:
            raise NotFound(f"Không tìm thấy cơ quan mã “{code[:40]}”.", code="unknown_agency")
        return agency
    agency = user_agency(user)
    if agency is None:
        raise PermissionDeniedError("Chỉ cán bộ của một cơ quan mới xem được hồ sơ, sổ văn bản của cơ quan mình.")
    if code and code.lower() not in {agency.code.lower(), (agency.code_qcvn102 or "").lower()}:
        raise PermissionDeniedError("Chỉ xem được hồ sơ, sổ văn bản của cơ quan mình.")
    if not can_view_agency_records(user, agency):
        raise PermissionDeniedError("Bạn không có quyền xem hồ sơ, sổ văn bản của cơ quan.")
    return agency


def sees_secret(user, agency) -> bool:
    return user.role in (Role.CLERK, Role.LEADER) and user_agency(user) == agency


def fmt_date(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return f"{value:%d/%m/%Y}"


def fmt_moment(value) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y %H:%M}" if value else ""


# --- work files ---------------------------------------------------------------------------------------
def workfiles_for(user, *, agency: Agency, year: int | None = None, status: str = "") -> QuerySet:
    qs = workfiles_visible_to(user, WorkFile.objects.filter(agency=agency))
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return (qs.select_related("agency", "retention", "unit", "owner", "approved_by")
            .annotate(doc_total=Count("items")).order_by("-year", "heading", "notation"))


def workfile_for(user, ref) -> WorkFile:
    import uuid

    try:
        key = uuid.UUID(str(ref))
    except ValueError:
        raise NotFound("Không tìm thấy hồ sơ.", code="workfile_not_found") from None
    found = (workfiles_visible_to(user, WorkFile.objects.filter(uuid=key))
             .select_related("agency", "retention", "unit", "owner", "approved_by").first())
    if found is None:
        raise NotFound("Không tìm thấy hồ sơ.", code="workfile_not_found")
    return found


@dataclass
class FileIndex:
    """The index of a file (mục lục văn bản) with the file's Phụ lục VI fields."""

    work_file: WorkFile
    code: str
    rows: list[dict]
    doc_total: int
    page_total: int


def workfile_index(work_file: WorkFile) -> FileIndex:
    items = (WorkFileItem.objects.filter(work_file=work_file)
             .select_related("incoming", "outgoing").order_by("ordinal"))
    rows = []
    for item in items:
        doc = item.incoming or item.outgoing
        rows.append({
            "ordinal": item.ordinal, "direction": "Đến" if item.incoming_id else "Đi",
            "uuid": str(doc.uuid), "number_notation": doc.number_notation, "issued_date": doc.issued_date,
            "issuer": doc.issuer_name or (doc.agency.name if item.outgoing_id else ""),
            "type_name": doc.type_name, "summary": doc.summary, "page_count": doc.page_count,
            "description": doc.description,
            "arrival": f"{doc.arrival_number}/{doc.arrival_year}" if item.incoming_id else "",
        })
    return FileIndex(work_file=work_file, code=workfile_code(work_file), rows=rows, doc_total=len(rows),
                     page_total=sum(r["page_count"] or 0 for r in rows))


def workfiles_due_for_handover(*, agency: Agency, today: dt.date | None = None) -> QuerySet:
    """Closed files whose work ended more than a year ago and that the archive keeps (≥ 5 years or permanent)."""
    today = today or timezone.localdate()
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29/02
        year_ago = today.replace(year=today.year - 1, day=28)
    return (WorkFile.objects.filter(agency=agency, status=WorkFileStatus.CLOSED, end_date__lt=year_ago)
            .filter(Q(retention__years__isnull=True) | Q(retention__years__gte=ARCHIVE_MIN_YEARS))
            .select_related("retention", "unit", "owner").order_by("end_date", "notation"))


# --- registers ----------------------------------------------------------------------------------------
def registers_of(agency: Agency, direction: str) -> QuerySet:
    return DocumentRegister.objects.filter(agency=agency, direction=direction).order_by("-is_active", "name")


def register_pick(agency: Agency, direction: str, ref: str = "") -> DocumentRegister | None:
    """The register asked for (by UUID), or the agency's first active one of that direction."""
    import uuid

    qs = registers_of(agency, direction)
    if ref:
        try:
            found = qs.filter(uuid=uuid.UUID(str(ref))).first()
        except ValueError:
            found = None
        if found is None:
            raise NotFound("Không tìm thấy sổ văn bản của cơ quan.", code="register_not_found")
        return found
    return qs.first()


@dataclass
class Register:
    """A register for a period: what is printed above the table, and the documents as a query set."""

    agency: Agency
    register: DocumentRegister | None
    direction: str
    start: dt.date
    end: dt.date
    queryset: QuerySet
    secret_hidden: bool = False
    columns: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" if self.direction == Direction.INCOMING else "SỔ ĐĂNG KÝ VĂN BẢN ĐI"

    @property
    def period_label(self) -> str:
        return f"Từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"

    def count(self) -> int:
        return self.queryset.count()

    def rows(self, queryset: QuerySet | None = None) -> Iterator[dict]:
        qs = self.queryset if queryset is None else queryset
        convert = incoming_row if self.direction == Direction.INCOMING else outgoing_row
        source = qs.iterator(chunk_size=CHUNK) if queryset is None else qs
        for document in source:
            yield convert(document, self.register)


INCOMING_COLUMNS = ["Số đến", "Ngày đến", "Tác giả; số, ký hiệu; ngày văn bản",
                    "Tên loại và trích yếu nội dung", "Đơn vị, người nhận", "Hạn giải quyết", "Tiến độ giải quyết",
                    "Số, ký hiệu văn bản trả lời", "Ghi chú"]
OUTGOING_COLUMNS = ["Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung", "Người ký",
                    "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản", "Ngày chuyển",
                    "Ký nhận", "Ghi chú"]


def register_for(user, *, agency: Agency, direction: str, start: dt.date, end: dt.date,
                 register: DocumentRegister | None = None, export: bool = False) -> Register:
    """The incoming or outgoing register of ``agency`` for a period (arrival date / date of the document)."""
    if export and not can_export_registers(user, agency):
        raise PermissionDeniedError("Chỉ văn thư, lãnh đạo hoặc quản trị cơ quan mới tải được sổ văn bản.")
    if not can_view_agency_records(user, agency):
        raise PermissionDeniedError("Bạn không có quyền xem sổ văn bản của cơ quan này.")
    check_period(start, end)
    if register is not None and (register.agency_id != agency.pk or register.direction != direction):
        raise NotFound("Không tìm thấy sổ văn bản của cơ quan.", code="register_not_found")
    secret = sees_secret(user, agency)
    if direction == Direction.INCOMING:
        lo, hi = _bounds(start, end)
        qs = IncomingDocument.objects.filter(agency=agency, received_at__gte=lo, received_at__lt=hi)
        if register is not None:
            qs = qs.filter(register=register)
        qs = (qs.select_related("register")
              .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.filter(parent__isnull=True)
                                         .select_related("unit", "assignee").order_by("created_at")),
                                Prefetch("replies", queryset=OutgoingDocument.objects.filter(number_value__isnull=False)
                                         .order_by("issued_date")))
              .order_by("arrival_year", "register__name", "arrival_number"))
        columns = INCOMING_COLUMNS
    else:
        qs = OutgoingDocument.objects.filter(agency=agency, number_value__isnull=False, issued_date__gte=start,
                                             issued_date__lte=end)
        if register is not None:
            qs = qs.filter(register=register)
        qs = (qs.select_related("register", "drafting_unit", "signer")
              .prefetch_related(Prefetch("deliveries", queryset=Delivery.objects.select_related("recipient_agency")
                                         .order_by("created_at")), "recipient_agencies")
              .order_by("number_year", "register__name", "number_value"))
        columns = OUTGOING_COLUMNS
    if not secret:
        qs = qs.filter(secrecy=0)
    return Register(agency=agency, register=register, direction=direction, start=start, end=end, queryset=qs,
                    secret_hidden=not secret, columns=columns)


def _person(user) -> str:
    return (getattr(user, "full_name", "") or str(user)) if user is not None else ""


def incoming_row(doc: IncomingDocument, register: DocumentRegister | None = None) -> dict:
    reg = register or doc.register
    assignments = list(doc.assignments.all())
    lead = [a for a in assignments if a.role == AssignmentRole.LEAD]
    receivers = "; ".join(
        f"{(a.unit.name if a.unit_id else '')}{' – ' if a.unit_id and a.assignee_id else ''}"
        f"{_person(a.assignee) if a.assignee_id else ''}" + (f" ({a.get_role_display().lower()})"
                                                             if a.role != AssignmentRole.LEAD else "")
        for a in lead + [a for a in assignments if a.role != AssignmentRole.LEAD]) or doc.to_places
    due = doc.handling_due_at or min((a.due_at for a in lead if a.due_at), default=None)
    progress = IncomingStatus(doc.status).label if doc.status in IncomingStatus.values else doc.status
    if doc.completed_at:
        progress += f" ngày {fmt_date(doc.completed_at)}"
    elif due and timezone.now() > due:
        progress += " – quá hạn"
    origin = "; ".join(x for x in (doc.issuer_name, doc.number_notation, fmt_date(doc.issued_date)) if x)
    return {
        "arrival_number": reg.format_number(doc.arrival_number) if reg else str(doc.arrival_number),
        "received_at": fmt_moment(doc.received_at), "origin": origin,
        "summary": f"{doc.type_name}: {doc.summary}" if doc.type_name else doc.summary,
        "receivers": receivers, "due": fmt_date(due), "progress": progress,
        "replies": ", ".join(r.number_notation for r in doc.replies.all() if r.number_notation),
        "note": doc.description, "uuid": str(doc.uuid),
    }


def outgoing_row(doc: OutgoingDocument, register: DocumentRegister | None = None) -> dict:
    recipients = [d.recipient_agency.name for d in doc.deliveries.all()]
    recipients += [a.name for a in doc.recipient_agencies.all() if a.name not in recipients]
    if doc.external_recipients.strip():
        recipients += [line.strip(" -;") for line in doc.external_recipients.splitlines() if line.strip(" -;")]
    signer = ", ".join(x for x in (doc.signer_position, doc.signer_name or _person(doc.signer)) if x)
    notes = [doc.description] if doc.description else []
    notes.append("Phát hành điện tử" if doc.is_electronic else "Phát hành bản giấy")
    if doc.recalled_at:
        notes.append(f"Đã thu hồi ngày {fmt_date(doc.recalled_at)}")
    return {
        "number_notation": doc.number_notation, "issued_date": fmt_date(doc.issued_date),
        "summary": f"{doc.type_name}: {doc.summary}" if doc.type_name else doc.summary, "signer": signer,
        "recipients": "; ".join(recipients), "keeper": doc.drafting_unit.name if doc.drafting_unit_id else "",
        "copies": doc.issued_amount or "", "dispatched": fmt_moment(doc.issued_at), "receipt": "",
        "note": "; ".join(notes), "uuid": str(doc.uuid),
    }


INCOMING_KEYS = ["arrival_number", "received_at", "origin", "summary", "receivers", "due", "progress", "replies",
                 "note"]
OUTGOING_KEYS = ["number_notation", "issued_date", "summary", "signer", "recipients", "keeper", "copies",
                 "dispatched", "receipt", "note"]


def register_keys(direction: str) -> list[str]:
    return INCOMING_KEYS if direction == Direction.INCOMING else OUTGOING_KEYS


# --- handling statistics ------------------------------------------------------------------------------
@dataclass
class HandlingRow:
    key: str
    label: str
    total: int = 0
    done: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    in_progress: int = 0
    overdue: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * (self.early + self.on_time) / self.done, 1) if self.done else None

    def add(self, other: "HandlingRow") -> None:
        for name in ("total", "done", "early", "on_time", "late", "in_progress", "overdue"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "total": self.total, "done": self.done, "early": self.early,
                "on_time": self.on_time, "late": self.late, "in_progress": self.in_progress,
                "overdue": self.overdue, "on_time_rate": self.on_time_rate}


@dataclass
class HandlingStatistics:
    agency: Agency
    start: dt.date
    end: dt.date
    as_of: dt.datetime
    rows: list[HandlingRow]
    totals: HandlingRow

    @property
    def period_label(self) -> str:
        return f"Từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"


def timing_of(completed_at: dt.datetime, due_at: dt.datetime | None) -> str:
    """Early if done before the due day, on time on the due day by the deadline, late after it (the rule of the
    one-stop statistics)."""
    if due_at is None:
        return "on_time"
    if completed_at > due_at:
        return "late"
    if timezone.localtime(completed_at).date() < timezone.localtime(due_at).date():
        return "early"
    return "on_time"


NO_UNIT = "Cán bộ không thuộc phòng, ban"


def handling_statistics(user, *, agency: Agency, start: dt.date, end: dt.date,
                        now: dt.datetime | None = None) -> HandlingStatistics:
    """Directions given in the period (by the day they were given) to the units and officials of ``agency``:
    done early / on time / late (completed_at against due_at), in progress within the deadline, overdue (not
    done, past the deadline). Only the leader's assignments count (no parent): a unit that re-assigns inside
    keeps its assignment, which the handling service completes when the inner lead completes, so nothing is
    counted twice. For-information copies need no handling and are left out."""
    if not can_view_agency_records(user, agency):
        raise PermissionDeniedError("Bạn không có quyền xem thống kê của cơ quan này.")
    check_period(start, end)
    now = now or timezone.now()
    lo, hi = _bounds(start, end)
    unit_of_user = dict(Official.objects.filter(agency=agency, is_active=True, unit__isnull=False)
                        .values_list("user_id", "unit_id"))
    units = {u.pk: u for u in agency.units.all()}
    rows: dict[object, HandlingRow] = {}
    assignments = (Assignment.objects.filter(incoming__agency=agency, created_at__gte=lo, created_at__lt=hi)
                   .filter(parent__isnull=True).exclude(role=AssignmentRole.FOR_INFORMATION)
                   .values_list("unit_id", "assignee_id", "status", "completed_at", "due_at"))
    for unit_id, assignee_id, status, completed_at, due_at in assignments.iterator(chunk_size=2000):
        key = unit_id or unit_of_user.get(assignee_id)
        row = rows.get(key)
        if row is None:
            unit = units.get(key)
            row = rows[key] = HandlingRow(key=str(unit.uuid) if unit else "", label=unit.name if unit else NO_UNIT)
        row.total += 1
        if status == AssignmentStatus.DONE:
            row.done += 1
            timing = timing_of(completed_at or now, due_at)
            setattr(row, timing, getattr(row, timing) + 1)
        elif due_at is not None and due_at < now:
            row.overdue += 1
        else:
            row.in_progress += 1
    ordered = sorted(rows.values(), key=lambda r: (r.label == NO_UNIT, r.label))
    totals = HandlingRow(key="", label="Tổng cộng")
    for row in ordered:
        totals.add(row)
    return HandlingStatistics(agency=agency, start=start, end=end, as_of=now, rows=ordered, totals=totals)


@dataclass
class ElectronicShare:
    agency_code: str
    agency_name: str
    issued: int
    electronic: int

    @property
    def share(self) -> float | None:
        return round(100 * self.electronic / self.issued, 1) if self.issued else None

    def as_dict(self) -> dict:
        return {"agency_code": self.agency_code, "agency_name": self.agency_name, "issued": self.issued,
                "electronic": self.electronic, "share": self.share}


ELECTRONIC_TARGET = 90


def electronic_share(user, *, agency: Agency, start: dt.date, end: dt.date) -> list[ElectronicShare]:
    """Outgoing documents of the agency issued in the period, and how many electronically (the plan's 90% KPI,
    SPEC §4.4)."""
    if not can_view_agency_records(user, agency):
        raise PermissionDeniedError("Bạn không có quyền xem thống kê của cơ quan này.")
    check_period(start, end)
    lo, hi = _bounds(start, end)
    qs = OutgoingDocument.objects.filter(agency=agency, issued_at__gte=lo, issued_at__lt=hi)
    numbers = qs.aggregate(issued=Count("id"), electronic=Count("id", filter=Q(is_electronic=True)))
    return [ElectronicShare(agency_code=agency.code, agency_name=agency.name, issued=numbers["issued"],
                            electronic=numbers["electronic"])]


def electronic_share_province(user, *, start: dt.date, end: dt.date) -> tuple[list[ElectronicShare], ElectronicShare]:
    """The same KPI for every agency that issued documents in the period, and the province total: for system
    administrators (the plan's target is set for the province)."""
    if not is_records_admin(user):
        raise PermissionDeniedError("Chỉ quản trị hệ thống mới xem được tỷ lệ của toàn tỉnh.")
    check_period(start, end)
    lo, hi = _bounds(start, end)
    grouped = (OutgoingDocument.objects.filter(issued_at__gte=lo, issued_at__lt=hi)
               .values("agency__code", "agency__name")
               .annotate(issued=Count("id"), electronic=Count("id", filter=Q(is_electronic=True)))
               .order_by("agency__name"))
    rows = [ElectronicShare(agency_code=g["agency__code"], agency_name=g["agency__name"], issued=g["issued"],
                            electronic=g["electronic"]) for g in grouped]
    total = ElectronicShare(agency_code="", agency_name="Toàn tỉnh", issued=sum(r.issued for r in rows),
                            electronic=sum(r.electronic for r in rows))
    return rows, total
