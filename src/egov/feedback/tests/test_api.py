"""API: public submission (multipart, files checked, rate limit) and status by code; staff register and
actions with the same policies as the pages; the operations are in the OpenAPI schema."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.feedback import services
from egov.feedback.models import Feedback, Status
from egov.feedback.tests.world import pdf_upload, submit_kwargs, world_make

pytestmark = pytest.mark.django_db
BASE = "/api/v1/feedback"


@pytest.fixture
def w():
    cache.clear()
    yield world_make()
    cache.clear()


def test_public_submit_then_status_by_code(client, w):
    response = client.post(f"{BASE}/submissions", {**submit_kwargs(agency=str(w.stp.uuid)), "files": [pdf_upload()]})
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    fb = Feedback.objects.get(code=code)
    assert fb.agency == w.stp and fb.attachments.count() == 1
    status = client.get(f"{BASE}/status/{code}").json()
    assert status["status"] == "moi" and status["sender"] == "Nguyễn V** A*" and status["agency"] == "Sở Tư pháp"
    assert "sender_phone" not in status and "an@example.vn" not in str(status)
    missing = client.get(f"{BASE}/status/PAKN-2026-ZZZZZZZ")
    assert missing.status_code == 404 and missing.json()["code"] == "feedback_not_found"


def test_public_submit_refuses_bad_input_with_json_4xx(client, w):
    fake = SimpleUploadedFile("giay-to.pdf", b"GIF89a" + b"\x00" * 64)
    response = client.post(f"{BASE}/submissions", {**submit_kwargs(), "files": [fake]})
    assert response.status_code == 400 and response.json()["code"] == "file_content_mismatch"
    response = client.post(f"{BASE}/submissions", submit_kwargs(sender_phone="", sender_email=""))
    assert response.status_code == 400 and "số điện thoại hoặc thư điện tử" in response.json()["message"]
    response = client.post(f"{BASE}/submissions", {"kind": "phan_anh"})
    assert response.status_code in (400, 422)
    assert not Feedback.objects.exists()


def test_public_submit_is_rate_limited(client, w, settings):
    settings.FEEDBACK_SUBMIT_RATE_PER_MINUTE = 1
    assert client.post(f"{BASE}/submissions", submit_kwargs()).status_code == 201
    response = client.post(f"{BASE}/submissions", submit_kwargs())
    assert response.status_code == 429 and response["Retry-After"]


def test_staff_api_same_policies_and_workflow(client, w):
    fb = services.feedback_submit(**submit_kwargs())
    assert client.get(f"{BASE}/items").status_code == 401
    client.force_login(w.stp_officer)
    assert client.get(f"{BASE}/items").json()["count"] == 0
    assert client.get(f"{BASE}/items/{fb.code}").status_code == 404
    hidden = client.post(f"{BASE}/items/{fb.code}/actions/receive", {}, content_type="application/json")
    assert hidden.status_code == 404
    client.force_login(w.specialist)
    assert client.get(f"{BASE}/items").status_code == 403
    client.force_login(w.officer)
    listing = client.get(f"{BASE}/items").json()
    assert listing["count"] == 1 and listing["items"][0]["code"] == fb.code

    def act(action, **data):
        return client.post(f"{BASE}/items/{fb.code}/actions/{action}", data, content_type="application/json")

    body = act("receive").json()
    assert body["status"] == "da_tiep_nhan" and body["register_number"] == 1 and body["due_at"]
    bad = act("classify", classification="ngoai_tham_quyen")
    assert bad.status_code == 400 and bad.json()["code"] == "target_required"
    body = act("classify", classification="ngoai_tham_quyen", target_agency=str(w.stp.uuid)).json()
    assert body["status"] == Status.CHUYEN_CO_QUAN_KHAC and body["agency"] == "STP"
    assert act("answer", answer="Không còn thẩm quyền để trả lời").status_code == 403
    client.force_login(w.stp_officer)
    assert act("receive").json()["status"] == "da_tiep_nhan"
    assert act("classify", classification="thuoc_tham_quyen").json()["status"] == "dang_xu_ly"
    assert act("publish").status_code == 409
    assert act("answer", answer="Sở Tư pháp đã kiểm tra và trả lời như sau.").json()["answered_on_time"] is True
    assert act("publish").json()["status"] == "da_cong_khai"
    assert act("nonsense").status_code == 404
    rate = client.get(f"{BASE}/on-time-rate", {"start": "2020-01-01", "end": "2099-12-31"}).json()
    assert rate["closed"] == 1 and rate["rate"] == 100.0


def test_operations_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/submissions", "/status/{code}", "/items", "/items/{code}", "/items/{code}/actions/{action}",
                 "/on-time-rate"):
        assert f"/api/v1/feedback{path}" in paths


def test_schema_components_are_ours(client):
    """Component names are global in the schema: ours carry the Feedback prefix and the right fields."""
    components = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "target_agency" in components["FeedbackActionIn"]["properties"]
    assert "timeline" in components["FeedbackPublicStatusOut"]["properties"]
