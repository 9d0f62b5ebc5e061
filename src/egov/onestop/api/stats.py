"""Managers' statistics over the API: ``GET /api/v1/onestop/statistics`` (JSON) and
``GET /api/v1/onestop/statistics.xlsx`` (the same table as an Excel workbook).

Same filters and policy as the page (``onestop.statistics``). Dates are ``dd/mm/yyyy`` (also ISO
``yyyy-mm-dd``). An agency's API token needs the scope ``onestop:read`` and sees its agency and the agencies
under it.
"""

import datetime as dt

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from egov.core.api import ErrorOut
from egov.core.errors import DomainError, PermissionDeniedError
from egov.onestop.statistics import GROUPS, Statistics, dossier_statistics
from egov.onestop.stats_excel import statistics_filename, statistics_workbook

router = Router(tags=["Một cửa – Thống kê"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCOPE = "onestop:read"


class StatisticsQuery(Schema):
    date_from: str = Field(..., description="Từ ngày (dd/mm/yyyy hoặc yyyy-mm-dd), theo ngày tiếp nhận")
    date_to: str = Field(..., description="Đến ngày (dd/mm/yyyy hoặc yyyy-mm-dd), tính cả ngày này")
    agency: str = Field("", description="Mã cơ quan tiếp nhận (tính cả các cơ quan trực thuộc)")
    procedure: str = Field("", description="Mã thủ tục hành chính, ví dụ 1.001193")
    group_by: str = Field("agency", description="agency | procedure | agency_procedure | month")


class StatRowOut(Schema):
    key: str
    label: str
    agency_code: str
    agency_name: str
    procedure_code: str
    procedure_name: str
    month: str = Field(description="mm/yyyy khi nhóm theo tháng")
    received: int
    resolved: int
    early: int
    on_time: int
    late: int
    in_progress: int
    refused: int
    withdrawn: int
    returned: int
    online: int
    online_share: float | None = Field(description="Tỷ lệ hồ sơ trực tuyến trên hồ sơ tiếp nhận (%)")
    on_time_rate: float | None = Field(description="Tỷ lệ giải quyết trước và đúng hạn trên hồ sơ đã giải quyết (%)")


class StatisticsOut(Schema):
    date_from: dt.date
    date_to: dt.date
    period: str
    group_by: str
    scope: str
    rows: list[StatRowOut]
    totals: StatRowOut


def _date(value: str, label: str) -> dt.date:
    text = (value or "").strip()
    for layout in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise DomainError("invalid_date", f"{label} không hợp lệ: “{text[:40]}”. Nhập theo dạng dd/mm/yyyy.", status=422)


def _statistics(request, filters: StatisticsQuery) -> Statistics:
    api_token = getattr(request, "api_token", None)
    if api_token is not None and not api_token.has_scope(SCOPE):
        raise PermissionDeniedError(f"Mã truy cập không có phạm vi “{SCOPE}” cần cho thao tác này.",
                                    code="insufficient_scope")
    if filters.group_by not in GROUPS:
        raise DomainError("invalid_group", "group_by phải là một trong: " + ", ".join(GROUPS) + ".", status=422)
    return dossier_statistics(
        user=request.user, api_agency=getattr(request, "api_agency", None) if api_token is not None else None,
        date_from=_date(filters.date_from, "Từ ngày"), date_to=_date(filters.date_to, "Đến ngày"),
        agency=filters.agency or None, procedure=filters.procedure or None, group_by=filters.group_by,
    )


@router.get("/statistics", response={200: StatisticsOut, **ERRORS},
            summary="Thống kê tiếp nhận, giải quyết hồ sơ",
            description=("Theo cơ quan tiếp nhận, thủ tục, cả hai hoặc theo tháng, cho kỳ bất kỳ: số hồ sơ tiếp nhận, "
                         "giải quyết trước hạn / đúng hạn / quá hạn, đang giải quyết, từ chối, rút, đã trả kết quả, "
                         "tỷ lệ trực tuyến và tỷ lệ đúng hạn. Tính theo ngày tiếp nhận, từ số liệu tổng hợp hằng "
                         "ngày (không quét hồ sơ)."))
def statistics(request, filters: Query[StatisticsQuery]):
    stats = _statistics(request, filters)
    return {
        "date_from": stats.date_from, "date_to": stats.date_to, "period": stats.period_label,
        "group_by": stats.group_by, "scope": stats.scope_label,
        "rows": [row.as_dict() for row in stats.rows], "totals": stats.totals.as_dict(),
    }


@router.get("/statistics.xlsx", response={200: None, **ERRORS}, summary="Thống kê hồ sơ (tệp Excel)",
            description="Cùng bộ lọc với /statistics; trả về tệp .xlsx có tiêu đề tiếng Việt và dòng tổng cộng.")
def statistics_xlsx(request, filters: Query[StatisticsQuery]):
    stats = _statistics(request, filters)
    response = HttpResponse(statistics_workbook(stats), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{statistics_filename(stats)}"'
    return response
