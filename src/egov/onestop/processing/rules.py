"""Who may act on a dossier's steps, and the step mechanics every processing service shares:
resolving a catalogue step's agency and unit, deadlines from the workdays service, opening and closing
work items, issuing forms."""

import datetime as dt
import functools
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from egov.accounts.roles import Role
from egov.core.audit import audit_record
from egov.core.errors import DomainError, PermissionDeniedError
from egov.directory.models import Agency, Official, Unit
from egov.onestop import files as onestop_files
from egov.onestop.models import (
    Dossier,
    DossierFile,
    DossierStep,
    ProcessStep,
)
from egov.onestop.status import DossierStatus
from egov.onestop.workflow import timing_of
from egov.workdays.services import add_working_time

# NĐ 61/2018 Art. 19: a dossier found not eligible within this many working days of receipt restarts its clock.
RESTART_WINDOW_DAYS = Decimal(3)
# SPEC §1.4: the apology must reach the applicant at least this many working days before the due date.
APOLOGY_MIN_DAYS = Decimal(1)

ERR_DONE_ALREADY = "Hồ sơ đã kết thúc xử lý, không thể thực hiện thao tác này."


# --- who may act (processing rules that need the dossier's steps; listing rules live in policies.py) ------
def _official(user) -> Official | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    official = getattr(user, "official", None)
    if official is None or not official.is_active:
        return None
    return official


def _is_admin(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and (user.is_superuser or user.role == Role.SYSTEM_ADMIN))


def _in_agency(user, agency_id) -> bool:
    official = _official(user)
    return official is not None and official.agency_id == agency_id


def is_leader_of(user, agency_id) -> bool:
    """Leaders assign handlers and stop dossiers in their own agency."""
    return _is_admin(user) or (_in_agency(user, agency_id) and user.role == Role.LEADER)


def is_onestop_officer_of(user, agency_id) -> bool:
    return _is_admin(user) or (_in_agency(user, agency_id) and user.role == Role.ONESTOP_OFFICER)


def can_act_on_step(user, step: DossierStep | None) -> bool:
    """The step's handler; while nobody is assigned, an official of its agency (and unit) in the role the
    catalogue gives the step (a specialist does not approve in the leader's place); its leaders always."""
    if step is None or step.finished_at is not None:
        return False
    if _is_admin(user):
        return True
    official = _official(user)
    if official is None or official.agency_id != step.agency_id or user.role == Role.CITIZEN:
        return False
    if user.role == Role.LEADER or step.handler_id == user.pk:
        return True
    if step.handler_id is None:
        role = step.process_step.role if step.process_step_id else ""
        if role and user.role != role:
            return False
        return step.unit_id is None or official.unit_id == step.unit_id
    return False


def can_manage_deadline(user, dossier: Dossier, step: DossierStep | None) -> bool:
    """The apology (Form 04) comes from the processing agency; the one-stop unit records it (Art. 19)."""
    return can_act_on_step(user, step) or is_onestop_officer_of(user, dossier.receiving_agency_id)


def _require(condition: bool, message: str = "Bạn không có quyền thực hiện thao tác này với hồ sơ.") -> None:
    if not condition:
        raise PermissionDeniedError(message)


# --- small helpers ---------------------------------------------------------------------------------------
def _atomic_with_files(func):
    """One transaction, and files stored on the way removed again if it fails (storage is not transactional)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with onestop_files.delete_stored_files_on_error(), transaction.atomic():
            return func(*args, **kwargs)

    return wrapper


def _issue_form(*, dossier: Dossier, form_code: str, actor, at: dt.datetime, extra: dict,
                agency: Agency | None = None) -> DossierFile:
    """Print a form (PDF) from the dossier's data and keep it with the dossier, as issued."""
    from egov.onestop import reception

    context = {**reception.form_context(dossier, officer=actor, issued_at=at), **extra}
    if agency is not None and agency.pk != dossier.receiving_agency_id:
        context.update({"agency_name": agency.name, "agency_parent": agency.parent.name if agency.parent_id else "",
                        "unit_label": ""})
    return reception.dossier_form_store(dossier=dossier, form_code=form_code, context=context, actor=actor,
                                        on=timezone.localtime(at).date())


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _text(value: str | None, *, field: str, code: str = "reason_required", limit: int = 4000) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise DomainError(code, f"Cần nhập {field}.")
    if len(cleaned) > limit:
        raise DomainError("too_long", f"{field[:1].upper()}{field[1:]} dài quá {limit} ký tự.")
    return cleaned


def _require_status(dossier: Dossier, *allowed: str, message: str | None = None) -> None:
    if dossier.status not in allowed:
        current = DossierStatus(dossier.status).label
        raise DomainError("illegal_transition",
                          message or f"Không thể thực hiện thao tác này khi hồ sơ ở trạng thái “{current}”.",
                          status=409)


def _current_step(dossier: Dossier) -> DossierStep | None:
    if dossier.current_step_id is None:
        return None
    return DossierStep.objects.select_related("agency", "unit", "handler", "process_step").get(
        pk=dossier.current_step_id)


def _open_consultations(dossier: Dossier):
    return DossierStep.objects.filter(dossier=dossier, is_consultation=True, finished_at__isnull=True)


def _next_order(dossier: Dossier) -> int:
    last = DossierStep.objects.filter(dossier=dossier).order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


def _audit_side(*, actor, dossier: Dossier, kind: str, after: dict) -> None:
    audit_record(actor=actor, action=f"onestop.dossier.{kind}", obj=dossier,
                 object_id=dossier.code or str(dossier.uuid), after=after)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def step_agency(process_step: ProcessStep, dossier: Dossier) -> Agency:
    """Who performs a catalogue step: a named agency, else the receiving agency's nearest ancestor of the
    named kind (a commune's dossier going up to the province), else the receiving agency itself."""
    if process_step.agency_code:
        agency = Agency.objects.filter(
            Q(code__iexact=process_step.agency_code) | Q(code_qcvn102=process_step.agency_code.upper())
            | Q(code_qd20=process_step.agency_code.upper())).first()
        if agency is None:
            raise DomainError("unknown_agency",
                              f"Không tìm thấy cơ quan mã “{process_step.agency_code}” của bước “{process_step.name}”.")
        return agency
    kind = (process_step.agency_kind or "").strip()
    receiving = dossier.receiving_agency
    if not kind or receiving.kind == kind:
        return receiving
    current, seen = receiving, set()
    while current.parent_id is not None and current.parent_id not in seen:
        seen.add(current.pk)
        current = current.parent
        if current.kind == kind:
            return current
    candidates = list(Agency.objects.filter(kind=kind, is_active=True)[:2])
    if len(candidates) == 1:
        return candidates[0]
    raise DomainError("unknown_agency", f"Không xác định được cơ quan thực hiện bước “{process_step.name}”.")


def step_unit(process_step: ProcessStep, agency: Agency) -> Unit | None:
    name = (process_step.unit_name or "").strip()
    if not name:
        return None
    return Unit.objects.filter(agency=agency, name__iexact=name, is_active=True).first()


def step_deadline(*, start: dt.datetime, days=None, hours=None, agency: Agency | None,
                  apply_cutoff: bool = False) -> dt.datetime | None:
    """A step's own deadline from its allotted working time; a step without an allotment has none."""
    if hours:
        return add_working_time(start, hours=hours, agency=agency, apply_cutoff=apply_cutoff)
    if days is not None:
        return add_working_time(start, days=days, agency=agency, apply_cutoff=apply_cutoff)
    return None


def _process_steps(dossier: Dossier) -> list[ProcessStep]:
    """The sequential steps of the dossier's version; catalogue consultation steps run beside them."""
    return list(ProcessStep.objects.filter(version_id=dossier.procedure_version_id, is_consultation=False)
                .order_by("order"))


def consultation_templates(dossier: Dossier) -> list[ProcessStep]:
    """Consultations the catalogue foresees for this procedure (agency and allotted time preset)."""
    return list(ProcessStep.objects.filter(version_id=dossier.procedure_version_id, is_consultation=True)
                .order_by("order"))


def _reception_process_step_id(dossier: Dossier) -> int | None:
    """The catalogue step performed at reception: the one the dossier's first work item was made from."""
    first = DossierStep.objects.filter(dossier=dossier).order_by("order").first()
    return first.process_step_id if first is not None else None


def _following_steps(dossier: Dossier, after: ProcessStep | None) -> list[ProcessStep]:
    steps = _process_steps(dossier)
    if after is None:
        reception = _reception_process_step_id(dossier)
        return [s for s in steps if s.pk != reception]
    return [s for s in steps if s.order > after.order]


def _is_return_step(process_step: ProcessStep) -> bool:
    """The closing step of most procedures: the one-stop unit hands the result to the applicant."""
    return process_step.role == Role.ONESTOP_OFFICER and not process_step.agency_code and not process_step.agency_kind


def _start_step(*, dossier: Dossier, process_step: ProcessStep | None, at: dt.datetime, name: str = "",
                agency: Agency | None = None, unit: Unit | None = None, handler=None, days=None, hours=None,
                from_agency_id: int | None = None, is_consultation: bool = False) -> DossierStep:
    if process_step is not None:
        agency = agency or step_agency(process_step, dossier)
        unit = unit if unit is not None else step_unit(process_step, agency)
        name = name or process_step.name
        days = process_step.allotted_days if days is None and hours is None else days
        hours = process_step.allotted_hours if hours is None else hours
    # Art. 18: a hand-over to another agency after the 15:00 cut-off counts from the next working morning.
    crossing = from_agency_id is not None and agency.pk != from_agency_id
    deadline = step_deadline(start=at, days=days, hours=hours, agency=agency, apply_cutoff=crossing)
    return DossierStep.objects.create(
        dossier=dossier, order=_next_order(dossier), process_step=process_step, name=name[:255], agency=agency,
        unit=unit, handler=handler, started_at=at, deadline_at=deadline, is_consultation=is_consultation,
    )


def _finish_step(step: DossierStep, *, at: dt.datetime, actor, outcome: str) -> DossierStep:
    step.finished_at = at
    step.finished_by = actor if getattr(actor, "is_authenticated", False) else None
    step.outcome = outcome
    step.timing = timing_of(at, step.deadline_at)
    step.save(update_fields=["finished_at", "finished_by", "outcome", "timing", "updated_at"])
    return step


def _set_current(dossier: Dossier, step: DossierStep | None) -> None:
    dossier.current_step = step
    dossier.current_handler = step.handler if step is not None else None
    if step is not None:
        dossier.current_agency = step.agency


def _close_open_steps(dossier: Dossier, *, at: dt.datetime, actor, outcome: str) -> None:
    for step in DossierStep.objects.filter(dossier=dossier, finished_at__isnull=True):
        _finish_step(step, at=at, actor=actor, outcome=outcome)


def _handover_data(step: DossierStep) -> dict:
    return {"step": step.order, "step_name": step.name, "agency": step.agency.code,
            "unit": step.unit.name if step.unit_id else "", "deadline_at": _iso(step.deadline_at),
            "handler": step.handler.username if step.handler_id else ""}
