"""Processing API: officers' queues, a dossier's detail with its steps and history, the processing actions,
result upload and the applicant's rating. Same services and policies as the pages.

A dossier another agency's official may not see answers 404 (its existence is not revealed); one he may
see but not act on answers 403; a move the status does not allow answers 409; bad input 400/422.
"""

import datetime as dt
from typing import Any, Literal

from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from egov.accounts.roles import Role
from egov.apiclients.auth import scope_required
from egov.core.api import ErrorOut, PageNumberPagination
from egov.core.errors import DomainError, PermissionDeniedError
from egov.onestop import processing, returns, scoring, selectors
from egov.onestop.models import Dossier, FileRole
from egov.onestop.status import NATIONAL_CODE, DossierStatus

router = Router(tags=["Một cửa – Xử lý hồ sơ"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _display(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


class DossierRowOut(Schema):
    code: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    status: str
    status_label: str
    national_code: int
    channel: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    due_display: str
    overdue: bool
    current_agency: str
    current_step: str
    current_handler: str
    timing: str


class StepOut(Schema):
    order: int
    name: str
    agency: str
    agency_name: str
    unit: str
    handler: str
    started_at: dt.datetime
    deadline_at: dt.datetime | None
    finished_at: dt.datetime | None
    finished_by: str
    outcome: str
    timing: str
    timing_label: str
    is_consultation: bool


class EventOut(Schema):
    seq: int
    at: dt.datetime
    kind: str
    kind_label: str
    from_status: str
    to_status: str
    actor: str
    agency: str
    unit: str
    step: int | None
    deadline_at: dt.datetime | None
    note: str
    data: dict[str, Any]


class FileOut(Schema):
    uuid: str
    role: str
    title: str
    content_type: str
    size: int
    form_code: str
    signed: bool | None


class DossierDetailOut(DossierRowOut):
    applicant_kind: str
    result_delivery: str
    original_due_at: dt.datetime | None
    extended: bool
    paused_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    late_step: int | None
    steps: list[StepOut]
    events: list[EventOut]
    files: list[FileOut]
    actions: list[str]


class ActionIn(Schema):
    """Fields of every action; each action reads the ones it needs (see the action's description)."""

    note: str = ""
    reason: str = ""
    items: list[str] = Field(default_factory=list, description="Giấy tờ cần bổ sung (yêu cầu bổ sung)")
    handler: str | None = Field(None, description="Tên đăng nhập hoặc UUID của cán bộ (phân công, chuyển bước)")
    step: int | None = Field(None, description="Số thứ tự bước (phân công bước xin ý kiến, trả lời xin ý kiến)")
    agency: str | None = Field(None, description="Mã cơ quan được xin ý kiến")
    consultation: int | None = Field(None, description="Số thứ tự bước xin ý kiến có sẵn trong quy trình")
    content: str = ""
    opinion: str = ""
    days: str | None = Field(None, description="Số ngày làm việc (cho phép 0,5)")
    hours: int | None = None
    new_due_at: str | None = Field(None, description="Ngày hẹn mới: YYYY-MM-DD hoặc ngày giờ ISO 8601")
    amount: int | None = Field(None, description="Số tiền (đồng)")
    reference: str = ""
    channel: str = Field("", description="counter | post | online (trả kết quả)")
    post_tracking: str = ""
    message: str = ""


class RatingIn(Schema):
    answers: dict[str, str]
    overall: int
    comment: str = ""
    source: Literal["online", "counter"] = "online"


class RatingOut(Schema):
    overall: int
    answers: dict[str, Any]
    comment: str


ACTION_DESCRIPTIONS = {
    "start": "Bắt đầu xử lý (Đã tiếp nhận → Đang xử lý).",
    "assign": "Lãnh đạo phân công: `handler`; `step` để phân công bước xin ý kiến.",
    "complete": "Hoàn thành bước hiện tại, chuyển bước tiếp theo: `note`, `handler` (tuỳ chọn).",
    "send_back": "Trả lại bước trước: `reason` bắt buộc.",
    "request_supplement": "Yêu cầu bổ sung (tạm dừng tính hạn, lập Mẫu 02): `reason`, `items`.",
    "supplement_received": "Nhận hồ sơ bổ sung (tiếp tục tính hạn theo quy tắc tính lại): `note`.",
    "consult": "Xin ý kiến: `content` và `consultation` (bước có sẵn) hoặc `agency` + `days`/`hours`.",
    "consult_reply": "Trả lời xin ý kiến: `step`, `opinion`.",
    "request_payment": "Yêu cầu nghĩa vụ tài chính: `amount`, `content`.",
    "payment_received": "Đã hoàn thành nghĩa vụ tài chính: `reference`.",
    "apologize": "Xin lỗi và hẹn lại (Mẫu 04), một lần, trước hạn ít nhất 01 ngày làm việc: `reason`, `new_due_at`.",
    "approve": "Phê duyệt, hoàn thành xử lý: `note`.",
    "reject": "Từ chối giải quyết: `reason` bắt buộc.",
    "stop": "Dừng xử lý: `reason` bắt buộc.",
    "withdraw": "Rút hồ sơ theo đề nghị của người nộp: `reason`.",
    "return_result": "Trả kết quả: `channel` (counter | post | online), `post_tracking` khi qua bưu chính.",
    "notify_early_return": "Thông báo trả kết quả sớm cho người nộp: `message` (tuỳ chọn).",
}


def dossier_row(d: Dossier, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    step = d.current_step
    return {
        "code": d.code or "", "procedure_code": d.procedure.code, "procedure_name": d.procedure.name,
        "applicant_name": d.applicant_name, "status": d.status, "status_label": DossierStatus(d.status).label,
        "national_code": NATIONAL_CODE[DossierStatus(d.status)], "channel": d.channel, "received_at": d.received_at,
        "due_at": d.due_at, "due_display": _display(d.due_at),
        "overdue": bool(d.due_at and d.due_at < now and d.status in selectors.RUNNING),
        "current_agency": d.current_agency.code, "current_step": step.name if step else "",
        "current_handler": d.current_handler.username if d.current_handler_id else "", "timing": d.timing,
    }


def dossier_detail_out(user, d: Dossier) -> dict:
    signatures = processing.result_signatures(d)
    steps = selectors.dossier_steps(d)
    late_order = next((s.order for s in steps if s.pk == d.late_step_id), None)
    return {
        **dossier_row(d), "applicant_kind": d.applicant_kind, "result_delivery": d.result_delivery,
        "original_due_at": d.original_due_at, "extended": d.extended, "paused_at": d.paused_at,
        "finished_at": d.finished_at, "returned_at": d.returned_at, "late_step": late_order,
        "steps": [{
            "order": s.order, "name": s.name, "agency": s.agency.code, "agency_name": s.agency.name,
            "unit": s.unit.name if s.unit_id else "", "handler": s.handler.username if s.handler_id else "",
            "started_at": s.started_at, "deadline_at": s.deadline_at, "finished_at": s.finished_at,
            "finished_by": s.finished_by.username if s.finished_by_id else "", "outcome": s.outcome,
            "timing": s.timing, "timing_label": selectors.TIMING_LABELS.get(s.timing, ""),
            "is_consultation": s.is_consultation,
        } for s in steps],
        "events": [{
            "seq": e.seq, "at": e.at, "kind": e.kind, "kind_label": e.get_kind_display(), "from_status": e.from_status,
            "to_status": e.to_status, "actor": e.actor.username if e.actor_id else "",
            "agency": e.agency.code if e.agency_id else "", "unit": e.unit.name if e.unit_id else "",
            "step": e.step.order if e.step_id else None, "deadline_at": e.deadline_at, "note": e.note,
            "data": e.data or {},
        } for e in selectors.dossier_events(d)],
        "files": [{
            "uuid": str(f.uuid), "role": f.role, "title": f.title, "content_type": f.content_type, "size": f.size,
            "form_code": f.form_code,
            "signed": signatures.get(str(f.uuid)) if f.role == FileRole.RESULT else None,
        } for f in d.files.order_by("created_at")],
        "actions": processing.available_actions(user, d),
    }


class QueueFilters(Schema):
    queue: Literal["mine", "due_soon", "overdue", "status"] = Field(
        "status", description="mine: của tôi; due_soon: sắp đến hạn; overdue: quá hạn; status: theo trạng thái")
    status: str | None = Field(None, description="Trạng thái (khi queue=status), ví dụ processing")
    within_days: int = Field(1, ge=0, le=60, description="Sắp đến hạn trong bao nhiêu ngày làm việc")


@router.get("/dossiers", response={200: list[DossierRowOut], **ERRORS}, summary="Danh sách hồ sơ của cán bộ",
            description="Hàng đợi công việc: của tôi, sắp đến hạn, quá hạn, theo trạng thái; chỉ hồ sơ người gọi "
                        "được xem.")
@paginate(PageNumberPagination)
@scope_required("onestop:read")
def dossier_list(request, filters: Query[QueueFilters]):
    qs = selectors.dossier_queue(request.user, filters.queue, status=filters.status,
                                 within_working_days=filters.within_days)
    return _RowList(qs, timezone.now())


class _RowList:
    """Serialises only the requested page: the paginator slices, then each row is built."""

    def __init__(self, qs, now):
        self.qs, self.now = qs, now

    def count(self) -> int:
        return self.qs.count()

    def __getitem__(self, item):
        return [dossier_row(d, self.now) for d in self.qs[item]]


@router.get("/dossiers/{code}", response={200: DossierDetailOut, **ERRORS}, summary="Chi tiết hồ sơ",
            description="Thông tin, các bước với hạn và kết quả đúng hạn, lịch sử, tệp, thao tác được phép.")
@scope_required("onestop:read")
def dossier_detail(request, code: str):
    return dossier_detail_out(request.user, selectors.dossier_for(request.user, code))


@router.post("/dossiers/{code}/actions/attach_result", response={200: DossierDetailOut, **ERRORS},
             summary="Đính kèm kết quả (PDF)",
             description="Tệp PDF kết quả giải quyết (kiểm tra theo nội dung); ghi nhận có hay chưa có chữ ký số.")
@scope_required("onestop:write")
def dossier_attach_result(request, code: str, file: File[UploadedFile], title: Form[str] = ""):
    dossier = selectors.dossier_for(request.user, code)
    processing.dossier_attach_result(dossier=dossier, actor=request.user, upload=file, title=title)
    return dossier_detail_out(request.user, selectors.dossier_for(request.user, code))


@router.post("/dossiers/{code}/actions/{action}", response={200: DossierDetailOut, **ERRORS},
             summary="Thao tác xử lý hồ sơ",
             description="\n".join(f"- `{name}`: {text}" for name, text in ACTION_DESCRIPTIONS.items()))
@scope_required("onestop:write")
def dossier_action(request, code: str, action: str, data: ActionIn):
    dossier = selectors.dossier_for(request.user, code)
    if action not in ACTION_DESCRIPTIONS:
        raise DomainError("unknown_action", f"Không có thao tác “{action[:40]}”.", status=404)
    processing.dossier_action_run(user=request.user, dossier=dossier, action=action, fields=data.dict())
    return dossier_detail_out(request.user, selectors.dossier_for(request.user, code))


@router.post("/dossiers/{code}/rating", response={201: RatingOut, **ERRORS}, summary="Đánh giá giải quyết hồ sơ",
             description="Người nộp (trực tuyến) hoặc thiết bị đánh giá tại quầy; một lần cho mỗi hồ sơ. Câu hỏi: "
                         + "; ".join(f"`{k}`: {q['label']} ({', '.join(q['choices'])})"
                                     for k, q in returns.RATING_QUESTIONS.items()) + "; `overall` 1–5.")
@scope_required("onestop:write")
def dossier_rating(request, code: str, data: RatingIn):
    dossier = selectors.dossier_for(request.user, code)
    rating = returns.rating_submit(dossier=dossier, actor=request.user, answers=data.answers, overall=data.overall,
                                   comment=data.comment, source=data.source)
    return Status(201, {"overall": rating.overall, "answers": rating.answers, "comment": rating.comment})


class IndexOut(Schema):
    number: int
    name: str
    score: str | None
    count: int
    note: str


class ScoreReportOut(Schema):
    subject: str
    start: dt.date
    end: dt.date
    dossiers: int
    total: str | None
    classification: str
    missing: list[int]
    indices: list[IndexOut]


class ScoreFilters(Schema):
    start: dt.date = Field(..., description="Từ ngày (YYYY-MM-DD)")
    end: dt.date = Field(..., description="Đến ngày (YYYY-MM-DD)")
    agency: str | None = Field(None, description="Mã cơ quan (mặc định: cơ quan của người gọi)")
    user: str | None = Field(None, description="Tên đăng nhập cán bộ (chấm điểm cán bộ)")


def _score_agency(user, code: str | None):
    from egov.directory.models import Agency, Official

    official = Official.objects.select_related("agency").filter(user_id=user.pk, is_active=True).first()
    admin = bool(getattr(user, "is_superuser", False) or getattr(user, "role", None) == Role.SYSTEM_ADMIN)
    if code:
        agency = Agency.objects.filter(code__iexact=code.strip()).first()
        if agency is None:
            raise DomainError("unknown_agency", f"Không tìm thấy cơ quan mã “{code[:40]}”.", status=404)
        if admin or (official and official.agency_id == agency.pk):
            return agency
        raise PermissionDeniedError("Chỉ xem được điểm đánh giá của cơ quan mình.")
    if official is None:
        raise DomainError("agency_required", "Cần chọn cơ quan (tham số agency).")
    return official.agency


@router.get("/scores/unit", response={200: ScoreReportOut, **ERRORS}, summary="Điểm 9 chỉ số của cơ quan",
            description="TT 01/2018/TT-VPCP Điều 13–15; chỉ số chưa có dữ liệu trả `score: null` kèm ghi chú.")
@scope_required("onestop:read")
def scores_unit(request, filters: Query[ScoreFilters]):
    agency = _score_agency(request.user, filters.agency)
    return scoring.unit_scores(agency=agency, start=filters.start, end=filters.end).as_dict()


@router.get("/scores/officer", response={200: ScoreReportOut, **ERRORS}, summary="Điểm chỉ số 1–4, 7 của cán bộ",
            description="Cán bộ xem điểm của mình; lãnh đạo xem điểm cán bộ trong cơ quan.")
@scope_required("onestop:read")
def scores_officer(request, filters: Query[ScoreFilters]):
    from egov.accounts.models import User
    from egov.directory.models import Official

    me = request.user
    if not getattr(me, "is_authenticated", False):
        raise PermissionDeniedError("Điểm đánh giá cán bộ chỉ xem được khi đăng nhập.")
    target = me
    if filters.user and filters.user != me.username:
        target = User.objects.filter(username=filters.user.strip()).first()
        theirs = Official.objects.filter(user=target, is_active=True).first() if target else None
        if theirs is None:
            raise DomainError("unknown_user", f"Không tìm thấy cán bộ “{filters.user[:60]}”.", status=404)
        if not processing.is_leader_of(me, theirs.agency_id):
            raise PermissionDeniedError("Chỉ lãnh đạo cơ quan mới xem được điểm của cán bộ khác.")
    return scoring.officer_scores(user=target, start=filters.start, end=filters.end).as_dict()
