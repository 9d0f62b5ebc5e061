"""Reads for API tokens."""

import hmac

from django.utils import timezone

from egov.apiclients.models import ApiToken
from egov.apiclients.services import hash_secret


def token_for_secret(secret: str) -> ApiToken | None:
    """The active token whose secret this is, or None (unknown, revoked, expired, or its agency closed)."""
    if not secret or len(secret) > 200:
        return None
    digest = hash_secret(secret)
    token = ApiToken.objects.select_related("agency").filter(token_hash=digest).first()
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    if token.revoked_at is not None or token.expires_at <= timezone.now() or not token.agency.is_active:
        return None
    return token
