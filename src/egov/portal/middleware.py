"""Middleware of the public portal."""

from egov.portal import cache as portal_cache


class PortalEarlyCacheMiddleware:
    """Answer anonymous visitors' portal pages from the cache before the session, authentication, CSRF, messages
    and CSP middleware (placed near the top of MIDDLEWARE, as Django's FetchFromCacheMiddleware is).

    The home page is the portal's hottest path (budget: p95 ≤ 50 ms warm at 64 connections); a hit here skips a
    dozen middleware calls. What may be answered this way is decided in ``portal/cache.py`` (``early_key``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = portal_cache.early_key(request)
        if key is None:
            response = self.get_response(request)
            if getattr(request, "portal_cacheable", False):
                key = portal_cache.early_key(request)  # the path is known now
                if key is not None:
                    portal_cache.store_full_response(key, response)
            return response
        hit = portal_cache.full_response(key)
        if hit is not None:
            return hit
        response = self.get_response(request)
        if getattr(request, "portal_cacheable", False):
            portal_cache.store_full_response(key, response)
        return response
