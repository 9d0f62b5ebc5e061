"""API of incoming documents: work lists, detail with assignments and history, registration, direction,
re-assignment, progress and completion. Same services and policies as the pages.

Officials only (browser session): these are a person's acts (a clerk registers, a leader directs), so a
token client gets 403. A document the caller may not see answers 404 (its existence is not revealed); a move
the status does not allow answers 409; bad input 400/422.
"""

import datetime as dt
from typing import Literal
from uuid import UUID

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from egov.apiclients.auth import require_session
from egov.core.api import ErrorOut, PageNumberPagination
from egov.core.errors import DomainError, NotFound
from egov.documents import selectors
from egov.documents.models import Assignment, Direction, DocumentRegister, IncomingDocument
from egov.documents.policies.incoming import incoming_official, incoming_visible_to
from egov.documents.services import handling, incoming

router = Router(tags=["Văn bản đến"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class IncomingRowOut(Schema):
    uuid: UUID
    arrival_number: int
    arrival_year: int
    arrival_label: str
    register_name: str
    received_at: dt.datetime
    number_notation: str
    issued_date: dt.date | None
    issuer_name: str
    type_name: str
    summary: str
    urgency: int
    secrecy: int
    status: str
    status_label: str
    handling_due_at: dt.datetime | None
    overdue: bool
    possible_duplicate_of: UUID | None


class AssignmentOut(Schema):
    uuid: UUID
    parent: UUID | None
    role: str
    role_label: str
    unit: str
    assignee: str
    assigned_by: str
    instruction: str
    due_at: dt.datetime | None
    status: str
    completed_at: dt.datetime | None


class EventOut(Schema):
    at: dt.datetime
    action: str
    actor: str
    note: str
    assignment: UUID | None
    file: UUID | None
    data: dict


class FileOut(Schema):
    uuid: UUID
    name: str
    kind: str
    content_type: str
    size: int


class IncomingDetailOut(IncomingRowOut):
    agency: str
    channel: str
    number: str
    notation: str
    issuer_code: str
    language: str
    page_count: int | None
    description: str
    signer_position: str
    signer_name: str
    issued_amount: int | None
    reply_due_date: dt.date | None
    to_places: str
    completed_at: dt.datetime | None
    delivery_status: str | None
    assignments: list[AssignmentOut]
    files: list[FileOut]
    events: list[EventOut]


class RegisterIn(Schema):
    register_uuid: UUID = Field(..., description="UUID của sổ văn bản đến")
    summary: str
    received_at: dt.datetime | None = Field(None, description="Ngày đến; mặc định lúc gọi")
    channel: Literal["paper", "electronic", "platform"] = "paper"
    number: str = ""
    notation: str = ""
    issued_date: dt.date | None = None
    issuer_name: str = ""
    issuer_code: str = ""
    document_type: str | None = Field(None, description="Mã loại văn bản, ví dụ cong-van, quyet-dinh")
    type_name: str = ""
    page_count: int | None = None
    description: str = ""
    signer_position: str = ""
    signer_name: str = ""
    urgency: int = Field(0, description="0 Thường, 1 Khẩn, 2 Thượng khẩn, 3 Hỏa tốc, 4 Hỏa tốc hẹn giờ")
    secrecy: int = Field(0, description="0 Thường, 1 Mật, 2 Tối mật, 3 Tuyệt mật")
    issued_amount: int | None = None
    reply_due_date: dt.date | None = None
    to_places: str = ""
    files: list[UUID] = Field(default_factory=list, description="UUID các tệp đã tải lên (tiếp nhận tệp)")


class DirectIn(Schema):
    lead_unit: str | None = Field(None, description="UUID hoặc mã đơn vị chủ trì")
    lead_assignee: str | None = Field(None, description="Tên đăng nhập của cán bộ chủ trì")
    cooperating_units: list[str] = Field(default_factory=list)
    cooperating_assignees: list[str] = Field(default_factory=list)
    information_units: list[str] = Field(default_factory=list)
    information_assignees: list[str] = Field(default_factory=list)
    instruction: str = ""
    due_days: str | None = Field(None, description="Số ngày làm việc, bước nửa ngày (ví dụ 5 hoặc 1,5)")


class ReassignIn(Schema):
    lead_assignee: str = Field(..., description="Tên đăng nhập của cán bộ chủ trì trong đơn vị")
    cooperating_assignees: list[str] = Field(default_factory=list)
    information_assignees: list[str] = Field(default_factory=list)
    instruction: str = ""
    due_days: str | None = None


class ProgressIn(Schema):
    note: str
    kind: Literal["progress", "opinion"] = "progress"


class CompleteIn(Schema):
    note: str = ""


class IncomingFilter(Schema):
    tab: Literal["mine", "due_soon", "overdue", "all"] = "mine"
    status: str | None = None
    q: str = ""


def _user(request):
    require_session(request)
    return request.user


def _row(d: IncomingDocument, now: dt.datetime) -> dict:
    return {
        "uuid": d.uuid, "arrival_number": d.arrival_number, "arrival_year": d.arrival_year,
        "arrival_label": incoming.arrival_label(d), "register_name": d.register.name, "received_at": d.received_at,
        "number_notation": d.number_notation, "issued_date": d.issued_date, "issuer_name": d.issuer_name,
        "type_name": d.type_name, "summary": d.summary, "urgency": d.urgency, "secrecy": d.secrecy,
        "status": d.status, "status_label": d.get_status_display(), "handling_due_at": d.handling_due_at,
        "overdue": bool(d.handling_due_at and d.handling_due_at < now and d.status in selectors.OPEN_DOCUMENT),
        "possible_duplicate_of": d.possible_duplicate_of.uuid if d.possible_duplicate_of_id else None,
    }


def _name(user) -> str:
    return (user.full_name or user.username) if user else ""


def _detail(d: IncomingDocument) -> dict:
    delivery = incoming.incoming_delivery(d)
    return {
        **_row(d, timezone.now()), "agency": d.agency.code, "channel": d.channel, "number": d.number,
        "notation": d.notation, "issuer_code": d.issuer_code, "language": d.language, "page_count": d.page_count,
        "description": d.description, "signer_position": d.signer_position, "signer_name": d.signer_name,
        "issued_amount": d.issued_amount, "reply_due_date": d.reply_due_date, "to_places": d.to_places,
        "completed_at": d.completed_at, "delivery_status": delivery.status if delivery else None,
        "assignments": [{
            "uuid": a.uuid, "parent": a.parent.uuid if a.parent_id else None, "role": a.role,
            "role_label": a.get_role_display(), "unit": a.unit.name if a.unit_id else "",
            "assignee": a.assignee.username if a.assignee_id else "", "assigned_by": a.assigned_by.username,
            "instruction": a.instruction, "due_at": a.due_at, "status": a.status, "completed_at": a.completed_at,
        } for a in (n.assignment for n in selectors.assignment_tree(d))],
        "files": [{"uuid": f.uuid, "name": f.original_name, "kind": f.kind, "content_type": f.content_type,
                   "size": f.size} for f in d.files.order_by("created_at")],
        "events": _events(d),
    }


def _events(d: IncomingDocument) -> list[dict]:
    return [{"at": e.at, "action": e.action, "actor": e.actor_label, "note": e.note,
             "assignment": e.assignment.uuid if e.assignment_id else None,
             "file": e.file.uuid if e.file_id else None, "data": e.data or {}} for e in selectors.incoming_events(d)]


def _document(request, uuid: UUID) -> IncomingDocument:
    return selectors.incoming_for(_user(request), uuid)


def _assignment(request, uuid: UUID) -> Assignment:
    user = _user(request)
    assignment = Assignment.objects.select_related("incoming").filter(uuid=uuid).first()
    if assignment is None or not incoming_visible_to(user).filter(pk=assignment.incoming_id).exists():
        raise NotFound("Không tìm thấy phân công.")
    return assignment


@router.get("/incoming", response={200: list[IncomingRowOut], **ERRORS}, summary="Danh sách văn bản đến")
@paginate(PageNumberPagination)
def incoming_list(request, filters: Query[IncomingFilter]):
    """`tab`: mine (việc của tôi), due_soon (hạn trong 2 ngày làm việc), overdue (quá hạn), all (cả cơ quan –
    văn thư, lãnh đạo); lọc theo `status` và chuỗi `q` (số ký hiệu, trích yếu, cơ quan ban hành)."""
    user = _user(request)
    now = timezone.now()
    rows = selectors.incoming_queue(user, filters.tab, status=filters.status or None, query=filters.q, now=now)
    return [_row(d, now) for d in rows.select_related("possible_duplicate_of")]


@router.post("/incoming", response={201: IncomingDetailOut, **ERRORS}, summary="Vào sổ văn bản đến")
def incoming_register(request, payload: RegisterIn):
    """Chỉ văn thư của cơ quan. Văn bản có thể trùng (cùng cơ quan ban hành, số ký hiệu, ngày) vẫn được vào
    sổ; trường `possible_duplicate_of` cho biết văn bản đã có."""
    user = _user(request)
    agency = getattr(incoming_official(user), "agency", None)
    register = DocumentRegister.objects.filter(uuid=payload.register_uuid, agency=agency,
                                               direction=Direction.INCOMING).first()
    if register is None:
        raise DomainError("invalid_register", "Không tìm thấy sổ văn bản đến của cơ quan bạn.")
    data = payload.dict(exclude={"register_uuid", "files"})
    document = incoming.incoming_register(actor=user, register=register, files=[str(f) for f in payload.files],
                                          **data)
    return Status(201, _detail(selectors.incoming_for(user, document.uuid)))


@router.get("/incoming/{uuid}", response={200: IncomingDetailOut, **ERRORS}, summary="Chi tiết văn bản đến")
def incoming_detail(request, uuid: UUID):
    return _detail(_document(request, uuid))


@router.get("/incoming/{uuid}/events", response={200: list[EventOut], **ERRORS}, summary="Diễn biến văn bản đến")
def incoming_events(request, uuid: UUID):
    return _events(_document(request, uuid))


@router.post("/incoming/{uuid}/direct", response={200: IncomingDetailOut, **ERRORS},
             summary="Phân công xử lý (lãnh đạo)")
def incoming_direct(request, uuid: UUID, payload: DirectIn):
    """Đúng một chủ trì (`lead_unit` hoặc `lead_assignee`); hạn tính theo ngày làm việc."""
    user = _user(request)
    document = _document(request, uuid)
    handling.incoming_direct(actor=user, document=document, **payload.dict())
    return _detail(selectors.incoming_for(user, uuid))


@router.post("/incoming-assignments/{uuid}/reassign", response={200: IncomingDetailOut, **ERRORS},
             summary="Giao lại trong đơn vị")
def assignment_reassign(request, uuid: UUID, payload: ReassignIn):
    user = _user(request)
    assignment = _assignment(request, uuid)
    handling.assignment_reassign(actor=user, assignment=assignment, **payload.dict())
    return _detail(selectors.incoming_for(user, assignment.incoming.uuid))


@router.post("/incoming-assignments/{uuid}/progress", response={200: IncomingDetailOut, **ERRORS},
             summary="Cập nhật tiến độ hoặc ý kiến xử lý")
def assignment_progress(request, uuid: UUID, payload: ProgressIn):
    user = _user(request)
    assignment = _assignment(request, uuid)
    handling.assignment_progress(actor=user, assignment=assignment, note=payload.note, kind=payload.kind)
    return _detail(selectors.incoming_for(user, assignment.incoming.uuid))


@router.post("/incoming-assignments/{uuid}/complete", response={200: IncomingDetailOut, **ERRORS},
             summary="Hoàn thành phân công")
def assignment_complete(request, uuid: UUID, payload: CompleteIn):
    """Hoàn thành phân công chủ trì cao nhất thì văn bản chuyển sang Đã hoàn thành xử lý."""
    user = _user(request)
    assignment = _assignment(request, uuid)
    handling.assignment_complete(actor=user, assignment=assignment, note=payload.note)
    return _detail(selectors.incoming_for(user, assignment.incoming.uuid))
