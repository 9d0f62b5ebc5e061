"""Officers' work queues (issue 4, point 7): mine, due soon, overdue, by status.

Every queue starts from ``policies.dossiers_visible_to`` and filters on indexed columns (status, due_at,
current_handler); rows come with the columns a list shows, in one query.
"""

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from egov.accounts.roles import Role
from egov.core.errors import DomainError, NotFound
from egov.onestop.models import Dossier, DossierEvent, DossierStep, StepTiming
from egov.onestop.policies import dossiers_visible_to
from egov.onestop.status import IN_PROGRESS, PAUSED, UNRETURNED, DossierStatus
from egov.workdays.services import add_working_time

# Statuses whose clock runs: a paused dossier (supplement, payment) is waiting for the applicant.
RUNNING = frozenset(IN_PROGRESS - PAUSED)
QUEUES = {
    "mine": "Của tôi",
    "due_soon": "Sắp đến hạn",
    "overdue": "Quá hạn",
    "status": "Theo trạng thái",
}


def _base(user) -> QuerySet:
    return dossiers_visible_to(user, Dossier.objects.all()).select_related(
        "procedure", "current_agency", "current_handler", "current_step", "receiving_agency")


def _mine(user) -> Q:
    """Open work waiting for this official: steps he handles (current or consultation), steps of his unit
    (or agency) nobody has been assigned yet, and for one-stop officers the results to hand back."""
    official = getattr(user, "official", None)  # cached on the user by the visibility policy
    if official is not None and not official.is_active:
        official = None
    open_steps = DossierStep.objects.filter(finished_at__isnull=True)
    waiting = Q(handler=user)
    if official is not None:
        unassigned = Q(handler__isnull=True, agency_id=official.agency_id)
        if user.role != Role.LEADER:  # a leader sees every step of his agency waiting to be assigned
            unassigned &= Q(unit__isnull=True) | Q(unit_id=official.unit_id)
        waiting |= unassigned
    condition = Q(current_handler=user) | Q(pk__in=open_steps.filter(waiting).values("dossier_id"))
    if official is not None and user.role == Role.ONESTOP_OFFICER:
        condition |= Q(receiving_agency_id=official.agency_id, status__in=(DossierStatus.DONE,
                                                                           DossierStatus.REJECTED))
    return Q(status__in=UNRETURNED) & condition


def dossiers_mine(user) -> QuerySet:
    """The "Của tôi" tab (``_mine``), soonest due first."""
    if not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    return _base(user).filter(_mine(user)).order_by("due_at", "received_at")


def _due_soon(within_working_days, now: dt.datetime) -> Q:
    try:
        days = int(within_working_days)
    except (TypeError, ValueError):
        days = -1
    if days < 0 or days > 60:
        raise DomainError("invalid_days", "Số ngày làm việc sắp đến hạn phải từ 0 đến 60.")
    horizon = add_working_time(now, days=days, apply_cutoff=False)
    return Q(status__in=RUNNING, due_at__gte=now, due_at__lte=horizon)


def dossiers_due_soon(user, within_working_days=1, *, now: dt.datetime | None = None) -> QuerySet:
    """Running dossiers due from now up to ``within_working_days`` working days ahead."""
    condition = _due_soon(within_working_days, now or timezone.now())
    return _base(user).filter(condition).order_by("due_at", "received_at")


def _overdue(now: dt.datetime) -> Q:
    """Running dossiers past their due date (paused ones wait for the applicant and are not counted)."""
    return Q(status__in=RUNNING, due_at__lt=now)


def dossiers_overdue(user, *, now: dt.datetime | None = None) -> QuerySet:
    return _base(user).filter(_overdue(now or timezone.now())).order_by("due_at", "received_at")


def dossiers_by_status(user, status: str) -> QuerySet:
    if status not in DossierStatus.values:
        raise DomainError("invalid_status", f"Trạng thái hồ sơ không hợp lệ: “{status}”.")
    return _base(user).filter(status=status).order_by("-received_at", "-created_at")


def dossier_queue(user, queue: str, *, status: str | None = None, within_working_days=1) -> QuerySet:
    """One entry point for pages and the API."""
    if queue == "mine":
        return dossiers_mine(user)
    if queue == "due_soon":
        return dossiers_due_soon(user, within_working_days)
    if queue == "overdue":
        return dossiers_overdue(user)
    if queue == "status":
        if not status:
            return _base(user).order_by("-received_at", "-created_at")
        return dossiers_by_status(user, status)
    raise DomainError("invalid_queue", "Danh sách không hợp lệ: chọn của tôi, sắp đến hạn, quá hạn hoặc theo "
                      "trạng thái.")


def queue_counts(user, *, now: dt.datetime | None = None) -> dict[str, int]:
    """The three tabs' counts in one query over the visible dossiers not yet handed back (every tab is a part of
    them): the visibility subquery runs once instead of three times, the costliest part of the work queue."""
    if not getattr(user, "is_authenticated", False):
        return {"mine": 0, "due_soon": 0, "overdue": 0}
    now = now or timezone.now()
    visible = dossiers_visible_to(user, Dossier.objects.filter(status__in=UNRETURNED))
    return visible.aggregate(mine=Count("pk", filter=_mine(user)), due_soon=Count("pk", filter=_due_soon(1, now)),
                             overdue=Count("pk", filter=_overdue(now)))


def dossier_for(user, code: str) -> Dossier:
    """The dossier by its public code if the user may see it; 404 otherwise (existence is not revealed)."""
    code = (code or "").strip()
    dossier = (_base(user).select_related("procedure_version", "late_step", "received_by", "applicant_user")
               .filter(code=code).first()) if code and len(code) <= 40 else None
    if dossier is None:
        raise NotFound(f"Không tìm thấy hồ sơ “{code[:40]}” hoặc bạn không có quyền xem.", code="dossier_not_found")
    return dossier


def dossier_steps(dossier: Dossier) -> list[DossierStep]:
    return list(DossierStep.objects.filter(dossier=dossier)
                .select_related("agency", "unit", "handler", "finished_by").order_by("order"))


def dossier_events(dossier: Dossier) -> list[DossierEvent]:
    return list(DossierEvent.objects.filter(dossier=dossier)
                .select_related("actor", "agency", "unit", "step").order_by("seq"))


# --- Form 05 (processing control slip) and Form 06 (tracking register) --------------------------------------
TIMING_LABELS = dict(StepTiming.choices)
OUTCOME_LABELS = {
    "received": "Tiếp nhận", "done": "Chuyển bước tiếp theo", "sent_back": "Trả lại bước trước",
    "approved": "Phê duyệt", "rejected": "Từ chối giải quyết", "replied": "Đã trả lời xin ý kiến",
    "returned": "Đã trả kết quả", "stopped": "Dừng xử lý", "withdrawn": "Rút hồ sơ",
}
REGISTER_MAX_DAYS = 366
REGISTER_MAX_ROWS = 5000


def _holder_label(step: DossierStep) -> str:
    return f"{step.unit.name} – {step.agency.name}" if step.unit_id else step.agency.name


def _person(user) -> str:
    return str(user) if user is not None else ""


def handover_rows(dossier: Dossier, steps: list[DossierStep] | None = None) -> list[dict]:
    """One row per hand-over: who gave the dossier to whom, when, the receiving step's deadline and timing.

    A consultation is handed over by the step holding the dossier and does not take the dossier away."""
    steps = steps if steps is not None else dossier_steps(dossier)
    rows: list[dict] = []
    if not steps:
        return rows
    holder = steps[0]
    for step in steps[1:]:
        giver = holder
        note = "Xin ý kiến phối hợp" if step.is_consultation else OUTCOME_LABELS.get(step.outcome, "")
        if not step.finished_at:
            note = "Đang xử lý" if not step.is_consultation else "Đang chờ ý kiến"
        rows.append({
            "from_label": _holder_label(giver), "to_label": _holder_label(step), "step_name": step.name,
            "handed_at": step.started_at, "giver": _person(giver.finished_by or giver.handler),
            "receiver": _person(step.handler or step.finished_by), "deadline_at": step.deadline_at,
            "finished_at": step.finished_at, "timing": step.timing,
            "timing_label": TIMING_LABELS.get(step.timing, "Đang xử lý" if not step.finished_at else ""),
            "note": note, "is_consultation": step.is_consultation,
        })
        if not step.is_consultation:
            holder = step
    if dossier.returned_at:
        rows.append({
            "from_label": _holder_label(holder) if holder.agency_id == dossier.receiving_agency_id
            else dossier.receiving_agency.name,
            "to_label": f"Người nộp hồ sơ: {dossier.applicant_name}", "step_name": "Trả kết quả",
            "handed_at": dossier.returned_at, "giver": _person(holder.finished_by), "receiver": dossier.applicant_name,
            "deadline_at": dossier.due_at, "finished_at": dossier.returned_at, "timing": dossier.timing,
            "timing_label": TIMING_LABELS.get(dossier.timing, ""), "note": "Trả kết quả cho người nộp",
            "is_consultation": False,
        })
    return rows


def form05_context(dossier: Dossier, *, officer=None, at: dt.datetime | None = None) -> dict:
    from egov.onestop.reception import form_context

    steps = dossier_steps(dossier)
    late = next((s for s in steps if s.pk == dossier.late_step_id), None)
    return {
        **form_context(dossier, officer=officer, issued_at=at or timezone.now()),
        "rows": handover_rows(dossier, steps), "due_at": dossier.due_at, "original_due_at": dossier.original_due_at,
        "late_step_label": f"{late.name} ({_holder_label(late)})" if late else "",
    }


def register_rows(*, agency, start: dt.date, end: dt.date) -> list[dict]:
    """The tracking register (Form 06) of an agency's received dossiers, in register order."""
    if end < start:
        raise DomainError("invalid_period", "Ngày kết thúc phải sau ngày bắt đầu.")
    if (end - start).days >= REGISTER_MAX_DAYS:
        raise DomainError("period_too_long", f"Mỗi lần in sổ tối đa {REGISTER_MAX_DAYS} ngày.")
    tz = timezone.get_default_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    dossiers = (Dossier.objects.filter(receiving_agency=agency, code__isnull=False, received_at__gte=lo,
                                       received_at__lt=hi)
                .select_related("procedure", "current_agency")
                .prefetch_related(Prefetch("steps", queryset=DossierStep.objects.select_related("agency")
                                           .order_by("order")))
                .order_by("received_at", "register_number"))
    count = dossiers.count()
    if count > REGISTER_MAX_ROWS:
        raise DomainError("period_too_long", f"Kỳ đã chọn có {count} hồ sơ, quá {REGISTER_MAX_ROWS} dòng cho một "
                          "lần in; hãy chọn kỳ ngắn hơn.")
    rows = []
    for index, dossier in enumerate(dossiers, start=1):
        steps = [s for s in dossier.steps.all() if not s.is_consultation]
        transferred = steps[1].started_at if len(steps) > 1 else None
        outside = [s.agency for s in steps[1:] if s.agency_id != dossier.receiving_agency_id]
        lead = outside[-1].name if outside else dossier.receiving_agency.name if dossier.receiving_agency_id else ""
        note = DossierStatus(dossier.status).label
        if dossier.timing:
            note += f" – {TIMING_LABELS[dossier.timing]}"
        rows.append({
            "number": dossier.register_number or index, "code": dossier.code, "procedure": dossier.procedure.name,
            "copies": dossier.copies, "applicant": dossier.applicant_name,
            "contact": ", ".join(x for x in (dossier.applicant_address, dossier.applicant_phone) if x),
            "lead_agency": lead, "received_at": dossier.received_at, "due_at": dossier.due_at,
            "original_due_at": dossier.original_due_at if dossier.extended else None,
            "transferred_at": transferred, "finished_at": dossier.finished_at, "returned_at": dossier.returned_at,
            "note": note,
        })
    return rows


def form06_context(*, agency, start: dt.date, end: dt.date, officer=None) -> dict:
    rows = register_rows(agency=agency, start=start, end=end)
    return {
        "agency_name": agency.name, "agency_parent": agency.parent.name if agency.parent_id else "",
        "unit_label": "Bộ phận Tiếp nhận và Trả kết quả", "issued_at": timezone.now(), "rows": rows,
        "start": start, "end": end, "officer_name": _person(officer),
    }
