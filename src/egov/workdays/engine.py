"""The deadline engine: an immutable calendar snapshot and the arithmetic on it, with no database access.

Days are proleptic ordinals (``date.toordinal()``) and times are microseconds after local midnight, so the
hot path is integer comparisons and ``bisect`` on a sorted array of working days (DESIGN, "Measured facts").
``loader`` builds one snapshot per process and swaps it when overrides or office hours change.
"""

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from egov.core.errors import DomainError
from egov.workdays import builtin

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
US_PER_SECOND = 1_000_000
US_PER_HOUR = 3600 * US_PER_SECOND
HALF_DAY_US = 4 * US_PER_HOUR
CLOSINGS_MEMO_SIZE = 50_000  # a few MB at most, whatever mix of agencies and years is asked
FIRST_ORD = builtin.FIRST_DATE.toordinal()
LAST_ORD = builtin.LAST_DATE.toordinal()

SOURCE_HOLIDAYS = "holidays"
SOURCE_BUILTIN = "builtin"
SOURCE_OVERRIDE = "override"


def time_to_us(value: dt.time) -> int:
    return ((value.hour * 60 + value.minute) * 60 + value.second) * US_PER_SECOND + value.microsecond


def us_to_time(us: int) -> dt.time:
    seconds, micro = divmod(us, US_PER_SECOND)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return dt.time(hour, minute, second, micro)


def out_of_range(day: dt.date | None = None) -> DomainError:
    span = f"{builtin.FIRST_DATE:%d/%m/%Y} – {builtin.LAST_DATE:%d/%m/%Y}"
    if day is None:
        return DomainError("out_of_range", f"Kết quả vượt quá phạm vi lịch làm việc ({span}).")
    return DomainError("out_of_range", f"Ngày {day:%d/%m/%Y} nằm ngoài phạm vi lịch làm việc ({span}).")


@dataclass(frozen=True, slots=True)
class OfficeDay:
    """One day's office sessions and receipt cut-off, in microseconds after local midnight."""

    morning_start: int
    morning_end: int
    afternoon_start: int
    afternoon_end: int
    cutoff: int
    closing_time: dt.time = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        # Kept ready because the close of office hours is the answer of nearly every due-date question.
        object.__setattr__(self, "closing_time", us_to_time(self.afternoon_end))

    @classmethod
    def from_times(cls, morning_start: dt.time, morning_end: dt.time, afternoon_start: dt.time,
                   afternoon_end: dt.time, cutoff: dt.time) -> "OfficeDay":
        return cls(time_to_us(morning_start), time_to_us(morning_end), time_to_us(afternoon_start),
                   time_to_us(afternoon_end), time_to_us(cutoff))

    @property
    def sessions(self) -> tuple[tuple[int, int], tuple[int, int]]:
        return (self.morning_start, self.morning_end), (self.afternoon_start, self.afternoon_end)

    @property
    def length(self) -> int:
        return (self.morning_end - self.morning_start) + (self.afternoon_end - self.afternoon_start)

    def overlap(self, start: int, end: int) -> int:
        """Working microseconds of this day inside [start, end]."""
        total = 0
        for s, e in self.sessions:
            lo = s if s > start else start
            hi = e if e < end else end
            if hi > lo:
                total += hi - lo
        return total


DEFAULT_OFFICE_DAY = OfficeDay.from_times(
    builtin.DEFAULT_MORNING_START, builtin.DEFAULT_MORNING_END, builtin.DEFAULT_AFTERNOON_START,
    builtin.DEFAULT_AFTERNOON_END, builtin.DEFAULT_RECEIPT_CUTOFF,
)


@dataclass(frozen=True, slots=True)
class DayInfo:
    """Why a day differs from the plain Monday–Friday rule: its name and the deciding document."""

    working: bool
    name: str
    decision: str
    source: str


@dataclass(frozen=True, slots=True)
class OverrideFact:
    date: dt.date
    working: bool
    reason: str
    decision: str


@dataclass(frozen=True, slots=True)
class HoursFact:
    agency_id: int | None
    valid_from: dt.date
    day: OfficeDay


@lru_cache(maxsize=1)
def base_special_days() -> dict[int, DayInfo]:
    """Holidays from the package (Vietnamese names) plus the built-in make-up Saturdays; built once."""
    years = range(builtin.FIRST_DATE.year, builtin.LAST_DATE.year + 1)
    special: dict[int, DayInfo] = {}
    for day, name in holidays.country_holidays("VN", years=years, language="vi").items():
        special[day.toordinal()] = DayInfo(False, name, "Bộ luật Lao động 2019, Điều 112", SOURCE_HOLIDAYS)
    for makeup in builtin.MAKEUP_WORKING_DAYS:
        special[makeup.date.toordinal()] = DayInfo(True, makeup.reason, makeup.decision, SOURCE_BUILTIN)
    return special


class Calendar:
    """One immutable snapshot: working days, special days with names, office hours per agency."""

    def __init__(self, *, overrides: Iterable[OverrideFact] = (), hours: Iterable[HoursFact] = ()):
        special = dict(base_special_days())
        for fact in overrides:
            special[fact.date.toordinal()] = DayInfo(fact.working, fact.reason, fact.decision, SOURCE_OVERRIDE)
        self.special = special
        flags = bytearray(LAST_ORD - FIRST_ORD + 1)
        working = []
        for o in range(FIRST_ORD, LAST_ORD + 1):
            info = special.get(o)
            is_working = info.working if info is not None else (o % 7) not in (0, 6)  # ordinal % 7: 0 Sun, 6 Sat
            if is_working:
                flags[o - FIRST_ORD] = 1
                working.append(o)
        self._flags = bytes(flags)
        self._working = working
        self._hours_rows: dict[int | None, list[tuple[int, OfficeDay]]] = {}
        for fact in hours:
            self._hours_rows.setdefault(fact.agency_id, []).append((fact.valid_from.toordinal(), fact.day))
        for rows in self._hours_rows.values():
            rows.sort(key=lambda row: row[0])
        self._timelines: dict[int | None, tuple[list[int], list[OfficeDay]]] = {}
        # Agencies whose hours never change over the calendar's span: one OfficeDay, no bisect.
        self._constant: dict[int | None, OfficeDay | None] = {}
        self._closings: dict[tuple[int | None, int], dt.datetime] = {}

    # --- days ------------------------------------------------------------------------------------
    def is_working(self, o: int) -> bool:
        if o < FIRST_ORD or o > LAST_ORD:
            raise out_of_range(dt.date.fromordinal(max(1, o)))
        return self._flags[o - FIRST_ORD] == 1

    def next_working(self, o: int) -> int:
        """The first working day strictly after ``o``."""
        i = bisect_right(self._working, o)
        if i >= len(self._working):
            raise out_of_range()
        return self._working[i]

    def nth_after(self, o: int, n: int) -> int:
        """The ``n``-th working day after day ``o`` (``o`` itself not counted); ``n`` = 0 gives ``o``."""
        if n == 0:
            return o
        i = bisect_right(self._working, o) + n - 1
        if i >= len(self._working):
            raise out_of_range()
        return self._working[i]

    def count_between(self, first: int, last: int) -> int:
        """Working days in (first, last]."""
        return bisect_right(self._working, last) - bisect_right(self._working, first)

    def working_in_range(self, first: int, last: int) -> list[int]:
        return self._working[bisect_left(self._working, first):bisect_right(self._working, last)]

    # --- office hours ----------------------------------------------------------------------------
    def timeline(self, key: int | None) -> tuple[list[int], list[OfficeDay]]:
        """Office hours over time for an agency: its own rows where they exist, else the province default."""
        found = self._timelines.get(key)
        if found is not None:
            return found
        default = self._hours_rows.get(None, [])
        own = self._hours_rows.get(key, []) if key is not None else []
        boundaries = sorted({FIRST_ORD} | {o for o, _ in default} | {o for o, _ in own})
        starts: list[int] = []
        days: list[OfficeDay] = []
        for o in boundaries:
            day = _latest(own, o) or _latest(default, o) or DEFAULT_OFFICE_DAY
            if days and days[-1] == day:
                continue
            starts.append(o)
            days.append(day)
        self._timelines[key] = (starts, days)
        return starts, days

    def office_day(self, key: int | None, o: int) -> OfficeDay:
        constant = self._constant.get(key, False)
        if constant:
            return constant
        starts, days = self.timeline(key)
        if constant is False:
            self._constant[key] = days[0] if len(days) == 1 else None
            if len(days) == 1:
                return days[0]
        return days[bisect_right(starts, o) - 1]

    def closing_at(self, key: int | None, o: int) -> dt.datetime:
        """The close of office hours on day ``o`` as an aware datetime, memoised: most due dates are one."""
        found = self._closings.get((key, o))
        if found is None:
            if len(self._closings) >= CLOSINGS_MEMO_SIZE:
                self._closings.clear()
            found = dt.datetime.combine(dt.date.fromordinal(o), self.office_day(key, o).closing_time, VN_TZ)
            self._closings[(key, o)] = found
        return found

    # --- time arithmetic -------------------------------------------------------------------------
    def effective(self, key: int | None, o: int, us: int, apply_cutoff: bool) -> tuple[int, int]:
        """The moment a dossier counts as received: inside a session, else the next opening."""
        idx = o - FIRST_ORD
        if idx < 0 or o > LAST_ORD:
            raise out_of_range(dt.date.fromordinal(max(1, o)))
        if not self._flags[idx]:
            o = self.next_working(o)
            return o, self.office_day(key, o).morning_start
        day = self.office_day(key, o)
        if (apply_cutoff and us > day.cutoff) or us > day.afternoon_end:
            o = self.next_working(o)
            return o, self.office_day(key, o).morning_start
        if us < day.morning_start:
            return o, day.morning_start
        if us <= day.morning_end:
            return o, us
        if us < day.afternoon_start:
            return o, day.afternoon_start
        return o, us

    def walk(self, key: int | None, o: int, us: int, amount: int) -> tuple[int, int]:
        """Add ``amount`` working microseconds from an effective moment, session by session."""
        if amount <= 0:
            return o, us
        while True:
            if self.is_working(o):
                for s, e in self.office_day(key, o).sessions:
                    if us >= e:
                        continue
                    if us < s:
                        us = s
                    avail = e - us
                    if amount <= avail:
                        return o, us + amount
                    amount -= avail
                    us = e
            o = self.next_working(o)
            us = 0

    def add_half_days(self, key: int | None, o: int, units: int) -> tuple[int, int]:
        """Due moment ``units`` half-days after effective day ``o``: closing of the N-th working day,
        and for a trailing half day 4 more working hours."""
        whole, half = divmod(units, 2)
        due = self.nth_after(o, whole)
        closing = self.office_day(key, due).afternoon_end
        if not half:
            return due, closing
        return self.walk(key, due, closing, HALF_DAY_US)

    def working_us(self, key: int | None, oa: int, ua: int, ob: int, ub: int) -> int:
        """Working microseconds between two moments (a before b) inside office sessions."""
        if (ob, ub) <= (oa, ua):
            return 0
        if oa == ob:
            return self.office_day(key, oa).overlap(ua, ub) if self.is_working(oa) else 0
        total = 0
        if self.is_working(oa):
            total += self.office_day(key, oa).overlap(ua, 24 * US_PER_HOUR)
        if self.is_working(ob):
            total += self.office_day(key, ob).overlap(0, ub)
        first, last = oa + 1, ob - 1
        if first <= last:
            starts, days = self.timeline(key)
            i = bisect_right(starts, first) - 1
            while i < len(starts) and starts[i] <= last:
                seg_first = max(first, starts[i])
                seg_last = min(last, starts[i + 1] - 1) if i + 1 < len(starts) else last
                count = bisect_right(self._working, seg_last) - bisect_left(self._working, seg_first)
                total += count * days[i].length
                i += 1
        return total

    def half_days_between(self, key: int | None, oa: int, ua: int, ob: int, ub: int) -> int:
        """Whole half-days from effective moment a to b under the deadline convention: the largest x with
        ``add_half_days(a, x) <= b`` (0 when b is before the end of a's day)."""
        if ob < oa or (ob == oa and ub < self.office_day(key, oa).afternoon_end):
            return 0
        if ob > oa and self.is_working(ob) and ub < self.office_day(key, ob).afternoon_end:
            whole = self.count_between(oa, ob) - 1
            partial = self.office_day(key, ob).overlap(0, ub)
            return 2 * whole + (1 if partial >= HALF_DAY_US else 0)
        return 2 * self.count_between(oa, ob)


def _latest(rows: list[tuple[int, OfficeDay]], o: int) -> OfficeDay | None:
    found = None
    for start, day in rows:
        if start > o:
            break
        found = day
    return found


def base_is_working(o: int) -> bool:
    """Whether a day is working before any override: the package's holidays and the built-in make-up days."""
    info = base_special_days().get(o)
    return info.working if info is not None else (o % 7) not in (0, 6)
