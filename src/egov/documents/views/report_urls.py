"""Paths of the register and report pages, under /can-bo/van-ban/so/."""

from django.urls import path

from egov.documents.views import reports as views

urlpatterns: list = [
    path("", views.registers, name="registers"),
    path("so.xlsx", views.registers_excel, name="registers_excel"),
    path("so.pdf", views.registers_pdf, name="registers_pdf"),
    path("thong-ke/", views.statistics, name="report_statistics"),
    path("thong-ke.xlsx", views.statistics_excel, name="report_statistics_excel"),
]
