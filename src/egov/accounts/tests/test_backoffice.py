"""The back-office shell: home page, menu by role, language switch, security headers, staff areas."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from egov.accounts.roles import Role
from egov.accounts.testing import login_with_second_factor
from egov.accounts.tests.conftest import post_login

pytestmark = pytest.mark.django_db


def test_home_greets_the_official_with_role_and_agency(client, clerk, agency):
    post_login(client, clerk.username)
    response = client.get(reverse("backoffice:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Xin chào Trần Văn Thư" in html
    assert "Văn thư" in html and agency.name in html
    assert "navbar-toggler" in html and 'name="language" value="en"' in html
    assert "Danh bạ cơ quan" in html and "/can-bo/danh-ba/" in html
    assert "Nhật ký kiểm toán" not in html and 'href="/admin/"' not in html and 'href="/cms/"' not in html
    assert "Tiếp nhận hồ sơ" not in html
    assert "<script>" not in html and " on" + "click=" not in html


def test_official_without_agency_is_told_so(client, make_user):
    user = make_user("chuyenvien.moi", Role.SPECIALIST)
    post_login(client, user.username)
    html = client.get(reverse("backoffice:home")).content.decode()
    assert "Chuyên viên" in html and "chưa gắn với cơ quan nào" in html


def test_menu_follows_the_role(client, make_user, agency, system_admin):
    officer = make_user("motcua", Role.ONESTOP_OFFICER, agency)
    post_login(client, officer.username)
    html = client.get(reverse("backoffice:home")).content.decode()
    assert "Tiếp nhận hồ sơ" in html and "Hồ sơ một cửa" in html and 'href="/cms/"' not in html
    client.post(reverse("accounts:logout"))
    editor = make_user("bientap", Role.PORTAL_EDITOR, agency)
    post_login(client, editor.username)
    html = client.get(reverse("backoffice:home")).content.decode()
    assert 'href="/cms/"' in html and "Nhật ký kiểm toán" not in html
    client.post(reverse("accounts:logout"))
    login_with_second_factor(client, system_admin)
    html = client.get(reverse("backoffice:home")).content.decode()
    assert 'href="/admin/"' in html and 'href="/cms/"' in html and "Nhật ký kiểm toán" in html
    assert "Quản trị hệ thống" in html


def test_english_switch(client, clerk):
    post_login(client, clerk.username)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/can-bo/"})
    assert response.status_code == 302 and response.url == "/can-bo/"
    html = client.get("/can-bo/").content.decode()
    assert '<html lang="en">' in html
    assert "Hello Trần Văn Thư" in html and "Clerk" in html and "Log out" in html and "Agency directory" in html
    client.post("/i18n/setlang/", {"language": "vi", "next": "/can-bo/"})
    assert "Xin chào" in client.get("/can-bo/").content.decode()


def test_security_headers(client):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Content-Language"] == "vi"


def test_csrf_cookie_and_token_on_the_login_form(client):
    client = type(client)(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()
    page = client.get(reverse("accounts:login"))
    assert page.cookies["csrftoken"]["samesite"] == "Lax"


def _production_env(**extra) -> dict:
    # The test run's own switches (async-unsafe for Playwright, debug) are not part of a deployment.
    dropped = {"DEBUG", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env.update(
        DJANGO_SETTINGS_MODULE="egov.conf.settings.production",
        SECRET_KEY="prod-" + "k3y-" * 15,
        ALLOWED_HOSTS="egov.camau.gov.vn",
        EGOV_DATA_DIR=str(settings.DATA_DIR),
    )
    env.update(extra)
    return env


def test_production_settings_pass_the_deploy_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=_production_env(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_values():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT, s.X_FRAME_OPTIONS, s.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR, env=_production_env(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-8:] == ["31536000", "True", "True", "True", "True", "True", "DENY", "False"]


def test_production_refuses_a_short_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR, env=_production_env(SECRET_KEY="short"), capture_output=True, text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "SECRET_KEY" in result.stderr


def test_cms_responds_and_sends_anonymous_visitors_to_our_login(client):
    response = client.get("/cms/")
    assert response.status_code == 302
    assert response.url.startswith("/cms/login/")
    follow = client.get(response.url)
    assert follow.status_code == 302 and follow.url.startswith(reverse("accounts:login"))


def test_cms_opens_for_a_verified_system_admin(client, system_admin):
    login_with_second_factor(client, system_admin)
    assert client.get("/cms/").status_code == 200


def test_django_admin_login_goes_to_our_login(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(f"{reverse('accounts:login')}?next=%2Fadmin%2F")
    assert "Tên đăng nhập" in response.content.decode()


def test_django_admin_is_closed_to_other_officials(client, clerk):
    post_login(client, clerk.username)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_error_pages_are_vietnamese(client, clerk):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
