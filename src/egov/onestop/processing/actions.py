"""What a user may do with a dossier now (the forms a page shows), and one dispatcher from an action
name and its fields to the service, shared by the pages and the API."""

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from egov.core.errors import DomainError
from egov.directory.models import Agency
from egov.onestop.models import (
    Dossier,
    DossierEvent,
    DossierStep,
    EventKind,
    ProcessStep,
)
from egov.onestop.processing.results import dossier_attach_result
from egov.onestop.processing.rules import (
    _current_step,
    _following_steps,
    _is_return_step,
    _now,
    _open_consultations,
    can_act_on_step,
    can_manage_deadline,
    consultation_templates,
    is_leader_of,
    is_onestop_officer_of,
)
from egov.onestop.processing.services import (
    dossier_apologize,
    dossier_approve,
    dossier_assign,
    dossier_consult,
    dossier_consult_reply,
    dossier_payment_received,
    dossier_reject,
    dossier_request_payment,
    dossier_request_supplement,
    dossier_send_back,
    dossier_start_processing,
    dossier_step_complete,
    dossier_stop,
    dossier_supplement_received,
    dossier_withdraw,
)
from egov.onestop.status import IN_PROGRESS, DossierStatus

# --- what the user may do now (pages show these forms; the services decide) --------------------------------
ACTION_LABELS = {
    "start": "Bắt đầu xử lý",
    "assign": "Phân công xử lý",
    "complete": "Chuyển bước tiếp theo",
    "send_back": "Trả lại bước trước",
    "request_supplement": "Yêu cầu bổ sung hồ sơ",
    "supplement_received": "Nhận hồ sơ bổ sung",
    "consult": "Xin ý kiến cơ quan khác",
    "consult_reply": "Trả lời xin ý kiến",
    "request_payment": "Yêu cầu thực hiện nghĩa vụ tài chính",
    "payment_received": "Xác nhận đã nộp phí, lệ phí",
    "apologize": "Xin lỗi và hẹn lại ngày trả (Mẫu 04)",
    "attach_result": "Đính kèm kết quả (PDF)",
    "approve": "Phê duyệt, hoàn thành xử lý",
    "reject": "Từ chối giải quyết",
    "stop": "Dừng xử lý",
    "withdraw": "Rút hồ sơ theo đề nghị của người nộp",
    "return_result": "Trả kết quả",
    "notify_early_return": "Thông báo trả kết quả sớm",
    "rate": "Đánh giá tại quầy",
}


def open_consultations_for(user, dossier: Dossier) -> list[DossierStep]:
    return [s for s in _open_consultations(dossier).select_related("agency", "unit", "handler")
            if can_act_on_step(user, s)]


def available_actions(user, dossier: Dossier, *, now: dt.datetime | None = None) -> list[str]:
    """The actions whose forms make sense for ``user`` on ``dossier`` in its current status."""
    now = _now(now)
    status = dossier.status
    step = _current_step(dossier)
    open_step = step if step is not None and step.finished_at is None else None
    on_step = can_act_on_step(user, open_step)
    officer = is_onestop_officer_of(user, dossier.receiving_agency_id)
    leader_here = is_leader_of(user, dossier.current_agency_id) or is_leader_of(user, dossier.receiving_agency_id)
    actions: list[str] = []
    running = status in (DossierStatus.RECEIVED, DossierStatus.PROCESSING)
    if status == DossierStatus.RECEIVED and (on_step or (open_step is None and officer)):
        actions.append("start")
    if status in IN_PROGRESS and (
            (open_step is not None and is_leader_of(user, open_step.agency_id))
            or any(is_leader_of(user, s.agency_id) for s in _open_consultations(dossier))):
        actions.append("assign")
    if status == DossierStatus.PROCESSING and on_step:
        following = _following_steps(dossier, open_step.process_step) if open_step.process_step_id else []
        if following and not _is_return_step(following[0]):
            actions.append("complete")
        else:
            actions.append("approve")
        actions += ["send_back", "request_supplement", "request_payment", "reject"]
        if dossier.procedure_version.consultation_allowed or consultation_templates(dossier):
            actions.append("consult")
    if status == DossierStatus.CONSULTING:
        if open_consultations_for(user, dossier):
            actions.append("consult_reply")
        if on_step:
            actions.append("consult")
    if status == DossierStatus.SUPPLEMENT and (officer or on_step):
        actions.append("supplement_received")
    if status == DossierStatus.AWAITING_PAYMENT and (officer or on_step):
        actions.append("payment_received")
    if (status in IN_PROGRESS and not dossier.extended and dossier.due_at is not None
            and can_manage_deadline(user, dossier, open_step)):
        actions.append("apologize")
    if (running or status in (DossierStatus.DONE, DossierStatus.REJECTED)) and (on_step or officer):
        actions.append("attach_result")
    if status in IN_PROGRESS and leader_here:
        actions.append("stop")
    if status in IN_PROGRESS and officer:
        actions.append("withdraw")
    if status in (DossierStatus.DONE, DossierStatus.REJECTED) and officer:
        actions.append("return_result")
        if (status == DossierStatus.DONE and dossier.due_at and now < dossier.due_at
                and not DossierEvent.objects.filter(dossier=dossier, kind=EventKind.EARLY_NOTICE).exists()):
            actions.append("notify_early_return")
    if (status in (DossierStatus.DONE, DossierStatus.REJECTED, DossierStatus.RETURNED) and officer
            and not dossier_is_rated(dossier)):
        actions.append("rate")
    return [a for a in ACTION_LABELS if a in actions]


def dossier_is_rated(dossier: Dossier) -> bool:
    from egov.onestop.models import Rating

    return Rating.objects.filter(dossier=dossier).exists()


# --- one dispatcher for pages and the API --------------------------------------------------------------------
def _user_by(ref):
    from egov.accounts.models import User

    text = str(ref or "").strip()
    if not text:
        raise DomainError("handler_required", "Cần chọn cán bộ (tên đăng nhập hoặc UUID).")
    user = User.objects.filter(username=text).first()
    if user is None:
        try:
            key = uuid.UUID(text)
        except ValueError:
            key = None
        user = User.objects.filter(uuid=key).first() if key else None
    if user is None:
        raise DomainError("unknown_user", f"Không tìm thấy cán bộ “{text[:60]}”.")
    return user


def _agency_by(code) -> Agency:
    text = str(code or "").strip()
    agency = Agency.objects.filter(code__iexact=text).first() if text else None
    if agency is None:
        if not text:
            raise DomainError("agency_required", "Cần chọn cơ quan được xin ý kiến.")
        raise DomainError("unknown_agency", f"Không tìm thấy cơ quan mã “{text[:40]}”.")
    return agency


def parse_days(raw) -> Decimal | None:
    """Working days as typed: "1", "0,5", "2.5"."""
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise DomainError("invalid_days", "Số ngày làm việc phải là một số, ví dụ 1 hoặc 0,5.") from None
    if not value.is_finite() or value <= 0 or value > 365:
        raise DomainError("invalid_days", "Số ngày làm việc phải lớn hơn 0 và không quá 365.")
    return value


def parse_int(raw, *, field: str, code: str) -> int | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    text = str(raw).strip().replace(".", "").replace(" ", "")
    if not text.isdigit() or len(text) > 15:
        raise DomainError(code, f"{field} phải là số nguyên dương.")
    return int(text)


def parse_new_due(raw) -> dt.date | dt.datetime:
    """A new appointment as typed: dd/mm/yyyy, YYYY-MM-DD, or an ISO date-time (Vietnam time if no offset)."""
    if isinstance(raw, dt.date):
        return raw
    text = str(raw or "").strip()
    if not text:
        raise DomainError("date_required", "Cần nhập ngày hẹn trả kết quả mới.")
    try:
        if len(text) <= 10:
            if "/" in text:
                return dt.datetime.strptime(text, "%d/%m/%Y").date()
            return dt.date.fromisoformat(text)
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise DomainError("invalid_date", f"Ngày hẹn mới “{text[:30]}” không hợp lệ (dd/mm/yyyy hoặc "
                          "YYYY-MM-DD).") from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _items_of(raw) -> list[str]:
    if isinstance(raw, str):
        return raw.splitlines()
    return list(raw or [])


def _step_by_order(dossier: Dossier, order) -> DossierStep:
    number = parse_int(order, field="Bước xử lý", code="unknown_step")
    step = DossierStep.objects.filter(dossier=dossier, order=number).first() if number else None
    if step is None:
        raise DomainError("unknown_step", "Cần chọn bước xử lý của hồ sơ.")
    return step


def _consultation_by_order(dossier: Dossier, order) -> ProcessStep:
    number = parse_int(order, field="Bước xin ý kiến", code="unknown_step")
    found = ProcessStep.objects.filter(version_id=dossier.procedure_version_id, order=number,
                                       is_consultation=True).first()
    if found is None:
        raise DomainError("unknown_step", "Quy trình của thủ tục không có bước xin ý kiến đã chọn.")
    return found


def dossier_action_run(*, user, dossier: Dossier, action: str, fields: dict, files=()) -> None:
    """Call the service behind ``action`` with the fields it reads; pages and the API share this."""
    from egov.onestop import returns

    f = dict(fields or {})
    common = {"dossier": dossier, "actor": user}

    def text(name: str) -> str:
        return str(f.get(name) or "")

    if action == "start":
        dossier_start_processing(**common)
    elif action == "assign":
        step = _step_by_order(dossier, f["step"]) if f.get("step") else None
        dossier_assign(**common, handler=_user_by(f.get("handler")), step=step)
    elif action == "complete":
        handler = _user_by(f["handler"]) if f.get("handler") else None
        dossier_step_complete(**common, note=text("note"), handler=handler)
    elif action == "send_back":
        dossier_send_back(**common, reason=text("reason"))
    elif action == "request_supplement":
        dossier_request_supplement(**common, reason=text("reason"), items=_items_of(f.get("items")))
    elif action == "supplement_received":
        dossier_supplement_received(**common, note=text("note"), files=files)
    elif action == "consult":
        if f.get("consultation"):
            dossier_consult(**common, content=text("content"),
                            process_step=_consultation_by_order(dossier, f["consultation"]))
        else:
            dossier_consult(**common, content=text("content"), agency=_agency_by(f.get("agency")),
                            days=parse_days(f.get("days")),
                            hours=parse_int(f.get("hours"), field="Số giờ", code="invalid_hours"))
    elif action == "consult_reply":
        dossier_consult_reply(**common, step=_step_by_order(dossier, f.get("step")), opinion=text("opinion"))
    elif action == "request_payment":
        amount = parse_int(f.get("amount"), field="Số tiền", code="invalid_amount") or 0
        dossier_request_payment(**common, amount=amount, content=text("content"))
    elif action == "payment_received":
        dossier_payment_received(**common, reference=text("reference"))
    elif action == "apologize":
        dossier_apologize(**common, reason=text("reason"), new_due_at=parse_new_due(f.get("new_due_at")))
    elif action == "attach_result":
        upload = next(iter(files or ()), None)
        if upload is None:
            raise DomainError("file_required", "Cần chọn tệp kết quả (PDF).")
        dossier_attach_result(**common, upload=upload, title=text("title"))
    elif action == "approve":
        dossier_approve(**common, note=text("note"))
    elif action == "reject":
        dossier_reject(**common, reason=text("reason"))
    elif action == "stop":
        dossier_stop(**common, reason=text("reason"))
    elif action == "withdraw":
        dossier_withdraw(**common, reason=text("reason"))
    elif action == "return_result":
        returns.dossier_return_result(**common, channel=text("channel"), note=text("note"),
                                      post_tracking=text("post_tracking"))
    elif action == "notify_early_return":
        returns.dossier_notify_early_return(**common, message=text("message"))
    else:
        raise DomainError("unknown_action", f"Không có thao tác “{str(action)[:40]}”.", status=404)
