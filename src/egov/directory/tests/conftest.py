"""Fixtures of the directory tests: a small province built through the services, and logged-in officials."""

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.models import User
from egov.directory import services


@pytest.fixture
def province(db):
    """UBND tỉnh, its office, two departments (one with a sub-agency), one commune, one unit each."""
    ubnd = services.agency_create(code="UBND", name="Ủy ban nhân dân tỉnh Cà Mau", abbreviation="UBND",
                                  kind="ubnd_tinh", code_qcvn102="000.00.00.H12", code_qd20="H12")
    vp = services.agency_create(code="VP", name="Văn phòng Ủy ban nhân dân tỉnh Cà Mau", abbreviation="VP",
                                kind="van_phong", parent=ubnd)
    stp = services.agency_create(code="STP", name="Sở Tư pháp", abbreviation="STP", kind="so", parent=ubnd,
                                 code_qcvn102="000.00.05.H12", code_qd20="H12.05")
    snnmt = services.agency_create(code="SNNMT", name="Sở Nông nghiệp và Môi trường", abbreviation="SNNMT",
                                   kind="so", parent=ubnd)
    vpdk = services.agency_create(code="VPDKDD", name="Văn phòng Đăng ký đất đai tỉnh Cà Mau",
                                  abbreviation="VPĐKĐĐ", kind="khac", parent=snnmt)
    xa = services.agency_create(code="DVHC-32191", name="Ủy ban nhân dân xã Năm Căn", abbreviation="UBND",
                                kind="xa", parent=ubnd, admin_unit_code="32191")
    units = {
        "vp": services.unit_create(agency=vp, code="TH", name="Phòng Tổng hợp"),
        "stp": services.unit_create(agency=stp, code="VPS", name="Văn phòng Sở"),
        "xa": services.unit_create(agency=xa, code="VP", name="Văn phòng HĐND và UBND"),
    }
    position = services.position_create(code="CV", name="Chuyên viên", rank=80)
    return {"ubnd": ubnd, "vp": vp, "stp": stp, "snnmt": snnmt, "vpdk": vpdk, "xa": xa, "units": units,
            "position": position}


@pytest.fixture
def make_official(province):
    def make(username, role, agency_key="stp", **kwargs):
        agency = province[agency_key]
        return services.official_create(username=username, full_name=kwargs.pop("full_name", "Nguyễn Văn Thử"),
                                        role=role, agency=agency, **kwargs)
    return make


@pytest.fixture
def sysadmin(db):
    return User.objects.create_user(username="root.test", role="system_admin", full_name="Quản trị viên")


def verify_otp(client, user):
    """Pass the second factor for an admin in the test client (the 2FA middleware requires it)."""
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def login(client):
    def do(user):
        client.force_login(user)
        if user.is_admin_role:
            verify_otp(client, user)
        return client
    return do
