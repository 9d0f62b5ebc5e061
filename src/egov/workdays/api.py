"""Public, read-only API of the working calendar: due dates, working time between moments, holidays.

Parameters are parsed here rather than by pydantic so that every malformed value gets a precise
Vietnamese message (422), and values that parse but make no sense (negative days, year 1900) get the
service's DomainError (400). Nothing a client sends can produce a 500.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.apps import apps
from ninja import Query, Router, Schema

from egov.core.api import ErrorOut
from egov.core.errors import DomainError, NotFound
from egov.workdays import selectors, services
from egov.workdays.services import VN_TZ, format_display

router = Router(tags=["Lịch làm việc"])

ERRORS = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
EXAMPLE_START = "2026-02-13T09:00:00+07:00"
# A "+07:00" offset sent unencoded in a query string arrives as " 07:00".
_SPACE_OFFSET = re.compile(r" (\d{2}(:?\d{2})?)$")


def _invalid(message: str) -> DomainError:
    return DomainError("invalid_input", message, status=422)


def _echo(raw: str) -> str:
    return raw if len(raw) <= 40 else raw[:40] + "…"


def parse_moment(raw: str | None, *, param: str, label: str) -> dt.datetime:
    """An ISO 8601 date-time; without an offset it is read as Vietnam time."""
    text = (raw or "").strip()
    if not text:
        raise _invalid(f"Thiếu tham số {param} ({label}), ví dụ {param}={EXAMPLE_START}.")
    text = _SPACE_OFFSET.sub(r"+\1", text)
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise _invalid(
            f"Tham số {param} “{_echo(raw)}” không phải ngày giờ hợp lệ theo ISO 8601, ví dụ {EXAMPLE_START}."
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=VN_TZ)
    return value


def parse_number(raw: str | None, *, param: str, label: str) -> Decimal | None:
    """A decimal number; the Vietnamese decimal comma ("1,5") is accepted."""
    if raw is None or not raw.strip():
        return None
    try:
        value = Decimal(raw.strip().replace(",", "."))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise _invalid(f"Tham số {param} “{_echo(raw)}” không phải số hợp lệ ({label}), ví dụ {param}=3 hoặc 2,5.")
    return value


def _agency(code: str | None):
    if code is None or not code.strip():
        return None
    agency = apps.get_model("directory", "Agency").objects.filter(code=code.strip()).first()
    if agency is None:
        raise NotFound(f"Không tìm thấy cơ quan có mã “{_echo(code.strip())}”.")
    return agency


def _iso(value: dt.datetime) -> str:
    return value.astimezone(VN_TZ).isoformat()


class DueOut(Schema):
    start: str
    effective_start: str
    effective_start_display: str
    due: str
    due_display: str
    days: float | None
    hours: float | None
    agency: str | None
    apply_cutoff: bool


class BetweenOut(Schema):
    start: str
    end: str
    effective_start: str
    days: float
    hours: float
    working_minutes: int
    agency: str | None


class DayOut(Schema):
    date: dt.date
    display: str
    weekday: str
    name: str
    decision: str
    source: str


class YearOut(Schema):
    year: int
    days_off: list[DayOut]
    working_days: list[DayOut]


@router.get(
    "/due", auth=None, response={200: DueOut, **ERRORS}, summary="Tính hạn giải quyết",
    description=(
        "Hạn giải quyết tính từ thời điểm tiếp nhận: hồ sơ nhận sau 15:00, ngoài giờ hành chính hoặc vào ngày "
        "nghỉ được tính là nhận vào đầu giờ ngày làm việc kế tiếp; không tính ngày tiếp nhận; hạn là cuối giờ "
        "làm việc của ngày làm việc thứ N (N = 0: trong ngày). Nửa ngày = 4 giờ làm việc."
    ),
)
def due(
    request,
    start: str = Query(..., description=f"Thời điểm tiếp nhận, ISO 8601 (ví dụ {EXAMPLE_START})"),
    days: str | None = Query(None, description="Số ngày làm việc, bội số của 0,5"),
    hours: str | None = Query(None, description="Số giờ làm việc (thay cho days)"),
    agency: str | None = Query(None, description="Mã cơ quan, để dùng giờ làm việc riêng của cơ quan"),
    cutoff: bool = Query(True, description="Áp dụng giờ chốt tiếp nhận 15:00"),
):
    moment = parse_moment(start, param="start", label="thời điểm tiếp nhận")
    n_days = parse_number(days, param="days", label="số ngày làm việc")
    n_hours = parse_number(hours, param="hours", label="số giờ làm việc")
    if n_days is None and n_hours is None:
        raise _invalid("Thiếu tham số days (số ngày làm việc) hoặc hours (số giờ làm việc).")
    office = _agency(agency)
    result = services.add_working_time(moment, days=n_days, hours=n_hours, agency=office, apply_cutoff=cutoff)
    effective = services.effective_receipt(moment, agency=office, apply_cutoff=cutoff)
    return {
        "start": _iso(moment),
        "effective_start": _iso(effective),
        "effective_start_display": format_display(effective),
        "due": _iso(result),
        "due_display": format_display(result),
        "days": float(n_days) if n_days is not None else None,
        "hours": float(n_hours) if n_hours is not None else None,
        "agency": office.code if office else None,
        "apply_cutoff": cutoff,
    }


@router.get(
    "/between", auth=None, response={200: BetweenOut, **ERRORS}, summary="Thời gian làm việc giữa hai thời điểm",
    description=(
        "Số ngày làm việc (chính xác đến nửa ngày, theo cùng quy ước với hạn giải quyết) và số giờ làm việc "
        "trong giờ hành chính từ start đến end. Không áp dụng giờ chốt 15:00."
    ),
)
def between(
    request,
    start: str = Query(..., description="Thời điểm bắt đầu, ISO 8601"),
    end: str = Query(..., description="Thời điểm kết thúc, ISO 8601"),
    agency: str | None = Query(None, description="Mã cơ quan"),
):
    a = parse_moment(start, param="start", label="thời điểm bắt đầu")
    b = parse_moment(end, param="end", label="thời điểm kết thúc")
    office = _agency(agency)
    duration = services.working_time_between(a, b, agency=office)
    effective = services.effective_receipt(min(a, b), agency=office, apply_cutoff=False)
    return {
        "start": _iso(a),
        "end": _iso(b),
        "effective_start": _iso(effective),
        "days": float(duration.days),
        "hours": float(duration.hours),
        "working_minutes": int(duration.working_time.total_seconds() // 60),
        "agency": office.code if office else None,
    }


@router.get(
    "/holidays", auth=None, response={200: YearOut, **ERRORS}, summary="Ngày nghỉ và ngày làm bù trong năm",
    description=(
        "Ngày nghỉ lễ, tết (kể cả nghỉ bù, hoán đổi) và ngày làm bù của một năm; thứ Bảy, Chủ nhật thông thường "
        "không liệt kê."
    ),
)
def holidays_of_year(request, year: int | None = Query(None, description="Năm, mặc định năm hiện tại")):
    if year is None:
        year = dt.datetime.now(VN_TZ).year
    days = selectors.special_days(year)

    def out(day):
        return {"date": day.date, "display": day.display, "weekday": day.weekday, "name": day.name,
                "decision": day.decision, "source": day.source}

    return {
        "year": year,
        "days_off": [out(day) for day in days if not day.working],
        "working_days": [out(day) for day in days if day.working],
    }
