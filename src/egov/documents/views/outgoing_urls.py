"""Paths of the outgoing pages (văn bản đi) and of the deliveries arriving from other agencies."""

from django.urls import path

from egov.documents.views import outgoing as views

urlpatterns: list = [
    path("di/", views.outgoing_list, name="outgoing_list"),
    path("di/soan-thao/", views.outgoing_create, name="outgoing_create"),
    path("di/<uuid:uuid>/", views.outgoing_detail, name="outgoing_detail"),
    path("di/<uuid:uuid>/sua/", views.outgoing_edit, name="outgoing_edit"),
    path("di/<uuid:uuid>/tep/<uuid:file_uuid>/", views.outgoing_file, name="outgoing_file"),
    path("di/<uuid:uuid>/<slug:action>/", views.outgoing_action, name="outgoing_action"),
    path("lien-thong/cho-tiep-nhan/", views.delivery_inbox, name="delivery_inbox"),
    path("lien-thong/<uuid:uuid>/tep/", views.delivery_file, name="delivery_file"),
    path("lien-thong/<uuid:uuid>/<slug:action>/", views.delivery_action, name="delivery_action"),
]
