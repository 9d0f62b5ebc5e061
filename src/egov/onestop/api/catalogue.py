"""The procedure catalogue API: public reads (the catalogue is public information), import for managers.

GET  /procedures                 paginated; filters field, level, online_mode, q (with or without diacritics)
GET  /procedures/export          ?format=json|xlsx: the whole catalogue, every version (lossless)
POST /procedures/import          JSON document (see egov.onestop.catalogue_io); ?dry_run=true only checks
GET  /procedures/{code}          the version in force today, with papers, steps and fees
GET  /procedures/{code}/versions every version, newest first
GET  /fields                     the fields with their number of public procedures
"""

from typing import Any, Literal

from django.db.models import Count, Q
from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from egov.core.api import ErrorOut, PageNumberPagination
from egov.onestop import catalogue as cat
from egov.onestop.catalogue_io import (
    FORMAT_NAME,
    XLSX_CONTENT_TYPE,
    catalogue_export_json,
    catalogue_export_xlsx,
    catalogue_import,
)
from egov.onestop.models import Field as FieldModel
from egov.onestop.models import ProcedureVersion

router = Router(tags=["Một cửa – danh mục thủ tục"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class FieldOut(Schema):
    code: str
    name: str


class FieldCountOut(FieldOut):
    procedures: int = Field(description="Số thủ tục đang áp dụng của lĩnh vực")


class FeeOut(Schema):
    mode: str = Field(description="truc_tiep | truc_tuyen | buu_chinh")
    vnd: int | None = Field(description="Số tiền (đồng); 0 = miễn phí; null = chưa rõ")
    text: str
    display: str = Field(description="Ví dụ “Trực tiếp: 50.000 đ”")

    @staticmethod
    def resolve_display(obj) -> str:
        return cat.fee_text(obj)

    @staticmethod
    def resolve_vnd(obj):
        return obj.get("vnd")

    @staticmethod
    def resolve_text(obj):
        return obj.get("text") or ""


class ResultOut(Schema):
    code: str = ""
    name: str


class PaperOut(Schema):
    name: str
    kind: str = Field(description="nop (nộp) | xuat_trinh (xuất trình)")
    originals: int
    copies: int
    condition: str
    mandatory: bool


class StepOut(Schema):
    order: int
    name: str
    role: str
    role_label: str
    agency_kind: str
    agency_code: str
    unit_name: str
    allotted_days: int | float | None
    allotted_hours: int | None
    allotted_time: str
    is_consultation: bool

    @staticmethod
    def resolve_role_label(obj) -> str:
        return cat.STEP_ROLES.get(obj.role, obj.role)

    @staticmethod
    def resolve_allotted_days(obj):
        return cat.number_out(obj.allotted_days)

    @staticmethod
    def resolve_allotted_time(obj) -> str:
        return cat.duration_text(obj.allotted_days, obj.allotted_hours)


class VersionOut(Schema):
    number: int
    valid_from: str = Field(description="yyyy-mm-dd")
    valid_to: str | None
    in_force: bool
    implementing_agency: str
    processing_days: int | float | None
    processing_hours: int | None
    processing_time: str = Field(description="Ví dụ “3 ngày làm việc”")
    count_receipt_day: bool
    online_mode: str
    online_mode_label: str
    online_result: bool
    consultation_allowed: bool
    fees: list[FeeOut]
    result_documents: list[ResultOut]
    legal_basis: str
    form_schema: list[dict[str, Any]]
    notes: str
    papers: list[PaperOut]
    steps: list[StepOut]

    @staticmethod
    def resolve_valid_from(obj) -> str:
        return obj.valid_from.isoformat()

    @staticmethod
    def resolve_valid_to(obj):
        return obj.valid_to.isoformat() if obj.valid_to else None

    @staticmethod
    def resolve_in_force(obj) -> bool:
        today = cat.local_today()
        return obj.valid_from <= today and (obj.valid_to is None or obj.valid_to >= today)

    @staticmethod
    def resolve_implementing_agency(obj) -> str:
        return obj.implementing_agency_text

    @staticmethod
    def resolve_processing_days(obj):
        return cat.number_out(obj.processing_days)

    @staticmethod
    def resolve_processing_time(obj) -> str:
        return cat.duration_text(obj.processing_days, obj.processing_hours)

    @staticmethod
    def resolve_online_mode_label(obj) -> str:
        return str(obj.get_online_mode_display())

    @staticmethod
    def resolve_papers(obj):
        return list(obj.papers.all())

    @staticmethod
    def resolve_steps(obj):
        return list(obj.steps.all())


class ProcedureOut(Schema):
    code: str
    name: str
    field: FieldOut
    level: str
    level_label: str
    is_active: bool
    online_mode: str | None = Field(description="full | partial | none (phiên bản mới nhất)")
    processing_time: str

    @staticmethod
    def resolve_level_label(obj) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_online_mode(obj):
        return obj.current_version.online_mode if obj.current_version else None

    @staticmethod
    def resolve_processing_time(obj) -> str:
        version = obj.current_version
        return cat.duration_text(version.processing_days, version.processing_hours) if version else ""


class ProcedureDetailOut(ProcedureOut):
    version: VersionOut | None = Field(description="Phiên bản đang có hiệu lực hôm nay (nếu chưa có: mới nhất)")
    version_count: int = Field(description="Số phiên bản")


class ImportOut(Schema):
    dry_run: bool
    summary: str
    fields_created: list[str]
    fields_updated: list[str]
    created: list[str]
    updated: list[str]
    new_versions: list[str]
    unchanged: list[str]
    warnings: list[str]


class ProcedureFilters(Schema):
    field: str | None = Field(None, description="Mã lĩnh vực, ví dụ ho-tich")
    level: Literal["xa", "tinh", "tinh,xa"] | None = Field(None, description="Cấp thực hiện")
    online_mode: Literal["full", "partial", "none"] | None = Field(None, description="Dịch vụ công trực tuyến")
    q: str | None = Field(None, max_length=200, description="Mã hoặc tên thủ tục, có dấu hay không dấu")


def _versions_qs():
    return ProcedureVersion.objects.prefetch_related("papers", "steps")


@router.get("/procedures", response={200: list[ProcedureOut], **ERRORS}, auth=None,
            summary="Danh sách thủ tục hành chính đang áp dụng")
@paginate(PageNumberPagination)
def procedure_list(request, filters: Query[ProcedureFilters]):
    qs = cat.procedures_public()
    if filters.field:
        qs = qs.filter(field__code=filters.field)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.online_mode:
        qs = qs.filter(current_version__online_mode=filters.online_mode)
    return cat.procedures_search(qs, filters.q)


@router.get("/procedures/export", response={200: None, **ERRORS}, auth=None,
            summary="Xuất toàn bộ danh mục (mọi phiên bản) ra JSON hoặc Excel",
            openapi_extra={"responses": {"200": {"description": "Tệp JSON hoặc .xlsx", "content": {
                "application/json": {}, XLSX_CONTENT_TYPE: {}}}}})
def procedure_export(request, format: Literal["json", "xlsx"] = Query("json", description="json | xlsx")):
    stamp = timezone.localtime().strftime("%Y%m%d")
    if format == "xlsx":
        response = HttpResponse(catalogue_export_xlsx(), content_type=XLSX_CONTENT_TYPE)
    else:
        response = HttpResponse(catalogue_export_json(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="danh-muc-thu-tuc-{stamp}.{format}"'
    return response


IMPORT_BODY = {
    "required": True,
    "description": (f"Tài liệu JSON định dạng “{FORMAT_NAME}” phiên bản 1 (như tệp xuất ra), hoặc danh sách "
                    "thủ tục. Có lỗi thì không nhập phần nào; mọi lỗi nằm trong details."),
    "content": {"application/json": {"schema": {"type": "object", "properties": {
        "format": {"type": "string", "example": FORMAT_NAME},
        "version": {"type": "integer", "example": 1},
        "fields": {"type": "array", "items": {"type": "object"}},
        "procedures": {"type": "array", "items": {"type": "object"}},
    }, "required": ["procedures"]}}},
}


@router.post("/procedures/import", response={200: ImportOut, **ERRORS},
              summary="Nhập danh mục thủ tục (chỉ cán bộ quản lý danh mục)", openapi_extra={"requestBody": IMPORT_BODY})
def procedure_import(request, dry_run: bool = Query(False, description="Chỉ kiểm tra, không ghi")):
    report = catalogue_import(actor=request.user, data=request.body, dry_run=dry_run)
    return {**report.as_dict(), "summary": report.summary()}


@router.get("/procedures/{code}", response={200: ProcedureDetailOut, **ERRORS}, auth=None,
            summary="Một thủ tục: phiên bản đang có hiệu lực với giấy tờ, quy trình, phí")
def procedure_detail(request, code: str):
    procedure = cat.procedure_by_code(code)
    current = cat.procedure_current_version(procedure) or procedure.current_version
    procedure.version = _versions_qs().filter(pk=current.pk).first() if current else None
    procedure.version_count = procedure.versions.count()
    return procedure


@router.get("/procedures/{code}/versions", response={200: list[VersionOut], **ERRORS}, auth=None,
            summary="Mọi phiên bản của một thủ tục, mới nhất trước")
def procedure_versions(request, code: str):
    procedure = cat.procedure_by_code(code)
    return list(_versions_qs().filter(procedure=procedure).order_by("-number"))


@router.get("/fields", response={200: list[FieldCountOut]}, auth=None, summary="Các lĩnh vực thủ tục")
def field_list(request):
    public = Q(procedures__is_active=True, procedures__current_version__isnull=False)
    rows = FieldModel.objects.annotate(n=Count("procedures", filter=public)).order_by("name")
    return [{"code": f.code, "name": f.name, "procedures": f.n} for f in rows]

