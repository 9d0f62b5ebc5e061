"""An official searches documents in headless Chromium on a phone-sized screen: no diacritics typed, the hit
is highlighted, and the link opens the document. The index follows the commits of the live server's database."""

import uuid

import pytest

from egov.documents.tests.world_search import PASSWORD, SearchWorld, incoming_make

pytestmark = pytest.mark.browser


def test_official_finds_a_document_without_typing_diacritics_on_a_phone(live_server, page, settings):
    settings.EGOV_SEARCH_INDEX = f"test-{uuid.uuid4().hex[:10]}"
    world = SearchWorld()
    doc = incoming_make(world.a, world.in_a, "Kế hoạch tu bổ đê điều mùa mưa bão năm 2025",
                        number_notation="88/KH-UBND", body="Giao Sở Nông nghiệp chủ trì <b>kiểm tra</b> đê điều.")
    incoming_make(world.b, world.in_b, "Kế hoạch tu bổ đê điều của sở khác")  # indexed on commit, never shown
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/?next=/can-bo/van-ban/tim-kiem/")
    page.get_by_label("Tên đăng nhập").fill(world.specialist_a.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/can-bo/van-ban/tim-kiem/")
    page.get_by_label("Từ khóa").fill("de dieu")
    page.get_by_test_id("search-submit").click()
    page.get_by_test_id("search-hit").first.wait_for()
    assert page.get_by_test_id("search-hit").count() == 1
    assert page.locator("[data-testid=search-hit] mark").first.inner_text() == "đê"
    assert "<b>kiểm tra</b>" in page.get_by_test_id("search-snippet").inner_text()  # shown as text, not markup
    assert "88/KH-UBND" in page.get_by_test_id("search-hit").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="Kế hoạch tu bổ đê điều").click()
    page.wait_for_url(f"{live_server.url}/can-bo/van-ban/den/{doc.uuid}/")
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
