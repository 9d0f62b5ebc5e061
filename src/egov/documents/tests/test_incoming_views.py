"""Incoming pages through the Django test client, and the API with the same rules."""

import datetime as dt

import pytest
from django.urls import reverse

from egov.documents.models import Assignment, IncomingDocument, IncomingStatus
from egov.documents.services import handling
from egov.documents.services.incoming import file_upload_any
from egov.documents.tests.world_incoming import pdf_upload, register, world_make
from egov.notify.models import Message

pytestmark = pytest.mark.django_db


def _form(w, **overrides):
    data = {"register": str(w.register.uuid), "received_at": "2026-11-23T09:00", "channel": "paper",
            "number": "45", "notation": "UBND-VP", "issued_date": "20/11/2026",
            "issuer_name": "Ủy ban nhân dân tỉnh Cà Mau", "document_type": "cong-van",
            "summary": "Về việc báo cáo kết quả thực hiện Đề án 06 năm 2026", "urgency": "1", "secrecy": "0"}
    data.update(overrides)
    return data


def test_clerk_registers_with_bad_input_sees_a_vietnamese_error_and_nothing_is_stored(client):
    w = world_make()
    client.force_login(w.clerk)
    url = reverse("documents:incoming_register")
    response = client.post(url, _form(w, summary=""))
    assert response.status_code == 400
    assert "Cần nhập trích yếu nội dung văn bản." in response.content.decode()
    response = client.post(url, _form(w, issued_date="31/02/2026"))
    assert response.status_code == 400 and "Ngày văn bản “31/02/2026” không hợp lệ" in response.content.decode()
    assert 'value="45"' in response.content.decode()  # what the clerk typed stays in the form
    assert not IncomingDocument.objects.exists()


def test_clerk_registers_from_an_uploaded_file_with_suggestions_and_is_warned_of_a_duplicate(client):
    w = world_make()
    original = register(w, number="45", notation="UBND-VP", issued_date=dt.date(2026, 11, 20))
    record = file_upload_any(actor=w.clerk, agency=w.agency, uploaded_file=pdf_upload())
    record.suggestions = {"number_notation": "45/UBND-VP", "issued_date": "2026-11-20",
                          "issuer_name": "Ủy ban nhân dân tỉnh Cà Mau", "type_code": "cong-van",
                          "summary": "Về việc báo cáo Đề án 06"}
    record.save()
    client.force_login(w.clerk)
    page = client.get(reverse("documents:incoming_register") + f"?file={record.uuid}").content.decode()
    assert 'value="45"' in page and 'value="UBND-VP"' in page and "Về việc báo cáo Đề án 06" in page
    response = client.post(reverse("documents:incoming_register"), _form(w, files=[str(record.uuid)]), follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Đã vào sổ văn bản đến, số đến 02/2026." in text
    assert "có thể trùng với văn bản đến số 01/2026" in text
    document = IncomingDocument.objects.get(arrival_number=2)
    assert document.possible_duplicate_of == original and list(document.files.all()) == [record]


def test_pages_for_leader_and_specialist_and_another_agency(client):
    w = world_make()
    document = register(w, urgency=2)
    client.force_login(w.leader)
    detail = reverse("documents:incoming_detail", kwargs={"uuid": document.uuid})
    page = client.get(detail).content.decode()
    assert 'data-testid="direct-form"' in page
    response = client.post(reverse("documents:incoming_direct", kwargs={"uuid": document.uuid}),
                           {"lead": "user:chuyenvien.t", "instruction": "Xử lý gấp", "due_days": "abc"})
    assert response.status_code == 400 and "Số ngày làm việc “abc” không hợp lệ." in response.content.decode()
    response = client.post(reverse("documents:incoming_direct", kwargs={"uuid": document.uuid}),
                           {"lead": "user:chuyenvien.t", "cooperating": [f"unit:{w.unit2.uuid}"],
                            "instruction": "Xử lý gấp", "due_days": "3"})
    assert response.status_code == 302
    lead = Assignment.objects.get(role="lead")
    assert lead.assignee == w.specialist and lead.due_at is not None

    client.force_login(w.specialist)
    listing = client.get(reverse("documents:incoming_list") + "?tab=mine").content.decode()
    assert document.summary[:40] in listing and "Thượng khẩn" in listing
    assert 'data-testid="my-assignment"' in client.get(detail).content.decode()
    action = reverse("documents:assignment_action", kwargs={"uuid": lead.uuid, "action": "complete"})
    response = client.post(action, {"note": ""})
    assert response.status_code == 400 and "Cần nhập kết quả xử lý" in response.content.decode()
    response = client.post(action, {"note": "Đã báo cáo", "file": pdf_upload("ket-qua.pdf")})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == IncomingStatus.DONE
    result = document.files.get(kind="result")
    assert client.get(reverse("documents:incoming_file", kwargs={"uuid": result.uuid})).status_code == 200

    client.force_login(w.other_clerk)
    assert client.get(detail).status_code == 404
    assert client.get(reverse("documents:incoming_file", kwargs={"uuid": result.uuid})).status_code == 404
    assert document.summary[:40] not in client.get(reverse("documents:incoming_list") + "?tab=all").content.decode()
    assert client.get(reverse("documents:incoming_register")).status_code == 200  # her own agency's form
    client.force_login(w.specialist)
    assert client.get(reverse("documents:incoming_register")).status_code == 403


def test_notification_page_lists_and_marks_read(client):
    w = world_make()
    document = register(w)
    handling.incoming_direct(actor=w.leader, document=document, lead_assignee=w.specialist)
    client.force_login(w.specialist)
    page = client.get(reverse("notify:message_list")).content.decode()
    assert "Văn bản đến được giao" in page
    assert '<span class="badge text-bg-danger">1</span></a>' in page  # the unread count in the navbar
    message = Message.objects.get(recipient=w.specialist)
    response = client.post(reverse("notify:message_read", kwargs={"uuid": message.uuid}))
    assert response.status_code == 302 and response["Location"].endswith(f"/den/{document.uuid}/")
    message.refresh_from_db()
    assert message.read_at is not None
    client.force_login(w.colleague)
    assert client.post(reverse("notify:message_read", kwargs={"uuid": message.uuid})).status_code == 404


API = "/api/v1/documents"


def test_api_register_direct_progress_complete_with_the_same_rules(client):
    w = world_make()
    client.force_login(w.clerk)
    payload = {"register_uuid": str(w.register.uuid), "summary": "Về việc tổng kết năm 2026", "number": "7",
               "notation": "SNV-VP", "issued_date": "2026-11-20", "issuer_name": "Sở Nội vụ",
               "received_at": "2026-11-23T08:30:00+07:00", "document_type": "cong-van"}
    response = client.post(f"{API}/incoming", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["arrival_label"] == "01/2026" and body["number_notation"] == "7/SNV-VP"
    uuid = body["uuid"]
    bad = client.post(f"{API}/incoming", {**payload, "summary": " "}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "summary_required"
    assert client.post(f"{API}/incoming/{uuid}/direct", {"lead_assignee": "chuyenvien.t"},
                       content_type="application/json").status_code == 403

    client.force_login(w.leader)
    response = client.post(f"{API}/incoming/{uuid}/direct",
                           {"lead_unit": str(w.unit.uuid), "due_days": "5", "instruction": "Tham mưu"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "assigned"
    again = client.post(f"{API}/incoming/{uuid}/direct", {"lead_unit": str(w.unit.uuid)},
                        content_type="application/json")
    assert again.status_code == 409 and again.json()["message"]
    lead = response.json()["assignments"][0]["uuid"]

    client.force_login(w.head)
    response = client.post(f"{API}/incoming-assignments/{lead}/reassign", {"lead_assignee": "chuyenvien.t"},
                           content_type="application/json")
    assert response.status_code == 200
    child = next(a["uuid"] for a in response.json()["assignments"] if a["parent"] == lead)
    client.force_login(w.specialist)
    assert client.get(f"{API}/incoming?tab=mine").json()["count"] == 1
    assert client.post(f"{API}/incoming-assignments/{child}/progress", {"note": "Đang tổng hợp"},
                       content_type="application/json").status_code == 200
    response = client.post(f"{API}/incoming-assignments/{child}/complete", {"note": "Đã xong"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "done"
    events = client.get(f"{API}/incoming/{uuid}/events").json()
    assert [e["action"] for e in events][-1] == "done"

    client.force_login(w.other_specialist)
    assert client.get(f"{API}/incoming/{uuid}").status_code == 404
    assert client.get(f"{API}/incoming?tab=mine").json()["count"] == 0
    assert client.get(f"{API}/incoming?tab=all").status_code == 400


def test_openapi_lists_the_incoming_operations(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/documents/incoming" in schema["paths"]
    assert "/api/v1/documents/incoming/{uuid}/direct" in schema["paths"]
    assert "RegisterIn" in schema["components"]["schemas"]



def test_api_refuses_token_clients_these_are_a_persons_acts(client):
    from django.utils import timezone

    from egov.accounts.models import User
    from egov.apiclients.services import token_issue

    w = world_make()
    admin = User.objects.create_user(username="qthethong.t", password="x-Strong-pass-1", role="system_admin")
    _token, secret = token_issue(actor=admin, agency=w.agency, name="Hệ thống khác", scopes=["documents:read"],
                                 expires_at=timezone.now() + dt.timedelta(days=30))
    response = client.get(f"{API}/incoming", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 403 and response.json()["message"]
