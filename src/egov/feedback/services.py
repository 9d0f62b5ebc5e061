"""Feedback workflow (NĐ 20/2008 Art. 9, 14; NĐ 43/2011 Art. 17): submit, receive into the register, classify,
handle, answer, publish. Each service checks the policy, writes, appends a FeedbackEvent and an audit entry.

States (SPEC §7.3): MOI → DA_TIEP_NHAN → KHONG_TIEP_NHAN | CHUYEN_CO_QUAN_KHAC | DANG_XU_LY → DA_XU_LY →
DA_CONG_KHAI, with CHO_BO_SUNG_THONG_TIN while the sender is asked for more. A forwarded item waits at the
competent agency in CHUYEN_CO_QUAN_KHAC until that agency receives it (new register number, new deadlines).
"""

import datetime as dt
import re
import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from egov.core.audit import audit_record, snapshot
from egov.core.errors import DomainError
from egov.core.policies import require
from egov.directory.models import Agency
from egov.directory.selectors import fold_text
from egov.feedback.conf import DEFAULT_SLA, default_agency_code
from egov.feedback.files import atomic_with_files, attachment_store, attachments_check
from egov.feedback.models import Classification, Feedback, FeedbackEvent, Kind, SlaRule, Status, Step
from egov.feedback.policies import can_handle_feedback
from egov.workdays.services import add_working_time

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
CODE_RE = re.compile(r"^PAKN-\d{4}-[A-Z0-9]{7}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LIMITS = {"sender_name": 150, "sender_address": 255, "sender_phone": 30, "sender_email": 254, "subject": 255,
          "content": 10000}
LABELS = {"sender_name": "Họ và tên", "sender_address": "Địa chỉ", "sender_phone": "Số điện thoại",
          "sender_email": "Thư điện tử", "subject": "Tiêu đề", "content": "Nội dung"}
AUDITED = ["code", "kind", "status", "agency", "forwarded_from", "classification", "register_number",
           "received_at", "forward_due_at", "forwarded_at", "due_at", "answered_at", "published_at"]


# --- SLA and codes -----------------------------------------------------------------------------------
def sla_days(*, kind: str, step: str) -> Decimal:
    """SLA(kind, step) in working days: a SlaRule row if an administrator set one, else the default."""
    rule = SlaRule.objects.filter(kind=kind, step=step).values_list("working_days", flat=True).first()
    return Decimal(rule) if rule is not None else DEFAULT_SLA[(kind, step)]


def _due(start: dt.datetime, days: Decimal, agency) -> dt.datetime:
    value = int(days) if days == days.to_integral_value() else days
    return add_working_time(start, days=value, agency=agency)


def code_generate(year: int) -> str:
    return f"PAKN-{year}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(7))


def normalize_code(raw: str | None) -> str:
    return "".join((raw or "").split()).upper()


def default_agency() -> Agency:
    agency = Agency.objects.filter(code=default_agency_code(), is_active=True).first()
    agency = agency or Agency.objects.filter(parent__isnull=True, is_active=True).order_by("pk").first()
    if agency is None:
        raise DomainError("no_agency", "Chưa có cơ quan tiếp nhận phản ánh, kiến nghị trong danh bạ.")
    return agency


# --- submission ----------------------------------------------------------------------------------------
def _clean(values: dict) -> dict:
    cleaned = {key: " ".join(str(values.get(key) or "").split()) for key in LIMITS if key != "content"}
    cleaned["content"] = str(values.get("content") or "").strip().replace("\r\n", "\n")
    for key in ("sender_name", "sender_address", "subject", "content"):
        if not cleaned[key]:
            raise DomainError("required", f"Vui lòng nhập {LABELS[key].lower()}.", details={"field": key})
    for key, limit in LIMITS.items():
        if len(cleaned[key]) > limit:
            raise DomainError("too_long", f"{LABELS[key]} dài quá {limit} ký tự.", details={"field": key})
    if not cleaned["sender_phone"] and not cleaned["sender_email"]:
        raise DomainError("contact_required", "Vui lòng nhập số điện thoại hoặc thư điện tử để cơ quan liên hệ, "
                                              "trả lời.", details={"field": "sender_phone"})
    if cleaned["sender_phone"] and not re.fullmatch(r"\+?[0-9 .()-]{8,20}", cleaned["sender_phone"]):
        raise DomainError("invalid_phone", "Số điện thoại không hợp lệ.", details={"field": "sender_phone"})
    if cleaned["sender_email"] and not EMAIL_RE.match(cleaned["sender_email"]):
        raise DomainError("invalid_email", "Địa chỉ thư điện tử không hợp lệ.", details={"field": "sender_email"})
    if len(cleaned["content"]) < 10:
        raise DomainError("content_too_short", "Nội dung quá ngắn; vui lòng trình bày rõ nội dung phản ánh, "
                                               "kiến nghị hoặc câu hỏi.", details={"field": "content"})
    return cleaned


def _event(feedback: Feedback, *, actor, action: str, from_status: str, note: str = "", at=None,
           due_at=None, agency=None) -> FeedbackEvent:
    """``agency`` is the agency that acted (the forwarding one for a forward); by default where the item is."""
    return FeedbackEvent.objects.create(
        feedback=feedback, at=at or timezone.now(), actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action, from_status=from_status, to_status=feedback.status, agency=agency or feedback.agency, note=note,
        due_at=due_at)


def _mail_on_commit(feedback: Feedback, what: str) -> None:
    from egov.notify.services import email_configured

    if feedback.sender_email and email_configured():
        from egov.feedback.tasks import feedback_mail_task

        uuid = str(feedback.uuid)
        transaction.on_commit(lambda: feedback_mail_task.enqueue(feedback_uuid=uuid, what=what))


@atomic_with_files
def feedback_submit(*, kind: str, sender_name: str, sender_address: str, subject: str, content: str,
                    sender_phone: str = "", sender_email: str = "", agency: Agency | None = None, files=(),
                    user=None, now: dt.datetime | None = None) -> Feedback:
    """A citizen's feedback or question (login optional). Checks the Art. 7 fields and the files; stores the
    record, its files and the first event in one transaction, then mails the tracking code if an e-mail is
    given. Fields are stored as typed: pages escape them."""
    if kind not in Kind.values:
        raise DomainError("invalid_kind", "Vui lòng chọn loại: phản ánh, kiến nghị hoặc hỏi đáp.",
                          details={"field": "kind"})
    cleaned = _clean({"sender_name": sender_name, "sender_address": sender_address, "sender_phone": sender_phone,
                      "sender_email": sender_email, "subject": subject, "content": content})
    if agency is not None and not agency.is_active:
        raise DomainError("invalid_agency", "Cơ quan đã chọn không còn hoạt động.", details={"field": "agency"})
    checked = attachments_check(files)
    now = now or timezone.now()
    target = agency or default_agency()
    user = user if getattr(user, "is_authenticated", False) else None
    for _ in range(5):
        try:
            with transaction.atomic():
                feedback = Feedback.objects.create(
                    code=code_generate(timezone.localtime(now).year), kind=kind, agency=target, submitted_at=now,
                    sender_user=user, search_text=fold_text(f"{cleaned['subject']} {cleaned['content']}"),
                    **cleaned)
            break
        except IntegrityError:  # the one-in-billions code collision: draw again
            continue
    else:
        raise DomainError("code_unavailable", "Không tạo được mã theo dõi, vui lòng gửi lại.")
    for item in checked:
        attachment_store(feedback=feedback, checked=item)
    _event(feedback, actor=user, action="submit", from_status="", at=now)
    audit_record(actor=user, action="feedback.submit", obj=feedback, after=snapshot(feedback, AUDITED),
                 extra={"attachments": len(checked)})
    _mail_on_commit(feedback, "submitted")
    return feedback


# --- staff workflow --------------------------------------------------------------------------------------
def _locked(feedback: Feedback, actor, allowed: tuple, action_label: str) -> Feedback:
    require(can_handle_feedback(actor, feedback), "Bạn không có quyền xử lý phản ánh, kiến nghị này.")
    fresh = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if fresh.status not in allowed:
        raise DomainError("invalid_state", f"Không thể {action_label} khi phản ánh, kiến nghị đang ở trạng thái "
                                           f"“{fresh.get_status_display()}”.", status=409)
    return fresh


def _finish(feedback: Feedback, *, actor, action: str, before: dict, from_status: str, note: str = "",
            at=None, due_at=None, agency=None) -> Feedback:
    feedback.save()
    _event(feedback, actor=actor, action=action, from_status=from_status, note=note, at=at, due_at=due_at,
           agency=agency)
    audit_record(actor=actor, action=f"feedback.{action}", obj=feedback, before=before,
                 after=snapshot(feedback, AUDITED))
    return feedback


@transaction.atomic
def feedback_receive(*, actor, feedback: Feedback, now: dt.datetime | None = None) -> Feedback:
    """Log the item in the agency's register (sổ tiếp nhận PAKN): number, receipt time, both deadlines."""
    fb = _locked(feedback, actor, (Status.MOI, Status.CHUYEN_CO_QUAN_KHAC), "tiếp nhận")
    before, from_status = snapshot(fb, AUDITED), fb.status
    now = now or timezone.now()
    Agency.objects.select_for_update().filter(pk=fb.agency_id).first()  # one register number at a time
    year = timezone.localtime(now).year
    last = Feedback.objects.filter(agency_id=fb.agency_id, register_year=year).aggregate(n=Max("register_number"))
    fb.register_year, fb.register_number = year, (last["n"] or 0) + 1
    fb.received_at = now
    fb.forward_due_at = _due(now, sla_days(kind=fb.kind, step=Step.FORWARD), fb.agency)
    fb.due_at = _due(now, sla_days(kind=fb.kind, step=Step.HANDLE), fb.agency)
    fb.classification, fb.status = "", Status.DA_TIEP_NHAN
    return _finish(fb, actor=actor, action="receive", before=before, from_status=from_status, at=now,
                   note=f"Vào sổ tiếp nhận số {fb.register_number}/{year}", due_at=fb.forward_due_at)


@transaction.atomic
def feedback_classify(*, actor, feedback: Feedback, classification: str, reason: str = "",
                      target_agency: Agency | None = None, now: dt.datetime | None = None) -> Feedback:
    """Art. 9 (4): not accepted (reason), conduct or outside competence (forward to ``target_agency``), or
    within competence (handling starts)."""
    fb = _locked(feedback, actor, (Status.DA_TIEP_NHAN,), "phân loại")
    before, from_status = snapshot(fb, AUDITED), fb.status
    now = now or timezone.now()
    reason = (reason or "").strip()
    if classification not in Classification.values:
        raise DomainError("invalid_classification", "Vui lòng chọn một cách phân loại.",
                          details={"field": "classification"})
    fb.classification, fb.reason = classification, reason
    note, due_at, acting = reason, fb.forward_due_at, fb.agency
    if classification == Classification.KHONG_TIEP_NHAN:
        if not reason:
            raise DomainError("reason_required", "Vui lòng nêu lý do không tiếp nhận.", details={"field": "reason"})
        fb.status = Status.KHONG_TIEP_NHAN
    elif classification in (Classification.HANH_VI, Classification.NGOAI_THAM_QUYEN):
        if target_agency is None or not target_agency.is_active or target_agency.pk == fb.agency_id:
            raise DomainError("target_required", "Vui lòng chọn cơ quan có thẩm quyền (khác cơ quan mình) để chuyển.",
                              details={"field": "target_agency"})
        fb.forwarded_from, fb.agency, fb.forwarded_at = fb.agency, target_agency, now
        # The number belonged to the forwarding agency's register (kept in its receive event); the competent
        # agency gives its own when it receives the item.
        fb.register_year = fb.register_number = None
        fb.status = Status.CHUYEN_CO_QUAN_KHAC
        note = f"Chuyển đến {target_agency.name}" + (f". {reason}" if reason else "")
    else:
        fb.status = Status.DANG_XU_LY
    _finish(fb, actor=actor, action="classify", before=before, from_status=from_status, note=note, at=now,
            due_at=due_at, agency=acting)
    if fb.status in (Status.KHONG_TIEP_NHAN, Status.CHUYEN_CO_QUAN_KHAC):
        _mail_on_commit(fb, "classified")  # the sender learns where the item went, or why it was refused
    return fb


@transaction.atomic
def feedback_request_info(*, actor, feedback: Feedback, note: str) -> Feedback:
    """Ask the sender for more (Art. 14: work with the sender if needed)."""
    fb = _locked(feedback, actor, (Status.DANG_XU_LY,), "đề nghị bổ sung thông tin")
    if not (note or "").strip():
        raise DomainError("note_required", "Vui lòng ghi nội dung cần bổ sung.", details={"field": "note"})
    before, from_status = snapshot(fb, AUDITED), fb.status
    fb.status = Status.CHO_BO_SUNG_THONG_TIN
    _finish(fb, actor=actor, action="request_info", before=before, from_status=from_status, note=note.strip())
    _mail_on_commit(fb, "info_requested")
    return fb


@transaction.atomic
def feedback_resume(*, actor, feedback: Feedback, note: str = "") -> Feedback:
    fb = _locked(feedback, actor, (Status.CHO_BO_SUNG_THONG_TIN,), "tiếp tục xử lý")
    before, from_status = snapshot(fb, AUDITED), fb.status
    fb.status = Status.DANG_XU_LY
    return _finish(fb, actor=actor, action="resume", before=before, from_status=from_status, note=(note or "").strip())


@transaction.atomic
def feedback_answer(*, actor, feedback: Feedback, answer: str, now: dt.datetime | None = None) -> Feedback:
    """The answer to the sender; on time when given by ``due_at``. Mailed to the sender if an e-mail is known."""
    fb = _locked(feedback, actor, (Status.DANG_XU_LY,), "trả lời")
    answer = (answer or "").strip()
    if len(answer) < 10:
        raise DomainError("answer_required", "Vui lòng nhập nội dung trả lời.", details={"field": "answer"})
    before, from_status = snapshot(fb, AUDITED), fb.status
    fb.answer, fb.answered_at, fb.answered_by = answer, now or timezone.now(), actor
    fb.status = Status.DA_XU_LY
    _finish(fb, actor=actor, action="answer", before=before, from_status=from_status, at=fb.answered_at,
            due_at=fb.due_at)
    _mail_on_commit(fb, "answered")
    return fb


@transaction.atomic
def feedback_publish(*, actor, feedback: Feedback, public_question: str = "",
                     now: dt.datetime | None = None) -> Feedback:
    """Publish an answer of general interest on the portal's Q&A page; ``public_question`` is the question as
    shown (personal details left out), by default the subject and content."""
    fb = _locked(feedback, actor, (Status.DA_XU_LY,), "công khai")
    before, from_status = snapshot(fb, AUDITED), fb.status
    fb.public_question = (public_question or "").strip() or fb.content
    fb.published_at = now or timezone.now()
    fb.search_text = fold_text(f"{fb.subject} {fb.public_question} {fb.answer}")
    fb.status = Status.DA_CONG_KHAI
    return _finish(fb, actor=actor, action="publish", before=before, from_status=from_status, at=fb.published_at)


def feedback_mail_send(*, feedback_uuid: str, what: str) -> bool:
    """The sender's e-mail: the tracking code after submission, or the notice that the answer is ready."""
    from django.conf import settings
    from django.core.mail import send_mail

    fb = Feedback.objects.filter(uuid=feedback_uuid).select_related("agency").first()
    if fb is None or not fb.sender_email:
        return False
    base = getattr(settings, "EGOV_BASE_URL", "").rstrip("/")
    link = f"{base}/phan-anh-kien-nghi/theo-doi/?ma={fb.code}"
    if what == "answered":
        title = f"Đã có trả lời phản ánh, kiến nghị {fb.code}"
        body = (f"Kính gửi {fb.sender_name},\n\n{fb.agency.name} đã trả lời phản ánh, kiến nghị “{fb.subject}”:\n\n"
                f"{fb.answer}\n\nTheo dõi: {link}")
    elif what == "info_requested":
        request = fb.events.filter(action="request_info").order_by("-at", "-id").first()
        title = f"Đề nghị bổ sung thông tin cho phản ánh, kiến nghị {fb.code}"
        body = (f"Kính gửi {fb.sender_name},\n\n{fb.agency.name} đề nghị bổ sung thông tin cho phản ánh, kiến nghị "
                f"“{fb.subject}”:\n\n{request.note if request else ''}\n\nVui lòng liên hệ cơ quan hoặc trả lời thư "
                f"này.\nTheo dõi: {link}")
    elif what == "classified" and fb.status == Status.KHONG_TIEP_NHAN:
        title = f"Phản ánh, kiến nghị {fb.code} không được tiếp nhận"
        body = (f"Kính gửi {fb.sender_name},\n\n{fb.agency.name} không tiếp nhận phản ánh, kiến nghị “{fb.subject}”."
                f"\nLý do: {fb.reason}\n\nTheo dõi: {link}")
    elif what == "classified":
        title = f"Phản ánh, kiến nghị {fb.code} đã được chuyển đến cơ quan có thẩm quyền"
        body = (f"Kính gửi {fb.sender_name},\n\nPhản ánh, kiến nghị “{fb.subject}” đã được chuyển đến {fb.agency.name}"
                f" để xem xét, xử lý theo thẩm quyền.\n\nTheo dõi: {link}")
    else:
        title = f"Mã theo dõi phản ánh, kiến nghị: {fb.code}"
        body = (f"Kính gửi {fb.sender_name},\n\nCổng thông tin đã nhận phản ánh, kiến nghị “{fb.subject}” và chuyển "
                f"đến {fb.agency.name}.\nMã theo dõi: {fb.code}\nTheo dõi tình trạng: {link}")
    send_mail(title, body, None, [fb.sender_email], fail_silently=False)
    return True
