"""Bearer-token authentication for other systems, and the scope check routers use.

Session users (officials in the browser) are governed by their own policies; a token client may call an
endpoint only if its token carries the endpoint's scope.
"""

import functools

import structlog
from ninja.security import HttpBearer

from egov.apiclients.selectors import token_for_secret
from egov.apiclients.services import token_mark_used
from egov.core.errors import PermissionDeniedError


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer <secret>``; sets ``request.api_token`` and ``request.api_agency``."""

    def authenticate(self, request, token: str):
        api_token = token_for_secret(token.strip())
        if api_token is None:
            return None
        token_mark_used(token=api_token)
        request.api_token = api_token
        request.api_agency = api_token.agency
        structlog.contextvars.bind_contextvars(api_token=api_token.prefix, api_agency=api_token.agency.code)
        return api_token


def require_scope(request, scope: str) -> None:
    """Raise a 403 DomainError when a token client lacks ``scope``; session users pass."""
    api_token = getattr(request, "api_token", None)
    if api_token is None:
        return
    if not api_token.has_scope(scope):
        raise PermissionDeniedError(
            f"Mã truy cập không có phạm vi “{scope}” cần cho thao tác này.", code="insufficient_scope"
        )


def require_session(request) -> None:
    """For endpoints meant for people only (e.g. managing tokens): token clients get a 403."""
    if getattr(request, "api_token", None) is not None:
        raise PermissionDeniedError("Thao tác này chỉ dành cho người dùng đăng nhập, không dùng mã truy cập.")


def scope_required(scope: str):
    """Decorator for an API operation: token clients need ``scope`` (see ``require_scope``)."""

    def decorator(func):
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            require_scope(request, scope)
            return func(request, *args, **kwargs)

        wrapper.required_scope = scope
        return wrapper

    return decorator
