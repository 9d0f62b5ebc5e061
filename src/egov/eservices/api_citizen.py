"""The citizens' side of the one-stop API, under ``/api/v1/onestop/online/``: procedures offered online,
online submission, the citizen's own dossiers with their status and messages, supplements, withdrawal,
rating and the download of results (when the procedure returns results online).

These endpoints call the same services as the citizens' pages (``eservices.services``, ``onestop.returns``,
``onestop.processing``), so the rules live in one place. They answer only citizen accounts (session login or
OIDC); another citizen's dossier is "not found", never "forbidden". Papers travel as multipart fields named
``paper_<required paper uuid>``, as at the counter's API.
"""

import datetime as dt
import uuid

from django.urls import reverse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from egov.core.api import ErrorOut
from egov.core.errors import DomainError, NotFound
from egov.core.policies import require
from egov.eservices import policies, selectors
from egov.eservices.services import CITIZEN_ONLY, dossier_submit_online, dossier_supplement_online
from egov.onestop.api.reception import form_data_parse
from egov.onestop.files import dossier_file_response
from egov.onestop.models import DossierFile, Rating
from egov.onestop.processing import dossier_withdraw
from egov.onestop.returns import rating_submit
from egov.onestop.status import NATIONAL_CODE, DossierStatus

router = Router(tags=["Dịch vụ công trực tuyến"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
PAPER_FIELD_PREFIX = "paper_"


class PaperOut(Schema):
    uuid: str
    name: str
    mandatory: bool


class AgencyOut(Schema):
    code: str
    name: str


class OnlineProcedureOut(Schema):
    code: str
    name: str
    online_mode: str
    online_result: bool
    processing_time: str
    papers: list[PaperOut]
    receiving_agencies: list[AgencyOut]
    form_schema: dict | list | None


class SubmissionIn(Schema):
    procedure_code: str = ""
    receiving_agency_code: str = ""
    form_data: str = ""
    applicant_phone: str = ""
    applicant_email: str = ""
    applicant_address: str = ""


class EventOut(Schema):
    at: dt.datetime
    kind: str
    status: str
    note: str
    agency: str | None


class FileOut(Schema):
    uuid: str
    title: str
    role: str
    url: str


class CitizenDossierOut(Schema):
    uuid: str
    code: str | None
    procedure_code: str
    procedure_name: str
    status: str
    status_label: str
    national_status: int
    receiving_agency: AgencyOut
    current_agency: AgencyOut
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    can_supplement: bool
    can_withdraw: bool
    can_rate: bool


class CitizenDossierDetailOut(CitizenDossierOut):
    supplement_request: str
    events: list[EventOut]
    files: list[FileOut]


class SupplementIn(Schema):
    note: str = ""


class WithdrawIn(Schema):
    reason: str = ""


class RatingIn(Schema):
    overall: int | str = ""
    comment: str = ""
    answers: dict[str, str] = {}


def _citizen(request):
    user = getattr(request, "user", None)
    require(policies.is_citizen(user), CITIZEN_ONLY)
    return user


def _papers(request) -> dict:
    papers: dict = {}
    for field, uploads in request.FILES.lists():
        if not field.startswith(PAPER_FIELD_PREFIX):
            continue
        if len(uploads) > 1:
            raise DomainError("one_file_per_paper", "Mỗi thành phần hồ sơ nộp trực tuyến gửi một tệp (gộp thành PDF "
                              "nếu có nhiều trang).", status=422)
        papers[field[len(PAPER_FIELD_PREFIX):]] = uploads[0]
    return papers


def _processing_time(version) -> str:
    if version.processing_hours:
        return f"{version.processing_hours} giờ làm việc"
    if version.processing_days is not None:
        return f"{version.processing_days.normalize():f} ngày làm việc".replace(".", ",")
    return ""


def _agency(agency) -> dict:
    return {"code": agency.code, "name": agency.name}


def _dossier_out(user, dossier) -> dict:
    status = DossierStatus(dossier.status)
    rated = Rating.objects.filter(dossier=dossier).exists()
    return {
        "uuid": str(dossier.uuid), "code": dossier.code, "procedure_code": dossier.procedure.code,
        "procedure_name": dossier.procedure.name, "status": status.value, "status_label": status.label,
        "national_status": NATIONAL_CODE[status], "receiving_agency": _agency(dossier.receiving_agency),
        "current_agency": _agency(dossier.current_agency), "submitted_at": dossier.submitted_at,
        "received_at": dossier.received_at, "due_at": dossier.due_at, "finished_at": dossier.finished_at,
        "can_supplement": policies.can_supplement(user, dossier),
        "can_withdraw": policies.can_withdraw(user, dossier),
        "can_rate": policies.can_rate(user, dossier, already_rated=rated),
    }


def _file_url(dossier, record) -> str:
    return reverse("api-v1:eservices_online_file", kwargs={"dossier_uuid": dossier.uuid, "file_uuid": record.uuid})


def _detail_out(user, dossier) -> dict:
    files = [*selectors.dossier_own_files(dossier), *selectors.dossier_issued_forms(dossier)]
    if policies.can_download_result(user, dossier):
        files.extend(selectors.dossier_result_files(dossier))
    request = selectors.dossier_last_request(dossier) if policies.can_supplement(user, dossier) else None
    return {
        **_dossier_out(user, dossier),
        "supplement_request": request.note if request else "",
        "events": [{"at": event.at, "kind": event.kind, "status": event.to_status or "", "note": event.note,
                    "agency": event.agency.name if event.agency_id else None}
                   for event in selectors.dossier_public_events(dossier)],
        "files": [{"uuid": str(record.uuid), "title": record.title or record.original_name, "role": record.role,
                   "url": _file_url(dossier, record)} for record in files],
    }


@router.get("/procedures", response={200: list[OnlineProcedureOut], **ERRORS},
            summary="Thủ tục nộp được trực tuyến", auth=None,
            description="Thủ tục đang hiệu lực có dịch vụ công trực tuyến (toàn trình hoặc một phần), tìm có hoặc "
                        "không dấu; kèm giấy tờ cần tải lên, nơi tiếp nhận và mẫu tờ khai.")
def online_procedures(request, q: str = ""):
    found = []
    for procedure in selectors.procedures_for_citizens(q=q or None)[:100]:
        procedure, version = selectors.procedure_for_citizen(procedure.code)
        found.append({
            "code": procedure.code, "name": procedure.name, "online_mode": version.online_mode,
            "online_result": version.online_result,
            "processing_time": _processing_time(version),
            "papers": [{"uuid": str(paper.uuid), "name": paper.name, "mandatory": bool(paper.mandatory)}
                       for paper in selectors.submit_papers(version)],
            "receiving_agencies": [_agency(agency) for agency in selectors.receiving_agencies(procedure, version)],
            "form_schema": version.form_schema,
        })
    return found


@router.post("/dossiers", response={201: CitizenDossierDetailOut, **ERRORS}, summary="Nộp hồ sơ trực tuyến",
             description="Hồ sơ vào hàng chờ tiếp nhận của cơ quan (trạng thái “Mới đăng ký”); mã hồ sơ và hạn trả "
                         "kết quả được cấp khi Bộ phận Một cửa tiếp nhận. Tệp giấy tờ: trường multipart "
                         "`paper_<uuid thành phần hồ sơ>`; tờ khai: `form_data` (JSON).")
def online_submit(request, data: Form[SubmissionIn]):
    citizen = _citizen(request)
    dossier = dossier_submit_online(
        citizen=citizen, procedure_code=data.procedure_code.strip(), form_data=form_data_parse(data.form_data),
        papers=_papers(request), receiving_agency_code=data.receiving_agency_code.strip() or None,
        applicant={"phone": data.applicant_phone, "email": data.applicant_email, "address": data.applicant_address},
    )
    return Status(201, _detail_out(citizen, selectors.citizen_dossier(citizen, dossier.uuid)))


@router.get("/dossiers", response={200: list[CitizenDossierOut], **ERRORS}, summary="Hồ sơ của tôi")
def online_dossiers(request):
    citizen = _citizen(request)
    return [_dossier_out(citizen, dossier) for dossier in selectors.citizen_dossiers(citizen)[:200]]


@router.get("/dossiers/{dossier_uuid}", response={200: CitizenDossierDetailOut, **ERRORS},
            summary="Trạng thái, thông báo và tệp của một hồ sơ của tôi")
def online_dossier(request, dossier_uuid: str):
    citizen = _citizen(request)
    return _detail_out(citizen, selectors.citizen_dossier(citizen, _uuid(dossier_uuid)))


@router.post("/dossiers/{dossier_uuid}/supplement", response={200: CitizenDossierDetailOut, **ERRORS},
             summary="Bổ sung hồ sơ trực tuyến", description="Tệp bổ sung: trường multipart `files` (lặp lại).")
def online_supplement(request, dossier_uuid: str, data: Form[SupplementIn],
                      files: File[list[UploadedFile]] = None):
    citizen = _citizen(request)
    dossier = selectors.citizen_dossier(citizen, _uuid(dossier_uuid))
    dossier_supplement_online(citizen=citizen, dossier=dossier, files=files or [], note=data.note)
    return _detail_out(citizen, selectors.citizen_dossier(citizen, dossier.uuid))


@router.post("/dossiers/{dossier_uuid}/withdraw", response={200: CitizenDossierDetailOut, **ERRORS},
             summary="Rút hồ sơ")
def online_withdraw(request, dossier_uuid: str, data: WithdrawIn):
    citizen = _citizen(request)
    dossier = selectors.citizen_dossier(citizen, _uuid(dossier_uuid))
    if not policies.can_withdraw(citizen, dossier):
        raise DomainError("illegal_transition", "Hồ sơ đã kết thúc, không thể rút.", status=409)
    dossier_withdraw(dossier=dossier, actor=citizen, reason=data.reason)
    return _detail_out(citizen, selectors.citizen_dossier(citizen, dossier.uuid))


@router.post("/dossiers/{dossier_uuid}/rating", response={201: CitizenDossierDetailOut, **ERRORS},
             summary="Đánh giá việc giải quyết hồ sơ (NĐ 61/2018 Điều 31)")
def online_rate(request, dossier_uuid: str, data: RatingIn):
    citizen = _citizen(request)
    dossier = selectors.citizen_dossier(citizen, _uuid(dossier_uuid))
    rating_submit(dossier=dossier, actor=citizen, answers=data.answers, overall=data.overall, comment=data.comment,
                  source="online")
    return Status(201, _detail_out(citizen, selectors.citizen_dossier(citizen, dossier.uuid)))


@router.get("/dossiers/{dossier_uuid}/files/{file_uuid}", response={200: None, **ERRORS},
            url_name="eservices_online_file", summary="Tải tệp của hồ sơ",
            description="Giấy tờ đã nộp, phiếu đã cấp và kết quả (khi thủ tục trả kết quả trực tuyến và hồ sơ đã "
                        "có kết quả).")
def online_file(request, dossier_uuid: str, file_uuid: str):
    citizen = _citizen(request)
    dossier = selectors.citizen_dossier(citizen, _uuid(dossier_uuid))
    record = DossierFile.objects.filter(dossier=dossier, uuid=_uuid(file_uuid)).first()
    if record is None or not policies.can_download_file(citizen, dossier, record):
        raise DomainError("file_not_found", "Không tìm thấy tệp hoặc tệp chưa được phép tải về.", status=404)
    return dossier_file_response(record, download=True)


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound("Không tìm thấy hồ sơ.", code="dossier_not_found") from None
