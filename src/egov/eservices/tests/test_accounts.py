"""Citizen registration and login, and the optional VNeID-style login (its configuration branch)."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.test import override_settings
from django.urls import reverse

from egov.accounts.models import User
from egov.core.errors import DomainError
from egov.core.models import AuditEntry
from egov.eservices.models import CitizenProfile
from egov.eservices.oidc import CitizenOIDCBackend
from egov.eservices.services import citizen_register
from egov.eservices.validators import validate_cccd
from egov.onestop.tests import factories

REGISTER = reverse("eservices:register")
LOGIN = reverse("eservices:login")
GOOD = {
    "username": "lethicuc", "full_name": "Lê Thị Cúc", "id_number": "096 185 000 789", "phone": "0912 000 111",
    "email": "cuc@example.vn", "address": "Khóm 2, phường An Xuyên", "password1": "Bong-sen-hong-2025",
    "password2": "Bong-sen-hong-2025",
}


@pytest.mark.django_db
def test_registration_creates_a_logged_in_citizen(client):
    response = client.post(REGISTER, GOOD)
    assert response.status_code == 302
    user = User.objects.get(username="lethicuc")
    assert user.role == "citizen" and user.full_name == "Lê Thị Cúc" and user.phone == "0912000111"
    assert user.citizen_profile.id_number == "096185000789"
    assert AuditEntry.objects.filter(action="eservices.citizen.register", object_id=str(user.uuid)).exists()
    assert client.get(reverse("eservices:dossiers")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("id_number", "message"), [
    ("09618500078", "đúng 12 chữ số"),
    ("0961850007AB", "đúng 12 chữ số"),
    ("999185000789", "mã tỉnh"),
])
def test_registration_refuses_a_bad_identity_number(client, id_number, message):
    response = client.post(REGISTER, {**GOOD, "id_number": id_number})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(username="lethicuc").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["12345678901234", "short1A", "lethicuc2025"])
def test_registration_refuses_a_weak_password(client, password):
    response = client.post(REGISTER, {**GOOD, "password1": password, "password2": password})
    assert response.status_code == 400
    assert not User.objects.filter(username="lethicuc").exists()


@pytest.mark.django_db
def test_registration_refuses_mismatch_and_duplicates(client):
    response = client.post(REGISTER, {**GOOD, "password2": "Khac-hoan-toan-2025"})
    assert "không khớp" in response.content.decode()
    client.post(REGISTER, GOOD)
    client.post(reverse("eservices:logout"))
    again = client.post(REGISTER, {**GOOD, "username": "lethicuc2"})
    assert again.status_code == 400
    assert "đã được đăng ký" in again.content.decode()
    assert CitizenProfile.objects.count() == 1


@pytest.mark.django_db
def test_the_service_checks_again_whatever_the_channel():
    with pytest.raises(DomainError, match="12 chữ số"):
        citizen_register(username="x1", full_name="X", id_number="123", phone="0912000111",
                         password="Bong-sen-hong-2025")
    with pytest.raises(DomainError):
        citizen_register(username="x1", full_name="X", id_number="096185000789", phone="0912000111",
                         password="password")
    assert not User.objects.filter(username="x1").exists()


def test_cccd_validator_accepts_every_province_code():
    validate_cccd("001099000001")
    validate_cccd("096 099 000 001")


@pytest.mark.django_db
def test_citizen_login_and_official_refusal(client, world):
    from egov.eservices.tests.conftest import PASSWORD

    response = client.post(LOGIN, {"username": "nguyenvanan", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("eservices:home")
    client.post(reverse("eservices:logout"))
    official = client.post(LOGIN, {"username": "motcua.tanthanh", "password": factories.PASSWORD})
    assert official.status_code == 200
    assert "trang dành cho cán bộ" in official.content.decode()
    wrong = client.post(LOGIN, {"username": "nguyenvanan", "password": "sai-mat-khau"})
    assert "không đúng" in wrong.content.decode()


@pytest.mark.django_db
def test_officials_cannot_use_citizen_pages(client, world):
    client.force_login(world["officer"])
    response = client.get(reverse("eservices:dossiers"))
    assert response.status_code == 403
    assert "dành cho tài khoản công dân" in response.content.decode()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_citizen_login(client, world):
    response = client.get(reverse("eservices:submit", args=["1.001193"]))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# --- OIDC (VNeID-style), optional ----------------------------------------------------------------------
OIDC = {
    "OIDC_RP_CLIENT_ID": "dichvucong-camau", "OIDC_RP_CLIENT_SECRET": "bi-mat",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example.vn/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example.vn/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example.vn/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.example.vn/jwks",
}


@pytest.mark.django_db
def test_oidc_is_hidden_without_configuration(client):
    assert "VNeID" not in client.get(LOGIN).content.decode()
    assert client.get(reverse("eservices:oidc_login")).status_code == 404
    assert client.get(reverse("eservices:oidc_callback")).status_code == 404


@pytest.mark.django_db
@override_settings(**OIDC)
def test_oidc_login_redirects_with_state_and_pkce(client):
    assert "Đăng nhập bằng VNeID" in client.get(LOGIN).content.decode()
    response = client.get(reverse("eservices:oidc_login"), {"next": "/dich-vu-cong/ho-so/"})
    assert response.status_code == 302
    target = urlparse(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == OIDC["OIDC_OP_AUTHORIZATION_ENDPOINT"]
    query = {key: values[0] for key, values in parse_qs(target.query).items()}
    assert query["response_type"] == "code" and query["client_id"] == "dichvucong-camau"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert query["redirect_uri"] == "http://testserver" + reverse("eservices:oidc_callback")
    stored = client.session["oidc_states"][query["state"]]
    assert stored["nonce"] == query["nonce"] and len(stored["code_verifier"]) >= 43
    assert client.session["oidc_login_next"] == "/dich-vu-cong/ho-so/"


@pytest.mark.django_db
@override_settings(**OIDC)
def test_oidc_callback_with_a_foreign_state_fails_cleanly(client):
    response = client.get(reverse("eservices:oidc_callback"), {"code": "abc", "state": "khong-co"})
    assert response.status_code == 302 and response["Location"] == LOGIN
    followed = client.get(LOGIN)
    assert "không thành công" in followed.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@override_settings(**OIDC)
def test_oidc_backend_matches_by_subject_then_identity_number(world):
    backend = CitizenOIDCBackend()
    assert not backend.verify_claims({"sub": "abc", "id_number": "123"})
    claims = {"sub": "vneid-001", "id_number": "096085000123", "name": "Nguyễn Văn An"}
    assert backend.verify_claims(claims)
    matched = backend.filter_users_by_claims(claims)
    assert list(matched) == [world["citizen"]]
    backend.update_user(matched[0], claims)
    assert list(backend.filter_users_by_claims({"sub": "vneid-001", "id_number": "096000000000"})) == [
        world["citizen"]]
    new = backend.create_user({"sub": "vneid-002", "id_number": "096200000999", "name": "Phạm  Thị  Dung"})
    assert new.role == "citizen" and new.full_name == "Phạm Thị Dung" and not new.has_usable_password()
    assert new.citizen_profile.oidc_subject == "vneid-002"
