"""The admin's issue flow (secret shown once) and revoke action, through real HTTP requests."""

import hashlib
import re

import pytest

from egov.apiclients.models import ApiToken
from egov.apiclients.tests.conftest import pass_second_factor

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/apiclients/apitoken/add/"
LIST_URL = "/admin/apiclients/apitoken/"


def test_system_admin_issues_a_token_and_sees_the_secret_once(client, sysadmin, stp):
    pass_second_factor(client, sysadmin)
    form = client.get(ADD_URL)
    assert form.status_code == 200
    assert "Cấp mã truy cập API" in form.content.decode()
    response = client.post(ADD_URL, {"agency": stp.pk, "name": "Cổng DVC tỉnh",
                                     "scopes": ["onestop:read", "onestop:write"], "days": 90})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    secret = re.search(r'id="api-token-secret"[^>]*>([^<]+)<', html).group(1)
    token = ApiToken.objects.get()
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.scopes == ["onestop:read", "onestop:write"] and token.created_by == sysadmin
    detail = client.get(f"{LIST_URL}{token.pk}/change/").content.decode()
    assert token.prefix in detail and secret not in detail
    assert secret not in client.get(LIST_URL).content.decode()


def test_form_errors_are_shown(client, sysadmin, stp):
    pass_second_factor(client, sysadmin)
    response = client.post(ADD_URL, {"agency": stp.pk, "name": "X", "days": 500})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    assert "errorlist" in response.content.decode()


def test_form_offers_active_agencies_only(client, sysadmin, stp, sxd):
    sxd.is_active = False
    sxd.save()
    pass_second_factor(client, sysadmin)
    form = client.get(ADD_URL).content.decode()
    assert "Sở Tư pháp" in form and "Sở Xây dựng" not in form
    response = client.post(ADD_URL, {"agency": sxd.pk, "name": "Cũ", "scopes": ["kpi:read"], "days": 10})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_revoke_action(client, sysadmin, issue):
    token, secret = issue()
    pass_second_factor(client, sysadmin)
    response = client.post(LIST_URL, {"action": "revoke_selected", "_selected_action": [token.pk]}, follow=True)
    assert response.status_code == 200
    assert "Đã thu hồi 1 mã truy cập" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200  # session still
    client.logout()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_tokens_are_never_deleted_nor_edited(client, sysadmin, issue):
    token, _ = issue()
    pass_second_factor(client, sysadmin)
    assert client.post(f"{LIST_URL}{token.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()
    client.post(f"{LIST_URL}{token.pk}/change/", {"name": "đổi tên"})
    token.refresh_from_db()
    assert token.name != "đổi tên"


def test_other_officials_have_no_access(client, stp_clerk, stp_admin, issue):
    issue()
    for user in (stp_clerk, stp_admin):
        pass_second_factor(client, user)
        for url in (ADD_URL, LIST_URL):
            response = client.get(url)
            assert response.status_code in {302, 403}, (user, url)
            assert "Cổng dịch vụ công" not in response.content.decode()
