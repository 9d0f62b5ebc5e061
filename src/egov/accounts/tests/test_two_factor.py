"""Two-factor login through the real forms: second step, enrolment for administrators, voluntary use."""

import re
import time

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.session import PENDING_KEY
from egov.accounts.testing import current_token, login_with_second_factor, totp_device
from egov.accounts.tests.conftest import post_login, post_token
from egov.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _wrong(token: str) -> str:
    return f"{(int(token) + 500_000) % 1_000_000:06d}"


def test_user_with_device_must_give_a_code_before_being_logged_in(client, clerk):
    device = totp_device(clerk)
    response = post_login(client, clerk.username)
    assert response.status_code == 302 and response.url == reverse("accounts:otp")
    # The password alone opens nothing.
    assert not client.get(reverse("accounts:otp")).wsgi_request.user.is_authenticated
    assert client.get(reverse("backoffice:home")).status_code == 302
    page = client.get(reverse("accounts:otp"))
    assert "Mã xác thực (6 chữ số)" in page.content.decode()

    response = post_token(client, current_token(device))
    assert response.status_code == 302 and response.url == reverse("backoffice:home")
    home = client.get(reverse("backoffice:home"))
    assert home.status_code == 200
    assert home.wsgi_request.user.is_verified()
    entry = AuditEntry.objects.get(action="accounts.login")
    assert entry.changes["extra"] == {"two_factor": True}


def test_wrong_code_is_rejected_in_vietnamese_and_audited(client, clerk):
    device = totp_device(clerk)
    post_login(client, clerk.username)
    response = post_token(client, _wrong(current_token(device)))
    assert response.status_code == 200
    assert "Mã xác thực không đúng hoặc đã hết hạn" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    entry = AuditEntry.objects.get(action="accounts.login_failed")
    assert entry.changes["extra"] == {"username": clerk.username, "step": "otp"}
    # django-otp makes the next attempt wait; the page says so instead of failing.
    response = post_token(client, current_token(device))
    assert "Vui lòng đợi" in response.content.decode()


@pytest.mark.parametrize("token, message", [("12345", "gồm đúng 6 chữ số"), ("abcdef", "gồm đúng 6 chữ số"),
                                             ("", "Vui lòng nhập mã xác thực")])
def test_malformed_code_gives_a_form_error(client, clerk, token, message):
    totp_device(clerk)
    post_login(client, clerk.username)
    response = post_token(client, token)
    assert response.status_code == 200 and message in response.content.decode()


def test_next_survives_the_second_step(client, clerk):
    device = totp_device(clerk)
    post_login(client, clerk.username, next="/tai-khoan/ca-nhan/")
    response = post_token(client, current_token(device))
    assert response.url == "/tai-khoan/ca-nhan/"


def test_second_step_expires(client, clerk):
    device = totp_device(clerk)
    post_login(client, clerk.username)
    session = client.session
    session[PENDING_KEY] = {**session[PENDING_KEY], "at": int(time.time()) - 3600}
    session.save()
    response = post_token(client, current_token(device))
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert "Phiên đăng nhập đã hết hạn" in client.get(response.url).content.decode()


def test_otp_page_without_a_login_in_progress_goes_to_login(client):
    response = client.get(reverse("accounts:otp"))
    assert response.status_code == 302 and response.url == reverse("accounts:login")


def _enrolment_secret_device(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=False)


def test_administrator_without_device_must_enrol_before_anything(client, agency_admin):
    response = post_login(client, agency_admin.username)
    assert response.url == reverse("accounts:otp")
    response = client.get(response.url)
    assert response.status_code == 302 and response.url == reverse("accounts:otp_setup")

    page = client.get(reverse("accounts:otp_setup"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Vai trò quản trị bắt buộc dùng xác thực hai bước" in html
    assert re.search(r'<img class="otp-qr[^"]*" src="data:image/svg\+xml', html)
    assert "<script>" not in html and "<svg" not in html.split("<body", 1)[1].split("otp-qr")[0]
    device = _enrolment_secret_device(agency_admin)
    secret = re.search(r'data-secret="([A-Z2-7]+)"', html).group(1)
    assert secret and device.config_url.count(secret) == 1
    # Reloading keeps the same secret (one pending device).
    client.get(reverse("accounts:otp_setup"))
    assert TOTPDevice.objects.filter(user=agency_admin).count() == 1

    response = post_token(client, _wrong(current_token(device)), "accounts:otp_setup")
    assert response.status_code == 200 and "Mã xác thực không đúng" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=agency_admin, confirmed=True).exists()

    device.refresh_from_db()
    device.throttle_reset()
    response = post_token(client, current_token(device), "accounts:otp_setup")
    assert response.status_code == 302 and response.url == reverse("backoffice:home")
    assert TOTPDevice.objects.get(user=agency_admin).confirmed
    home = client.get(reverse("backoffice:home"))
    assert home.status_code == 200 and home.wsgi_request.user.is_verified()
    enabled = AuditEntry.objects.get(action="accounts.otp_enabled")
    assert enabled.actor == agency_admin and enabled.object_id == str(agency_admin.uuid)


def test_enrolment_cannot_replace_an_existing_device(client, agency_admin):
    device = totp_device(agency_admin)
    post_login(client, agency_admin.username)
    response = client.get(reverse("accounts:otp_setup"))
    assert response.status_code == 302 and response.url == reverse("accounts:otp")
    assert TOTPDevice.objects.filter(user=agency_admin).get() == device


def test_session_from_another_login_form_is_held_at_the_second_step(client, system_admin):
    """A session that did not pass the code (e.g. opened by another login form) reaches nothing."""
    client.force_login(system_admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:otp')}?next=%2Fadmin%2F"
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_required"
    assert client.get(reverse("accounts:otp")).status_code == 302  # on to enrolment: no device yet


def test_verified_system_admin_reaches_django_admin(client, system_admin):
    login_with_second_factor(client, system_admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


def test_official_enables_and_disables_two_factor_voluntarily(client, clerk):
    post_login(client, clerk.username)
    profile = client.get(reverse("accounts:profile"))
    assert "Chưa bật" in profile.content.decode()
    client.get(reverse("accounts:otp_setup"))
    device = _enrolment_secret_device(clerk)
    response = post_token(client, current_token(device), "accounts:otp_setup")
    assert response.status_code == 302 and response.url == reverse("accounts:profile")
    profile = client.get(reverse("accounts:profile"))
    assert profile.status_code == 200 and "Đang bật" in profile.content.decode()
    assert AuditEntry.objects.filter(action="accounts.otp_enabled", actor=clerk).exists()

    # A new login now asks for the code, whatever form it starts from.
    client.post(reverse("accounts:logout"))
    assert post_login(client, clerk.username).url == reverse("accounts:otp")
    client.post(reverse("accounts:logout"))

    login_with_second_factor(client, clerk)
    device = TOTPDevice.objects.get(user=clerk)
    device.last_t = -1
    device.save()
    response = client.post(reverse("accounts:otp_disable"), {"token": _wrong(current_token(device))})
    assert response.status_code == 400 and "Mã xác thực không đúng" in response.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(reverse("accounts:otp_disable"), {"token": current_token(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    assert AuditEntry.objects.filter(action="accounts.otp_disabled", actor=clerk).exists()
    assert post_login(client, clerk.username).url == reverse("backoffice:home")


def test_administrator_cannot_disable_two_factor(client, agency_admin):
    device = login_with_second_factor(client, agency_admin)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "bắt buộc dùng xác thực hai bước" in profile and "Tắt xác thực hai bước</button>" not in profile
    response = client.post(reverse("accounts:otp_disable"), {"token": current_token(device)})
    assert response.status_code == 400
    assert "không thể tắt" in response.content.decode()
    assert TOTPDevice.objects.filter(user=agency_admin).exists()
