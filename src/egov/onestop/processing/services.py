"""The processing services: every status change of a dossier between reception and return of the result."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from egov.accounts.roles import Role
from egov.core.errors import DomainError
from egov.directory.models import Agency, Official
from egov.onestop.models import (
    Dossier,
    DossierEvent,
    DossierStep,
    EventKind,
    FileRole,
    ProcessStep,
    StepTiming,
)
from egov.onestop.processing.results import _store_file
from egov.onestop.processing.rules import (
    APOLOGY_MIN_DAYS,
    ERR_DONE_ALREADY,
    RESTART_WINDOW_DAYS,
    _atomic_with_files,
    _audit_side,
    _close_open_steps,
    _current_step,
    _finish_step,
    _following_steps,
    _handover_data,
    _in_agency,
    _is_return_step,
    _iso,
    _issue_form,
    _now,
    _official,
    _open_consultations,
    _reception_process_step_id,
    _require,
    _require_status,
    _set_current,
    _start_step,
    _text,
    can_act_on_step,
    can_manage_deadline,
    is_leader_of,
    is_onestop_officer_of,
    step_agency,
    step_deadline,
    step_unit,
)
from egov.onestop.status import IN_PROGRESS, DossierStatus
from egov.onestop.workflow import dossier_event_append, dossier_lock, dossier_transition, timing_of
from egov.workdays.services import add_working_time, effective_receipt, is_working_day, working_time_between


# --- services ------------------------------------------------------------------------------------------------
@transaction.atomic
def dossier_start_processing(*, dossier: Dossier, actor, at: dt.datetime | None = None) -> Dossier:
    """RECEIVED → PROCESSING when the first processing step's unit takes the dossier up."""
    at = _now(at)
    dossier = dossier_lock(dossier)
    _require_status(dossier, DossierStatus.RECEIVED)
    step = _current_step(dossier)
    if step is None or step.finished_at is not None:
        following = _following_steps(dossier, step.process_step if step is not None else None)
        if not following:
            raise DomainError("no_step", "Thủ tục không có bước xử lý nào sau tiếp nhận; hãy trả kết quả ngay.",
                              status=409)
        step = _start_step(dossier=dossier, process_step=following[0], at=at,
                           from_agency_id=dossier.receiving_agency_id)
    _require(can_act_on_step(actor, step))
    if step.handler_id is None and _in_agency(actor, step.agency_id):
        step.handler = actor
        step.save(update_fields=["handler", "updated_at"])
    _set_current(dossier, step)
    dossier_transition(dossier=dossier, to=DossierStatus.PROCESSING, kind=EventKind.TRANSFER, actor=actor,
                       note=f"Bắt đầu xử lý: {step.name}", data=_handover_data(step), step=step,
                       deadline_at=step.deadline_at, at=at)
    return dossier


@transaction.atomic
def dossier_assign(*, dossier: Dossier, actor, handler, step: DossierStep | None = None,
                   at: dt.datetime | None = None) -> DossierStep:
    """A leader of the step's agency names its handler, an official of that agency (and unit, if set)."""
    at = _now(at)
    dossier = dossier_lock(dossier)
    if dossier.status not in IN_PROGRESS:
        raise DomainError("illegal_transition", ERR_DONE_ALREADY, status=409)
    if step is None:
        step = _current_step(dossier)
    else:
        step = DossierStep.objects.select_related("agency", "unit").get(pk=step.pk, dossier=dossier)
    if step is None or step.finished_at is not None:
        raise DomainError("no_open_step", "Hồ sơ không có bước đang xử lý để phân công.", status=409)
    _require(is_leader_of(actor, step.agency_id), "Chỉ lãnh đạo của cơ quan thực hiện bước này mới được phân công.")
    official = Official.objects.filter(user=handler, is_active=True).first() if handler is not None else None
    if (official is None or not handler.is_active or handler.role == Role.CITIZEN
            or official.agency_id != step.agency_id):
        raise DomainError("invalid_handler", f"Người được phân công phải là cán bộ của {step.agency.name}.")
    if step.unit_id and official.unit_id != step.unit_id and handler.role != Role.LEADER:
        raise DomainError("invalid_handler", f"Người được phân công phải thuộc {step.unit.name}.")
    previous = step.handler
    step.handler = handler
    step.save(update_fields=["handler", "updated_at"])
    if dossier.current_step_id == step.pk:
        dossier.current_handler = handler
        dossier.save(update_fields=["current_handler", "updated_at"])
    data = {"step": step.order, "handler": handler.username, "previous": previous.username if previous else ""}
    dossier_event_append(dossier=dossier, kind=EventKind.ASSIGN, actor=actor, step=step, deadline_at=step.deadline_at,
                         note=f"Phân công {handler} xử lý bước “{step.name}”", data=data, at=at, public=False)
    _audit_side(actor=actor, dossier=dossier, kind="assign", after=data)
    return step


@transaction.atomic
def dossier_step_complete(*, dossier: Dossier, actor, note: str = "", handler=None,
                          at: dt.datetime | None = None) -> DossierStep:
    """Finish the current step (with its timing) and hand the dossier over to the next catalogue step."""
    at = _now(at)
    dossier = dossier_lock(dossier)
    _require_status(dossier, DossierStatus.PROCESSING)
    step = _current_step(dossier)
    _require(can_act_on_step(actor, step))
    following = _following_steps(dossier, step.process_step)
    if not following:
        raise DomainError("last_step", "Đây là bước cuối cùng: hãy phê duyệt hoặc từ chối giải quyết hồ sơ.",
                          status=409)
    nxt = following[0]
    if _is_return_step(nxt):
        raise DomainError("last_step", "Bước tiếp theo là trả kết quả: hãy phê duyệt hoặc từ chối giải quyết hồ sơ.",
                          status=409)
    _finish_step(step, at=at, actor=actor, outcome="done")
    new = _start_step(dossier=dossier, process_step=nxt, at=at, from_agency_id=step.agency_id)
    if handler is not None:
        official = Official.objects.filter(user=handler, agency=new.agency, is_active=True).first()
        if official is None:
            raise DomainError("invalid_handler", f"Người nhận phải là cán bộ của {new.agency.name}.")
        new.handler = handler
        new.save(update_fields=["handler", "updated_at"])
    _set_current(dossier, new)
    data = {**_handover_data(new), "from_step": step.order, "from_timing": step.timing}
    dossier_transition(dossier=dossier, to=DossierStatus.PROCESSING, kind=EventKind.TRANSFER, actor=actor,
                       note=(note or "").strip()[:2000] or f"Chuyển bước “{new.name}”", data=data, step=new,
                       deadline_at=new.deadline_at, at=at)
    return new


@transaction.atomic
def dossier_send_back(*, dossier: Dossier, actor, reason: str, at: dt.datetime | None = None) -> DossierStep:
    """Return the dossier to the previous processing step (not to reception: that is a supplement request)."""
    at = _now(at)
    reason = _text(reason, field="lý do trả lại")
    dossier = dossier_lock(dossier)
    _require_status(dossier, DossierStatus.PROCESSING)
    step = _current_step(dossier)
    _require(can_act_on_step(actor, step))
    reception_id = _reception_process_step_id(dossier)
    current_order = step.process_step.order if step.process_step_id else None
    previous = (DossierStep.objects.filter(dossier=dossier, is_consultation=False, finished_at__isnull=False,
                                           process_step__isnull=False, order__lt=step.order)
                .exclude(process_step_id=reception_id).exclude(order=1)
                .select_related("process_step", "agency", "unit", "handler").order_by("-order"))
    if current_order is not None:
        previous = previous.filter(process_step__order__lt=current_order)
    target = previous.first()
    if target is None:
        raise DomainError("no_previous_step", "Không có bước xử lý trước để trả lại; nếu hồ sơ thiếu giấy tờ, "
                          "hãy yêu cầu bổ sung.", status=409)
    _finish_step(step, at=at, actor=actor, outcome="sent_back")
    new = _start_step(dossier=dossier, process_step=target.process_step, at=at, agency=target.agency,
                      unit=target.unit, handler=target.handler, from_agency_id=step.agency_id)
    _set_current(dossier, new)
    data = {**_handover_data(new), "from_step": step.order, "reason": reason}
    dossier_transition(dossier=dossier, to=DossierStatus.PROCESSING, kind=EventKind.SEND_BACK, actor=actor,
                       note=reason, data=data, step=new, deadline_at=new.deadline_at, at=at)
    return new


def restart_window_end(dossier: Dossier) -> dt.datetime | None:
    """The end of the 3 working days after receipt within which a not-eligible finding restarts the clock."""
    start = dossier.clock_start_at or dossier.received_at
    if start is None:
        return None
    return add_working_time(start, days=RESTART_WINDOW_DAYS, agency=dossier.receiving_agency)


def _clean_items(items) -> list[str]:
    if isinstance(items, str):
        items = items.splitlines()
    cleaned = [str(item).strip()[:500] for item in (items or []) if str(item).strip()]
    if not cleaned:
        raise DomainError("items_required", "Cần liệt kê ít nhất một giấy tờ cần bổ sung, hoàn thiện.")
    if len(cleaned) > 50:
        raise DomainError("too_many_items", "Danh sách giấy tờ cần bổ sung tối đa 50 mục.")
    return cleaned


@_atomic_with_files
def dossier_request_supplement(*, dossier: Dossier, actor, reason: str, items, at: dt.datetime | None = None
                               ) -> DossierEvent:
    """PROCESSING → SUPPLEMENT: the clock pauses. The event holds the content of Form 02 and whether the
    clock restarts from zero on resumption (not eligible, found within 3 working days of receipt)."""
    at = _now(at)
    reason = _text(reason, field="lý do yêu cầu bổ sung")
    items = _clean_items(items)
    dossier = dossier_lock(dossier)
    _require_status(dossier, DossierStatus.PROCESSING)
    step = _current_step(dossier)
    _require(can_act_on_step(actor, step))
    window_end = restart_window_end(dossier)
    restart = window_end is not None and at <= window_end
    dossier.paused_at = at
    official = _official(actor)
    data = {
        "reason": reason, "items": items, "restart": restart,
        "officer": str(actor), "officer_phone": (official.phone if official else "") or getattr(actor, "phone", ""),
        "agency": step.agency.name if step else dossier.current_agency.name, "form": "02",
    }
    event = dossier_transition(dossier=dossier, to=DossierStatus.SUPPLEMENT, kind=EventKind.REQUEST_SUPPLEMENT,
                               actor=actor, note=reason, data=data, step=step, at=at)
    _issue_form(dossier=dossier, form_code="02", actor=actor, at=at, extra={"items": items, "reason": reason},
                agency=step.agency if step else None)
    return event


def _resume(*, dossier: Dossier, at: dt.datetime, restart: bool) -> dict:
    """Move the due date (and open steps' deadlines) after a pause; the caller saves the dossier."""
    old_due = dossier.due_at
    agency = dossier.receiving_agency
    paused = working_time_between(dossier.paused_at, at, agency=agency) if dossier.paused_at else None
    paused_hours = paused.hours if paused else Decimal(0)
    if restart:
        from egov.onestop.reception import dossier_due  # the reception's rule (cut-off, receipt day counted or not)

        dossier.clock_start_at = effective_receipt(at, agency=agency)
        dossier.due_at = dossier_due(dossier.procedure_version, at, agency)
    elif paused and paused.working_time > dt.timedelta(0) and dossier.due_at:
        dossier.due_at = add_working_time(dossier.due_at, hours=paused_hours, agency=agency, apply_cutoff=False)
    for step in DossierStep.objects.filter(dossier=dossier, finished_at__isnull=True, deadline_at__isnull=False):
        if restart and step.process_step_id and not step.is_consultation:
            ps = step.process_step
            step.deadline_at = step_deadline(start=at, days=ps.allotted_days, hours=ps.allotted_hours,
                                             agency=step.agency) or step.deadline_at
        elif paused and paused.working_time > dt.timedelta(0):
            step.deadline_at = add_working_time(step.deadline_at, hours=paused_hours, agency=step.agency,
                                                apply_cutoff=False)
        step.save(update_fields=["deadline_at", "updated_at"])
    dossier.paused_at = None
    return {"restart": restart, "paused_hours": str(paused_hours), "old_due_at": _iso(old_due),
            "new_due_at": _iso(dossier.due_at)}


def _last_event(dossier: Dossier, kind: str) -> DossierEvent | None:
    return DossierEvent.objects.filter(dossier=dossier, kind=kind).order_by("-seq").first()


@_atomic_with_files
def dossier_supplement_received(*, dossier: Dossier, actor, note: str = "", files=(),
                                at: dt.datetime | None = None) -> DossierEvent:
    """SUPPLEMENT → PROCESSING when the applicant supplies (at the counter, or online by the applicant).

    SPEC §1.4: if the request came within 3 working days of receipt the processing time restarts from zero;
    otherwise the due date moves by the paused working time."""
    at = _now(at)
    dossier = dossier_lock(dossier)
    _require_status(dossier, DossierStatus.SUPPLEMENT)
    step = _current_step(dossier)
    is_applicant = dossier.applicant_user_id is not None and getattr(actor, "pk", None) == dossier.applicant_user_id
    _require(is_applicant or is_onestop_officer_of(actor, dossier.receiving_agency_id) or can_act_on_step(actor, step))
    request = _last_event(dossier, EventKind.REQUEST_SUPPLEMENT)
    restart = bool(request and request.data.get("restart"))
    stored = [_store_file(dossier=dossier, upload=f, actor=actor, role=FileRole.SUPPLEMENT) for f in files or ()]
    data = _resume(dossier=dossier, at=at, restart=restart)
    data["files"] = [str(f.uuid) for f in stored]
    if restart:
        message = "Đã nhận hồ sơ bổ sung; thời gian giải quyết được tính lại từ đầu."
    else:
        message = "Đã nhận hồ sơ bổ sung; hạn giải quyết được cộng thêm thời gian chờ bổ sung."
    return dossier_transition(dossier=dossier, to=DossierStatus.PROCESSING, kind=EventKind.SUPPLEMENT, actor=actor,
                              note=(note or "").strip()[:2000] or message, data=data, step=step,
                              deadline_at=dossier.due_at, at=at)


@transaction.atomic
def dossier_consult(*, dossier: Dossier, actor, content: str, agency: Agency | None = None, days=None,
                    hours=None, process_step: ProcessStep | None = None, at: dt.datetime | None = None
                    ) -> DossierStep:
    """Ask another agency's opinion (Art. 19): a consultation step with its own deadline; status CONSULTING.

    Either a consultation the catalogue foresees (``process_step``: agency and time preset) or any agency
    with a reply time when the procedure allows consultation. The consulted agency's officials then see the
    dossier (policies: steps__agency)."""
    at = _now(at)
    content = _text(content, field="nội dung xin ý kiến")
    dossier = dossier_lock(dossier)
    _require_status(dossier, DossierStatus.PROCESSING, DossierStatus.CONSULTING)
    unit = None
    if process_step is not None:
        if process_step.version_id != dossier.procedure_version_id or not process_step.is_consultation:
            raise DomainError("unknown_step", "Bước xin ý kiến không thuộc quy trình của hồ sơ này.")
        agency = step_agency(process_step, dossier)
        unit = step_unit(process_step, agency)
        if days is None and not hours:
            days, hours = process_step.allotted_days, process_step.allotted_hours
    elif not dossier.procedure_version.consultation_allowed:
        raise DomainError("consultation_not_allowed",
                          "Quy trình của thủ tục này không có bước lấy ý kiến cơ quan khác.", status=409)
    if days is None and not hours:
        raise DomainError("deadline_required", "Cần nhập thời hạn trả lời (số ngày hoặc số giờ làm việc).")
    step = _current_step(dossier)
    _require(can_act_on_step(actor, step))
    if agency is None or not agency.is_active:
        raise DomainError("unknown_agency", "Cần chọn cơ quan được xin ý kiến (đang hoạt động).")
    if agency.pk == step.agency_id:
        raise DomainError("same_agency", "Không thể xin ý kiến chính cơ quan đang xử lý hồ sơ.")
    if _open_consultations(dossier).filter(agency=agency).exists():
        raise DomainError("already_consulting", f"Đang chờ ý kiến của {agency.name}.", status=409)
    consult = _start_step(dossier=dossier, process_step=None, at=at, agency=agency, unit=unit,
                          name=process_step.name if process_step else f"Xin ý kiến {agency.name}", days=days,
                          hours=hours, from_agency_id=step.agency_id, is_consultation=True)
    if process_step is not None:
        consult.process_step = process_step
        consult.save(update_fields=["process_step", "updated_at"])
    data = {"step": consult.order, "agency": agency.code, "content": content, "deadline_at": _iso(consult.deadline_at),
            "from_step": step.order}
    if dossier.status == DossierStatus.CONSULTING:
        dossier_event_append(dossier=dossier, kind=EventKind.CONSULT, actor=actor, note=content, data=data,
                             step=consult, deadline_at=consult.deadline_at, at=at)
        _audit_side(actor=actor, dossier=dossier, kind="consult", after=data)
        return consult
    dossier_transition(dossier=dossier, to=DossierStatus.CONSULTING, kind=EventKind.CONSULT, actor=actor,
                       note=content, data=data, step=consult, deadline_at=consult.deadline_at, at=at)
    return consult


@transaction.atomic
def dossier_consult_reply(*, dossier: Dossier, actor, step: DossierStep, opinion: str,
                          at: dt.datetime | None = None) -> DossierStep:
    """The consulted agency answers; when no consultation is left open the dossier is back to PROCESSING."""
    at = _now(at)
    opinion = _text(opinion, field="ý kiến trả lời")
    dossier = dossier_lock(dossier)
    _require_status(dossier, DossierStatus.CONSULTING)
    consult = (DossierStep.objects.select_related("agency", "unit").filter(
        pk=getattr(step, "pk", None), dossier=dossier, is_consultation=True).first())
    if consult is None or consult.finished_at is not None:
        raise DomainError("no_open_step", "Không có yêu cầu xin ý kiến đang chờ trả lời.", status=409)
    _require(can_act_on_step(actor, consult), "Chỉ cơ quan được xin ý kiến mới trả lời được.")
    _finish_step(consult, at=at, actor=actor, outcome="replied")
    data = {"step": consult.order, "agency": consult.agency.code, "opinion": opinion, "timing": consult.timing}
    if _open_consultations(dossier).exists():
        dossier_event_append(dossier=dossier, kind=EventKind.CONSULT_REPLY, actor=actor, note=opinion, data=data,
                             step=consult, deadline_at=consult.deadline_at, at=at)
        _audit_side(actor=actor, dossier=dossier, kind="consult_reply", after=data)
    else:
        dossier_transition(dossier=dossier, to=DossierStatus.PROCESSING, kind=EventKind.CONSULT_REPLY, actor=actor,
                           note=opinion, data=data, step=consult, deadline_at=consult.deadline_at, at=at)
    return consult


@transaction.atomic
def dossier_request_payment(*, dossier: Dossier, actor, amount: int, content: str,
                            at: dt.datetime | None = None) -> DossierEvent:
    """PROCESSING → AWAITING_PAYMENT (tax, fee or charge): the clock pauses until it is paid."""
    at = _now(at)
    content = _text(content, field="nội dung nghĩa vụ tài chính")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise DomainError("invalid_amount", "Số tiền phải là số nguyên dương (đồng).")
    dossier = dossier_lock(dossier)
    _require_status(dossier, DossierStatus.PROCESSING)
    step = _current_step(dossier)
    _require(can_act_on_step(actor, step))
    dossier.paused_at = at
    return dossier_transition(dossier=dossier, to=DossierStatus.AWAITING_PAYMENT, kind=EventKind.REQUEST_PAYMENT,
                              actor=actor, note=content, data={"amount": amount, "content": content}, step=step, at=at)


@transaction.atomic
def dossier_payment_received(*, dossier: Dossier, actor, reference: str = "", at: dt.datetime | None = None
                             ) -> DossierEvent:
    """AWAITING_PAYMENT → PROCESSING; the due date moves by the paused working time.

    ``actor=None`` is the payment gateway's callback (the payments app); people must be the one-stop
    officer of the receiving agency or the handler."""
    at = _now(at)
    dossier = dossier_lock(dossier)
    _require_status(dossier, DossierStatus.AWAITING_PAYMENT)
    step = _current_step(dossier)
    if actor is not None:
        _require(is_onestop_officer_of(actor, dossier.receiving_agency_id) or can_act_on_step(actor, step))
    data = _resume(dossier=dossier, at=at, restart=False)
    data["reference"] = (reference or "").strip()[:200]
    return dossier_transition(dossier=dossier, to=DossierStatus.PROCESSING, kind=EventKind.PAYMENT, actor=actor,
                              note="Đã hoàn thành nghĩa vụ tài chính", data=data, step=step,
                              deadline_at=dossier.due_at, at=at)


def _head_of(agency: Agency, actor) -> str:
    """Form 04 is signed by the head of the processing agency: its leader, else the officer who drafts it."""
    leader = (Official.objects.filter(agency=agency, is_active=True, user__role=Role.LEADER, user__is_active=True)
              .select_related("user", "position").order_by("position__rank", "pk").first())
    return str(leader.user) if leader else str(actor)


def _as_due(value, agency: Agency) -> dt.datetime:
    """A new appointment: a datetime as given, or a date meaning the close of office hours that day."""
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value
    if isinstance(value, dt.date):
        if not is_working_day(value):
            raise DomainError("not_working_day", f"Ngày {value:%d/%m/%Y} không phải ngày làm việc.")
        midnight = timezone.make_aware(dt.datetime.combine(value, dt.time(0, 0)))
        # From the night before opening, zero working days end at that day's closing time.
        return add_working_time(midnight, days=0, agency=agency, apply_cutoff=False)
    raise DomainError("invalid_date", "Ngày hẹn trả kết quả mới không hợp lệ.")


@_atomic_with_files
def dossier_apologize(*, dossier: Dossier, actor, reason: str, new_due_at, at: dt.datetime | None = None
                      ) -> DossierEvent:
    """Form 04: apology and new appointment (Art. 19): once per dossier, while open, at least one working day
    before the due date, to a later date. Keeps the original due date."""
    at = _now(at)
    reason = _text(reason, field="lý do chậm trả kết quả")
    dossier = dossier_lock(dossier)
    if dossier.status not in IN_PROGRESS:
        raise DomainError("illegal_transition", ERR_DONE_ALREADY, status=409)
    step = _current_step(dossier)
    _require(can_manage_deadline(actor, dossier, step))
    if dossier.extended:
        raise DomainError("already_extended", "Hồ sơ đã được gia hạn một lần, không thể gia hạn lần nữa", status=409)
    if dossier.due_at is None:
        raise DomainError("no_due_date", "Hồ sơ chưa có hạn trả kết quả.", status=409)
    agency = dossier.receiving_agency
    new_due = _as_due(new_due_at, agency)
    if working_time_between(at, dossier.due_at, agency=agency).days < APOLOGY_MIN_DAYS:
        raise DomainError("apology_too_late", "Phải xin lỗi và hẹn lại ngày trả kết quả chậm nhất 01 ngày làm việc "
                          "trước hạn trả kết quả.", status=409)
    if new_due <= dossier.due_at:
        raise DomainError("new_date_not_later", "Ngày hẹn trả kết quả mới phải sau hạn trả kết quả hiện tại ("
                          f"{timezone.localtime(dossier.due_at):%d/%m/%Y %H:%M}).")
    old_due = dossier.due_at
    if dossier.original_due_at is None:
        dossier.original_due_at = old_due
    dossier.due_at = new_due
    dossier.extended = True
    dossier.save(update_fields=["original_due_at", "due_at", "extended", "updated_at"])
    official = _official(actor)
    data = {"reason": reason, "old_due_at": _iso(old_due), "new_due_at": _iso(new_due), "form": "04",
            "signer": str(actor), "agency": (official.agency.name if official else dossier.current_agency.name)}
    event = dossier_event_append(dossier=dossier, kind=EventKind.APOLOGY, actor=actor, note=reason, data=data,
                                 step=step, deadline_at=new_due, at=at)
    _audit_side(actor=actor, dossier=dossier, kind="apology", after=data)
    processing_agency = step.agency if step is not None else dossier.current_agency
    _issue_form(dossier=dossier, form_code="04", actor=actor, at=at, agency=processing_agency, extra={
        "receiving_agency_name": dossier.receiving_agency.name, "received_at": dossier.received_at,
        "old_due_at": old_due, "new_due_at": new_due, "reason": reason,
        "signer_title": "Thủ trưởng cơ quan", "signer_name": _head_of(processing_agency, actor),
    })
    return event




# --- the end of processing ----------------------------------------------------------------------------------
def _overrun(step: DossierStep) -> dt.timedelta:
    delta = working_time_between(step.deadline_at, step.finished_at, agency=step.agency)
    return delta.working_time


def dossier_late_step(dossier: Dossier) -> DossierStep | None:
    """Whose step made a late dossier late: the first step finished late, else the step that overran most."""
    steps = list(DossierStep.objects.filter(dossier=dossier, finished_at__isnull=False, deadline_at__isnull=False)
                 .order_by("finished_at", "order"))
    if not steps:
        return None
    for step in steps:
        if step.timing == StepTiming.LATE:
            return step
    return max(steps, key=_overrun)


def _finish_dossier(*, dossier: Dossier, at: dt.datetime) -> None:
    dossier.finished_at = at
    dossier.paused_at = None
    dossier.timing = timing_of(at, dossier.due_at)
    dossier.late_step = dossier_late_step(dossier) if dossier.timing == StepTiming.LATE else None


def _start_return_step(*, dossier: Dossier, after: ProcessStep | None, at: dt.datetime, from_agency_id: int
                       ) -> DossierStep | None:
    for process_step in _following_steps(dossier, after):
        if _is_return_step(process_step):
            return _start_step(dossier=dossier, process_step=process_step, at=at, agency=dossier.receiving_agency,
                               from_agency_id=from_agency_id)
    return None


@transaction.atomic
def dossier_approve(*, dossier: Dossier, actor, note: str = "", at: dt.datetime | None = None) -> Dossier:
    """Finish processing → DONE, with the dossier's timing and, when late, the step that made it late.

    Allowed on the last processing step (only the one-stop return step may follow), or straight from
    reception for results given on the spot."""
    at = _now(at)
    dossier = dossier_lock(dossier)
    _require_status(dossier, DossierStatus.PROCESSING, DossierStatus.RECEIVED)
    step = _current_step(dossier)
    open_step = step if step is not None and step.finished_at is None else None
    if open_step is not None:
        _require(can_act_on_step(actor, open_step))
        remaining = [s for s in _following_steps(dossier, open_step.process_step) if not _is_return_step(s)]
        if open_step.process_step_id is None:
            remaining = []
    else:
        _require(is_onestop_officer_of(actor, dossier.receiving_agency_id))
        remaining = [s for s in _following_steps(dossier, None) if not _is_return_step(s)]
    if remaining:
        raise DomainError("steps_remaining", f"Hồ sơ chưa qua đủ các bước xử lý: còn bước “{remaining[0].name}”.",
                          status=409)
    if open_step is not None:
        _finish_step(open_step, at=at, actor=actor, outcome="approved")
    _finish_dossier(dossier=dossier, at=at)
    from_agency = open_step.agency_id if open_step is not None else dossier.receiving_agency_id
    return_step = _start_return_step(dossier=dossier, after=open_step.process_step if open_step else None, at=at,
                                     from_agency_id=from_agency)
    _set_current(dossier, return_step)
    if return_step is None:
        dossier.current_agency = dossier.receiving_agency
    data = {"timing": dossier.timing, "due_at": _iso(dossier.due_at), "extended": dossier.extended,
            "late_step": dossier.late_step.order if dossier.late_step_id else None}
    dossier_transition(dossier=dossier, to=DossierStatus.DONE, kind=EventKind.APPROVE, actor=actor,
                       note=(note or "").strip()[:2000] or "Đã xử lý xong, chuyển kết quả về Bộ phận Một cửa.",
                       data=data, step=open_step, deadline_at=dossier.due_at, at=at)
    return dossier


@transaction.atomic
def dossier_reject(*, dossier: Dossier, actor, reason: str, at: dt.datetime | None = None) -> Dossier:
    """Refusal after appraisal (Art. 19): a written reason, recorded as the result to return."""
    at = _now(at)
    reason = _text(reason, field="lý do từ chối giải quyết")
    dossier = dossier_lock(dossier)
    _require_status(dossier, DossierStatus.PROCESSING)
    step = _current_step(dossier)
    _require(can_act_on_step(actor, step))
    _finish_step(step, at=at, actor=actor, outcome="rejected")
    _finish_dossier(dossier=dossier, at=at)
    return_step = _start_return_step(dossier=dossier, after=step.process_step, at=at, from_agency_id=step.agency_id)
    _set_current(dossier, return_step)
    if return_step is None:
        dossier.current_agency = dossier.receiving_agency
    data = {"reason": reason, "timing": dossier.timing, "result": "refusal"}
    dossier_transition(dossier=dossier, to=DossierStatus.REJECTED, kind=EventKind.REJECT, actor=actor, note=reason,
                       data=data, step=step, at=at)
    return dossier


@transaction.atomic
def dossier_stop(*, dossier: Dossier, actor, reason: str, at: dt.datetime | None = None) -> Dossier:
    """Stop processing (status 8), by a leader of the agency holding the dossier, with a reason."""
    at = _now(at)
    reason = _text(reason, field="lý do dừng xử lý")
    dossier = dossier_lock(dossier)
    if dossier.status not in IN_PROGRESS:
        raise DomainError("illegal_transition", ERR_DONE_ALREADY, status=409)
    _require(is_leader_of(actor, dossier.current_agency_id) or is_leader_of(actor, dossier.receiving_agency_id),
             "Chỉ lãnh đạo cơ quan đang giải quyết mới được dừng xử lý hồ sơ.")
    _close_open_steps(dossier, at=at, actor=actor, outcome="stopped")
    dossier.paused_at = None
    _set_current(dossier, None)
    dossier_transition(dossier=dossier, to=DossierStatus.STOPPED, kind=EventKind.STOP, actor=actor, note=reason,
                       data={"reason": reason}, at=at)
    return dossier


@transaction.atomic
def dossier_withdraw(*, dossier: Dossier, actor, reason: str = "", at: dt.datetime | None = None) -> Dossier:
    """The applicant withdraws (status 7): online by himself, or at the counter on his written request."""
    at = _now(at)
    dossier = dossier_lock(dossier)
    is_applicant = dossier.applicant_user_id is not None and getattr(actor, "pk", None) == dossier.applicant_user_id
    _require(is_applicant or is_onestop_officer_of(actor, dossier.receiving_agency_id))
    if not is_applicant:
        reason = _text(reason, field="căn cứ rút hồ sơ (đơn đề nghị của người nộp)")
    if dossier.status not in IN_PROGRESS and dossier.status not in (DossierStatus.SUBMITTED,
                                                                    DossierStatus.RECEPTION_SUPPLEMENT):
        raise DomainError("illegal_transition", ERR_DONE_ALREADY, status=409)
    _close_open_steps(dossier, at=at, actor=actor, outcome="withdrawn")
    dossier.paused_at = None
    _set_current(dossier, None)
    dossier_transition(dossier=dossier, to=DossierStatus.WITHDRAWN, kind=EventKind.WITHDRAW, actor=actor,
                       note=(reason or "").strip()[:2000] or "Người nộp rút hồ sơ", data={"reason": reason}, at=at)
    return dossier
