"""Registers and statistics through the pages and the API: filters dd/mm/yyyy, downloads only for clerks,
leaders and agency administrators, Vietnamese 4xx for bad input."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook
from pypdf import PdfReader

from egov.documents.models import AssignmentRole
from egov.documents.tests import world_workfiles as ww
from egov.workdays.services import add_working_time

pytestmark = pytest.mark.django_db
BASE = "/api/v1/documents"
DAY = dt.date(2026, 3, 10)
PERIOD = {"date_from": "01/03/2026", "date_to": "31/03/2026"}


@pytest.fixture
def w():
    w = ww.world()
    first = ww.incoming_make(w, 1, received=ww.at(DAY), summary="Về việc tổ chức Ngày Pháp luật",
                             issuer_name="Bộ Tư pháp", number_notation="45/BTP-PBGDPL")
    ww.assignment_make(w, first, unit=w["legal"], due_at=add_working_time(ww.at(DAY), days=5),
                       completed_at=ww.at(DAY + dt.timedelta(days=1)), created_at=ww.at(DAY))
    ww.assignment_make(w, first, unit=w["office"], due_at=add_working_time(ww.at(DAY), days=1),
                       role=AssignmentRole.COOPERATING, created_at=ww.at(DAY))
    for number in range(2, 5):
        ww.incoming_make(w, number, received=ww.at(DAY, 10 + number))
    ww.outgoing_make(w, 1, issued=ww.at(DAY, 16), summary="Báo cáo kết quả Ngày Pháp luật", in_reply_to=first)
    ww.outgoing_make(w, 2, issued=ww.at(DAY, 17), electronic=False)
    return w


def _error(response, status: int, code: str, fragment: str = ""):
    assert response.status_code == status, response.content
    assert response.json()["code"] == code and fragment in response.json()["message"]


def test_register_api_json_excel_pdf(client, w):
    client.force_login(w["clerk"])
    page = client.get(f"{BASE}/registers/incoming", {**PERIOD, "page_size": 2}).json()
    assert page["count"] == 4 and page["pages"] == 2
    first = page["items"][0]
    assert first["arrival_number"] == "00001" and first["replies"] == "01/STP-VP"
    assert first["origin"] == "Bộ Tư pháp; 45/BTP-PBGDPL; 10/03/2026"
    second_page = client.get(f"{BASE}/registers/incoming", {**PERIOD, "page_size": 2, "page": 2}).json()
    assert [r["arrival_number"] for r in second_page["items"]] == ["00003", "00004"]
    outgoing = client.get(f"{BASE}/registers/outgoing", {**PERIOD,
                                                         "register_uuid": str(w["out_register"].uuid)}).json()
    assert [r["number_notation"] for r in outgoing["items"]] == ["01/STP-VP", "02/STP-VP"]
    assert set(outgoing["items"][0]) >= {"signer", "recipients", "keeper", "copies", "dispatched", "receipt"}

    book = load_workbook(io.BytesIO(client.get(f"{BASE}/registers/outgoing.xlsx", PERIOD).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[5][0] == "Số, ký hiệu văn bản" and [r[0] for r in rows[6:]] == ["01/STP-VP", "02/STP-VP"]
    response = client.get(f"{BASE}/registers/incoming.pdf", PERIOD)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "45/BTP-PBGDPL" in text and "00004" in text

    _error(client.get(f"{BASE}/registers/incoming", {"date_from": "31/02/2026", "date_to": "01/03/2026"}), 400,
           "invalid_date", "dd/mm/yyyy")
    _error(client.get(f"{BASE}/registers/incoming", {"date_from": "01/01/2025", "date_to": "01/03/2026"}), 400,
           "period_too_long")
    _error(client.get(f"{BASE}/registers/other.xlsx", PERIOD), 404, "unknown_register")
    _error(client.get(f"{BASE}/registers/incoming", {**PERIOD, "register_uuid": str(w["other_register"].uuid)}),
           404, "register_not_found")

    client.force_login(w["specialist"])
    assert client.get(f"{BASE}/registers/incoming", PERIOD).json()["count"] == 4
    _error(client.get(f"{BASE}/registers/incoming.xlsx", PERIOD), 403, "forbidden", "văn thư")
    client.force_login(w["other_clerk"])
    assert client.get(f"{BASE}/registers/incoming", PERIOD).json()["count"] == 0  # his own agency's register


def test_statistics_api_and_pages(client, w):
    client.force_login(w["leader"])
    body = client.get(f"{BASE}/statistics/handling", PERIOD).json()
    table = {r["label"]: (r["total"], r["done"], r["early"], r["overdue"]) for r in body["rows"]}
    assert table == {"Phòng Phổ biến, giáo dục pháp luật": (1, 1, 1, 0), "Văn phòng Sở": (1, 0, 0, 1)}
    assert body["totals"]["total"] == 2 and body["totals"]["on_time_rate"] == 100.0
    assert body["electronic"] == [{"agency_code": "STP", "agency_name": "Sở Tư pháp", "issued": 2, "electronic": 1,
                                   "share": 50.0}]
    book = load_workbook(io.BytesIO(client.get(f"{BASE}/statistics/handling.xlsx", PERIOD).content))
    assert list(book["Xử lý văn bản đến"].iter_rows(values_only=True))[-1][1:4] == ("Tổng cộng", 2, 1)

    page = client.get(reverse("documents:report_statistics"), {"tu_ngay": "01/03/2026", "den_ngay": "31/03/2026"})
    html = page.content.decode()
    assert page.status_code == 200 and "Văn phòng Sở" in html and ("50,0%" in html or "50.0%" in html)
    bad = client.get(reverse("documents:report_statistics"), {"tu_ngay": "hôm qua", "den_ngay": "31/03/2026"})
    assert bad.status_code == 400 and "dd/mm/yyyy" in bad.content.decode()

    registers = client.get(reverse("documents:registers"), {"so": "den", "tu_ngay": "01/03/2026",
                                                            "den_ngay": "31/03/2026"})
    html = registers.content.decode()
    assert registers.status_code == 200 and "45/BTP-PBGDPL" in html and 'data-testid="register-pdf"' in html
    excel = client.get(reverse("documents:registers_excel"), {"so": "di", "tu_ngay": "01/03/2026",
                                                              "den_ngay": "31/03/2026"})
    assert excel.status_code == 200 and "so-van-ban-di-STP-20260301-20260331" in excel["Content-Disposition"]
    reversed_period = client.get(reverse("documents:registers"), {"tu_ngay": "31/03/2026", "den_ngay": "01/03/2026"})
    assert reversed_period.status_code == 400 and "Đến ngày phải sau" in reversed_period.content.decode()

    client.force_login(w["specialist"])
    html = client.get(reverse("documents:registers"), {"tu_ngay": "01/03/2026", "den_ngay": "31/03/2026"})
    assert "45/BTP-PBGDPL" in html.content.decode() and 'data-testid="register-pdf"' not in html.content.decode()
    denied = client.get(reverse("documents:registers_pdf"), {"tu_ngay": "01/03/2026", "den_ngay": "31/03/2026"})
    assert denied.status_code == 403
    citizen = ww.user_make("congdan", "citizen", None)
    client.force_login(citizen)
    assert client.get(reverse("documents:registers")).status_code == 403


def test_openapi_lists_work_files_registers_and_statistics(client, w):
    client.force_login(w["clerk"])
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/documents/workfiles", "/api/v1/documents/workfiles/{ref}/documents",
                 "/api/v1/documents/workfiles/{ref}/hand-over", "/api/v1/documents/workfiles/{ref}/index.pdf",
                 "/api/v1/documents/registers/incoming", "/api/v1/documents/registers/{direction}.xlsx",
                 "/api/v1/documents/statistics/handling"):
        assert path in paths, path


def test_province_electronic_share_for_system_administrators(client, w):
    ww.outgoing_make(w, 5, issued=ww.at(DAY, 9), agency=w["other"])
    admin = ww.user_make("quantri", "system_admin", None)
    client.force_login(admin)
    device = TOTPDevice.objects.create(user=admin, name="test", confirmed=True)  # administrators pass 2FA
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    response = client.get(f"{BASE}/statistics/electronic", PERIOD)
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    assert [(r["agency_code"], r["issued"], r["electronic"]) for r in body["rows"]] == [("STP", 2, 1), ("SXD", 1, 1)]
    assert body["total"]["issued"] == 3 and body["total"]["share"] == 66.7 and body["target"] == 90
    client.force_login(w["leader"])
    _error(client.get(f"{BASE}/statistics/electronic", PERIOD), 403, "forbidden", "quản trị hệ thống")


def test_api_token_of_the_agency_reads_its_registers_and_statistics(client, w):
    from django.utils import timezone

    from egov.apiclients.services import token_issue

    ww.incoming_make(w, 9, received=ww.at(DAY, 15), secrecy=1, summary="Văn bản mật")
    expires = timezone.now() + dt.timedelta(days=30)
    _, secret = token_issue(actor=None, agency=w["agency"], name="Phần mềm báo cáo", scopes=["documents:read"],
                            expires_at=expires)
    _, other = token_issue(actor=None, agency=w["agency"], name="Danh bạ", scopes=["directory:read"],
                           expires_at=expires)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    rows = client.get(f"{BASE}/registers/incoming", PERIOD, **bearer).json()
    assert rows["count"] == 4 and "Văn bản mật" not in str(rows["items"])  # no secret document
    assert client.get(f"{BASE}/registers/outgoing.xlsx", PERIOD, **bearer).status_code == 200
    assert client.get(f"{BASE}/statistics/handling", PERIOD, **bearer).json()["totals"]["total"] == 2
    _error(client.get(f"{BASE}/registers/incoming", {**PERIOD, "agency": "SXD"}, **bearer), 403, "forbidden")
    _error(client.get(f"{BASE}/registers/incoming", PERIOD, HTTP_AUTHORIZATION=f"Bearer {other}"), 403,
           "insufficient_scope")
    _error(client.get(f"{BASE}/workfiles", **bearer), 403, "forbidden")
