"""Registers and statistics over the API, under /api/v1/documents/:

GET /registers/incoming, /registers/outgoing        the register for a period, paginated, same columns as the
                                                    printed one (.xlsx and .pdf beside them)
GET /statistics/handling                             assignments per unit: early, on time, late, in progress,
                                                    overdue, with totals and the electronic share of outgoing
                                                    documents (.xlsx beside it)

Dates are dd/mm/yyyy (or yyyy-mm-dd). Same policies as the pages: officials of the agency see, its clerk,
leaders and administrator download. Another system may read its own agency's registers and statistics with an
API token carrying ``documents:read`` (never secret documents).
"""

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from egov.apiclients.auth import require_scope, require_session
from egov.core.api import ErrorOut, PageNumberPagination
from egov.core.errors import NotFound, PermissionDeniedError
from egov.documents import selectors_reports as sel
from egov.documents.models import Direction
from egov.documents.policies.workfiles import AgencyClient
from egov.documents.reports import excel, pdf

router = Router(tags=["Văn bản – Sổ và báo cáo"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class RegisterQuery(Schema):
    date_from: str = Field(..., description="Từ ngày (dd/mm/yyyy): ngày đến với sổ đến, ngày văn bản với sổ đi")
    date_to: str = Field(..., description="Đến ngày (dd/mm/yyyy), tính cả ngày này")
    register_uuid: str = Field("", description="UUID sổ văn bản; để trống: mọi sổ của chiều đó")
    agency: str = Field("", description="Mã cơ quan (chỉ quản trị hệ thống; mặc định cơ quan của người gọi)")


class IncomingRowOut(Schema):
    uuid: str
    arrival_number: str = Field(description="Số đến")
    received_at: str = Field(description="Ngày đến, dd/mm/yyyy HH:MM")
    origin: str = Field(description="Tác giả; số, ký hiệu; ngày văn bản")
    summary: str = Field(description="Tên loại và trích yếu nội dung")
    receivers: str = Field(description="Đơn vị, người nhận")
    due: str = Field(description="Hạn giải quyết, dd/mm/yyyy")
    progress: str = Field(description="Tiến độ giải quyết")
    replies: str = Field(description="Số, ký hiệu văn bản trả lời")
    note: str


class OutgoingRowOut(Schema):
    uuid: str
    number_notation: str
    issued_date: str = Field(description="Ngày tháng văn bản, dd/mm/yyyy")
    summary: str = Field(description="Tên loại và trích yếu nội dung")
    signer: str
    recipients: str = Field(description="Nơi nhận văn bản")
    keeper: str = Field(description="Đơn vị, người nhận bản lưu")
    copies: int | str = Field(description="Số lượng bản")
    dispatched: str = Field(description="Ngày chuyển, dd/mm/yyyy HH:MM")
    receipt: str = Field(description="Ký nhận (để trống trên bản điện tử)")
    note: str


def _caller(request, code: str):
    """(who reads, which agency): the official signed in, or a token client of its own agency."""
    if getattr(request, "api_token", None) is None:
        return request.user, sel.report_agency(request.user, code)
    require_scope(request, "documents:read")
    agency = request.api_agency
    if code and code.strip().lower() not in {agency.code.lower(), (agency.code_qcvn102 or "").lower()}:
        raise PermissionDeniedError("Mã truy cập chỉ dùng được cho sổ văn bản, thống kê của cơ quan được cấp mã.")
    return AgencyClient(agency), agency


def _register(request, filters: RegisterQuery, direction: str, *, export: bool = False) -> sel.Register:
    caller, agency = _caller(request, filters.agency)
    register = sel.register_pick(agency, direction, filters.register_uuid) if filters.register_uuid else None
    return sel.register_for(caller, agency=agency, direction=direction, register=register, export=export,
                            start=sel.parse_day(filters.date_from, label="Từ ngày"),
                            end=sel.parse_day(filters.date_to, label="Đến ngày"))


class _Rows:
    """A register's query set that paginates like a list of rows (pagination slices it, then rows are built)."""

    def __init__(self, register: sel.Register):
        self.register = register

    def count(self) -> int:
        return self.register.count()

    def __getitem__(self, window: slice):
        return list(self.register.rows(self.register.queryset[window]))


@router.get("/registers/incoming", response={200: list[IncomingRowOut], **ERRORS}, summary="Sổ đăng ký văn bản đến")
@paginate(PageNumberPagination)
def register_incoming(request, filters: Query[RegisterQuery]):
    return _Rows(_register(request, filters, Direction.INCOMING))


@router.get("/registers/outgoing", response={200: list[OutgoingRowOut], **ERRORS}, summary="Sổ đăng ký văn bản đi")
@paginate(PageNumberPagination)
def register_outgoing(request, filters: Query[RegisterQuery]):
    return _Rows(_register(request, filters, Direction.OUTGOING))


def _file(content: bytes, register: sel.Register, ext: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "attachment" if ext == "xlsx" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{excel.register_filename(register, ext)}"'
    return response


@router.get("/registers/{direction}.xlsx", response={200: None, **ERRORS}, summary="Sổ văn bản (Excel)",
            description="direction: incoming | outgoing. Văn thư, lãnh đạo, quản trị cơ quan.")
def register_xlsx(request, direction: str, filters: Query[RegisterQuery]):
    register = _register(request, filters, _direction(direction), export=True)
    return _file(excel.register_workbook(register), register, "xlsx", excel.XLSX)


@router.get("/registers/{direction}.pdf", response={200: None, **ERRORS}, summary="Sổ văn bản (PDF, A4 ngang)",
            description=f"direction: incoming | outgoing. Tối đa {sel.REGISTER_PDF_MAX_ROWS} văn bản mỗi lần in.")
def register_pdf(request, direction: str, filters: Query[RegisterQuery]):
    register = _register(request, filters, _direction(direction), export=True)
    officer = request.user if getattr(request, "api_token", None) is None else None
    return _file(pdf.register_pdf(register, officer=officer), register, "pdf", "application/pdf")


def _direction(value: str) -> str:
    if value not in (Direction.INCOMING, Direction.OUTGOING):
        raise NotFound("Sổ văn bản chỉ có incoming (đến) hoặc outgoing (đi).", code="unknown_register")
    return value


class StatsQuery(Schema):
    date_from: str = Field(..., description="Từ ngày (dd/mm/yyyy), theo ngày giao xử lý")
    date_to: str = Field(..., description="Đến ngày (dd/mm/yyyy)")
    agency: str = Field("", description="Mã cơ quan (chỉ quản trị hệ thống)")


class HandlingRowOut(Schema):
    key: str = Field(description="UUID của phòng, ban; để trống với cán bộ không thuộc phòng, ban nào")
    label: str
    total: int
    done: int
    early: int
    on_time: int
    late: int
    in_progress: int
    overdue: int
    on_time_rate: float | None = Field(description="(Trước hạn + đúng hạn) / đã xong, %")


class ShareOut(Schema):
    agency_code: str
    agency_name: str
    issued: int
    electronic: int
    share: float | None = Field(description="Tỷ lệ văn bản đi phát hành điện tử, %; chỉ tiêu 90%")


class HandlingOut(Schema):
    agency_code: str
    period: str
    as_of: str
    rows: list[HandlingRowOut]
    totals: HandlingRowOut
    electronic: list[ShareOut]


def _stats(request, filters: StatsQuery):
    caller, agency = _caller(request, filters.agency)
    start = sel.parse_day(filters.date_from, label="Từ ngày")
    end = sel.parse_day(filters.date_to, label="Đến ngày")
    return (sel.handling_statistics(caller, agency=agency, start=start, end=end),
            sel.electronic_share(caller, agency=agency, start=start, end=end))


@router.get("/statistics/handling", response={200: HandlingOut, **ERRORS},
            summary="Thống kê xử lý văn bản đến theo phòng, ban",
            description=("Việc được giao trong kỳ (chủ trì, phối hợp): trước hạn, đúng hạn, quá hạn, đang xử lý, "
                         "chưa xong đã quá hạn; kèm tỷ lệ văn bản đi phát hành điện tử."))
def statistics_handling(request, filters: Query[StatsQuery]):
    stats, shares = _stats(request, filters)
    return {"agency_code": stats.agency.code, "period": stats.period_label, "as_of": sel.fmt_moment(stats.as_of),
            "rows": [r.as_dict() for r in stats.rows], "totals": stats.totals.as_dict(),
            "electronic": [s.as_dict() for s in shares]}


class ProvinceShareOut(Schema):
    period: str
    target: int = Field(description="Chỉ tiêu, %")
    rows: list[ShareOut]
    total: ShareOut


class PeriodQuery(Schema):
    date_from: str = Field(..., description="Từ ngày (dd/mm/yyyy), theo ngày phát hành")
    date_to: str = Field(..., description="Đến ngày (dd/mm/yyyy)")


@router.get("/statistics/electronic", response={200: ProvinceShareOut, **ERRORS},
            summary="Tỷ lệ văn bản đi phát hành điện tử của các cơ quan (toàn tỉnh)",
            description="Quản trị hệ thống: mỗi cơ quan có văn bản đi phát hành trong kỳ và tổng toàn tỉnh "
                        "(chỉ tiêu 90%).")
def statistics_electronic(request, filters: Query[PeriodQuery]):
    require_session(request)
    start = sel.parse_day(filters.date_from, label="Từ ngày")
    end = sel.parse_day(filters.date_to, label="Đến ngày")
    rows, total = sel.electronic_share_province(request.user, start=start, end=end)
    return {"period": f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}", "target": sel.ELECTRONIC_TARGET,
            "rows": [r.as_dict() for r in rows], "total": total.as_dict()}


@router.get("/statistics/handling.xlsx", response={200: None, **ERRORS}, summary="Thống kê xử lý văn bản (Excel)")
def statistics_handling_xlsx(request, filters: Query[StatsQuery]):
    stats, shares = _stats(request, filters)
    response = HttpResponse(excel.statistics_workbook(stats, shares), content_type=excel.XLSX)
    name = f"thong-ke-xu-ly-van-ban-{stats.agency.code}-{stats.start:%Y%m%d}-{stats.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
