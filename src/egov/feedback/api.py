"""Feedback API (/api/v1/feedback/): public submission and status by code (no login, rate-limited per
client), and the staff register and actions for logged-in officials under the same policies as the pages.

Staff operations need a person (the policies decide by the official's agency and role), so token clients get
403 there. An item another agency's official may not see answers 404; a move the status does not allow 409.
"""

import datetime as dt

from django.http import JsonResponse
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from egov.apiclients.auth import require_session
from egov.core.api import ErrorOut, PageNumberPagination
from egov.core.errors import DomainError, NotFound
from egov.core.policies import get_visible
from egov.eservices.ratelimit import TooManyLookups, lookup_rate_check
from egov.feedback import services
from egov.feedback.conf import submit_rate_per_minute
from egov.feedback.models import Feedback
from egov.feedback.policies import can_use_feedback, feedback_visible_to
from egov.feedback.selectors import (
    agency_by_uuid,
    feedback_due_soon,
    feedback_on_time_rate,
    feedback_overdue,
    feedback_public_status,
    feedback_register,
)

router = Router(tags=["Phản ánh, kiến nghị"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _too_many(exc: TooManyLookups) -> JsonResponse:
    response = JsonResponse(exc.as_dict(), status=429, json_dumps_params={"ensure_ascii": False})
    response["Retry-After"] = str(exc.retry_after)
    return response


class FeedbackSubmitIn(Schema):
    kind: str = Field(description="phan_anh | kien_nghi | hoi_dap")
    sender_name: str
    sender_address: str
    sender_phone: str = ""
    sender_email: str = ""
    subject: str
    content: str
    agency: str = Field("", description="UUID của cơ quan trong danh bạ (không bắt buộc)")


class FeedbackSubmittedOut(Schema):
    code: str
    status: str
    status_label: str
    agency: str


class FeedbackTimelineOut(Schema):
    at: str
    label: str
    agency: str


class FeedbackPublicStatusOut(Schema):
    code: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    sender: str = Field(description="Tên người gửi đã che một phần")
    agency: str
    submitted_at: str | None
    received_at: str | None
    due_at: str | None
    answered_at: str | None
    published: bool
    timeline: list[FeedbackTimelineOut]


@router.post("/submissions", auth=None,
             response={201: FeedbackSubmittedOut, 400: ErrorOut, 422: ErrorOut, 429: ErrorOut},
             summary="Gửi phản ánh, kiến nghị hoặc câu hỏi",
             description="Không cần đăng nhập. multipart/form-data; tối đa 3 tệp PDF/JPEG/PNG (kiểm tra theo nội "
                         "dung), mỗi tệp ≤ 10 MB. Trả về mã theo dõi. Giới hạn số lần gửi mỗi phút theo máy khách.")
def submit(request, data: Form[FeedbackSubmitIn], files: File[list[UploadedFile]] = None):
    try:
        lookup_rate_check(request, scope="feedback", limit=submit_rate_per_minute())
    except TooManyLookups as exc:
        return _too_many(exc)
    agency = None
    if data.agency:
        agency = agency_by_uuid(data.agency)
        if agency is None:
            raise DomainError("invalid_agency", "Cơ quan đã chọn không có trong danh bạ.", details={"field": "agency"})
    fb = services.feedback_submit(kind=data.kind, sender_name=data.sender_name, sender_address=data.sender_address,
                                  sender_phone=data.sender_phone, sender_email=data.sender_email,
                                  subject=data.subject, content=data.content, agency=agency, files=files or [],
                                  user=request.user)
    return Status(201, {"code": fb.code, "status": fb.status, "status_label": fb.get_status_display(),
                        "agency": fb.agency.name})


@router.get("/status/{code}", auth=None, response={200: FeedbackPublicStatusOut, 404: ErrorOut, 429: ErrorOut},
            summary="Tình trạng theo mã theo dõi",
            description="Không cần đăng nhập; không có dữ liệu cá nhân ngoài tên đã che. Giới hạn như tra cứu hồ sơ.")
def public_status(request, code: str):
    try:
        lookup_rate_check(request)
    except TooManyLookups as exc:
        return _too_many(exc)
    answer = feedback_public_status(code=code)
    answer.pop("uuid")
    answer.pop("reason")
    answer.pop("info_needed")
    for key in ("submitted_at", "received_at", "due_at", "answered_at"):
        answer[key] = _iso(answer[key])
    answer["timeline"] = [{**step, "at": _iso(step["at"])} for step in answer["timeline"]]
    return answer


# --- staff -----------------------------------------------------------------------------------------------------
class FeedbackOut(Schema):
    uuid: str
    code: str
    kind: str
    status: str
    status_label: str
    subject: str
    content: str
    sender_name: str
    sender_address: str
    sender_phone: str
    sender_email: str
    agency: str
    forwarded_from: str | None
    register_number: int | None
    register_year: int | None
    classification: str
    reason: str
    submitted_at: str | None
    received_at: str | None
    forward_due_at: str | None
    due_at: str | None
    answer: str
    answered_at: str | None
    answered_on_time: bool | None
    published_at: str | None


def _out(fb: Feedback) -> dict:
    return {
        "uuid": str(fb.uuid), "code": fb.code, "kind": fb.kind, "status": fb.status,
        "status_label": fb.get_status_display(), "subject": fb.subject, "content": fb.content,
        "sender_name": fb.sender_name, "sender_address": fb.sender_address, "sender_phone": fb.sender_phone,
        "sender_email": fb.sender_email, "agency": fb.agency.code,
        "forwarded_from": fb.forwarded_from.code if fb.forwarded_from_id else None,
        "register_number": fb.register_number, "register_year": fb.register_year,
        "classification": fb.classification, "reason": fb.reason, "submitted_at": _iso(fb.submitted_at),
        "received_at": _iso(fb.received_at), "forward_due_at": _iso(fb.forward_due_at), "due_at": _iso(fb.due_at),
        "answer": fb.answer, "answered_at": _iso(fb.answered_at), "answered_on_time": fb.answered_on_time,
        "published_at": _iso(fb.published_at),
    }


class _Rows:
    """A queryset seen through ``_out``: the paginator slices it, so only one page is turned into rows."""

    def __init__(self, qs):
        self.qs = qs

    def count(self) -> int:
        return self.qs.count()

    def __getitem__(self, window: slice) -> list[dict]:
        return [_out(fb) for fb in self.qs[window]]


def _staff(request) -> None:
    require_session(request)
    if not can_use_feedback(request.user):
        raise DomainError("forbidden", "Bạn không có quyền xử lý phản ánh, kiến nghị.", status=403)


def _item(request, code: str) -> Feedback:
    return get_visible(feedback_visible_to, request.user, Feedback.objects.select_related("agency", "forwarded_from"),
                       code=services.normalize_code(code))


@router.get("/items", response={200: list[FeedbackOut], **ERRORS}, summary="Sổ tiếp nhận PAKN",
            description="view: so (sổ), qua-han (quá hạn), sap-den-han (sắp đến hạn); lọc status, kind, q.")
@paginate(PageNumberPagination)
def items(request, view: str = "so", status: str = "", kind: str = "", q: str = ""):
    _staff(request)
    if view == "qua-han":
        qs = feedback_overdue(request.user)
    elif view == "sap-den-han":
        qs = feedback_due_soon(request.user)
    else:
        qs = feedback_register(request.user, status=status, kind=kind, q=q)
    return _Rows(qs)


class FeedbackRateOut(Schema):
    closed: int
    on_time: int
    rate: float | None
    forwarded: int
    forwarded_on_time: int
    forward_rate: float | None


@router.get("/on-time-rate", response={200: FeedbackRateOut, **ERRORS}, summary="Tỷ lệ PAKN xử lý đúng hạn",
            description="PAKN trả lời trong hạn / PAKN đã trả lời trong kỳ [start, end] (ngày, giờ Việt Nam).")
def on_time_rate(request, start: dt.date, end: dt.date):
    _staff(request)
    tz = timezone.get_current_timezone()
    rate = feedback_on_time_rate(request.user, start=dt.datetime.combine(start, dt.time.min, tz),
                                 end=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tz))
    return {"closed": rate.closed, "on_time": rate.on_time, "rate": rate.rate, "forwarded": rate.forwarded,
            "forwarded_on_time": rate.forwarded_on_time, "forward_rate": rate.forward_rate}


@router.get("/items/{code}", response={200: FeedbackOut, **ERRORS}, summary="Chi tiết PAKN")
def item_detail(request, code: str):
    _staff(request)
    return _out(_item(request, code))


class FeedbackActionIn(Schema):
    classification: str = ""
    reason: str = ""
    target_agency: str = Field("", description="UUID cơ quan có thẩm quyền (khi chuyển)")
    note: str = ""
    answer: str = ""
    public_question: str = ""


ACTIONS = {
    "receive": "Tiếp nhận, vào sổ (từ Mới gửi hoặc Đã chuyển đến cơ quan mình)",
    "classify": "Phân loại: classification = khong_tiep_nhan (cần reason) | hanh_vi | ngoai_tham_quyen (cần "
                "target_agency) | thuoc_tham_quyen",
    "request_info": "Đề nghị người gửi bổ sung thông tin (note)",
    "resume": "Tiếp tục xử lý sau khi bổ sung",
    "answer": "Trả lời (answer)",
    "publish": "Công khai trên cổng (public_question tùy chọn)",
}


@router.post("/items/{code}/actions/{action}", response={200: FeedbackOut, **ERRORS}, summary="Thao tác xử lý PAKN",
             description="\n".join(f"- `{name}`: {text}" for name, text in ACTIONS.items()))
def item_action(request, code: str, action: str, data: FeedbackActionIn):
    _staff(request)
    fb = _item(request, code)
    user = request.user
    if action == "receive":
        fb = services.feedback_receive(actor=user, feedback=fb)
    elif action == "classify":
        target = agency_by_uuid(data.target_agency) if data.target_agency else None
        fb = services.feedback_classify(actor=user, feedback=fb, classification=data.classification,
                                        reason=data.reason, target_agency=target)
    elif action == "request_info":
        fb = services.feedback_request_info(actor=user, feedback=fb, note=data.note)
    elif action == "resume":
        fb = services.feedback_resume(actor=user, feedback=fb, note=data.note)
    elif action == "answer":
        fb = services.feedback_answer(actor=user, feedback=fb, answer=data.answer)
    elif action == "publish":
        fb = services.feedback_publish(actor=user, feedback=fb, public_question=data.public_question)
    else:
        raise NotFound(f"Không có thao tác “{action[:40]}”.", code="unknown_action")
    return _out(Feedback.objects.select_related("agency", "forwarded_from").get(pk=fb.pk))
