"""``manage.py generate_province``: a small province-year on the test database is consistent (counts, register
numbers 1..N without gaps matching their counters, the one-stop aggregates equal to a recount), and a run
interrupted part-way (``--stop-after``) then run again completes without duplicates."""

import datetime as dt
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from egov.accounts.models import User
from egov.directory.models import Agency, Official
from egov.documents.generate.officials import PREFIX
from egov.documents.models import (
    Assignment,
    DocumentEvent,
    IncomingDocument,
    OutgoingDocument,
    RegisterCounter,
)
from egov.onestop.models import Dossier, DossierRegisterCounter
from egov.onestop.tests.test_statistics_generate import aggregate_counts, naive_counts
from egov.portal.models import ArticlePage, DirectiveItemPage

pytestmark = pytest.mark.django_db(transaction=False)

NOW = "2026-02-27T16:00:00+07:00"  # the year so far: about 38 working days (keeps the test short)
ARGS = ["--scale", "small", "--year", "2026", "--seed", "11", "--now", NOW, "--dossiers", "300",
        "--documents", "400", "--verbosity", "0"]


def _gapless(pairs) -> None:
    """``pairs`` of (series key, number): each series is exactly 1..N."""
    series = defaultdict(list)
    for key, number in pairs:
        series[key].append(number)
    assert series
    for numbers in series.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))


def _check_consistent() -> None:
    # Officials: every generated account has its official record, with a unit of its own agency.
    generated = User.objects.filter(username__startswith=PREFIX)
    assert generated.count() == Official.objects.filter(user__in=generated).count() > 100
    assert not Official.objects.filter(user__in=generated).exclude(unit__agency=F("agency")).exists()

    # Dossiers: the requested number, unique codes; yearly register numbers 1..N per agency = the counter.
    assert Dossier.objects.count() == 300
    received = Dossier.objects.exclude(received_at=None)
    assert received.values("code").distinct().count() == received.count()
    assert Dossier.objects.values("uuid").distinct().count() == 300
    _gapless(received.values_list("receiving_agency_id", "register_number"))
    for counter in DossierRegisterCounter.objects.filter(year=2026):
        assert counter.last_value == received.filter(receiving_agency_id=counter.agency_id).count()
    assert aggregate_counts() == naive_counts(2026)

    # Documents: the requested number; arrival and issue numbers 1..N per register and year, as the counters say.
    assert IncomingDocument.objects.count() + OutgoingDocument.objects.count() == 400
    incoming = IncomingDocument.objects.values_list("register_id", "arrival_year", "arrival_number")
    outgoing = OutgoingDocument.objects.values_list("register_id", "number_year", "number_value")
    _gapless(((r, y), n) for r, y, n in incoming)
    _gapless(((r, y), n) for r, y, n in outgoing)
    last = {(c.register_id, c.year): c.last_value for c in RegisterCounter.objects.all()}
    for register_id, year, count in [*IncomingDocument.objects.values_list("register_id", "arrival_year")
                                     .annotate(n=Count("id")).order_by(),
                                     *OutgoingDocument.objects.values_list("register_id", "number_year")
                                     .annotate(n=Count("id")).order_by()]:
        assert last[(register_id, year)] == count
    # Received and issued on working days in office hours, in time order within each register.
    for document in IncomingDocument.objects.order_by("register_id", "arrival_number")[:200]:
        local = document.received_at.astimezone(dt.timezone(dt.timedelta(hours=7)))
        assert local.weekday() < 5 and 7 <= local.hour < 17 and document.summary
    arrivals = list(IncomingDocument.objects.order_by("register_id", "arrival_number")
                    .values_list("register_id", "received_at"))
    assert all(a[1] <= b[1] for a, b in zip(arrivals, arrivals[1:], strict=False) if a[0] == b[0])
    # Every document has its history; a directed one its lead assignment with the same history.
    assert not IncomingDocument.objects.filter(events__isnull=True).exists()
    assert not OutgoingDocument.objects.filter(events__isnull=True).exists()
    assert Assignment.objects.count() == DocumentEvent.objects.filter(action="directed").count() > 0
    assert OutgoingDocument.objects.exclude(number_notation__contains="/").count() == 0

    # Portal items under their sections, once each.
    assert ArticlePage.objects.filter(slug__startswith="sinh-news-").count() == 30
    assert DirectiveItemPage.objects.filter(slug__startswith="sinh-directives-").count() == 20


def test_small_province_year_is_consistent_and_resumes_without_duplicates():
    # An interrupted first run: each part stops after 3 days (pages).
    call_command("generate_province", *ARGS, "--stop-after", "3")
    assert 0 < Dossier.objects.count() < 300
    assert 0 < IncomingDocument.objects.count() + OutgoingDocument.objects.count() < 400
    assert ArticlePage.objects.filter(slug__startswith="sinh-news-").count() == 3
    assert Agency.objects.exists()

    # The rerun completes; a third run adds nothing.
    call_command("generate_province", *ARGS)
    _check_consistent()
    counts = (Dossier.objects.count(), IncomingDocument.objects.count(), OutgoingDocument.objects.count(),
              DocumentEvent.objects.count(), User.objects.count())
    call_command("generate_province", *ARGS)
    assert counts == (Dossier.objects.count(), IncomingDocument.objects.count(), OutgoingDocument.objects.count(),
                      DocumentEvent.objects.count(), User.objects.count())
    _check_consistent()
