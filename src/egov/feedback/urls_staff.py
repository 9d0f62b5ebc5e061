"""/can-bo/phan-anh-kien-nghi/: the feedback register and handling."""

from django.urls import path

from egov.feedback import views_staff

app_name = "feedback_staff"

urlpatterns = [
    path("", views_staff.register, name="register"),
    path("<uuid:uuid>/", views_staff.detail, name="detail"),
    path("<uuid:uuid>/tep/<uuid:file_uuid>/", views_staff.attachment, name="attachment"),
    path("<uuid:uuid>/<slug:action>/", views_staff.act, name="act"),
]
