from django.urls import path

from egov.core import audit_views

app_name = "audit"

urlpatterns = [
    path("", audit_views.audit_list, name="list"),
    path("kiem-tra/", audit_views.audit_verify, name="verify"),
]
