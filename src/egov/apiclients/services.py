"""Issuing and revoking API tokens. The secret leaves the server once, in the return value of ``token_issue``."""

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from egov.apiclients import policies
from egov.apiclients.models import ApiToken
from egov.apiclients.scopes import clean_scopes
from egov.core.audit import audit_record, snapshot
from egov.core.errors import DomainError, PermissionDeniedError

MAX_LIFETIME = dt.timedelta(days=366)
_AUDITED_FIELDS = ["agency", "name", "prefix", "scopes", "expires_at", "revoked_at"]


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _check_actor(actor, agency) -> None:
    # actor=None is the command line (manage.py apitoken_issue): whoever runs it already controls the server.
    if actor is not None and not policies.can_manage_tokens(actor, agency):
        raise PermissionDeniedError("Chỉ quản trị hệ thống hoặc quản trị của chính cơ quan được cấp, thu hồi mã.")


@transaction.atomic
def token_issue(*, actor, agency, name: str, scopes, expires_at: dt.datetime) -> tuple[ApiToken, str]:
    """Create a token for ``agency``; return it with its secret, which is never stored nor shown again."""
    _check_actor(actor, agency)
    if not agency.is_active:
        raise DomainError("agency_inactive", f"Cơ quan “{agency}” đã ngừng hoạt động, không cấp được mã truy cập.")
    name = (name or "").strip()
    if not name:
        raise DomainError("name_required", "Cần nhập tên hệ thống sử dụng mã truy cập.")
    if len(name) > 100:
        raise DomainError("name_too_long", "Tên hệ thống sử dụng mã truy cập dài tối đa 100 ký tự.")
    scopes = clean_scopes(scopes)
    now = timezone.now()
    if expires_at is None or expires_at <= now:
        raise DomainError("invalid_expiry", "Thời điểm hết hạn phải ở tương lai.")
    if expires_at > now + MAX_LIFETIME:
        raise DomainError("invalid_expiry", "Mã truy cập có hiệu lực tối đa 1 năm; hãy chọn thời hạn ngắn hơn.")

    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        agency=agency, name=name, prefix=secret[:8], token_hash=hash_secret(secret), scopes=scopes,
        expires_at=expires_at, created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(actor=actor, action="apitoken.issue", obj=token, after=snapshot(token, _AUDITED_FIELDS))
    return token, secret


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke at once; revoking a token that is already revoked changes nothing."""
    token = ApiToken.objects.select_for_update().select_related("agency").get(pk=token.pk)
    _check_actor(actor, token.agency)
    if token.revoked_at is not None:
        return token
    before = snapshot(token, _AUDITED_FIELDS)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    audit_record(actor=actor, action="apitoken.revoke", obj=token, before=before,
                 after=snapshot(token, _AUDITED_FIELDS))
    return token


LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def token_mark_used(*, token: ApiToken) -> None:
    """Record use at most once a minute per token: a conditional UPDATE, so busy clients cost no extra writes."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).exclude(last_used_at__gt=now - LAST_USED_RESOLUTION).update(
        last_used_at=now
    )
    token.last_used_at = now
