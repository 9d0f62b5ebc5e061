"""Read queries of the public portal: the layout's chrome, section lists, latest items, search, contacts.

Items of a section may be of several page types, each with its own date field; lists are newest first by that
date (``date`` of articles, ``issued_date`` of documents, ``open_from`` of consultations, ``approved_date`` of
projects, else the first publication).
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.utils import timezone
from wagtail.models import Page

from egov.core.text import fold_vietnamese
from egov.portal import cache as portal_cache
from egov.portal.models import (
    ArticlePage,
    ConsultationPage,
    ContactPage,
    DirectiveItemPage,
    EnglishHomePage,
    HomePage,
    LegalDocumentPage,
    ProjectPage,
    Section,
    SectionPage,
)

SECTION_PAGE_SIZE = 10
# (model, date field) of the items listed by a section, newest first.
ITEM_MODELS = [
    (ArticlePage, "date"),
    (DirectiveItemPage, "issued_date"),
    (LegalDocumentPage, "issued_date"),
    (ConsultationPage, "open_from"),
    (ProjectPage, "approved_date"),
    (ContactPage, None),
]


def public(queryset):
    """``queryset`` without the pages behind a view restriction (as Wagtail's ``.public()``, from a cached list)."""
    condition = Q()
    for path in portal_cache.restricted_paths():
        condition |= Q(path__startswith=path)
    return queryset.exclude(condition) if condition else queryset


def item_date(page) -> date | None:
    """The date a listing shows for an item (None for contacts and undated projects)."""
    for model, field in ITEM_MODELS:
        if isinstance(page, model) and field:
            value = getattr(page, field)
            if value:
                return value
    published = getattr(page, "first_published_at", None)
    return timezone.localdate(published) if published else None


def site_chrome() -> dict:
    """Everything the layout needs, in one plain dictionary (it is cached, see ``portal/cache.py``)."""
    province = settings.EGOV_PROVINCE_NAME
    province_lower = province[:1].lower() + province[1:]
    home = HomePage.objects.live().first()
    english = EnglishHomePage.objects.live().first()
    nav = []
    if home is not None:
        for section in SectionPage.objects.live().child_of(home).in_menu().order_by("path"):
            nav.append({"title": section.title, "url": section.get_url()})
    return {
        "site_name": f"Cổng thông tin điện tử {province_lower}",
        "site_name_en": english.title if english else "Ca Mau Province e-Portal",
        "province_lower": province_lower,
        "nav": nav,
        "en_url": english.get_url() if english else "",
        "address": home.address if home else "",
        "phone": home.phone if home else "",
        "fax": home.fax if home else "",
        "email": home.email if home else "",
        "hotline": home.hotline if home else "",
    }


@dataclass
class SectionListing:
    page_obj: PaginatorPage
    items: list
    subsections: list


def _ordered(model, field, parent):
    queryset = public(model.objects.live()).child_of(parent)
    if field:
        return queryset.order_by(F(field).desc(nulls_last=True), F("first_published_at").desc(nulls_last=True),
                                 "-pk")
    return queryset.order_by("path")


def section_listing(section: SectionPage, page_number=None, *, per_page: int = SECTION_PAGE_SIZE) -> SectionListing:
    """The section's live items, newest first, paginated; and its live subsections."""
    querysets = [(model, field, _ordered(model, field, section)) for model, field in ITEM_MODELS]
    non_empty = [(model, field, qs) for model, field, qs in querysets if qs.exists()]
    if len(non_empty) <= 1:
        queryset = non_empty[0][2] if non_empty else ArticlePage.objects.none()
        page_obj = Paginator(queryset, per_page).get_page(page_number)
        items = list(page_obj.object_list)
    else:
        # Several types in one section: sort (date, pk) pairs, then load only the pages shown.
        keys = []
        for _model, field, qs in non_empty:
            fields = ["pk", "first_published_at"] + ([field] if field else [])
            for row in qs.values_list(*fields):
                when = row[2] if field and row[2] else (timezone.localdate(row[1]) if row[1] else date.min)
                keys.append((when, row[0]))
        keys.sort(reverse=True)
        page_obj = Paginator([pk for _when, pk in keys], per_page).get_page(page_number)
        pages = Page.objects.filter(pk__in=list(page_obj.object_list)).specific().in_bulk()
        items = [pages[pk] for pk in page_obj.object_list if pk in pages]
    subsections = list(public(SectionPage.objects.live()).child_of(section).order_by("path"))
    return SectionListing(page_obj=page_obj, items=items, subsections=subsections)


def latest_news(limit: int = 6) -> list[ArticlePage]:
    sections = SectionPage.objects.live().filter(section=Section.NEWS)
    queryset = ArticlePage.objects.none()
    for section in sections:
        queryset = queryset | public(ArticlePage.objects.live()).descendant_of(section)
    return list(queryset.order_by("-date", "-pk")[:limit])


def latest_directive_items(limit: int = 6) -> list[DirectiveItemPage]:
    return list(public(DirectiveItemPage.objects.live()).order_by("-issued_date", "-pk")[:limit])


def open_consultations(today: date | None = None, limit: int = 3) -> list[ConsultationPage]:
    today = today or timezone.localdate()
    return list(public(ConsultationPage.objects.live()).filter(open_from__lte=today, open_until__gte=today)
                .order_by("open_until")[:limit])


def schedule_page() -> Page | None:
    """The leaders' work schedule (an article whose slug starts with "lich-cong-tac"), for the home page link."""
    return public(ArticlePage.objects.live()).filter(slug__startswith="lich-cong-tac").order_by("-date").first()


def section_by_kind(kind: str) -> SectionPage | None:
    return public(SectionPage.objects.live()).filter(section=kind).order_by("depth", "path").first()


def search_pages(query: str):
    """Live public portal pages matching the query through Wagtail search (lazy results: paginate, then take
    ``.specific`` of the shown pages); the query is folded without diacritics and matched against each page's
    folded ``search_text`` (and its title and summary)."""
    folded = fold_vietnamese(query)
    if not folded:
        return Page.objects.none()
    home = HomePage.objects.live().first()
    queryset = public(Page.objects.live())
    if home is not None:
        queryset = queryset.descendant_of(home, inclusive=True)
    return queryset.search(folded, operator="and")


def contact_officials(agency) -> list:
    """Active officials of the contact page's agency, highest position first (name, position, phone, e-mail)."""
    if agency is None:
        return []
    from egov.directory.models import Official

    return list(Official.objects.filter(agency=agency, is_active=True).select_related("user", "position")
                .order_by(F("position__rank").asc(nulls_last=True), "user__full_name")[:50])
