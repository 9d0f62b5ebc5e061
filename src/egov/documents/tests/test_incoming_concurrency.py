"""Parallel registrations into one register: arrival numbers 1..N, no gap, no repeat (PostgreSQL only)."""

import threading

import pytest
from django.db import connection, connections

from egov.documents.models import IncomingDocument, RegisterCounter
from egov.documents.tests.world_incoming import register, world_make

THREADS = 24

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite serialises every writer, so it cannot show a race; run with DATABASE_URL "
                              "pointing at PostgreSQL"),
]


def test_parallel_registrations_get_consecutive_arrival_numbers():
    w = world_make()
    barrier = threading.Barrier(THREADS)
    numbers: list[int] = []
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            document = register(w, number=str(index + 1), summary=f"Văn bản đến thứ {index + 1}")
            numbers.append(document.arrival_number)
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
    assert sorted(numbers) == list(range(1, THREADS + 1))
    stored = sorted(IncomingDocument.objects.filter(register=w.register).values_list("arrival_number", flat=True))
    assert stored == list(range(1, THREADS + 1))
    assert RegisterCounter.objects.get(register=w.register, year=2026).last_value == THREADS
