"""The one place a dossier changes status: checks the move, appends the event, keeps statistics current.

Every service in reception, processing, returns and e-services calls ``dossier_transition`` (or
``dossier_event_append`` for side events that do not change the status), inside its own transaction.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from egov.core.audit import audit_record
from egov.core.errors import DomainError
from egov.onestop.models import Dossier, DossierDailyStat, DossierEvent, DossierStep, StepTiming
from egov.onestop.status import TRANSITIONS, DossierStatus


def dossier_lock(dossier: Dossier) -> Dossier:
    """Re-read the dossier with a row lock so that two officers cannot move it at the same time."""
    return Dossier.objects.select_for_update().get(pk=dossier.pk)


def dossier_event_append(*, dossier: Dossier, kind: str, actor=None, note: str = "", data: dict | None = None,
                         step: DossierStep | None = None, deadline_at=None, from_status: str = "",
                         to_status: str = "", public: bool = True, at=None) -> DossierEvent:
    last = (DossierEvent.objects.filter(dossier=dossier).order_by("-seq").values_list("seq", flat=True).first()) or 0
    agency = step.agency if step is not None else dossier.current_agency
    return DossierEvent.objects.create(
        dossier=dossier, seq=last + 1, at=at or timezone.now(), kind=kind, from_status=from_status,
        to_status=to_status, actor=actor if getattr(actor, "is_authenticated", False) else None, agency=agency,
        unit=step.unit if step is not None else None, step=step, deadline_at=deadline_at, note=note,
        data=data or {}, public=public,
    )


def dossier_transition(*, dossier: Dossier, to: str, kind: str, actor=None, note: str = "",
                       data: dict | None = None, step: DossierStep | None = None, deadline_at=None,
                       audit_action: str | None = None, at=None) -> DossierEvent:
    """Move ``dossier`` (already locked by the caller) to status ``to`` and record why.

    Raises DomainError("illegal_transition") with a Vietnamese message when the move is not allowed, before
    writing anything. The writes join the caller's transaction without a savepoint of their own (two round
    trips saved on every move): should one fail, the whole service rolls back, as it must.
    """
    current = DossierStatus(dossier.status)
    target = DossierStatus(to)
    if target not in TRANSITIONS[current]:
        raise DomainError(
            "illegal_transition",
            f"Không thể chuyển hồ sơ từ trạng thái “{current.label}” sang “{target.label}”.",
            status=409,
        )
    before = {"status": current.value}
    with transaction.atomic(savepoint=False):
        dossier.status = target.value
        dossier.save()
        event = dossier_event_append(
            dossier=dossier, kind=kind, actor=actor, note=note, data=data, step=step, deadline_at=deadline_at,
            from_status=current.value, to_status=target.value, at=at,
        )
        stats_on_transition(dossier=dossier, to=target)
        audit_record(actor=actor, action=audit_action or f"onestop.dossier.{kind}", obj=dossier,
                     object_id=dossier.code or str(dossier.uuid), before=before,
                     after={"status": target.value, "note": note[:500]})
    return event


def _stat_row_filter(dossier: Dossier) -> dict:
    received = dossier.received_at or dossier.submitted_at or timezone.now()
    return {
        "day": timezone.localtime(received).date(),
        "agency_id": dossier.receiving_agency_id,
        "procedure_id": dossier.procedure_id,
        "channel": dossier.channel,
    }


def stats_bump(dossier: Dossier, **increments: int) -> None:
    """Add to the counters of the dossier's (day received, agency, procedure, channel) row."""
    key = _stat_row_filter(dossier)
    changes = {name: F(name) + value for name, value in increments.items()}
    if not DossierDailyStat.objects.filter(**key).update(**changes):  # the day's first: one query more
        DossierDailyStat.objects.get_or_create(**key)
        DossierDailyStat.objects.filter(**key).update(**changes)


def stats_on_transition(*, dossier: Dossier, to: DossierStatus) -> None:
    """Keep the daily aggregates current: counted by the day the dossier was received."""
    if to == DossierStatus.RECEIVED:
        stats_bump(dossier, received=1)
    elif to in (DossierStatus.DONE, DossierStatus.REJECTED):
        column = {StepTiming.EARLY: "finished_early", StepTiming.ON_TIME: "finished_on_time",
                  StepTiming.LATE: "finished_late"}.get(dossier.timing or StepTiming.ON_TIME)
        stats_bump(dossier, **{column: 1})
    elif to == DossierStatus.REFUSED:
        stats_bump(dossier, refused=1)
    elif to == DossierStatus.WITHDRAWN and dossier.received_at:
        stats_bump(dossier, withdrawn=1)
    elif to == DossierStatus.RETURNED:
        stats_bump(dossier, returned=1)


def timing_of(finished_at, deadline_at) -> str:
    """Early if finished before the due day, on time on the due day (by the deadline), late after it."""
    if deadline_at is None:
        return StepTiming.ON_TIME
    if finished_at > deadline_at:
        return StepTiming.LATE
    if timezone.localtime(finished_at).date() < timezone.localtime(deadline_at).date():
        return StepTiming.EARLY
    return StepTiming.ON_TIME
