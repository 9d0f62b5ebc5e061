"""Password rules on the change-password page: Vietnamese validator messages, audit entry on success."""

import pytest
from django.urls import reverse

from egov.accounts.tests.conftest import PASSWORD, post_login
from egov.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, clerk):
    post_login(client, clerk.username)
    return client


def _change(client, new1, new2=None, old=PASSWORD):
    return client.post(reverse("accounts:password_change"),
                       {"old_password": old, "new_password1": new1, "new_password2": new2 or new1})


def test_page_lists_the_rules_in_vietnamese(logged_in):
    html = logged_in.get(reverse("accounts:password_change")).content.decode()
    assert "Mật khẩu hiện tại" in html and "Mật khẩu mới" in html
    assert "10 ký tự" in html


@pytest.mark.parametrize(
    "new_password, message",
    [
        ("Ng4n!", "Mật khẩu quá ngắn. Mật khẩu phải có ít nhất 10 ký tự."),
        ("password123", "Mật khẩu này quá phổ biến."),
        ("8463927150", "Mật khẩu này hoàn toàn là số."),
        ("vanthu.skhcn1", "Mật khẩu quá giống với"),
    ],
)
def test_weak_passwords_are_refused_with_vietnamese_messages(logged_in, new_password, message):
    response = _change(logged_in, new_password)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_wrong_current_password_and_mismatch(logged_in):
    response = _change(logged_in, "Mot-mat-khau-moi-2026", old="khong-dung")
    assert "Mật khẩu hiện tại không đúng" in response.content.decode()
    response = _change(logged_in, "Mot-mat-khau-moi-2026", "Mot-mat-khau-khac-2026")
    assert "Hai lần nhập mật khẩu mới không khớp nhau." in response.content.decode()
    response = logged_in.post(reverse("accounts:password_change"), {})
    assert response.status_code == 400 and "Vui lòng điền trường này." in response.content.decode()


def test_password_change_keeps_the_session_and_is_audited(client, logged_in, clerk):
    response = _change(logged_in, "Mot-mat-khau-moi-2026")
    assert response.status_code == 302 and response.url == reverse("accounts:profile")
    assert "Đã đổi mật khẩu." in logged_in.get(response.url).content.decode()
    assert AuditEntry.objects.filter(action="accounts.password_changed", actor=clerk).exists()
    logged_in.post(reverse("accounts:logout"))
    assert post_login(client, clerk.username, PASSWORD).status_code == 200
    assert post_login(client, clerk.username, "Mot-mat-khau-moi-2026").status_code == 302
