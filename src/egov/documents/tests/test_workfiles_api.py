"""Work files through the API and the pages: the same services, Vietnamese 4xx for bad input and nothing
changed, the index in Excel and PDF."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from egov.documents.models import WorkFile, WorkFileStatus
from egov.documents.tests import world_workfiles as ww

pytestmark = pytest.mark.django_db
BASE = "/api/v1/documents/workfiles"


@pytest.fixture
def w():
    return ww.world()


def _error(response, status: int, code: str, fragment: str = ""):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert fragment in body["message"]


def _create(client, **extra):
    data = {"year": str(timezone.localdate().year), "notation": "01.TCCB", "title": "Hồ sơ tổ chức cán bộ năm nay",
            "heading": "I. Tổ chức, cán bộ", "retention": "10-nam", **extra}
    return client.post(BASE, data, content_type="application/json")


def test_api_life_of_a_file(client, w):
    client.force_login(w["clerk"])
    created = _create(client, open_now=True)
    assert created.status_code == 201, created.content
    body = created.json()
    ref = body["uuid"]
    assert body["status"] == "open" and body["file_code"].startswith("000.00.05.H12.")
    first = ww.incoming_make(w, 1, received=ww.at(timezone.localdate()), page_count=4)
    reply = ww.outgoing_make(w, 1, issued=ww.at(timezone.localdate(), 15))
    added = client.post(f"{BASE}/{ref}/documents", {"incoming": str(first.uuid)}, content_type="application/json")
    assert added.status_code == 201 and added.json()["ordinal"] == 1
    added = client.post(f"{BASE}/{ref}/documents", {"outgoing": str(reply.uuid)}, content_type="application/json")
    assert added.json()["ordinal"] == 2 and added.json()["direction"] == "Đi"

    listed = client.get(BASE, {"year": timezone.localdate().year}).json()
    assert listed["count"] == 1 and listed["items"][0]["doc_total"] == 2
    index = client.get(f"{BASE}/{ref}/index").json()
    assert [i["number_notation"] for i in index["items"]] == ["1/UBND-VP", "01/STP-VP"]
    assert index["page_total"] == 5

    sheet = load_workbook(io.BytesIO(client.get(f"{BASE}/{ref}/index.xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "MỤC LỤC VĂN BẢN" and rows[6][2] == "1/UBND-VP" and rows[7][2] == "01/STP-VP"
    response = client.get(f"{BASE}/{ref}/index.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "MỤCLỤCVĂNBẢN" in text and "01/STP-VP" in text and "01.TCCB" in text

    closed = client.post(f"{BASE}/{ref}/close", {"retention": "vinh-vien"}, content_type="application/json")
    assert closed.status_code == 200 and closed.json()["retention_years"] is None
    # Closing a closed file: Vietnamese 409, nothing changed.
    _error(client.post(f"{BASE}/{ref}/close", {}, content_type="application/json"), 409, "invalid_state", "đã đóng")
    _error(client.post(f"{BASE}/{ref}/documents/remove", {"incoming": str(first.uuid)},
                       content_type="application/json"), 409, "invalid_state")
    handed = client.post(f"{BASE}/{ref}/hand-over")
    assert handed.status_code == 200 and handed.json()["status"] == "archived"

    client.force_login(w["leader"])
    approved = client.post(f"{BASE}/approve", {"year": str(timezone.localdate().year)},
                           content_type="application/json")
    assert approved.json() == {"year": timezone.localdate().year, "approved": 1}


def test_api_refusals_change_nothing(client, w):
    client.force_login(w["clerk"])
    ref = _create(client, retention="2-nam", open_now=True).json()["uuid"]
    foreign = ww.incoming_make(w, 1, received=ww.at(timezone.localdate()), agency=w["other"])
    _error(client.post(f"{BASE}/{ref}/documents", {"incoming": str(foreign.uuid)}, content_type="application/json"),
           403, "foreign_document", "của chính cơ quan")
    _error(client.post(f"{BASE}/{ref}/documents", {"incoming": "khong-phai-uuid"}, content_type="application/json"),
           400, "invalid_input", "không hợp lệ")
    _error(client.post(f"{BASE}/{ref}/documents", {}, content_type="application/json"), 400, "invalid_input")
    doc = ww.incoming_make(w, 2, received=ww.at(timezone.localdate()))
    client.post(f"{BASE}/{ref}/documents", {"incoming": str(doc.uuid)}, content_type="application/json")
    client.post(f"{BASE}/{ref}/close", {}, content_type="application/json")
    _error(client.post(f"{BASE}/{ref}/hand-over"), 409, "retention_too_short", "2 năm")
    work_file = WorkFile.objects.get(uuid=ref)
    assert work_file.status == WorkFileStatus.CLOSED and work_file.archived_at is None
    assert work_file.items.count() == 1
    _error(_create(client), 409, "duplicate_notation", "01.TCCB")
    _error(_create(client, notation="02.X", retention="mãi mãi"), 400, "invalid_retention")
    _error(client.post(f"{BASE}/{ref}/close", {"end_date": "32/13/2026"}, content_type="application/json"), 400,
           "invalid_date", "dd/mm/yyyy")
    _error(client.get(f"{BASE}/00000000-0000-0000-0000-000000000000"), 404, "workfile_not_found")
    assert WorkFile.objects.count() == 1

    # Another agency's clerk sees nothing of it; a specialist may not create.
    client.force_login(w["other_clerk"])
    _error(client.get(f"{BASE}/{ref}"), 404, "workfile_not_found")
    assert client.get(BASE).json()["count"] == 0
    client.force_login(w["specialist"])
    _error(_create(client, notation="03.X"), 403, "forbidden", "văn thư")


def test_pages_list_create_detail_and_actions(client, w):
    client.force_login(w["clerk"])
    response = client.get(reverse("documents:workfile_list"))
    assert response.status_code == 200 and "chưa có hồ sơ nào" in response.content.decode()
    response = client.post(reverse("documents:workfile_create"), {
        "nam": timezone.localdate().year, "ky_hieu": "01.TCCB", "tieu_de": "Hồ sơ tổ chức cán bộ",
        "thoi_han": "10-nam", "don_vi": str(w["office"].uuid), "mo_ngay": "1"})
    work_file = WorkFile.objects.get()
    assert response.status_code == 302 and work_file.status == WorkFileStatus.OPEN and work_file.unit == w["office"]
    bad = client.post(reverse("documents:workfile_create"), {"nam": "2026", "ky_hieu": "", "tieu_de": "x",
                                                            "thoi_han": "10-nam"})
    assert bad.status_code == 400 and "số, ký hiệu hồ sơ" in bad.content.decode()

    doc = ww.incoming_make(w, 7, received=ww.at(timezone.localdate()), summary="Về việc tuyển dụng công chức")
    detail = client.get(reverse("documents:workfile_detail", kwargs={"ref": work_file.uuid}), {"tim": "tuyển dụng"})
    assert detail.status_code == 200 and "Về việc tuyển dụng công chức" in detail.content.decode()
    action = reverse("documents:workfile_action", kwargs={"ref": work_file.uuid, "action": "them"})
    assert client.post(action, {"loai": "den", "van_ban": str(doc.uuid)}).status_code == 302
    again = client.post(action, {"loai": "den", "van_ban": str(doc.uuid)})
    assert again.status_code == 409 and "đã có trong hồ sơ" in again.content.decode()
    close = reverse("documents:workfile_action", kwargs={"ref": work_file.uuid, "action": "dong"})
    assert client.post(close, {"thoi_han": "10-nam"}).status_code == 302
    closed_again = client.post(close, {})
    assert closed_again.status_code == 409 and "đã đóng" in closed_again.content.decode()
    detail = client.get(reverse("documents:workfile_detail", kwargs={"ref": work_file.uuid}))
    assert 'data-testid="hand-over"' in detail.content.decode() and "7/UBND-VP" in detail.content.decode()
    xlsx = client.get(reverse("documents:workfile_index_excel", kwargs={"ref": work_file.uuid}))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")

    client.force_login(w["leader"])
    assert client.post(reverse("documents:workfile_list_approve"), {"nam": work_file.year}).status_code == 302
    work_file.refresh_from_db()
    assert work_file.approved_by == w["leader"]
    client.force_login(w["other_clerk"])
    assert client.get(reverse("documents:workfile_detail", kwargs={"ref": work_file.uuid})).status_code == 404
