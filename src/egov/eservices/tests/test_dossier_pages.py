"""The citizen's dossier after submission: messages, supplements online, result download, withdrawal, rating."""

import pytest
from django.urls import reverse

from egov.eservices.services import dossier_supplement_online
from egov.eservices.tests.conftest import move, receive
from egov.onestop import files as onestop_files
from egov.onestop.models import Dossier, DossierFile, EventKind, FileRole, ProcedureVersion, Rating
from egov.onestop.status import DossierStatus
from egov.onestop.tests import factories
from egov.onestop.workflow import dossier_event_append


def _detail(dossier):
    return reverse("eservices:dossier", args=[dossier.uuid])


@pytest.mark.django_db
def test_status_and_public_messages_are_shown_private_notes_are_not(client, world, submit):
    dossier = receive(submit(), world["officer"])
    dossier_event_append(dossier=dossier, kind=EventKind.MESSAGE, actor=world["officer"],
                         note="Mời ông/bà mang bản chính giấy chứng sinh khi nhận kết quả.")
    dossier_event_append(dossier=dossier, kind=EventKind.MESSAGE, actor=world["officer"], public=False,
                         note="Ghi chú nội bộ của cán bộ")
    client.force_login(world["citizen"])
    listing = client.get(reverse("eservices:dossiers")).content.decode()
    assert dossier.code in listing and "Đã tiếp nhận" in listing and "mã trạng thái 2" in listing
    page = client.get(_detail(dossier)).content.decode()
    assert "Mời ông/bà mang bản chính" in page and "Ghi chú nội bộ" not in page
    assert "Ngày sinh của trẻ</dt><dd class=\"col-sm-8\">01/06/2025" in page
    assert "Bổ sung hồ sơ</h2>" not in page


@pytest.mark.django_db
def test_supplement_at_reception_returns_the_dossier_to_the_queue(client, world, submit):
    dossier = move(submit(), DossierStatus.RECEPTION_SUPPLEMENT, EventKind.REQUEST_SUPPLEMENT, world["officer"],
                   note="Giấy chứng sinh bị mờ", data={"items": ["Giấy chứng sinh (bản quét rõ nét)"]})
    client.force_login(world["citizen"])
    page = client.get(_detail(dossier)).content.decode()
    assert "Gửi hồ sơ bổ sung" in page and "Giấy chứng sinh (bản quét rõ nét)" in page
    response = client.post(reverse("eservices:supplement", args=[dossier.uuid]),
                           {"files": [factories.upload("chung-sinh-ro.pdf")], "note": "Gửi lại bản rõ"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    assert dossier.files.filter(role=FileRole.SUPPLEMENT, original_name="chung-sinh-ro.pdf").exists()
    assert dossier.events.order_by("-seq").first().kind == EventKind.SUPPLEMENT


@pytest.mark.django_db
def test_online_supplement_loop_with_the_reception_services(client, world, submit):
    from egov.onestop import reception

    dossier = reception.dossier_request_supplement_online(
        actor=world["officer"], dossier=submit(), reason="Ảnh giấy chứng sinh bị mờ",
        items=["Giấy chứng sinh: chụp lại rõ nét"])
    assert dossier.status == DossierStatus.RECEPTION_SUPPLEMENT
    client.force_login(world["citizen"])
    assert "Giấy chứng sinh: chụp lại rõ nét" in client.get(_detail(dossier)).content.decode()
    response = client.post(reverse("eservices:supplement", args=[dossier.uuid]),
                           {"files": [factories.upload("chung-sinh-moi.pdf")]})
    assert response.status_code == 302
    accepted = reception.dossier_accept(actor=world["officer"], dossier=Dossier.objects.get(pk=dossier.pk))
    assert accepted.status == DossierStatus.RECEIVED and accepted.code


@pytest.mark.django_db
def test_supplement_during_processing_resumes_through_the_processing_service(world, submit):
    dossier = receive(submit(), world["officer"])
    dossier = move(dossier, DossierStatus.PROCESSING, EventKind.ASSIGN, world["officer"])
    dossier = move(dossier, DossierStatus.SUPPLEMENT, EventKind.REQUEST_SUPPLEMENT, world["officer"],
                   note="Thiếu trang 2")
    dossier_supplement_online(citizen=world["citizen"], dossier=dossier,
                              files=[factories.upload("trang-2.pdf"), factories.upload("anh.png", factories.png_bytes(),
                                                                                      "image/png")])
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.files.filter(role=FileRole.SUPPLEMENT).count() == 2


@pytest.mark.django_db
def test_bad_supplement_changes_nothing(client, world, submit, settings):
    dossier = move(submit(), DossierStatus.RECEPTION_SUPPLEMENT, EventKind.REQUEST_SUPPLEMENT, world["officer"])
    before = (dossier.files.count(), dossier.events.count())
    client.force_login(world["citizen"])
    fake = factories.upload("bo-sung.pdf", factories.png_bytes())
    response = client.post(reverse("eservices:supplement", args=[dossier.uuid]),
                           {"files": [factories.upload("tot.pdf"), fake]})
    assert response.status_code == 400
    assert "không phải là tệp PDF thật" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RECEPTION_SUPPLEMENT
    assert (dossier.files.count(), dossier.events.count()) == before
    assert client.post(reverse("eservices:supplement", args=[dossier.uuid]), {}).status_code == 400
    # Not waiting for a supplement: refused.
    other = submit()
    refused = client.post(reverse("eservices:supplement", args=[other.uuid]), {"files": [factories.upload("a.pdf")]})
    assert refused.status_code == 400 and "không ở trạng thái chờ bổ sung" in refused.content.decode()
    # Someone else's dossier: not found.
    client.force_login(world["other_citizen"])
    assert client.post(reverse("eservices:supplement", args=[dossier.uuid]),
                       {"files": [factories.upload("a.pdf")]}).status_code == 404


def _finished_with_result(world, submit):
    dossier = receive(submit(), world["officer"])
    dossier = move(dossier, DossierStatus.PROCESSING, EventKind.ASSIGN, world["officer"])
    result = onestop_files.dossier_file_store(
        dossier=dossier, checked=onestop_files.upload_check(factories.upload("giay-khai-sinh.pdf")),
        role=FileRole.RESULT, actor=world["officer"], title="Giấy khai sinh (bản điện tử)")
    dossier = move(dossier, DossierStatus.DONE, EventKind.FINISH, world["officer"])
    return dossier, result


@pytest.mark.django_db
def test_result_download_is_for_the_applicant_of_a_finished_dossier(client, world, submit):
    dossier, result = _finished_with_result(world, submit)
    url = reverse("eservices:file", args=[dossier.uuid, result.uuid])
    client.force_login(world["citizen"])
    page = client.get(_detail(dossier)).content.decode()
    assert "Tải về: Giấy khai sinh (bản điện tử)" in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    paper = DossierFile.objects.filter(dossier=dossier, role=FileRole.PAPER).first()
    assert client.get(reverse("eservices:file", args=[dossier.uuid, paper.uuid])).status_code == 200
    internal = onestop_files.dossier_file_store(
        dossier=dossier, checked=onestop_files.upload_check(factories.upload("to-trinh.pdf")),
        role=FileRole.WORKING, actor=world["officer"], title="Tờ trình nội bộ")
    assert client.get(reverse("eservices:file", args=[dossier.uuid, internal.uuid])).status_code == 404
    assert "Tờ trình nội bộ" not in page
    client.force_login(world["other_citizen"])
    assert client.get(url).status_code == 404
    client.force_login(world["officer"])
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_no_online_result_when_the_procedure_does_not_return_online(client, world, submit):
    dossier, result = _finished_with_result(world, submit)
    ProcedureVersion.objects.filter(pk=dossier.procedure_version_id).update(online_result=False)
    client.force_login(world["citizen"])
    assert client.get(reverse("eservices:file", args=[dossier.uuid, result.uuid])).status_code == 404
    assert "Tải về" not in client.get(_detail(dossier)).content.decode()


@pytest.mark.django_db
def test_result_not_downloadable_before_the_dossier_is_finished(client, world, submit):
    dossier = move(receive(submit(), world["officer"]), DossierStatus.PROCESSING, EventKind.ASSIGN,
                   world["officer"])
    result = onestop_files.dossier_file_store(
        dossier=dossier, checked=onestop_files.upload_check(factories.upload("du-thao.pdf")), role=FileRole.RESULT)
    client.force_login(world["citizen"])
    assert client.get(reverse("eservices:file", args=[dossier.uuid, result.uuid])).status_code == 404


@pytest.mark.django_db
def test_withdraw_online(client, world, submit):
    dossier = submit()
    client.force_login(world["citizen"])
    response = client.post(reverse("eservices:withdraw", args=[dossier.uuid]), {"reason": "Nộp nhầm thủ tục"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.WITHDRAWN
    again = client.post(reverse("eservices:withdraw", args=[dossier.uuid]), {})
    assert again.status_code == 400 and "không thể rút" in again.content.decode()


@pytest.mark.django_db
def test_rating_after_the_result(client, world, submit):
    dossier, _ = _finished_with_result(world, submit)
    client.force_login(world["citizen"])
    assert "Đánh giá mức độ hài lòng" in client.get(_detail(dossier)).content.decode()
    answers = {"thoi_gian": "dung", "so_co_quan": "0", "so_lan_lien_he": "0", "thong_tin_cong_khai": "chinh_xac",
               "thai_do": "hai_long", "ket_qua": "dung", "truc_tuyen": "tot", "overall": "5"}
    incomplete = client.post(reverse("eservices:rate", args=[dossier.uuid]), {"overall": "5"})
    assert incomplete.status_code == 400 and not Rating.objects.exists()
    assert client.post(reverse("eservices:rate", args=[dossier.uuid]), answers).status_code == 302
    rating = Rating.objects.get(dossier=dossier)
    assert rating.overall == 5 and rating.answers["_source"] == "online"
    twice = client.post(reverse("eservices:rate", args=[dossier.uuid]), answers)
    assert twice.status_code == 400 and "đã được đánh giá" in twice.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.DONE
