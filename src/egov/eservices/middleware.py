"""Middleware of the citizens' services."""

from csp.middleware import CSPMiddleware
from django.middleware.clickjacking import XFrameOptionsMiddleware

from egov.eservices.api import public_dossier_response

LOOKUP_PREFIX = "/api/v1/public/dossiers/"


class PublicLookupEarlyMiddleware:
    """Answer ``GET /api/v1/public/dossiers/<code>`` before the session, authentication, CSRF, messages and
    two-factor middleware and Django Ninja's dispatch, none of which an anonymous JSON lookup uses (placed near the
    top of MIDDLEWARE, after the request id and the access log).

    The public lookup is the platform's hottest public path (issue 4: at least half the throughput of a minimal
    view through the whole stack, with an answer built from the database). The answer is the one the API route
    gives (``public_dossier_response``, rate limit included) with the headers the skipped middleware would add
    to it (X-Frame-Options, Content-Security-Policy); the route stays for the OpenAPI schema and serves the same
    answer if this middleware is left out.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.finishing = [XFrameOptionsMiddleware(get_response).process_response,
                          CSPMiddleware(get_response).process_response]
        self.headers: dict[str, str] | None = None

    def __call__(self, request):
        path = request.path_info
        if request.method != "GET" or not path.startswith(LOOKUP_PREFIX) or len(path) == len(LOOKUP_PREFIX):
            return self.get_response(request)
        response = public_dossier_response(request, path[len(LOOKUP_PREFIX):])
        if self.headers is None:
            # The headers depend on settings only (no nonce: the answer has no page), so the skipped middleware
            # run until a found dossier's answer and their headers are then reused: building the CSP policy costs
            # ~0.1 ms a request. Not learnt from an error answer: django-csp leaves 404s bare under DEBUG.
            before = set(response.headers)
            for finish in self.finishing:
                response = finish(request, response)
            if response.status_code == 200:
                self.headers = {name: value for name, value in response.headers.items() if name not in before}
            return response
        for name, value in self.headers.items():
            response.headers[name] = value
        return response
