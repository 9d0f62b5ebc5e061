"""Back-office pages of the one-stop desk, under /can-bo/mot-cua/. Each area adds its paths below."""

from django.urls import include, path

from egov.onestop.views import catalogue

app_name = "onestop"

urlpatterns: list = [
    path("thu-tuc/", include(catalogue.urlpatterns)),
]
