"""Reception over /api/v1/onestop/: multipart counter reception, the waiting queue's actions, form PDFs, and
bad input answered with a Vietnamese JSON error, no state change, never a 500."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from egov.onestop.models import Channel, Dossier, DossierCounter, DossierFile
from egov.onestop.status import DossierStatus
from egov.onestop.tests import factories as f

VN = ZoneInfo("Asia/Ho_Chi_Minh")
BASE = "/api/v1/onestop/dossiers"

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    agency = f.agency_make()
    officer = f.officer_make(agency)
    procedure = f.procedure_make()
    return {"agency": agency, "officer": officer, "procedure": procedure}


@pytest.fixture
def api(client, world):
    client.force_login(world["officer"])
    return client


def form(world, **extra):
    data = {"procedure_code": world["procedure"].code, "applicant_name": "Nguyễn Văn Ấn",
            "applicant_id_number": "096085001234", "applicant_phone": "0912345678", "copies": "1"}
    for paper in f.submit_papers(world["procedure"]):
        data[f"paper_{paper.uuid}"] = f.upload(f"giay-{paper.order}.pdf")
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def assert_error(response, status: int, code: str, fragment: str = ""):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert fragment in body["message"]
    return body


def test_receive_accepts_and_links_form01(api, world):
    response = api.post(f"{BASE}/receive", form(world, form_data=json.dumps({"ho_ten_tre": "Bé An"})))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "received" and body["national_status"] == 2
    assert body["code"].startswith("000.00.05.H12-") and body["code"].endswith("-0001")
    assert body["due_display"] and body["received_display"]
    assert [s["order"] for s in body["steps"]] == [1, 2]
    assert body["forms"][0]["form_code"] == "01"
    pdf = api.get(body["forms"][0]["url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    assert Dossier.objects.get(code=body["code"]).form_data == {"ho_ten_tre": "Bé An"}


def test_several_files_for_one_paper(api, world):
    first = f.submit_papers(world["procedure"])[0]
    data = form(world)
    data[f"paper_{first.uuid}"] = [f.upload("trang-1.pdf"), f.upload("trang-2.jpg", f.jpeg_bytes(), "image/jpeg")]
    response = api.post(f"{BASE}/receive", data)
    assert response.status_code == 201, response.content
    assert DossierFile.objects.filter(required_paper=first).count() == 2


@pytest.mark.parametrize(
    ("changes", "status", "code", "fragment"),
    [
        ({"procedure_code": "9.999999"}, 400, "unknown_procedure", "Không tìm thấy thủ tục hành chính mã “9.999999”"),
        ({"procedure_code": ""}, 400, "procedure_required", "Chưa chọn thủ tục"),
        ({"applicant_name": ""}, 400, "invalid_applicant", "họ tên"),
        ({"copies": "nhiều"}, 400, "invalid_copies", "Số bộ hồ sơ"),
        ({"form_data": "{không phải json"}, 400, "invalid_form_data", "JSON"),
        ({"form_data": "[1, 2]"}, 400, "invalid_form_data", "đối tượng JSON"),
        ({"result_delivery": "bay"}, 400, "invalid_result_delivery", "Nơi nhận kết quả"),
        ({"paper_khong-phai-uuid": f.upload("x.pdf")}, 400, "unknown_paper", "không thuộc thành phần hồ sơ"),
        ({"giay_to": f.upload("x.pdf")}, 400, "unknown_file_field", "paper_<uuid"),
    ],
)
def test_bad_input_is_a_vietnamese_4xx_and_changes_nothing(api, world, changes, status, code, fragment):
    response = api.post(f"{BASE}/receive", form(world, **changes))
    assert_error(response, status, code, fragment)
    assert Dossier.objects.count() == 0 and DossierFile.objects.count() == 0 and DossierCounter.objects.count() == 0


def test_missing_paper_and_fake_pdf(api, world):
    papers = f.submit_papers(world["procedure"])
    data = form(world)
    del data[f"paper_{papers[1].uuid}"]
    body = assert_error(api.post(f"{BASE}/receive", data), 400, "missing_papers", "Giấy chứng sinh")
    assert body["details"] == [{"required_paper": str(papers[1].uuid), "name": "Giấy chứng sinh"}]

    data = form(world)
    data[f"paper_{papers[0].uuid}"] = f.upload("to-khai.pdf", b"Day la van ban, khong phai PDF", "application/pdf")
    assert_error(api.post(f"{BASE}/receive", data), 400, "file_content_mismatch",
                 "Tệp “to-khai.pdf” không phải là tệp PDF thật (nội dung là văn bản thuần)")
    assert Dossier.objects.count() == 0 and DossierFile.objects.count() == 0


def test_who_may_receive(client, world):
    response = client.post(f"{BASE}/receive", form(world))
    assert response.status_code == 401
    client.force_login(f.user_make("chuyenvien", role="specialist", agency=world["agency"]))
    assert_error(client.post(f"{BASE}/receive", form(world)), 403, "forbidden", "cán bộ một cửa")
    client.force_login(f.user_make("motcua.tudo", role="onestop_officer"))  # no agency: no counter
    assert_error(client.post(f"{BASE}/receive", form(world)), 403, "forbidden")
    assert Dossier.objects.count() == 0


def test_counter_supplement_and_refusal(api, world):
    papers = f.submit_papers(world["procedure"])
    data = form(world, reason="Thiếu giấy chứng sinh")
    del data[f"paper_{papers[1].uuid}"]
    response = api.post(f"{BASE}/receive/supplement", data)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "reception_supplement" and body["code"] is None and body["national_status"] == 5
    assert body["forms"][0]["form_code"] == "02"
    assert api.get(body["forms"][0]["url"]).status_code == 200  # addressed by UUID before it has a code

    # The applicant returns with the missing paper: accepted, code given.
    response = api.post(f"{BASE}/{body['uuid']}/accept", {f"paper_{papers[1].uuid}": f.upload("chung-sinh.pdf")})
    assert response.status_code == 200, response.content
    accepted = response.json()
    assert accepted["status"] == "received" and accepted["code"]
    assert {form["form_code"] for form in accepted["forms"]} == {"01", "02"}

    assert_error(api.post(f"{BASE}/receive/refusal", form(world, reason="")), 400, "reason_required")
    response = api.post(f"{BASE}/receive/refusal", form(world, reason="Không thuộc thẩm quyền"))
    assert response.status_code == 201 and response.json()["status"] == "refused"
    assert response.json()["national_status"] == 3


def _online(world) -> Dossier:
    procedure = world["procedure"]
    dossier = Dossier.objects.create(
        procedure=procedure, procedure_version=procedure.current_version, receiving_agency=world["agency"],
        current_agency=world["agency"], status=DossierStatus.SUBMITTED, channel=Channel.ONLINE,
        applicant_name="Phạm Thị Mai", submitted_at=dt.datetime(2025, 7, 11, 20, tzinfo=VN),
    )
    return dossier


def test_waiting_dossier_actions(api, world):
    dossier = _online(world)
    ref = str(dossier.uuid)
    assert_error(api.post(f"{BASE}/{ref}/accept"), 400, "missing_papers", "Tờ khai đăng ký khai sinh")
    assert_error(api.post(f"{BASE}/{ref}/reception-supplement", {"reason": "Thiếu", "items": ""},
                          content_type="application/json"), 400, "items_required")
    response = api.post(f"{BASE}/{ref}/reception-supplement",
                        {"reason": "Thiếu giấy tờ", "items": "Tải lên tờ khai\nTải lên giấy chứng sinh"},
                        content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "reception_supplement"
    assert_error(api.post(f"{BASE}/{ref}/reception-supplement", {"reason": "Lần hai", "items": "x"},
                          content_type="application/json"), 409, "supplement_already_requested")
    response = api.post(f"{BASE}/{ref}/reception-refusal", {"reason": "Quá hạn bổ sung"},
                        content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "refused"
    assert_error(api.post(f"{BASE}/{ref}/reception-refusal", {"reason": "Lại"}, content_type="application/json"),
                 409, "not_waiting_for_reception")


@pytest.mark.parametrize("ref", ["khong-ton-tai", "000.00.05.H12-250714-0042", "00000000-0000-0000-0000-000000000000",
                                 "x" * 300])
def test_unknown_dossier_refs(api, ref):
    assert_error(api.post(f"{BASE}/{ref}/accept"), 404, "dossier_not_found")
    assert_error(api.get(f"{BASE}/{ref}/forms/01.pdf"), 404, "dossier_not_found")


def test_form_pdf_errors_and_visibility(api, client, world):
    code = api.post(f"{BASE}/receive", form(world)).json()["code"]
    assert_error(api.get(f"{BASE}/{code}/forms/02.pdf"), 404, "form_not_found", "Mẫu số 02")
    assert_error(api.get(f"{BASE}/{code}/forms/99.pdf"), 404, "unknown_form")
    other = f.agency_make(code="SXD", name="Sở Xây dựng", code_qcvn102="000.00.07.H12", code_qd20="H12.07")
    client.force_login(f.officer_make(other, username="motcua.sxd"))
    assert_error(client.get(f"{BASE}/{code}/forms/01.pdf"), 404, "dossier_not_found")


def test_openapi_lists_reception(api):
    schema = api.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/onestop/dossiers/receive", "/api/v1/onestop/dossiers/{ref}/accept",
                 "/api/v1/onestop/dossiers/{ref}/forms/{form_code}.pdf"):
        assert path in schema["paths"]
