import uuid

import structlog

from egov.core.context import RequestContext, reset_context, set_context


def client_ip(request) -> str | None:
    """The client address as seen by the reverse proxy chain (first X-Forwarded-For hop if trusted)."""
    from django.conf import settings

    if getattr(settings, "EGOV_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Gives each request an id and binds it, with the client IP, to the logs and the audit context."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.META.get("HTTP_X_REQUEST_ID") or uuid.uuid4().hex
        ip = client_ip(request)
        token = set_context(RequestContext(ip=ip, request_id=request_id))
        structlog.contextvars.bind_contextvars(request_id=request_id, ip=ip)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            return response
        finally:
            structlog.contextvars.clear_contextvars()
            reset_context(token)
