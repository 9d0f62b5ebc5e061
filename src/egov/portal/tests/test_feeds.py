"""RSS 2.0 feeds (news, directive information) and sitemap.xml: valid XML listing the live pages."""

import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own server's answer
from datetime import date

import pytest
from django.core.cache import cache

from egov.portal.models import Section
from egov.portal.tests import site_builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal():
    cache.clear()
    home = b.home()
    news = b.section(home, "Tin tức, sự kiện", Section.NEWS, slug="tin-tuc")
    directive = b.section(home, "Thông tin chỉ đạo, điều hành", Section.DIRECTIVE, slug="chi-dao-dieu-hanh")
    b.article(news, "Khánh thành cầu Năm Căn mới", date(2026, 4, 2), summary="Cây cầu nối đôi bờ sông Cửa Lớn")
    b.article(news, "Hội chợ nông sản Bạc Liêu – Cà Mau", date(2026, 4, 5), summary="Hơn 200 gian hàng")
    draft = b.article(news, "Bản nháp chưa đăng", date(2026, 4, 6))
    draft.unpublish()
    b.directive_item(directive, "Quyết định ban hành kế hoạch chuyển đổi số", "120/QĐ-UBND", date(2026, 4, 3))
    return {"home": home, "news": news}


def _rss(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.find("channel")


def test_news_feed_lists_live_news_newest_first(client, portal):
    channel = _rss(client, "/rss/tin-tuc.xml")
    assert channel.findtext("title").startswith("Tin tức, sự kiện")
    assert channel.findtext("link").endswith("/tin-tuc/")
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Hội chợ nông sản Bạc Liêu – Cà Mau",
                                                    "Khánh thành cầu Năm Căn mới"]
    first = items[0]
    assert first.findtext("link").startswith("http://") and first.findtext("link").endswith("/tin-tuc/"
                                                                                           "hoi-cho-nong-san-bac-lieu-ca-mau/")
    assert first.findtext("description") == "Hơn 200 gian hàng"
    assert "05 Apr 2026" in first.findtext("pubDate")


def test_directive_feed_has_number_and_date(client, portal):
    channel = _rss(client, "/rss/chi-dao-dieu-hanh.xml")
    (item,) = channel.findall("item")
    assert item.findtext("title") == "Quyết định ban hành kế hoạch chuyển đổi số"
    assert "Số 120/QĐ-UBND" in item.findtext("description") and "03/04/2026" in item.findtext("description")
    assert "03 Apr 2026" in item.findtext("pubDate")


def test_sitemap_lists_live_pages(client, portal):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in root.findall("s:url/s:loc", namespace)]
    assert any(loc.endswith("/tin-tuc/khanh-thanh-cau-nam-can-moi/") for loc in locations)
    assert any(loc.endswith("/chi-dao-dieu-hanh/") for loc in locations)
    assert not any("ban-nhap" in loc for loc in locations)
