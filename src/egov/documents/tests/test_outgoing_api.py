"""The outgoing API under /api/v1/documents/: the chain, issue, reception, recall, and bad input as Vietnamese
JSON 4xx with nothing changed."""

import pytest

from egov.documents.models import DeliveryStatus, OutgoingDocument, OutgoingStatus
from egov.documents.tests import world_outgoing as w

pytestmark = pytest.mark.django_db
BASE = "/api/v1/documents"


@pytest.fixture
def world():
    world = w.world_make()
    w.credentials(world)
    return world


def login(client, user):
    client.force_login(user)
    return client


def post(client, path, data=None):
    return client.post(f"{BASE}{path}", data or {}, content_type="application/json")


def test_chain_issue_and_reception_over_the_api(client, world):
    login(client, world.drafter)
    response = post(client, "/outgoing", {"document_type": "cong-van", "summary": "V/v báo cáo quý IV",
                                          "recipients": ["STP"], "urgency": 1})
    assert response.status_code == 201, response.content
    uuid = response.json()["uuid"]
    assert response.json()["recipients"] == ["STP"] and response.json()["drafting_unit"] == "VP"
    response = client.put(f"{BASE}/outgoing/{uuid}", {"document_type": "cong-van", "summary": "V/v báo cáo quý IV "
                          "năm 2026", "recipients": ["STP"]}, content_type="application/json")
    assert response.status_code == 200 and response.json()["summary"] == "V/v báo cáo quý IV năm 2026"
    response = client.post(f"{BASE}/outgoing/{uuid}/versions", {"file": w.pdf_upload(), "note": "Bản đầu"})
    assert response.status_code == 201 and response.json()["versions"][0]["version"] == 1
    assert response.json()["actions"] == ["upload", "submit"]
    assert post(client, f"/outgoing/{uuid}/actions/submit", {"reviewer": "cvp.snv"}).status_code == 200

    login(client, world.head)
    assert [r["uuid"] for r in client.get(f"{BASE}/outgoing?tab=review").json()["items"]] == [uuid]
    response = post(client, f"/outgoing/{uuid}/actions/approve", {"signer": str(world.leader.uuid)})
    assert response.status_code == 200 and response.json()["status"] == "approved"

    login(client, world.leader)
    assert post(client, f"/outgoing/{uuid}/actions/sign").json()["status"] == "signed"
    login(client, world.clerk)
    body = post(client, f"/outgoing/{uuid}/actions/issue").json()
    assert body["status"] == "issued" and body["number_notation"] == "00001/SNV-VP"
    assert [d["status"] for d in body["deliveries"]] == ["01"]
    assert [e["action"] for e in body["events"]][-3:] == ["approved", "signed", "issued"]
    main = next(f for f in body["signed_files"] if f["kind"] == "main")
    download = client.get(f"{BASE}/outgoing/{uuid}/files/{main['uuid']}")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")

    login(client, world.recipient_clerk)
    waiting = client.get(f"{BASE}/deliveries/waiting").json()["items"]
    assert [(x["number_notation"], x["sender_code"], x["arrival_number"]) for x in waiting] == [
        ("00001/SNV-VP", "SNV", 1)]
    assert client.get(f"{BASE}/outgoing/{uuid}").status_code == 404  # recipients see only their copy
    response = post(client, f"/deliveries/{waiting[0]['uuid']}/reject", {"reason": ""})
    assert response.status_code == 400 and response.json()["code"] == "reason_required"
    response = post(client, f"/deliveries/{waiting[0]['uuid']}/accept")
    assert response.status_code == 200 and response.json()["status"] == "03"

    login(client, world.clerk)
    response = post(client, f"/outgoing/{uuid}/actions/recall", {"reason": "Sai số liệu"})
    assert response.status_code == 200 and response.json()["status"] == "recalled"
    trail = [e["status"] for e in response.json()["deliveries"][0]["trail"]]
    assert trail == ["01", "03", "13"]


def test_bad_input_is_vietnamese_4xx_and_nothing_changes(client, world):
    login(client, world.drafter)
    response = post(client, "/outgoing", {"document_type": "khong-co", "summary": "X"})
    assert response.status_code == 400 and response.json()["message"].startswith("Không có loại văn bản")
    response = post(client, "/outgoing", {"document_type": "cong-van", "summary": "X", "recipients": ["NOPE"]})
    assert response.status_code == 400 and "Không tìm thấy cơ quan nhận" in response.json()["message"]
    assert post(client, "/outgoing", {"summary": "thiếu loại"}).status_code == 422
    assert not OutgoingDocument.objects.exists()

    document = w.signed_document(world)
    response = post(client, f"/outgoing/{document.uuid}/actions/issue")
    assert response.status_code == 403 and "văn thư" in response.json()["message"]
    response = post(client, f"/outgoing/{document.uuid}/actions/dance")
    assert response.status_code == 422
    login(client, world.clerk)
    response = post(client, f"/outgoing/{document.uuid}/actions/issue", {"register_uuid": str(world.legal.uuid)})
    assert response.status_code == 400 and response.json()["code"] == "invalid_register"
    response = post(client, f"/outgoing/{document.uuid}/actions/sign")
    assert response.status_code == 403
    document.refresh_from_db()
    assert document.status == OutgoingStatus.SIGNED and document.number_notation == ""

    login(client, world.outsider)
    assert client.get(f"{BASE}/outgoing/{document.uuid}").status_code == 404
    assert client.get(f"{BASE}/outgoing/not-a-uuid").status_code in (404, 422)
    assert post(client, f"/outgoing/{document.uuid}/actions/issue").status_code == 404
    assert client.get(f"{BASE}/deliveries/waiting").json()["count"] == 0


def test_no_pdf_to_sign_over_the_api(client, world):
    login(client, world.drafter)
    uuid = post(client, "/outgoing", {"document_type": "cong-van", "summary": "Chỉ DOCX"}).json()["uuid"]
    client.post(f"{BASE}/outgoing/{uuid}/versions", {"file": w.docx_upload()})
    post(client, f"/outgoing/{uuid}/actions/submit", {"reviewer": "gd.snv"})
    login(client, world.leader)
    post(client, f"/outgoing/{uuid}/actions/approve", {"signer": "gd.snv"})
    response = post(client, f"/outgoing/{uuid}/actions/sign")
    assert response.status_code == 400 and response.json()["code"] == "no_pdf_to_sign"
    assert OutgoingDocument.objects.get(uuid=uuid).status == OutgoingStatus.APPROVED
    assert not OutgoingDocument.objects.get(uuid=uuid).deliveries.filter(status=DeliveryStatus.DELIVERED).exists()


def test_openapi_lists_the_outgoing_operations(client, world):
    login(client, world.drafter)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {f"{BASE}/outgoing", f"{BASE}/outgoing/{{uuid}}/actions/{{action}}", f"{BASE}/deliveries/waiting",
            f"{BASE}/deliveries/{{uuid}}/reject"} <= set(paths)
