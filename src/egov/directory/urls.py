from django.urls import path

from egov.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.agency_list, name="agency_list"),
    path("co-quan/<str:code>/", views.agency_detail, name="agency_detail"),
    path("can-bo/", views.official_list, name="official_list"),
    path("nhap-excel/", views.import_view, name="import"),
    path("xuat-excel/", views.export_view, name="export"),
]
