"""Real headless Chromium against the live server: a citizen on a phone sends feedback with a photo, gets the
tracking code and follows it by code; axe-core finds no serious or critical problem on the form, the status
page and the Q&A list."""

import pytest
from django.core.cache import cache

from egov.core.tests.browser import PHONE, axe_violations
from egov.feedback.models import Feedback
from egov.feedback.tests.world import png_bytes, world_make

pytestmark = pytest.mark.browser


def test_citizen_sends_feedback_on_a_phone_and_follows_it_by_code(browser, live_server, transactional_db, tmp_path):
    cache.clear()
    world = world_make()
    photo = tmp_path / "o-ga.png"
    photo.write_bytes(png_bytes())
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        response = page.goto(live_server.url + "/phan-anh-kien-nghi/")
        assert response.status == 200
        assert page.locator("html").get_attribute("lang") == "vi"
        assert axe_violations(page, live_server) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=tmp_path / "feedback-phone-form.png", full_page=True)

        page.get_by_role("radio", name="Kiến nghị", exact=True).check()
        page.get_by_role("textbox", name="Họ và tên", exact=True).fill("Trần Thị Mai")
        page.get_by_role("textbox", name="Địa chỉ", exact=True).fill("Khóm 2, phường Tân Thành, Cà Mau")
        page.get_by_role("textbox", name="Số điện thoại", exact=True).fill("0918 123 456")
        page.get_by_label("Cơ quan tiếp nhận (không bắt buộc)").select_option(label="Sở Tư pháp")
        page.get_by_role("textbox", name="Tiêu đề", exact=True).fill("Đề nghị sửa ổ gà trước trường học")
        page.get_by_role("textbox", name="Nội dung phản ánh, kiến nghị hoặc câu hỏi").fill(
            "Trước cổng trường tiểu học có ổ gà lớn, học sinh dễ té ngã khi trời mưa.")
        page.get_by_label("Tệp đính kèm (không bắt buộc)").set_input_files(str(photo))
        page.get_by_role("button", name="Gửi").click()
        page.wait_for_url(live_server.url + "/phan-anh-kien-nghi/da-gui/")
        code = page.get_by_test_id("tracking-code").inner_text().strip()
        feedback = Feedback.objects.get(code=code)
        assert feedback.agency == world.stp and feedback.attachments.count() == 1

        page.get_by_role("link", name="Theo dõi tình trạng").click()
        status = page.get_by_test_id("feedback-status")
        assert "Mới gửi" in status.inner_text() and "Trần T** M**" in status.inner_text()
        assert axe_violations(page, live_server) == []
        page.screenshot(path=tmp_path / "feedback-phone-status.png", full_page=True)

        # Later, the citizen types the code by hand (lower case, spaces) on the status page.
        page.goto(live_server.url + "/phan-anh-kien-nghi/theo-doi/")
        page.get_by_role("textbox", name="Mã theo dõi", exact=True).fill(f" {code.lower()} ")
        page.get_by_role("button", name="Tra cứu").click()
        assert code in page.get_by_test_id("feedback-status").inner_text()
        page.get_by_role("textbox", name="Mã theo dõi", exact=True).fill("PAKN-2026-ZZZZZZZ")
        page.get_by_role("button", name="Tra cứu").click()
        assert "Không tìm thấy phản ánh, kiến nghị có mã này" in page.get_by_role("alert").inner_text()
        assert axe_violations(page, live_server) == []

        page.goto(live_server.url + "/phan-anh-kien-nghi/hoi-dap/")
        assert axe_violations(page, live_server) == []
        page.screenshot(path=tmp_path / "feedback-phone-qa.png", full_page=True)
    finally:
        context.close()
        cache.clear()
