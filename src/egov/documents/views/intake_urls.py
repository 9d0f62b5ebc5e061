"""Paths of the intake pages (under /can-bo/van-ban/tiep-nhan-tep/)."""

from django.urls import path

from egov.documents.views import intake

urlpatterns: list = [
    path("", intake.intake_upload, name="intake_upload"),
    path("tien-do/", intake.intake_progress, name="intake_progress"),
    path("tien-do/bang/", intake.intake_progress_panel, name="intake_progress_panel"),
    path("<uuid:file_uuid>/thu-lai/", intake.intake_retry_view, name="intake_retry"),
    path("<uuid:file_uuid>/tep/", intake.intake_file_download, name="intake_file"),
    path("<uuid:file_uuid>/ban-ocr/", intake.intake_file_download, {"copy": "ocr"}, name="intake_file_ocr"),
]
