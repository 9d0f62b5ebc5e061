"""Office hours per agency with effective dates, the province default, and their rules."""

import datetime as dt
from decimal import Decimal

import pytest

from egov.core.errors import DomainError
from egov.core.models import AuditEntry
from egov.directory.models import Agency
from egov.workdays.models import OfficeHours
from egov.workdays.services import (
    VN_TZ,
    add_working_time,
    effective_receipt,
    office_hours_create,
    office_hours_delete,
    office_hours_update,
    working_time_between,
)

pytestmark = pytest.mark.django_db
T = dt.time


def at(y, m, d, hh, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN_TZ)


@pytest.fixture
def department(db):
    return Agency.objects.create(code="STP", name="Sở Tư pháp tỉnh Cà Mau", abbreviation="STP", kind="so")


def test_builtin_default_without_rows():
    assert add_working_time(at(2025, 3, 10, 9), days=0) == at(2025, 3, 10, 17)
    assert effective_receipt(at(2025, 3, 10, 6)) == at(2025, 3, 10, 7)


def test_province_default_changes_from_its_date(calendar_admin):
    office_hours_create(actor=calendar_admin, valid_from=dt.date(2026, 1, 1), morning_start=T(7, 30),
                        morning_end=T(11, 30), afternoon_start=T(13, 0), afternoon_end=T(16, 30),
                        receipt_cutoff=T(16, 0), decision="QĐ 99/QĐ-UBND")
    # Before 2026 the built-in hours still apply.
    assert add_working_time(at(2025, 12, 29, 9), days=1) == at(2025, 12, 30, 17)
    assert effective_receipt(at(2025, 12, 29, 15, 30)) == at(2025, 12, 30, 7)
    # From 2026: opening 07:30, closing 16:30, cut-off 16:00.
    assert effective_receipt(at(2026, 1, 5, 7, 10)) == at(2026, 1, 5, 7, 30)
    assert effective_receipt(at(2026, 1, 5, 15, 30)) == at(2026, 1, 5, 15, 30)
    assert add_working_time(at(2026, 1, 5, 9), days=1) == at(2026, 1, 6, 16, 30)
    assert add_working_time(at(2026, 1, 5, 9), days=Decimal("0.5")) == at(2026, 1, 6, 11, 30)


def test_agency_hours_and_fallback(calendar_admin, department):
    office_hours_create(actor=calendar_admin, agency=department, valid_from=dt.date(2025, 1, 1),
                        morning_start=T(8, 0), morning_end=T(11, 0), afternoon_start=T(13, 0),
                        afternoon_end=T(17, 0), receipt_cutoff=T(15, 0))
    other = Agency.objects.create(code="SXD", name="Sở Xây dựng", abbreviation="SXD", kind="so")
    start = at(2025, 3, 10, 9)
    # Half a day = 4 working hours: 09:00 → the 3-hour morning of the next day, then 1 hour after 13:00.
    assert add_working_time(start, days=Decimal("0.5"), agency=department) == at(2025, 3, 11, 14)
    assert working_time_between(effective_receipt(start, agency=department), at(2025, 3, 11, 14),
                                agency=department).days == Decimal("0.5")
    assert add_working_time(start, hours=3, agency=department) == at(2025, 3, 10, 14)  # 09–11, then 13–14
    assert effective_receipt(at(2025, 3, 10, 7, 30), agency=department) == at(2025, 3, 10, 8)
    # An agency without rows of its own follows the province.
    assert effective_receipt(at(2025, 3, 10, 7, 30), agency=other) == at(2025, 3, 10, 7, 30)
    span = working_time_between(at(2025, 3, 10, 8), at(2025, 3, 10, 17), agency=department)
    assert span.hours == Decimal("7.00")


def test_rules(calendar_admin, department):
    cases = [
        ({"morning_start": T(11, 0), "morning_end": T(10, 0)}, "invalid_hours"),
        ({"morning_end": T(14, 0)}, "invalid_hours"),
        ({"receipt_cutoff": T(18, 0)}, "invalid_cutoff"),
        ({"morning_start": T(9, 0), "morning_end": T(10, 0), "afternoon_start": T(14, 0),
          "afternoon_end": T(16, 0)}, "invalid_hours"),  # 3 hours: shorter than half a day plus
    ]
    for changes, code in cases:
        with pytest.raises(DomainError) as err:
            office_hours_create(actor=calendar_admin, agency=department, valid_from=dt.date(2025, 1, 1), **changes)
        assert err.value.code == code, changes
    office_hours_create(actor=calendar_admin, agency=department, valid_from=dt.date(2025, 1, 1))
    with pytest.raises(DomainError) as err:
        office_hours_create(actor=calendar_admin, agency=department, valid_from=dt.date(2025, 1, 1))
    assert err.value.code == "office_hours_exist"
    office_hours_create(actor=calendar_admin, valid_from=dt.date(2025, 1, 1))
    with pytest.raises(DomainError) as err:
        office_hours_create(actor=calendar_admin, valid_from=dt.date(2025, 1, 1))
    assert err.value.code == "office_hours_exist"


def test_update_and_delete_are_audited_and_take_effect(calendar_admin):
    row = office_hours_create(actor=calendar_admin, valid_from=dt.date(2025, 1, 1))
    office_hours_update(actor=calendar_admin, office_hours=row, afternoon_end=T(16, 30))
    assert add_working_time(at(2025, 3, 10, 9), days=0) == at(2025, 3, 10, 16, 30)
    with pytest.raises(DomainError):
        office_hours_update(actor=calendar_admin, office_hours=row, agency=None)
    office_hours_delete(actor=calendar_admin, office_hours=row)
    assert add_working_time(at(2025, 3, 10, 9), days=0) == at(2025, 3, 10, 17)
    assert not OfficeHours.objects.exists()
    assert list(AuditEntry.objects.filter(action__startswith="workdays.").order_by("seq")
                .values_list("action", flat=True)) == [
        "workdays.office_hours.create", "workdays.office_hours.update", "workdays.office_hours.delete",
    ]
