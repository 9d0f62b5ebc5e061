"""/phan-anh-kien-nghi/: citizens' feedback, the status by code, the published Q&A."""

from django.urls import path

from egov.feedback import views_public

app_name = "feedback"

urlpatterns = [
    path("", views_public.submit_page, name="submit"),
    path("da-gui/", views_public.sent_page, name="sent"),
    path("theo-doi/", views_public.status_page, name="status"),
    path("hoi-dap/", views_public.qa_list, name="qa_list"),
    path("hoi-dap/<uuid:uuid>/", views_public.qa_detail, name="qa_detail"),
]
