"""API conventions shared by every app's router: error shape, pagination.

Errors are ``{"code": "...", "message": "<Vietnamese>"}`` with a 4xx status.
Lists are paginated with ``?page=<n>&page_size=<n>`` (default 50, at most 500) and answer
``{"items": [...], "count": <total>, "page": <n>, "page_size": <n>, "pages": <n>}``.
"""

import math
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.pagination import PaginationBase

from egov.core.errors import DomainError


class ErrorOut(Schema):
    code: str
    message: str
    details: Any | None = None


class PageNumberPagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, description="Trang, bắt đầu từ 1")
        page_size: int = Field(
            settings.EGOV_API_PAGE_SIZE, ge=1, le=settings.EGOV_API_MAX_PAGE_SIZE, description="Số mục mỗi trang"
        )

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int
        pages: int

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination: Input, **params):
        count = queryset.count() if hasattr(queryset, "count") and not isinstance(queryset, list) else len(queryset)
        start = (pagination.page - 1) * pagination.page_size
        return {
            "items": list(queryset[start : start + pagination.page_size]),
            "count": count,
            "page": pagination.page,
            "page_size": pagination.page_size,
            "pages": max(1, math.ceil(count / pagination.page_size)),
        }


def _describe_validation(errors: list[dict]) -> list[dict]:
    return [
        {"field": ".".join(str(p) for p in err.get("loc", []) if p not in {"body", "query", "path"}),
         "error": err.get("msg", "")}
        for err in errors
    ]


def install_error_handlers(api) -> None:
    """Map every failure an API client can cause to the platform's JSON error shape."""

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        fields = _describe_validation(exc.errors)
        names = ", ".join(f["field"] for f in fields if f["field"]) or "dữ liệu gửi lên"
        return api.create_response(
            request,
            {"code": "invalid_input", "message": f"Dữ liệu không hợp lệ: {names}.", "details": fields},
            status=422,
        )

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc):
        return api.create_response(
            request,
            {"code": "unauthenticated", "message": "Chưa đăng nhập hoặc mã truy cập không hợp lệ, đã hết hạn."},
            status=401,
        )

    @api.exception_handler(AuthorizationError)
    def authorization_error(request, exc):
        return api.create_response(
            request, {"code": "forbidden", "message": "Bạn không có quyền thực hiện thao tác này."}, status=403
        )

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc):
        return api.create_response(
            request, {"code": "forbidden", "message": "Bạn không có quyền thực hiện thao tác này."}, status=403
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(
            request, {"code": "not_found", "message": "Không tìm thấy đối tượng yêu cầu."}, status=404
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        messages = {
            400: ("bad_request", "Yêu cầu không hợp lệ."),
            405: ("method_not_allowed", "Phương thức không được hỗ trợ."),
            429: ("too_many_requests", "Quá nhiều yêu cầu, vui lòng thử lại sau."),
        }
        code, message = messages.get(exc.status_code, ("error", str(exc.message)))
        return api.create_response(request, {"code": code, "message": message}, status=exc.status_code)
