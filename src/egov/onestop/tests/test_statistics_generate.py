"""The data generator behind ``onestop_generate`` and the benchmark: a consistent small year whose aggregates
equal a count over the generated dossiers, unique codes in the legal layout continued by real receptions,
resumption after an interruption, placeholder agency codes, and the command itself."""

import datetime as dt
import random
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Q

from egov.directory.models import Agency
from egov.onestop import reception
from egov.onestop.codes import QCVN102_CODE_RE
from egov.onestop.generate import agencies_codes_ensure, generate_year, writer
from egov.onestop.generate.plan import timing_of as fast_timing_of
from egov.onestop.models import (
    Channel,
    Dossier,
    DossierCounter,
    DossierDailyStat,
    DossierEvent,
    DossierRegisterCounter,
    DossierStep,
    EventKind,
    OnlineMode,
    ProcedureVersion,
    StepTiming,
)
from egov.onestop.statistics import dossier_statistics
from egov.onestop.status import IN_PROGRESS, DossierStatus
from egov.onestop.tests.processing_world import build_world
from egov.onestop.workflow import timing_of
from egov.workdays import loader

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=VN)  # a Friday: the year so far is 01/01–20/03
N = 400

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(db):
    loader.reset()
    return build_world()


def naive_counts(year: int) -> dict:
    """The statistics' numbers per (day, agency, procedure, channel) counted over the dossier table."""
    counts = {}
    for d in Dossier.objects.all():
        day = (d.received_at or d.submitted_at).astimezone(VN).date()
        if day.year != year:
            continue
        key = (day, d.receiving_agency_id, d.procedure_id, d.channel)
        row = counts.setdefault(key, Counter())
        if d.received_at is None:
            row["refused"] += d.status == DossierStatus.REFUSED
            continue
        row["received"] += 1
        if d.timing:
            row[{"early": "finished_early", "on_time": "finished_on_time", "late": "finished_late"}[d.timing]] += 1
        row["withdrawn"] += d.status == DossierStatus.WITHDRAWN
        row["returned"] += d.returned_at is not None
    return {key: {k: v for k, v in row.items() if v} for key, row in counts.items()}


def aggregate_counts() -> dict:
    rows = {}
    for r in DossierDailyStat.objects.all():
        values = {name: getattr(r, name) for name in writer.STAT_COLUMNS if getattr(r, name)}
        rows[(r.day, r.agency_id, r.procedure_id, r.channel)] = values
    return rows


def test_a_small_year_is_consistent(w):
    ProcedureVersion.objects.filter(pk=w.version.pk).update(online_mode=OnlineMode.FULL)
    report = generate_year(n=N, year=2026, seed=7, now=NOW, batch_size=50)
    assert report.dossiers == N == Dossier.objects.count()
    assert report.steps == DossierStep.objects.count() and report.events == DossierEvent.objects.count()
    assert report.days_written == report.days_total > 40
    # Received on working days of 2026 up to "now", in office hours.
    received = Dossier.objects.exclude(received_at=None)
    first, last = received.order_by("received_at").first(), received.order_by("-received_at").first()
    assert first.received_at >= dt.datetime(2026, 1, 2, tzinfo=VN) and last.received_at <= NOW
    assert all(d.received_at.astimezone(VN).weekday() < 5 for d in received)

    # Codes: the legal layout, unique, per agency and day in sequence; counters continue after them.
    codes = list(received.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) and all(QCVN102_CODE_RE.fullmatch(c) for c in codes)
    top = (received.values("receiving_agency_id", "received_at__date")
           .annotate(n=Count("id"), top=Max("code")).order_by())
    for group in top:
        counter = DossierCounter.objects.get(agency_id=group["receiving_agency_id"], day=group["received_at__date"])
        assert counter.last_value == group["n"] == int(group["top"].rsplit("-", 1)[1])
    register = DossierRegisterCounter.objects.get(agency=w.commune, year=2026)
    assert register.last_value == received.filter(receiving_agency=w.commune).count() == \
        received.filter(receiving_agency=w.commune).aggregate(m=Max("register_number"))["m"]

    # A realistic mix, as of "now".
    statuses = Counter(Dossier.objects.values_list("status", flat=True))
    assert statuses[DossierStatus.RETURNED] > N * 0.6
    assert sum(statuses[s] for s in IN_PROGRESS) > 0 and statuses[DossierStatus.DONE] > 0
    timings = Counter(received.exclude(timing="").values_list("timing", flat=True))
    assert timings[StepTiming.LATE] > 0 and timings[StepTiming.EARLY] > timings[StepTiming.LATE]
    online = received.filter(channel=Channel.ONLINE).count() / received.count()
    assert 0.5 < online < 0.95  # the busier procedure is fully online here, the other partly
    assert received.filter(receiving_agency=w.department).exists()  # the province-level procedure
    assert len(set(received.values_list("applicant_name", flat=True))) > N / 4

    # Every dossier's history: contiguous events starting with the submission; steps in order; pointers inside.
    for d in Dossier.objects.prefetch_related("events", "steps")[:80]:
        events = list(d.events.all())
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        assert events[0].kind == EventKind.SUBMIT and events[-1].to_status == d.status
        assert all(a.at <= b.at for a, b in zip(events, events[1:], strict=False))
        steps = list(d.steps.all())
        assert [s.order for s in steps] == list(range(1, len(steps) + 1))
        if d.current_step_id:
            assert d.current_step.dossier_id == d.pk and d.current_step.finished_at is None
        if d.timing == StepTiming.LATE:
            assert d.late_step.dossier_id == d.pk
        if d.status == DossierStatus.RETURNED:
            assert d.returned_at >= d.finished_at >= d.received_at and d.current_step_id is None
        if d.received_at:
            assert d.due_at > d.received_at and d.steps.first().outcome == "received"

    # The aggregates are exactly what the transitions would have counted.
    assert aggregate_counts() == naive_counts(2026)
    stats = dossier_statistics(user=w.admin, date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31))
    assert stats.totals.received == received.count()
    assert stats.totals.in_progress == received.filter(status__in=IN_PROGRESS).count()
    assert stats.totals.late == timings[StepTiming.LATE]


def test_a_real_reception_continues_the_generated_sequence(w):
    generate_year(n=120, year=2026, seed=3, now=NOW)
    day = (Dossier.objects.filter(receiving_agency=w.commune).exclude(received_at=None)
           .order_by("-received_at").first().received_at.astimezone(VN))
    generated = Dossier.objects.filter(receiving_agency=w.commune, received_at__date=day.date()).count()
    dossier = reception.dossier_receive_at_counter(
        actor=w.officer, agency=w.commune, procedure_code=w.procedure.code,
        applicant=reception.Applicant(name="Lê Văn Thật", id_number="096090001111", address="Ấp 2", phone="0913000222",
                                      email=""),
        received_at=day.replace(hour=16, minute=30))
    assert dossier.code == f"{w.commune.code_qcvn102}-{day:%y%m%d}-{generated + 1:04d}"
    year_count = Dossier.objects.filter(receiving_agency=w.commune).exclude(received_at=None).count()
    assert dossier.register_number == year_count


def test_resumes_after_an_interruption(w, monkeypatch):
    calls = {"n": 0}
    original = writer.stats_add

    def failing(stats):
        calls["n"] += 1
        if calls["n"] == 6:
            raise RuntimeError("mất điện")
        original(stats)

    monkeypatch.setattr(writer, "stats_add", failing)
    with pytest.raises(RuntimeError):
        generate_year(n=150, year=2026, seed=5, now=NOW)
    partial = Dossier.objects.count()
    assert 0 < partial < 150
    monkeypatch.setattr(writer, "stats_add", original)
    report = generate_year(n=150, year=2026, seed=5, now=NOW)
    assert report.days_skipped == 5 and Dossier.objects.count() == 150
    assert report.dossiers == 150 - partial
    assert aggregate_counts() == naive_counts(2026)
    again = generate_year(n=150, year=2026, seed=5, now=NOW)
    assert again.dossiers == 0 and Dossier.objects.count() == 150


def test_same_seed_same_data(w):
    generate_year(n=60, year=2026, seed=11, now=NOW)
    first = list(Dossier.objects.order_by("code").values_list("code", "applicant_name", "status", "uuid"))
    Dossier.objects.update(current_step=None, late_step=None)
    DossierEvent.objects.all().delete()
    DossierStep.objects.all().delete()
    Dossier.objects.all().delete()
    DossierCounter.objects.all().delete()
    DossierRegisterCounter.objects.all().delete()
    DossierDailyStat.objects.all().delete()
    generate_year(n=60, year=2026, seed=11, now=NOW)
    assert list(Dossier.objects.order_by("code").values_list("code", "applicant_name", "status", "uuid")) == first


def test_placeholder_codes_for_agencies_without_one(w):
    bare = Agency.objects.create(code="XA-MOI", name="Ủy ban nhân dân xã Mới", abbreviation="UBND", kind="xa",
                                 parent=w.province)
    assigned = agencies_codes_ensure([bare, w.commune])
    bare.refresh_from_db()
    assert assigned == [f"Ủy ban nhân dân xã Mới: {bare.code_qcvn102}"]
    assert bare.code_qcvn102 == "000.00.01.H12" and "Mã định danh tạm" in bare.note
    generate_year(n=80, year=2026, seed=2, now=NOW)
    assert Dossier.objects.filter(receiving_agency=bare, code__startswith="000.00.01.H12-").exists()


def test_fast_timing_agrees_with_the_workflow_rule():
    rng = random.Random(1)
    base = dt.datetime(2026, 3, 2, 0, 0, tzinfo=VN)
    for _ in range(2000):
        finished = base + dt.timedelta(minutes=rng.randint(0, 60 * 24 * 10))
        deadline = base + dt.timedelta(minutes=rng.randint(0, 60 * 24 * 10))
        assert fast_timing_of(finished, deadline) == timing_of(finished, deadline)
    assert fast_timing_of(base, None) == timing_of(base, None)


def test_bad_arguments(w):
    from egov.core.errors import DomainError

    with pytest.raises(DomainError):
        generate_year(n=-1, year=2026, now=NOW)
    with pytest.raises(DomainError) as future:
        generate_year(n=10, year=2027, now=NOW)
    assert "tương lai" in future.value.message


def test_command_and_procedures_in_force(w, capsys):
    """Dossiers are generated only on days the procedures' rules were in force (the demo versions start on
    01/07/2025, when the two-tier local government began), so 2025 gets its second half only."""
    call_command("onestop_generate", "--n", "40", "--year", "2025", "--seed", "9", "--batch-size", "10")
    output = capsys.readouterr().out
    assert "đã sinh 40 hồ sơ" in output
    dossiers = Dossier.objects.all()
    assert dossiers.count() == 40
    assert not dossiers.filter(Q(submitted_at__lt=dt.datetime(2025, 7, 1, tzinfo=VN)) & ~Q(channel="online")).exists()
    assert not dossiers.filter(received_at__lt=dt.datetime(2025, 7, 1, tzinfo=VN)).exists()
    assert not dossiers.filter(received_at__year=2026).exists()
