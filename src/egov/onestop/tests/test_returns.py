"""Return of results (counter, post, online), the early-return notice and the applicant's rating."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.core.errors import DomainError, PermissionDeniedError
from egov.core.models import AuditEntry
from egov.onestop import processing as P
from egov.onestop import returns as R
from egov.onestop.models import DossierDailyStat, DossierEvent, EventKind, Rating
from egov.onestop.status import DossierStatus
from egov.onestop.tests.processing_world import at, build_world, pdf_bytes, receive
from egov.workdays import loader

ANSWERS = {"thoi_gian": "som", "so_co_quan": "1", "so_lan_lien_he": "0", "thong_tin_cong_khai": "chinh_xac",
           "thai_do": "hai_long", "ket_qua": "dung", "truc_tuyen": "khong_su_dung"}


@pytest.fixture
def w(db):
    loader.reset()
    return build_world()


def finished(w, *, when=None, done_at=None, **kwargs):
    d = receive(w, when=when or at(2, 8), **kwargs)
    P.dossier_start_processing(dossier=d, actor=w.specialist, at=at(2, 9))
    P.dossier_step_complete(dossier=d, actor=w.specialist, at=at(2, 10))
    P.dossier_approve(dossier=d, actor=w.leader, at=done_at or at(3, 9))
    d.refresh_from_db()
    return d


def test_return_at_the_counter_finishes_the_return_step(w):
    d = finished(w)
    assert d.current_step.name == "Trả kết quả" and d.current_step.deadline_at == at(4, 11)
    with pytest.raises(PermissionDeniedError):
        R.dossier_return_result(dossier=d, actor=w.specialist, channel="counter", at=at(3, 10))
    with pytest.raises(PermissionDeniedError):
        R.dossier_return_result(dossier=d, actor=w.outsider_officer, channel="counter", at=at(3, 10))
    with pytest.raises(DomainError) as channel:
        R.dossier_return_result(dossier=d, actor=w.officer, channel="fax", at=at(3, 10))
    assert channel.value.code == "invalid_channel"
    R.dossier_return_result(dossier=d, actor=w.officer, channel="counter", at=at(3, 10))
    d.refresh_from_db()
    assert d.status == DossierStatus.RETURNED and d.returned_at == at(3, 10) and d.current_step is None
    step = d.steps.get(name="Trả kết quả")
    assert step.finished_by == w.officer and step.timing == "early"
    assert DossierDailyStat.objects.get(agency=w.commune).returned == 1
    with pytest.raises(DomainError) as twice:
        R.dossier_return_result(dossier=d, actor=w.officer, channel="counter", at=at(3, 11))
    assert twice.value.status == 409


def test_return_by_post_needs_tracking_and_online_needs_a_result_file(w):
    d = finished(w)
    events = DossierEvent.objects.filter(dossier=d).count()
    with pytest.raises(DomainError) as tracking:
        R.dossier_return_result(dossier=d, actor=w.officer, channel="post", at=at(3, 10))
    assert tracking.value.code == "tracking_required"
    with pytest.raises(DomainError) as missing:
        R.dossier_return_result(dossier=d, actor=w.officer, channel="online", at=at(3, 10))
    assert missing.value.code == "result_missing" and missing.value.status == 409
    assert DossierEvent.objects.filter(dossier=d).count() == events
    P.dossier_attach_result(dossier=d, actor=w.officer, title="Giấy khai sinh điện tử", at=at(3, 10),
                            upload=SimpleUploadedFile("gks.pdf", pdf_bytes(signed=True)))
    R.dossier_return_result(dossier=d, actor=w.officer, channel="online", at=at(3, 11))
    event = DossierEvent.objects.filter(dossier=d).order_by("-seq").first()
    assert event.kind == EventKind.RETURN and event.data["channel"] == "online"


def test_early_return_notice_once_before_the_due_date(w):
    d = finished(w)
    with pytest.raises(PermissionDeniedError):
        R.dossier_notify_early_return(dossier=d, actor=w.specialist, at=at(3, 10))
    message = R.dossier_notify_early_return(dossier=d, actor=w.officer, at=at(3, 10))
    assert message.kind == EventKind.MESSAGE and message.public and message.data["to"] == "applicant"
    assert d.code in message.note and "09/03/2026 17:00" in message.note
    assert DossierEvent.objects.filter(dossier=d, kind=EventKind.EARLY_NOTICE, public=True).count() == 1
    with pytest.raises(DomainError) as again:
        R.dossier_notify_early_return(dossier=d, actor=w.officer, at=at(3, 11))
    assert again.value.code == "already_notified"
    late = finished(w)
    with pytest.raises(DomainError) as not_early:
        R.dossier_notify_early_return(dossier=late, actor=w.officer, at=at(9, 17, 30))
    assert not_early.value.code == "not_early"
    processing = receive(w)
    with pytest.raises(DomainError) as not_done:
        R.dossier_notify_early_return(dossier=processing, actor=w.officer, at=at(3, 10))
    assert not_done.value.status == 409


def test_rating_by_the_applicant_or_the_counter_device_once(w):
    d = finished(w, applicant_user=w.citizen)
    with pytest.raises(PermissionDeniedError):
        R.rating_submit(dossier=d, actor=w.specialist, answers=ANSWERS, overall=5)
    with pytest.raises(PermissionDeniedError):
        R.rating_submit(dossier=d, actor=w.citizen, answers=ANSWERS, overall=5, source="counter")
    audit = AuditEntry.objects.count()
    for answers, overall, code in (
        ({**ANSWERS, "thai_do": ""}, 5, "answer_required"),
        ({**ANSWERS, "bi_mat": "x"}, 5, "invalid_answers"),
        ({**ANSWERS, "so_co_quan": "9"}, 5, "invalid_answers"),
        (ANSWERS, 6, "invalid_overall"),
        (ANSWERS, "4.5", "invalid_overall"),
        (ANSWERS, True, "invalid_overall"),
    ):
        with pytest.raises(DomainError) as bad:
            R.rating_submit(dossier=d, actor=w.citizen, answers=answers, overall=overall)
        assert bad.value.code == code
    assert AuditEntry.objects.count() == audit and not Rating.objects.exists()
    rating = R.rating_submit(dossier=d, actor=w.citizen, answers=ANSWERS, overall=5, comment="Nhanh, chu đáo")
    assert rating.answers["_source"] == "online" and rating.overall == 5
    with pytest.raises(DomainError) as twice:
        R.rating_submit(dossier=d, actor=w.officer, answers=ANSWERS, overall=4, source="counter")
    assert twice.value.code == "already_rated" and twice.value.status == 409

    at_counter = finished(w)
    R.rating_submit(dossier=at_counter, actor=w.officer, answers=ANSWERS, overall="4", source="counter")
    assert at_counter.rating.answers["_source"] == "counter"

    unfinished = receive(w)
    with pytest.raises(DomainError) as early:
        R.rating_submit(dossier=unfinished, actor=w.officer, answers=ANSWERS, overall=4, source="counter")
    assert early.value.code == "not_finished"
