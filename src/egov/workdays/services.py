"""Working-time rules of the province: every deadline in the platform comes from here (SPEC §1.10, §6).

Calculation: ``add_working_time``, ``working_time_between``, ``effective_receipt``, ``is_working_day``,
``next_working_day``. Convention (shared/data/vn_holiday_cases.json): a dossier received after the 15:00
cut-off (strictly later than 15:00:00), outside office hours or on a non-working day counts as received at
the next opening; the receipt day is not counted; N days are due at the close of office hours on the N-th
working day after the effective receipt day (N = 0: that same day); half a day is 4 working hours.

Writes: ``override_create/update/delete`` and ``office_hours_create/update/delete``, each audited.
"""

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from egov.core.audit import audit_record, snapshot
from egov.core.errors import DomainError, PermissionDeniedError
from egov.workdays import builtin, engine, policies
from egov.workdays.loader import get_calendar
from egov.workdays.models import CalendarOverride, OfficeHours, OverrideKind

if TYPE_CHECKING:
    from egov.directory.models import Agency

VN_TZ = engine.VN_TZ
MAX_DAYS = 2500  # about ten years of working days; longer "deadlines" are input mistakes
MAX_HOURS = 20000
_UNSET: Any = object()


@dataclass(frozen=True)
class WorkingDuration:
    """Working time between two moments.

    ``days``: whole half-days under the deadline convention (what ``add_working_time(a, days=…)`` would
    reach by ``b``); ``working_time``: exact time inside office sessions. Negative when b is before a.
    """

    days: Decimal
    working_time: dt.timedelta

    @property
    def hours(self) -> Decimal:
        micro = self.working_time // dt.timedelta(microseconds=1)
        return (Decimal(micro) / Decimal(engine.US_PER_HOUR)).quantize(Decimal("0.01"))


# --- conversions -----------------------------------------------------------------------------------
def to_local(value: dt.datetime, *, field: str = "thời điểm") -> dt.datetime:
    """An aware datetime in Asia/Ho_Chi_Minh; naive values are refused so no one guesses a time zone."""
    if not isinstance(value, dt.datetime):
        raise DomainError("invalid_input", f"Giá trị {field} phải là một thời điểm (ngày và giờ).")
    if value.tzinfo is None or value.utcoffset() is None:
        raise DomainError("naive_datetime", f"Giá trị {field} phải có múi giờ (ví dụ +07:00).")
    try:
        return value.astimezone(VN_TZ)
    except OverflowError:  # year 1 or 9999 pushed over the edge by the offset
        raise engine.out_of_range(value.date()) from None


def format_display(value: dt.datetime) -> str:
    """dd/mm/yyyy HH:MM in local time, as every page shows a deadline."""
    return value.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")


def _split(local: dt.datetime) -> tuple[int, int]:
    us = ((local.hour * 60 + local.minute) * 60 + local.second) * engine.US_PER_SECOND + local.microsecond
    return local.toordinal(), us


def _join(o: int, us: int) -> dt.datetime:
    day = dt.date.fromordinal(o)
    return dt.datetime.combine(day, engine.us_to_time(us), tzinfo=VN_TZ)


def _decimal(value, *, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise DomainError("invalid_input", f"{what} phải là một số.")
    if isinstance(value, float) and not math.isfinite(value):
        raise DomainError("invalid_input", f"{what} phải là một số hữu hạn.")
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise DomainError("invalid_input", f"{what} phải là một số.") from None
    if not number.is_finite():
        raise DomainError("invalid_input", f"{what} phải là một số hữu hạn.")
    if number < 0:
        raise DomainError("negative_duration", f"{what} không được âm.")
    return number


def half_day_units(days) -> int:
    """Days as a count of half days; only multiples of 0,5 are meaningful (SPEC §1.10 step 4)."""
    if type(days) is int and 0 <= days <= MAX_DAYS:
        return days * 2
    number = _decimal(days, what="Số ngày làm việc")
    doubled = number * 2
    if doubled != doubled.to_integral_value():
        raise DomainError("invalid_days", "Số ngày làm việc phải là bội số của 0,5 (nửa ngày), ví dụ 1; 2; 2,5.")
    if number > MAX_DAYS:
        raise DomainError("out_of_range", f"Số ngày làm việc tối đa là {MAX_DAYS:,}.".replace(",", "."))
    return int(doubled)


def hours_to_us(hours) -> int:
    number = _decimal(hours, what="Số giờ làm việc")
    if number > MAX_HOURS:
        raise DomainError("out_of_range", f"Số giờ làm việc tối đa là {MAX_HOURS:,}.".replace(",", "."))
    return int((number * engine.US_PER_HOUR).to_integral_value())


def _agency_key(agency) -> int | None:
    if agency is None:
        return None
    if getattr(agency, "pk", None) is None:
        raise DomainError("invalid_agency", "Cơ quan chưa được lưu trong danh bạ.")
    return agency.pk


# --- calculation -----------------------------------------------------------------------------------
def effective_receipt(at: dt.datetime, *, agency: "Agency | None" = None, apply_cutoff: bool = True) -> dt.datetime:
    """When a dossier received at ``at`` counts as received: ``at`` itself inside office hours up to the
    cut-off, else the next opening (after lunch, or the next working day's morning)."""
    o, us = _split(to_local(at))
    return _join(*get_calendar().effective(_agency_key(agency), o, us, apply_cutoff))


def add_working_time(start: dt.datetime, *, days: Decimal | float | int | None = None,
                     hours: Decimal | float | int | None = None, agency: "Agency | None" = None,
                     apply_cutoff: bool = True) -> dt.datetime:
    """The due moment of a period of working ``days`` (half-day steps) or working ``hours`` from receipt."""
    if hours is None and type(days) is int and 0 <= days <= MAX_DAYS:
        # The common case (whole days, as almost every procedure states its limit), kept short.
        o, us = _split(to_local(start, field="thời điểm bắt đầu"))
        cal = get_calendar()
        key = None if agency is None else _agency_key(agency)
        o, _ = cal.effective(key, o, us, apply_cutoff)
        return cal.closing_at(key, cal.nth_after(o, days))
    if (days is None) == (hours is None):
        raise DomainError(
            "invalid_input", "Cần nhập đúng một trong hai: số ngày làm việc (days) hoặc số giờ làm việc (hours)."
        )
    o, us = _split(to_local(start, field="thời điểm bắt đầu"))
    cal = get_calendar()
    key = _agency_key(agency)
    if days is not None:
        units = half_day_units(days)
        o, _ = cal.effective(key, o, us, apply_cutoff)
        return _join(*cal.add_half_days(key, o, units))
    amount = hours_to_us(hours)
    o, us = cal.effective(key, o, us, apply_cutoff)
    return _join(*cal.walk(key, o, us, amount))


def working_time_between(a: dt.datetime, b: dt.datetime, *, agency: "Agency | None" = None) -> WorkingDuration:
    """Working time from ``a`` to ``b``, measured from ``a``'s effective moment without the cut-off (to
    measure from receipt, pass ``effective_receipt(a)``)."""
    la = to_local(a, field="thời điểm bắt đầu")
    lb = to_local(b, field="thời điểm kết thúc")
    if lb < la:
        forward = working_time_between(lb, la, agency=agency)
        return WorkingDuration(-forward.days, -forward.working_time)
    cal = get_calendar()
    key = _agency_key(agency)
    oa, ua = cal.effective(key, *_split(la), False)
    ob, ub = _split(lb)
    if not (engine.FIRST_ORD <= ob <= engine.LAST_ORD):
        raise engine.out_of_range(lb.date())
    micro = cal.working_us(key, oa, ua, ob, ub)
    units = cal.half_days_between(key, oa, ua, ob, ub)
    return WorkingDuration(Decimal(units) / 2, dt.timedelta(microseconds=micro))


def _as_date(day: dt.date) -> dt.date:
    if isinstance(day, dt.datetime):
        return to_local(day).date()
    if not isinstance(day, dt.date):
        raise DomainError("invalid_input", "Giá trị phải là một ngày.")
    return day


def is_working_day(day: dt.date) -> bool:
    return get_calendar().is_working(_as_date(day).toordinal())


def next_working_day(day: dt.date) -> dt.date:
    """The first working day strictly after ``day``."""
    o = _as_date(day).toordinal()
    cal = get_calendar()
    cal.is_working(o)  # range check
    return dt.date.fromordinal(cal.next_working(o))


# --- overrides -------------------------------------------------------------------------------------
def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDeniedError("Bạn không có quyền thay đổi lịch làm việc của tỉnh.")


def _check_range(day: dt.date) -> None:
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise DomainError("invalid_input", "Ngày điều chỉnh phải là một ngày (dd/mm/yyyy).")
    if not (builtin.FIRST_DATE <= day <= builtin.LAST_DATE):
        raise engine.out_of_range(day)


def override_validate(*, date: dt.date, kind: str, reason: str, decision: str,
                      instance: CalendarOverride | None = None) -> None:
    """Every rule an override must meet; the admin form calls it too, to show errors beside the fields."""
    _check_range(date)
    if kind not in OverrideKind.values:
        raise DomainError("invalid_kind", "Loại điều chỉnh phải là “ngày nghỉ thêm” hoặc “ngày làm việc (làm bù)”.")
    if not (reason or "").strip():
        raise DomainError("reason_required", "Cần ghi lý do điều chỉnh.")
    if not (decision or "").strip():
        raise DomainError(
            "decision_required", "Cần ghi văn bản quyết định (số, ký hiệu), ví dụ CV 2450/VPCP-KGVX."
        )
    clash = CalendarOverride.objects.filter(date=date)
    if instance is not None and instance.pk:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise DomainError(
            "override_exists", f"Ngày {date:%d/%m/%Y} đã có một điều chỉnh; hãy sửa điều chỉnh đó.", status=409
        )
    working = kind == OverrideKind.WORKING_DAY
    if engine.base_is_working(date.toordinal()) == working:
        state = "ngày làm việc" if working else "ngày nghỉ"
        raise DomainError(
            "override_redundant", f"Ngày {date:%d/%m/%Y} vốn đã là {state}; điều chỉnh này không có tác dụng."
        )


def _save_unique(instance, message: str) -> None:
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise DomainError("conflict", message, status=409) from None


@transaction.atomic
def override_create(*, actor, date: dt.date, kind: str, reason: str, decision: str,
                    decision_date: dt.date | None = None) -> CalendarOverride:
    _require(policies.can_manage_calendar(actor, "add"))
    override_validate(date=date, kind=kind, reason=reason, decision=decision)
    override = CalendarOverride(date=date, kind=kind, reason=reason.strip(), decision=decision.strip(),
                                decision_date=decision_date)
    _save_unique(override, f"Ngày {date:%d/%m/%Y} đã có một điều chỉnh.")
    audit_record(actor=actor, action="workdays.override.create", obj=override, after=snapshot(override))
    return override


@transaction.atomic
def override_update(*, actor, override: CalendarOverride, date: dt.date = _UNSET, kind: str = _UNSET,
                    reason: str = _UNSET, decision: str = _UNSET,
                    decision_date: dt.date | None = _UNSET) -> CalendarOverride:
    _require(policies.can_manage_calendar(actor, "change"))
    current = CalendarOverride.objects.select_for_update().get(pk=override.pk)
    before = snapshot(current)
    changes = {"date": date, "kind": kind, "reason": reason, "decision": decision, "decision_date": decision_date}
    for name, value in changes.items():
        if value is not _UNSET:
            setattr(current, name, value.strip() if isinstance(value, str) and name != "kind" else value)
    override_validate(date=current.date, kind=current.kind, reason=current.reason, decision=current.decision,
                      instance=current)
    _save_unique(current, f"Ngày {current.date:%d/%m/%Y} đã có một điều chỉnh.")
    audit_record(actor=actor, action="workdays.override.update", obj=current, before=before,
                 after=snapshot(current))
    return current


@transaction.atomic
def override_delete(*, actor, override: CalendarOverride) -> None:
    _require(policies.can_manage_calendar(actor, "delete"))
    current = CalendarOverride.objects.select_for_update().get(pk=override.pk)
    before = snapshot(current)
    audit_record(actor=actor, action="workdays.override.delete", obj=current, before=before)
    current.delete()


# --- office hours ----------------------------------------------------------------------------------
HOURS_FIELDS = ("morning_start", "morning_end", "afternoon_start", "afternoon_end", "receipt_cutoff")


def office_hours_validate(*, agency, valid_from: dt.date, morning_start: dt.time, morning_end: dt.time,
                          afternoon_start: dt.time, afternoon_end: dt.time, receipt_cutoff: dt.time,
                          instance: OfficeHours | None = None) -> None:
    _check_range(valid_from)
    times = (morning_start, morning_end, afternoon_start, afternoon_end, receipt_cutoff)
    if not all(isinstance(t, dt.time) and t.tzinfo is None for t in times):
        raise DomainError("invalid_input", "Giờ làm việc phải là giờ trong ngày (HH:MM).")
    if not (morning_start < morning_end <= afternoon_start < afternoon_end):
        raise DomainError(
            "invalid_hours", "Giờ làm việc phải theo thứ tự: bắt đầu sáng < kết thúc sáng ≤ bắt đầu chiều "
            "< kết thúc chiều."
        )
    if not (morning_start <= receipt_cutoff <= afternoon_end):
        raise DomainError("invalid_cutoff", "Giờ chốt tiếp nhận phải nằm trong giờ làm việc của ngày.")
    day = engine.OfficeDay.from_times(morning_start, morning_end, afternoon_start, afternoon_end, receipt_cutoff)
    if day.length <= engine.HALF_DAY_US:
        raise DomainError(
            "invalid_hours", "Tổng thời gian làm việc trong ngày phải trên 4 giờ (nửa ngày làm việc là 4 giờ)."
        )
    clash = OfficeHours.objects.filter(agency=agency, valid_from=valid_from)
    if instance is not None and instance.pk:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise DomainError(
            "office_hours_exist", f"Đã có giờ làm việc áp dụng từ ngày {valid_from:%d/%m/%Y} cho cơ quan này.",
            status=409,
        )


@transaction.atomic
def office_hours_create(*, actor, agency: "Agency | None" = None, valid_from: dt.date,
                        morning_start: dt.time = builtin.DEFAULT_MORNING_START,
                        morning_end: dt.time = builtin.DEFAULT_MORNING_END,
                        afternoon_start: dt.time = builtin.DEFAULT_AFTERNOON_START,
                        afternoon_end: dt.time = builtin.DEFAULT_AFTERNOON_END,
                        receipt_cutoff: dt.time = builtin.DEFAULT_RECEIPT_CUTOFF,
                        decision: str = "") -> OfficeHours:
    _require(policies.can_manage_office_hours(actor, "add"))
    values = {"morning_start": morning_start, "morning_end": morning_end, "afternoon_start": afternoon_start,
              "afternoon_end": afternoon_end, "receipt_cutoff": receipt_cutoff}
    office_hours_validate(agency=agency, valid_from=valid_from, **values)
    hours = OfficeHours(agency=agency, valid_from=valid_from, decision=(decision or "").strip(), **values)
    _save_unique(hours, "Đã có giờ làm việc áp dụng từ ngày này cho cơ quan này.")
    audit_record(actor=actor, action="workdays.office_hours.create", obj=hours, after=snapshot(hours))
    return hours


@transaction.atomic
def office_hours_update(*, actor, office_hours: OfficeHours, **changes) -> OfficeHours:
    """Change any of ``valid_from``, ``decision`` and the five times of a row."""
    _require(policies.can_manage_office_hours(actor, "change"))
    unknown = set(changes) - {"valid_from", "decision", *HOURS_FIELDS}
    if unknown:
        raise DomainError("invalid_input", f"Không thể sửa trường: {', '.join(sorted(unknown))}.")
    current = OfficeHours.objects.select_for_update().get(pk=office_hours.pk)
    before = snapshot(current)
    for name, value in changes.items():
        setattr(current, name, value.strip() if name == "decision" else value)
    office_hours_validate(agency=current.agency, valid_from=current.valid_from, instance=current,
                          **{name: getattr(current, name) for name in HOURS_FIELDS})
    _save_unique(current, "Đã có giờ làm việc áp dụng từ ngày này cho cơ quan này.")
    audit_record(actor=actor, action="workdays.office_hours.update", obj=current, before=before,
                 after=snapshot(current))
    return current


@transaction.atomic
def office_hours_delete(*, actor, office_hours: OfficeHours) -> None:
    _require(policies.can_manage_office_hours(actor, "delete"))
    current = OfficeHours.objects.select_for_update().get(pk=office_hours.pk)
    audit_record(actor=actor, action="workdays.office_hours.delete", obj=current, before=snapshot(current))
    current.delete()
