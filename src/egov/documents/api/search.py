"""Document search over the API: ``GET /api/v1/documents/search?q=...`` with the page's filters and policy.

Officials see what the search page shows them; an agency's API token (scope ``documents:read``) finds the
agency's documents that every official of it may see. Snippets are HTML-escaped text with ``<mark>`` only.
"""

import datetime as dt

from ninja import Field, Query, Router, Schema

from egov.apiclients.auth import scope_required
from egov.core.api import ErrorOut
from egov.core.errors import DomainError
from egov.documents.search_index import documents_search
from egov.documents.views.search import hit_status_label, hit_url
from egov.search.backends import SearchFilters

router = Router(tags=["Văn bản – Tìm kiếm"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


class SearchQuery(Schema):
    q: str = Field("", max_length=300, description="Từ khóa: số/ký hiệu, trích yếu, cơ quan ban hành, toàn văn; "
                                                   "có dấu hoặc không dấu")
    direction: str = Field("", pattern="^(|incoming|outgoing)$", description="incoming | outgoing")
    type: str = Field("", max_length=20, description="Mã loại văn bản, ví dụ quyet-dinh")
    issuer: str = Field("", max_length=200, description="Cơ quan ban hành (cụm từ trong tên)")
    status: str = Field("", max_length=20, description="Trạng thái văn bản")
    register_uuid: str = Field("", max_length=36, alias="register", description="UUID của sổ văn bản")
    date_from: str = Field("", description="Ngày văn bản từ (dd/mm/yyyy hoặc yyyy-mm-dd)")
    date_to: str = Field("", description="Ngày văn bản đến (dd/mm/yyyy hoặc yyyy-mm-dd), tính cả ngày này")
    page: int = Field(1, ge=1, le=500)
    page_size: int = Field(20, ge=1, le=100)


class HitOut(Schema):
    direction: str
    uuid: str
    number_notation: str
    summary: str
    issuer: str
    type_name: str
    status: str
    status_label: str
    date: dt.date | None
    score: float
    summary_html: str = Field(description="Trích yếu đã thoát HTML, từ khớp trong <mark>")
    snippet_html: str = Field(description="Đoạn toàn văn có từ khớp (đã thoát HTML, <mark>), rỗng nếu không có")
    url: str = Field(description="Trang chi tiết trong hệ thống (rỗng nếu chưa có)")


class SearchOut(Schema):
    items: list[HitOut]
    count: int
    page: int
    page_size: int
    pages: int


def _date(value: str, label: str) -> dt.date | None:
    text = (value or "").strip()
    if not text:
        return None
    for layout in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise DomainError("invalid_date", f"{label} không hợp lệ: “{text[:40]}”. Nhập theo dạng dd/mm/yyyy.", status=422)


@router.get("/search", response={200: SearchOut, **ERRORS}, summary="Tìm văn bản",
            description="Tìm toàn văn tiếng Việt (có dấu hoặc không dấu), xếp hạng theo mức độ phù hợp, chỉ trong "
                        "các văn bản người gọi được xem; lọc theo loại, cơ quan ban hành, ngày, trạng thái, sổ.")
@scope_required("documents:read")
def documents_search_api(request, params: Query[SearchQuery]):
    filters = SearchFilters(direction=params.direction, type_code=params.type, issuer=params.issuer,
                            status=params.status, register=params.register_uuid,
                            date_from=_date(params.date_from, "Ngày bắt đầu"),
                            date_to=_date(params.date_to, "Ngày kết thúc"))
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise DomainError("invalid_period", "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.", status=422)
    result = documents_search(user=request.user, query=params.q, filters=filters, page=params.page,
                              page_size=params.page_size, api_agency=getattr(request, "api_agency", None))
    items = [{**h.__dict__, "status_label": hit_status_label(h), "url": hit_url(h)} for h in result.hits]
    return {"items": items, "count": result.total, "page": result.page, "page_size": result.page_size,
            "pages": result.pages}
