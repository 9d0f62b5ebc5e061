"""Bearer tokens and sessions against the real API: 200, 401, 403 and the JSON error shape."""

import datetime as dt

import pytest
from django.utils import timezone

from egov.apiclients.auth import require_scope
from egov.apiclients.models import ApiToken
from egov.apiclients.tests.conftest import pass_second_factor

pytestmark = pytest.mark.django_db


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_valid_token_sees_its_agency_and_scopes(client, issue):
    token, secret = issue(scopes=["directory:read", "onestop:write"])
    response = client.get("/api/v1/me", **bearer(secret))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["kind"] == "token"
    assert body["agency"] == {"code": "STP", "name": "Sở Tư pháp"}
    assert body["scopes"] == ["directory:read", "onestop:write"]
    assert body["token"]["prefix"] == token.prefix and body["token"]["is_active"] is True
    assert "token_hash" not in body["token"]


def test_session_user_sees_self(client, stp_clerk):
    client.force_login(stp_clerk)
    body = client.get("/api/v1/me").json()
    assert body["kind"] == "user"
    assert body["user"]["username"] == "vanthu.stp" and body["user"]["role"] == "clerk"
    assert body["agency"]["code"] == "STP" and body["scopes"] is None


@pytest.mark.parametrize("header", [None, "Bearer ", "Bearer khong-phai-ma-that", "Basic dXNlcjpwYXNz"])
def test_missing_or_unknown_credentials_are_401_json(client, header):
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    response = client.get("/api/v1/me", **extra)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {"code": "unauthenticated",
                               "message": "Chưa đăng nhập hoặc mã truy cập không hợp lệ, đã hết hạn."}


def test_expired_token_is_401(client, issue):
    token, secret = issue()
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401


def test_revoked_token_is_401_at_once(client, issue, sysadmin):
    from egov.apiclients.services import token_revoke

    token, secret = issue()
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 200
    token_revoke(actor=sysadmin, token=token)
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401


def test_token_of_a_closed_agency_is_401(client, issue, stp):
    _, secret = issue()
    stp.is_active = False
    stp.save()
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401


def test_last_used_is_written_at_most_once_a_minute(client, issue):
    token, secret = issue()
    assert token.last_used_at is None
    client.get("/api/v1/me", **bearer(secret))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get("/api/v1/me", **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    client.get("/api/v1/me", **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at > first


@pytest.mark.urls("egov.apiclients.tests.scoped_urls")
class TestScopes:
    def test_token_with_scope_passes(self, client, issue):
        _, secret = issue(scopes=["directory:read"])
        response = client.get("/scoped/directory-count", **bearer(secret))
        assert response.status_code == 200
        assert response.json() == {"count": 1}

    def test_token_without_scope_is_403_json(self, client, issue):
        _, secret = issue(scopes=["workdays:read"])
        response = client.get("/scoped/directory-count", **bearer(secret))
        assert response.status_code == 403
        body = response.json()
        assert body["code"] == "insufficient_scope"
        assert "directory:read" in body["message"] and "phạm vi" in body["message"]

    def test_session_user_is_not_limited_by_scopes(self, client, stp_clerk):
        client.force_login(stp_clerk)
        assert client.get("/scoped/directory-count").status_code == 200

    def test_token_post_needs_no_csrf(self, issue):
        from django.test import Client

        _, secret = issue(scopes=["onestop:write"])
        strict = Client(enforce_csrf_checks=True)
        response = strict.post("/scoped/echo?text=Cà%20Mau", **bearer(secret))
        assert response.status_code == 200, response.content
        assert response.json() == {"text": "Cà Mau"}

    def test_session_post_without_csrf_is_403_json(self, stp_clerk):
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        strict.force_login(stp_clerk)
        response = strict.post("/scoped/echo?text=x")
        assert response.status_code == 403
        assert response.json()["code"] == "csrf_failed"

    def test_bad_query_parameter_is_422_json(self, client, issue):
        _, secret = issue(scopes=["onestop:write"])
        response = client.post("/scoped/echo", **bearer(secret))
        assert response.status_code == 422
        assert response.json()["code"] == "invalid_input"


def test_require_scope_helper(rf, issue):
    token, _ = issue(scopes=["kpi:read"])
    request = rf.get("/")
    require_scope(request, "documents:read")  # a session request: the helper leaves it to policies
    request.api_token = token
    require_scope(request, "kpi:read")
    with pytest.raises(Exception, match="documents:read"):
        require_scope(request, "documents:read")


class TestTokenList:
    def test_admin_pages_through_own_agency_tokens(self, client, issue, stp_admin, sxd):
        for i in range(3):
            issue(name=f"Hệ thống {i}")
        issue(agency=sxd, name="Của sở khác")
        pass_second_factor(client, stp_admin)
        body = client.get("/api/v1/api-tokens?page=2&page_size=2").json()
        assert body["count"] == 3 and body["page"] == 2 and body["page_size"] == 2 and body["pages"] == 2
        assert [t["name"] for t in body["items"]] == ["Hệ thống 0"]
        assert all(t["agency"]["code"] == "STP" for t in body["items"])

    def test_active_filter(self, client, issue, sysadmin):
        from egov.apiclients.services import token_revoke

        token, _ = issue(name="cũ")
        issue(name="mới")
        token_revoke(actor=sysadmin, token=token)
        pass_second_factor(client, sysadmin)
        names = [t["name"] for t in client.get("/api/v1/api-tokens?active=true").json()["items"]]
        assert names == ["mới"]
        names = [t["name"] for t in client.get("/api/v1/api-tokens?active=false").json()["items"]]
        assert names == ["cũ"]

    def test_clerk_sees_none(self, client, issue, stp_clerk):
        issue()
        client.force_login(stp_clerk)
        assert client.get("/api/v1/api-tokens").json()["count"] == 0

    def test_token_clients_may_not_list_tokens(self, client, issue):
        _, secret = issue()
        response = client.get("/api/v1/api-tokens", **bearer(secret))
        assert response.status_code == 403 and response.json()["code"] == "forbidden"

    @pytest.mark.parametrize("query", ["page=0", "page_size=501", "page=abc", "active=maybe"])
    def test_bad_paging_is_422_in_vietnamese(self, client, sysadmin, query):
        pass_second_factor(client, sysadmin)
        response = client.get(f"/api/v1/api-tokens?{query}")
        assert response.status_code == 422
        body = response.json()
        assert body["code"] == "invalid_input" and body["message"].startswith("Dữ liệu không hợp lệ")
        assert body["details"][0]["field"] in {"page", "page_size", "active"}
