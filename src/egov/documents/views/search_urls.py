"""Paths of the search pages (included at /can-bo/van-ban/tim-kiem/)."""

from django.urls import path

from egov.documents.views.search import search_page

urlpatterns: list = [
    path("", search_page, name="search"),
]
