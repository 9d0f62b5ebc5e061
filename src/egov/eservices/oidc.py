"""Citizen login at a national identity provider (VNeID-style OpenID Connect), optional.

``mozilla-django-oidc`` does the protocol (authorization code flow, state, nonce, PKCE with S256, token
exchange, ID-token signature check against the provider's JWKS). This module only adapts it: settings come
from ``conf.oidc_setting`` (Django settings or ``OIDC_*`` environment variables), PKCE is always on, and a
person is matched by the provider's subject, then by the identity number (CCCD) it asserts. Nothing is shown
or routed unless the provider is configured (``conf.oidc_enabled``).

The callback logs the user in with Django's model backend, which is how every later request loads him, so
the shared ``AUTHENTICATION_BACKENDS`` need not list this backend.
"""

import logging

import requests
from django.contrib import auth, messages
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.views import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.core.audit import audit_record
from egov.eservices.conf import oidc_enabled, oidc_setting
from egov.eservices.models import CitizenProfile
from egov.eservices.validators import normalize_cccd, validate_cccd

logger = logging.getLogger(__name__)
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
_FIXED = {"OIDC_USE_PKCE": True, "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
          "OIDC_AUTHENTICATION_CALLBACK_URL": "eservices:oidc_callback", "OIDC_CREATE_USER": True}
_NUMBERS = {"OIDC_TIMEOUT"}
FAILURE_MESSAGE = "Đăng nhập qua {provider} không thành công. Vui lòng thử lại hoặc đăng nhập bằng tài khoản."


def get_oidc_setting(attr: str, *args):
    """mozilla-django-oidc's settings hook, fed from ``conf`` instead of Django settings only."""
    if attr in _FIXED:
        return _FIXED[attr]
    value = oidc_setting(attr)
    if value not in (None, ""):
        return int(value) if attr in _NUMBERS else value
    if args:
        return args[0]
    raise ImproperlyConfigured(f"Thiếu cấu hình {attr} cho đăng nhập qua nhà cung cấp định danh.")


def _claim_id_number(claims: dict) -> str:
    return normalize_cccd(str(claims.get(oidc_setting("OIDC_CLAIM_ID_NUMBER")) or ""))


class CitizenOIDCBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(get_oidc_setting)

    def verify_claims(self, claims) -> bool:
        """A subject and a valid identity number, or we cannot know who the citizen is."""
        try:
            validate_cccd(_claim_id_number(claims))
        except Exception:
            return False
        return bool(claims.get("sub"))

    def verify_token(self, token, **kwargs):
        """The library checks signature, expiry and nonce; the ID token must also be meant for us (and come
        from the configured issuer, when one is set)."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token audience does not match the client id.")
        issuer = oidc_setting("OIDC_OP_ISSUER")
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("ID token issuer does not match OIDC_OP_ISSUER.")
        return payload

    def filter_users_by_claims(self, claims):
        by_subject = User.objects.filter(citizen_profile__oidc_subject=claims["sub"], role=Role.CITIZEN)
        if by_subject.exists():
            return by_subject
        return User.objects.filter(citizen_profile__id_number=_claim_id_number(claims), role=Role.CITIZEN)

    @transaction.atomic
    def create_user(self, claims):
        id_number = _claim_id_number(claims)
        full_name = " ".join(str(claims.get(oidc_setting("OIDC_CLAIM_FULL_NAME")) or "").split())[:150]
        username = f"vneid_{id_number}"
        user = User(username=username, full_name=full_name, role=Role.CITIZEN,
                    email=(claims.get("email") or "")[:254], phone=(claims.get("phone_number") or "")[:20])
        user.set_unusable_password()
        user.save()
        CitizenProfile.objects.create(user=user, id_number=id_number, oidc_subject=claims["sub"])
        audit_record(actor=user, action="eservices.citizen.register_oidc", obj=user, object_id=str(user.uuid),
                     after={"username": username, "provider": oidc_setting("OIDC_PROVIDER_NAME")})
        return user

    def update_user(self, user, claims):
        """Link the provider's subject to an account first made with a password (same CCCD)."""
        CitizenProfile.objects.filter(user=user, oidc_subject__isnull=True).update(oidc_subject=claims["sub"])
        return user


class CitizenOIDCLoginView(OIDCAuthenticationRequestView):
    """Redirects to the provider's authorization endpoint with state, nonce and a PKCE challenge."""

    get_settings = staticmethod(get_oidc_setting)

    def __init__(self, **kwargs):
        # The library reads its settings here; with no provider configured they are blank and dispatch 404s.
        View.__init__(self, **kwargs)
        self.OIDC_OP_AUTH_ENDPOINT = get_oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
        self.OIDC_RP_CLIENT_ID = get_oidc_setting("OIDC_RP_CLIENT_ID", "")

    def dispatch(self, request, *args, **kwargs):
        if not oidc_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class CitizenOIDCCallbackView(View):
    """Back from the provider: check the state, exchange the code (with the PKCE verifier), log in."""

    http_method_names = ["get"]

    def _failure(self, request):
        messages.error(request, FAILURE_MESSAGE.format(provider=oidc_setting("OIDC_PROVIDER_NAME")))
        return redirect("eservices:login")

    def get(self, request):
        if not oidc_enabled():
            raise Http404
        states = request.session.get("oidc_states") or {}
        state = request.GET.get("state", "")
        entry = states.pop(state, None) if state else None
        request.session["oidc_states"] = states  # a state is used once, even when the login fails
        if entry is None or request.GET.get("error") or not request.GET.get("code"):
            return self._failure(request)
        try:
            user = CitizenOIDCBackend().authenticate(request, nonce=entry.get("nonce"),
                                                     code_verifier=entry.get("code_verifier"))
        except (requests.RequestException, SuspiciousOperation, ImproperlyConfigured, ValueError) as exc:
            logger.warning("oidc_login_failed", extra={"error": f"{type(exc).__name__}: {exc}"[:300]})
            user = None
        if user is None or not user.is_active:
            return self._failure(request)
        next_url = request.session.get("oidc_login_next")
        auth.login(request, user, backend=MODEL_BACKEND)
        return redirect(next_url or "eservices:home")
