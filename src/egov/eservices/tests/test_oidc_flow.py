"""The whole VNeID-style login against a small OpenID provider served on the loopback address: the token
endpoint checks the PKCE verifier against the challenge our login page sent, the ID token is RS256-signed and
checked against the provider's JWKS, and the citizen account is created or found again."""

import base64
import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

from egov.accounts.models import User

CLIENT_ID = "dichvucong-camau"


class Provider:
    """What the identity provider knows: the pending authorization (challenge, nonce) and who logs in."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        self.jwks = {"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]}
        self.pending: dict[str, dict] = {}
        self.claims = {"sub": "vneid-7f3a", "id_number": "096088000555", "name": "Đỗ Thị Hoa"}
        self.audience = CLIENT_ID
        self.url = ""

    def authorize(self, query: dict) -> str:
        """The citizen approves at the provider; it remembers the challenge and nonce and issues a code."""
        self.pending["code-1"] = {"challenge": query["code_challenge"], "nonce": query["nonce"]}
        return "code-1"


def _handler(provider: Provider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            return

        def _json(self, status: int, body: dict):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/jwks":
                return self._json(200, provider.jwks)
            if self.path == "/userinfo" and self.headers.get("Authorization") == "Bearer access-1":
                return self._json(200, provider.claims)
            return self._json(401, {"error": "invalid_token"})

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            pending = provider.pending.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if pending is None or digest != pending["challenge"] or form.get("client_id") != CLIENT_ID:
                return self._json(400, {"error": "invalid_grant"})
            now = int(time.time())
            id_token = jwt.encode({"iss": provider.url, "aud": provider.audience, "sub": provider.claims["sub"],
                                   "nonce": pending["nonce"], "iat": now, "exp": now + 300},
                                  provider.key, algorithm="RS256", headers={"kid": "k1"})
            return self._json(200, {"access_token": "access-1", "id_token": id_token, "token_type": "Bearer"})

    return Handler


@pytest.fixture
def provider(settings):
    provider = Provider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "bi-mat"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = provider.url + "/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = provider.url + "/token"
    settings.OIDC_OP_USER_ENDPOINT = provider.url + "/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = provider.url + "/jwks"
    settings.OIDC_OP_ISSUER = provider.url
    settings.OIDC_TIMEOUT = 5
    yield provider
    server.shutdown()
    server.server_close()


def _login(client, provider, next_url=""):
    start = client.get(reverse("eservices:oidc_login"), {"next": next_url} if next_url else {})
    query = {k: v[0] for k, v in parse_qs(urlparse(start["Location"]).query).items()}
    code = provider.authorize(query)
    return client.get(reverse("eservices:oidc_callback"), {"code": code, "state": query["state"]})


@pytest.mark.django_db
def test_first_login_creates_the_citizen_and_the_second_finds_him(client, provider):
    response = _login(client, provider, next_url=reverse("eservices:dossiers"))
    assert response.status_code == 302 and response["Location"] == reverse("eservices:dossiers")
    user = User.objects.get(citizen_profile__oidc_subject="vneid-7f3a")
    assert (user.role, user.full_name, user.citizen_profile.id_number) == ("citizen", "Đỗ Thị Hoa", "096088000555")
    assert client.get(reverse("eservices:dossiers")).status_code == 200
    client.post(reverse("eservices:logout"))
    assert _login(client, provider).status_code == 302
    assert User.objects.filter(role="citizen").count() == 1
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.django_db
def test_a_stolen_code_without_the_verifier_is_refused(client, provider):
    start = client.get(reverse("eservices:oidc_login"))
    query = {k: v[0] for k, v in parse_qs(urlparse(start["Location"]).query).items()}
    provider.authorize({**query, "code_challenge": "another-browser-challenge"})
    response = client.get(reverse("eservices:oidc_callback"), {"code": "code-1", "state": query["state"]})
    assert response["Location"] == reverse("eservices:login")
    assert "_auth_user_id" not in client.session and not User.objects.filter(role="citizen").exists()
    # The state was used up: replaying the callback fails too.
    again = client.get(reverse("eservices:oidc_callback"), {"code": "code-1", "state": query["state"]})
    assert again["Location"] == reverse("eservices:login")


@pytest.mark.django_db
def test_a_token_for_another_client_is_refused(client, provider):
    provider.audience = "some-other-app"
    response = _login(client, provider)
    assert response["Location"] == reverse("eservices:login")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_person_without_a_valid_identity_number_is_refused(client, provider):
    provider.claims = {"sub": "vneid-x", "name": "Không Số"}
    assert _login(client, provider)["Location"] == reverse("eservices:login")
    assert not User.objects.filter(role="citizen").exists()
