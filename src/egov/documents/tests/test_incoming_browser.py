"""A leader directs an incoming document and a specialist completes it, both on a phone-sized screen."""

import pytest

from egov.documents.models import IncomingDocument, IncomingStatus
from egov.documents.tests.world_incoming import PASSWORD, register, world_make
from egov.workdays import loader

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def login_to_incoming(browser, live_server, username: str, problems: list, *, phone: bool = True,
                      timeout_ms: int = 15000):
    """A signed-in official on the incoming documents list; console errors are collected in ``problems``."""
    options = {"viewport": PHONE} if phone else {}
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", **options)
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/?next=/can-bo/van-ban/den/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/can-bo/van-ban/den/")
    return context, page


def test_leader_directs_and_specialist_completes_on_a_phone(live_server, browser, tmp_path, db):
    loader.reset()
    w = world_make()
    document = register(w, urgency=1, summary="Về việc rà soát thủ tục hành chính lĩnh vực hộ tịch")
    problems: list[str] = []

    context, page = login_to_incoming(browser, live_server, w.leader.username, problems)
    page.get_by_role("link", name="123/UBND-VP: Về việc rà soát thủ tục hành chính lĩnh vực hộ tịch").click()
    page.wait_for_url(f"{live_server.url}/can-bo/van-ban/den/{document.uuid}/")
    assert "Đã vào sổ, chờ phân công" in page.get_by_test_id("status").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_label("Chủ trì xử lý").select_option("user:chuyenvien.t")
    page.get_by_label("Ý kiến chỉ đạo").fill("Đ/c Luân rà soát, báo cáo trong 3 ngày làm việc")
    page.get_by_label("Hạn xử lý (số ngày làm việc)").fill("3")
    page.get_by_role("button", name="Phân công", exact=True).click()
    page.get_by_text("Đã phân công xử lý văn bản.").wait_for()
    assert "Đã phân công xử lý" in page.get_by_test_id("status").inner_text()
    assert "Tô Minh Luân" in page.get_by_test_id("assignments").inner_text()
    page.screenshot(path=str(tmp_path / "lanh-dao-390.png"), full_page=True)
    context.close()

    context, page = login_to_incoming(browser, live_server, w.specialist.username, problems)
    page.get_by_role("link", name="Của tôi").click()
    page.get_by_role("link", name="123/UBND-VP: Về việc rà soát thủ tục hành chính lĩnh vực hộ tịch").click()
    page.wait_for_url(f"{live_server.url}/can-bo/van-ban/den/{document.uuid}/")
    page.get_by_text("Hoàn thành", exact=True).click()
    page.get_by_role("button", name="Xác nhận hoàn thành").click()
    page.get_by_test_id("error").wait_for()
    assert "Cần nhập kết quả xử lý" in page.get_by_test_id("error").inner_text()
    page.get_by_label("Kết quả xử lý").fill("Đã rà soát 12 thủ tục, báo cáo lãnh đạo")
    page.get_by_role("button", name="Xác nhận hoàn thành").click()
    page.get_by_text("Đã hoàn thành phân công.").wait_for()
    assert "Đã hoàn thành xử lý" in page.get_by_test_id("status").inner_text()
    assert "Đã rà soát 12 thủ tục" in page.get_by_test_id("timeline").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(tmp_path / "chuyen-vien-390.png"), full_page=True)
    context.close()

    assert IncomingDocument.objects.get(pk=document.pk).status == IncomingStatus.DONE
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
