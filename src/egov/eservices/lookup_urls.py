"""/tra-cuu/: the public dossier lookup (``?ma=<code>`` is the QR target) and its kiosk mode."""

from django.urls import path

from egov.eservices.views import lookup

app_name = "lookup"

urlpatterns = [
    path("", lookup.lookup_page, name="index"),
    path("kiosk/", lookup.kiosk_page, name="kiosk"),
]
