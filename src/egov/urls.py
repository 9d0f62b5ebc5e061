from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from egov.api import api
from egov.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    # One login page for every staff area, so that the second factor and the lockout apply everywhere.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
    path("cms/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tai-khoan/", include("egov.accounts.urls")),
    path("can-bo/nhat-ky/", include("egov.core.audit_urls")),
    path("can-bo/", include("egov.accounts.backoffice_urls")),
    path("can-bo/danh-ba/", include("egov.directory.urls")),
    path("can-bo/van-ban/", include("egov.documents.urls")),
    path("can-bo/mot-cua/", include("egov.onestop.urls")),
    path("can-bo/thong-bao/", include("egov.notify.urls")),
    path("can-bo/phan-anh-kien-nghi/", include("egov.feedback.urls_staff")),
    path("dich-vu-cong/", include("egov.eservices.urls")),
    path("tra-cuu/", include("egov.eservices.lookup_urls")),
    path("phan-anh-kien-nghi/", include("egov.feedback.urls_public")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The portal (Wagtail pages) answers everything else, starting at "/": its search, RSS and sitemap first, then
# Wagtail's page view behind the anonymous visitors' cache (egov/portal/cache.py).
from egov.portal import urls as portal_urls  # noqa: E402

# Legal library search, public procedures and statistics, the portal KPI page (egov/portal/public_urls.py).
urlpatterns += [path("", include("egov.portal.public_urls"))]
urlpatterns += [path("", include("egov.portal.urls")), *portal_urls.serve_patterns, path("", include(wagtail_urls))]
