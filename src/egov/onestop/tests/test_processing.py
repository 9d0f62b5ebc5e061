"""Processing services through the real stack: steps across units and agencies, consultation, deadlines,
pauses and both restart rules, apology (Form 04) rules, results, refusal, stop and withdrawal."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.core.errors import DomainError, PermissionDeniedError
from egov.core.models import AuditEntry
from egov.directory.models import Official
from egov.onestop import processing as P
from egov.onestop import returns as R
from egov.onestop.models import DossierDailyStat, DossierEvent, DossierFile, DossierStep, EventKind, StepTiming
from egov.onestop.status import NATIONAL_CODE, DossierStatus
from egov.onestop.tests.processing_world import at, build_world, pdf_bytes, receive
from egov.workdays import loader


@pytest.fixture
def w(db):
    loader.reset()
    return build_world()


def snapshot_state(dossier):
    dossier.refresh_from_db()
    return (dossier.status, dossier.due_at, dossier.extended, dossier.current_step_id,
            DossierEvent.objects.filter(dossier=dossier).count(), AuditEntry.objects.count(),
            DossierStep.objects.filter(dossier=dossier).count())


def test_lifecycle_across_units_and_agencies_with_consultation_and_late_step(w):
    from egov.accounts.models import User

    governor = User.objects.create_user(username="pct.tinh", password="x-Strong-pass-1", role="leader",
                                        full_name="Phó Chủ tịch tỉnh")
    Official.objects.create(user=governor, agency=w.province)
    d = receive(w, procedure=w.inter_procedure, when=at(2, 8))
    assert d.due_at == at(9, 17)
    assert not P.can_act_on_step(w.dept_specialist, d.current_step)

    P.dossier_start_processing(dossier=d, actor=w.specialist, at=at(2, 9))
    d.refresh_from_db()
    assert d.status == DossierStatus.PROCESSING and NATIONAL_CODE[d.status] == 4
    assert d.current_handler == w.specialist
    assert d.current_step.deadline_at == at(3, 17)

    # Hand-over to the department: finishes the commune's step (on time), opens the department's with 2 days.
    step3 = P.dossier_step_complete(dossier=d, actor=w.specialist, note="Đã xác minh", at=at(3, 10))
    d.refresh_from_db()
    assert d.current_agency == w.department and step3.unit == w.land
    assert step3.deadline_at == at(5, 17)
    assert DossierStep.objects.get(dossier=d, order=2).timing == StepTiming.ON_TIME
    with pytest.raises(PermissionDeniedError):
        P.dossier_step_complete(dossier=d, actor=w.specialist, at=at(3, 11))

    P.dossier_assign(dossier=d, actor=w.dept_leader, handler=w.dept_specialist, at=at(3, 14))
    d.refresh_from_db()
    assert d.current_handler == w.dept_specialist

    # The catalogue's consultation of the province: parallel work item with its own deadline.
    template = P.consultation_templates(d)[0]
    consult = P.dossier_consult(dossier=d, actor=w.dept_specialist, content="Xin ý kiến về quy hoạch",
                                process_step=template, at=at(4, 9))
    d.refresh_from_db()
    assert d.status == DossierStatus.CONSULTING and NATIONAL_CODE[d.status] == 4
    assert consult.agency == w.province and consult.deadline_at == at(5, 17)
    assert P.can_act_on_step(governor, consult)
    with pytest.raises(DomainError) as illegal:
        P.dossier_step_complete(dossier=d, actor=w.dept_specialist, at=at(4, 10))
    assert illegal.value.status == 409
    P.dossier_consult_reply(dossier=d, actor=governor, step=consult, opinion="Thống nhất", at=at(5, 14))
    d.refresh_from_db()
    assert d.status == DossierStatus.PROCESSING
    consult.refresh_from_db()
    assert consult.timing == StepTiming.ON_TIME and consult.finished_by == governor

    # The department finishes its appraisal a day late; the approval step gets its own day.
    step4 = P.dossier_step_complete(dossier=d, actor=w.dept_specialist, at=at(6, 10))
    step3.refresh_from_db()
    assert step3.timing == StepTiming.LATE
    assert step4.deadline_at == at(9, 17) and step4.agency == w.department
    with pytest.raises(DomainError) as last:
        P.dossier_step_complete(dossier=d, actor=w.dept_leader, at=at(9, 8))
    assert last.value.code == "last_step"

    P.dossier_approve(dossier=d, actor=w.dept_leader, at=at(10, 9))
    d.refresh_from_db()
    step4.refresh_from_db()
    assert d.status == DossierStatus.DONE and NATIONAL_CODE[d.status] == 9
    assert d.finished_at == at(10, 9) and d.timing == StepTiming.LATE
    assert step4.timing == StepTiming.LATE
    assert d.late_step == step3  # the first step finished late made the dossier late
    assert d.current_agency == w.commune and d.current_step.name == "Trả kết quả"

    R.dossier_return_result(dossier=d, actor=w.officer, channel="counter", at=at(10, 10))
    d.refresh_from_db()
    assert d.status == DossierStatus.RETURNED and NATIONAL_CODE[d.status] == 10
    assert d.returned_at == at(10, 10)

    events = list(DossierEvent.objects.filter(dossier=d).order_by("seq"))
    assert [e.kind for e in events] == [
        EventKind.RECEIVE, EventKind.TRANSFER, EventKind.TRANSFER, EventKind.ASSIGN, EventKind.CONSULT,
        EventKind.CONSULT_REPLY, EventKind.TRANSFER, EventKind.APPROVE, EventKind.RETURN]
    assert [e.seq for e in events] == list(range(1, 10))
    for event in events:
        assert event.at is not None and event.actor is not None and event.agency is not None
    hand_over = events[2]
    assert hand_over.agency == w.department and hand_over.unit == w.land and hand_over.deadline_at == at(5, 17)
    assert hand_over.from_status == hand_over.to_status == DossierStatus.PROCESSING
    stat = DossierDailyStat.objects.get(agency=w.commune, procedure=w.inter_procedure)
    assert (stat.received, stat.finished_late, stat.returned) == (1, 1, 1)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"onestop.dossier.transfer", "onestop.dossier.assign", "onestop.dossier.consult",
            "onestop.dossier.approve", "onestop.dossier.return"} <= actions


def test_late_dossier_without_late_step_names_the_step_that_overran_most(w):
    d = receive(w, when=at(2, 8))
    P.dossier_start_processing(dossier=d, actor=w.specialist, at=at(2, 8, 30))
    # A short due date (as a data fix would leave it) makes the dossier late while every step is on time.
    type(d).objects.filter(pk=d.pk).update(due_at=at(3, 9))
    P.dossier_step_complete(dossier=d, actor=w.specialist, at=at(3, 10))
    P.dossier_approve(dossier=d, actor=w.leader, at=at(4, 17))
    d.refresh_from_db()
    assert d.timing == StepTiming.LATE
    assert d.late_step.order == 3 and d.late_step.timing == StepTiming.ON_TIME


def test_early_dossier_records_no_late_step_and_counts_early(w):
    d = receive(w, when=at(2, 8))
    P.dossier_start_processing(dossier=d, actor=w.specialist, at=at(2, 8, 30))
    P.dossier_step_complete(dossier=d, actor=w.specialist, at=at(2, 10))
    P.dossier_approve(dossier=d, actor=w.leader, at=at(3, 9))
    d.refresh_from_db()
    assert d.timing == StepTiming.EARLY and d.late_step is None
    assert DossierDailyStat.objects.get(agency=w.commune, procedure=w.procedure).finished_early == 1


def test_national_status_codes():
    expected = {"submitted": 1, "received": 2, "refused": 3, "processing": 4, "consulting": 4, "supplement": 5,
                "reception_supplement": 5, "awaiting_payment": 6, "withdrawn": 7, "stopped": 8, "rejected": 8,
                "done": 9, "returned": 10}
    assert {status.value: code for status, code in NATIONAL_CODE.items()} == expected
    assert set(NATIONAL_CODE) == set(DossierStatus)


def test_supplement_within_three_working_days_restarts_the_clock(w):
    d = receive(w, when=at(2, 8))
    P.dossier_start_processing(dossier=d, actor=w.specialist, at=at(2, 9))
    event = P.dossier_request_supplement(dossier=d, actor=w.specialist, reason="Thiếu giấy chứng sinh",
                                         items="Giấy chứng sinh (bản chính)\nCCCD của mẹ", at=at(4, 10))
    assert event.data["restart"] is True and event.data["items"] == ["Giấy chứng sinh (bản chính)", "CCCD của mẹ"]
    d.refresh_from_db()
    assert d.status == DossierStatus.SUPPLEMENT and NATIONAL_CODE[d.status] == 5 and d.paused_at == at(4, 10)
    P.dossier_supplement_received(dossier=d, actor=w.officer, at=at(9, 9))
    d.refresh_from_db()
    assert d.status == DossierStatus.PROCESSING and d.paused_at is None
    assert d.due_at == at(16, 17)  # five full working days again, from the resumption
    assert d.original_due_at == at(9, 17)
    assert d.current_step.deadline_at == at(11, 17)
    last = DossierEvent.objects.filter(dossier=d).order_by("-seq").first()
    assert last.kind == EventKind.SUPPLEMENT and last.data["restart"] is True


def test_supplement_after_three_working_days_extends_by_the_paused_time(w):
    d = receive(w, when=at(2, 8))
    P.dossier_start_processing(dossier=d, actor=w.specialist, at=at(2, 9))
    assert P.restart_window_end(d) == at(5, 17)
    event = P.dossier_request_supplement(dossier=d, actor=w.specialist, reason="Sai thông tin",
                                         items=["Tờ khai sửa lại"], at=at(6, 10))
    assert event.data["restart"] is False
    step_deadline = d.current_step.deadline_at
    # Paused Fri 10:00 → Tue 10:00: 5 + 8 + 3 = 16 working hours = two working days.
    P.dossier_supplement_received(dossier=d, actor=w.officer, at=at(10, 10))
    d.refresh_from_db()
    assert d.due_at == at(11, 17)
    assert d.current_step.deadline_at > step_deadline


def test_supplement_received_online_by_the_applicant_and_not_by_strangers(w):
    d = receive(w, when=at(2, 8), applicant_user=w.citizen)
    P.dossier_start_processing(dossier=d, actor=w.specialist, at=at(2, 9))
    P.dossier_request_supplement(dossier=d, actor=w.specialist, reason="Thiếu", items=["Bản sao"], at=at(2, 10))
    with pytest.raises(PermissionDeniedError):
        P.dossier_supplement_received(dossier=d, actor=w.outsider, at=at(3, 9))
    upload = SimpleUploadedFile("ban-sao.pdf", pdf_bytes("Bản sao"), content_type="application/pdf")
    P.dossier_supplement_received(dossier=d, actor=w.citizen, files=[upload], at=at(3, 9))
    d.refresh_from_db()
    assert d.status == DossierStatus.PROCESSING
    assert DossierFile.objects.filter(dossier=d, role="supplement").count() == 1


def test_supplement_requires_reason_and_items_and_changes_nothing_otherwise(w):
    d = receive(w, when=at(2, 8))
    P.dossier_start_processing(dossier=d, actor=w.specialist, at=at(2, 9))
    before = snapshot_state(d)
    with pytest.raises(DomainError) as missing_reason:
        P.dossier_request_supplement(dossier=d, actor=w.specialist, reason="  ", items=["x"], at=at(2, 10))
    assert missing_reason.value.code == "reason_required" and "lý do" in missing_reason.value.message
    with pytest.raises(DomainError) as missing_items:
        P.dossier_request_supplement(dossier=d, actor=w.specialist, reason="Thiếu", items=[], at=at(2, 10))
    assert missing_items.value.code == "items_required"
    assert snapshot_state(d) == before


def test_payment_pause_extends_the_due_date(w):
    d = receive(w, when=at(2, 8))
    P.dossier_start_processing(dossier=d, actor=w.specialist, at=at(2, 9))
    with pytest.raises(DomainError):
        P.dossier_request_payment(dossier=d, actor=w.specialist, amount=0, content="Lệ phí", at=at(3, 9))
    P.dossier_request_payment(dossier=d, actor=w.specialist, amount=50000, content="Lệ phí cấp bản sao",
                              at=at(3, 9))
    d.refresh_from_db()
    assert d.status == DossierStatus.AWAITING_PAYMENT and NATIONAL_CODE[d.status] == 6
    P.dossier_payment_received(dossier=d, actor=None, reference="PAYGOV-1", at=at(4, 9))
    d.refresh_from_db()
    assert d.status == DossierStatus.PROCESSING
    assert d.due_at == at(10, 17)  # one working day (8 hours) of waiting added


def test_apology_once_only_and_keeps_the_original_due_date(w):
    d = receive(w, when=at(2, 8))
    P.dossier_start_processing(dossier=d, actor=w.specialist, at=at(2, 9))
    event = P.dossier_apologize(dossier=d, actor=w.specialist, reason="Cần xác minh thêm",
                                new_due_at=dt.date(2026, 3, 12), at=at(5, 10))
    d.refresh_from_db()
    assert d.extended and d.original_due_at == at(9, 17) and d.due_at == at(12, 17)
    assert event.kind == EventKind.APOLOGY and dt.datetime.fromisoformat(event.data["old_due_at"]) == at(9, 17)
    before = snapshot_state(d)
    with pytest.raises(DomainError) as second:
        P.dossier_apologize(dossier=d, actor=w.specialist, reason="Lần nữa", new_due_at=dt.date(2026, 3, 13),
                            at=at(6, 9))
    assert second.value.status == 409
    assert second.value.message == "Hồ sơ đã được gia hạn một lần, không thể gia hạn lần nữa"
    assert snapshot_state(d) == before


def test_apology_needs_one_working_day_before_the_due_date(w):
    d = receive(w, when=at(2, 8))
    P.dossier_start_processing(dossier=d, actor=w.specialist, at=at(2, 9))
    before = snapshot_state(d)
    with pytest.raises(DomainError) as late:
        P.dossier_apologize(dossier=d, actor=w.specialist, reason="Chậm", new_due_at=dt.date(2026, 3, 12),
                            at=at(9, 9))
    assert late.value.code == "apology_too_late" and late.value.status == 409
    # Friday 17:00 is exactly one working day before Monday 17:00: still allowed.
    assert snapshot_state(d) == before
    P.dossier_apologize(dossier=d, actor=w.officer, reason="Chậm", new_due_at=dt.date(2026, 3, 12), at=at(6, 17))


def test_apology_new_date_must_be_later_and_a_working_day(w):
    d = receive(w, when=at(2, 8))
    P.dossier_start_processing(dossier=d, actor=w.specialist, at=at(2, 9))
    before = snapshot_state(d)
    with pytest.raises(DomainError) as same:
        P.dossier_apologize(dossier=d, actor=w.specialist, reason="Chậm", new_due_at=dt.date(2026, 3, 9),
                            at=at(3, 9))
    assert same.value.code == "new_date_not_later" and 400 <= same.value.status < 500
    with pytest.raises(DomainError) as weekend:
        P.dossier_apologize(dossier=d, actor=w.specialist, reason="Chậm", new_due_at=dt.date(2026, 3, 14),
                            at=at(3, 9))
    assert weekend.value.code == "not_working_day"
    with pytest.raises(DomainError):
        P.dossier_apologize(dossier=d, actor=w.specialist, reason="", new_due_at=dt.date(2026, 3, 12), at=at(3, 9))
    with pytest.raises(PermissionDeniedError):
        P.dossier_apologize(dossier=d, actor=w.outsider, reason="x", new_due_at=dt.date(2026, 3, 12), at=at(3, 9))
    assert snapshot_state(d) == before


def test_illegal_transition_changes_nothing(w):
    d = receive(w, when=at(2, 8))
    P.dossier_start_processing(dossier=d, actor=w.specialist, at=at(2, 9))
    before = snapshot_state(d)
    with pytest.raises(DomainError) as returning:
        R.dossier_return_result(dossier=d, actor=w.officer, channel="counter", at=at(2, 10))
    assert returning.value.status == 409 and returning.value.code == "illegal_transition"
    assert "Đang xử lý" in returning.value.message
    with pytest.raises(DomainError) as early:
        P.dossier_approve(dossier=d, actor=w.specialist, at=at(2, 10))
    assert early.value.code == "steps_remaining" and "Phê duyệt kết quả" in early.value.message
    with pytest.raises(DomainError):
        P.dossier_consult_reply(dossier=d, actor=w.specialist, step=d.current_step, opinion="x", at=at(2, 10))
    with pytest.raises(DomainError) as restart:
        P.dossier_start_processing(dossier=d, actor=w.specialist, at=at(2, 10))
    assert restart.value.status == 409
    assert snapshot_state(d) == before


def test_other_agency_cannot_act_and_handlers_are_checked(w):
    d = receive(w, when=at(2, 8))
    with pytest.raises(PermissionDeniedError):
        P.dossier_start_processing(dossier=d, actor=w.outsider, at=at(2, 9))
    with pytest.raises(PermissionDeniedError):
        P.dossier_assign(dossier=d, actor=w.dept_leader, handler=w.dept_specialist, at=at(2, 9))
    with pytest.raises(PermissionDeniedError):
        P.dossier_assign(dossier=d, actor=w.specialist, handler=w.specialist2, at=at(2, 9))
    with pytest.raises(DomainError) as wrong:
        P.dossier_assign(dossier=d, actor=w.leader, handler=w.outsider, at=at(2, 9))
    assert wrong.value.code == "invalid_handler"
    with pytest.raises(DomainError) as wrong_unit:
        P.dossier_assign(dossier=d, actor=w.leader, handler=w.officer, at=at(2, 9))
    assert "Tư pháp - Hộ tịch" in wrong_unit.value.message
    P.dossier_assign(dossier=d, actor=w.leader, handler=w.specialist2, at=at(2, 9))
    with pytest.raises(PermissionDeniedError):
        P.dossier_start_processing(dossier=d, actor=w.specialist, at=at(2, 10))
    P.dossier_start_processing(dossier=d, actor=w.specialist2, at=at(2, 10))
    d.refresh_from_db()
    assert d.current_handler == w.specialist2


def test_send_back_to_the_previous_step(w):
    d = receive(w, when=at(2, 8))
    P.dossier_start_processing(dossier=d, actor=w.specialist, at=at(2, 9))
    with pytest.raises(DomainError) as first:
        P.dossier_send_back(dossier=d, actor=w.specialist, reason="Sai", at=at(2, 10))
    assert first.value.code == "no_previous_step"
    P.dossier_step_complete(dossier=d, actor=w.specialist, at=at(2, 11))
    with pytest.raises(DomainError):
        P.dossier_send_back(dossier=d, actor=w.leader, reason="", at=at(3, 9))
    back = P.dossier_send_back(dossier=d, actor=w.leader, reason="Thẩm định lại tên cha", at=at(3, 9))
    d.refresh_from_db()
    assert back.name == "Thẩm định hồ sơ" and back.handler == w.specialist and back.deadline_at == at(5, 17)
    assert d.current_step == back and d.current_handler == w.specialist
    sent = DossierStep.objects.get(dossier=d, order=3)
    assert sent.outcome == "sent_back" and sent.finished_by == w.leader
    assert DossierEvent.objects.filter(dossier=d, kind=EventKind.SEND_BACK, note="Thẩm định lại tên cha").exists()


def test_consultation_of_any_agency_needs_the_catalogue_permission(w):
    d = receive(w, when=at(2, 8))
    P.dossier_start_processing(dossier=d, actor=w.specialist, at=at(2, 9))
    with pytest.raises(DomainError) as refused:
        P.dossier_consult(dossier=d, actor=w.specialist, agency=w.department, content="x", days=1, at=at(2, 10))
    assert refused.value.code == "consultation_not_allowed"
    inter = receive(w, procedure=w.inter_procedure, when=at(2, 8))
    P.dossier_start_processing(dossier=inter, actor=w.specialist, at=at(2, 9))
    with pytest.raises(DomainError) as no_time:
        P.dossier_consult(dossier=inter, actor=w.specialist, agency=w.other_commune, content="x", at=at(2, 10))
    assert no_time.value.code == "deadline_required"
    first = P.dossier_consult(dossier=inter, actor=w.specialist, agency=w.other_commune, content="Hỏi ranh giới",
                              hours=4, at=at(2, 10))
    second = P.dossier_consult(dossier=inter, actor=w.specialist, agency=w.department, content="Hỏi quy hoạch",
                               days=Decimal("1"), at=at(2, 10))
    assert first.deadline_at == at(2, 16) and second.deadline_at == at(3, 17)
    with pytest.raises(DomainError) as twice:
        P.dossier_consult(dossier=inter, actor=w.specialist, agency=w.department, content="x", days=1, at=at(2, 11))
    assert twice.value.code == "already_consulting"
    P.dossier_consult_reply(dossier=inter, actor=w.outsider, step=first, opinion="Đúng ranh", at=at(3, 9))
    inter.refresh_from_db()
    assert inter.status == DossierStatus.CONSULTING  # still waiting for the department
    first.refresh_from_db()
    assert first.timing == StepTiming.LATE
    P.dossier_consult_reply(dossier=inter, actor=w.dept_specialist, step=second, opinion="Phù hợp", at=at(3, 10))
    inter.refresh_from_db()
    assert inter.status == DossierStatus.PROCESSING


def test_result_pdf_signature_is_detected_and_non_pdf_refused(w):
    d = receive(w, when=at(2, 8))
    P.dossier_start_processing(dossier=d, actor=w.specialist, at=at(2, 9))
    signed = P.dossier_attach_result(
        dossier=d, actor=w.specialist, title="Giấy khai sinh",
        upload=SimpleUploadedFile("giay-khai-sinh.pdf", pdf_bytes(signed=True), content_type="application/pdf"),
        at=at(2, 10))
    plain = P.dossier_attach_result(
        dossier=d, actor=w.specialist, title="Bản nháp",
        upload=SimpleUploadedFile("ban-nhap.pdf", pdf_bytes(), content_type="application/pdf"), at=at(2, 10))
    assert P.result_signatures(d) == {str(signed.uuid): True, str(plain.uuid): False}
    event = DossierEvent.objects.filter(dossier=d, kind=EventKind.ATTACH_RESULT).order_by("seq").first()
    assert event.note == "Giấy khai sinh (Đã ký số)"
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    files_before = DossierFile.objects.count()
    with pytest.raises(DomainError) as fake:
        P.dossier_attach_result(dossier=d, actor=w.specialist, title="Giả",
                                upload=SimpleUploadedFile("ket-qua.pdf", png), at=at(2, 11))
    assert fake.value.code == "file_content_mismatch"
    with pytest.raises(DomainError) as image:
        P.dossier_attach_result(dossier=d, actor=w.specialist, title="Ảnh",
                                upload=SimpleUploadedFile("ket-qua.png", png), at=at(2, 11))
    assert image.value.code == "result_not_pdf"
    assert DossierFile.objects.count() == files_before


def test_reject_stop_and_withdraw(w):
    d = receive(w, when=at(2, 8))
    P.dossier_start_processing(dossier=d, actor=w.specialist, at=at(2, 9))
    with pytest.raises(DomainError):
        P.dossier_reject(dossier=d, actor=w.specialist, reason=" ", at=at(2, 10))
    P.dossier_reject(dossier=d, actor=w.specialist, reason="Không đủ điều kiện đăng ký", at=at(2, 10))
    d.refresh_from_db()
    assert d.status == DossierStatus.REJECTED and NATIONAL_CODE[d.status] == 8 and d.timing == StepTiming.EARLY
    R.dossier_return_result(dossier=d, actor=w.officer, channel="online", at=at(2, 11))
    d.refresh_from_db()
    assert d.status == DossierStatus.RETURNED

    stopped = receive(w, when=at(2, 8))
    with pytest.raises(PermissionDeniedError):
        P.dossier_stop(dossier=stopped, actor=w.specialist, reason="x", at=at(2, 9))
    P.dossier_stop(dossier=stopped, actor=w.leader, reason="Theo quyết định của cơ quan có thẩm quyền",
                   at=at(2, 9))
    stopped.refresh_from_db()
    assert stopped.status == DossierStatus.STOPPED and stopped.current_step is None
    assert not DossierStep.objects.filter(dossier=stopped, finished_at__isnull=True).exists()

    withdrawn = receive(w, when=at(2, 8), applicant_user=w.citizen)
    P.dossier_start_processing(dossier=withdrawn, actor=w.specialist, at=at(2, 9))
    with pytest.raises(DomainError):
        P.dossier_withdraw(dossier=withdrawn, actor=w.officer, reason="", at=at(2, 10))
    P.dossier_withdraw(dossier=withdrawn, actor=w.citizen, at=at(2, 10))
    withdrawn.refresh_from_db()
    assert withdrawn.status == DossierStatus.WITHDRAWN and NATIONAL_CODE[withdrawn.status] == 7
    with pytest.raises(DomainError) as closed:
        P.dossier_withdraw(dossier=withdrawn, actor=w.citizen, at=at(2, 11))
    assert closed.value.status == 409


def test_available_actions_follow_role_and_status(w):
    d = receive(w, when=at(2, 8))
    assert P.available_actions(w.specialist, d) == ["start", "apologize", "attach_result"]
    assert "assign" in P.available_actions(w.leader, d) and "stop" in P.available_actions(w.leader, d)
    assert P.available_actions(w.outsider, d) == []
    P.dossier_start_processing(dossier=d, actor=w.specialist, at=at(2, 9))
    d.refresh_from_db()
    actions = P.available_actions(w.specialist, d)
    assert "complete" in actions and "approve" not in actions and "consult" not in actions
    P.dossier_step_complete(dossier=d, actor=w.specialist, at=at(2, 10))
    d.refresh_from_db()
    assert "approve" in P.available_actions(w.leader, d)
    P.dossier_approve(dossier=d, actor=w.leader, at=at(3, 9))
    d.refresh_from_db()
    assert {"return_result", "notify_early_return", "rate"} <= set(P.available_actions(w.officer, d, now=at(3, 10)))


def test_unassigned_step_needs_the_role_the_catalogue_gives_it(w):
    d = receive(w, when=at(2, 8))
    P.dossier_start_processing(dossier=d, actor=w.specialist, at=at(2, 9))
    P.dossier_step_complete(dossier=d, actor=w.specialist, at=at(2, 10))
    d.refresh_from_db()
    assert d.current_step.name == "Phê duyệt kết quả" and d.current_step.handler is None
    assert not P.can_act_on_step(w.specialist, d.current_step)
    assert "approve" not in P.available_actions(w.specialist, d)
    with pytest.raises(PermissionDeniedError):
        P.dossier_approve(dossier=d, actor=w.specialist, at=at(2, 11))
    P.dossier_assign(dossier=d, actor=w.leader, handler=w.specialist2, at=at(2, 11))  # delegated: now he may
    d.refresh_from_db()
    assert P.can_act_on_step(w.specialist2, d.current_step)
