"""Template tags of the public portal: the cached layout chrome, the page language, breadcrumbs, listings."""

from django import template
from django.utils import timezone

from egov.portal import cache as portal_cache
from egov.portal import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_chrome(context) -> dict:
    """The layout's data (menu, contacts), cached; ``lang`` is the current page's language."""
    chrome = dict(portal_cache.chrome())
    chrome["lang"] = portal_language(context)
    return chrome


@register.simple_tag(takes_context=True)
def portal_language(context) -> str:
    page = context.get("page")
    return getattr(page, "language", None) or context.get("portal_lang") or "vi"


@register.inclusion_tag("portal/includes/breadcrumbs.html")
def portal_breadcrumbs(page):
    """Ancestors from the home page down (the Wagtail root, depth 1, is not a page of the site)."""
    crumbs = list(page.get_ancestors().filter(depth__gt=1).live().only("title", "url_path", "path", "depth"))
    return {"crumbs": crumbs, "current": page, "lang": getattr(page, "language", "vi")}


@register.simple_tag
def section_listing(section, page_number=None):
    return selectors.section_listing(section, page_number)


@register.simple_tag
def portal_home_blocks() -> dict:
    """What the home page lists: latest news, latest directive items, open consultations, the schedule page,
    and the sections for quick links."""
    return {
        "news": selectors.latest_news(),
        "directive": selectors.latest_directive_items(),
        "consultations": selectors.open_consultations(),
        "schedule": selectors.schedule_page(),
        "news_section": selectors.section_by_kind("news"),
        "directive_section": selectors.section_by_kind("directive"),
    }


@register.simple_tag
def contact_officials(agency) -> list:
    return selectors.contact_officials(agency)


@register.filter
def item_date(page):
    return selectors.item_date(page)


@register.filter
def vnd(amount) -> str:
    from egov.core.text import format_vnd

    return format_vnd(amount)


@register.simple_tag
def today():
    return timezone.localdate()
