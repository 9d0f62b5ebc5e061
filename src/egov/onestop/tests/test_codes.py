"""Dossier codes (SPEC §1.9): both layouts, the daily counter, the yearly register, the pluggable strategy."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from egov.core.errors import DomainError
from egov.onestop import codes
from egov.onestop.models import DossierCounter, DossierRegisterCounter
from egov.onestop.tests import factories as f

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# The regular expressions exactly as SPEC §1.9 writes them.
SPEC_QCVN102 = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Y]\d{2}-\d{6}-\d{4}$")
SPEC_QD20 = re.compile(r"^[A-Y]\d{2}(\.[0-9A-Z]+)*-\d{8}-\d{7}$")

pytestmark = pytest.mark.django_db


def draw(agency, at, strategy=None):
    with transaction.atomic():
        return (strategy or codes.Qcvn102CodeStrategy()).next_code(agency=agency, received_at=at)


def test_qcvn102_code_format_and_daily_sequence():
    agency = f.agency_make()
    at = dt.datetime(2025, 7, 14, 9, 30, tzinfo=VN)
    first, second = draw(agency, at), draw(agency, at)
    assert first == "000.00.05.H12-250714-0001"
    assert second == "000.00.05.H12-250714-0002"
    assert SPEC_QCVN102.fullmatch(first) and codes.is_dossier_code(first)
    assert draw(agency, at + dt.timedelta(days=1)) == "000.00.05.H12-250715-0001"
    other = f.agency_make(code="SXD", name="Sở Xây dựng", code_qcvn102="000.00.07.H12", code_qd20="H12.07")
    assert draw(other, at) == "000.00.07.H12-250714-0001"
    assert DossierCounter.objects.get(agency=agency, day=dt.date(2025, 7, 14)).last_value == 2


def test_the_day_is_the_local_day():
    """23:30 UTC on 13/07 is 06:30 on 14/07 in Vietnam: the code carries the Vietnamese date."""
    agency = f.agency_make()
    assert draw(agency, dt.datetime(2025, 7, 13, 23, 30, tzinfo=dt.UTC)).endswith("-250714-0001")


def test_qd20_strategy_by_setting(settings):
    settings.ONESTOP_DOSSIER_CODE_STRATEGY = "egov.onestop.codes.Qd20CodeStrategy"
    agency = f.agency_make(code_qd20="G09.20")
    with transaction.atomic():
        code = codes.dossier_code_next(agency=agency, received_at=dt.datetime(2026, 6, 9, 10, tzinfo=VN))
    assert code == "G09.20-20260609-0000001"
    assert SPEC_QD20.fullmatch(code) and codes.is_dossier_code(code)


def test_missing_agency_codes_are_a_clear_error():
    agency = f.agency_make(code_qcvn102=None, code_qd20=None)
    at = dt.datetime(2025, 7, 14, 9, tzinfo=VN)
    for strategy, fragment in ((codes.Qcvn102CodeStrategy(), "QCVN 102:2016"),
                               (codes.Qd20CodeStrategy(), "20/2020/QĐ-TTg")):
        with pytest.raises(DomainError) as info:
            draw(agency, at, strategy)
        assert info.value.code == "agency_code_missing" and fragment in info.value.message
        assert agency.name in info.value.message


def test_daily_sequence_never_overflows_its_digits():
    agency = f.agency_make()
    DossierCounter.objects.create(agency=agency, day=dt.date(2025, 7, 14), last_value=9999)
    with pytest.raises(DomainError) as info:
        draw(agency, dt.datetime(2025, 7, 14, 9, tzinfo=VN))
    assert info.value.code == "dossier_sequence_exhausted" and "9.999" in info.value.message


def test_register_number_runs_through_the_year():
    agency = f.agency_make()
    with transaction.atomic():
        numbers = [codes.register_number_next(agency=agency, year=2025) for _ in range(3)]
        assert codes.register_number_next(agency=agency, year=2026) == 1
    assert numbers == [1, 2, 3]
    assert DossierRegisterCounter.objects.get(agency=agency, year=2025).last_value == 3


@pytest.mark.django_db(transaction=True)
def test_counters_refuse_to_run_outside_a_transaction():
    agency = f.agency_make()
    with pytest.raises(RuntimeError):
        codes.register_number_next(agency=agency, year=2025)


@pytest.mark.parametrize("value", ["", "000.00.05.H12-250714-001", "000.00.05.H12-2507140-0001", "abc",
                                   "000.00.05.Z12-250714-0001", "G09.20-2026060-0092637", "g09.20;-20260609-1"])
def test_malformed_codes(value):
    assert not codes.is_dossier_code(value)


def test_rolled_back_reception_gives_its_number_back():
    agency = f.agency_make()
    at = dt.datetime(2025, 7, 14, 9, tzinfo=VN)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        draw(agency, at)
        _ = 1 / 0
    assert draw(agency, at).endswith("-0001")
