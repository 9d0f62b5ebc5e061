"""API conventions shared by every app's router: error shape, pagination, and the API class itself.

Errors are ``{"code": "...", "message": "<Vietnamese>"}`` with a 4xx status, also for unknown paths and
methods. Lists are paginated with ``?page=<n>&page_size=<n>`` (default 50, at most 500) and answer
``{"items": [...], "count": <total>, "page": <n>, "page_size": <n>, "pages": <n>}``.
"""

import functools
import math
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.urls import URLPattern, path, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.pagination import PaginationBase

from egov.core.errors import DomainError

API_DESCRIPTION = """API dùng chung cho các hệ thống của tỉnh (OpenAPI 3: `/api/v1/openapi.json`).

**Xác thực.** Trình duyệt dùng phiên đăng nhập của cán bộ (kèm tiêu đề `X-CSRFToken` với POST, PUT, PATCH,
DELETE). Hệ thống khác gửi `Authorization: Bearer <mã truy cập>`; mã do quản trị hệ thống hoặc quản trị cơ quan
cấp cho từng cơ quan, có phạm vi (ví dụ `directory:read`, `onestop:write`) và thời hạn (tối đa 1 năm), chỉ hiển
thị một lần khi cấp và chỉ lưu dạng băm. `GET /api/v1/me` cho biết ai đang gọi và với phạm vi nào.

**Lỗi.** Mọi lỗi trả về JSON `{"code": "<mã lỗi>", "message": "<thông báo tiếng Việt>"}` với mã HTTP 4xx:
400 yêu cầu sai, 401 chưa xác thực (hoặc mã hết hạn, đã thu hồi), 403 không có quyền hoặc thiếu phạm vi
(`insufficient_scope`), 404 không tìm thấy, 405 sai phương thức, 422 dữ liệu không hợp lệ (kèm `details`: danh
sách `{field, error}`).

**Phân trang.** Danh sách nhận `?page=<số trang, từ 1>&page_size=<số mục, mặc định 50, tối đa 500>` và trả về
`{"items": [...], "count": <tổng số mục>, "page": <trang>, "page_size": <cỡ trang>, "pages": <số trang>}`.

**Thời gian** theo ISO 8601 có múi giờ; **định danh** là mã công khai hoặc UUID, không bao giờ là khóa số nội bộ.
"""


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
        response = api.create_response(
            request,
            {"code": "unauthenticated", "message": "Chưa đăng nhập hoặc mã truy cập không hợp lệ, đã hết hạn."},
            status=401,
        )
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

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
            403: ("forbidden", str(exc.message)),
            405: ("method_not_allowed", "Phương thức không được hỗ trợ."),
            429: ("too_many_requests", "Quá nhiều yêu cầu, vui lòng thử lại sau."),
        }
        if exc.status_code == 403 and str(exc.message) == "CSRF check Failed":  # ninja's session auth
            messages[403] = ("csrf_failed",
                             "Thiếu hoặc sai mã chống giả mạo (CSRF) của phiên đăng nhập; hãy tải lại trang.")
        code, message = messages.get(exc.status_code, ("error", str(exc.message)))
        return api.create_response(request, {"code": code, "message": message}, status=exc.status_code)


def _json_method_not_allowed(api, view):
    """Ninja answers a wrong method with a plain-text 405; give it the platform's JSON error shape."""
    if getattr(view, "egov_json_405", False):
        return view

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = api.create_response(
                request,
                {"code": "method_not_allowed", "message": f"Phương thức {request.method} không được hỗ trợ ở địa chỉ "
                 f"này (được phép: {allowed})."},
                status=405,
            )
            response["Allow"] = allowed
        return response

    wrapper.egov_json_405 = True
    return wrapper


def _deep_merge(base: dict, extra: dict) -> dict:
    merged = dict(base)
    for key, value in extra.items():
        merged[key] = _deep_merge(merged[key], value) if isinstance(value, dict) and isinstance(
            merged.get(key), dict) else value
    return merged


def _merge_status_keys(responses: dict) -> dict:
    """``response={200: ...}`` gives int keys, ``openapi_extra={"responses": {"200": ...}}`` str keys; JSON
    would carry both as "200", a duplicate key that Swagger UI's parser rejects. Merge them, the extra last."""
    merged: dict[str, dict] = {}
    for status, spec in sorted(responses.items(), key=lambda item: isinstance(item[0], str)):
        key = str(status)
        merged[key] = _deep_merge(merged[key], spec) if key in merged else spec
    return merged


class PlatformAPI(NinjaAPI):
    """NinjaAPI whose every answer under its prefix is JSON: an index at the root, JSON 404 and 405."""

    def _get_urls(self):
        urls = []
        for pattern in super()._get_urls():
            if isinstance(pattern, URLPattern) and pattern.name == "api-root":
                urls.append(path("", csrf_exempt(self._root_view), name="api-root"))
            elif isinstance(pattern, URLPattern) and pattern.name not in {"openapi-json", "openapi-view"}:
                pattern.callback = _json_method_not_allowed(self, pattern.callback)
                urls.append(pattern)
            else:
                urls.append(pattern)
        urls.append(re_path(r"^.*$", csrf_exempt(self._not_found_view), name="api-not-found"))
        return urls

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if isinstance(operation, dict) and "responses" in operation:
                    operation["responses"] = _merge_status_keys(operation["responses"])
        return schema

    def _root_view(self, request, **kwargs):
        base = request.path
        return self.create_response(
            request,
            {"name": self.title, "version": self.version, "docs": f"{base}{(self.docs_url or '').lstrip('/')}",
             "openapi": f"{base}{(self.openapi_url or '').lstrip('/')}"},
            status=200,
        )

    def _not_found_view(self, request, **kwargs):
        docs = f"{self.get_root_path({})}{self.docs_url.lstrip('/')}" if self.docs_url else ""
        hint = f" Xem danh sách các địa chỉ tại {docs}." if docs else ""
        return self.create_response(
            request, {"code": "not_found", "message": f"Không có địa chỉ API {request.path}.{hint}"}, status=404
        )
