"""Back-office pages of the document system, under /can-bo/van-ban/. Each area adds one include below."""

from django.urls import include, path

app_name = "documents"

urlpatterns: list = [
    path("", include("egov.documents.views.incoming_urls")),
    path("", include("egov.documents.views.outgoing_urls")),
    path("tiep-nhan-tep/", include("egov.documents.views.intake_urls")),
    path("chu-ky/", include("egov.documents.views.signature_urls")),
    path("ho-so/", include("egov.documents.views.workfile_urls")),
    path("so/", include("egov.documents.views.report_urls")),
    path("tim-kiem/", include("egov.documents.views.search_urls")),
]
