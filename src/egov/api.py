"""The one API of the platform, /api/v1: every app adds its router here."""

from ninja.security import django_auth

from egov.apiclients.auth import BearerTokenAuth
from egov.core.api import API_DESCRIPTION, PlatformAPI, install_error_handlers

# Bearer first: a token client sends no session cookie, and trying the session first would demand a CSRF
# token from its POSTs. A browser sends no Authorization header, so the session check answers it.
api = PlatformAPI(
    title="API Chính quyền số tỉnh Cà Mau",
    version="1",
    description=API_DESCRIPTION,
    urls_namespace="api-v1",
    auth=[BearerTokenAuth(), django_auth],
)
install_error_handlers(api)


def _add_routers() -> None:
    from egov.apiclients.api import router as apiclients_router

    api.add_router("/", apiclients_router)

    from egov.workdays.api import router as workdays_router

    api.add_router("/workdays/", workdays_router)

    from egov.directory.api import router as directory_router

    api.add_router("/directory/", directory_router)

    from egov.documents.api import router as documents_router

    api.add_router("/documents/", documents_router)

    from egov.onestop.api import router as onestop_router

    api.add_router("/onestop/", onestop_router)

    from egov.eservices.api_citizen import router as citizen_router

    api.add_router("/onestop/online/", citizen_router)

    from egov.eservices.api import router as public_router

    api.add_router("/public/", public_router)

    from egov.feedback.api import router as feedback_router

    api.add_router("/feedback/", feedback_router)

    from egov.portal.api import router as portal_router

    api.add_router("/portal/", portal_router)


_add_routers()
