"""Work files (hồ sơ công việc, NĐ 30/2020 Art. 28–31; SPEC §3.9): the yearly file list of an agency, its
approval, opening a file, filling it with the agency's documents in order (DocOrdinal), closing it and handing
it over to the archive.

Each function checks the policy and the state under a row lock, writes, and appends one audit entry; a refused
action raises a DomainError with a Vietnamese message and changes nothing. Closed and archived files are
read-only. A document may sit in several files.
"""

import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from egov.core.audit import audit_record
from egov.core.errors import DomainError, NotFound
from egov.directory.models import Official, Unit
from egov.directory.selectors import user_agency
from egov.documents.models import (
    DocumentEvent,
    IncomingDocument,
    OutgoingDocument,
    RetentionPeriod,
    WorkFile,
    WorkFileItem,
    WorkFileStatus,
)
from egov.documents.policies.incoming import can_view_incoming
from egov.documents.policies.outgoing import outgoing_can_view
from egov.documents.policies.workfiles import (
    can_approve_file_list,
    can_edit_workfile,
    can_manage_workfiles,
    require_records,
)

NOTATION_RE = re.compile(r"^[0-9A-Za-zĐđ][0-9A-Za-zĐđ.\-/]{0,19}$")
ARCHIVE_MIN_YEARS = 5
STATUS_LABELS = dict(WorkFileStatus.choices)


# --- values ------------------------------------------------------------------------------------------
def workfile_code(work_file: WorkFile) -> str:
    """FileCode of Phụ lục VI: the agency's electronic code (QCVN 102) + year (FileCatalog) + notation."""
    agency = work_file.agency
    organ = agency.code_qcvn102 or agency.code_qd20 or agency.code
    return f"{organ}.{work_file.year}.{work_file.notation}"


def retention_allows_archive(retention: RetentionPeriod) -> bool:
    """Only files kept at least 5 years, or permanently, go to the agency archive (Art. 29)."""
    return retention.years is None or retention.years >= ARCHIVE_MIN_YEARS


def _snapshot(work_file: WorkFile) -> dict:
    return {"status": work_file.status, "notation": work_file.notation, "title": work_file.title,
            "retention": work_file.retention.code if work_file.retention_id else "",
            "start_date": work_file.start_date, "end_date": work_file.end_date}


def _clean_text(value, *, label: str, max_length: int, required: bool = False) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise DomainError("invalid_input", f"Vui lòng nhập {label}.")
    if len(text) > max_length:
        raise DomainError("invalid_input", f"{label[:1].upper()}{label[1:]} dài tối đa {max_length} ký tự.")
    return text


def retention_resolve(value) -> RetentionPeriod:
    """A retention period given as the object, its code, or its name (“10 năm”, “Vĩnh viễn”)."""
    if isinstance(value, RetentionPeriod):
        return value
    text = str(value or "").strip()
    if not text:
        raise DomainError("invalid_retention", "Vui lòng chọn thời hạn bảo quản.")
    found = (RetentionPeriod.objects.filter(code__iexact=text).first()
             or RetentionPeriod.objects.filter(name__iexact=text).first())
    if found is None:
        known = ", ".join(RetentionPeriod.objects.values_list("name", flat=True))
        raise DomainError("invalid_retention", f"Không có thời hạn bảo quản “{text[:40]}”. Chọn một trong: {known}.")
    return found


def _unit(agency, value) -> Unit | None:
    if value in (None, ""):
        return None
    if isinstance(value, Unit):
        unit = value
    else:
        unit = Unit.objects.filter(agency=agency, uuid=_uuid(value, "đơn vị lập")).first()
    if unit is None or unit.agency_id != agency.pk:
        raise DomainError("invalid_unit", "Đơn vị lập hồ sơ phải là một phòng, ban của cơ quan.")
    return unit


def _owner(agency, value):
    if value in (None, ""):
        return None
    official = (Official.objects.select_related("user").filter(agency=agency, is_active=True, user=value).first()
                if not isinstance(value, str) else
                Official.objects.select_related("user").filter(agency=agency, is_active=True,
                                                               user__username=value).first())
    if official is None:
        raise DomainError("invalid_owner", "Người lập hồ sơ phải là cán bộ đang công tác tại cơ quan.")
    return official.user


def _uuid(value, label: str):
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise DomainError("invalid_input", f"Mã {label} không hợp lệ: “{str(value)[:40]}”.") from None


def _year(value) -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError("invalid_year", "Năm của danh mục hồ sơ phải là một số, ví dụ 2026.") from None
    current = timezone.localdate().year
    if not 2000 <= year <= current + 1:
        raise DomainError("invalid_year", f"Năm của danh mục hồ sơ phải từ 2000 đến {current + 1}.")
    return year


def _locked(work_file: WorkFile) -> WorkFile:
    return WorkFile.objects.select_for_update().select_related("agency", "retention").get(pk=work_file.pk)


def _require_status(work_file: WorkFile, *allowed: str, action: str) -> None:
    if work_file.status not in allowed:
        current = STATUS_LABELS[work_file.status].lower()
        raise DomainError("invalid_state", f"Không thể {action}: hồ sơ {work_file.notation} {current}.", status=409)


# --- the file list ------------------------------------------------------------------------------------
@transaction.atomic
def workfile_create(*, actor, year, notation: str, title: str, retention, agency=None, heading: str = "",
                    unit=None, owner=None, rights: str = "", language: str = "", description: str = "") -> WorkFile:
    """A file of the agency's yearly list (PLANNED). Notation like ``01.TCCB``, unique in the agency and year."""
    agency = agency or user_agency(actor)
    require_records(agency is not None and can_manage_workfiles(actor, agency),
                    "Chỉ văn thư, lãnh đạo hoặc quản trị của cơ quan mới lập được danh mục hồ sơ.")
    notation = str(notation or "").strip()
    if not notation:
        raise DomainError("invalid_notation", "Vui lòng nhập số, ký hiệu hồ sơ (ví dụ 01.TCCB).")
    if not NOTATION_RE.fullmatch(notation):
        raise DomainError("invalid_notation", f"Số, ký hiệu hồ sơ “{notation[:30]}” không hợp lệ: tối đa 20 ký tự, "
                          "chỉ gồm chữ, số, dấu chấm, gạch ngang, gạch chéo (ví dụ 01.TCCB).")
    work_file = WorkFile(
        agency=agency, year=_year(year), notation=notation,
        title=_clean_text(title, label="tiêu đề hồ sơ", max_length=500, required=True),
        heading=_clean_text(heading, label="đề mục", max_length=255),
        retention=retention_resolve(retention), unit=_unit(agency, unit), owner=_owner(agency, owner),
        rights=_clean_text(rights, label="chế độ sử dụng", max_length=30) or "Công khai",
        language=_clean_text(language, label="ngôn ngữ", max_length=50) or "Tiếng Việt",
        description=_clean_text(description, label="ghi chú", max_length=500),
    )
    if WorkFile.objects.filter(agency=agency, year=work_file.year, notation__iexact=notation).exists():
        raise DomainError("duplicate_notation", f"Danh mục hồ sơ năm {work_file.year} đã có hồ sơ số, ký hiệu "
                          f"{notation}.", status=409)
    try:
        with transaction.atomic():
            work_file.save()
    except IntegrityError:
        raise DomainError("duplicate_notation", f"Danh mục hồ sơ năm {work_file.year} đã có hồ sơ số, ký hiệu "
                          f"{notation}.", status=409) from None
    audit_record(actor=actor, action="documents.workfile_create", obj=work_file, after=_snapshot(work_file))
    return work_file


@transaction.atomic
def file_list_approve(*, actor, year, agency=None) -> int:
    """The head of the agency approves the year's file list: records who and when on every file not yet
    approved. Returns how many files were approved."""
    agency = agency or user_agency(actor)
    require_records(agency is not None and can_approve_file_list(actor, agency),
                    "Chỉ lãnh đạo hoặc quản trị cơ quan mới duyệt được danh mục hồ sơ.")
    year = _year(year)
    pending = list(WorkFile.objects.select_for_update().filter(agency=agency, year=year, approved_at__isnull=True)
                   .values_list("pk", flat=True))
    if not pending:
        raise DomainError("nothing_to_approve", f"Danh mục hồ sơ năm {year} không có hồ sơ nào chờ duyệt.", status=409)
    now = timezone.now()
    WorkFile.objects.filter(pk__in=pending).update(approved_by=actor, approved_at=now)
    audit_record(actor=actor, action="documents.file_list_approve", object_type="documents.workfile_list",
                 object_id=f"{agency.code}/{year}", object_repr=f"Danh mục hồ sơ năm {year} – {agency.name}"[:300],
                 after={"approved": len(pending), "approved_at": now})
    return len(pending)


# --- life of one file -----------------------------------------------------------------------------------
@transaction.atomic
def workfile_open(*, actor, work_file: WorkFile, start_date: dt.date | None = None) -> WorkFile:
    """Open a planned file (status OPEN, start date, today by default)."""
    work_file = _locked(work_file)
    require_records(can_edit_workfile(actor, work_file), "Bạn không có quyền mở hồ sơ này.")
    _require_status(work_file, WorkFileStatus.PLANNED, action="mở hồ sơ")
    before = _snapshot(work_file)
    start = start_date or timezone.localdate()
    if start.year < work_file.year - 1 or start > timezone.localdate():
        raise DomainError("invalid_date", "Ngày mở hồ sơ phải gần năm của danh mục và không sau ngày hôm nay.")
    work_file.status, work_file.start_date = WorkFileStatus.OPEN, start
    if work_file.owner_id is None:
        work_file.owner = actor
    work_file.save(update_fields=["status", "start_date", "owner", "updated_at"])
    audit_record(actor=actor, action="documents.workfile_open", obj=work_file, before=before,
                 after=_snapshot(work_file))
    return work_file


def _document(work_file: WorkFile, *, incoming, outgoing):
    if (incoming is None) == (outgoing is None):
        raise DomainError("invalid_input", "Chọn đúng một văn bản đến hoặc văn bản đi để đưa vào hồ sơ.")
    model = IncomingDocument if incoming is not None else OutgoingDocument
    value = incoming if incoming is not None else outgoing
    document = value if isinstance(value, model) else model.objects.filter(uuid=_uuid(value, "văn bản")).first()
    if document is None:
        raise NotFound("Không tìm thấy văn bản.", code="document_not_found")
    if document.agency_id != work_file.agency_id:
        raise DomainError("foreign_document", "Chỉ đưa vào hồ sơ được văn bản đến, văn bản đi của chính cơ quan.",
                          status=403)
    return document


def _require_visible(actor, document) -> None:
    """The one who files a document must be allowed to see it (secret documents: clerks, leaders, handlers)."""
    visible = (can_view_incoming(actor, document) if isinstance(document, IncomingDocument)
               else outgoing_can_view(actor, document))
    require_records(visible, "Bạn không được xem văn bản này nên không thể đưa vào hồ sơ.")


def _document_label(document) -> str:
    return (document.number_notation or document.summary)[:100]


@transaction.atomic
def workfile_document_add(*, actor, work_file: WorkFile, incoming=None, outgoing=None) -> WorkFileItem:
    """Put one incoming or outgoing document of the agency at the end of an open file (next DocOrdinal)."""
    work_file = _locked(work_file)
    require_records(can_edit_workfile(actor, work_file), "Bạn không có quyền cập nhật hồ sơ này.")
    _require_status(work_file, WorkFileStatus.OPEN, action="thêm văn bản")
    document = _document(work_file, incoming=incoming, outgoing=outgoing)
    _require_visible(actor, document)
    is_incoming = isinstance(document, IncomingDocument)
    field = "incoming" if is_incoming else "outgoing"
    if work_file.items.filter(**{field: document}).exists():
        raise DomainError("already_in_file", f"Văn bản {_document_label(document)} đã có trong hồ sơ "
                          f"{work_file.notation}.", status=409)
    last = work_file.items.aggregate(m=Max("ordinal"))["m"] or 0
    if last >= 999:
        raise DomainError("file_full", "Một hồ sơ có tối đa 999 văn bản; hãy lập hồ sơ tiếp theo.", status=409)
    item = WorkFileItem.objects.create(work_file=work_file, ordinal=last + 1, added_by=actor, **{field: document})
    DocumentEvent.objects.create(action="workfile_add", actor=actor, actor_label=str(actor)[:150],
                                 agency=work_file.agency, note=f"Đưa vào hồ sơ {workfile_code(work_file)}",
                                 data={"work_file": str(work_file.uuid), "ordinal": item.ordinal},
                                 **{field: document})
    audit_record(actor=actor, action="documents.workfile_document_add", obj=work_file,
                 after={field: str(document.uuid), "ordinal": item.ordinal})
    return item


@transaction.atomic
def workfile_document_remove(*, actor, work_file: WorkFile, incoming=None, outgoing=None) -> None:
    """Take a document out of an open file; the documents after it move up so the order stays 1, 2, 3…"""
    work_file = _locked(work_file)
    require_records(can_edit_workfile(actor, work_file), "Bạn không có quyền cập nhật hồ sơ này.")
    _require_status(work_file, WorkFileStatus.OPEN, action="bỏ văn bản khỏi hồ sơ")
    document = _document(work_file, incoming=incoming, outgoing=outgoing)
    field = "incoming" if isinstance(document, IncomingDocument) else "outgoing"
    item = work_file.items.filter(**{field: document}).first()
    if item is None:
        raise DomainError("not_in_file", f"Văn bản {_document_label(document)} không có trong hồ sơ "
                          f"{work_file.notation}.", status=404)
    removed = item.ordinal
    item.delete()
    # One row at a time, ascending: each move frees the slot the next one needs (unique per file).
    for later in work_file.items.filter(ordinal__gt=removed).order_by("ordinal"):
        later.ordinal -= 1
        later.save(update_fields=["ordinal"])
    DocumentEvent.objects.create(action="workfile_remove", actor=actor, actor_label=str(actor)[:150],
                                 agency=work_file.agency, note=f"Bỏ khỏi hồ sơ {workfile_code(work_file)}",
                                 data={"work_file": str(work_file.uuid)}, **{field: document})
    audit_record(actor=actor, action="documents.workfile_document_remove", obj=work_file,
                 before={field: str(document.uuid), "ordinal": removed})


@transaction.atomic
def workfile_close(*, actor, work_file: WorkFile, end_date: dt.date | None = None, retention=None,
                   title: str | None = None) -> WorkFile:
    """Close an open file when the matter ends: end date, retention and title re-checked (Art. 28.3)."""
    work_file = _locked(work_file)
    require_records(can_edit_workfile(actor, work_file), "Bạn không có quyền đóng hồ sơ này.")
    _require_status(work_file, WorkFileStatus.OPEN, action="đóng hồ sơ")
    if not work_file.items.exists():
        raise DomainError("empty_file", f"Hồ sơ {work_file.notation} chưa có văn bản nào, chưa thể đóng.", status=409)
    before = _snapshot(work_file)
    end = end_date or timezone.localdate()
    if work_file.start_date and end < work_file.start_date:
        raise DomainError("invalid_date", f"Ngày kết thúc phải từ ngày mở hồ sơ ({work_file.start_date:%d/%m/%Y}).")
    if end > timezone.localdate():
        raise DomainError("invalid_date", "Ngày kết thúc hồ sơ không được sau ngày hôm nay.")
    if retention not in (None, ""):
        work_file.retention = retention_resolve(retention)
    if title is not None:
        work_file.title = _clean_text(title, label="tiêu đề hồ sơ", max_length=500, required=True)
    work_file.status, work_file.end_date = WorkFileStatus.CLOSED, end
    work_file.save(update_fields=["status", "end_date", "retention", "title", "updated_at"])
    audit_record(actor=actor, action="documents.workfile_close", obj=work_file, before=before,
                 after=_snapshot(work_file))
    return work_file


@transaction.atomic
def workfile_hand_over(*, actor, work_file: WorkFile) -> WorkFile:
    """Hand a closed file over to the agency archive (ARCHIVED); only files kept ≥ 5 years or permanently."""
    work_file = _locked(work_file)
    require_records(can_manage_workfiles(actor, work_file.agency),
                    "Chỉ văn thư, lãnh đạo hoặc quản trị của cơ quan mới nộp lưu được hồ sơ.")
    _require_status(work_file, WorkFileStatus.CLOSED, action="nộp lưu")
    if not retention_allows_archive(work_file.retention):
        raise DomainError("retention_too_short", f"Hồ sơ {work_file.notation} có thời hạn bảo quản "
                          f"{work_file.retention.name.lower()}: chỉ hồ sơ bảo quản từ {ARCHIVE_MIN_YEARS} năm trở lên "
                          "hoặc vĩnh viễn mới nộp lưu vào lưu trữ cơ quan.", status=409)
    before = _snapshot(work_file)
    work_file.status, work_file.archived_at = WorkFileStatus.ARCHIVED, timezone.now()
    work_file.save(update_fields=["status", "archived_at", "updated_at"])
    audit_record(actor=actor, action="documents.workfile_hand_over", obj=work_file, before=before,
                 after=_snapshot(work_file))
    return work_file
