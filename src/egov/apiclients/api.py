"""API endpoints about the caller itself: who is calling, and the tokens an administrator manages."""

import datetime as dt
from uuid import UUID

from django.db.models import Q
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from egov.apiclients import policies
from egov.apiclients.auth import require_session
from egov.core.api import ErrorOut, PageNumberPagination

router = Router(tags=["Tài khoản gọi API"])


class AgencyRef(Schema):
    code: str
    name: str


class TokenOut(Schema):
    uuid: UUID
    name: str
    prefix: str
    agency: AgencyRef
    scopes: list[str]
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None
    created_at: dt.datetime
    is_active: bool


class UserOut(Schema):
    username: str
    full_name: str
    role: str
    agency: AgencyRef | None


class MeOut(Schema):
    kind: str = Field(description="`user` (phiên đăng nhập) hoặc `token` (mã truy cập của một hệ thống)")
    user: UserOut | None = None
    token: TokenOut | None = None
    agency: AgencyRef | None = Field(None, description="Cơ quan thay mặt gọi API")
    scopes: list[str] | None = Field(None, description="Phạm vi của mã truy cập; `null` với phiên đăng nhập")


def _agency_ref(agency) -> dict | None:
    return None if agency is None else {"code": agency.code, "name": agency.name}


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="Ai đang gọi API")
def me(request):
    """Người dùng của phiên đăng nhập, hoặc cơ quan và phạm vi của mã truy cập đang dùng."""
    api_token = getattr(request, "api_token", None)
    if api_token is not None:
        return {"kind": "token", "token": api_token, "agency": _agency_ref(api_token.agency),
                "scopes": list(api_token.scopes)}
    user = request.user
    agency = getattr(getattr(user, "official", None), "agency", None)
    return {
        "kind": "user",
        "user": {"username": user.get_username(), "full_name": getattr(user, "full_name", ""),
                 "role": getattr(user, "role", ""), "agency": _agency_ref(agency)},
        "agency": _agency_ref(agency),
    }


class TokenFilter(Schema):
    active: bool | None = Field(None, description="Chỉ mã còn hiệu lực (`true`) hoặc đã hết hạn/thu hồi (`false`)")


@router.get("/api-tokens", response={200: list[TokenOut], 403: ErrorOut}, summary="Danh sách mã truy cập")
@paginate(PageNumberPagination)
def token_list(request, filters: Query[TokenFilter]):
    """Mã truy cập mà người gọi quản lý (quản trị hệ thống: tất cả; quản trị cơ quan: của cơ quan mình).

    Chỉ dùng với phiên đăng nhập; mã mới được cấp trong trang quản trị hoặc bằng `manage.py apitoken_issue`.
    """
    require_session(request)
    qs = policies.visible_to(request.user).order_by("-created_at", "-id")
    if filters.active is not None:
        live = Q(revoked_at__isnull=True, expires_at__gt=timezone.now())
        qs = qs.filter(live) if filters.active else qs.exclude(live)
    return qs
