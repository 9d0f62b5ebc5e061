"""The public portal site: layout, titles and metadata, language, section lists, search, cache invalidation."""

from datetime import date

import pytest
from django.core.cache import cache
from wagtail.models import Site

from egov.portal.models import ContactPage, HomePage, Section
from egov.portal.tests import site_builders as b

pytestmark = pytest.mark.django_db
SUFFIX = " | Cổng thông tin điện tử tỉnh Cà Mau"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def portal():
    home = b.home()
    news = b.section(home, "Tin tức, sự kiện", Section.NEWS, slug="tin-tuc")
    directive = b.section(home, "Thông tin chỉ đạo, điều hành", Section.DIRECTIVE, slug="chi-dao-dieu-hanh")
    items = [b.article(news, f"Tin số {n:02d} về phát triển kinh tế biển", date(2026, 1, n),
                       summary=f"Tóm tắt tin số {n:02d}") for n in range(1, 13)]
    b.article(news, "Đón Tết Nguyên đán tại Đất Mũi", date(2026, 2, 1), summary="Người dân Đất Mũi vui xuân")
    b.directive_item(directive, "Chỉ thị về phòng, chống hạn mặn", "05/CT-UBND", date(2026, 3, 2))
    english = b.english_home(home)
    return {"home": home, "news": news, "directive": directive, "items": items, "english": english}


def test_home_page_is_the_default_site_root():
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class is HomePage
    assert HomePage.objects.count() == 1


def test_home_page_layout_title_footer_and_lists(client, portal):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Trang chủ" + SUFFIX + "</title>" in html
    assert '<html lang="vi">' in html
    # Header: menu of the sections; search; footer transaction details and links.
    assert 'href="/tin-tuc/"' in html and "Thông tin chỉ đạo, điều hành" in html
    assert 'action="/tim-kiem/"' in html
    for text in ("Số 2 Hùng Vương", "0290 3831 234", "0290 3831 235", "congthongtin@camau.gov.vn",
                 'href="/tra-cuu/"', 'href="/dich-vu-cong/"', 'href="/phan-anh-kien-nghi/"', 'href="/en/"',
                 'href="/can-bo/"'):
        assert text in html, text
    # Latest news newest first, latest directive information, RSS alternates.
    assert html.index("Đón Tết Nguyên đán") < html.index("Tin số 12") < html.index("Tin số 11")
    assert "05/CT-UBND" in html
    assert 'type="application/rss+xml"' in html and "/rss/tin-tuc.xml" in html


def test_article_title_meta_and_open_graph(client, portal):
    article = portal["items"][0]
    html = client.get(article.url).content.decode()
    assert f"<title>{article.title}{SUFFIX}</title>" in html
    assert '<meta name="description" content="Tóm tắt tin số 01">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:title" content="{article.title}">' in html
    assert "01/01/2026" in html
    # Breadcrumbs: home > section > the article.
    assert 'aria-label="Đường dẫn"' in html and 'href="/tin-tuc/">Tin tức, sự kiện</a>' in html


def test_english_pages_have_lang_en(client, portal):
    contact = b.publish(portal["english"], ContactPage(title="Contacts", slug="contacts",
                                                       summary="How to reach the Provincial People's Committee"))
    html = client.get(contact.url).content.decode()
    assert '<html lang="en">' in html
    assert "<title>Contacts | Ca Mau Province e-Portal</title>" in html
    assert '<html lang="en">' in client.get("/en/").content.decode()


def test_section_list_is_paginated_newest_first(client, portal):
    first = client.get("/tin-tuc/").content.decode()
    assert "Trang 1/2" in first
    assert first.index("Đón Tết Nguyên đán") < first.index("Tin số 12")
    assert "Tin số 03" not in first  # 13 items, 10 a page: 03, 02, 01 are on page 2
    second = client.get("/tin-tuc/?page=2").content.decode()
    assert "Trang 2/2" in second
    assert second.index("Tin số 03") < second.index("Tin số 02") < second.index("Tin số 01")
    assert "Tin số 12" not in second
    assert client.get("/tin-tuc/?page=99").status_code == 200  # out of range: the last page, never a 500


def test_search_without_diacritics_finds_vietnamese_text(client, portal):
    html = client.get("/tim-kiem/", {"q": "tet nguyen dan dat mui"}).content.decode()
    assert "Đón Tết Nguyên đán tại Đất Mũi" in html
    html = client.get("/tim-kiem/", {"q": "Phòng, chống hạn mặn"}).content.decode()
    assert "Chỉ thị về phòng, chống hạn mặn" in html
    html = client.get("/tim-kiem/", {"q": "khong co trang nao nhu vay"}).content.decode()
    assert "Không tìm thấy trang nào phù hợp." in html
    assert client.get("/tim-kiem/", {"q": "<script>alert(1)</script>"}).status_code == 200


def test_home_page_cache_is_invalidated_on_publish(client, portal):
    first = client.get("/")
    assert first["X-Portal-Cache"] == "miss"
    assert client.get("/")["X-Portal-Cache"] == "hit"
    article = portal["items"][-1]
    article.title = "Tin mới sửa qua phiên bản"
    revision = article.save_revision()
    assert "Tin mới sửa qua phiên bản" not in client.get("/").content.decode()  # a draft is not public
    revision.publish()
    response = client.get("/")
    assert response["X-Portal-Cache"] == "miss"
    assert "Tin mới sửa qua phiên bản" in response.content.decode()
    article.unpublish()
    assert "Tin mới sửa qua phiên bản" not in client.get("/").content.decode()


def test_logged_in_users_and_other_queries_bypass_the_cache(client, portal, django_user_model):
    client.get("/tin-tuc/")
    assert client.get("/tin-tuc/")["X-Portal-Cache"] == "hit"
    assert "X-Portal-Cache" not in client.get("/tin-tuc/?utm=x")
    user = django_user_model.objects.create_user(username="bientap.test", password="x")  # noqa: S106
    client.force_login(user)
    assert "X-Portal-Cache" not in client.get("/tin-tuc/")


def test_a_password_protected_page_is_never_cached(client, portal):
    from wagtail.models import PageViewRestriction

    article = portal["items"][-1]  # "Tin số 12", on the home page and the first page of the section
    assert "Tin số 12" in client.get("/").content.decode()  # now cached
    assert "Tin số 12" in client.get("/tim-kiem/", {"q": "tin so 12"}).content.decode()
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.PASSWORD,
                                       password="mat-khau-mau")  # noqa: S106
    # The restriction leaves the cache at once: lists and search no longer show the page.
    assert "Tin số 12" not in client.get("/").content.decode()
    assert "Tin số 12" not in client.get("/tin-tuc/").content.decode()
    assert "Tin số 12" not in client.get("/tim-kiem/", {"q": "tin so 12"}).content.decode()
    for _ in range(2):
        response = client.get(article.url)
        assert response.status_code == 200
        assert response.get("X-Portal-Cache") is None  # neither stored nor served from the cache
        assert "Tóm tắt tin số 12</p>" not in response.content.decode()


def test_a_page_showing_a_flash_message_is_not_cached(client, portal, settings):
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"
    encoded = CookieStorage(RequestFactory().get("/"))._encode([Message(25, "Đã gửi phản ánh thành công.")])
    client.cookies[CookieStorage.cookie_name] = encoded
    first = client.get("/tin-tuc/")
    assert "Đã gửi phản ánh thành công." in first.content.decode()
    assert first.get("X-Portal-Cache") is None
    del client.cookies[CookieStorage.cookie_name]
    assert client.get("/tin-tuc/")["X-Portal-Cache"] == "miss"  # a visitor without messages: cached as usual


def test_site_root_migration_is_idempotent_and_repairs_a_missing_home():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("egov.portal.migrations.0002_home_page_site_root")
    home = HomePage.objects.get()
    migration.forwards(apps, None)  # a database that already has its HomePage: nothing changes
    assert HomePage.objects.get().pk == home.pk
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk

    home.delete()  # the site goes with its root page
    assert not Site.objects.exists()
    migration.forwards(apps, None)
    new_home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == new_home.pk
    assert new_home.get_parent().depth == 1 and new_home.live
    assert new_home.title == "Cổng thông tin điện tử tỉnh Cà Mau"


def test_a_publish_in_another_worker_process_reaches_this_one(client, portal):
    """With the in-process cache each worker has its own counter; the data folder's generation file is shared."""
    import os
    import time

    from egov.portal import cache as portal_cache

    client.get("/")
    assert client.get("/")["X-Portal-Cache"] == "hit"
    path = portal_cache._generation_file()
    stamp = time.time_ns() + 1_000_000
    os.utime(path, ns=(stamp, stamp))  # what invalidate() does in another process (its own counter is not ours)
    assert client.get("/")["X-Portal-Cache"] == "miss"


def test_anonymous_pages_are_answered_before_the_rest_of_the_middleware_with_the_same_headers(client, portal):
    first = client.get("/tin-tuc/")
    assert first["X-Portal-Cache"] == "miss" and hasattr(first.wsgi_request, "user")
    early = client.get("/tin-tuc/")
    assert early["X-Portal-Cache"] == "hit"
    assert not hasattr(early.wsgi_request, "user")  # session and authentication middleware never ran
    assert early.content == first.content
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Type", "Content-Language",
                   "X-Content-Type-Options", "Referrer-Policy"):
        assert early.get(header) == first.get(header), header
    assert not early.cookies

    # A visitor with a cookie that could change the page goes through the whole stack (the page cache still helps).
    client.cookies["messages"] = "khong-hop-le"
    through = client.get("/tin-tuc/")
    assert through["X-Portal-Cache"] == "hit" and hasattr(through.wsgi_request, "user")
    del client.cookies["messages"]

    # Another query, another method, or a publish: not from the early cache.
    assert "X-Portal-Cache" not in client.get("/tin-tuc/?utm=x")
    article = portal["items"][-1]
    article.title = "Tin mới nhất hôm nay"
    article.save_revision().publish()
    fresh = client.get("/tin-tuc/")
    assert fresh["X-Portal-Cache"] == "miss" and "Tin mới nhất hôm nay" in fresh.content.decode()
