"""The catalogue API: public reads with diacritics-insensitive search, 404 JSON, import for managers only."""

import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook

from egov.accounts.roles import Role
from egov.onestop import catalogue as cat
from egov.onestop.catalogue_io import XLSX_CONTENT_TYPE
from egov.onestop.models import Procedure
from egov.onestop.tests.test_catalogue import login, make_field, make_procedure, make_user, rules

pytestmark = pytest.mark.django_db
BASE = "/api/v1/onestop"


@pytest.fixture
def catalogue():
    make_field()
    birth = make_procedure()
    cat.procedure_version_create(actor=None, procedure=birth, rules=rules(processing_days=5),
                                 valid_from=dt.date(2025, 10, 1))
    make_procedure("1.000894", "Thủ tục đăng ký kết hôn", online_mode="partial",
                   fees=[{"mode": "truc_tiep", "vnd": 50000, "text": ""}])
    make_procedure("2.000815", "Chứng thực bản sao từ bản chính", field=make_field("chung-thuc", "Chứng thực"),
                   level="tinh,xa", online_mode="none")
    stopped = make_procedure("1.999999", "Thủ tục đã bãi bỏ")
    cat.procedure_deactivate(actor=None, procedure=stopped)


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


def test_list_is_public_paginated_and_hides_stopped_procedures(client, catalogue):
    response = client.get(f"{BASE}/procedures", {"page_size": 2})
    body = response.json()
    assert body["count"] == 3 and body["pages"] == 2 and len(body["items"]) == 2
    assert codes(client.get(f"{BASE}/procedures")) == ["1.000894", "1.001193", "2.000815"]
    first = body["items"][0]
    assert first["field"] == {"code": "ho-tich", "name": "Hộ tịch"} and first["level_label"] == "Cấp xã"


def test_search_ignores_diacritics(client, catalogue):
    assert codes(client.get(f"{BASE}/procedures", {"q": "khai sinh"})) == ["1.001193"]
    assert codes(client.get(f"{BASE}/procedures", {"q": "dang ky"})) == ["1.000894", "1.001193"]
    assert codes(client.get(f"{BASE}/procedures", {"q": "Đăng Ký Kết Hôn"})) == ["1.000894"]
    assert codes(client.get(f"{BASE}/procedures", {"q": "2.000815"})) == ["2.000815"]
    assert codes(client.get(f"{BASE}/procedures", {"q": "ho chieu"})) == []


def test_filters(client, catalogue):
    assert codes(client.get(f"{BASE}/procedures", {"field": "chung-thuc"})) == ["2.000815"]
    assert codes(client.get(f"{BASE}/procedures", {"level": "tinh,xa"})) == ["2.000815"]
    assert codes(client.get(f"{BASE}/procedures", {"online_mode": "partial"})) == ["1.000894"]
    response = client.get(f"{BASE}/procedures", {"level": "huyen"})
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"


def test_detail_shows_the_version_in_force_with_papers_steps_fees(client, catalogue):
    response = client.get(f"{BASE}/procedures/1.001193")
    assert response.status_code == 200
    body = response.json()
    version = body["version"]
    assert body["version_count"] == 2 and version["number"] == 2 and version["in_force"]
    assert version["processing_time"] == "5 ngày làm việc" and version["processing_days"] == 5
    assert [p["name"] for p in version["papers"]] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert [s["role_label"] for s in version["steps"]][:2] == ["Cán bộ một cửa", "Chuyên viên"]
    assert version["steps"][0]["allotted_time"] == "0,5 ngày làm việc"
    assert version["fees"][0]["display"] == "Trực tiếp: Miễn phí"
    assert version["form_schema"][0]["name"] == "ho_ten_tre"
    fee = client.get(f"{BASE}/procedures/1.000894").json()["version"]["fees"][0]
    assert fee["vnd"] == 50000 and fee["display"] == "Trực tiếp: 50.000 đ"


def test_unknown_code_is_a_json_404(client, catalogue):
    for url in (f"{BASE}/procedures/9.000000", f"{BASE}/procedures/9.000000/versions"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json() == {"code": "procedure_not_found",
                                   "message": "Không tìm thấy thủ tục hành chính mã “9.000000”."}


def test_versions_newest_first(client, catalogue):
    versions = client.get(f"{BASE}/procedures/1.001193/versions").json()
    assert [(v["number"], v["valid_from"], v["valid_to"]) for v in versions] == [
        (2, "2025-10-01", None), (1, "2025-07-01", "2025-09-30")]


def test_fields_count_public_procedures(client, catalogue):
    fields = client.get(f"{BASE}/fields").json()
    assert {"code": "ho-tich", "name": "Hộ tịch", "procedures": 2} in fields
    assert {"code": "chung-thuc", "name": "Chứng thực", "procedures": 1} in fields


def test_export_json_and_excel(client, catalogue):
    response = client.get(f"{BASE}/procedures/export")
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.json"')
    assert len(json.loads(response.content)["procedures"]) == 4  # every procedure, stopped ones too
    response = client.get(f"{BASE}/procedures/export", {"format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "Thủ tục" in load_workbook(io.BytesIO(response.content)).sheetnames
    assert client.get(f"{BASE}/procedures/export", {"format": "pdf"}).status_code == 422


def import_doc(code="1.005280", level="xa") -> bytes:
    return json.dumps({"fields": [{"code": "hop-tac-xa", "name": "Hợp tác xã"}], "procedures": [
        {"code": code, "name": "Đăng ký thành lập hợp tác xã", "field": "hop-tac-xa", "level": level,
         "versions": [rules()]}]}).encode()


def test_import_requires_a_catalogue_manager(client, catalogue):
    url = f"{BASE}/procedures/import"
    response = client.post(url, import_doc(), content_type="application/json")
    assert response.status_code == 401
    login(client, make_user("chuyenvien", Role.SPECIALIST))
    response = client.post(url, import_doc(), content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert not Procedure.objects.filter(code="1.005280").exists()


def test_manager_imports_json(client, catalogue):
    login(client, make_user("quantri", Role.AGENCY_ADMIN))
    url = f"{BASE}/procedures/import"
    dry = client.post(f"{url}?dry_run=true", import_doc(), content_type="application/json")
    assert dry.status_code == 200 and dry.json()["dry_run"] and dry.json()["created"] == ["1.005280"]
    assert not Procedure.objects.filter(code="1.005280").exists()
    response = client.post(url, import_doc(), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["created"] == ["1.005280"] and response.json()["fields_created"] == ["hop-tac-xa"]
    assert client.get(f"{BASE}/procedures", {"q": "hop tac xa"}).json()["count"] == 1


def test_bad_import_is_a_400_with_every_error_and_stores_nothing(client, catalogue):
    login(client, make_user("quantri", Role.SYSTEM_ADMIN))
    response = client.post(f"{BASE}/procedures/import", import_doc(level="huyen"), content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "catalogue_invalid" and body["message"].startswith("Dữ liệu thủ tục không hợp lệ")
    assert body["details"][0].startswith("Thủ tục thứ 1 (1.005280): Cấp thực hiện không hợp lệ")
    response = client.post(f"{BASE}/procedures/import", b"{khong phai json", content_type="application/json")
    assert response.status_code == 400 and "JSON không hợp lệ" in response.json()["details"][0]
    assert not Procedure.objects.filter(code="1.005280").exists()


def test_catalogue_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/procedures", "/procedures/export", "/procedures/import", "/procedures/{code}",
                 "/procedures/{code}/versions", "/fields"):
        assert f"{BASE}{path}" in paths
    assert paths[f"{BASE}/procedures/import"]["post"]["requestBody"]["content"]["application/json"]
