"""Paths of the signature pages (under /can-bo/van-ban/chu-ky/)."""

from django.urls import path

from egov.documents.views import signature

urlpatterns: list = [
    path("<uuid:file_uuid>/", signature.file_signatures, name="file_signatures"),
]
