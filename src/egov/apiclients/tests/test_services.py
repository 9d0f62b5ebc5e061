import datetime as dt
import hashlib
import json

import pytest
from django.utils import timezone

from egov.apiclients.models import ApiToken
from egov.apiclients.services import token_issue, token_revoke
from egov.core.audit import audit_chain_verify
from egov.core.errors import DomainError
from egov.core.models import AuditEntry


def test_issue_returns_the_secret_once_and_stores_only_its_hash(issue):
    token, secret = issue(scopes=["directory:read", "workdays:read", "directory:read"])
    token.refresh_from_db()
    assert len(secret) >= 40
    assert token.prefix == secret[:8]
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.scopes == ["directory:read", "workdays:read"]
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in json.dumps(row, default=str)


def test_issue_and_revoke_are_audited_without_the_secret(issue, sysadmin):
    token, secret = issue()
    token_revoke(actor=sysadmin, token=token)
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.action for e in entries] == ["apitoken.issue", "apitoken.revoke"]
    assert entries[0].actor == sysadmin and entries[0].object_id == str(token.uuid)
    assert entries[0].changes["after"]["scopes"] == ["directory:read"]
    for entry in entries:
        dumped = json.dumps(entry.changes)
        assert secret not in dumped and token.token_hash not in dumped
    assert audit_chain_verify().ok


def test_agency_admin_manages_only_own_agency(issue, stp_admin, sxd):
    token, _ = issue(actor=stp_admin)
    assert token.created_by == stp_admin
    with pytest.raises(DomainError) as err:
        issue(actor=stp_admin, agency=sxd)
    assert err.value.status == 403
    other, _ = issue(agency=sxd)
    with pytest.raises(DomainError):
        token_revoke(actor=stp_admin, token=other)
    assert token_revoke(actor=stp_admin, token=token).revoked_at is not None


def test_other_roles_cannot_issue(issue, stp_clerk):
    with pytest.raises(DomainError, match="quản trị") as err:
        issue(actor=stp_clerk)
    assert err.value.code == "forbidden"
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"scopes": ["directory:delete"]}, "unknown_scope"),
        ({"scopes": []}, "scopes_required"),
        ({"days": 400}, "invalid_expiry"),
        ({"days": -1}, "invalid_expiry"),
        ({"name": "  "}, "name_required"),
    ],
)
def test_invalid_requests_are_refused_in_vietnamese(issue, kwargs, code):
    with pytest.raises(DomainError) as err:
        issue(**kwargs)
    assert err.value.code == code
    assert err.value.status == 400
    assert not ApiToken.objects.exists()


def test_closed_agency_gets_no_token(sysadmin, stp):
    stp.is_active = False
    stp.save()
    with pytest.raises(DomainError, match="ngừng hoạt động"):
        token_issue(actor=sysadmin, agency=stp, name="X", scopes=["directory:read"],
                    expires_at=timezone.now() + dt.timedelta(days=1))


def test_revoke_twice_changes_nothing(issue, sysadmin):
    token, _ = issue()
    first = token_revoke(actor=sysadmin, token=token).revoked_at
    assert token_revoke(actor=sysadmin, token=token).revoked_at == first
    assert AuditEntry.objects.filter(action="apitoken.revoke").count() == 1


def test_command_line_issue_has_no_actor(stp):
    token, secret = token_issue(actor=None, agency=stp, name="Kho dữ liệu", scopes=["kpi:read"],
                                expires_at=timezone.now() + dt.timedelta(days=7))
    assert token.created_by is None
    assert AuditEntry.objects.get().actor_label == "system"
