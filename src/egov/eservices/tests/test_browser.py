"""Real headless Chromium (Debian's) against the live server: a citizen submits online on a phone-sized
screen; a visitor looks a dossier up by its code, on the page and on the kiosk."""

import re

import pytest
from django.urls import reverse

from egov.core.tests.browser import PHONE, axe_violations
from egov.eservices.tests.conftest import accept, receive
from egov.onestop.models import Dossier
from egov.onestop.tests import factories

pytestmark = pytest.mark.browser
CODE = "000.01.12.H12-250714-0007"


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"


def test_citizen_registers_and_submits_online_on_a_phone(phone, live_server, transactional_db, world):
    page = phone
    page.goto(live_server.url + reverse("eservices:register"))
    _fits_the_screen(page)
    page.get_by_label("Tên đăng nhập").fill("phamvancuong")
    page.get_by_label("Họ và tên").fill("Phạm Văn Cường")
    page.get_by_label("Số định danh cá nhân (CCCD)").fill("096090001234")
    page.get_by_label("Số điện thoại").fill("0913 222 333")
    page.get_by_label("Thư điện tử").fill("cuong@example.vn")
    page.get_by_label("Địa chỉ thường trú").fill("Ấp 3, xã Tân Thành")
    page.get_by_label(re.compile(r"^Mật khẩu")).fill("Rung-tram-U-Minh-2025")
    page.get_by_label("Nhập lại mật khẩu").fill("Rung-tram-U-Minh-2025")
    page.get_by_role("button", name="Đăng ký").click()
    page.wait_for_url(live_server.url + reverse("eservices:home"))
    assert "Đăng ký tài khoản thành công" in page.content()

    page.get_by_label("Tìm thủ tục").fill("khai sinh")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_role("link", name="Đăng ký khai sinh").click()
    assert "8.000 đ" in page.content()
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    _fits_the_screen(page)
    assert page.get_by_label("Số điện thoại liên hệ").input_value() == "0913222333"
    assert page.get_by_label("Địa chỉ liên hệ").input_value() == "Ấp 3, xã Tân Thành"
    page.get_by_label("Nơi tiếp nhận hồ sơ").select_option(label="Ủy ban nhân dân xã Tân Thành")
    page.get_by_label("Họ, chữ đệm, tên của trẻ").fill("Phạm Thị Mai")
    page.get_by_label("Ngày sinh của trẻ").fill("2025-06-01")
    page.get_by_label("Giới tính").select_option("Nữ")
    page.get_by_label("Cân nặng (kg)").fill("3,1")
    pdf = {"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": factories.pdf_bytes("To khai")}
    page.get_by_label("Tờ khai đăng ký khai sinh theo mẫu").set_input_files(pdf)
    page.get_by_label("Giấy chứng sinh").set_input_files({**pdf, "name": "giay-chung-sinh.pdf"})
    assert axe_violations(page, live_server) == []
    page.get_by_role("button", name="Nộp hồ sơ").click()

    page.wait_for_url("**/dich-vu-cong/ho-so/*/")
    assert page.get_by_test_id("status").inner_text() == "Mới đăng ký"
    assert "Đã nộp hồ sơ trực tuyến" in page.content()
    _fits_the_screen(page)
    dossier = Dossier.objects.get(applicant_user__username="phamvancuong")
    assert dossier.status == "submitted" and dossier.receiving_agency == world["commune"]
    assert dossier.form_data["ho_ten_tre"] == "Phạm Thị Mai" and dossier.form_data["can_nang"] == 3.1
    assert dossier.files.count() == 2


def test_visitor_looks_up_a_dossier_by_code_on_a_phone(phone, live_server, transactional_db, world, submit):
    dossier = accept(submit(), world["officer"])  # the counter's service: real code, due date from the calendar
    page = phone
    page.goto(live_server.url + "/tra-cuu/")
    page.get_by_label("Mã hồ sơ").fill(dossier.code.lower())
    page.get_by_role("button", name="Tra cứu").click()
    result = page.get_by_test_id("lookup-result")
    result.wait_for()
    assert page.get_by_test_id("status").inner_text() == "Đã tiếp nhận"
    assert page.get_by_test_id("applicant").inner_text() == "Nguyễn V** A*"
    due = dossier.due_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Ho_Chi_Minh"))
    assert page.get_by_test_id("due").inner_text() == due.strftime("%d/%m/%Y %H:%M")
    assert "0912345678" not in page.content() and "096085000123" not in page.content()
    _fits_the_screen(page)
    assert axe_violations(page, live_server) == []

    page.get_by_label("Mã hồ sơ").fill("ma-sai")
    page.get_by_role("button", name="Tra cứu").click()
    page.get_by_role("alert").wait_for()
    assert "Mã hồ sơ không đúng định dạng" in page.get_by_role("alert").inner_text()


def test_kiosk_keypad_and_return_to_start(browser, live_server, transactional_db, world, submit):
    receive(submit(), world["officer"], code=CODE)
    context = browser.new_context(viewport={"width": 1080, "height": 1920}, has_touch=True, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    try:
        page.clock.install()
        page.goto(live_server.url + "/tra-cuu/kiosk/")
        key = page.locator("button[data-key='0']")
        box = key.bounding_box()
        assert box["height"] >= 64 and box["width"] >= 64
        assert float(key.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")) >= 24
        for char in CODE.replace("0007", "0008"):
            page.locator(f"button[data-key='{char}']").click()
        page.get_by_role("button", name="Xóa ký tự cuối").click()
        page.locator("button[data-key='7']").click()
        assert page.locator("#ma").input_value() == CODE
        page.get_by_role("button", name="Tra cứu").click()
        page.get_by_test_id("lookup-result").wait_for()
        assert "Nguyễn V** A*" in page.content()
        page.clock.fast_forward("01:05")
        page.wait_for_url(live_server.url + "/tra-cuu/kiosk/")
        assert page.locator("#ma").input_value() == ""
    finally:
        context.close()
