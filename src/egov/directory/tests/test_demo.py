import io

import pytest
from django.core.management import call_command

from egov.accounts.models import User
from egov.accounts.roles import STAFF_ROLES, Role
from egov.core.models import AuditEntry
from egov.directory import selectors, services
from egov.directory.demo import DEMO_PASSWORD, load_demo
from egov.directory.models import Agency, AgencySuccession, Official, Position, Unit
from egov.directory.validators import validate_code_qcvn102, validate_code_qd20

pytestmark = pytest.mark.django_db


def counts():
    return tuple(m.objects.count() for m in (Agency, AgencySuccession, Unit, Position, Official, User, AuditEntry))


def test_demo_province_content():
    load_demo()
    ubnd = Agency.objects.get(code="UBND")
    assert (ubnd.name, ubnd.code_qcvn102, ubnd.code_qd20, ubnd.kind) == (
        "Ủy ban nhân dân tỉnh Cà Mau", "000.00.00.H12", "H12", "ubnd_tinh")
    assert Agency.objects.get(code="VP", kind="van_phong").parent == ubnd
    departments = Agency.objects.filter(kind="so", is_active=True)
    assert departments.count() >= 15
    assert {"Sở Tư pháp", "Sở Nội vụ", "Sở Tài chính", "Sở Dân tộc và Tôn giáo"} <= set(
        departments.values_list("name", flat=True))
    assert Agency.objects.get(code="SDTTG").abbreviation == "SDTTG"
    assert Agency.objects.get(code="SGDDT").abbreviation == "SGDĐT"
    wards = Agency.objects.filter(kind="phuong", is_active=True)
    communes = Agency.objects.filter(kind="xa", is_active=True)
    assert (wards.count(), communes.count()) == (9, 55)
    nam_can = Agency.objects.get(admin_unit_code="32191")
    assert (nam_can.name, nam_can.code, nam_can.parent) == ("Ủy ban nhân dân xã Năm Căn", "DVHC-32191", ubnd)
    assert Agency.objects.get(admin_unit_code="32002").name == "Ủy ban nhân dân phường An Xuyên"
    for agency in Agency.objects.all():
        if agency.code_qcvn102:
            validate_code_qcvn102(agency.code_qcvn102)
        if agency.code_qd20:
            validate_code_qd20(agency.code_qd20)
    # The former district is kept for history; its records are listed under the communes that succeeded it.
    district = Agency.objects.get(kind="huyen")
    assert not district.is_active and district.valid_to.isoformat() == "2025-06-30"
    assert district.pk in selectors.agency_lineage(nam_can)
    assert AgencySuccession.objects.filter(predecessor=district).count() == 3


@pytest.mark.parametrize("agency_code", ["VP", "STP", "DVHC-32191"])
def test_every_role_in_each_demo_agency(agency_code):
    load_demo()
    officials = Official.objects.filter(agency__code=agency_code).select_related("user", "unit", "position")
    assert {o.user.role for o in officials} == set(STAFF_ROLES)
    for official in officials:
        assert official.position is not None and official.email and official.phone
        assert official.unit is None or official.unit.agency.code == agency_code
        assert official.user.full_name != official.user.full_name.encode("ascii", "ignore").decode()  # diacritics
        assert official.user.check_password(DEMO_PASSWORD)
    assert Unit.objects.filter(agency__code=agency_code).count() >= 4


def test_demo_usernames_and_citizen():
    load_demo()
    assert User.objects.get(username="vanthu.vp").official.agency.code == "VP"
    assert User.objects.get(username="lanhdao.stp").official.position.name == "Giám đốc"
    assert User.objects.get(username="motcua.namcan").official.unit.code == "TTPVHCC"
    citizen = User.objects.get(username="congdan")
    assert citizen.role == Role.CITIZEN and citizen.check_password(DEMO_PASSWORD)
    assert not Official.objects.filter(user=citizen).exists()


def test_idempotent_and_keeps_changed_passwords_and_edits():
    load_demo()
    first = counts()
    user = User.objects.get(username="vanthu.vp")
    user.set_password("Mật-khẩu-mới-2026")
    user.save()
    stp = Agency.objects.get(code="STP")
    services.agency_update(agency=stp, phone="0290 3000 000")
    after_edit = counts()
    report = load_demo()
    assert report.summary() == "Dữ liệu mẫu đã có đủ, không thay đổi gì."
    assert counts() == after_edit == (*first[:-1], first[-1] + 1)
    assert User.objects.get(username="vanthu.vp").check_password("Mật-khẩu-mới-2026")
    assert Agency.objects.get(code="STP").phone == "0290 3000 000"
    # --sync restores seed values (not passwords, not fields the seed does not set).
    services.agency_update(agency=stp, name="Sở Tư pháp (sửa thử)")
    report = load_demo(sync=True)
    assert report.updated["agency"] == 1
    assert Agency.objects.get(code="STP").name == "Sở Tư pháp"
    assert User.objects.get(username="vanthu.vp").check_password("Mật-khẩu-mới-2026")


def test_command_prints_logins_table():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "Đã tạo 83 cơ quan" in text
    assert "vanthu.vp" in text and "Văn thư" in text and "Văn phòng Ủy ban nhân dân tỉnh Cà Mau" in text
    assert "motcua.namcan" in text and "Ủy ban nhân dân xã Năm Căn" in text
    assert f"Mật khẩu chung: {DEMO_PASSWORD}" in text
    out = io.StringIO()
    call_command("load_demo", "--quiet-table", stdout=out)
    assert "không thay đổi gì" in out.getvalue() and "vanthu.vp" not in out.getvalue()
