"""Public URLs of the legal library, procedures and statistics, and the back-office KPI page; mounted at the site
root in ``egov/urls.py`` before Wagtail's catch-all."""

from django.urls import path

from egov.portal.publicviews import kpi, legal, procedures, statistics

app_name = "portal_public"

urlpatterns = [
    path("van-ban-phap-luat/", legal.legal_search, name="legal_search"),
    path("thu-tuc-hanh-chinh/", procedures.procedure_list, name="procedures"),
    path("thu-tuc-hanh-chinh/<str:code>/", procedures.procedure_detail, name="procedure"),
    path("thong-ke-ho-so/", statistics.public_statistics, name="statistics"),
    path("can-bo/cong-thong-tin/chi-so/", kpi.kpi_page, name="kpi"),
]
