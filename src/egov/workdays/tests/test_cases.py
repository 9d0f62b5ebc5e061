"""Every worked case of shared/data/vn_holiday_cases.json (copied into tests/data). For the cases marked
uncertain the primary expected value is asserted: it is the convention this platform adopts."""

import datetime as dt
import json
from pathlib import Path

import pytest

from egov.workdays.services import VN_TZ, add_working_time, effective_receipt

pytestmark = pytest.mark.django_db

DATA = json.loads((Path(__file__).parent / "data" / "vn_holiday_cases.json").read_text(encoding="utf-8"))
CASES = DATA["cases"]


def test_thirty_cases_are_present():
    assert len(CASES) == 30


@pytest.mark.parametrize("case", CASES, ids=[f"{c['received_at']}+{c['working_days']}" for c in CASES])
def test_case(case):
    received = dt.datetime.fromisoformat(case["received_at"])
    effective = effective_receipt(received)
    assert effective.date() == dt.date.fromisoformat(case["effective_receipt_date"]), case["why"]
    due = add_working_time(received, days=case["working_days"])
    assert due.tzinfo is not None
    local = due.astimezone(VN_TZ)
    assert local.date() == dt.date.fromisoformat(case["expected_due_date"]), case["why"]
    assert local.time() == dt.time(17, 0)


def test_calendar_matches_the_cases_holiday_list():
    """The file's holiday calendar is exactly what our calendar treats as weekday days off."""
    from egov.workdays.services import is_working_day

    for iso, name in DATA["_meta"]["holiday_calendar"].items():
        day = dt.date.fromisoformat(iso)
        assert not is_working_day(day), f"{iso} {name}"
    for iso in DATA["_meta"]["makeup_working_days"]:
        assert is_working_day(dt.date.fromisoformat(iso)), iso
