"""Password login through the real form: messages in Vietnamese, redirects, refusals, audit entries."""

import pytest
from django.urls import reverse

from egov.accounts.tests.conftest import PASSWORD, post_login
from egov.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_login_page_is_vietnamese_even_for_an_english_browser(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html and "Tên đăng nhập" in html and "Mật khẩu" in html
    assert "<script>" not in html and "onclick" not in html


def test_clerk_logs_in_without_second_step(client, clerk):
    response = post_login(client, clerk.username)
    assert response.status_code == 302 and response.url == reverse("backoffice:home")
    home = client.get(response.url)
    assert home.status_code == 200
    assert home.wsgi_request.user == clerk
    entry = AuditEntry.objects.filter(action="accounts.login").get()
    assert entry.actor == clerk and entry.changes["extra"] == {"two_factor": False}
    assert entry.ip == "127.0.0.1"


def test_wrong_password_shows_vietnamese_error_and_is_audited(client, clerk):
    response = post_login(client, clerk.username, "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    entry = AuditEntry.objects.get(action="accounts.login_failed")
    assert entry.actor is None
    assert entry.object_type == "accounts.user" and entry.object_id == str(clerk.uuid)
    assert entry.changes["extra"] == {"username": clerk.username, "step": "password"}
    assert "sai-mat-khau" not in str(entry.changes)


def test_unknown_username_is_audited_without_an_object_id(client):
    post_login(client, "khong.ton.tai", "sai-mat-khau")
    entry = AuditEntry.objects.get(action="accounts.login_failed")
    assert entry.object_id == "" and entry.object_repr == "khong.ton.tai"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"username": "", "password": ""}, "Vui lòng nhập tên đăng nhập."),
        ({"username": "vanthu", "password": ""}, "Vui lòng nhập mật khẩu."),
        ({"username": "x" * 5000, "password": "y"}, "tối đa 150"),
        ({"username": "a\x00b", "password": "y"}, "Không được chứa ký tự rỗng (NUL)."),
    ],
)
def test_bad_input_gives_a_form_error_never_a_500(client, data, message):
    response = client.post(reverse("accounts:login"), data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_next_is_followed_only_inside_the_site(client, clerk):
    response = post_login(client, clerk.username, next="/tai-khoan/ca-nhan/")
    assert response.url == "/tai-khoan/ca-nhan/"
    client.post(reverse("accounts:logout"))
    response = post_login(client, clerk.username, next="https://attacker.example/")
    assert response.url == reverse("backoffice:home")


def test_anonymous_back_office_redirects_to_login(client):
    response = client.get(reverse("backoffice:home"))
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next=/can-bo/"


def test_citizen_is_refused_politely_at_login(client, citizen):
    response = post_login(client, citizen.username)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Trang này dành cho cán bộ, công chức" in html and "tài khoản công dân" in html
    assert not response.wsgi_request.user.is_authenticated


def test_citizen_session_is_refused_in_the_back_office(client, citizen):
    client.force_login(citizen)
    response = client.get(reverse("backoffice:home"))
    assert response.status_code == 403
    assert "Trang này dành cho cán bộ, công chức" in response.content.decode()


def test_inactive_account_cannot_log_in(client, clerk):
    clerk.is_active = False
    clerk.save()
    response = post_login(client, clerk.username)
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_logout_is_post_only_and_audited(client, clerk):
    post_login(client, clerk.username)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "Bạn đã đăng xuất." in response.content.decode()
    assert AuditEntry.objects.filter(action="accounts.logout", actor=clerk).exists()
    assert client.get(reverse("backoffice:home")).status_code == 302


def test_logged_in_official_visiting_login_goes_home(client, clerk):
    post_login(client, clerk.username)
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 302 and response.url == reverse("backoffice:home")


def test_session_cookie_flags(client, clerk):
    response = post_login(client, clerk.username, PASSWORD)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
