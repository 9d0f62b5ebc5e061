"""Settings of the public side, read from Django settings first and the environment second.

Keeping the defaults here lets the e-services app be switched on without touching the shared settings file:
an operator sets the environment variables below (documented in .env.example), a test uses
``override_settings``.

- ``PUBLIC_LOOKUP_RATE_PER_MINUTE`` (default 60; 0 switches the limit off, e.g. for a benchmark client):
  lookups per client address per minute, page and API together.
- ``PUBLIC_LOOKUP_CACHE_SECONDS`` (default 30): how long a lookup answer is reused.
- ``OIDC_RP_CLIENT_ID``, ``OIDC_RP_CLIENT_SECRET``, ``OIDC_OP_AUTHORIZATION_ENDPOINT``,
  ``OIDC_OP_TOKEN_ENDPOINT``, ``OIDC_OP_USER_ENDPOINT``, ``OIDC_OP_JWKS_ENDPOINT``, ``OIDC_RP_SIGN_ALGO``
  (default RS256), ``OIDC_RP_SCOPES`` (default "openid profile"), ``OIDC_PROVIDER_NAME`` (default "VNeID"),
  ``OIDC_CLAIM_ID_NUMBER`` (default "id_number"), ``OIDC_CLAIM_FULL_NAME`` (default "name"),
  ``OIDC_OP_ISSUER`` (checked against the ID token's ``iss`` when set):
  citizen login at a national identity provider (authorization code flow with PKCE). Hidden unless the
  client id and the three endpoints are set.
"""

from django.conf import settings

from egov.conf.env import env_int, env_str

_OIDC_DEFAULTS = {
    "OIDC_RP_SIGN_ALGO": "RS256",
    "OIDC_RP_SCOPES": "openid profile",
    "OIDC_PROVIDER_NAME": "VNeID",
    "OIDC_CLAIM_ID_NUMBER": "id_number",
    "OIDC_CLAIM_FULL_NAME": "name",
    "OIDC_TIMEOUT": 10,
}
_OIDC_REQUIRED = ("OIDC_RP_CLIENT_ID", "OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT",
                  "OIDC_OP_USER_ENDPOINT")


def lookup_rate_per_minute() -> int:
    value = getattr(settings, "PUBLIC_LOOKUP_RATE_PER_MINUTE", None)
    return int(value) if value is not None else env_int("PUBLIC_LOOKUP_RATE_PER_MINUTE", 60)


def lookup_cache_seconds() -> int:
    value = getattr(settings, "PUBLIC_LOOKUP_CACHE_SECONDS", None)
    return int(value) if value is not None else env_int("PUBLIC_LOOKUP_CACHE_SECONDS", 30)


def oidc_setting(name: str, default=None):
    """An OIDC_* value: Django setting, else environment variable, else the default above."""
    value = getattr(settings, name, None)
    if value in (None, ""):
        value = env_str(name)
    if value in (None, ""):
        value = _OIDC_DEFAULTS.get(name, default)
    return value


def oidc_enabled() -> bool:
    return all(oidc_setting(name) for name in _OIDC_REQUIRED)
