import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from egov.accounts.models import User
from egov.core.models import AuditEntry
from egov.directory import services
from egov.directory.models import Agency, Official
from egov.directory.tests.test_excel import OFFICIAL_HEADERS, official_row, workbook


@pytest.fixture
def specialist(make_official, province):
    return make_official("chuyenvien.stp", "specialist", unit=province["units"]["stp"],
                         position=province["position"], phone="0290 3831 111",
                         email="chuyenvien.stp@camau.example", full_name="Tô Minh Luân").user


def test_pages_require_login(client, province):
    for name in ("agency_list", "official_list", "import", "export"):
        response = client.get(reverse(f"directory:{name}"))
        assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_citizen_is_refused(client, province):
    citizen = User.objects.create_user(username="congdan", role="citizen")
    client.force_login(citizen)
    assert client.get(reverse("directory:agency_list")).status_code == 403
    assert client.get(reverse("directory:export")).status_code == 403


def test_agency_tree_and_search(client, province, specialist):
    client.force_login(specialist)
    response = client.get(reverse("directory:agency_list"))
    assert response.status_code == 200
    html = response.content.decode()
    html = html[html.index('<main id="main"'):]  # the navbar names the user's own agency first
    assert html.index("Ủy ban nhân dân tỉnh Cà Mau") < html.index("Sở Tư pháp") < html.index("xã Năm Căn")
    assert "000.00.00.H12" in html and 'data-depth="2"' in html
    assert "Nhập từ Excel" not in html  # a specialist cannot import
    response = client.get(reverse("directory:agency_list"), {"q": "so tu phap"})
    assert "Tìm thấy 1 cơ quan" in response.content.decode()
    response = client.get(reverse("directory:agency_list"), {"q": "H12.05"})
    assert "Sở Tư pháp" in response.content.decode()


def test_history_is_shown_on_request_and_detail_links_successors(client, province, specialist):
    import datetime as dt
    services.agency_merge(sources=[province["vpdk"]], into=province["snnmt"], effective_date=dt.date(2025, 7, 1),
                          decision="QĐ 10/QĐ-UBND")
    client.force_login(specialist)
    assert "Văn phòng Đăng ký đất đai" not in client.get(reverse("directory:agency_list")).content.decode()
    html = client.get(reverse("directory:agency_list"), {"lich_su": "1"}).content.decode()
    assert "Văn phòng Đăng ký đất đai" in html and "Ngừng hoạt động từ 30/06/2025" in html
    html = client.get(reverse("directory:agency_detail", args=["VPDKDD"])).content.decode()
    assert "Cơ quan kế thừa" in html and "Sở Nông nghiệp và Môi trường" in html and "01/07/2025" in html
    html = client.get(reverse("directory:agency_detail", args=["SNNMT"])).content.decode()
    assert "Kế thừa từ" in html and "QĐ 10/QĐ-UBND" in html


def test_agency_detail_shows_units_and_officials(client, province, specialist):
    client.force_login(specialist)
    response = client.get(reverse("directory:agency_detail", args=["000.00.05.H12"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Văn phòng Sở" in html and "Tô Minh Luân" in html and "0290 3831 111" in html
    assert "Ủy ban nhân dân tỉnh Cà Mau" in html  # breadcrumb
    assert client.get(reverse("directory:agency_detail", args=["KHONGCO"])).status_code == 404


def test_official_list_search(client, province, specialist, make_official):
    make_official("vanthu.vp", "clerk", agency_key="vp", full_name="Lê Thị Mỹ Duyên")
    client.force_login(specialist)
    html = client.get(reverse("directory:official_list"), {"q": "my duyen"}).content.decode()
    assert "(vanthu.vp)" in html and "(chuyenvien.stp)" not in html
    html = client.get(reverse("directory:official_list"), {"co_quan": "STP"}).content.decode()
    assert "(chuyenvien.stp)" in html and "(vanthu.vp)" not in html


def test_export_download(client, province, specialist):
    client.force_login(specialist)
    response = client.get(reverse("directory:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="danh-ba-' in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Cơ quan", "Phòng ban", "Cán bộ"]
    response = client.get(reverse("directory:export"), {"trang": "can-bo"})
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Cán bộ"]


def test_import_page_for_agency_admin(client, province, make_official, login):
    admin = make_official("qtcoquan.stp", "agency_admin").user
    login(admin)
    url = reverse("directory:import")
    assert client.get(url).status_code == 200
    bad = workbook(**{"Cán bộ": [OFFICIAL_HEADERS, official_row("cv.stp", "Nguyễn A", "thủ quỹ", "STP"),
                                 official_row("cv2.stp", "Nguyễn B", "specialist", "VP")]})
    before = (Official.objects.count(), AuditEntry.objects.count())
    response = client.post(url, {"file": io.BytesIO(bad)})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Dòng 2: Vai trò không hợp lệ: “thủ quỹ”" in html
    assert "Dòng 3: Bạn không có quyền quản lý cán bộ của cơ quan" in html
    assert (Official.objects.count(), AuditEntry.objects.count()) == before
    response = client.post(url, {"file": io.BytesIO(b"khong phai excel")})
    assert "Tệp không phải là tệp Excel (.xlsx) hợp lệ." in response.content.decode()
    good = workbook(**{"Cán bộ": [OFFICIAL_HEADERS, official_row("cv.stp", "Nguyễn A", "Chuyên viên", "STP")]})
    response = client.post(url, {"file": io.BytesIO(good), "dry_run": "on"})
    assert "chưa ghi dữ liệu" in response.content.decode() and not Official.objects.filter(
        user__username="cv.stp").exists()
    response = client.post(url, {"file": io.BytesIO(good)}, follow=True)
    assert "Đã nhập danh bạ" in response.content.decode()
    assert Official.objects.get(user__username="cv.stp").agency.code == "STP"


def test_import_page_needs_second_factor_and_admin_role(client, province, make_official, specialist):
    admin = make_official("qtcoquan.stp", "agency_admin").user
    client.force_login(admin)  # no OTP yet: the 2FA middleware sends him to the second step
    response = client.get(reverse("directory:import"))
    assert response.status_code == 302 and "/tai-khoan/" in response["Location"]
    client.force_login(specialist)
    assert client.get(reverse("directory:import")).status_code == 403


def test_system_admin_round_trip_through_pages(client, province, sysadmin, login):
    login(sysadmin)
    data = client.get(reverse("directory:export")).content
    before = AuditEntry.objects.count()
    response = client.post(reverse("directory:import"), {"file": io.BytesIO(data)}, follow=True)
    assert "không đổi 6" in response.content.decode()
    assert AuditEntry.objects.count() == before


def test_admin_pages_save_through_services(client, province, sysadmin, login):
    login(sysadmin)
    assert client.get(reverse("admin:directory_agency_changelist")).status_code == 200
    url = reverse("admin:directory_agency_change", args=[province["stp"].pk])
    assert client.get(url).status_code == 200
    data = {"name": "Sở Tư pháp", "abbreviation": "STP", "kind": "so", "parent": province["ubnd"].pk,
            "code_qcvn102": "SAI-MA", "code_qd20": "H12.05", "admin_unit_code": "", "address": "", "phone": "",
            "email": "", "valid_from": "", "valid_to": "", "is_active": "on", "note": "",
            "units-TOTAL_FORMS": "1", "units-INITIAL_FORMS": "1", "units-MIN_NUM_FORMS": "0",
            "units-MAX_NUM_FORMS": "1000", "units-0-id": province["units"]["stp"].pk,
            "units-0-agency": province["stp"].pk}
    response = client.post(url, data)
    assert response.status_code == 200 and "không đúng định dạng QCVN 102:2016" in response.content.decode()
    data["code_qcvn102"] = "000.00.05.H12"
    cycle = dict(data, name="Sở Nông nghiệp và Môi trường", abbreviation="SNNMT", code_qcvn102="", code_qd20="",
                 parent=province["vpdk"].pk, **{"units-TOTAL_FORMS": "0", "units-INITIAL_FORMS": "0"})
    response = client.post(reverse("admin:directory_agency_change", args=[province["snnmt"].pk]), cycle,
                           follow=True)
    assert "vòng lặp" in response.content.decode()  # refused by the service, shown as a message
    assert Agency.objects.get(code="SNNMT").parent.code == "UBND"
    data["phone"] = "0290 3831 555"
    response = client.post(url, data)
    assert response.status_code == 302
    assert Agency.objects.get(code="STP").phone == "0290 3831 555"
    assert AuditEntry.objects.filter(action="directory.agency.update", actor=sysadmin).exists()
    add = client.post(reverse("admin:directory_official_add"), {
        "username": "moi.stp", "full_name": "Nguyễn Văn Mới", "role": "clerk", "password": "",
        "agency": province["stp"].pk, "unit": "", "position": "", "phone": "", "email": "moi.stp@camau.example"})
    assert add.status_code == 302
    assert Official.objects.get(user__username="moi.stp").user.role == "clerk"
