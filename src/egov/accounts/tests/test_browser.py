"""A clerk logs in through the real form in headless Chromium and sees the Vietnamese home page."""

from base64 import b32decode

import pytest
from django_otp.oath import totp

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.accounts.tests.conftest import PASSWORD
from egov.directory.models import Agency, AgencyKind, Official

pytestmark = pytest.mark.browser


def test_clerk_logs_in_and_sees_the_vietnamese_home_page_also_on_a_phone(live_server, page, tmp_path):
    agency = Agency.objects.create(code="STC", name="Sở Tài chính tỉnh Cà Mau", abbreviation="STC",
                                   kind=AgencyKind.DEPARTMENT)
    user = User.objects.create_user(username="vanthu.stc", password=PASSWORD, role=Role.CLERK,
                                    full_name="Đặng Thị Văn")
    Official.objects.create(user=user, agency=agency)
    csp_violations = []
    page.on("console", lambda msg: csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None)

    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_label("Tên đăng nhập").fill("vanthu.stc")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.wait_for_url(f"{live_server.url}/can-bo/")
    assert page.get_by_role("heading", level=1).inner_text() == "Xin chào Đặng Thị Văn"
    assert page.get_by_test_id("home-role").inner_text() == "Văn thư"
    assert page.get_by_test_id("home-agency").inner_text() == "Sở Tài chính tỉnh Cà Mau"
    assert page.get_by_test_id("user-agency").inner_text() == "Sở Tài chính tỉnh Cà Mau"

    page.set_viewport_size({"width": 390, "height": 844})
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible()
    assert not page.locator("nav.sidebar").is_visible()
    shot = tmp_path / "trang-chu-390.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    # Bootstrap's collapse (an external script, allowed by the CSP) opens the menu.
    toggler.click()
    menu_link = page.locator("#backoffice-nav").get_by_role("link", name="Danh bạ cơ quan")
    menu_link.wait_for(state="visible")
    page.locator("#backoffice-nav.show").wait_for()
    page.wait_for_timeout(400)  # the collapse transition, for a clean screenshot
    page.screenshot(path=str(tmp_path / "menu-390.png"))
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert csp_violations == []


def test_administrator_enrols_two_factor_in_the_browser(live_server, page):
    """The QR page works without inline scripts; the secret shown on it yields the codes the server accepts."""
    User.objects.create_user(username="quantri.tinh", password=PASSWORD, role=Role.SYSTEM_ADMIN,
                             full_name="Phạm Hệ Thống")
    page.goto(f"{live_server.url}/can-bo/nhat-ky/")
    page.wait_for_url("**/tai-khoan/dang-nhap/**")
    page.get_by_label("Tên đăng nhập").fill("quantri.tinh")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.wait_for_url("**/tai-khoan/xac-thuc-hai-buoc/thiet-lap/**")
    qr = page.get_by_role("img", name="Mã QR để thêm tài khoản vào ứng dụng xác thực")
    assert qr.is_visible() and qr.evaluate("img => img.naturalWidth") > 100
    secret = page.get_by_test_id("otp-secret").get_attribute("data-secret")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Mã xác thực (6 chữ số)").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Xác nhận và bật").click()

    page.wait_for_url(f"{live_server.url}/can-bo/nhat-ky/")
    assert page.get_by_role("heading", level=1).inner_text() == "Nhật ký kiểm toán"
    assert page.get_by_text("Bật xác thực hai bước").first.is_visible()
