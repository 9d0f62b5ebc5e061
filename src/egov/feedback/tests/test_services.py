"""Services: submission checks, the register, classification and forwarding (5 working days across a holiday),
the SLA and overdue lists, answering, publishing, the on-time rate, events and audit."""

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.core.errors import DomainError, PermissionDeniedError
from egov.core.models import AuditEntry
from egov.feedback import selectors, services
from egov.feedback.models import Classification, Feedback, FeedbackAttachment, FeedbackEvent, SlaRule, Status
from egov.feedback.tests.world import local, pdf_upload, png_bytes, submit_kwargs, world_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world_make()


def test_submit_gives_an_unguessable_code_goes_to_the_default_agency_and_mails_the_code(
        w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        fb = services.feedback_submit(**submit_kwargs(), files=[pdf_upload(), SimpleUploadedFile("a.png", png_bytes())],
                                      now=local(2026, 4, 28, 9, 0))
    assert services.CODE_RE.match(fb.code) and fb.code.startswith("PAKN-2026-")
    assert fb.status == Status.MOI and fb.agency == w.office
    assert fb.attachments.count() == 2
    assert list(fb.events.values_list("action", flat=True)) == ["submit"]
    assert AuditEntry.objects.filter(action="feedback.submit", object_id=str(fb.uuid)).exists()
    assert len(mail.outbox) == 1 and fb.code in mail.outbox[0].body and mail.outbox[0].to == ["an@example.vn"]


@pytest.mark.parametrize(("overrides", "code"), [
    ({"sender_phone": "", "sender_email": ""}, "contact_required"),
    ({"sender_address": "  "}, "required"),
    ({"kind": "khac"}, "invalid_kind"),
    ({"sender_email": "khong-phai-email"}, "invalid_email"),
    ({"subject": "x" * 300}, "too_long"),
])
def test_submit_refuses_incomplete_feedback(w, overrides, code):
    with pytest.raises(DomainError) as exc:
        services.feedback_submit(**submit_kwargs(**overrides))
    assert exc.value.code == code
    assert not Feedback.objects.exists()


def test_disguised_or_oversized_files_are_refused_and_nothing_is_stored(w, settings):
    settings.FEEDBACK_MAX_UPLOAD_MB = 1
    before = set(default_storage.listdir("feedback")[0]) if default_storage.exists("feedback") else set()
    exe = SimpleUploadedFile("don.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    with pytest.raises(DomainError) as exc:
        services.feedback_submit(**submit_kwargs(), files=[pdf_upload(), exe])
    assert exc.value.code == "file_content_mismatch" and "don.pdf" in exc.value.message
    big = SimpleUploadedFile("lon.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))
    with pytest.raises(DomainError) as exc:
        services.feedback_submit(**submit_kwargs(), files=[big])
    assert exc.value.code == "file_too_large" and "1 MB" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.feedback_submit(**submit_kwargs(), files=[pdf_upload() for _ in range(4)])
    assert exc.value.code == "too_many_files"
    assert not Feedback.objects.exists() and not FeedbackAttachment.objects.exists()
    after = set(default_storage.listdir("feedback")[0]) if default_storage.exists("feedback") else set()
    assert after == before


def test_a_failure_after_storing_files_removes_them(w, monkeypatch):
    """Files are written before the first event: if the audit write fails, no row and no file remain."""
    stored = []
    original = default_storage.save

    def save(name, content, **kwargs):
        stored.append(original(name, content, **kwargs))
        return stored[-1]

    monkeypatch.setattr(default_storage, "save", save)
    monkeypatch.setattr(services, "audit_record", lambda **kwargs: (_ for _ in ()).throw(RuntimeError("disk")))
    with pytest.raises(RuntimeError):
        services.feedback_submit(**submit_kwargs(), files=[pdf_upload()])
    assert stored and not any(default_storage.exists(name) for name in stored)
    assert not Feedback.objects.exists()


def test_receive_numbers_the_register_and_forward_deadline_is_5_working_days_across_the_holiday(w):
    fb = services.feedback_submit(**submit_kwargs(), now=local(2026, 4, 28, 9, 0))
    fb = services.feedback_receive(actor=w.officer, feedback=fb, now=local(2026, 4, 28, 9, 30))
    assert (fb.register_year, fb.register_number) == (2026, 1)
    # Tue 28/04/2026; 30/04 and 01/05 are public holidays: Wed 29, Mon 4, Tue 5, Wed 6, Thu 7.
    assert fb.forward_due_at == local(2026, 5, 7, 17, 0)
    second = services.feedback_receive(actor=w.officer, feedback=services.feedback_submit(**submit_kwargs()))
    assert second.register_number == 2

    fb = services.feedback_classify(actor=w.officer, feedback=fb, classification=Classification.NGOAI_THAM_QUYEN,
                                    target_agency=w.stp, now=local(2026, 5, 6, 10, 0))
    assert fb.status == Status.CHUYEN_CO_QUAN_KHAC and fb.agency == w.stp and fb.forwarded_from == w.office
    # The competent agency receives it into its own register, with new deadlines.
    with pytest.raises(PermissionDeniedError):
        services.feedback_receive(actor=w.officer, feedback=fb)
    fb = services.feedback_receive(actor=w.stp_officer, feedback=fb, now=local(2026, 5, 6, 14, 0))
    assert fb.register_number == 1 and fb.status == Status.DA_TIEP_NHAN
    rate = selectors.feedback_on_time_rate(w.admin, start=local(2026, 5, 1), end=local(2026, 6, 1), agency=w.office)
    assert (rate.forwarded, rate.forwarded_on_time, rate.forward_rate) == (1, 1, 100.0)


def test_not_accepted_needs_a_reason_and_is_final(w, django_capture_on_commit_callbacks):
    fb = services.feedback_receive(actor=w.officer, feedback=services.feedback_submit(**submit_kwargs()))
    with pytest.raises(DomainError) as exc:
        services.feedback_classify(actor=w.officer, feedback=fb, classification=Classification.KHONG_TIEP_NHAN)
    assert exc.value.code == "reason_required"
    with django_capture_on_commit_callbacks(execute=True):
        fb = services.feedback_classify(actor=w.officer, feedback=fb, reason="Không ghi rõ nội dung theo Điều 7.",
                                        classification=Classification.KHONG_TIEP_NHAN)
    assert fb.status == Status.KHONG_TIEP_NHAN
    assert "không được tiếp nhận" in mail.outbox[-1].subject and "Điều 7" in mail.outbox[-1].body
    with pytest.raises(DomainError) as exc:
        services.feedback_answer(actor=w.officer, feedback=fb, answer="Trả lời không hợp lệ ở trạng thái này.")
    assert exc.value.status == 409
    with pytest.raises(DomainError):
        services.feedback_classify(actor=w.officer, feedback=fb, classification=Classification.HANH_VI)


def test_question_sla_15_working_days_overdue_due_soon_answer_publish_and_on_time_rate(
        w, django_capture_on_commit_callbacks):
    q = services.feedback_submit(**submit_kwargs(kind="hoi_dap", subject="Hỏi về đăng ký khai sinh"),
                                 now=local(2026, 6, 1, 8, 0))
    q = services.feedback_receive(actor=w.officer, feedback=q, now=local(2026, 6, 1, 8, 0))
    assert q.due_at == local(2026, 6, 22, 17, 0)  # Mon 01/06 + 15 working days from the next day, none off
    q = services.feedback_classify(actor=w.officer, feedback=q, classification=Classification.THUOC_THAM_QUYEN)
    assert q.status == Status.DANG_XU_LY
    assert list(selectors.feedback_due_soon(w.officer, now=local(2026, 6, 19, 9, 0))) == [q]
    assert list(selectors.feedback_overdue(w.officer, now=local(2026, 6, 23, 9, 0))) == [q]
    assert list(selectors.feedback_overdue(w.officer, now=local(2026, 6, 10, 9, 0))) == []
    with django_capture_on_commit_callbacks(execute=True):
        q = services.feedback_request_info(actor=w.officer, feedback=q, note="Đề nghị cho biết ngày sinh của cháu.")
    assert "ngày sinh của cháu" in mail.outbox[-1].body
    assert selectors.feedback_public_status(code=q.code)["info_needed"] == "Đề nghị cho biết ngày sinh của cháu."
    q = services.feedback_resume(actor=w.officer, feedback=q)
    with django_capture_on_commit_callbacks(execute=True):
        q = services.feedback_answer(actor=w.officer, feedback=q, answer="Công dân đến UBND xã nơi cư trú để đăng ký.",
                                     now=local(2026, 6, 23, 9, 0))  # late
    assert q.answered_on_time is False
    assert any("Đã có trả lời" in m.subject for m in mail.outbox)
    q = services.feedback_publish(actor=w.officer, feedback=q, public_question="Hỏi thủ tục đăng ký khai sinh?")
    assert q.status == Status.DA_CONG_KHAI
    assert list(selectors.feedback_published(q="dang ky khai sinh")) == [q]
    assert list(selectors.feedback_published(q="đăng ký khai sinh")) == [q]
    assert list(selectors.feedback_published(q="giay phep xay dung")) == []

    other = services.feedback_receive(actor=w.officer, feedback=services.feedback_submit(**submit_kwargs()),
                                      now=local(2026, 6, 1, 8, 0))
    other = services.feedback_classify(actor=w.officer, feedback=other, classification=Classification.THUOC_THAM_QUYEN)
    services.feedback_answer(actor=w.officer, feedback=other, answer="Đã chỉ đạo khắc phục tình trạng ngập.",
                             now=local(2026, 6, 5, 9, 0))
    rate = selectors.feedback_on_time_rate(w.officer, start=local(2026, 6, 1), end=local(2026, 7, 1))
    assert (rate.closed, rate.on_time, rate.rate) == (2, 1, 50.0)
    province = selectors.feedback_on_time_rate(None, start=local(2026, 6, 1), end=local(2026, 7, 1))
    assert (province.closed, province.on_time) == (2, 1)
    assert selectors.feedback_on_time_rate(w.stp_officer, start=local(2026, 6, 1), end=local(2026, 7, 1)).closed == 0
    actions = list(FeedbackEvent.objects.filter(feedback=q).order_by("id").values_list("action", flat=True))
    assert actions == ["submit", "receive", "classify", "request_info", "resume", "answer", "publish"]
    assert AuditEntry.objects.filter(object_id=str(q.uuid)).count() == 7
    event = FeedbackEvent.objects.filter(feedback=q).first()
    with pytest.raises(ValueError):
        event.save()


def test_sla_is_configurable_per_kind_and_step(w):
    SlaRule.objects.create(kind="kien_nghi", step="xu_ly", working_days=3)
    fb = services.feedback_submit(**submit_kwargs(kind="kien_nghi"))
    fb = services.feedback_receive(actor=w.officer, feedback=fb, now=local(2026, 6, 1, 8, 0))
    assert fb.due_at == local(2026, 6, 4, 17, 0)


def test_another_agency_and_other_roles_neither_see_nor_act(w):
    fb = services.feedback_submit(**submit_kwargs())
    assert list(selectors.feedback_register(w.officer)) == [fb]
    assert list(selectors.feedback_register(w.admin)) == [fb]
    assert list(selectors.feedback_register(w.stp_officer)) == []
    assert list(selectors.feedback_register(w.specialist)) == []
    assert list(selectors.feedback_register(w.citizen)) == []
    for actor in (w.stp_officer, w.specialist, w.citizen):
        with pytest.raises(PermissionDeniedError):
            services.feedback_receive(actor=actor, feedback=fb)


def test_public_status_masks_the_name_and_unknown_code_is_a_vietnamese_404(w):
    fb = services.feedback_submit(**submit_kwargs())
    answer = selectors.feedback_public_status(code=fb.code.lower())
    assert answer["sender"] == "Nguyễn V** A*" and answer["status"] == Status.MOI
    assert "0912" not in str(answer) and "an@example.vn" not in str(answer)
    for code in ("PAKN-2026-AAAAAAA", "xyz", ""):
        with pytest.raises(DomainError) as exc:
            selectors.feedback_public_status(code=code)
        assert exc.value.status == 404 and "Không tìm thấy" in exc.value.message
