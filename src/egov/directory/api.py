"""API of the directory (/api/v1/directory/...).

Agencies are public information: anyone may list active agencies and read one by any of its codes (ours,
QCVN 102 or Decision 20/2020). Officials are listed only to logged-in officials, filtered by the policy.
"""

import datetime as dt
import uuid

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from egov.core.api import ErrorOut, PageNumberPagination
from egov.core.errors import NotFound, PermissionDeniedError
from egov.directory import policies
from egov.directory.excel.layout import kind_label, role_label
from egov.directory.models import AgencyKind
from egov.directory.selectors import (
    agency_by_code,
    agency_predecessor_links,
    agency_successor_links,
    text_matches,
)

router = Router(tags=["Danh bạ"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class AgencyOut(Schema):
    uuid: uuid.UUID
    code: str = Field(description="Mã của cơ quan trong hệ thống (dùng trong đường dẫn)")
    name: str
    abbreviation: str = Field(description="Chữ viết tắt dùng trong ký hiệu văn bản")
    kind: str
    kind_label: str
    parent_code: str | None
    code_qcvn102: str | None = Field(description="Mã định danh theo QCVN 102:2016, ví dụ 000.00.00.H12")
    code_qd20: str | None = Field(description="Mã định danh theo Quyết định 20/2020/QĐ-TTg, ví dụ H12.05")
    admin_unit_code: str = Field(description="Mã đơn vị hành chính (xã, phường)")
    address: str
    phone: str
    email: str
    is_active: bool
    valid_from: dt.date | None
    valid_to: dt.date | None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return kind_label(obj.kind)

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


class SuccessionOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    effective_date: dt.date
    decision: str


class FormerNameOut(Schema):
    name: str
    abbreviation: str
    valid_to: dt.date
    decision: str


class AgencyDetailOut(AgencyOut):
    predecessors: list[SuccessionOut]
    successors: list[SuccessionOut]
    former_names: list[FormerNameOut]


class OfficialOut(Schema):
    uuid: uuid.UUID
    username: str
    full_name: str
    role: str
    role_label: str
    agency_code: str
    agency_name: str
    unit_code: str | None
    unit_name: str | None
    position: str | None
    phone: str
    email: str
    is_active: bool

    @staticmethod
    def resolve_username(obj) -> str:
        return obj.user.username

    @staticmethod
    def resolve_full_name(obj) -> str:
        return obj.user.full_name

    @staticmethod
    def resolve_role(obj) -> str:
        return obj.user.role

    @staticmethod
    def resolve_role_label(obj) -> str:
        return role_label(obj.user.role)

    @staticmethod
    def resolve_agency_code(obj) -> str:
        return obj.agency.code

    @staticmethod
    def resolve_agency_name(obj) -> str:
        return obj.agency.name

    @staticmethod
    def resolve_unit_code(obj) -> str | None:
        return obj.unit.code if obj.unit_id else None

    @staticmethod
    def resolve_unit_name(obj) -> str | None:
        return obj.unit.name if obj.unit_id else None

    @staticmethod
    def resolve_position(obj) -> str | None:
        return obj.position.name if obj.position_id else None

    @staticmethod
    def resolve_is_active(obj) -> bool:
        return obj.is_active and obj.user.is_active


class AgencyFilters(Schema):
    q: str | None = Field(None, max_length=100, description="Tên, chữ viết tắt hoặc mã; có dấu hay không dấu")
    kind: AgencyKind | None = Field(None, description="Loại cơ quan")
    parent: str | None = Field(None, max_length=40, description="Mã cơ quan cấp trên")
    include_inactive: bool = Field(False, description="Gồm cả cơ quan đã giải thể, sáp nhập (chỉ cán bộ)")


class OfficialFilters(Schema):
    q: str | None = Field(None, max_length=100, description="Họ tên, tên đăng nhập, điện thoại, thư điện tử")
    agency: str | None = Field(None, max_length=40, description="Mã cơ quan")


def _visible_agency(request, code: str):
    agency = agency_by_code(code, queryset=policies.agencies_visible_to(request.user))
    if agency is None:
        raise NotFound(f"Không tìm thấy cơ quan mã “{code[:40]}”.")
    return agency


def _require_official(request) -> None:
    if not policies.is_official(request.user):
        raise PermissionDeniedError("Danh sách cán bộ chỉ dành cho cán bộ, công chức đã đăng nhập.")


def _link_out(link, other) -> dict:
    return {"code": other.code, "name": other.name, "kind": link.kind, "kind_label": link.get_kind_display(),
            "effective_date": link.effective_date, "decision": link.decision}


@router.get("/agencies", response={200: list[AgencyOut], **ERRORS}, auth=None,
            summary="Danh sách cơ quan, đơn vị")
@paginate(PageNumberPagination)
def agency_list(request, filters: Query[AgencyFilters]):
    qs = policies.agencies_visible_to(request.user)
    if not (filters.include_inactive and policies.is_official(request.user)):
        qs = qs.filter(is_active=True)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.parent:
        parent = _visible_agency(request, filters.parent)
        qs = qs.filter(parent=parent)
    if filters.q:
        ids = [a.pk for a in qs if text_matches(filters.q, a.name, a.code, a.abbreviation, a.code_qcvn102 or "",
                                            a.code_qd20 or "", a.admin_unit_code)]
        qs = qs.filter(pk__in=ids)
    return qs.order_by("name", "code")


@router.get("/agencies/{code}", response={200: AgencyDetailOut, **ERRORS}, auth=None,
            summary="Một cơ quan (theo mã, mã định danh QCVN 102 hoặc QĐ 20/2020)")
def agency_detail(request, code: str):
    agency = _visible_agency(request, code)
    hide_inactive = not policies.is_official(request.user)
    agency.predecessors = [_link_out(link, link.predecessor) for link in agency_predecessor_links(agency)
                           if not (hide_inactive and not link.predecessor.is_active)]
    agency.successors = [_link_out(link, link.successor) for link in agency_successor_links(agency)]
    agency.former_names = list(agency.name_history.values("name", "abbreviation", "valid_to", "decision"))
    return agency


@router.get("/agencies/{code}/officials", response={200: list[OfficialOut], **ERRORS},
            summary="Cán bộ của một cơ quan")
@paginate(PageNumberPagination)
def agency_officials(request, code: str):
    _require_official(request)
    agency = _visible_agency(request, code)
    return (policies.officials_visible_to(request.user).filter(agency=agency)
            .order_by("position__rank", "user__full_name", "pk"))


@router.get("/officials", response={200: list[OfficialOut], **ERRORS}, summary="Danh bạ cán bộ, công chức")
@paginate(PageNumberPagination)
def official_list(request, filters: Query[OfficialFilters]):
    _require_official(request)
    qs = policies.officials_visible_to(request.user)
    if filters.agency:
        qs = qs.filter(agency=_visible_agency(request, filters.agency))
    if filters.q:
        ids = [o.pk for o in qs if text_matches(filters.q, o.user.full_name, o.user.username, o.phone, o.email)]
        qs = qs.filter(pk__in=ids)
    return qs.order_by("agency__name", "user__full_name", "pk")
