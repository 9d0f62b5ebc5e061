"""Worked examples across Tết 2026 and 2027, 30/4–1/5, 2/9 and 24/11, the 15:00 cut-off, hours and half days.

Each expected value was counted by hand on the calendar in SPEC §6 (see the comment on each line)."""

import datetime as dt
from decimal import Decimal

import pytest

from egov.core.errors import DomainError
from egov.workdays.services import (
    VN_TZ,
    add_working_time,
    effective_receipt,
    format_display,
    is_working_day,
    next_working_day,
    working_time_between,
)

pytestmark = pytest.mark.django_db


def at(text: str) -> dt.datetime:
    """Local Vietnam time from 'dd/mm/yyyy HH:MM[:SS[.ffffff]]'."""
    for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S.%f"):
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=VN_TZ)
        except ValueError:
            continue
    raise ValueError(text)


def d(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d/%m/%Y").date()


def due(start: str, **kwargs) -> str:
    return format_display(add_working_time(at(start), **kwargs))


class TestTet2026:
    """Tết Bính Ngọ: 16–20/02/2026 (Monday to Friday) off."""

    def test_days_off(self):
        assert [is_working_day(d(f"{n}/02/2026")) for n in range(13, 24)] == [
            True, False, False, False, False, False, False, False, False, False, True,
        ]  # 13 Fri works; 14–15 weekend; 16–20 Tết; 21–22 weekend; 23 Mon works
        assert next_working_day(d("13/02/2026")) == d("23/02/2026")

    def test_two_days_across_tet(self):
        assert due("12/02/2026 10:00", days=2) == "23/02/2026 17:00"  # 13/02, then 23/02

    def test_after_cutoff_on_last_day_before_tet(self):
        assert effective_receipt(at("13/02/2026 16:00")) == at("23/02/2026 07:00")
        assert due("13/02/2026 16:00", days=1) == "24/02/2026 17:00"

    def test_half_day_before_tet_lands_after_it(self):
        assert due("13/02/2026 10:00", days=Decimal("0.5")) == "23/02/2026 11:00"

    def test_hours_across_tet(self):
        assert due("13/02/2026 14:00", hours=4) == "23/02/2026 08:00"  # 14:00–17:00, then 07:00–08:00
        assert due("13/02/2026 16:00", hours=2) == "23/02/2026 09:00"  # after 15:00: starts 23/02 07:00
        assert due("13/02/2026 16:00", hours=2, apply_cutoff=False) == "23/02/2026 08:00"

    def test_received_during_tet(self):
        assert effective_receipt(at("18/02/2026 10:00")) == at("23/02/2026 07:00")
        assert due("18/02/2026 10:00", days=0) == "23/02/2026 17:00"


class TestTet2027:
    """Tết Đinh Mùi as the package projects it: 04–10/02/2027 off (mùng 1 is Saturday 06/02)."""

    def test_days_off(self):
        assert is_working_day(d("03/02/2027"))
        assert not any(is_working_day(d(f"{n:02d}/02/2027")) for n in range(4, 11))
        assert is_working_day(d("11/02/2027"))
        assert next_working_day(d("03/02/2027")) == d("11/02/2027")

    def test_last_day_before_tet(self):
        assert due("03/02/2027 09:00", days=1) == "11/02/2027 17:00"

    def test_cutoff_two_days_before_tet(self):
        assert due("02/02/2027 15:00", days=1) == "03/02/2027 17:00"  # exactly 15:00 is not after
        assert due("02/02/2027 15:00:01", days=1) == "11/02/2027 17:00"  # effective 03/02

    def test_same_day_procedure_received_during_tet(self):
        assert due("05/02/2027 09:00", days=0) == "11/02/2027 17:00"

    def test_working_time_over_tet(self):
        span = working_time_between(at("03/02/2027 17:00"), at("11/02/2027 17:00"))
        assert span.days == Decimal("1") and span.hours == Decimal("8.00")


class TestReunificationAndLabourDay:
    def test_2026(self):
        assert due("29/04/2026 10:00", days=1) == "04/05/2026 17:00"  # 30/04 Thu, 01/05 Fri off

    def test_2025_makeup_saturday(self):
        assert is_working_day(d("26/04/2025")) and not is_working_day(d("02/05/2025"))
        assert due("25/04/2025 10:00", days=1) == "26/04/2025 17:00"
        assert effective_receipt(at("26/04/2025 08:00")) == at("26/04/2025 08:00")
        assert due("26/04/2025 08:00", days=0) == "26/04/2025 17:00"

    def test_2027_observed_monday(self):
        assert not is_working_day(d("03/05/2027"))  # 01/05 is Saturday: nghỉ bù Monday
        assert due("29/04/2027 10:00", days=1) == "04/05/2027 17:00"


class TestNationalDay:
    def test_2025(self):
        assert due("29/08/2025 10:00", days=1) == "03/09/2025 17:00"  # 01/09 Mon and 02/09 Tue off

    def test_2026_swap(self):
        assert is_working_day(d("22/08/2026")) and not is_working_day(d("31/08/2026"))
        assert due("21/08/2026 10:00", days=2) == "24/08/2026 17:00"  # Sat 22/08, Mon 24/08
        assert due("28/08/2026 10:00", days=1) == "03/09/2026 17:00"  # 31/08, 01/09, 02/09 off

    def test_2027(self):
        assert due("01/09/2027 10:00", days=1) == "06/09/2027 17:00"  # 02/09 Thu, 03/09 Fri off


class TestVietnamCultureDay:
    def test_new_from_2026(self):
        assert is_working_day(d("24/11/2025"))
        assert not is_working_day(d("24/11/2026"))
        assert not is_working_day(d("24/11/2027"))

    def test_half_day_jumps_over_it(self):
        assert due("23/11/2026 10:00", days=Decimal("0.5")) == "25/11/2026 11:00"

    def test_2027(self):
        assert due("23/11/2027 10:00", days=1) == "25/11/2027 17:00"


class TestCutoffAndOfficeHours:
    def test_exactly_fifteen_is_not_after(self):
        assert effective_receipt(at("10/03/2025 15:00")) == at("10/03/2025 15:00")

    def test_one_microsecond_after_is_after(self):
        assert effective_receipt(at("10/03/2025 15:00:00.000001")) == at("11/03/2025 07:00")

    def test_before_opening_and_lunch_and_evening(self):
        assert effective_receipt(at("10/03/2025 06:30")) == at("10/03/2025 07:00")
        assert effective_receipt(at("10/03/2025 11:30")) == at("10/03/2025 11:30")
        assert effective_receipt(at("10/03/2025 12:00")) == at("10/03/2025 13:30")
        assert effective_receipt(at("10/03/2025 17:30")) == at("11/03/2025 07:00")
        assert effective_receipt(at("14/03/2025 17:30")) == at("17/03/2025 07:00")  # Friday evening

    def test_cutoff_can_be_waived(self):
        assert effective_receipt(at("10/03/2025 16:00"), apply_cutoff=False) == at("10/03/2025 16:00")
        assert due("10/03/2025 16:00", days=1, apply_cutoff=False) == "11/03/2025 17:00"
        assert due("10/03/2025 16:00", days=1) == "12/03/2025 17:00"

    def test_utc_input_is_read_in_vietnam_time(self):
        start = dt.datetime(2025, 3, 10, 2, 0, tzinfo=dt.UTC)  # 09:00 in Cà Mau
        result = add_working_time(start, days=5)
        assert result == at("17/03/2025 17:00")
        assert result.utcoffset() == dt.timedelta(hours=7)


class TestHoursAndHalfDays:
    def test_hours_inside_sessions(self):
        assert due("10/03/2025 09:00", hours=4) == "10/03/2025 15:00"  # 2,5 h morning + 1,5 h afternoon
        assert due("10/03/2025 09:00", hours=8) == "11/03/2025 09:00"  # 6 h Monday + 2 h Tuesday
        assert due("10/03/2025 09:00", hours=Decimal("2.5")) == "10/03/2025 11:30"  # ends exactly at lunch
        assert due("10/03/2025 09:00", hours=0.25) == "10/03/2025 09:15"
        assert add_working_time(at("10/03/2025 12:00"), hours=0) == at("10/03/2025 13:30")

    def test_half_days(self):
        assert due("10/03/2025 09:00", days=Decimal("0.5")) == "11/03/2025 11:00"
        assert due("10/03/2025 09:00", days=1.5) == "12/03/2025 11:00"
        assert due("10/03/2025 09:00", days=Decimal("2.5")) == due("10/03/2025 09:00", days=2.5)
        assert due("10/03/2025 09:00", days=Decimal("2.0")) == "12/03/2025 17:00"

    def test_between(self):
        span = working_time_between(at("10/03/2025 09:00"), at("10/03/2025 17:00"))
        assert (span.days, span.hours) == (Decimal("0"), Decimal("6.00"))
        span = working_time_between(at("10/03/2025 09:00"), at("11/03/2025 11:00"))
        assert (span.days, span.hours) == (Decimal("0.5"), Decimal("10.00"))
        span = working_time_between(at("10/03/2025 09:00"), at("11/03/2025 10:59"))
        assert span.days == Decimal("0")
        span = working_time_between(at("11/03/2025 11:00"), at("10/03/2025 09:00"))
        assert (span.days, span.hours) == (Decimal("-0.5"), Decimal("-10.00"))
        span = working_time_between(at("15/03/2025 09:00"), at("16/03/2025 12:00"))  # a weekend
        assert (span.days, span.working_time) == (Decimal("0"), dt.timedelta(0))


class TestRefusedInput:
    @pytest.mark.parametrize(
        ("kwargs", "code"),
        [
            ({"days": Decimal("0.3")}, "invalid_days"),
            ({"days": -1}, "negative_duration"),
            ({"hours": -2}, "negative_duration"),
            ({"days": 1, "hours": 2}, "invalid_input"),
            ({}, "invalid_input"),
            ({"days": True}, "invalid_input"),
            ({"days": "3"}, "invalid_input"),
            ({"days": float("nan")}, "invalid_input"),
            ({"days": Decimal("Infinity")}, "invalid_input"),
            ({"days": 100000}, "out_of_range"),
            ({"hours": 10**9}, "out_of_range"),
        ],
    )
    def test_bad_amounts(self, kwargs, code):
        with pytest.raises(DomainError) as err:
            add_working_time(at("10/03/2025 09:00"), **kwargs)
        assert err.value.code == code and err.value.message

    def test_naive_datetime(self):
        with pytest.raises(DomainError) as err:
            add_working_time(dt.datetime(2025, 3, 10, 9, 0), days=1)
        assert err.value.code == "naive_datetime" and "múi giờ" in err.value.message

    def test_outside_the_calendar(self):
        with pytest.raises(DomainError) as err:
            add_working_time(at("10/03/1999 09:00"), days=1)
        assert err.value.code == "out_of_range" and "10/03/1999" in err.value.message
        with pytest.raises(DomainError) as err:
            add_working_time(at("28/12/2099 09:00"), days=10)
        assert err.value.code == "out_of_range"
        with pytest.raises(DomainError):
            is_working_day(dt.date(2100, 1, 1))
