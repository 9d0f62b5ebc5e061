"""Work files over the API, under /api/v1/documents/workfiles: the yearly file list, approval, a file's life
(open, add or remove documents, close, hand over) and its index as JSON, Excel or PDF.

Same services and policies as the pages; the caller is an official signed in (the rules are about his agency
and role), so token clients get a 403. Errors are ``{"code", "message"}`` in Vietnamese.
"""

import datetime as dt
import uuid

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from egov.apiclients.auth import require_session
from egov.core.api import ErrorOut, PageNumberPagination
from egov.documents import selectors_reports as sel
from egov.documents.models import WorkFile, WorkFileStatus
from egov.documents.reports import excel, pdf
from egov.documents.services import workfiles as svc

router = Router(tags=["Văn bản – Hồ sơ công việc"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class WorkFileIn(Schema):
    year: str = Field("", description="Năm của danh mục hồ sơ (FileCatalog), ví dụ 2026")
    notation: str = Field("", description="Số, ký hiệu hồ sơ (FileNotation), ví dụ 01.TCCB")
    title: str = ""
    heading: str = Field("", description="Đề mục trong danh mục")
    retention: str = Field("", description="Mã hoặc tên thời hạn bảo quản: vinh-vien, 70-nam, … 5-nam, 2-nam")
    unit: str = Field("", description="UUID phòng, ban lập hồ sơ")
    owner: str = Field("", description="Tên đăng nhập của người lập hồ sơ (cán bộ của cơ quan)")
    rights: str = ""
    language: str = ""
    description: str = ""
    open_now: bool = Field(False, description="Mở hồ sơ ngay sau khi thêm vào danh mục")


class ApproveIn(Schema):
    year: str


class ApproveOut(Schema):
    year: int
    approved: int


class OpenIn(Schema):
    start_date: str = Field("", description="Ngày mở (dd/mm/yyyy), mặc định hôm nay")


class DocumentIn(Schema):
    incoming: str = Field("", description="UUID văn bản đến")
    outgoing: str = Field("", description="UUID văn bản đi")


class CloseIn(Schema):
    end_date: str = Field("", description="Ngày kết thúc (dd/mm/yyyy), mặc định hôm nay")
    retention: str = Field("", description="Thời hạn bảo quản sau khi xem lại (để trống: giữ nguyên)")
    title: str | None = Field(None, description="Tiêu đề sau khi xem lại (để trống: giữ nguyên)")


class WorkFileOut(Schema):
    uuid: uuid.UUID
    file_code: str = Field(description="Mã hồ sơ: mã định danh cơ quan + năm + số, ký hiệu")
    agency_code: str
    year: int
    notation: str
    heading: str
    title: str
    retention: str
    retention_years: int | None = Field(description="Để trống: vĩnh viễn")
    rights: str
    language: str
    unit: str
    owner: str
    status: str
    status_label: str
    start_date: dt.date | None
    end_date: dt.date | None
    approved_by: str
    approved_at: dt.datetime | None
    archived_at: dt.datetime | None
    description: str
    doc_total: int


class ItemOut(Schema):
    ordinal: int
    direction: str = Field(description="Đến | Đi")
    uuid: str
    number_notation: str
    issued_date: dt.date | None
    issuer: str
    type_name: str
    summary: str
    page_count: int | None
    description: str


class IndexOut(Schema):
    file: WorkFileOut
    doc_total: int
    page_total: int
    items: list[ItemOut]


def _out(work_file: WorkFile, doc_total: int | None = None) -> dict:
    total = doc_total if doc_total is not None else getattr(work_file, "doc_total", None)
    return {
        "uuid": work_file.uuid, "file_code": svc.workfile_code(work_file), "agency_code": work_file.agency.code,
        "year": work_file.year, "notation": work_file.notation, "heading": work_file.heading,
        "title": work_file.title, "retention": work_file.retention.name, "retention_years": work_file.retention.years,
        "rights": work_file.rights, "language": work_file.language,
        "unit": work_file.unit.name if work_file.unit_id else "",
        "owner": (work_file.owner.full_name or work_file.owner.username) if work_file.owner_id else "",
        "status": work_file.status, "status_label": work_file.get_status_display(),
        "start_date": work_file.start_date, "end_date": work_file.end_date,
        "approved_by": str(work_file.approved_by) if work_file.approved_by_id else "",
        "approved_at": work_file.approved_at, "archived_at": work_file.archived_at,
        "description": work_file.description,
        "doc_total": total if total is not None else work_file.items.count(),
    }


def _file(request, ref) -> WorkFile:
    require_session(request)
    return sel.workfile_for(request.user, ref)


def _day(value: str, label: str) -> dt.date | None:
    return sel.parse_day(value, label=label) if (value or "").strip() else None


class ListQuery(Schema):
    year: int | None = Field(None, description="Năm của danh mục; để trống: mọi năm")
    status: str = Field("", description="planned | open | closed | archived")
    agency: str = Field("", description="Mã cơ quan (chỉ quản trị hệ thống; mặc định cơ quan của người gọi)")


@router.get("/workfiles", response={200: list[WorkFileOut], **ERRORS}, summary="Danh mục hồ sơ của cơ quan")
@paginate(PageNumberPagination)
def workfile_list(request, filters: Query[ListQuery]):
    require_session(request)
    agency = sel.report_agency(request.user, filters.agency)
    status = filters.status if filters.status in WorkFileStatus.values else ""
    return [_out(f) for f in sel.workfiles_for(request.user, agency=agency, year=filters.year, status=status)]


@router.post("/workfiles", response={201: WorkFileOut, **ERRORS}, summary="Thêm hồ sơ vào danh mục",
             description="Văn thư, lãnh đạo hoặc quản trị cơ quan; số, ký hiệu không trùng trong năm.")
def workfile_create(request, data: WorkFileIn):
    require_session(request)
    work_file = svc.workfile_create(
        actor=request.user, year=data.year, notation=data.notation, title=data.title, heading=data.heading,
        retention=data.retention, unit=data.unit or None, owner=data.owner or None, rights=data.rights,
        language=data.language, description=data.description)
    if data.open_now:
        work_file = svc.workfile_open(actor=request.user, work_file=work_file)
    return Status(201, _out(work_file, 0))


@router.post("/workfiles/approve", response={200: ApproveOut, **ERRORS}, summary="Duyệt danh mục hồ sơ của năm",
             description="Lãnh đạo hoặc quản trị cơ quan; ghi người duyệt và thời điểm cho các hồ sơ chưa duyệt.")
def workfile_list_approve(request, data: ApproveIn):
    require_session(request)
    count = svc.file_list_approve(actor=request.user, year=data.year)
    return {"year": int(data.year), "approved": count}


@router.get("/workfiles/due-for-hand-over", response={200: list[WorkFileOut], **ERRORS},
            summary="Hồ sơ đến hạn nộp lưu",
            description="Đã đóng quá 1 năm, thời hạn bảo quản từ 5 năm trở lên hoặc vĩnh viễn.")
def workfiles_due(request, agency: str = ""):
    require_session(request)
    found = sel.report_agency(request.user, agency)
    return [_out(f) for f in sel.workfiles_due_for_handover(agency=found)]


@router.get("/workfiles/{ref}", response={200: WorkFileOut, **ERRORS}, summary="Một hồ sơ")
def workfile_detail(request, ref: str):
    return _out(_file(request, ref))


@router.post("/workfiles/{ref}/open", response={200: WorkFileOut, **ERRORS}, summary="Mở hồ sơ")
def workfile_open(request, ref: str, data: OpenIn):
    work_file = svc.workfile_open(actor=request.user, work_file=_file(request, ref),
                                  start_date=_day(data.start_date, "Ngày mở hồ sơ"))
    return _out(work_file)


@router.post("/workfiles/{ref}/documents", response={201: ItemOut, **ERRORS}, summary="Đưa văn bản vào hồ sơ",
             description="Văn bản đến hoặc đi của chính cơ quan, vào cuối hồ sơ đang mở (số thứ tự tiếp theo).")
def workfile_document_add(request, ref: str, data: DocumentIn):
    work_file = _file(request, ref)
    item = svc.workfile_document_add(actor=request.user, work_file=work_file, incoming=data.incoming or None,
                                     outgoing=data.outgoing or None)
    row = next(r for r in sel.workfile_index(work_file).rows if r["ordinal"] == item.ordinal)
    return Status(201, row)


@router.post("/workfiles/{ref}/documents/remove", response={200: IndexOut, **ERRORS},
             summary="Bỏ văn bản khỏi hồ sơ", description="Chỉ khi hồ sơ đang mở; các văn bản sau được đánh lại số.")
def workfile_document_remove(request, ref: str, data: DocumentIn):
    work_file = _file(request, ref)
    svc.workfile_document_remove(actor=request.user, work_file=work_file, incoming=data.incoming or None,
                                 outgoing=data.outgoing or None)
    return _index(work_file)


@router.post("/workfiles/{ref}/close", response={200: WorkFileOut, **ERRORS}, summary="Đóng hồ sơ")
def workfile_close(request, ref: str, data: CloseIn):
    work_file = svc.workfile_close(actor=request.user, work_file=_file(request, ref),
                                   end_date=_day(data.end_date, "Ngày kết thúc"), retention=data.retention or None,
                                   title=data.title)
    return _out(work_file)


@router.post("/workfiles/{ref}/hand-over", response={200: WorkFileOut, **ERRORS},
             summary="Nộp lưu hồ sơ vào lưu trữ cơ quan",
             description="Hồ sơ đã đóng, thời hạn bảo quản từ 5 năm trở lên hoặc vĩnh viễn.")
def workfile_hand_over(request, ref: str):
    return _out(svc.workfile_hand_over(actor=request.user, work_file=_file(request, ref)))


def _index(work_file: WorkFile) -> dict:
    work_file = WorkFile.objects.select_related("agency", "retention", "unit", "owner", "approved_by").get(
        pk=work_file.pk)
    index = sel.workfile_index(work_file)
    return {"file": _out(work_file, index.doc_total), "doc_total": index.doc_total, "page_total": index.page_total,
            "items": index.rows}


@router.get("/workfiles/{ref}/index", response={200: IndexOut, **ERRORS}, summary="Mục lục văn bản của hồ sơ")
def workfile_index(request, ref: str):
    return _index(_file(request, ref))


@router.get("/workfiles/{ref}/index.xlsx", response={200: None, **ERRORS}, summary="Mục lục văn bản (Excel)")
def workfile_index_xlsx(request, ref: str):
    index = sel.workfile_index(_file(request, ref))
    response = HttpResponse(excel.index_workbook(index), content_type=excel.XLSX)
    response["Content-Disposition"] = f'attachment; filename="muc-luc-{index.code}.xlsx"'
    return response


@router.get("/workfiles/{ref}/index.pdf", response={200: None, **ERRORS}, summary="Mục lục văn bản (PDF)")
def workfile_index_pdf(request, ref: str):
    index = sel.workfile_index(_file(request, ref))
    response = HttpResponse(pdf.index_pdf(index), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="muc-luc-{index.code}.pdf"'
    return response
