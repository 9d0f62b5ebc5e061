"""Back-office pages of the one-stop desk, under /can-bo/mot-cua/. Each area adds its paths below."""

from django.urls import include, path

from egov.onestop.views import catalogue, counter, work

app_name = "onestop"

urlpatterns: list = [
    path("tiep-nhan/", counter.counter, name="counter"),
    path("tiep-nhan/thu-tuc/", counter.counter_procedures, name="counter_procedures"),
    path("tiep-nhan/thanh-phan/", counter.counter_checklist, name="counter_checklist"),
    path("tiep-nhan/ket-qua/<uuid:uuid>/", counter.counter_result, name="counter_result"),
    path("tiep-nhan/ho-so/<uuid:uuid>/", counter.counter_waiting, name="counter_waiting"),
    path("ho-so/<str:ref>/mau-<str:form_code>.pdf", counter.dossier_form_pdf, name="dossier_form_pdf"),
    path("tep/<uuid:file_uuid>/", counter.dossier_file, name="dossier_file"),
    path("thu-tuc/", include(catalogue.urlpatterns)),
    path("", include(work.urlpatterns)),
    path("thong-ke/", include("egov.onestop.views.stats")),
]
