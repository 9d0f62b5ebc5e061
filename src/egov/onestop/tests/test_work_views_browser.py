"""An official works a dossier in headless Chromium on a phone-sized screen: queue, detail, actions."""

import pytest
from django.utils import timezone

from egov.onestop.models import Dossier
from egov.onestop.status import DossierStatus
from egov.onestop.tests.processing_world import build_world, receive
from egov.workdays import loader

pytestmark = pytest.mark.browser
PASSWORD = "x-Strong-pass-1"


def test_specialist_takes_up_and_hands_over_a_dossier_on_a_phone(live_server, page, tmp_path, db):
    loader.reset()
    w = build_world()
    d = receive(w, when=timezone.now())
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/?next=/can-bo/mot-cua/")
    page.get_by_label("Tên đăng nhập").fill(w.specialist.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/can-bo/mot-cua/")
    assert page.get_by_role("link", name="Của tôi").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("link", name=d.code).click()
    page.wait_for_url(f"{live_server.url}/can-bo/mot-cua/ho-so/{d.code}/")
    assert "Đã tiếp nhận (mã 2)" in page.get_by_test_id("status").inner_text()
    page.get_by_role("button", name="Bắt đầu xử lý").click()
    page.get_by_text("Đã thực hiện: Bắt đầu xử lý.").wait_for()
    assert "Đang xử lý (mã 4)" in page.get_by_test_id("status").inner_text()

    # Bootstrap's collapse (external script) opens the form; an empty reason is refused with a message.
    page.get_by_role("button", name="Trả lại bước trước").click()
    page.locator("#act-send-back.show").wait_for()
    page.locator("#act-send-back textarea[name=reason]").fill("   ")
    page.locator("#act-send-back button[type=submit]").click()
    page.get_by_test_id("error").wait_for()
    assert "Cần nhập lý do trả lại." in page.get_by_test_id("error").inner_text()

    page.get_by_role("button", name="Chuyển bước tiếp theo").click()
    page.locator("#act-complete.show").wait_for()
    page.locator("#act-complete textarea[name=note]").fill("Hồ sơ đủ điều kiện, trình lãnh đạo")
    page.locator("#act-complete button[type=submit]").click()
    page.get_by_text("Đã thực hiện: Chuyển bước tiếp theo.").wait_for()
    timeline = page.get_by_test_id("timeline").inner_text()
    assert "Hồ sơ đủ điều kiện, trình lãnh đạo" in timeline
    assert "Phê duyệt kết quả" in page.get_by_test_id("steps-list").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "ho-so-390.png"), full_page=True)
    assert Dossier.objects.get(pk=d.pk).status == DossierStatus.PROCESSING
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
