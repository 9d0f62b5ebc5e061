"""The portal's API (``/api/v1/portal/``): the directive information KPI for administrators, and the public
legal library search and dossier statistics (read-only, no login needed for those two)."""

import datetime as dt

from ninja import Field, Query, Router, Schema

from egov.core.api import ErrorOut
from egov.core.errors import DomainError
from egov.directory.selectors import agency_by_code
from egov.portal import kpi
from egov.portal.services.legal_search import LegalFilters, legal_documents_search
from egov.portal.services.public_stats import public_dossier_statistics

router = Router(tags=["Cổng thông tin"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
MAX_RESULTS = 100


def _date(value: str, label: str, *, required: bool = True) -> dt.date | None:
    text = (value or "").strip()
    if not text and not required:
        return None
    for layout in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise DomainError("invalid_date", f"{label} không hợp lệ: “{text[:40]}”. Nhập theo dạng dd/mm/yyyy.", status=422)


class KpiQuery(Schema):
    date_from: str = Field(..., description="Ban hành từ ngày (dd/mm/yyyy hoặc yyyy-mm-dd)")
    date_to: str = Field(..., description="Đến ngày (dd/mm/yyyy hoặc yyyy-mm-dd), tính cả ngày này")
    agency: str = Field("", description="Mã cơ quan (để trống: mọi cơ quan được xem)")


class KpiRowOut(Schema):
    agency_code: str
    agency_name: str
    total: int
    on_time: int
    late: int
    missing: int
    pending: int
    rate: float | None = Field(description="Phần trăm đăng đúng hạn (trong số văn bản đã đến hạn)")


class KpiItemOut(Schema):
    document_uuid: str
    number_notation: str
    summary: str
    agency: str
    issued_at: dt.datetime
    deadline: dt.datetime
    published_at: dt.datetime | None
    page_url: str
    status: str = Field(description="late | missing | pending")


class KpiOut(Schema):
    date_from: dt.date
    date_to: dt.date
    deadline_working_days: int
    rows: list[KpiRowOut]
    totals: KpiRowOut
    problems: list[KpiItemOut]


@router.get("/directive-kpi", response={200: KpiOut, **ERRORS}, summary="Chỉ số đăng thông tin chỉ đạo, điều hành")
def directive_kpi(request, filters: Query[KpiQuery]):
    """Share of directive documents published on the portal within 2 working days of issue, per agency, and the
    late or missing items. System administrators, agency administrators and the agency's portal editors."""
    agency = None
    if filters.agency.strip():
        agency = agency_by_code(filters.agency)
        if agency is None:
            raise DomainError("agency_not_found", f"Không tìm thấy cơ quan có mã “{filters.agency.strip()}”.",
                              status=404)
    result = kpi.directive_kpi(user=request.user, date_from=_date(filters.date_from, "Từ ngày"),
                               date_to=_date(filters.date_to, "Đến ngày"), agency=agency)
    return {"date_from": result.date_from, "date_to": result.date_to, "deadline_working_days": kpi.DEADLINE_DAYS,
            "rows": [r.as_dict() for r in result.rows], "totals": result.totals.as_dict(),
            "problems": [p.as_dict() for p in result.problems]}


class LegalQuery(Schema):
    q: str = Field("", max_length=200, description="Từ khóa, có dấu hoặc không dấu")
    number: str = Field("", max_length=50, description="Số, ký hiệu, ví dụ 15/2026/QĐ-UBND hoặc qd-ubnd")
    document_type: str = Field("", max_length=100, description="Tên loại văn bản, ví dụ Quyết định")
    issuer: str = Field("", max_length=200, description="Tên cơ quan ban hành")
    field: str = Field("", max_length=150, description="Lĩnh vực")
    date_from: str = Field("", description="Ban hành từ ngày (dd/mm/yyyy)")
    date_to: str = Field("", description="Đến ngày (dd/mm/yyyy)")


class LegalOut(Schema):
    title: str
    number_notation: str
    document_type: str
    issued_date: dt.date
    issuer: str
    field: str
    url: str
    pdf_url: str


@router.get("/legal-documents", response={200: list[LegalOut], **ERRORS}, auth=None,
            summary="Tra cứu văn bản pháp luật (công khai)")
def legal_documents(request, filters: Query[LegalQuery]):
    """The public legal library search (at most 100 results, newest first)."""
    found = legal_documents_search(LegalFilters(
        q=filters.q, number=filters.number, document_type=filters.document_type, issuer=filters.issuer,
        field=filters.field, date_from=_date(filters.date_from, "Từ ngày", required=False),
        date_to=_date(filters.date_to, "Đến ngày", required=False)))[:MAX_RESULTS]
    return [{"title": p.title, "number_notation": p.number_notation, "document_type": p.document_type_name,
             "issued_date": p.issued_date, "issuer": p.issuer_name, "field": p.field, "url": p.url or "",
             "pdf_url": p.pdf.url if p.pdf else ""} for p in found]


class PublicStatsQuery(Schema):
    date_from: str = Field(..., description="Từ ngày (dd/mm/yyyy), theo ngày tiếp nhận")
    date_to: str = Field(..., description="Đến ngày (dd/mm/yyyy)")
    agency: str = Field("", description="Mã cơ quan tiếp nhận")


class PublicStatRowOut(Schema):
    agency_code: str
    label: str
    received: int
    resolved: int
    resolved_on_time: int
    late: int
    in_progress: int
    on_time_rate: float | None


class PublicStatsOut(Schema):
    date_from: dt.date
    date_to: dt.date
    scope_label: str
    rows: list[PublicStatRowOut]
    totals: PublicStatRowOut


@router.get("/statistics", response={200: PublicStatsOut, **ERRORS}, auth=None,
            summary="Thống kê công khai giải quyết hồ sơ thủ tục hành chính")
def public_statistics(request, filters: Query[PublicStatsQuery]):
    """Per receiving agency: received, resolved on time, late, on-time rate (the portal's public table)."""
    return public_dossier_statistics(date_from=_date(filters.date_from, "Từ ngày"),
                                     date_to=_date(filters.date_to, "Đến ngày"), agency_code=filters.agency.strip())
