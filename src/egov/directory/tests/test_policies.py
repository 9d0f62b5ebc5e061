import datetime as dt

from egov.accounts.models import User
from egov.directory import policies, services


def test_visibility_by_role(province, make_official, sysadmin):
    leader = make_official("lanhdao.stp", "leader").user
    admin = make_official("qtcoquan.snnmt", "agency_admin", agency_key="snnmt").user
    gone = make_official("cu.vpdk", "specialist", agency_key="vpdk")
    services.official_deactivate(official=gone)
    services.agency_merge(sources=[province["vp"]], into=province["ubnd"], effective_date=dt.date(2025, 7, 1))
    citizen = User.objects.create_user(username="congdan", role="citizen")

    total = 6
    assert policies.agencies_visible_to(sysadmin).count() == total
    assert policies.agencies_visible_to(leader).count() == total  # officials see history too
    assert policies.agencies_visible_to(citizen).count() == total - 1  # the closed office is hidden
    assert policies.agencies_visible_to(None).count() == total - 1

    assert set(policies.officials_visible_to(sysadmin)) == {leader.official, admin.official, gone}
    assert set(policies.officials_visible_to(admin)) == {leader.official, admin.official, gone}  # his subtree
    assert set(policies.officials_visible_to(leader)) == {leader.official, admin.official}
    assert not policies.officials_visible_to(citizen).exists()

    assert policies.can_manage_agency(admin, province["vpdk"])
    assert not policies.can_manage_agency(admin, province["stp"])
    assert not policies.can_manage_agency(leader, province["stp"])
    assert policies.can_manage_agency(sysadmin, province["stp"])
    assert policies.can_view_directory(leader) and not policies.can_view_directory(citizen)
    assert policies.can_import(admin) and not policies.can_import(leader)
