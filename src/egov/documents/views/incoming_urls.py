"""Paths of the incoming pages (under /can-bo/van-ban/)."""

from django.urls import path

from egov.documents.views import incoming as views

urlpatterns: list = [
    path("den/", views.incoming_list, name="incoming_list"),
    path("den/vao-so/", views.incoming_register, name="incoming_register"),
    path("den/<uuid:uuid>/", views.incoming_detail, name="incoming_detail"),
    path("den/<uuid:uuid>/phan-cong/", views.incoming_direct, name="incoming_direct"),
    path("den/tep/<uuid:uuid>/", views.incoming_file, name="incoming_file"),
    path("den/phan-cong/<uuid:uuid>/<str:action>/", views.assignment_action, name="assignment_action"),
]
