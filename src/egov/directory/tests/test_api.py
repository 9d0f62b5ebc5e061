import datetime as dt

import pytest

from egov.accounts.models import User
from egov.directory import services

BASE = "/api/v1/directory"


@pytest.fixture
def specialist(make_official):
    return make_official("chuyenvien.stp", "specialist", full_name="Tô Minh Luân").user


def test_agencies_are_public_and_paginated(client, province):
    response = client.get(f"{BASE}/agencies", {"page_size": 2})
    body = response.json()
    assert response.status_code == 200
    assert (body["count"], body["page"], body["page_size"], body["pages"], len(body["items"])) == (6, 1, 2, 3, 2)
    page3 = client.get(f"{BASE}/agencies", {"page_size": 2, "page": 3}).json()
    codes = [a["code"] for a in body["items"]] + [a["code"] for a in page3["items"]]
    assert len(set(codes)) == 4
    first = client.get(f"{BASE}/agencies", {"q": "so tu phap"}).json()["items"][0]
    assert first["code_qcvn102"] == "000.00.05.H12" and first["parent_code"] == "UBND"
    assert first["kind_label"] == "Sở, ban, ngành"
    communes = client.get(f"{BASE}/agencies", {"kind": "xa"}).json()
    assert [a["code"] for a in communes["items"]] == ["DVHC-32191"]
    children = client.get(f"{BASE}/agencies", {"parent": "SNNMT"}).json()
    assert [a["code"] for a in children["items"]] == ["VPDKDD"]
    assert client.get(f"{BASE}/agencies", {"page_size": 100000}).status_code == 422
    assert client.get(f"{BASE}/agencies", {"kind": "bo"}).status_code == 422


def test_agency_by_any_code_with_successions(client, province, specialist):
    services.agency_merge(sources=[province["vpdk"]], into=province["snnmt"], effective_date=dt.date(2025, 7, 1),
                          decision="QĐ 10/QĐ-UBND")
    for code in ("STP", "000.00.05.H12", "H12.05", "stp"):
        assert client.get(f"{BASE}/agencies/{code}").json()["code"] == "STP"
    missing = client.get(f"{BASE}/agencies/KHONGCO")
    assert missing.status_code == 404 and missing.json()["message"] == "Không tìm thấy cơ quan mã “KHONGCO”."
    # The closed agency is hidden from the public, visible to officials with its successor.
    assert client.get(f"{BASE}/agencies/VPDKDD").status_code == 404
    client.force_login(specialist)
    closed = client.get(f"{BASE}/agencies/VPDKDD").json()
    assert closed["is_active"] is False and closed["valid_to"] == "2025-06-30"
    assert closed["successors"][0]["code"] == "SNNMT" and closed["successors"][0]["kind"] == "merge"
    target = client.get(f"{BASE}/agencies/SNNMT").json()
    assert target["predecessors"][0] == {"code": "VPDKDD", "name": "Văn phòng Đăng ký đất đai tỉnh Cà Mau",
                                         "kind": "merge", "kind_label": "Hợp nhất, sáp nhập",
                                         "effective_date": "2025-07-01", "decision": "QĐ 10/QĐ-UBND"}
    assert client.get(f"{BASE}/agencies", {"include_inactive": "true"}).json()["count"] == 6


def test_officials_need_an_official(client, province, specialist):
    assert client.get(f"{BASE}/officials").status_code == 401
    citizen = User.objects.create_user(username="congdan", role="citizen")
    client.force_login(citizen)
    response = client.get(f"{BASE}/officials")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert client.get(f"{BASE}/agencies/STP/officials").status_code == 403
    client.force_login(specialist)
    body = client.get(f"{BASE}/officials").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["username"], item["full_name"], item["role"], item["role_label"], item["agency_code"]) == (
        "chuyenvien.stp", "Tô Minh Luân", "specialist", "Chuyên viên", "STP")


def test_officials_filtered_and_visible_per_policy(client, province, specialist, make_official, login):
    gone = make_official("cu.stp", "clerk", full_name="Người Đã Nghỉ")
    services.official_deactivate(official=gone)
    make_official("vanthu.vp", "clerk", agency_key="vp", full_name="Lê Thị Mỹ Duyên")
    client.force_login(specialist)
    assert client.get(f"{BASE}/agencies/STP/officials").json()["count"] == 1  # the inactive one is hidden
    assert client.get(f"{BASE}/officials", {"q": "my duyen"}).json()["items"][0]["username"] == "vanthu.vp"
    assert client.get(f"{BASE}/officials", {"agency": "VP"}).json()["count"] == 1
    admin = make_official("qtcoquan.stp", "agency_admin").user
    login(admin)  # an administrator's session passes the second factor first
    response = client.get(f"{BASE}/agencies/STP/officials")
    assert response.status_code == 200, response.content
    assert response.json()["count"] == 3  # sees his inactive official


def test_openapi_lists_directory_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/directory/agencies", "/api/v1/directory/agencies/{code}",
            "/api/v1/directory/agencies/{code}/officials", "/api/v1/directory/officials"} <= set(paths)
