"""The pure engine, without the database: office-hour timelines and the memo of closing times."""

import datetime as dt

from egov.workdays import engine
from egov.workdays.engine import Calendar, HoursFact, OfficeDay, OverrideFact

T = dt.time
SHORT = OfficeDay.from_times(T(7, 30), T(11, 30), T(13, 0), T(16, 30), T(15, 0))
LONG = OfficeDay.from_times(T(7, 0), T(11, 30), T(13, 30), T(17, 30), T(16, 0))


def test_agency_rows_win_and_fall_back_to_the_province_by_date():
    cal = Calendar(hours=[
        HoursFact(None, dt.date(2026, 1, 1), SHORT),
        HoursFact(7, dt.date(2027, 1, 1), LONG),
    ])
    day = lambda key, y, m, d: cal.office_day(key, dt.date(y, m, d).toordinal())  # noqa: E731
    assert day(None, 2025, 6, 2) == engine.DEFAULT_OFFICE_DAY
    assert day(None, 2026, 6, 2) == SHORT
    assert day(7, 2025, 6, 2) == engine.DEFAULT_OFFICE_DAY  # agency 7 has no row before 2027
    assert day(7, 2026, 6, 2) == SHORT
    assert day(7, 2027, 6, 2) == LONG
    assert day(8, 2027, 6, 2) == SHORT  # an agency without rows follows the province


def test_working_time_sums_segments_with_different_hours():
    cal = Calendar(hours=[HoursFact(None, dt.date(2026, 1, 5), SHORT)])  # Monday 05/01/2026
    friday = dt.date(2026, 1, 2).toordinal()
    tuesday = dt.date(2026, 1, 6).toordinal()
    # Friday 02/01 after closing: 0; Monday 05/01 under SHORT: 4 h + 3,5 h; Tuesday until its 07:30 opening: 0.
    micro = cal.working_us(None, friday, 17 * engine.US_PER_HOUR, tuesday, int(7.5 * engine.US_PER_HOUR))
    assert micro == int(7.5 * engine.US_PER_HOUR)


def test_overrides_apply_on_top_of_the_package():
    cal = Calendar(overrides=[
        OverrideFact(dt.date(2025, 3, 12), False, "Bão", "QĐ 1"),
        OverrideFact(dt.date(2025, 3, 15), True, "Làm bù", "QĐ 1"),
    ])
    assert not cal.is_working(dt.date(2025, 3, 12).toordinal())
    assert cal.is_working(dt.date(2025, 3, 15).toordinal())
    assert cal.special[dt.date(2025, 3, 12).toordinal()].source == engine.SOURCE_OVERRIDE


def test_closing_memo_stays_bounded(monkeypatch):
    monkeypatch.setattr(engine, "CLOSINGS_MEMO_SIZE", 10)
    cal = Calendar()
    first = dt.date(2025, 1, 6).toordinal()
    days = cal.working_in_range(first, first + 60)
    results = [cal.closing_at(None, o) for o in days]
    assert len(cal._closings) <= 10
    assert [r.date() for r in results] == [dt.date.fromordinal(o) for o in days]
    assert all(r.time() == T(17, 0) and r.tzinfo is engine.VN_TZ for r in results)
