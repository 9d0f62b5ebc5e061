"""Public views of the portal besides Wagtail's pages: the cached page server and the search page."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail import views as wagtail_views

from egov.portal import cache as portal_cache
from egov.portal import selectors

SEARCH_PAGE_SIZE = 10


def serve_page(request, path=""):
    """Wagtail's page view, with anonymous visitors' answers kept in the cache (see ``portal/cache.py``)."""
    key = portal_cache.page_key(request)
    if key is None:
        return wagtail_views.serve(request, path)
    hit = portal_cache.cached_response(key)
    if hit is not None:
        portal_cache.mark_cacheable(request)
        return hit
    response = wagtail_views.serve(request, path)
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.add_post_render_callback(lambda rendered: _store(key, request, rendered))
    else:
        _store(key, request, response)
    return response


def _store(key: str, request, response) -> None:
    portal_cache.store_response(key, request, response)
    if response.get("X-Portal-Cache") == "miss":  # stored: nothing personal in it
        portal_cache.mark_cacheable(request)


def search(request):
    """Search of the live portal pages; a query typed without diacritics finds text written with them."""
    query = (request.GET.get("q") or "").strip()[:200]
    results = selectors.search_pages(query) if query else []
    page_obj = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "portal/search.html", {
        "search_query": query, "page_obj": page_obj, "results": [page.specific for page in page_obj.object_list],
        "extra_query": "&" + urlencode({"q": query}),
    })
