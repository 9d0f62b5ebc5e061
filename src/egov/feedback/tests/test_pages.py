"""Pages through the Django client: the public form (prefill, escaped HTML, refused files store nothing, rate
limit), the status by code (unknown code, rate limit), the Q&A list, and the staff register and actions."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from egov.feedback import services
from egov.feedback.models import Feedback, FeedbackAttachment, Status
from egov.feedback.tests.world import pdf_upload, submit_kwargs, world_make

pytestmark = pytest.mark.django_db
SCRIPT = '<script>alert("x")</script><b>đậm</b>'


@pytest.fixture
def w():
    cache.clear()
    yield world_make()
    cache.clear()


def _post(client, **overrides):
    data = submit_kwargs(**overrides)
    return client.post(reverse("feedback:submit"), data)


def test_form_prefills_a_logged_in_citizen_and_renders_accessibly(client, w):
    client.force_login(w.citizen)
    body = client.get(reverse("feedback:submit")).content.decode()
    assert 'value="Lê Văn Bình"' in body and 'value="0912000001"' in body
    assert 'for="f-sender_name"' in body and "Phản ánh, kiến nghị, hỏi đáp" in body


def test_submission_shows_the_code_and_stores_html_as_text_shown_escaped(client, w):
    response = _post(client, subject=SCRIPT, content=SCRIPT + " nội dung đủ dài", sender_name=SCRIPT)
    assert response.status_code == 302 and response.url == reverse("feedback:sent")
    fb = Feedback.objects.get()
    assert fb.subject == SCRIPT and fb.sender_name == SCRIPT  # stored as typed
    page = client.get(response.url).content.decode()
    assert fb.code in page
    client.force_login(w.officer)
    detail = client.get(reverse("feedback_staff:detail", args=[fb.uuid])).content.decode()
    assert SCRIPT not in detail and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in detail
    register = client.get(reverse("feedback_staff:register")).content.decode()
    assert "<script>alert" not in register and fb.code in register


def test_oversized_or_disguised_attachment_is_refused_in_vietnamese_and_nothing_is_stored(client, w, settings):
    settings.FEEDBACK_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    response = client.post(reverse("feedback:submit"), {**submit_kwargs(), "files": [pdf_upload(), big]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "vượt quá giới hạn 1 MB" in body and 'value="Nguyễn Văn An"' in body
    fake = SimpleUploadedFile("anh.png", b"<html>not an image</html>")
    response = client.post(reverse("feedback:submit"), {**submit_kwargs(), "files": [fake]})
    assert response.status_code == 400 and "không phải là ảnh PNG thật" in response.content.decode()
    assert not Feedback.objects.exists() and not FeedbackAttachment.objects.exists()


def test_missing_contact_is_a_field_error(client, w):
    response = _post(client, sender_phone="", sender_email="")
    assert response.status_code == 400
    assert "số điện thoại hoặc thư điện tử" in response.content.decode()


def test_submission_is_rate_limited_per_client(client, w, settings):
    settings.FEEDBACK_SUBMIT_RATE_PER_MINUTE = 2
    assert _post(client).status_code == 302
    assert _post(client).status_code == 302
    response = _post(client)
    assert response.status_code == 429 and "quá nhiều lần" in response.content.decode()
    assert response["Retry-After"]
    assert Feedback.objects.count() == 2


def test_status_by_code_masks_the_name_and_unknown_code_is_a_vietnamese_404(client, w, settings):
    fb = services.feedback_submit(**submit_kwargs())
    body = client.get(reverse("feedback:status"), {"ma": fb.code}).content.decode()
    assert "Nguyễn V** A*" in body and "Nguyễn Văn An" not in body and "0912 345 678" not in body
    assert "Mới gửi" in body
    response = client.get(reverse("feedback:status"), {"ma": "PAKN-2026-ZZZZZZZ"})
    assert response.status_code == 404 and "Không tìm thấy phản ánh, kiến nghị có mã này" in response.content.decode()
    settings.PUBLIC_LOOKUP_RATE_PER_MINUTE = 1
    cache.clear()
    assert client.get(reverse("feedback:status"), {"ma": fb.code}).status_code == 200
    limited = client.get(reverse("feedback:status"), {"ma": fb.code})
    assert limited.status_code == 429 and limited["Retry-After"]


def test_staff_register_receive_classify_answer_publish_then_public_qa(client, w):
    fb = services.feedback_submit(**submit_kwargs(kind="hoi_dap", subject="Hỏi về cấp đổi căn cước"))
    client.force_login(w.officer)
    assert fb.code in client.get(reverse("feedback_staff:register")).content.decode()
    act = lambda action, **data: client.post(reverse("feedback_staff:act", args=[fb.uuid, action]), data)  # noqa: E731
    assert act("tiep-nhan").status_code == 302
    act("phan-loai", classification="thuoc_tham_quyen")
    act("tra-loi", answer="Công dân liên hệ Công an xã nơi cư trú để được cấp đổi.")
    act("cong-khai", public_question="Cấp đổi căn cước ở đâu?")
    fb.refresh_from_db()
    assert fb.status == Status.DA_CONG_KHAI and fb.register_number == 1
    qa = client.get(reverse("feedback:qa_list"), {"q": "can cuoc"}).content.decode()
    assert "Hỏi về cấp đổi căn cước" in qa
    detail = client.get(reverse("feedback:qa_detail", args=[fb.uuid])).content.decode()
    assert "Cấp đổi căn cước ở đâu?" in detail and "0912 345 678" not in detail
    # A refused action shows the Vietnamese reason, not a 500.
    response = act("tra-loi", answer="lần hai")
    assert response.status_code == 302
    assert "Không thể trả lời" in client.get(response.url).content.decode()


def test_another_agency_cannot_open_an_item_and_other_roles_are_refused(client, w):
    fb = services.feedback_submit(**submit_kwargs(), files=[pdf_upload()])
    client.force_login(w.stp_officer)
    assert client.get(reverse("feedback_staff:detail", args=[fb.uuid])).status_code == 404
    attachment = fb.attachments.get()
    assert client.get(reverse("feedback_staff:attachment", args=[fb.uuid, attachment.uuid])).status_code == 404
    assert client.post(reverse("feedback_staff:act", args=[fb.uuid, "tiep-nhan"])).status_code == 404
    client.force_login(w.specialist)
    assert client.get(reverse("feedback_staff:register")).status_code == 403
    client.force_login(w.citizen)
    assert client.get(reverse("feedback_staff:register")).status_code == 403
    client.force_login(w.officer)
    response = client.get(reverse("feedback_staff:attachment", args=[fb.uuid, attachment.uuid]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_back_office_menu_shows_feedback_to_its_handlers_only(w):
    from egov.accounts.navigation import backoffice_menu

    def urls(user):
        return [item.url for item in backoffice_menu(user)]

    assert "/can-bo/phan-anh-kien-nghi/" in urls(w.officer)
    assert "/can-bo/phan-anh-kien-nghi/" in urls(w.admin)
    assert "/can-bo/phan-anh-kien-nghi/" not in urls(w.specialist)
