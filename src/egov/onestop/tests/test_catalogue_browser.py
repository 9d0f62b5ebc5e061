"""An officer looks a procedure up in the catalogue on a phone-sized screen, in headless Chromium."""

import pytest

from egov.accounts.roles import Role
from egov.onestop.tests.test_catalogue import make_field, make_procedure, make_user

pytestmark = pytest.mark.browser
PASSWORD = "Mat-khau-rat-manh-2026"


def test_officer_finds_a_procedure_without_diacritics_on_a_phone(live_server, page):
    make_field()
    make_procedure()
    make_procedure("1.000894", "Thủ tục đăng ký kết hôn")
    make_procedure("2.000815", "Chứng thực bản sao từ bản chính", field=make_field("chung-thuc", "Chứng thực"))
    make_user("motcua.tanthanh", Role.ONESTOP_OFFICER)
    csp_violations = []
    page.on("console", lambda msg: csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/?next=/can-bo/mot-cua/thu-tuc/")
    page.get_by_label("Tên đăng nhập").fill("motcua.tanthanh")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/can-bo/mot-cua/thu-tuc/")
    assert page.get_by_test_id("catalogue-count").inner_text() == "Tìm thấy 3 thủ tục."

    page.get_by_label("Mã hoặc tên thủ tục").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm").click()
    page.wait_for_url("**q=dang+ky+khai+sinh**")
    assert page.get_by_test_id("catalogue-count").inner_text() == "Tìm thấy 1 thủ tục."

    # The field filter applies as soon as it changes (catalogue.js, allowed by the CSP).
    page.get_by_label("Mã hoặc tên thủ tục").fill("")
    page.get_by_label("Lĩnh vực").select_option("chung-thuc")
    page.wait_for_url("**linh_vuc=chung-thuc**")
    assert page.get_by_test_id("catalogue-count").inner_text() == "Tìm thấy 1 thủ tục."
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(f"{live_server.url}/can-bo/mot-cua/thu-tuc/1.001193/")
    assert page.get_by_role("heading", level=1).inner_text() == "Thủ tục đăng ký khai sinh"
    assert page.get_by_test_id("duration").inner_text() == "3 ngày làm việc"
    assert page.get_by_role("heading", name="Thành phần hồ sơ").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert csp_violations == []
