"""The citizens' one-stop API (/api/v1/onestop/online/): the same services as the pages, over real HTTP
through the Django test client, on the database of the run."""

import json

import pytest

from egov.eservices.tests.conftest import declaration, move, papers_of, receive
from egov.eservices.tests.test_dossier_pages import _finished_with_result
from egov.onestop.models import Dossier, DossierFile, FileRole, Rating
from egov.onestop.status import DossierStatus
from egov.onestop.tests import factories

BASE = "/api/v1/onestop/online"
ANSWERS = {"thoi_gian": "dung", "so_co_quan": "0", "so_lan_lien_he": "0", "thong_tin_cong_khai": "chinh_xac",
           "thai_do": "hai_long", "ket_qua": "dung", "truc_tuyen": "tot"}


def _submission(world, **overrides) -> dict:
    procedure = world["procedure"]
    data = {"procedure_code": procedure.code, "receiving_agency_code": world["commune"].code,
            "form_data": json.dumps(declaration()), "applicant_phone": "0912345678"}
    for paper in papers_of(procedure):
        data[f"paper_{paper.uuid}"] = factories.upload(f"giay-{paper.order}.pdf")
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_procedures_offered_online_are_public_with_papers_and_agencies(client, world):
    response = client.get(f"{BASE}/procedures", {"q": "khai sinh"})
    assert response.status_code == 200
    [found] = response.json()
    assert found["code"] == "1.001193" and found["online_mode"] == "full" and found["online_result"] is True
    assert {a["code"] for a in found["receiving_agencies"]} >= {world["commune"].code}
    assert {p["name"] for p in found["papers"]} == {p.name for p in papers_of(world["procedure"], skip_optional=False)}
    assert found["form_schema"][0]["name"] == "ho_ten_tre"
    codes = [item["code"] for item in client.get(f"{BASE}/procedures").json()]
    assert world["offline"].code not in codes


@pytest.mark.django_db
def test_citizen_submits_and_follows_the_dossier(client, world):
    client.force_login(world["citizen"])
    response = client.post(f"{BASE}/dossiers", _submission(world))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == DossierStatus.SUBMITTED and body["national_status"] == 1 and body["code"] is None
    assert body["receiving_agency"]["code"] == world["commune"].code
    assert {f["role"] for f in body["files"]} == {FileRole.PAPER}
    dossier = Dossier.objects.get(uuid=body["uuid"])
    assert dossier.channel == "online" and dossier.applicant_user == world["citizen"]
    assert dossier.form_data["ho_ten_tre"] == "Nguyễn Văn Bé"

    receive(dossier, world["officer"])
    listing = client.get(f"{BASE}/dossiers").json()
    assert [item["uuid"] for item in listing] == [body["uuid"]]
    assert listing[0]["status"] == DossierStatus.RECEIVED and listing[0]["code"]
    detail = client.get(f"{BASE}/dossiers/{body['uuid']}").json()
    assert detail["events"][0]["kind"] == "submit" and detail["due_at"]

    paper = body["files"][0]
    download = client.get(paper["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_bad_submissions_get_vietnamese_4xx_and_store_nothing(client, world):
    client.force_login(world["citizen"])
    before = (Dossier.objects.count(), DossierFile.objects.count())
    missing = _submission(world)
    for key in [k for k in missing if k.startswith("paper_")]:
        del missing[key]
    cases = [
        (missing, 422, "Thiếu thành phần hồ sơ bắt buộc"),
        (_submission(world, procedure_code="9.999999"), 404, "Không tìm thấy"),
        (_submission(world, procedure_code=world["offline"].code), 409, "chưa cung cấp dịch vụ công trực tuyến"),
        (_submission(world, form_data="{không phải json"), 400, "JSON"),
        (_submission(world, receiving_agency_code=world["department"].code), 422, "Nơi tiếp nhận"),
    ]
    for data, status, message in cases:
        response = client.post(f"{BASE}/dossiers", data)
        assert response.status_code == status, (data.get("procedure_code"), response.content)
        assert message in response.json()["message"]
    disguised = _submission(world)
    key = next(k for k in disguised if k.startswith("paper_"))
    disguised[key] = factories.upload("anh.pdf", content=factories.png_bytes())
    response = client.post(f"{BASE}/dossiers", disguised)
    assert response.status_code == 422 and "PNG" in response.json()["message"]
    assert (Dossier.objects.count(), DossierFile.objects.count()) == before


@pytest.mark.django_db
def test_only_citizens_and_only_their_own_dossiers(client, world, submit):
    dossier = submit()
    assert client.get(f"{BASE}/dossiers").status_code == 401
    client.force_login(world["officer"])
    refused = client.get(f"{BASE}/dossiers")
    assert refused.status_code == 403 and "công dân" in refused.json()["message"]
    client.force_login(world["other_citizen"])
    assert client.get(f"{BASE}/dossiers").json() == []
    hidden = client.get(f"{BASE}/dossiers/{dossier.uuid}")
    assert hidden.status_code == 404 and hidden.json()["message"] == "Không tìm thấy hồ sơ."
    assert client.get(f"{BASE}/dossiers/khong-phai-uuid").status_code == 404


@pytest.mark.django_db
def test_supplement_withdraw_and_rating_over_the_api(client, world, submit):
    from egov.onestop import reception

    dossier = reception.dossier_request_supplement_online(
        actor=world["officer"], dossier=submit(), reason="Ảnh giấy chứng sinh bị mờ",
        items=["Giấy chứng sinh: chụp lại rõ nét"])
    client.force_login(world["citizen"])
    detail = client.get(f"{BASE}/dossiers/{dossier.uuid}").json()
    assert detail["can_supplement"] and detail["supplement_request"]
    empty = client.post(f"{BASE}/dossiers/{dossier.uuid}/supplement", {"note": "x"})
    assert empty.status_code == 422 and "Chưa chọn tệp" in empty.json()["message"]
    sent = client.post(f"{BASE}/dossiers/{dossier.uuid}/supplement",
                       {"note": "Gửi lại bản rõ", "files": [factories.upload("chung-sinh-ro.pdf")]})
    assert sent.status_code == 200 and sent.json()["status"] == DossierStatus.SUBMITTED

    withdrawn = client.post(f"{BASE}/dossiers/{dossier.uuid}/withdraw", {"reason": "Nộp nhầm"},
                            content_type="application/json")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == DossierStatus.WITHDRAWN
    again = client.post(f"{BASE}/dossiers/{dossier.uuid}/withdraw", {}, content_type="application/json")
    assert again.status_code == 409

    finished, result = _finished_with_result(world, submit)
    detail = client.get(f"{BASE}/dossiers/{finished.uuid}").json()
    assert detail["can_rate"] and any(f["role"] == FileRole.RESULT for f in detail["files"])
    incomplete = client.post(f"{BASE}/dossiers/{finished.uuid}/rating", {"overall": 5},
                             content_type="application/json")
    assert incomplete.status_code in (400, 422) and not Rating.objects.exists()
    rated = client.post(f"{BASE}/dossiers/{finished.uuid}/rating", {"overall": 5, "answers": ANSWERS},
                        content_type="application/json")
    assert rated.status_code == 201 and rated.json()["can_rate"] is False
    assert Rating.objects.get(dossier=finished).answers["_source"] == "online"


@pytest.mark.django_db
def test_result_is_downloadable_only_when_finished(client, world, submit):
    dossier = move(receive(submit(), world["officer"]), DossierStatus.PROCESSING, "assign", world["officer"])
    from egov.onestop import files as onestop_files

    early = onestop_files.dossier_file_store(
        dossier=dossier, checked=onestop_files.upload_check(factories.upload("du-thao.pdf")), role=FileRole.RESULT)
    client.force_login(world["citizen"])
    assert client.get(f"{BASE}/dossiers/{dossier.uuid}/files/{early.uuid}").status_code == 404
    assert all(f["role"] != FileRole.RESULT for f in client.get(f"{BASE}/dossiers/{dossier.uuid}").json()["files"])


@pytest.mark.django_db
def test_online_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/procedures", "/dossiers", "/dossiers/{dossier_uuid}", "/dossiers/{dossier_uuid}/supplement",
                 "/dossiers/{dossier_uuid}/withdraw", "/dossiers/{dossier_uuid}/rating",
                 "/dossiers/{dossier_uuid}/files/{file_uuid}"):
        assert f"{BASE}{path}" in paths
