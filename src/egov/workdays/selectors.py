"""Reads of the working calendar for pages, the API and commands."""

import datetime as dt
from dataclasses import dataclass

from egov.core.errors import DomainError
from egov.workdays import builtin, engine
from egov.workdays.loader import get_calendar

WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
SOURCE_LABELS = {
    engine.SOURCE_HOLIDAYS: "Ngày lễ, tết theo Bộ luật Lao động (gói holidays)",
    engine.SOURCE_BUILTIN: "Ngày làm bù theo thông báo hoán đổi",
    engine.SOURCE_OVERRIDE: "Điều chỉnh của tỉnh",
}


@dataclass(frozen=True)
class SpecialDay:
    date: dt.date
    working: bool
    name: str
    decision: str
    source: str

    @property
    def display(self) -> str:
        return f"{self.date:%d/%m/%Y}"

    @property
    def weekday(self) -> str:
        return WEEKDAYS_VI[self.date.weekday()]


def special_days(year: int) -> list[SpecialDay]:
    """Holidays, make-up working days and overrides of one year, in date order (weekends are implied)."""
    if isinstance(year, bool) or not isinstance(year, int) or not (
        builtin.FIRST_DATE.year <= year <= builtin.LAST_DATE.year
    ):
        raise DomainError(
            "out_of_range",
            f"Năm phải trong khoảng {builtin.FIRST_DATE.year}–{builtin.LAST_DATE.year}.",
        )
    cal = get_calendar()
    first = dt.date(year, 1, 1).toordinal()
    last = dt.date(year, 12, 31).toordinal()
    days = []
    for o in sorted(o for o in cal.special if first <= o <= last):
        info = cal.special[o]
        days.append(SpecialDay(dt.date.fromordinal(o), info.working, info.name, info.decision, info.source))
    return days


def non_working_days(year: int) -> list[SpecialDay]:
    return [day for day in special_days(year) if not day.working]


def makeup_working_days(year: int) -> list[SpecialDay]:
    """Weekend or holiday dates that are working days this year (make-up days)."""
    return [day for day in special_days(year) if day.working]
