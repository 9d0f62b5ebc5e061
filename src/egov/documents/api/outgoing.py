"""API of the outgoing area: drafts, versions, the approval chain, signing, issue, recall, and the recipient's
reception of documents delivered on the platform. Same services, dispatcher and policies as the pages.

A document the caller may not see answers 404; a move the caller may not make 403; a move the status does
not allow 409; bad input 400/422 — always ``{"code", "message"}`` in Vietnamese.
"""

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.http import FileResponse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from egov.apiclients.auth import scope_required
from egov.core.api import ErrorOut, PageNumberPagination
from egov.core.errors import DomainError, NotFound
from egov.directory.models import Agency, Unit
from egov.documents import selectors_outgoing as sel
from egov.documents.models import Delivery, IncomingDocument, OutgoingDocument
from egov.documents.policies.outgoing import official_of
from egov.documents.services import delivery as delivery_svc
from egov.documents.services import outgoing as svc
from egov.documents.services.outgoing_actions import available_actions, outgoing_action_run
from egov.documents.views.outgoing import signatures_url

router = Router(tags=["Văn bản đi"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class OutgoingRowOut(Schema):
    uuid: str
    status: str
    status_label: str
    type_code: str
    type_name: str
    number_notation: str
    summary: str
    urgency: int
    secrecy: int
    drafted_by: str
    current_reviewer: str
    signer: str
    issued_at: dt.datetime | None
    updated_at: dt.datetime


class FileOut(Schema):
    uuid: str
    kind: str
    version: int
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    created_at: dt.datetime
    signatures_url: str


class EventOut(Schema):
    at: dt.datetime
    action: str
    actor: str
    note: str
    data: dict[str, Any]


class DeliveryEventOut(Schema):
    at: dt.datetime
    status: str
    status_label: str
    description: str
    actor: str


class DeliveryOut(Schema):
    uuid: str
    recipient_code: str
    recipient_name: str
    status: str
    status_label: str
    reason: str
    status_at: dt.datetime
    trail: list[DeliveryEventOut]


class OutgoingDetailOut(OutgoingRowOut):
    agency_code: str
    drafting_unit: str
    number: str
    notation: str
    issued_date: dt.date | None
    signer_name: str
    signer_position: str
    signed_at: dt.datetime | None
    recipients: list[str]
    external_recipients: str
    replaces: str | None
    recall_reason: str
    versions: list[FileOut]
    signed_files: list[FileOut]
    events: list[EventOut]
    deliveries: list[DeliveryOut]
    actions: list[str]


class DraftIn(Schema):
    document_type: str = Field(..., description="Mã loại văn bản, ví dụ cong-van, quyet-dinh")
    summary: str = Field(..., description="Trích yếu")
    urgency: int = Field(0, description="0 Thường, 1 Khẩn, 2 Thượng khẩn, 3 Hỏa tốc, 4 Hỏa tốc hẹn giờ")
    secrecy: int = Field(0, description="0 Thường, 1 Mật, 2 Tối mật, 3 Tuyệt mật")
    drafting_unit: str | None = Field(None, description="Mã đơn vị soạn thảo (mặc định: đơn vị của người soạn)")
    recipients: list[str] = Field(default_factory=list, description="Mã cơ quan nhận trên nền tảng")
    external_recipients: str = ""
    in_reply_to: UUID | None = Field(None, description="UUID văn bản đến được trả lời")
    replaces: UUID | None = Field(None, description="UUID văn bản đi đã phát hành được thay thế")
    description: str = ""


class ActionIn(Schema):
    reviewer: str = Field("", description="Người được trình (tên đăng nhập hoặc UUID tài khoản): submit")
    next_reviewer: str = Field("", description="Người duyệt tiếp theo: approve")
    signer: str = Field("", description="Người ký (lãnh đạo): approve")
    comment: str = Field("", description="Ý kiến khi trả lại: return")
    reason: str = Field("", description="Lý do thu hồi: recall; lý do ký: sign")
    register_uuid: str = Field("", description="UUID sổ văn bản đi (tuỳ chọn): issue")
    note: str = ""


class ReceivedOut(Schema):
    uuid: str
    sender_code: str
    sender_name: str
    number_notation: str
    issued_date: dt.date | None
    summary: str
    status: str
    status_label: str
    arrival_number: int | None
    incoming: str | None
    delivered_at: dt.datetime


class RejectIn(Schema):
    reason: str = ""


class AcceptIn(Schema):
    note: str = ""


def _name(user) -> str:
    return (user.full_name or user.username) if user else ""


def row_out(d: OutgoingDocument) -> dict:
    return {
        "uuid": str(d.uuid), "status": d.status, "status_label": d.get_status_display(),
        "type_code": d.document_type.code if d.document_type_id else "", "type_name": d.type_name,
        "number_notation": d.number_notation, "summary": d.summary, "urgency": d.urgency, "secrecy": d.secrecy,
        "drafted_by": d.drafted_by.username, "current_reviewer": d.current_reviewer.username if d.current_reviewer_id
        else "", "signer": d.signer.username if d.signer_id else "", "issued_at": d.issued_at,
        "updated_at": d.updated_at,
    }


def _file_out(f) -> dict:
    return {"uuid": str(f.uuid), "kind": f.kind, "version": f.version, "name": f.original_name,
            "content_type": f.content_type, "size": f.size, "sha256": f.sha256,
            "uploaded_by": f.uploaded_by.username if f.uploaded_by_id else "", "created_at": f.created_at,
            "signatures_url": signatures_url(f)}


def detail_out(user, d: OutgoingDocument) -> dict:
    return {
        **row_out(d), "agency_code": d.agency.code, "drafting_unit": d.drafting_unit.code if d.drafting_unit_id
        else "", "number": d.number, "notation": d.notation, "issued_date": d.issued_date,
        "signer_name": d.signer_name, "signer_position": d.signer_position, "signed_at": d.signed_at,
        "recipients": [a.code for a in d.recipient_agencies.order_by("code")],
        "external_recipients": d.external_recipients, "replaces": str(d.replaces.uuid) if d.replaces_id else None,
        "recall_reason": d.recall_reason,
        "versions": [_file_out(f) for f in sel.outgoing_versions(d)],
        "signed_files": [_file_out(f) for f in sel.outgoing_signed_files(d)],
        "events": [{"at": e.at, "action": e.action, "actor": e.actor_label, "note": e.note, "data": e.data or {}}
                   for e in sel.outgoing_events(d)],
        "deliveries": [{
            "uuid": str(x.uuid), "recipient_code": x.recipient_agency.code, "recipient_name": x.recipient_agency.name,
            "status": x.status, "status_label": x.get_status_display(), "reason": x.reason, "status_at": x.status_at,
            "trail": [{"at": e.at, "status": e.status, "status_label": e.get_status_display(),
                       "description": e.description, "actor": e.actor_label} for e in x.events.all()],
        } for x in sel.outgoing_deliveries(d)],
        "actions": available_actions(user, d),
    }


def _document(request, uuid) -> OutgoingDocument:
    return sel.outgoing_for(request.user, uuid)


class ListFilters(Schema):
    tab: Literal["drafts", "review", "sign", "issue", "issued"] = Field(
        "drafts", description="drafts: dự thảo của tôi; review: chờ tôi duyệt; sign: chờ tôi ký; issue: chờ phát "
                              "hành (văn thư); issued: đã phát hành")


@router.get("/outgoing", response={200: list[OutgoingRowOut], **ERRORS}, summary="Danh sách văn bản đi")
@paginate(PageNumberPagination)
@scope_required("documents:read")
def outgoing_list(request, filters: Query[ListFilters]):
    return [row_out(d) for d in sel.outgoing_list(request.user, filters.tab)]


def _draft_fields(official, payload) -> dict:
    unit = None
    if payload.drafting_unit:
        unit = Unit.objects.filter(agency_id=official.agency_id, code=payload.drafting_unit).first()
        if unit is None:
            raise DomainError("invalid_unit", f"Không có đơn vị “{payload.drafting_unit[:40]}” trong cơ quan.")
    recipients = list(Agency.objects.filter(code__in=payload.recipients))
    missing = set(payload.recipients) - {a.code for a in recipients}
    if missing:
        raise DomainError("invalid_recipient", f"Không tìm thấy cơ quan nhận: {', '.join(sorted(missing))[:200]}.")
    return {"document_type": payload.document_type, "summary": payload.summary, "urgency": payload.urgency,
            "secrecy": payload.secrecy, "drafting_unit": unit, "recipient_agencies": recipients,
            "external_recipients": payload.external_recipients, "description": payload.description}


def _official(request):
    official = official_of(request.user)
    if official is None:
        raise DomainError("forbidden", "Chỉ cán bộ, công chức của một cơ quan mới soạn thảo được văn bản đi.",
                          status=403)
    return official


@router.post("/outgoing", response={201: OutgoingDetailOut, **ERRORS}, summary="Tạo dự thảo văn bản đi")
@scope_required("documents:write")
def outgoing_create(request, payload: DraftIn):
    official = _official(request)
    fields = _draft_fields(official, payload)
    reply_to = None
    if payload.in_reply_to:
        reply_to = IncomingDocument.objects.filter(agency_id=official.agency_id, uuid=payload.in_reply_to).first()
        if reply_to is None:
            raise NotFound("Không tìm thấy văn bản đến được trả lời.")
    replaces = sel.outgoing_for(request.user, payload.replaces) if payload.replaces else None
    document = svc.outgoing_draft_create(actor=request.user, in_reply_to=reply_to, replaces=replaces, **fields)
    return Status(201, detail_out(request.user, _document(request, document.uuid)))


@router.put("/outgoing/{uuid}", response={200: OutgoingDetailOut, **ERRORS}, summary="Sửa thông tin dự thảo",
            description="Người soạn thảo sửa thông tin khi văn bản còn là dự thảo hoặc bị trả lại "
                        "(`in_reply_to`, `replaces` không đổi được).")
@scope_required("documents:write")
def outgoing_update(request, uuid: UUID, payload: DraftIn):
    official = _official(request)
    document = _document(request, uuid)
    svc.outgoing_draft_update(actor=request.user, document=document, **_draft_fields(official, payload))
    return detail_out(request.user, _document(request, uuid))


@router.get("/outgoing/{uuid}", response={200: OutgoingDetailOut, **ERRORS}, summary="Chi tiết văn bản đi",
            description="Phiên bản dự thảo, diễn biến trình duyệt, bản đã ký, trạng thái tại từng nơi nhận.")
@scope_required("documents:read")
def outgoing_detail(request, uuid: UUID):
    return detail_out(request.user, _document(request, uuid))


@router.post("/outgoing/{uuid}/versions", response={201: OutgoingDetailOut, **ERRORS},
             summary="Tải lên phiên bản dự thảo", description="Tệp PDF hoặc DOCX (kiểm tra theo nội dung).")
@scope_required("documents:write")
def outgoing_version(request, uuid: UUID, file: File[UploadedFile], note: Form[str] = ""):
    document = _document(request, uuid)
    svc.outgoing_version_upload(actor=request.user, document=document, upload=file, note=note)
    return Status(201, detail_out(request.user, _document(request, uuid)))


@router.post("/outgoing/{uuid}/actions/{action}", response={200: OutgoingDetailOut, **ERRORS},
             summary="Thao tác với văn bản đi",
             description="submit (`reviewer`), approve (`next_reviewer` hoặc `signer`), return (`comment`), "
                         "sign, issue (`register` tuỳ chọn), recall (`reason`).")
@scope_required("documents:write")
def outgoing_action(request, uuid: UUID, action: Literal["submit", "approve", "return", "sign", "issue", "recall"],
                    payload: ActionIn):
    document = _document(request, uuid)
    fields = payload.dict()
    fields["register"] = fields.pop("register_uuid")
    outgoing_action_run(user=request.user, document=document, action=action, fields=fields)
    return detail_out(request.user, _document(request, uuid))


@router.get("/outgoing/{uuid}/files/{file_uuid}", response={200: None, **ERRORS}, summary="Tải tệp văn bản đi")
@scope_required("documents:read")
def outgoing_file(request, uuid: UUID, file_uuid: UUID):
    record = _document(request, uuid).files.filter(uuid=file_uuid).first()
    if record is None:
        raise NotFound("Không tìm thấy tệp.")
    response = FileResponse(record.file.open("rb"), content_type=record.content_type or "application/octet-stream",
                            filename=record.original_name)
    response["Cache-Control"] = "private, no-store"
    return response


# --- the recipient's side -------------------------------------------------------------------------------
def received_out(x: Delivery) -> dict:
    d = x.outgoing
    return {"uuid": str(x.uuid), "sender_code": d.agency.code, "sender_name": d.agency.name,
            "number_notation": d.number_notation, "issued_date": d.issued_date, "summary": d.summary,
            "status": x.status, "status_label": x.get_status_display(),
            "arrival_number": x.incoming.arrival_number if x.incoming_id else None,
            "incoming": str(x.incoming.uuid) if x.incoming_id else None, "delivered_at": x.created_at}


@router.get("/deliveries/waiting", response={200: list[ReceivedOut], **ERRORS},
            summary="Văn bản liên thông chờ tiếp nhận", description="Văn bản các cơ quan khác gửi đến cơ quan của "
                                                                     "người gọi, chờ văn thư tiếp nhận (mã 01).")
@paginate(PageNumberPagination)
@scope_required("documents:read")
def deliveries_waiting(request):
    return [received_out(x) for x in sel.deliveries_waiting(request.user)]


@router.post("/deliveries/{uuid}/accept", response={200: ReceivedOut, **ERRORS}, summary="Tiếp nhận văn bản "
             "liên thông", description="Văn thư cơ quan nhận tiếp nhận (mã 03 gửi cơ quan gửi).")
@scope_required("documents:write")
def delivery_accept(request, uuid: UUID, payload: AcceptIn | None = None):
    delivery = sel.delivery_for(request.user, uuid)
    delivery_svc.delivery_accept(actor=request.user, delivery=delivery, note=payload.note if payload else "")
    return received_out(sel.delivery_for(request.user, uuid))


@router.post("/deliveries/{uuid}/reject", response={200: ReceivedOut, **ERRORS}, summary="Từ chối văn bản "
             "liên thông", description="Văn thư cơ quan nhận từ chối, `reason` bắt buộc (mã 02).")
@scope_required("documents:write")
def delivery_reject(request, uuid: UUID, payload: RejectIn):
    delivery = sel.delivery_for(request.user, uuid)
    delivery_svc.delivery_reject(actor=request.user, delivery=delivery, reason=payload.reason)
    return received_out(sel.delivery_for(request.user, uuid))
