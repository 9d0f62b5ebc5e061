"""The audit viewer at /can-bo/nhat-ky/: who may open it, what each administrator sees, filters, integrity."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.accounts.testing import login_with_second_factor
from egov.core.audit import audit_record
from egov.core.models import AuditEntry
from egov.directory.models import Agency, AgencyKind, Official

pytestmark = pytest.mark.django_db
URL = "/can-bo/nhat-ky/"


def _official(username, role, agency):
    user = User.objects.create_user(username=username, password="Mat-khau-rat-manh-2026", role=role)
    if agency is not None:
        Official.objects.create(user=user, agency=agency)
    return user


@pytest.fixture
def world():
    home = Agency.objects.create(code="SYT", name="Sở Y tế tỉnh Cà Mau", abbreviation="SYT", kind=AgencyKind.DEPARTMENT)
    away = Agency.objects.create(code="XA-TANTHANH", name="Ủy ban nhân dân xã Tân Thành", abbreviation="UBND",
                                 kind=AgencyKind.COMMUNE)
    people = {
        "sysadmin": _official("qt.tinh", Role.SYSTEM_ADMIN, None),
        "admin": _official("qt.syt", Role.AGENCY_ADMIN, home),
        "clerk": _official("vt.syt", Role.CLERK, home),
        "stranger": _official("vt.tanthanh", Role.CLERK, away),
    }
    audit_record(actor=people["clerk"], action="documents.register", object_type="documents.incomingdocument",
                 object_id="vb-001", object_repr="Công văn 12/SYT", before={"status": "draft"},
                 after={"status": "registered"}, ip="10.0.0.5")
    audit_record(actor=people["stranger"], action="documents.register", object_type="documents.incomingdocument",
                 object_id="vb-002", object_repr="Công văn 3/UBND", ip="10.0.0.6")
    audit_record(actor=None, action="accounts.login_failed", obj=people["clerk"],
                 extra={"username": "vt.syt", "step": "password"})
    return people


def test_only_administrators_open_the_viewer(client, world):
    assert client.get(URL).status_code == 302  # anonymous: to the login page
    client.force_login(world["clerk"])
    response = client.get(URL)
    assert response.status_code == 403
    assert "Chỉ quản trị hệ thống và quản trị cơ quan được xem nhật ký kiểm toán." in response.content.decode()


def test_system_admin_sees_everything_with_local_times(client, world):
    login_with_second_factor(client, world["sysadmin"])
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    entry = AuditEntry.objects.get(object_id="vb-001")
    assert timezone.localtime(entry.at).strftime("%d/%m/%Y %H:%M:%S") in html
    assert "Công văn 12/SYT" in html and "Công văn 3/UBND" in html
    assert "status: draft → registered" in html and "10.0.0.5" in html
    assert "Đăng nhập không thành công" in html.split("<tbody>")[1]


def test_agency_admin_sees_only_his_agency(client, world):
    login_with_second_factor(client, world["admin"])
    html = client.get(URL).content.decode()
    assert "Công văn 12/SYT" in html
    assert "Công văn 3/UBND" not in html
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    assert "Đăng nhập không thành công" in body  # a failed login on one of his accounts
    assert "vt.tanthanh" not in body


@pytest.mark.parametrize(
    "query, expected, hidden",
    [
        ({"actor": "VT.TANTHANH"}, ["Công văn 3/UBND"], ["Công văn 12/SYT"]),
        ({"action": "documents"}, ["Công văn 12/SYT", "Công văn 3/UBND"], ["Đăng nhập không thành công"]),
        ({"action": "accounts.login_failed"}, ["Đăng nhập không thành công"], ["Công văn 12/SYT"]),
        ({"object_type": "Documents.IncomingDocument", "object_id": "vb-002"}, ["Công văn 3/UBND"],
         ["Công văn 12/SYT"]),
    ],
)
def test_filters(client, world, query, expected, hidden):
    login_with_second_factor(client, world["sysadmin"])
    html = client.get(URL, query).content.decode()
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    for text in expected:
        assert text in body
    for text in hidden:
        assert text not in body


def test_date_range_uses_local_days(client, world):
    login_with_second_factor(client, world["sysadmin"])
    entry = AuditEntry.objects.get(object_id="vb-001")
    # 23:30 on 01/03/2026 in Cà Mau is 16:30 UTC the same day; 00:30 on 02/03 local is still 01/03 in UTC.
    local = timezone.get_current_timezone()
    AuditEntry.objects.filter(pk=entry.pk).update(at=dt.datetime(2026, 3, 1, 23, 30, tzinfo=local))
    AuditEntry.objects.exclude(pk=entry.pk).update(at=dt.datetime(2026, 3, 2, 0, 30, tzinfo=local))
    body = client.get(URL, {"date_from": "01/03/2026", "date_to": "01/03/2026"}).content.decode()
    body = body.split("<tbody>")[1]
    assert "Công văn 12/SYT" in body and "Công văn 3/UBND" not in body
    body = client.get(URL, {"date_from": "02/03/2026"}).content.decode().split("<tbody>")[1]
    assert "Công văn 12/SYT" not in body and "Công văn 3/UBND" in body


@pytest.mark.parametrize(
    "query, message",
    [
        ({"date_from": "32/13/2026"}, "Ngày không hợp lệ. Hãy nhập theo dạng dd/mm/yyyy"),
        ({"date_to": "2026-03-01"}, "Ngày không hợp lệ. Hãy nhập theo dạng dd/mm/yyyy"),
        ({"date_from": "01/01/0001"}, "Năm phải nằm trong khoảng 1900–2999."),
        ({"date_from": "05/03/2026", "date_to": "01/03/2026"}, "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu."),
        ({"actor": "x" * 500}, "tối đa 150"),
    ],
)
def test_bad_filters_give_a_vietnamese_form_error(client, world, query, message):
    login_with_second_factor(client, world["sysadmin"])
    response = client.get(URL, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Không có bản ghi nào khớp bộ lọc." in html


def test_pagination_keeps_the_filters(client, world):
    login_with_second_factor(client, world["sysadmin"])
    for i in range(60):
        audit_record(actor=world["clerk"], action="test.bulk", object_type="test.thing", object_id=str(i))
    response = client.get(URL, {"action": "test.bulk"})
    html = response.content.decode()
    assert "60 bản ghi" in html and "Trang 1/2" in html
    assert "?action=test.bulk&amp;page=2" in html
    second = client.get(URL, {"action": "test.bulk", "page": "2"}).content.decode()
    assert "Trang 2/2" in second
    assert client.get(URL, {"page": "abc"}).status_code == 200
    assert client.get(URL, {"page": "999"}).status_code == 200


def test_integrity_check_button(client, world):
    login_with_second_factor(client, world["sysadmin"])
    assert client.get(reverse("audit:verify")).status_code == 405
    html = client.post(reverse("audit:verify")).content.decode()
    assert "Chuỗi nhật ký nguyên vẹn" in html
    AuditEntry.objects.filter(object_id="vb-001").update(object_repr="Công văn đã bị sửa")
    html = client.post(reverse("audit:verify")).content.decode()
    assert "Chuỗi nhật ký bị phá vỡ tại bản ghi số 1" in html and "nội dung đã bị sửa" in html


def test_viewer_needs_the_second_factor(client, world):
    client.force_login(world["sysadmin"])
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:otp"))
