"""The outgoing pages through the Django test client: lists, a new draft, the chain and issue from the detail
page, the recipient's reception page, files behind a permission check, and errors as Vietnamese 4xx pages."""

import pytest
from django.urls import reverse

from egov.documents.models import DeliveryStatus, FileKind, OutgoingDocument, OutgoingStatus
from egov.documents.tests import world_outgoing as w
from egov.documents.views.outgoing import signatures_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = w.world_make()
    w.credentials(world)
    return world


def as_user(client, user):
    client.force_login(user)
    return client


def action(client, document, name, data=None):
    return client.post(reverse("documents:outgoing_action", args=[document.uuid, name]), data or {})


def test_draft_page_creates_a_draft_with_version_1(client, world):
    as_user(client, world.drafter)
    page = client.get(reverse("documents:outgoing_create"))
    assert page.status_code == 200 and "Soạn dự thảo văn bản đi" in page.content.decode()
    response = client.post(reverse("documents:outgoing_create"), {
        "document_type": "cong-van", "summary": "V/v góp ý dự thảo quy chế", "urgency": "1", "secrecy": "0",
        "unit": str(world.office.uuid), "recipients": [str(world.recipient.uuid)],
        "external_recipients": "Bộ Nội vụ", "file": w.pdf_upload(),
    })
    document = OutgoingDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("documents:outgoing_detail",
                                                                           args=[document.uuid])
    assert document.urgency == 1 and list(document.recipient_agencies.all()) == [world.recipient]
    assert document.files.get().version == 1
    listing = client.get(reverse("documents:outgoing_list") + "?tab=drafts").content.decode()
    assert "V/v góp ý dự thảo quy chế" in listing


def test_draft_page_bad_input_is_a_vietnamese_400_and_nothing_saved(client, world):
    as_user(client, world.drafter)
    response = client.post(reverse("documents:outgoing_create"), {"document_type": "cong-van", "summary": " "})
    assert response.status_code == 400
    assert "Vui lòng nhập trích yếu" in response.content.decode()
    response = client.post(reverse("documents:outgoing_create"), {
        "document_type": "cong-van", "summary": "Có tệp giả", "file": w.SimpleUploadedFile("x.pdf", b"MZ\x90 exe")})
    assert response.status_code == 400 and "không phải là tệp PDF thật" in response.content.decode()
    assert not OutgoingDocument.objects.exists()


def test_chain_sign_issue_and_reception_through_pages(client, world):
    as_user(client, world.drafter)
    client.post(reverse("documents:outgoing_create"), {
        "document_type": "cong-van", "summary": "V/v tổng kết năm", "recipients": [str(world.recipient.uuid)],
        "file": w.pdf_upload()})
    document = OutgoingDocument.objects.get()
    detail = client.get(reverse("documents:outgoing_detail", args=[document.uuid])).content.decode()
    assert "Phạm Thị Duyệt" in detail and "Trình duyệt" in detail  # the head is offered as a reviewer
    assert action(client, document, "submit", {"reviewer": str(world.head.uuid)}).status_code == 302

    as_user(client, world.head)
    assert "V/v tổng kết năm" in client.get(reverse("documents:outgoing_list") + "?tab=review").content.decode()
    response = action(client, document, "return", {"comment": ""})
    assert response.status_code == 400 and "Vui lòng ghi ý kiến" in response.content.decode()
    assert action(client, document, "return", {"comment": "Bổ sung số liệu"}).status_code == 302

    as_user(client, world.drafter)
    assert action(client, document, "upload", {"file": w.pdf_upload(text="v2")}).status_code == 302
    action(client, document, "submit", {"reviewer": str(world.head.uuid)})
    as_user(client, world.head)
    assert action(client, document, "approve", {"signer": str(world.leader.uuid)}).status_code == 302

    as_user(client, world.leader)
    assert "V/v tổng kết năm" in client.get(reverse("documents:outgoing_list") + "?tab=sign").content.decode()
    assert action(client, document, "sign").status_code == 302
    as_user(client, world.clerk)
    assert action(client, document, "issue").status_code == 302
    document.refresh_from_db()
    assert document.status == OutgoingStatus.ISSUED and document.number_notation == "00001/SNV-VP"
    detail = client.get(reverse("documents:outgoing_detail", args=[document.uuid])).content.decode()
    assert "00001/SNV-VP" in detail and "01 – Đã đến, chờ tiếp nhận" in detail
    assert "Phiên bản 2" in detail and "Bổ sung số liệu" in detail
    main = document.files.get(kind=FileKind.MAIN)
    link = signatures_url(main)  # the signing area's page, once it exists
    assert not link or link in detail
    pdf = client.get(reverse("documents:outgoing_file", args=[document.uuid, main.uuid]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")

    as_user(client, world.recipient_clerk)
    inbox = client.get(reverse("documents:delivery_inbox")).content.decode()
    assert "00001/SNV-VP" in inbox and "V/v tổng kết năm" in inbox
    delivery = document.deliveries.get()
    assert client.get(reverse("documents:delivery_file", args=[delivery.uuid])).status_code == 200
    response = client.post(reverse("documents:delivery_action", args=[delivery.uuid, "reject"]), {"reason": ""})
    assert response.status_code == 400 and "lý do từ chối" in response.content.decode()
    response = client.post(reverse("documents:delivery_action", args=[delivery.uuid, "accept"]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.REGISTERED
    # The recipient cannot open the sender's document or its files.
    assert client.get(reverse("documents:outgoing_detail", args=[document.uuid])).status_code == 404
    assert client.get(reverse("documents:outgoing_file", args=[document.uuid, main.uuid])).status_code == 404

    as_user(client, world.drafter)
    detail = client.get(reverse("documents:outgoing_detail", args=[document.uuid])).content.decode()
    assert "03 – Đã tiếp nhận (vào sổ)" in detail


def test_wrong_role_and_no_pdf_are_refused_on_the_page(client, world):
    document = w.signed_document(world)
    as_user(client, world.drafter)
    response = action(client, document, "issue")
    assert response.status_code == 403 and "văn thư" in response.content.decode()
    as_user(client, world.clerk)
    assert action(client, document, "unknown").status_code == 400
    document.refresh_from_db()
    assert document.status == OutgoingStatus.SIGNED

    from egov.documents.services import outgoing as svc

    draft = svc.outgoing_draft_create(actor=world.drafter, document_type=world.cong_van, summary="Chỉ có DOCX")
    svc.outgoing_version_upload(actor=world.drafter, document=draft, upload=w.docx_upload())
    svc.outgoing_submit(actor=world.drafter, document=draft, reviewer=world.leader)
    svc.outgoing_approve(actor=world.leader, document=draft, signer=world.leader)
    as_user(client, world.leader)
    response = action(client, draft, "sign")
    assert response.status_code == 400 and "không phải tệp PDF" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == OutgoingStatus.APPROVED


def test_strangers_get_404_and_citizens_403(client, world):
    document = w.signed_document(world)
    as_user(client, world.outsider)
    assert client.get(reverse("documents:outgoing_detail", args=[document.uuid])).status_code == 404
    assert action(client, document, "issue").status_code == 404
    as_user(client, world.colleague)  # same agency, not in the chain, not issued yet
    assert client.get(reverse("documents:outgoing_detail", args=[document.uuid])).status_code == 404
    from egov.accounts.models import User

    citizen = User.objects.create_user(username="congdan", password=w.PASSWORD, role="citizen")
    as_user(client, citizen)
    assert client.get(reverse("documents:outgoing_list")).status_code == 403


def test_reply_to_an_incoming_document_of_ones_agency(client, world):
    import datetime as dt

    from django.utils import timezone

    from egov.documents.models import IncomingDocument
    from egov.documents.models.choices import Direction

    register = w.register_make(world.sender, Direction.INCOMING, name="Sổ văn bản đến")
    incoming = IncomingDocument.objects.create(
        agency=world.sender, register=register, arrival_year=2026, arrival_number=7, received_at=timezone.now(),
        number_notation="12/UBND-VP", issued_date=dt.date(2026, 1, 5), summary="V/v đề nghị báo cáo")
    as_user(client, world.drafter)
    page = client.get(reverse("documents:outgoing_create") + f"?tra_loi={incoming.uuid}").content.decode()
    assert "Trả lời văn bản đến số 7/2026: 12/UBND-VP" in page
    client.post(reverse("documents:outgoing_create"), {"document_type": "cong-van", "summary": "V/v báo cáo",
                                                       "in_reply_to": str(incoming.uuid)})
    assert OutgoingDocument.objects.get().in_reply_to == incoming
    as_user(client, world.outsider)  # another agency's incoming document is not offered
    page = client.get(reverse("documents:outgoing_create") + f"?tra_loi={incoming.uuid}").content.decode()
    assert "Trả lời văn bản đến" not in page


def test_edit_page_corrects_the_draft(client, world):
    from egov.documents.services import outgoing as svc

    document = svc.outgoing_draft_create(actor=world.drafter, document_type=world.cong_van, summary="Bản đầu",
                                         recipient_agencies=[world.recipient])
    as_user(client, world.drafter)
    page = client.get(reverse("documents:outgoing_edit", args=[document.uuid])).content.decode()
    assert "Sửa thông tin dự thảo" in page and "Bản đầu" in page
    assert f'value="{world.recipient.uuid}" selected' in page
    response = client.post(reverse("documents:outgoing_edit", args=[document.uuid]), {
        "document_type": "cong-van", "summary": "", "recipients": [str(world.other.uuid)]})
    assert response.status_code == 400 and "Vui lòng nhập trích yếu" in response.content.decode()
    response = client.post(reverse("documents:outgoing_edit", args=[document.uuid]), {
        "document_type": "cong-van", "summary": "Bản đã sửa", "recipients": [str(world.other.uuid)]})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.summary == "Bản đã sửa" and list(document.recipient_agencies.all()) == [world.other]
    as_user(client, world.head)
    response = client.post(reverse("documents:outgoing_edit", args=[document.uuid]), {
        "document_type": "cong-van", "summary": "Người khác sửa"})
    assert response.status_code == 404  # not in the chain: the draft is not even visible
