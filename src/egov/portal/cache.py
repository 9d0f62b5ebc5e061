"""Caching of the public portal for anonymous visitors (issue 5, point 6: the home page warm in ≤ 50 ms p95).

Two things are cached in Django's cache:

- the layout's "chrome" (sections of the menu, the portal's transaction details from the home page), used by
  every portal page, so rendering a page costs no query for it;
- whole rendered pages (the home page, section lists, items) for anonymous GET requests without a query string
  other than ``?page=N``, served by ``serve_page`` in front of Wagtail's own view.

Every key carries a *generation*; publishing, unpublishing, saving, moving or deleting any page, and any change of
a view restriction, bumps it, so all cached pages go stale at once (a portal has few writes and many reads, and a
section list or the home page can change with any item). The generation has two parts: a counter in the cache
(shared by every server with Redis) and the modification time of a small file in the data folder (shared by the
processes of one host, so that with the in-process cache — no ``REDIS_URL`` — a publish made in one worker reaches
the other workers at once; one ``stat`` per request). ``PORTAL_PAGE_CACHE_SECONDS`` (5 minutes by default)
bounds any staleness left.
"""

import logging
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

log = logging.getLogger(__name__)

GENERATION_KEY = "portal:generation"
PAGE_PREFIX = "portal:page"
CHROME_PREFIX = "portal:chrome"
_CACHED_HEADERS = ("Content-Type", "Content-Language")


def timeout() -> int:
    return int(getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 300))


def _generation_file() -> Path:
    return Path(getattr(settings, "DATA_DIR", "/tmp")) / "portal-cache-generation"  # noqa: S108


def _file_generation() -> int:
    try:
        return os.stat(_generation_file()).st_mtime_ns
    except OSError:
        return 0


def generation() -> str:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY) or 1
    return f"{value}.{_file_generation()}"


def invalidate(**_kwargs) -> None:
    """Make every cached portal page and the chrome stale (signal receiver; also called by the demo loader)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key was evicted or never set
        cache.set(GENERATION_KEY, 2, None)
    path = _generation_file()
    try:
        path.touch()
        stamp = max(time.time_ns(), _file_generation() + 1)
        os.utime(path, ns=(stamp, stamp))
    except OSError as exc:  # a read-only data folder: the cache counter alone still works
        log.warning("portal cache: cannot touch %s (%s)", path, exc)


def _on_delete(sender, instance, **_kwargs) -> None:
    if isinstance(instance, Page | PageViewRestriction):
        invalidate()


def _on_saved(sender, instance, **_kwargs) -> None:
    """Also any saved page (a page added live without a publish signal, a changed title in the tree) and view
    restriction (a page just put behind a password must leave the cache at once): saves are rare on a portal."""
    if isinstance(instance, Page | PageViewRestriction):
        invalidate()


def connect_signals() -> None:
    """Called from ``PortalConfig.ready``."""
    page_published.connect(invalidate, dispatch_uid="portal-cache-published")
    page_unpublished.connect(invalidate, dispatch_uid="portal-cache-unpublished")
    post_delete.connect(_on_delete, dispatch_uid="portal-cache-deleted")
    post_save.connect(_on_saved, dispatch_uid="portal-cache-saved")
    try:
        from wagtail.signals import post_page_move
    except ImportError:  # pragma: no cover - older Wagtail
        return
    post_page_move.connect(invalidate, dispatch_uid="portal-cache-moved")


# --- the layout's chrome ---------------------------------------------------------------------------------------
def chrome() -> dict:
    """Site name, menu sections and contact details for the layout, cached until the next publish."""
    key = f"{CHROME_PREFIX}:{generation()}"
    value = cache.get(key)
    if value is None:
        from egov.portal.selectors import site_chrome

        value = site_chrome()
        cache.set(key, value, timeout())
    return value


def restricted_paths() -> list[str]:
    """Tree paths of the pages behind a view restriction (their subtrees are not public), cached like the pages:
    listings then need no restriction query each (Wagtail's ``.public()`` makes one per queryset)."""
    key = f"portal:restricted:{generation()}"
    paths = cache.get(key)
    if paths is None:
        paths = list(PageViewRestriction.objects.values_list("page__path", flat=True))
        cache.set(key, paths, timeout())
    return paths


# --- whole pages ---------------------------------------------------------------------------------------------
def _page_number(request) -> str | None:
    """``""`` or the ``?page=N`` of a GET that may be cached; None for other methods and other queries."""
    if request.method not in ("GET", "HEAD"):
        return None
    query = request.GET
    if query and (set(query) - {"page"} or not query.get("page", "").isdigit()):
        return None
    return query.get("page", "")


def page_key(request) -> str | None:
    """The cache key of an anonymous visitor's GET, or None when the answer must not come from the cache."""
    page_number = _page_number(request)
    if page_number is None:
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    return f"{PAGE_PREFIX}:{generation()}:{request.get_host()}:{request.path}:{page_number}"


def cached_response(key: str) -> HttpResponse | None:
    stored = cache.get(key)
    if stored is None:
        return None
    response = HttpResponse(stored["content"], status=200)
    for header, value in stored["headers"].items():
        response[header] = value
    response["X-Portal-Cache"] = "hit"
    return response


def store_response(key: str, request, response) -> None:
    """Keep a rendered 200 answer with nothing personal in it: no cookie set, no CSRF token used (a form, e.g. a
    password-protected page's), no flash message and no private Cache-Control."""
    if (response.status_code != 200 or response.cookies or getattr(response, "streaming", False)
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or "private" in response.get("Cache-Control", "")):
        return
    messages = getattr(request, "_messages", None)  # a flash message shown on the page is for one visitor only
    if messages is not None and len(messages):
        return
    headers = {h: response[h] for h in _CACHED_HEADERS if h in response}
    cache.set(key, {"content": response.content, "headers": headers}, timeout())
    response["X-Portal-Cache"] = "miss"


# --- whole answers, before most of the middleware --------------------------------------------------------------
# A visitor without a session, language or flash-message cookie gets the same page as every other such visitor.
# ``PortalEarlyCacheMiddleware`` answers them before the session, authentication, CSRF, messages, CSP... middleware,
# as Django's FetchFromCacheMiddleware does, with the headers those gave the first answer (CSP, X-Frame-Options,
# Vary...). Only paths this process has served as cacheable portal pages are looked up, so other anonymous GETs
# (the public dossier lookup, the API) pay one set lookup and nothing more.
FULL_PREFIX = "portal:full"
_KNOWN_PATHS_MAX = 20_000
_known_paths: set[str] = set()


def _personal_cookies() -> tuple[str, ...]:
    return (settings.SESSION_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME, "messages")


def early_key(request) -> str | None:
    """The key of a whole answer for this request, or None when it must go through the whole stack."""
    if request.path not in _known_paths or any(name in request.COOKIES for name in _personal_cookies()):
        return None
    page_number = _page_number(request)
    if page_number is None:
        return None
    return f"{FULL_PREFIX}:{generation()}:{request.get_host()}:{request.path}:{page_number}"


def mark_cacheable(request) -> None:
    """Called by the page view when its answer came from, or went into, the page cache."""
    request.portal_cacheable = True
    if len(_known_paths) < _KNOWN_PATHS_MAX:
        _known_paths.add(request.path)


def full_response(key: str) -> HttpResponse | None:
    stored = cache.get(key)
    if stored is None:
        return None
    response = HttpResponse(stored["content"], status=200)
    for header, value in stored["headers"]:
        response[header] = value
    response["X-Portal-Cache"] = "hit"
    return response


def store_full_response(key: str, response) -> None:
    """Keep the answer as the rest of the middleware left it, unless something personal was added on the way."""
    if response.status_code != 200 or response.cookies or getattr(response, "streaming", False):
        return
    if response.get("X-Portal-Cache") not in ("hit", "miss") or "private" in response.get("Cache-Control", ""):
        return
    headers = [(h, v) for h, v in response.items() if h not in ("X-Portal-Cache", "Set-Cookie")]
    cache.set(key, {"content": response.content, "headers": headers}, timeout())
