"""Property tests: the laws every deadline must obey, over any start between 2024 and 2028."""

import datetime as dt
from decimal import Decimal

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov.workdays import builtin
from egov.workdays.services import (
    VN_TZ,
    add_working_time,
    effective_receipt,
    is_working_day,
    next_working_day,
    working_time_between,
)

pytestmark = pytest.mark.django_db
PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

starts = st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2028, 12, 31),
                      timezones=st.just(VN_TZ))
whole_days = st.integers(min_value=0, max_value=60)
half_days = st.integers(min_value=0, max_value=120).map(lambda units: Decimal(units) / 2)
minutes = st.integers(min_value=0, max_value=120 * 60)

MORNING = (dt.time(7, 0), dt.time(11, 30))
AFTERNOON = (dt.time(13, 30), dt.time(17, 0))


def in_office_hours(moment: dt.datetime) -> bool:
    t = moment.astimezone(VN_TZ).time()
    return MORNING[0] <= t <= MORNING[1] or AFTERNOON[0] <= t <= AFTERNOON[1]


_VN = holidays.country_holidays("VN", years=range(2023, 2031))
_MAKEUP = {m.date for m in builtin.MAKEUP_WORKING_DAYS}


def reference_working(day: dt.date) -> bool:
    """The rule stated plainly, consulted day by day: the slow baseline the bisect calendar must agree with."""
    if day in _MAKEUP:
        return True
    return day.weekday() < 5 and day not in _VN


def reference_due(start: dt.datetime, n: int) -> dt.date:
    local = start.astimezone(VN_TZ)
    day, t = local.date(), local.time()
    if not reference_working(day) or t > dt.time(15, 0):
        day += dt.timedelta(days=1)
        while not reference_working(day):
            day += dt.timedelta(days=1)
    for _ in range(n):
        day += dt.timedelta(days=1)
        while not reference_working(day):
            day += dt.timedelta(days=1)
    return day


@PROPS
@given(start=starts, days=half_days)
def test_due_is_a_working_moment_inside_office_hours(start, days):
    due = add_working_time(start, days=days)
    local = due.astimezone(VN_TZ)
    assert is_working_day(local.date())
    assert in_office_hours(local)
    assert due >= effective_receipt(start) >= start
    if days == days.to_integral_value():
        assert local.time() == dt.time(17, 0)


@PROPS
@given(start=starts, n=whole_days)
def test_agrees_with_the_day_by_day_reference(start, n):
    assert add_working_time(start, days=n).astimezone(VN_TZ).date() == reference_due(start, n)


@PROPS
@given(a=starts, b=starts, days=half_days)
def test_monotonic_in_start(a, b, days):
    a, b = min(a, b), max(a, b)
    assert add_working_time(a, days=days) <= add_working_time(b, days=days)
    assert add_working_time(a, hours=days) <= add_working_time(b, hours=days)


@PROPS
@given(start=starts, x=half_days, y=half_days)
def test_strictly_monotonic_in_days(start, x, y):
    if x < y:
        assert add_working_time(start, days=x) < add_working_time(start, days=y)
    elif x == y:
        assert add_working_time(start, days=x) == add_working_time(start, days=y)


@PROPS
@given(start=starts, days=half_days)
def test_between_inverts_add_for_days(start, days):
    due = add_working_time(start, days=days)
    assert working_time_between(effective_receipt(start), due).days == days


@PROPS
@given(start=starts, m=minutes)
def test_between_inverts_add_for_hours(start, m):
    hours = Decimal(m) / 60
    due = add_working_time(start, hours=hours)
    assert working_time_between(effective_receipt(start), due).working_time == dt.timedelta(minutes=m)
    assert in_office_hours(due) and is_working_day(due.astimezone(VN_TZ).date())


@PROPS
@given(start=starts, a=whole_days, b=half_days)
def test_days_add_up_from_a_day_end(start, a, b):
    middle = add_working_time(start, days=a)  # the close of a working day
    assert add_working_time(middle, days=b, apply_cutoff=False) == add_working_time(start, days=a + b)


@PROPS
@given(start=starts, m1=minutes, m2=minutes)
def test_hours_add_up(start, m1, m2):
    middle = add_working_time(start, hours=Decimal(m1) / 60)
    total = add_working_time(start, hours=Decimal(m1 + m2) / 60)
    assert add_working_time(middle, hours=Decimal(m2) / 60, apply_cutoff=False) == total


@PROPS
@given(start=starts)
def test_effective_receipt_is_idempotent_and_in_hours(start):
    eff = effective_receipt(start)
    assert effective_receipt(eff) == eff
    assert in_office_hours(eff) and is_working_day(eff.astimezone(VN_TZ).date())
    assert eff.astimezone(VN_TZ).time() <= dt.time(15, 0) or eff == start.astimezone(VN_TZ)


@PROPS
@given(day=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2028, 12, 31)))
def test_next_working_day_skips_only_days_off(day):
    following = next_working_day(day)
    assert following > day and is_working_day(following)
    gap = day + dt.timedelta(days=1)
    while gap < following:
        assert not is_working_day(gap)
        gap += dt.timedelta(days=1)
    assert is_working_day(day) == reference_working(day)


@PROPS
@given(a=starts, b=starts)
def test_between_is_antisymmetric_and_bounded(a, b):
    forward = working_time_between(a, b)
    backward = working_time_between(b, a)
    assert forward.days == -backward.days and forward.working_time == -backward.working_time
    span = abs((b - a).total_seconds())
    assert abs(forward.working_time.total_seconds()) <= span
