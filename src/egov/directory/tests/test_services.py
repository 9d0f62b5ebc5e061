import datetime as dt

import pytest

from egov.accounts.models import User
from egov.core.errors import DomainError, PermissionDeniedError
from egov.core.models import AuditEntry
from egov.directory import selectors, services
from egov.directory.models import Agency, AgencyNameHistory, AgencySuccession, Official, Unit

JULY_1 = dt.date(2025, 7, 1)


def test_create_audits_and_validates_both_codes(province):
    entry = AuditEntry.objects.filter(action="directory.agency.create", object_id=str(province["stp"].uuid)).get()
    assert entry.changes["after"]["code_qcvn102"] == "000.00.05.H12"
    with pytest.raises(DomainError, match="QCVN 102:2016"):
        services.agency_create(code="SYT", name="Sở Y tế", abbreviation="SYT", kind="so", code_qcvn102="H12.07")
    with pytest.raises(DomainError, match="Quyết định 20/2020"):
        services.agency_create(code="SYT", name="Sở Y tế", abbreviation="SYT", kind="so", code_qd20="000.00.07.H12")
    assert not Agency.objects.filter(code="SYT").exists()


def test_duplicate_codes_are_refused(province):
    with pytest.raises(DomainError, match="đã tồn tại"):
        services.agency_create(code="stp", name="Sở khác", abbreviation="SK", kind="so")
    with pytest.raises(DomainError, match="đã được cấp cho cơ quan “Sở Tư pháp”"):
        services.agency_create(code="SYT", name="Sở Y tế", abbreviation="SYT", kind="so",
                               code_qcvn102="000.00.05.H12")
    with pytest.raises(DomainError, match="Mã cơ quan “SỞ Y TẾ” không hợp lệ"):
        services.agency_create(code="Sở Y tế", name="Sở Y tế", abbreviation="SYT", kind="so")
    with pytest.raises(DomainError, match="Loại cơ quan không hợp lệ"):
        services.agency_create(code="SYT", name="Sở Y tế", abbreviation="SYT", kind="bo")


def test_tree_and_descendants(province):
    roots = selectors.agency_tree()
    assert [r.agency.code for r in roots] == ["UBND"]
    children = [c.agency.code for c in roots[0].children]
    assert children == ["VP", "SNNMT", "STP", "DVHC-32191"]  # office, departments by name, communes last
    snnmt = roots[0].children[1]
    assert [c.agency.code for c in snnmt.children] == ["VPDKDD"] and snnmt.children[0].depth == 2
    ids = selectors.agency_descendant_ids(province["ubnd"], include_self=False)
    assert ids == {province[k].pk for k in ("vp", "stp", "snnmt", "vpdk", "xa")}
    assert set(selectors.agency_descendants(province["snnmt"])) == {province["vpdk"]}
    flat = [n.agency.code for n in selectors.flatten_tree(roots)]
    assert flat.index("VPDKDD") == flat.index("SNNMT") + 1


def test_parent_cycle_is_prevented(province):
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError, match="vòng lặp"):
        services.agency_update(agency=province["snnmt"], parent=province["vpdk"])
    with pytest.raises(DomainError, match="chính nó"):
        services.agency_update(agency=province["ubnd"], parent=province["ubnd"])
    with pytest.raises(DomainError, match="vòng lặp"):
        services.agency_update(agency=province["ubnd"], parent=province["vpdk"])
    province["snnmt"].refresh_from_db()
    assert province["snnmt"].parent == province["ubnd"]
    assert AuditEntry.objects.count() == before


def test_update_writes_only_real_changes(province):
    before = AuditEntry.objects.count()
    services.agency_update(agency=province["stp"], name="Sở Tư pháp", code_qcvn102="000.00.05.h12")
    assert AuditEntry.objects.count() == before
    services.agency_update(agency=province["stp"], phone="0290 3831 234", parent=province["ubnd"])
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "directory.agency.update"
    assert entry.changes["before"]["phone"] == "" and entry.changes["after"]["phone"] == "0290 3831 234"


def test_rename_in_place_keeps_history(province):
    stp = services.agency_rename(agency=province["stp"], name="Sở Tư pháp và Pháp chế", abbreviation="STPPC",
                                 effective_date=JULY_1, decision="Quyết định 1/QĐ-UBND")
    assert stp.pk == province["stp"].pk and stp.is_active
    history = AgencyNameHistory.objects.get(agency=stp)
    assert (history.name, history.abbreviation, history.valid_to) == ("Sở Tư pháp", "STP", dt.date(2025, 6, 30))
    assert str(history) == "Sở Tư pháp (đến 30/06/2025)"
    assert AuditEntry.objects.filter(action="directory.agency.rename").count() == 1
    with pytest.raises(DomainError, match="trùng"):
        services.agency_rename(agency=stp, name="Sở Tư pháp và Pháp chế", effective_date=JULY_1)


def test_rename_as_new_agency_moves_everything_and_links(province, make_official):
    official = make_official("chuyenvien.stp", "specialist", unit=province["units"]["stp"])
    new = services.agency_rename(agency=province["stp"], name="Sở Tư pháp tỉnh Cà Mau", new_code="STP2",
                                 effective_date=JULY_1, decision="QĐ 2")
    old = Agency.objects.get(code="STP")
    assert not old.is_active and old.valid_to == dt.date(2025, 6, 30) and old.code_qcvn102 is None
    assert new.code_qcvn102 == "000.00.05.H12" and new.valid_from == JULY_1 and new.parent == province["ubnd"]
    link = AgencySuccession.objects.get()
    assert (link.predecessor, link.successor, link.kind) == (old, new, "rename")
    official.refresh_from_db()
    assert official.agency == new and official.unit.agency == new
    assert selectors.agency_lineage(new) == {old.pk, new.pk}


def test_merge_closes_sources_links_and_lists_records_under_successor(province, make_official):
    clerk = make_official("vanthu.stp", "clerk", unit=province["units"]["stp"])
    old_unit = province["units"]["stp"]
    target = services.agency_merge(
        sources=[province["stp"], province["snnmt"]],
        into={"code": "SMOI", "name": "Sở Tư pháp và Môi trường", "abbreviation": "STPMT", "kind": "so",
              "parent": province["ubnd"]},
        effective_date=JULY_1, decision="Nghị quyết 99/NQ-HĐND",
    )
    for code in ("STP", "SNNMT"):
        source = Agency.objects.get(code=code)
        assert not source.is_active and source.valid_to == dt.date(2025, 6, 30)
    assert target.valid_from == JULY_1
    assert AgencySuccession.objects.filter(successor=target, kind="merge").count() == 2
    # Sub-agencies and officials follow; records (here: the old unit) stay with the closed agency...
    assert Agency.objects.get(code="VPDKDD").parent == target
    clerk.refresh_from_db()
    assert clerk.agency == target and clerk.unit is None
    assert Unit.objects.get(pk=old_unit.pk).agency.code == "STP"
    # ...and are listed under the successor through its lineage.
    listed = selectors.filter_by_agency_lineage(Unit.objects.all(), target)
    assert old_unit in listed and province["units"]["vp"] not in listed
    assert selectors.agency_successor_ids(province["stp"]) == {target.pk}


def test_lineage_is_transitive_through_merge_then_rename(province):
    merged = services.agency_merge(sources=[province["snnmt"]], into=province["stp"], effective_date=JULY_1)
    renamed = services.agency_rename(agency=merged, name="Sở Pháp chế", new_code="SPC",
                                     effective_date=dt.date(2026, 1, 1))
    assert selectors.agency_lineage(renamed) == {province["snnmt"].pk, province["stp"].pk, renamed.pk}


def test_merge_refusals_store_nothing(province):
    before = (AuditEntry.objects.count(), Agency.objects.filter(is_active=True).count())
    with pytest.raises(DomainError, match="chính nó"):
        services.agency_merge(sources=[province["stp"]], into=province["stp"], effective_date=JULY_1)
    with pytest.raises(DomainError, match="trực thuộc"):
        services.agency_merge(sources=[province["snnmt"]], into=province["vpdk"], effective_date=JULY_1)
    with pytest.raises(DomainError, match="Mã cơ quan “STP” đã tồn tại"):
        services.agency_merge(sources=[province["snnmt"]], effective_date=JULY_1,
                              into={"code": "STP", "name": "X", "abbreviation": "X", "kind": "so"})
    assert (AuditEntry.objects.count(), Agency.objects.filter(is_active=True).count()) == before
    services.agency_merge(sources=[province["snnmt"]], into=province["stp"], effective_date=JULY_1)
    with pytest.raises(DomainError, match="ngừng hoạt động"):
        services.agency_merge(sources=[province["snnmt"]], into=province["vp"], effective_date=JULY_1)


def test_succession_cycle_is_refused(province):
    services.agency_split(source=province["stp"], into=[province["vp"]], effective_date=JULY_1, keep_source=True)
    with pytest.raises(DomainError, match="không thể kế thừa ngược lại"):
        services.agency_split(source=province["vp"], into=[province["stp"]], effective_date=JULY_1,
                              keep_source=True)


def test_split_links_every_successor(province):
    a, b = services.agency_split(
        source=province["snnmt"],
        into=[{"code": "SNN", "name": "Sở Nông nghiệp", "abbreviation": "SNN", "kind": "so",
               "parent": province["ubnd"]},
              {"code": "STNMT", "name": "Sở Tài nguyên và Môi trường", "abbreviation": "STNMT", "kind": "so",
               "parent": province["ubnd"]}],
        effective_date=JULY_1, decision="QĐ tách",
    )
    source = Agency.objects.get(code="SNNMT")
    assert not source.is_active
    assert selectors.agency_lineage(a) == {a.pk, source.pk}
    assert selectors.agency_lineage(b) == {b.pk, source.pk}
    assert {link.successor.code for link in selectors.agency_successor_links(source)} == {"SNN", "STNMT"}
    assert [link.predecessor for link in selectors.agency_predecessor_links(a)] == [source]
    with pytest.raises(DomainError, match="ít nhất hai"):
        services.agency_split(source=a, into=[b], effective_date=JULY_1)


def test_official_create_update_deactivate(province, make_official):
    official = make_official("vanthu.stp", "Văn thư", unit=province["units"]["stp"], position=province["position"],
                             phone="0290 3831 000", email="VanThu.STP@camau.example", password="Mật-khẩu-dài-2026")
    user = official.user
    assert user.role == "clerk" and user.check_password("Mật-khẩu-dài-2026")
    assert official.email == "vanthu.stp@camau.example" == user.email
    services.official_update(official=official, agency=province["vp"])
    official.refresh_from_db()
    assert official.agency == province["vp"] and official.unit is None
    with pytest.raises(DomainError, match="không thuộc"):
        services.official_update(official=official, unit=province["units"]["stp"])
    services.official_deactivate(official=official, reason="Nghỉ hưu")
    official.refresh_from_db()
    assert not official.is_active and not official.user.is_active
    services.official_reactivate(official=official)
    official.refresh_from_db()
    assert official.is_active and official.user.is_active
    actions = list(AuditEntry.objects.filter(object_id=str(official.uuid)).order_by("seq")
                   .values_list("action", flat=True))
    assert actions == ["directory.official.create", "directory.official.update", "directory.official.deactivate",
                       "directory.official.reactivate"]


def test_official_without_password_cannot_log_in(make_official):
    official = make_official("motcua.stp", "onestop_officer")
    assert not official.user.has_usable_password()


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"role": "giám đốc"}, "Vai trò không hợp lệ: “giám đốc”"),
    ({"role": "citizen"}, "không dùng vai trò “Công dân”"),
    ({"username": "Nguyễn Văn A"}, "Tên đăng nhập"),
    ({"email": "không-phải-thư"}, "Thư điện tử “không-phải-thư” không hợp lệ"),
    ({"phone": "gọi tôi"}, "Số điện thoại"),
    ({"password": "123"}, "Mật khẩu chưa đạt yêu cầu"),
])
def test_official_bad_input_stores_nothing(province, kwargs, message):
    data = {"username": "moi.stp", "full_name": "Lê Văn Mới", "role": "specialist", "agency": province["stp"]}
    data.update(kwargs)
    users = User.objects.count()
    with pytest.raises(DomainError, match=message):
        services.official_create(**data)
    assert User.objects.count() == users and not Official.objects.exists()


def test_agency_admin_manages_only_his_subtree(province, make_official, sysadmin):
    admin = make_official("qtcoquan.snnmt", "agency_admin", agency_key="snnmt").user
    # Own agency and the agency under it: allowed.
    services.unit_create(actor=admin, agency=province["vpdk"], code="CN1", name="Chi nhánh Năm Căn")
    made = services.official_create(actor=admin, username="cv.vpdk", full_name="Trần Thị Đất", role="specialist",
                                    agency=province["vpdk"])
    services.agency_update(actor=admin, agency=province["snnmt"], phone="0290 3000 111")
    # Elsewhere, structure, or a system administrator role: refused.
    with pytest.raises(PermissionDeniedError):
        services.unit_create(actor=admin, agency=province["stp"], code="X", name="Phòng X")
    with pytest.raises(PermissionDeniedError):
        services.official_update(actor=admin, official=made, agency=province["stp"])
    with pytest.raises(PermissionDeniedError):
        services.agency_update(actor=admin, agency=province["snnmt"], name="Sở khác")
    with pytest.raises(PermissionDeniedError):
        services.official_create(actor=admin, username="qt.moi", full_name="A B", role="system_admin",
                                 agency=province["snnmt"])
    with pytest.raises(DomainError, match="chính mình"):
        services.official_deactivate(actor=admin, official=admin.official)
    # A system administrator may do all of it.
    services.agency_update(actor=sysadmin, agency=province["snnmt"], name="Sở Nông nghiệp và Môi trường tỉnh")
    services.official_create(actor=sysadmin, username="qt.moi", full_name="A B", role="system_admin",
                             agency=province["snnmt"])


def test_unit_tree_rules(province):
    parent = province["units"]["vp"]
    child = services.unit_create(agency=province["vp"], code="VT", name="Bộ phận Văn thư", parent=parent)
    with pytest.raises(DomainError, match="vòng lặp"):
        services.unit_update(unit=parent, parent=child)
    with pytest.raises(DomainError, match="thuộc cơ quan khác"):
        services.unit_create(agency=province["stp"], code="VT", name="Văn thư", parent=parent)
    with pytest.raises(DomainError, match="đã có"):
        services.unit_create(agency=province["vp"], code="vt", name="Trùng")
    count = AuditEntry.objects.count()
    services.unit_update(unit=child, name="Bộ phận Văn thư", is_active=True)
    assert AuditEntry.objects.count() == count


def test_user_agency(province, make_official, sysadmin):
    official = make_official("lanhdao.stp", "leader")
    assert selectors.user_agency(official.user) == province["stp"]
    assert selectors.user_agency(sysadmin) is None
    services.official_deactivate(official=official)
    assert selectors.user_agency(official.user) is None


def test_agency_by_any_code(province):
    assert selectors.agency_by_code("stp") == province["stp"]
    assert selectors.agency_by_code("000.00.05.h12") == province["stp"]
    assert selectors.agency_by_code("H12.05") == province["stp"]
    assert selectors.agency_by_code("H99") is None
