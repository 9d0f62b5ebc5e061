"""Property test: any sequence of processing actions, by anyone, with any typed values, either works or is
refused with a DomainError (never another exception), and the dossier's record stays consistent."""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov.core.errors import DomainError
from egov.onestop import processing as P
from egov.onestop.models import DossierEvent, DossierStep, EventKind
from egov.onestop.status import PAUSED, TRANSITIONS, DossierStatus
from egov.onestop.tests.processing_world import build_world, receive
from egov.workdays import loader

ACTIONS = [a for a in P.ACTION_LABELS if a != "rate"] + ["teleport"]
ACTORS = ["specialist", "specialist2", "leader", "officer", "dept_specialist", "dept_leader", "outsider", "citizen"]
CLOSED_NO_WORK = {DossierStatus.STOPPED, DossierStatus.WITHDRAWN, DossierStatus.RETURNED}

texts = st.one_of(st.just(""), st.just("   "), st.text(max_size=30), st.sampled_from(["Thiếu giấy tờ", "Đồng ý"]))
dates = st.one_of(
    texts,
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)).map(dt.date.isoformat),
    st.integers(min_value=-3, max_value=40).map(
        lambda n: (timezone.localdate() + dt.timedelta(days=n)).strftime("%d/%m/%Y")),
)
numbers = st.one_of(st.none(), st.integers(min_value=-5, max_value=10**12), texts)
fields = st.fixed_dictionaries({}, optional={
    "reason": texts, "note": texts, "content": texts, "opinion": texts, "message": texts,
    "items": st.one_of(texts, st.lists(texts, max_size=3)),
    "handler": st.one_of(st.sampled_from(["tuphap.ax", "tuphap2.ax", "chutich.ax", "datdai.snnmt", "khong-co"]),
                         texts),
    "agency": st.one_of(st.sampled_from(["SNNMT", "XA-TB", "UBND-T", "XA-AX", "???"]), texts),
    "step": numbers, "consultation": numbers, "days": numbers, "hours": numbers, "amount": numbers,
    "new_due_at": dates, "channel": st.one_of(st.sampled_from(["counter", "post", "online"]), texts),
    "post_tracking": texts, "reference": texts,
})
operations = st.lists(st.tuples(st.sampled_from(ACTIONS), st.sampled_from(ACTORS), fields), max_size=10)


@pytest.fixture
def world(db):
    loader.reset()
    return build_world()


def check_invariants(dossier):
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    moves = [e for e in events if e.from_status]
    for event in moves:
        assert DossierStatus(event.to_status) in TRANSITIONS[DossierStatus(event.from_status)]
    assert (moves[-1].to_status if moves else DossierStatus.RECEIVED) == dossier.status
    open_steps = DossierStep.objects.filter(dossier=dossier, finished_at__isnull=True)
    assert open_steps.filter(is_consultation=False).count() <= 1
    consulting = open_steps.filter(is_consultation=True).exists()
    assert consulting == (dossier.status == DossierStatus.CONSULTING)
    if dossier.status in CLOSED_NO_WORK:
        assert not open_steps.exists()
    if dossier.status in (DossierStatus.RECEIVED, DossierStatus.PROCESSING):
        assert dossier.current_step is not None and dossier.current_step.finished_at is None
    assert (dossier.paused_at is not None) == (dossier.status in PAUSED)
    apologies = DossierEvent.objects.filter(dossier=dossier, kind=EventKind.APOLOGY).count()
    assert apologies == (1 if dossier.extended else 0)
    if dossier.extended:
        assert dossier.due_at > dossier.original_due_at or dossier.status in PAUSED or apologies == 1


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(ops=operations, inter=st.booleans())
def test_any_sequence_of_actions_is_applied_or_refused_cleanly(world, ops, inter):
    dossier = receive(world, when=timezone.now(), procedure=world.inter_procedure if inter else None,
                      applicant_user=world.citizen)
    for action, who, values in ops:
        try:
            P.dossier_action_run(user=getattr(world, who), dossier=dossier, action=action, fields=values)
        except DomainError as error:
            assert 400 <= error.status < 500 and error.message
        dossier.refresh_from_db()
        check_invariants(dossier)
