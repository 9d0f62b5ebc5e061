"""Reception over the API: counter reception (multipart with scans), acceptance, supplement requests and
refusals of dossiers waiting in the queue, and the issued forms as PDF.

Papers travel as multipart file fields named ``paper_<required paper uuid>`` (repeat the field for several
files of one paper), so a client sends exactly what the checklist asks for. Dossiers are addressed by their
code or, before acceptance gives them one, by their UUID. Errors are ``{"code", "message"}`` in Vietnamese.
"""

import datetime as dt
import json

from django.urls import reverse
from ninja import Form, Router, Schema, Status

from egov.core.api import ErrorOut
from egov.core.errors import DomainError, PermissionDeniedError
from egov.onestop import reception
from egov.onestop.files import dossier_file_response
from egov.onestop.forms_pdf import format_moment
from egov.onestop.models import Dossier, DossierFile, FileRole
from egov.onestop.status import NATIONAL_CODE, DossierStatus

router = Router(tags=["Một cửa – Tiếp nhận"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
PAPER_FIELD_PREFIX = "paper_"
PAPERS_HELP = (
    " Tệp giấy tờ gửi dạng multipart, tên trường `paper_<uuid thành phần hồ sơ>` (lặp lại trường để gửi nhiều "
    "tệp cho một giấy tờ); chỉ nhận PDF, JPEG, PNG, DOCX, XLSX, kiểm tra theo nội dung tệp."
)


class ReceptionIn(Schema):
    """What the officer enters at the counter (all text: the service checks it and answers in Vietnamese)."""

    procedure_code: str = ""
    applicant_kind: str = "person"
    applicant_name: str = ""
    applicant_id_number: str = ""
    applicant_address: str = ""
    applicant_phone: str = ""
    applicant_email: str = ""
    copies: str = "1"
    result_delivery: str = "counter"
    form_data: str = ""
    shown_papers: str = ""
    reason: str = ""
    items: str = ""


class WaitingIn(Schema):
    reason: str = ""
    items: str = ""


class FormOut(Schema):
    form_code: str
    title: str
    url: str


class StepOut(Schema):
    order: int
    name: str
    agency: str
    deadline_at: dt.datetime | None
    finished_at: dt.datetime | None


class ReceptionOut(Schema):
    uuid: str
    code: str | None
    status: str
    status_label: str
    national_status: int
    channel: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    receiving_agency: str
    current_agency: str
    received_at: dt.datetime | None
    received_display: str
    due_at: dt.datetime | None
    due_display: str
    register_number: int | None
    steps: list[StepOut]
    forms: list[FormOut]


def _actor(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        raise PermissionDeniedError("Tiếp nhận hồ sơ cần tài khoản cán bộ một cửa đã đăng nhập.")
    return user


def _agency(user):
    agency = reception.receiving_agency_of(user)
    if agency is None:
        raise PermissionDeniedError("Chỉ cán bộ một cửa đang công tác tại một cơ quan được tiếp nhận hồ sơ.")
    return agency


def _papers(request) -> list[tuple[str, object]]:
    pairs = []
    for field, uploads in request.FILES.lists():
        if not field.startswith(PAPER_FIELD_PREFIX):
            raise DomainError("unknown_file_field",
                              f"Trường tệp “{field[:60]}” không hợp lệ; dùng paper_<uuid thành phần hồ sơ>.")
        pairs.extend((field[len(PAPER_FIELD_PREFIX):], upload) for upload in uploads)
    return pairs


def form_data_parse(raw: str) -> dict:
    """The declaration sent as a JSON text field of a multipart request (counter and citizens' API)."""
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        raise DomainError("invalid_form_data", "Nội dung tờ khai (form_data) phải là JSON hợp lệ.") from None
    if not isinstance(value, dict):
        raise DomainError("invalid_form_data", "Nội dung tờ khai (form_data) phải là một đối tượng JSON.")
    return value


def _applicant(data: ReceptionIn) -> reception.Applicant:
    return reception.Applicant(name=data.applicant_name, kind=data.applicant_kind, id_number=data.applicant_id_number,
                               address=data.applicant_address, phone=data.applicant_phone,
                               email=data.applicant_email)


def _ref(dossier: Dossier) -> str:
    return dossier.code or str(dossier.uuid)


def reception_out(dossier: Dossier) -> dict:
    titles = {record.form_code: record.title for record in
              DossierFile.objects.filter(dossier=dossier, role=FileRole.FORM).order_by("created_at", "pk")}
    forms = [{"form_code": code, "title": titles.get(code) or reception.form_title(code, dossier),
              "url": reverse("api-v1:onestop_reception_form_pdf", kwargs={"ref": _ref(dossier), "form_code": code})}
             for code in reception.issued_form_codes(dossier)]
    steps = [{"order": s.order, "name": s.name, "agency": s.agency.code, "deadline_at": s.deadline_at,
              "finished_at": s.finished_at} for s in dossier.steps.select_related("agency").order_by("order")]
    status = DossierStatus(dossier.status)
    return {
        "uuid": str(dossier.uuid), "code": dossier.code, "status": status.value, "status_label": status.label,
        "national_status": NATIONAL_CODE[status], "channel": dossier.channel,
        "procedure_code": dossier.procedure.code, "procedure_name": dossier.procedure.name,
        "applicant_name": dossier.applicant_name, "receiving_agency": dossier.receiving_agency.code,
        "current_agency": dossier.current_agency.code, "received_at": dossier.received_at,
        "received_display": format_moment(dossier.received_at), "due_at": dossier.due_at,
        "due_display": format_moment(dossier.due_at), "register_number": dossier.register_number,
        "steps": steps, "forms": forms,
    }


@router.post(
    "/dossiers/receive", response={201: ReceptionOut, **ERRORS}, summary="Tiếp nhận hồ sơ tại quầy",
    description="Hồ sơ đầy đủ: cấp mã hồ sơ, tính hạn trả kết quả (giờ chốt 15:00), lập Giấy tiếp nhận và hẹn "
                "trả kết quả (Mẫu 01)." + PAPERS_HELP,
)
def receive(request, data: Form[ReceptionIn]):
    actor = _actor(request)
    dossier = reception.dossier_receive_at_counter(
        actor=actor, agency=_agency(actor), procedure_code=data.procedure_code, applicant=_applicant(data),
        papers=_papers(request), shown_papers=[s for s in data.shown_papers.split(",") if s.strip()],
        form_data=form_data_parse(data.form_data), copies=data.copies, result_delivery=data.result_delivery,
    )
    return Status(201, reception_out(dossier))


@router.post(
    "/dossiers/receive/supplement", response={201: ReceptionOut, **ERRORS},
    summary="Yêu cầu bổ sung, hoàn thiện hồ sơ tại quầy",
    description="Hồ sơ chưa đầy đủ: lưu hồ sơ (chưa cấp mã), lập Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ "
                "(Mẫu 02). `items`: mỗi dòng một nội dung cần bổ sung (để trống: các giấy tờ bắt buộc còn thiếu); "
                "`reason` bắt buộc." + PAPERS_HELP,
)
def receive_supplement(request, data: Form[ReceptionIn]):
    actor = _actor(request)
    dossier = reception.dossier_request_supplement_at_reception(
        actor=actor, agency=_agency(actor), procedure_code=data.procedure_code, applicant=_applicant(data),
        reason=data.reason, items=data.items, papers=_papers(request), form_data=form_data_parse(data.form_data),
        copies=data.copies, result_delivery=data.result_delivery,
    )
    return Status(201, reception_out(dossier))


@router.post(
    "/dossiers/receive/refusal", response={201: ReceptionOut, **ERRORS}, summary="Từ chối tiếp nhận hồ sơ tại quầy",
    description="Lập Phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu 03); `reason` bắt buộc." + PAPERS_HELP,
)
def receive_refusal(request, data: Form[ReceptionIn]):
    actor = _actor(request)
    dossier = reception.dossier_refuse_at_reception(
        actor=actor, agency=_agency(actor), procedure_code=data.procedure_code, applicant=_applicant(data),
        reason=data.reason, papers=_papers(request), form_data=form_data_parse(data.form_data),
    )
    return Status(201, reception_out(dossier))


@router.post(
    "/dossiers/{ref}/accept", response={200: ReceptionOut, **ERRORS}, summary="Tiếp nhận hồ sơ đang chờ",
    description="Hồ sơ nộp trực tuyến hoặc hồ sơ quay lại sau khi bổ sung: cấp mã, tính hạn, lập Mẫu 01. "
                "`ref`: mã hồ sơ hoặc UUID." + PAPERS_HELP,
)
def accept(request, ref: str):
    actor = _actor(request)
    dossier = reception.dossier_by_ref(user=actor, ref=ref)
    dossier = reception.dossier_accept(actor=actor, dossier=dossier, papers=_papers(request))
    return reception_out(dossier)


@router.post(
    "/dossiers/{ref}/reception-supplement", response={200: ReceptionOut, **ERRORS},
    summary="Yêu cầu bổ sung hồ sơ trực tuyến (một lần)",
    description="Thông báo một lần, đầy đủ, cụ thể các nội dung cần bổ sung (Mẫu 02). `items`: mỗi dòng một nội "
                "dung; `reason` bắt buộc.",
)
def reception_supplement(request, ref: str, data: WaitingIn):
    actor = _actor(request)
    dossier = reception.dossier_by_ref(user=actor, ref=ref)
    dossier = reception.dossier_request_supplement_online(actor=actor, dossier=dossier, reason=data.reason,
                                                          items=data.items)
    return reception_out(dossier)


@router.post(
    "/dossiers/{ref}/reception-refusal", response={200: ReceptionOut, **ERRORS},
    summary="Từ chối tiếp nhận hồ sơ đang chờ", description="Lập Mẫu 03 với lý do; `reason` bắt buộc.",
)
def reception_refusal(request, ref: str, data: WaitingIn):
    actor = _actor(request)
    dossier = reception.dossier_by_ref(user=actor, ref=ref)
    dossier = reception.dossier_reject_online_submission(actor=actor, dossier=dossier, reason=data.reason)
    return reception_out(dossier)


@router.get(
    "/dossiers/{ref}/forms/{form_code}.pdf", response={200: None, **ERRORS}, url_name="onestop_reception_form_pdf",
    summary="Phiếu đã lập của hồ sơ (PDF)",
    description="Mẫu 01 (giấy tiếp nhận và hẹn trả kết quả), 02 (yêu cầu bổ sung), 03 (từ chối)... đã lập cho "
                "hồ sơ, đúng bản đã in.",
)
def form_pdf(request, ref: str, form_code: str):
    actor = _actor(request)
    dossier = reception.dossier_by_ref(user=actor, ref=ref)
    return dossier_file_response(reception.dossier_form_file(dossier=dossier, form_code=form_code))
