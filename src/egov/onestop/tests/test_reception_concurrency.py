"""Concurrent counter receptions for one agency and day: no duplicate code, no gap (PostgreSQL only)."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections

from egov.onestop import reception
from egov.onestop.models import Dossier, DossierCounter
from egov.onestop.tests import factories as f

VN = ZoneInfo("Asia/Ho_Chi_Minh")
THREADS = 24

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite serialises every writer, so it cannot show a race; run with DATABASE_URL "
                              "pointing at PostgreSQL"),
]


def test_parallel_receptions_get_consecutive_codes():
    agency = f.agency_make()
    officer = f.officer_make(agency)
    procedure = f.procedure_make()
    received_at = dt.datetime(2025, 7, 14, 10, 0, tzinfo=VN)
    barrier = threading.Barrier(THREADS)
    codes: list[str] = []
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            dossier = reception.dossier_receive_at_counter(
                actor=officer, agency=agency, procedure_code=procedure.code,
                applicant=reception.Applicant(name=f"Người nộp {index}"), papers=f.papers_for(procedure),
                received_at=received_at,
            )
            codes.append(dossier.code)
        except BaseException as exc:  # reported below with the thread's error
            errors.append(exc)
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert not errors, errors
    expected = [f"000.00.05.H12-250714-{n:04d}" for n in range(1, THREADS + 1)]
    assert sorted(codes) == expected
    assert sorted(Dossier.objects.values_list("code", flat=True)) == expected
    assert sorted(Dossier.objects.values_list("register_number", flat=True)) == list(range(1, THREADS + 1))
    assert DossierCounter.objects.get(agency=agency).last_value == THREADS
