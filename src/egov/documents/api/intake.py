"""Intake over the API: upload a document file (multipart), list the agency's files, follow a file's steps and
suggestions, retry a failed step. Same services and rules as the clerk's pages; files are addressed by UUID."""

import datetime as dt

from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from egov.core.api import ErrorOut, PageNumberPagination
from egov.core.errors import PermissionDeniedError
from egov.documents.models import DocumentFile, FileKind
from egov.documents.services.intake import (
    INTERRUPTED_MESSAGE,
    SUGGESTION_KEYS,
    file_upload,
    intake_agency_of,
    intake_file_for,
    intake_files_visible_to,
    intake_retry,
    intake_state,
    step_interrupted,
)

router = Router(tags=["Văn bản – Tiếp nhận tệp"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class IntakeStepOut(Schema):
    name: str
    label: str
    position: int
    status: str
    status_label: str
    attempts: int
    error: str
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class IntakeSuggestionsOut(Schema):
    number_notation: str = ""
    number: str = ""
    notation: str = ""
    issued_date: str = ""
    issuer_name: str = ""
    type_code: str = ""
    type_name: str = ""
    summary: str = ""


class IntakeFileOut(Schema):
    uuid: str
    original_name: str
    kind: str
    content_type: str
    size: int
    sha256: str
    page_count: int | None
    text_source: str
    has_searchable_copy: bool
    state: str
    steps: list[IntakeStepOut]
    suggestions: IntakeSuggestionsOut
    uploaded_at: dt.datetime


class IntakeUploadIn(Schema):
    kind: str = FileKind.MAIN


def file_out(record: DocumentFile) -> dict:
    steps = [{"name": s.name, "label": s.get_name_display(), "position": s.position, "status": s.status,
              "status_label": s.get_status_display(), "attempts": s.attempts,
              "error": s.error or (INTERRUPTED_MESSAGE if step_interrupted(s) else ""),
              "started_at": s.started_at, "finished_at": s.finished_at} for s in record.intake_steps.all()]
    suggestions = {key: str((record.suggestions or {}).get(key, "") or "") for key in SUGGESTION_KEYS}
    return {"uuid": str(record.uuid), "original_name": record.original_name, "kind": record.kind,
            "content_type": record.content_type, "size": record.size, "sha256": record.sha256,
            "page_count": record.page_count, "text_source": record.text_source,
            "has_searchable_copy": bool(record.searchable_file), "state": intake_state(record), "steps": steps,
            "suggestions": suggestions, "uploaded_at": record.created_at}


def _actor(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or intake_agency_of(user) is None:
        raise PermissionDeniedError("Chỉ văn thư, cán bộ đang công tác tại một cơ quan mới được tiếp nhận tệp văn bản.")
    return user


@router.post(
    "/intake/files", response={201: IntakeFileOut, **ERRORS}, summary="Tải lên một tệp văn bản để tiếp nhận",
    description="Multipart, trường `file`; chỉ nhận PDF, DOCX, PNG, JPEG, TIFF (kiểm tra theo nội dung), giới hạn "
                "dung lượng theo cấu hình. Tệp được lưu ngay, sau đó các bước (kiểm tra định dạng, trích xuất văn "
                "bản, OCR tiếng Việt, gợi ý thông tin) chạy nền; theo dõi bằng `GET /intake/files/{uuid}`.",
)
def upload(request, file: File[UploadedFile], data: Form[IntakeUploadIn]):
    actor = _actor(request)
    record = file_upload(actor=actor, agency=intake_agency_of(actor), uploaded_file=file, kind=data.kind)
    return Status(201, file_out(DocumentFile.objects.prefetch_related("intake_steps").get(pk=record.pk)))


class IntakeListFilter(Schema):
    pending: bool = True  # only files not yet attached to a registered document


class _Rows:
    """Builds only the requested page's rows (the paginator slices first)."""

    def __init__(self, qs):
        self.qs = qs

    def count(self) -> int:
        return self.qs.count()

    def __getitem__(self, bounds):
        return [file_out(record) for record in self.qs[bounds]]


@router.get("/intake/files", response={200: list[IntakeFileOut], **ERRORS},
            summary="Các tệp đã tải lên của cơ quan",
            description="Mới nhất trước; mặc định chỉ các tệp chưa gắn vào văn bản đã vào sổ "
                        "(`pending=false`: tất cả).")
@paginate(PageNumberPagination)
def file_list(request, filters: Query[IntakeListFilter]):
    qs = intake_files_visible_to(_actor(request)).prefetch_related("intake_steps").order_by("-created_at", "-pk")
    if filters.pending:
        qs = qs.filter(incoming__isnull=True, outgoing__isnull=True)
    return _Rows(qs)


@router.get("/intake/files/{file_uuid}", response={200: IntakeFileOut, **ERRORS},
            summary="Trạng thái xử lý và thông tin gợi ý của một tệp")
def status(request, file_uuid: str):
    record = intake_file_for(user=_actor(request), file_uuid=file_uuid)
    return file_out(record)


@router.post("/intake/files/{file_uuid}/retry", response={202: IntakeFileOut, **ERRORS},
             summary="Chạy lại từ bước bị lỗi",
             description="Bước lỗi và các bước sau được đặt lại trạng thái chờ rồi chạy nền; "
                         "409 khi không có bước lỗi.")
def retry(request, file_uuid: str):
    actor = _actor(request)
    record = intake_file_for(user=actor, file_uuid=file_uuid)
    intake_retry(actor=actor, file=record)
    return Status(202, file_out(DocumentFile.objects.prefetch_related("intake_steps").get(pk=record.pk)))
