"""Portal URLs mounted at the site root in ``egov/urls.py`` (before Wagtail's catch-all)."""

from django.urls import path, re_path
from wagtail.contrib.sitemaps.views import sitemap

from egov.portal import feeds, views

app_name = "portal"

urlpatterns = [
    path("tim-kiem/", views.search, name="search"),
    path("rss/tin-tuc.xml", feeds.NewsFeed(), name="feed_news"),
    path("rss/chi-dao-dieu-hanh.xml", feeds.DirectiveFeed(), name="feed_directive"),
    path("sitemap.xml", sitemap, name="sitemap"),
]

# Wagtail's page view behind the anonymous visitors' cache; same pattern as ``wagtail.urls``' "wagtail_serve",
# placed just before it so page URLs still reverse to Wagtail's own route.
serve_patterns = [re_path(r"^((?:[\w\-]+/)*)$", views.serve_page)]
