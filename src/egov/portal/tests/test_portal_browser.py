"""Real headless Chromium against the live server on the demo portal: home, a section, an article, contacts and
the English contacts on a phone and on a desktop; axe-core finds no serious or critical problem on each main page
type."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from egov.core.tests.browser import PHONE, axe_violations
from egov.directory.demo import load_demo

pytestmark = pytest.mark.browser
DESKTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}
PAGES = [  # (path, expected <h1> text part, lang) — one of each main page type
    ("/", None, "vi"),
    ("/tin-tuc/", "Tin tức, sự kiện", "vi"),
    ("/tin-tuc/khanh-thanh-cau-nam-can/", "Khánh thành cầu Năm Căn mới", "vi"),
    ("/chi-dao-dieu-hanh/", "Thông tin chỉ đạo, điều hành", "vi"),
    ("/du-an/duong-ven-bien-ca-mau-bac-lieu/", "Đường ven biển", "vi"),
    ("/lay-y-kien/du-thao-phan-cap-quan-ly-duong-thuy-noi-dia/", "Dự thảo Quyết định", "vi"),
    ("/lien-he/van-phong-ubnd-tinh/", "Văn phòng Ủy ban nhân dân tỉnh", "vi"),
    ("/en/", "Ca Mau Province e-Portal", "en"),
    ("/en/contacts/", "Contacts", "en"),
    ("/tim-kiem/?q=cau+nam+can", "Tìm kiếm", "vi"),
]


@pytest.fixture
def demo_portal(transactional_db):
    cache.clear()
    load_demo()
    with open("/dev/null", "w") as devnull:  # noqa: PTH123
        call_command("portal_load_demo", stdout=devnull)
    yield
    cache.clear()


def test_portal_on_a_phone_and_a_desktop(browser, live_server, demo_portal, tmp_path):
    phone_context = browser.new_context(**PHONE)
    try:
        page = phone_context.new_page()
        page.set_default_timeout(15000)
        for path, heading, lang in PAGES:
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            assert page.locator("html").get_attribute("lang") == lang, path
            assert page.title().endswith(("| Cổng thông tin điện tử tỉnh Cà Mau", "| Ca Mau Province e-Portal"))
            if heading:
                assert heading in page.locator("h1").first.inner_text(), path
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} scrolls sideways on a phone ({width}px)"
            assert axe_violations(page, live_server) == [], path
        # On a phone the sections hide behind the menu button; the visitor opens it and goes to the news.
        page.goto(live_server.url + "/")
        assert not page.get_by_role("link", name="Tin tức, sự kiện", exact=True).first.is_visible()
        page.get_by_role("button", name="Mở danh sách chuyên mục").click()
        page.locator("#pt-nav").get_by_role("link", name="Tin tức, sự kiện").click()
        page.wait_for_url(live_server.url + "/tin-tuc/")
        page.get_by_role("link", name="Trang sau »").click()
        page.wait_for_url(live_server.url + "/tin-tuc/?page=2")
        assert "Trang 2/2" in page.content()
        page.screenshot(path=tmp_path / "portal-phone-news-page2.png", full_page=True)
    finally:
        phone_context.close()

    desktop_context = browser.new_context(**DESKTOP)
    try:
        page = desktop_context.new_page()
        page.set_default_timeout(15000)
        page.goto(live_server.url + "/")
        menu = page.locator("#pt-nav")
        assert menu.get_by_role("link", name="Giới thiệu").is_visible()
        page.get_by_label("Tìm kiếm trên cổng").fill("le hoi nghinh ong")  # typed without diacritics
        page.get_by_label("Tìm kiếm trên cổng").press("Enter")
        page.get_by_role("link", name="Lễ hội Nghinh Ông Sông Đốc thu hút hàng vạn du khách").click()
        assert page.locator("h1").inner_text().startswith("Lễ hội Nghinh Ông")
        page.get_by_role("link", name="English").first.click()
        page.get_by_role("link", name="Contacts").first.click()
        assert page.locator("html").get_attribute("lang") == "en"
        assert "Đặng Quốc Bảo" in page.content()
        assert axe_violations(page, live_server) == []
        page.screenshot(path=tmp_path / "portal-desktop-en-contacts.png", full_page=True)
    finally:
        desktop_context.close()
