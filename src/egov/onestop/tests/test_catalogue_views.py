"""Back-office catalogue pages (/can-bo/mot-cua/thu-tuc/) and the catalogue admin."""

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.onestop import catalogue as cat
from egov.onestop.catalogue_io import catalogue_export_xlsx
from egov.onestop.models import Procedure
from egov.onestop.tests.test_catalogue import login, make_dossier, make_field, make_procedure, make_user, rules

pytestmark = pytest.mark.django_db
LIST = reverse("onestop:catalogue_list")
TRANSFER = reverse("onestop:catalogue_transfer")


@pytest.fixture
def catalogue():
    make_field()
    birth = make_procedure()
    cat.procedure_version_create(actor=None, procedure=birth, rules=rules(processing_days=5),
                                 valid_from=dt.date(2025, 10, 1))
    make_procedure("1.000894", "Thủ tục đăng ký kết hôn")
    return birth


@pytest.fixture
def officer():
    return make_user("motcua", Role.ONESTOP_OFFICER)


@pytest.fixture
def manager():
    return make_user("quantri", Role.AGENCY_ADMIN)


def test_officials_only(client, catalogue):
    assert client.get(LIST).status_code == 302  # to the login page
    login(client, make_user("congdan", Role.CITIZEN))
    assert client.get(LIST).status_code == 403


def test_list_searches_without_diacritics(client, catalogue, officer):
    login(client, officer)
    page = client.get(LIST, {"q": "dang ky khai sinh"}).content.decode()
    assert "Thủ tục đăng ký khai sinh" in page and "kết hôn" not in page
    assert "Tìm thấy 1 thủ tục." in page
    page = client.get(LIST, {"linh_vuc": "ho-tich", "cap": "xa"}).content.decode()
    assert "Tìm thấy 2 thủ tục." in page
    assert "Nhập, xuất danh mục" not in page  # officers only export


def test_detail_shows_versions_papers_and_steps(client, catalogue, officer):
    make_dossier(catalogue.versions.get(number=1))
    login(client, officer)
    url = reverse("onestop:catalogue_detail", kwargs={"code": "1.001193"})
    page = client.get(url).content.decode()
    assert "Phiên bản 2" in page and "5 ngày làm việc" in page and "Đang hiệu lực" in page
    assert "Giấy chứng sinh" in page and "Thẩm định" in page and "Chuyên viên" in page
    old = client.get(url, {"phien_ban": "1"}).content.decode()
    assert "3 ngày làm việc" in old and "Đã có hồ sơ" in old
    assert client.get(reverse("onestop:catalogue_detail", kwargs={"code": "9.999999"})).status_code == 404


def test_manager_stops_a_procedure(client, catalogue, officer, manager):
    url = reverse("onestop:catalogue_deactivate", kwargs={"code": "1.000894"})
    login(client, officer)
    client.post(url)
    assert Procedure.objects.get(code="1.000894").is_active  # refused: not a catalogue manager
    login(client, manager)
    response = client.post(url, follow=True)
    assert "Đã ngừng áp dụng thủ tục 1.000894." in response.content.decode()
    assert not Procedure.objects.get(code="1.000894").is_active
    page = client.get(LIST, {"ngung": "1"}).content.decode()
    assert "Thủ tục đăng ký kết hôn" in page and "Tìm thấy 1 thủ tục." in page


def test_export_downloads(client, catalogue, officer):
    login(client, officer)
    response = client.get(reverse("onestop:catalogue_download", kwargs={"fmt": "xlsx"}))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert client.get(reverse("onestop:catalogue_download", kwargs={"fmt": "csv"})).status_code == 404


def test_import_page_reports_row_errors_then_imports(client, catalogue, manager):
    workbook = load_workbook(io.BytesIO(catalogue_export_xlsx()))
    ws = workbook["Quy trình"]
    role_column = [c.value for c in ws[1]].index("Vai trò thực hiện") + 1
    ws.cell(row=3, column=role_column, value="giam_doc")
    buffer = io.BytesIO()
    workbook.save(buffer)
    login(client, manager)
    response = client.post(TRANSFER, {"file": SimpleUploadedFile("danh-muc.xlsx", buffer.getvalue())})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Tệp không hợp lệ, chưa nhập phần nào." in page
    assert "Dòng 3 (sheet Quy trình): Vai trò thực hiện không hợp lệ: “giam_doc”" in page
    doc = {"procedures": [{"code": "1.000656", "name": "Thủ tục đăng ký khai tử", "field": "ho-tich", "level": "xa",
                           "versions": [rules()]}]}
    good = SimpleUploadedFile("danh-muc.json", json.dumps(doc).encode())
    response = client.post(TRANSFER, {"file": good})
    assert response.status_code == 200 and "1 thủ tục mới" in response.content.decode()
    assert Procedure.objects.filter(code="1.000656").exists()
    response = client.post(TRANSFER, {})
    assert response.status_code == 400 and "Chưa chọn tệp để nhập." in response.content.decode()


def test_officer_cannot_import(client, catalogue, officer):
    login(client, officer)
    assert "Nhập danh mục" not in client.get(TRANSFER).content.decode()
    response = client.post(TRANSFER, {"file": SimpleUploadedFile("a.json", b"[]")})
    assert response.status_code == 403


@pytest.fixture
def superuser():
    return User.objects.create_superuser(username="root", password="Mat-khau-rat-manh-2026", role=Role.SYSTEM_ADMIN)


def test_admin_lists_and_freezes_used_versions(client, catalogue, superuser):
    login(client, superuser)
    assert client.get("/admin/onestop/procedure/").status_code == 200
    assert client.get("/admin/onestop/field/").status_code == 200
    assert client.get("/admin/onestop/dossier/").status_code == 200
    v1 = catalogue.versions.get(number=1)
    make_dossier(v1)
    page = client.get(f"/admin/onestop/procedureversion/{v1.pk}/change/").content.decode()
    assert 'name="_save"' not in page  # read-only: dossiers were received under it
    v2 = catalogue.versions.get(number=2)
    assert 'name="_save"' in client.get(f"/admin/onestop/procedureversion/{v2.pk}/change/").content.decode()


def test_admin_copy_action_makes_an_editable_new_version(client, catalogue, superuser):
    login(client, superuser)
    v2 = catalogue.versions.get(number=2)
    response = client.post("/admin/onestop/procedureversion/", {
        "action": "copy_as_new_version", "_selected_action": [v2.pk]}, follow=True)
    assert response.status_code == 200
    catalogue.refresh_from_db()
    assert catalogue.current_version.number == 3 and catalogue.current_version.processing_days == 5


def _version_post(version, **changes) -> dict:
    """The admin change form of a version as the browser would send it back."""
    data = {"valid_from": version.valid_from.strftime("%d/%m/%Y"), "valid_to": "",
            "implementing_agency_text": version.implementing_agency_text,
            "processing_days": str(version.processing_days), "processing_hours": "",
            "online_mode": version.online_mode, "online_result": "on", "fees": json.dumps(version.fees),
            "result_documents": json.dumps(version.result_documents), "legal_basis": version.legal_basis,
            "form_schema": json.dumps(version.form_schema), "notes": version.notes}
    papers, steps = list(version.papers.all()), list(version.steps.all())
    for prefix, rows in (("papers", papers), ("steps", steps)):
        data.update({f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": len(rows),
                     f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
    for i, p in enumerate(papers):
        data.update({f"papers-{i}-id": p.pk, f"papers-{i}-version": version.pk, f"papers-{i}-order": p.order,
                     f"papers-{i}-name": p.name, f"papers-{i}-kind": p.kind, f"papers-{i}-originals": p.originals,
                     f"papers-{i}-copies": p.copies, f"papers-{i}-condition": p.condition,
                     f"papers-{i}-mandatory": "on"})
    for i, s in enumerate(steps):
        data.update({f"steps-{i}-id": s.pk, f"steps-{i}-version": version.pk, f"steps-{i}-order": s.order,
                     f"steps-{i}-name": s.name, f"steps-{i}-role": s.role, f"steps-{i}-agency_kind": s.agency_kind,
                     f"steps-{i}-agency_code": s.agency_code, f"steps-{i}-unit_name": s.unit_name,
                     f"steps-{i}-allotted_days": "" if s.allotted_days is None else str(s.allotted_days),
                     f"steps-{i}-allotted_hours": "" if s.allotted_hours is None else s.allotted_hours})
    data.update(changes)
    return data


def test_admin_edits_an_unused_version_through_the_service(client, catalogue, superuser):
    login(client, superuser)
    v2 = catalogue.versions.get(number=2)
    url = f"/admin/onestop/procedureversion/{v2.pk}/change/"
    response = client.post(url, _version_post(v2, processing_days="1", **{"steps-1-allotted_days": "2"}))
    assert response.status_code == 200 and "vượt thời hạn giải quyết" in response.content.decode()
    v2.refresh_from_db()
    assert v2.processing_days == 5
    response = client.post(url, _version_post(v2, processing_days="6", **{"papers-1-DELETE": "on"}))
    assert response.status_code == 302, response.content.decode()[:3000]
    v2.refresh_from_db()
    assert v2.processing_days == 6 and [p.name for p in v2.papers.all()] == ["Tờ khai đăng ký khai sinh"]
    assert v2.number == 2 and catalogue.versions.count() == 2
