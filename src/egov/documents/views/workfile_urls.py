"""Paths of the work-file pages, under /can-bo/van-ban/ho-so/."""

from django.urls import path

from egov.documents.views import workfiles as views

urlpatterns: list = [
    path("", views.workfile_list, name="workfile_list"),
    path("them/", views.workfile_create, name="workfile_create"),
    path("duyet-danh-muc/", views.workfile_list_approve, name="workfile_list_approve"),
    path("<uuid:ref>/", views.workfile_detail, name="workfile_detail"),
    path("<uuid:ref>/muc-luc.xlsx", views.workfile_index_excel, name="workfile_index_excel"),
    path("<uuid:ref>/muc-luc.pdf", views.workfile_index_pdf, name="workfile_index_pdf"),
    path("<uuid:ref>/<slug:action>/", views.workfile_action, name="workfile_action"),
]
