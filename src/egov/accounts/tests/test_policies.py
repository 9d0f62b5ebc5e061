"""Who may see and manage accounts and audit entries; the shared policy helpers."""

import pytest

from egov.accounts import policies
from egov.accounts.models import User
from egov.accounts.roles import Role, parse_role
from egov.core.audit import audit_record
from egov.core.errors import DomainError, NotFound, PermissionDeniedError
from egov.core.models import AuditEntry
from egov.core.policies import get_visible, require

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, agency, other_agency, clerk, agency_admin, system_admin, citizen):
    leader = make_user("lanhdao.skhcn", Role.LEADER, agency)
    stranger = make_user("vanthu.namcan", Role.CLERK, other_agency)
    other_admin = make_user("quantri.namcan", Role.AGENCY_ADMIN, other_agency)
    return {"clerk": clerk, "leader": leader, "stranger": stranger, "admin": agency_admin,
            "other_admin": other_admin, "sysadmin": system_admin, "citizen": citizen}


def test_system_admin_sees_and_manages_everyone(people):
    sysadmin = people["sysadmin"]
    assert policies.users_visible_to(sysadmin, User.objects.all()).count() == User.objects.count()
    assert all(policies.can_manage_user(sysadmin, u) for u in people.values())
    assert policies.can_assign_role(sysadmin, Role.SYSTEM_ADMIN)


def test_agency_admin_sees_and_manages_his_agency_only(people):
    admin = people["admin"]
    visible = set(policies.users_visible_to(admin, User.objects.all()))
    assert visible == {people["clerk"], people["leader"], admin}
    assert policies.can_manage_user(admin, people["clerk"])
    assert not policies.can_manage_user(admin, people["stranger"])
    assert not policies.can_manage_user(admin, people["other_admin"])
    assert not policies.can_manage_user(admin, admin)
    assert not policies.can_manage_user(admin, people["sysadmin"])
    assert policies.can_assign_role(admin, Role.CLERK)
    assert not policies.can_assign_role(admin, Role.AGENCY_ADMIN)
    assert not policies.can_assign_role(admin, Role.SYSTEM_ADMIN)


def test_other_users_see_only_themselves(people):
    clerk = people["clerk"]
    assert list(policies.users_visible_to(clerk, User.objects.all())) == [clerk]
    assert not policies.can_manage_user(clerk, people["leader"])
    assert not policies.can_assign_role(clerk, Role.CLERK)
    from django.contrib.auth.models import AnonymousUser

    assert not policies.users_visible_to(AnonymousUser(), User.objects.all()).exists()


def test_back_office_is_for_officials(people):
    assert policies.can_access_backoffice(people["clerk"])
    assert not policies.can_access_backoffice(people["citizen"])
    inactive = people["leader"]
    inactive.is_active = False
    assert not policies.can_access_backoffice(inactive)


def test_audit_visibility(people):
    for user in (people["clerk"], people["stranger"]):
        audit_record(actor=user, action="test.act", obj=user)
    audit_record(actor=None, action="accounts.login_failed", obj=people["clerk"])
    audit_record(actor=None, action="accounts.login_failed", obj=people["stranger"])
    everything = AuditEntry.objects.all()
    assert policies.audit_entries_visible_to(people["sysadmin"], everything).count() == 4
    mine = policies.audit_entries_visible_to(people["admin"], everything)
    assert {(e.action, e.object_id) for e in mine} == {("test.act", str(people["clerk"].uuid)),
                                                       ("accounts.login_failed", str(people["clerk"].uuid))}
    assert not policies.audit_entries_visible_to(people["clerk"], everything).exists()
    assert policies.can_view_audit(people["admin"]) and policies.can_view_audit(people["sysadmin"])
    assert not policies.can_view_audit(people["clerk"])


def test_require_and_get_visible():
    require(True)
    with pytest.raises(PermissionDeniedError) as exc:
        require(False, "Chỉ văn thư được vào sổ văn bản.")
    assert exc.value.status == 403 and exc.value.message == "Chỉ văn thư được vào sổ văn bản."


def test_get_visible_hides_what_is_not_visible(people):
    admin = people["admin"]
    found = get_visible(policies.users_visible_to, admin, User.objects.all(), uuid=people["clerk"].uuid)
    assert found == people["clerk"]
    with pytest.raises(NotFound):
        get_visible(policies.users_visible_to, admin, User.objects.all(), uuid=people["stranger"].uuid)


def test_roles_parse_from_code_or_vietnamese_label():
    assert parse_role("clerk") == Role.CLERK
    assert parse_role(" Văn thư ") == Role.CLERK
    assert parse_role("lãnh đạo") == Role.LEADER
    with pytest.raises(DomainError, match="Vai trò không hợp lệ"):
        parse_role("giám đốc")


def test_role_decides_admin_access(make_user):
    admin = make_user("qt.he.thong", Role.SYSTEM_ADMIN)
    assert admin.is_staff and admin.has_perm("wagtailadmin.access_admin")
    admin.role = Role.CLERK
    admin.save(update_fields=["role"])
    admin.refresh_from_db()
    assert not admin.is_staff and not admin.has_perm("wagtailadmin.access_admin")
