"""URLconf for the scope tests: the project's URLs plus a second API with scope-protected endpoints.

The second API is built exactly as the real one (same auth, same error handlers), so the tests exercise the
decorator routers use rather than a copy of it.
"""

from django.urls import path
from ninja.security import django_auth

from egov import urls as project_urls
from egov.apiclients.auth import BearerTokenAuth, scope_required
from egov.core.api import PlatformAPI, install_error_handlers

scoped_api = PlatformAPI(title="scoped", urls_namespace="api-scope-test", auth=[BearerTokenAuth(), django_auth])
install_error_handlers(scoped_api)


@scoped_api.get("/directory-count")
@scope_required("directory:read")
def directory_count(request, kind: str | None = None):
    from egov.directory.models import Agency

    qs = Agency.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    return {"count": qs.count()}


@scoped_api.post("/echo")
@scope_required("onestop:write")
def echo(request, text: str):
    return {"text": text}


urlpatterns = [path("scoped/", scoped_api.urls), *project_urls.urlpatterns]
