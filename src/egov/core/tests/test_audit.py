import pytest
from django.core.management import CommandError, call_command

from egov.accounts.models import User
from egov.core.audit import audit_chain_verify, audit_record
from egov.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _make_chain(n=5):
    user = User.objects.create_user(username="vanthu", password="x-Strong-pass-1")
    for i in range(n):
        audit_record(actor=user, action="test.update", obj=user, before={"i": i}, after={"i": i + 1, "tên": "Cà Mau"})
    return user


def test_chain_verifies_when_untouched(capsys):
    _make_chain()
    report = audit_chain_verify()
    assert report.ok and report.checked == 5
    call_command("audit_verify")
    assert "5 bản ghi" in capsys.readouterr().out


def test_altered_row_is_named():
    _make_chain()
    AuditEntry.objects.filter(seq=3).update(changes={"after": {"i": 999}})
    with pytest.raises(CommandError, match="bản ghi số 3"):
        call_command("audit_verify")


def test_removed_row_is_named():
    _make_chain()
    AuditEntry.objects.filter(seq=2).delete()
    with pytest.raises(CommandError, match="bản ghi số 2"):
        call_command("audit_verify")


def test_removed_last_row_is_detected():
    _make_chain()
    AuditEntry.objects.filter(seq=5).delete()
    with pytest.raises(CommandError, match="bản ghi số 5"):
        call_command("audit_verify")


def test_entry_records_actor_action_and_ip():
    user = _make_chain(1)
    entry = AuditEntry.objects.get()
    assert entry.actor == user and entry.action == "test.update"
    assert entry.object_type == "accounts.user" and entry.object_id == str(user.uuid)
    assert entry.changes["after"]["tên"] == "Cà Mau"
