"""The portal's update KPI for directive information (issue 5 point 2; NĐ 43/2011 Art. 17, SPEC §5):
the share of directive documents whose portal item was first published within 2 working days of issue.

A directive document is an issued, non-secret outgoing document of a type in its agency's ``DirectivePolicy``.
Its deadline is ``add_working_time(issued_at, days=2)`` (the agency's working calendar; no receipt cut-off: the
clock starts at issue). Each document is:

- ``on_time``: its ``DirectiveItemPage`` was first published at or before the deadline;
- ``late``: first published after the deadline;
- ``missing``: not published (or no item at all) and the deadline has passed;
- ``pending``: not published yet, deadline still ahead (left out of the rate: it can still be on time).

Rate = on_time / (on_time + late + missing). Who sees it: system administrators every agency; agency
administrators and the agency's portal editors their own agency.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from egov.accounts.roles import Role
from egov.core.errors import DomainError, PermissionDeniedError
from egov.directory.models import Agency
from egov.directory.selectors import user_agency
from egov.documents.models import OutgoingDocument, OutgoingStatus, Secrecy
from egov.portal.models import UPDATE_DEADLINE_WORKING_DAYS, DirectiveItemPage, DirectivePolicy, Section
from egov.workdays.services import add_working_time

DEADLINE_DAYS = UPDATE_DEADLINE_WORKING_DAYS[Section.DIRECTIVE]
STATUSES = {"on_time": "Đúng hạn", "late": "Trễ hạn", "missing": "Chưa đăng, quá hạn", "pending": "Chưa đăng, còn hạn"}
DENIED = "Chỉ quản trị hệ thống, quản trị cơ quan và biên tập viên cổng thông tin được xem chỉ số cập nhật thông tin."


@dataclass
class KpiItem:
    document_uuid: str
    number_notation: str
    summary: str
    agency_name: str
    issued_at: dt.datetime
    deadline: dt.datetime
    published_at: dt.datetime | None
    page_url: str
    status: str

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]

    def as_dict(self) -> dict:
        return {"document_uuid": self.document_uuid, "number_notation": self.number_notation,
                "summary": self.summary, "agency": self.agency_name, "issued_at": self.issued_at,
                "deadline": self.deadline, "published_at": self.published_at, "page_url": self.page_url,
                "status": self.status}


@dataclass
class KpiRow:
    agency_code: str
    agency_name: str
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.missing + self.pending

    @property
    def rate(self) -> Decimal | None:
        due = self.on_time + self.late + self.missing
        if not due:
            return None
        return (Decimal(100) * self.on_time / due).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def add(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)

    def as_dict(self) -> dict:
        return {"agency_code": self.agency_code, "agency_name": self.agency_name, "total": self.total,
                "on_time": self.on_time, "late": self.late, "missing": self.missing, "pending": self.pending,
                "rate": float(self.rate) if self.rate is not None else None}


@dataclass
class DirectiveKpi:
    date_from: dt.date
    date_to: dt.date
    rows: list[KpiRow] = field(default_factory=list)
    totals: KpiRow = field(default_factory=lambda: KpiRow("", "Tổng cộng"))
    problems: list[KpiItem] = field(default_factory=list)


def kpi_agency_ids(user) -> frozenset[int] | None:
    """The agencies the user may measure (None: all); PermissionDeniedError for everybody else."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDeniedError(DENIED)
    if user.is_superuser or user.role == Role.SYSTEM_ADMIN:
        return None
    if user.role not in (Role.AGENCY_ADMIN, Role.PORTAL_EDITOR):
        raise PermissionDeniedError(DENIED)
    agency = user_agency(user)
    if agency is None:
        raise PermissionDeniedError("Tài khoản chưa gắn với cơ quan nào nên chưa xem được chỉ số.")
    return frozenset({agency.pk})


def can_view_kpi(user) -> bool:
    try:
        kpi_agency_ids(user)
    except PermissionDeniedError:
        return False
    return True


def kpi_agencies(user) -> list[Agency]:
    """Agencies with a directive policy the user may pick."""
    ids = kpi_agency_ids(user)
    queryset = Agency.objects.filter(directive_policy__isnull=False)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return list(queryset.order_by("name"))


def directive_kpi(*, user, date_from: dt.date, date_to: dt.date, agency: Agency | None = None,
                  now: dt.datetime | None = None) -> DirectiveKpi:
    """The KPI of the documents issued from ``date_from`` to ``date_to`` (issue dates, both included)."""
    if date_from > date_to:
        raise DomainError("invalid_period", "Từ ngày phải trước hoặc trùng Đến ngày.")
    ids = kpi_agency_ids(user)
    if agency is not None and ids is not None and agency.pk not in ids:
        raise PermissionDeniedError(f"Bạn không được xem chỉ số của {agency.name}.")
    now = now or timezone.now()
    policies = DirectivePolicy.objects.select_related("agency").prefetch_related("document_types")
    if agency is not None:
        policies = policies.filter(agency=agency)
    elif ids is not None:
        policies = policies.filter(agency_id__in=ids)
    result = DirectiveKpi(date_from=date_from, date_to=date_to)
    for policy in sorted(policies, key=lambda p: p.agency.name):
        row = KpiRow(policy.agency.code, policy.agency.name)
        type_ids = [t.pk for t in policy.document_types.all()]
        documents = list(OutgoingDocument.objects.filter(
            agency=policy.agency, status=OutgoingStatus.ISSUED, secrecy=Secrecy.NONE, document_type_id__in=type_ids,
            issued_date__gte=date_from, issued_date__lte=date_to, issued_at__isnull=False,
        ).only("uuid", "number_notation", "summary", "issued_at").order_by("issued_at"))
        pages = {p.source_document_uuid: p for p in DirectiveItemPage.objects.filter(
            source_document_uuid__in=[d.uuid for d in documents])}
        for document in documents:
            item = _item(document, pages.get(document.uuid), policy.agency, now)
            row.add(item.status)
            result.totals.add(item.status)
            if item.status != "on_time":
                result.problems.append(item)
        result.rows.append(row)
    return result


def _item(document, page, agency, now) -> KpiItem:
    deadline = add_working_time(document.issued_at, days=DEADLINE_DAYS, agency=agency, apply_cutoff=False)
    published = page.first_published_at if page is not None else None
    if published is not None:
        status = "on_time" if published <= deadline else "late"
    else:
        status = "missing" if now > deadline else "pending"
    return KpiItem(document_uuid=str(document.uuid), number_notation=document.number_notation,
                   summary=document.summary, agency_name=agency.name, issued_at=document.issued_at,
                   deadline=deadline, published_at=published, page_url=page.url if page and page.live else "",
                   status=status)
