"""Managers' statistics of the one-stop desk (issue 4, point 7; SPEC §1.11 Art. 30 and §8 KPI).

Per receiving agency, per procedure, per agency and procedure or per month, for any period: dossiers received,
resolved early / on time / late, refused at reception, withdrawn, results returned, still in progress, the
online share and the on-time rate.

The numbers come from ``DossierDailyStat`` (kept current on every transition by ``workflow.stats_on_transition``)
and never from a scan of the dossiers (DESIGN.md performance budget: a province-year in under a second). The only
question the aggregates cannot answer, "how many are still open", is an indexed count of the open dossiers
(``status`` is indexed, and open dossiers are a small recent slice of the table).

The aggregates count every dossier against the day it was received (a cohort): "resolved late" in March means
dossiers received in March that were (by now) resolved late, so every column of a row describes the same
dossiers, and ``received = resolved + withdrawn + stopped + in progress`` for each row.

Who sees what: system administrators the whole province; leaders their agency and the agencies under it (the
province committee's leaders therefore the province); agency administrators their own agency; an API token of
an agency (scope ``onestop:read``) that agency and the agencies under it. Nobody else.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from egov.accounts.roles import Role
from egov.core.errors import DomainError, NotFound, PermissionDeniedError
from egov.directory.models import Agency
from egov.directory.selectors import KIND_ORDER, agency_by_code, agency_descendant_ids, user_agency
from egov.onestop.models import Channel, Dossier, DossierDailyStat, Procedure
from egov.onestop.status import IN_PROGRESS

GROUPS = {
    "agency": "Cơ quan tiếp nhận",
    "procedure": "Thủ tục hành chính",
    "agency_procedure": "Cơ quan và thủ tục",
    "month": "Tháng",
}
COUNTERS = ("received", "early", "on_time", "late", "refused", "withdrawn", "returned")
# Our names of the aggregate columns.
_COLUMNS = {
    "received": "received",
    "early": "finished_early",
    "on_time": "finished_on_time",
    "late": "finished_late",
    "refused": "refused",
    "withdrawn": "withdrawn",
    "returned": "returned",
}
DENIED = "Chỉ lãnh đạo, quản trị hệ thống và quản trị cơ quan được xem thống kê hồ sơ thủ tục hành chính."
MIN_DAY = dt.date(2000, 1, 1)
MAX_DAY = dt.date(2100, 12, 31)


@dataclass
class StatRow:
    """One line of the table. ``key`` identifies it (agency code, procedure code, both, or ``YYYY-MM``)."""

    key: str
    label: str
    agency_code: str = ""
    agency_name: str = ""
    procedure_code: str = ""
    procedure_name: str = ""
    month: dt.date | None = None
    received: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    refused: int = 0
    withdrawn: int = 0
    returned: int = 0
    online: int = 0
    in_progress: int = 0

    @property
    def resolved(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def online_share(self) -> Decimal | None:
        """Online dossiers among those received, in percent (one decimal), None when nothing was received."""
        return percent(self.online, self.received)

    @property
    def on_time_rate(self) -> Decimal | None:
        """Resolved early or on time among those resolved, in percent (SPEC §8), None when none resolved."""
        return percent(self.early + self.on_time, self.resolved)

    def add(self, other: "StatRow") -> None:
        for name in (*COUNTERS, "online", "in_progress"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        return {
            "key": self.key, "label": self.label, "agency_code": self.agency_code, "agency_name": self.agency_name,
            "procedure_code": self.procedure_code, "procedure_name": self.procedure_name,
            "month": self.month.strftime("%m/%Y") if self.month else "",
            **{name: getattr(self, name) for name in COUNTERS},
            "resolved": self.resolved, "in_progress": self.in_progress, "online": self.online,
            "online_share": float(self.online_share) if self.online_share is not None else None,
            "on_time_rate": float(self.on_time_rate) if self.on_time_rate is not None else None,
        }


@dataclass
class Statistics:
    """The answer: the period, the filters as applied, the rows and their totals."""

    date_from: dt.date
    date_to: dt.date
    group_by: str
    scope_label: str
    agency: Agency | None
    procedure: Procedure | None
    rows: list[StatRow] = field(default_factory=list)
    totals: StatRow = field(default_factory=lambda: StatRow(key="total", label="Tổng cộng"))

    @property
    def period_label(self) -> str:
        return f"Từ ngày {self.date_from:%d/%m/%Y} đến ngày {self.date_to:%d/%m/%Y}"

    @property
    def group_label(self) -> str:
        return GROUPS[self.group_by]


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- who sees what ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scope:
    """The agencies whose dossiers a viewer may count: ``None`` is the whole province."""

    agency_ids: frozenset[int] | None
    label: str
    home: Agency | None = None

    def allows(self, agency_id: int) -> bool:
        return self.agency_ids is None or agency_id in self.agency_ids


def statistics_scope(user=None, *, api_agency: Agency | None = None) -> Scope:
    """What ``user`` (or a token of ``api_agency``) may count; PermissionDeniedError for everybody else."""
    if api_agency is not None:
        return Scope(frozenset(agency_descendant_ids(api_agency)), api_agency.name, api_agency)
    if not getattr(user, "is_authenticated", False):
        raise PermissionDeniedError(DENIED)
    if user.is_superuser or user.role == Role.SYSTEM_ADMIN:
        return Scope(None, "Toàn tỉnh", user_agency(user))
    if user.role not in (Role.LEADER, Role.AGENCY_ADMIN):
        raise PermissionDeniedError(DENIED)
    agency = user_agency(user)
    if agency is None:
        raise PermissionDeniedError("Tài khoản chưa gắn với cơ quan nào nên chưa xem được thống kê.")
    if user.role == Role.LEADER:
        ids = agency_descendant_ids(agency)
        label = agency.name if len(ids) == 1 else f"{agency.name} và các cơ quan trực thuộc"
        return Scope(frozenset(ids), label, agency)
    return Scope(frozenset({agency.pk}), agency.name, agency)


def public_scope() -> Scope:
    """The whole province, for the portal's public statistics page (counts only, no dossier is shown)."""
    return Scope(None, "Toàn tỉnh")


def can_view_statistics(user) -> bool:
    try:
        statistics_scope(user)
    except PermissionDeniedError:
        return False
    return True


def statistics_agencies(scope: Scope) -> list[Agency]:
    """Agencies a viewer may pick in the filter, in tree order (committee, office, departments, communes)."""
    queryset = Agency.objects.only("id", "code", "name", "kind", "is_active")
    if scope.agency_ids is not None:
        queryset = queryset.filter(pk__in=scope.agency_ids)
    return sorted(queryset, key=lambda a: (not a.is_active, KIND_ORDER.get(a.kind, 9), a.name.casefold()))


def statistics_procedures() -> list[Procedure]:
    return list(Procedure.objects.only("id", "code", "name").order_by("code"))


def agency_for_statistics(scope: Scope, code: str | None) -> Agency | None:
    """The agency chosen in the filter (by our code or an electronic ID code), checked against the scope."""
    if not (code or "").strip():
        return None
    agency = agency_by_code(code)
    if agency is None:
        raise NotFound(f"Không tìm thấy cơ quan có mã “{code.strip()}”.", code="agency_not_found")
    if not scope.allows(agency.pk):
        raise PermissionDeniedError(f"Bạn không được xem thống kê của {agency.name}.")
    return agency


def procedure_for_statistics(code: str | None) -> Procedure | None:
    if not (code or "").strip():
        return None
    procedure = Procedure.objects.filter(code=code.strip()).first()
    if procedure is None:
        raise NotFound(f"Không tìm thấy thủ tục hành chính có mã “{code.strip()}”.", code="procedure_not_found")
    return procedure


def period_check(date_from, date_to) -> tuple[dt.date, dt.date]:
    if not isinstance(date_from, dt.date) or not isinstance(date_to, dt.date):
        raise DomainError("invalid_period", "Cần nhập cả Từ ngày và Đến ngày theo dạng dd/mm/yyyy.")
    if isinstance(date_from, dt.datetime) or isinstance(date_to, dt.datetime):
        date_from, date_to = (d.date() if isinstance(d, dt.datetime) else d for d in (date_from, date_to))
    if date_from > date_to:
        raise DomainError("invalid_period", "Từ ngày phải trước hoặc trùng Đến ngày.")
    if date_from < MIN_DAY or date_to > MAX_DAY:
        raise DomainError("invalid_period", "Kỳ thống kê phải nằm trong khoảng từ năm 2000 đến năm 2100.")
    return date_from, date_to


# --- the numbers -----------------------------------------------------------------------------------------------
def _group_fields(group_by: str, *, stat: bool) -> list[str]:
    agency = "agency_id" if stat else "receiving_agency_id"
    return {
        "agency": [agency],
        "procedure": ["procedure_id"],
        "agency_procedure": [agency, "procedure_id"],
        "month": ["month"],
    }[group_by]


def _key_of(values: dict, group_by: str, *, stat: bool) -> tuple:
    month = values.get("month")
    if isinstance(month, dt.datetime):
        month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
    agency = values.get("agency_id" if stat else "receiving_agency_id")
    return {
        "agency": (agency,),
        "procedure": (values.get("procedure_id"),),
        "agency_procedure": (agency, values.get("procedure_id")),
        "month": (month.replace(day=1) if month else None,),
    }[group_by]


def _bounds(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local-midnight bounds: the aggregates count a dossier on its day of receipt in Vietnam time."""
    start = timezone.make_aware(dt.datetime.combine(date_from, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min))
    return start, end


def _agency_ids(scope: Scope, agency: Agency | None) -> set[int] | None:
    """The receiving agencies to count (None: all), the chosen agency counting with the agencies under it."""
    if agency is None:
        return set(scope.agency_ids) if scope.agency_ids is not None else None
    ids = agency_descendant_ids(agency)
    return ids if scope.agency_ids is None else ids & scope.agency_ids


def _aggregate_counts(*, date_from, date_to, agency_ids, procedure, group_by) -> dict[tuple, dict]:
    queryset = DossierDailyStat.objects.filter(day__gte=date_from, day__lte=date_to)
    if agency_ids is not None:
        queryset = queryset.filter(agency_id__in=agency_ids)
    if procedure is not None:
        queryset = queryset.filter(procedure_id=procedure.pk)
    if group_by == "month":
        queryset = queryset.annotate(month=TruncMonth("day"))
    sums = {f"sum_{name}": Sum(column) for name, column in _COLUMNS.items()}
    sums["sum_online"] = Sum("received", filter=Q(channel=Channel.ONLINE))
    rows = queryset.values(*_group_fields(group_by, stat=True)).annotate(**sums).order_by()
    return {_key_of(row, group_by, stat=True): row for row in rows}


def _open_counts(*, date_from, date_to, agency_ids, procedure, group_by) -> dict[tuple, int]:
    """Dossiers received in the period and still open, counted through the index on ``status``."""
    start, end = _bounds(date_from, date_to)
    queryset = Dossier.objects.filter(status__in=IN_PROGRESS, received_at__gte=start, received_at__lt=end)
    if agency_ids is not None:
        queryset = queryset.filter(receiving_agency_id__in=agency_ids)
    if procedure is not None:
        queryset = queryset.filter(procedure_id=procedure.pk)
    if group_by == "month":
        queryset = queryset.annotate(month=TruncMonth("received_at", tzinfo=timezone.get_current_timezone()))
    rows = queryset.values(*_group_fields(group_by, stat=False)).annotate(n=Count("pk")).order_by()
    return {_key_of(row, group_by, stat=False): row["n"] for row in rows}


def _labels(keys, group_by: str) -> dict[tuple, StatRow]:
    agency_ids = {key[0] for key in keys} if group_by in ("agency", "agency_procedure") else set()
    procedure_ids = ({key[-1] for key in keys} if group_by in ("procedure", "agency_procedure") else set())
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=agency_ids).only("id", "code", "name", "kind")}
    procedures = {p.pk: p for p in Procedure.objects.filter(pk__in=procedure_ids).only("id", "code", "name")}
    rows = {}
    for key in keys:
        row = StatRow(key="", label="")
        if group_by in ("agency", "agency_procedure"):
            agency = agencies[key[0]]
            row.agency_code, row.agency_name = agency.code, agency.name
        if group_by in ("procedure", "agency_procedure"):
            procedure = procedures[key[-1]]
            row.procedure_code, row.procedure_name = procedure.code, procedure.name
        if group_by == "month":
            row.month = key[0]
            row.key = f"{key[0]:%Y-%m}"
            row.label = f"Tháng {key[0]:%m/%Y}"
        elif group_by == "agency":
            row.key, row.label = row.agency_code, row.agency_name
        elif group_by == "procedure":
            row.key, row.label = row.procedure_code, f"{row.procedure_code} – {row.procedure_name}"
        else:
            row.key = f"{row.agency_code}/{row.procedure_code}"
            row.label = f"{row.agency_name} · {row.procedure_code} – {row.procedure_name}"
        rows[key] = row
    order = {
        "agency": lambda k: (KIND_ORDER.get(agencies[k[0]].kind, 9), agencies[k[0]].name.casefold()),
        "procedure": lambda k: procedures[k[0]].code,
        "agency_procedure": lambda k: (KIND_ORDER.get(agencies[k[0]].kind, 9), agencies[k[0]].name.casefold(),
                                       procedures[k[1]].code),
        "month": lambda k: k[0],
    }[group_by]
    return {key: rows[key] for key in sorted(keys, key=order)}


def dossier_statistics(*, user=None, date_from: dt.date, date_to: dt.date, agency: Agency | str | None = None,
                       procedure: Procedure | str | None = None, group_by: str = "agency",
                       api_agency: Agency | None = None, scope: Scope | None = None) -> Statistics:
    """The statistics table for the period ``date_from``–``date_to`` (both included, days of receipt).

    ``agency`` (an Agency or its code) narrows to that receiving agency and the agencies under it, within what
    the viewer may see; ``procedure`` (a Procedure or its code) to one procedure; ``scope`` (e.g.
    ``public_scope()``) replaces the viewer's. Raises DomainError (400) for a bad period or grouping,
    NotFound for an unknown agency or procedure, PermissionDeniedError outside the scope.
    """
    scope = scope or statistics_scope(user, api_agency=api_agency)
    if group_by not in GROUPS:
        raise DomainError("invalid_group", "Cách nhóm không hợp lệ: chọn theo cơ quan, thủ tục, cơ quan và thủ tục, "
                                           "hoặc theo tháng.")
    date_from, date_to = period_check(date_from, date_to)
    if isinstance(agency, str) or agency is None:
        agency = agency_for_statistics(scope, agency)
    elif not scope.allows(agency.pk):
        raise PermissionDeniedError(f"Bạn không được xem thống kê của {agency.name}.")
    if isinstance(procedure, str) or procedure is None:
        procedure = procedure_for_statistics(procedure)
    agency_ids = _agency_ids(scope, agency)
    result = Statistics(date_from=date_from, date_to=date_to, group_by=group_by, agency=agency, procedure=procedure,
                        scope_label=agency.name if agency is not None else scope.label)
    if agency_ids is not None and not agency_ids:
        return result
    arguments = {"date_from": date_from, "date_to": date_to, "agency_ids": agency_ids, "procedure": procedure,
                 "group_by": group_by}
    counts = _aggregate_counts(**arguments)
    still_open = _open_counts(**arguments)
    labelled = _labels(set(counts) | set(still_open), group_by)
    for key, row in labelled.items():
        values = counts.get(key)
        if values is not None:
            for name in (*COUNTERS, "online"):
                setattr(row, name, values[f"sum_{name}"] or 0)
        row.in_progress = still_open.get(key, 0)
        result.rows.append(row)
        result.totals.add(row)
    return result
