"""Work queues, the dossier page with its action forms, Forms 04/05/06 as PDFs and the processing API,
through the real stack (URLs, middleware, templates, WeasyPrint, JSON errors)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from egov.core.models import AuditEntry
from egov.onestop import processing as P
from egov.onestop import selectors as S
from egov.onestop.models import DossierEvent, DossierFile
from egov.onestop.status import DossierStatus
from egov.onestop.tests.processing_world import at, build_world, pdf_bytes, receive
from egov.workdays import loader
from egov.workdays.services import next_working_day

API = "/api/v1/onestop"


@pytest.fixture
def w(db):
    loader.reset()
    return build_world()


def pdf_text(content: bytes) -> str:
    """The PDF's text with line breaks and runs of spaces folded, so table cells compare as phrases."""
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def now_dossier(w, **kwargs):
    """A dossier received now: the page and API tests act at the real time (no frozen clock under pydantic)."""
    return receive(w, when=timezone.now(), **kwargs)


def long_date(value) -> str:
    local = timezone.localtime(value)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def login(client, user):
    client.force_login(user)
    return client


def counts(dossier):
    dossier.refresh_from_db()
    return dossier.status, DossierEvent.objects.filter(dossier=dossier).count(), AuditEntry.objects.count()


# --- queues -------------------------------------------------------------------------------------------------
def test_queues_mine_due_soon_overdue_by_status(w):
    mine = receive(w, when=at(2, 8))
    P.dossier_start_processing(dossier=mine, actor=w.specialist, at=at(2, 9))
    other = receive(w, when=at(2, 8))
    P.dossier_assign(dossier=other, actor=w.leader, handler=w.specialist2, at=at(2, 9))
    late = receive(w, when=at(2, 8))
    P.dossier_start_processing(dossier=late, actor=w.specialist2, at=at(2, 9))
    paused = receive(w, when=at(2, 8))
    P.dossier_start_processing(dossier=paused, actor=w.specialist, at=at(2, 9))
    P.dossier_request_supplement(dossier=paused, actor=w.specialist, reason="Thiếu", items=["Tờ khai"], at=at(2, 10))
    elsewhere = receive(w, when=at(2, 8))
    elsewhere.receiving_agency = elsewhere.current_agency = w.other_commune
    elsewhere.save()
    elsewhere.steps.update(agency=w.other_commune, unit=None)

    assert {d.code for d in S.dossiers_mine(w.specialist)} == {mine.code, paused.code}
    assert {d.code for d in S.dossiers_mine(w.specialist2)} == {other.code, late.code}
    # Due Monday 09/03 17:00: not due soon on Wednesday, due soon (within one working day) on Friday afternoon.
    assert not S.dossiers_due_soon(w.leader, now=at(4, 9)).exists()
    due_friday = {d.code for d in S.dossiers_due_soon(w.leader, now=at(6, 18))}
    assert due_friday == {mine.code, other.code, late.code}  # the paused one waits for the applicant
    assert {d.code for d in S.dossiers_due_soon(w.leader, 3, now=at(4, 9))} == due_friday
    assert {d.code for d in S.dossiers_overdue(w.leader, now=at(10, 8))} == due_friday
    assert not S.dossiers_overdue(w.leader, now=at(9, 16)).exists()
    assert {d.code for d in S.dossiers_by_status(w.leader, DossierStatus.SUPPLEMENT)} == {paused.code}
    assert elsewhere.code not in {d.code for d in S.dossiers_by_status(w.leader, DossierStatus.RECEIVED)}
    assert {d.code for d in S.dossiers_mine(w.outsider)} == {elsewhere.code}  # his commune's unassigned one
    fresh = receive(w, when=at(3, 8))  # nobody assigned yet: the unit's specialists and the leader see it
    assert fresh.code in {d.code for d in S.dossiers_mine(w.specialist2)}
    assert fresh.code in {d.code for d in S.dossiers_mine(w.leader)}
    assert fresh.code not in {d.code for d in S.dossiers_mine(w.officer)}
    P.dossier_start_processing(dossier=fresh, actor=w.specialist, at=at(3, 9))
    P.dossier_step_complete(dossier=fresh, actor=w.specialist, at=at(3, 10))
    P.dossier_approve(dossier=fresh, actor=w.leader, at=at(3, 11))
    assert fresh.code in {d.code for d in S.dossiers_mine(w.officer)}  # the result waits at the counter
    # The tab counts (one query) agree with each list, for every kind of official and moment.
    for user in (w.specialist, w.specialist2, w.leader, w.officer, w.outsider):
        for now in (at(4, 9), at(6, 18), at(10, 8)):
            assert S.queue_counts(user, now=now) == {
                "mine": S.dossiers_mine(user).count(), "due_soon": S.dossiers_due_soon(user, now=now).count(),
                "overdue": S.dossiers_overdue(user, now=now).count()}, (user.username, now)
    assert S.queue_counts(w.leader, now=at(10, 8))["overdue"] == 3
    with pytest.raises(Exception) as bad:
        S.dossiers_by_status(w.leader, "khong-co")
    assert getattr(bad.value, "code", "") == "invalid_status"


def test_a_dossier_with_several_steps_of_the_agency_is_listed_once(w):
    """Visibility goes through the steps as a subquery (no join, no DISTINCT): one row per dossier."""
    from egov.onestop.models import Dossier
    from egov.onestop.policies import dossiers_visible_to

    dossier = receive(w, when=at(2, 8))
    assert dossier.steps.filter(agency=w.commune).count() >= 2
    listed = [d.code for d in S.dossiers_by_status(w.leader, DossierStatus.RECEIVED)]
    assert listed.count(dossier.code) == 1
    assert dossiers_visible_to(w.leader, Dossier.objects.all()).filter(pk=dossier.pk).count() == 1
    assert not dossiers_visible_to(w.outsider, Dossier.objects.all()).filter(pk=dossier.pk).exists()


def test_queue_page_tabs_and_pagination(client, w):
    first = receive(w, when=at(2, 8))
    P.dossier_start_processing(dossier=first, actor=w.specialist, at=at(2, 9))
    login(client, w.specialist)
    page = client.get(reverse("onestop:work_queue"))  # today is after 09/03/2026: the dossier is overdue
    assert page.status_code == 200
    html = page.content.decode()
    for tab in ("Của tôi", "Sắp đến hạn", "Quá hạn", "Theo trạng thái"):
        assert tab in html
    assert first.code in html and "Quá hạn" in html and "09/03/2026 17:00" in html
    overdue = client.get(reverse("onestop:work_queue"), {"tab": "overdue"})
    assert first.code in overdue.content.decode()
    by_status = client.get(reverse("onestop:work_queue"), {"tab": "status", "trang_thai": "done"})
    assert first.code not in by_status.content.decode()
    bad = client.get(reverse("onestop:work_queue"), {"tab": "status", "trang_thai": "<script>"})
    assert bad.status_code == 400 and "Trạng thái hồ sơ không hợp lệ" in bad.content.decode()
    client.force_login(w.citizen)
    assert client.get(reverse("onestop:work_queue")).status_code == 403


# --- the dossier page -----------------------------------------------------------------------------------------
def test_detail_page_timeline_steps_actions_and_errors(client, w):
    d = receive(w, when=at(2, 8))
    login(client, w.specialist)
    url = reverse("onestop:work_dossier", kwargs={"code": d.code})
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Đã tiếp nhận (mã 2)" in html and "Thẩm định hồ sơ" in html and "04/03/2026 17:00" in html
    assert 'data-action="start"' in html and 'data-action="complete"' not in html
    assert "<script>" not in html.replace('<script src=', '')  # no inline scripts (CSP)

    started = client.post(reverse("onestop:work_action", kwargs={"code": d.code, "action": "start"}))
    assert started.status_code == 302
    d.refresh_from_db()
    assert d.status == DossierStatus.PROCESSING
    html = client.get(url).content.decode()
    assert "Bắt đầu xử lý" in html and 'data-action="complete"' in html and "Đang xử lý" in html

    before = counts(d)
    empty = client.post(reverse("onestop:work_action", kwargs={"code": d.code, "action": "send_back"}),
                        {"reason": ""})
    assert empty.status_code == 400
    assert "Cần nhập lý do trả lại." in empty.content.decode()
    illegal = client.post(reverse("onestop:work_action", kwargs={"code": d.code, "action": "return_result"}),
                          {"channel": "counter"})
    assert illegal.status_code in (403, 409)
    unknown = client.post(reverse("onestop:work_action", kwargs={"code": d.code, "action": "bay-mau"}))
    assert unknown.status_code == 404
    assert counts(d) == before

    done = client.post(reverse("onestop:work_action", kwargs={"code": d.code, "action": "complete"}),
                       {"note": "Đủ điều kiện"})
    assert done.status_code == 302
    client.force_login(w.leader)
    upload = SimpleUploadedFile("giay-khai-sinh.pdf", pdf_bytes(signed=True), content_type="application/pdf")
    attached = client.post(reverse("onestop:work_action", kwargs={"code": d.code, "action": "attach_result"}),
                           {"title": "Giấy khai sinh", "file": upload})
    assert attached.status_code == 302
    html = client.get(url).content.decode()
    assert "Giấy khai sinh" in html and "Đã ký số" in html
    assert client.post(reverse("onestop:work_action", kwargs={"code": d.code, "action": "approve"})).status_code == 302
    d.refresh_from_db()
    assert d.status == DossierStatus.DONE


def test_other_agency_gets_404_on_pages_and_api(client, w):
    d = receive(w, when=at(2, 8))
    login(client, w.outsider)
    assert client.get(reverse("onestop:work_dossier", kwargs={"code": d.code})).status_code == 404
    before = counts(d)
    action = client.post(reverse("onestop:work_action", kwargs={"code": d.code, "action": "start"}))
    assert action.status_code == 404
    api = client.post(f"{API}/dossiers/{d.code}/actions/start", {}, content_type="application/json")
    assert api.status_code == 404 and api.json()["code"] == "dossier_not_found"
    assert client.get(f"{API}/dossiers/{d.code}").status_code == 404
    assert client.get(reverse("onestop:work_form05", kwargs={"code": d.code})).status_code == 404
    assert counts(d) == before


# --- forms 04, 05, 06 -------------------------------------------------------------------------------------------
def test_form_04_is_issued_with_the_apology(client, w):
    d = now_dossier(w)
    P.dossier_start_processing(dossier=d, actor=w.specialist)
    old_due = d.due_at
    new_day = next_working_day(timezone.localtime(old_due).date())
    login(client, w.specialist)
    response = client.post(reverse("onestop:work_action", kwargs={"code": d.code, "action": "apologize"}),
                           {"reason": "Cần xác minh nơi cư trú", "new_due_at": new_day.isoformat()})
    assert response.status_code == 302
    d.refresh_from_db()
    record = DossierFile.objects.get(dossier=d, form_code="04")
    pdf = client.get(reverse("onestop:dossier_form_pdf", kwargs={"ref": d.code, "form_code": "04"}))
    content = b"".join(pdf.streaming_content)
    text = pdf_text(content)
    assert record.role == "form"
    for expected in ("xin lỗi", d.code, "Nguyễn Văn Dân", "Cần xác minh nơi cư trú", long_date(old_due),
                     long_date(d.due_at), "Phạm Văn Chủ Tịch"):
        assert expected in text, expected
    again = client.post(reverse("onestop:work_action", kwargs={"code": d.code, "action": "apologize"}),
                        {"reason": "Lần hai", "new_due_at": next_working_day(new_day).isoformat()})
    assert again.status_code == 409
    assert "Hồ sơ đã được gia hạn một lần, không thể gia hạn lần nữa" in again.content.decode()
    assert DossierFile.objects.filter(dossier=d, form_code="04").count() == 1


def test_form_05_lists_every_hand_over_with_timing(client, w):
    d = receive(w, procedure=w.inter_procedure, when=at(2, 8))
    P.dossier_start_processing(dossier=d, actor=w.specialist, at=at(2, 9))
    P.dossier_step_complete(dossier=d, actor=w.specialist, at=at(2, 10))
    P.dossier_step_complete(dossier=d, actor=w.dept_specialist, at=at(9, 10))
    login(client, w.specialist)
    response = client.get(reverse("onestop:work_form05", kwargs={"code": d.code}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in ("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "TÊN CƠ QUAN", "THỜI GIAN GIAO, NHẬN HỒ SƠ",
                     "KẾT QUẢ GIẢI QUYẾT HỒ SƠ", "GHI CHÚ", d.code, "Sở Nông nghiệp và Môi trường", "Trước hạn",
                     "Quá hạn", "Đang xử lý"):
        assert expected in text, expected
    rows = S.handover_rows(d)
    assert [r["timing"] for r in rows] == ["early", "late", ""]


def test_form_06_register_of_the_agency(client, w):
    first = receive(w, when=at(2, 8))
    second = receive(w, when=at(3, 9))
    login(client, w.officer)
    response = client.get(reverse("onestop:work_register"), {"tu": "2026-03-01", "den": "2026-03-31"})
    assert response.status_code == 200
    text = pdf_text(response.content)
    for expected in ("SỔ THEO DÕI HỒ SƠ", first.code, second.code, "Thủ tục đăng ký khai sinh", "Nguyễn Văn Dân",
                     "Hẹn trả kết quả"):
        assert expected in text, expected
    bad = client.get(reverse("onestop:work_register"), {"tu": "31/02/2026", "den": "2026-03-31"})
    assert bad.status_code == 400 and "không hợp lệ" in bad.content.decode()
    other = client.get(reverse("onestop:work_register"), {"tu": "2026-03-01", "den": "2026-03-31",
                                                          "co_quan": w.other_commune.code})
    assert other.status_code == 403
    login(client, w.outsider_officer)
    theirs = pdf_text(client.get(reverse("onestop:work_register"), {"tu": "2026-03-01", "den": "2026-03-31"}).content)
    assert first.code not in theirs


# --- the API ----------------------------------------------------------------------------------------------------
def test_api_queue_detail_actions_and_errors(client, w):
    d = now_dossier(w)
    login(client, w.specialist)
    listing = client.get(f"{API}/dossiers", {"queue": "status", "status": "received"})
    assert listing.status_code == 200
    body = listing.json()
    assert body["count"] == 1 and body["items"][0]["code"] == d.code and body["items"][0]["national_code"] == 2
    assert client.get(f"{API}/dossiers", {"queue": "nope"}).status_code == 422
    bad_status = client.get(f"{API}/dossiers", {"queue": "status", "status": "xyz"})
    assert bad_status.status_code == 400 and bad_status.json()["code"] == "invalid_status"

    detail = client.get(f"{API}/dossiers/{d.code}").json()
    assert detail["status_label"] == "Đã tiếp nhận" and detail["steps"][1]["name"] == "Thẩm định hồ sơ"
    assert detail["actions"][0] == "start" and detail["events"][0]["kind"] == "receive"

    started = client.post(f"{API}/dossiers/{d.code}/actions/start", {}, content_type="application/json")
    assert started.status_code == 200 and started.json()["national_code"] == 4

    before = counts(d)
    returned = client.post(f"{API}/dossiers/{d.code}/actions/return_result", {"channel": "counter"},
                           content_type="application/json")
    assert returned.status_code == 403  # a specialist is not the one-stop officer
    assert counts(d) == before
    login(client, w.officer)
    before = counts(d)
    returned = client.post(f"{API}/dossiers/{d.code}/actions/return_result", {"channel": "counter"},
                           content_type="application/json")
    assert returned.status_code == 409
    assert returned.json() == {"code": "illegal_transition", "message": returned.json()["message"]}
    assert "Đang xử lý" in returned.json()["message"]
    unknown = client.post(f"{API}/dossiers/{d.code}/actions/teleport", {}, content_type="application/json")
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_action"
    malformed = client.post(f"{API}/dossiers/{d.code}/actions/apologize", "{not json",
                            content_type="application/json")
    assert 400 <= malformed.status_code < 500
    wrong_type = client.post(f"{API}/dossiers/{d.code}/actions/request_payment", {"amount": "nhiều"},
                             content_type="application/json")
    assert wrong_type.status_code == 422
    assert counts(d) == before

    login(client, w.specialist)
    new_day = next_working_day(timezone.localtime(d.due_at).date())
    apology = client.post(f"{API}/dossiers/{d.code}/actions/apologize",
                          {"reason": "Chờ xác minh", "new_due_at": f"{new_day:%d/%m/%Y}"},
                          content_type="application/json")
    assert apology.status_code == 200 and apology.json()["extended"] is True
    second = client.post(f"{API}/dossiers/{d.code}/actions/apologize",
                         {"reason": "Lần hai", "new_due_at": next_working_day(new_day).isoformat()},
                         content_type="application/json")
    assert second.status_code == 409
    assert second.json()["message"] == "Hồ sơ đã được gia hạn một lần, không thể gia hạn lần nữa"

    upload = client.post(f"{API}/dossiers/{d.code}/actions/attach_result",
                         {"title": "Kết quả", "file": SimpleUploadedFile("kq.pdf", pdf_bytes())})
    assert upload.status_code == 200
    result = [f for f in upload.json()["files"] if f["role"] == "result"]
    assert result[0]["signed"] is False
    fake = client.post(f"{API}/dossiers/{d.code}/actions/attach_result",
                       {"title": "Giả", "file": SimpleUploadedFile("kq.pdf", b"MZ\x90\x00" + b"\x00" * 100)})
    assert fake.status_code == 400 and "không phải là tệp PDF thật" in fake.json()["message"]


def test_api_full_path_to_rating(client, w):
    d = now_dossier(w, applicant_user=w.citizen)
    P.dossier_start_processing(dossier=d, actor=w.specialist)
    P.dossier_step_complete(dossier=d, actor=w.specialist)
    login(client, w.leader)
    approved = client.post(f"{API}/dossiers/{d.code}/actions/approve", {"note": "Đồng ý"},
                           content_type="application/json")
    assert approved.status_code == 200 and approved.json()["status"] == "done"
    login(client, w.officer)
    notice = client.post(f"{API}/dossiers/{d.code}/actions/notify_early_return", {}, content_type="application/json")
    assert notice.status_code == 200
    assert any(e["kind"] == "early_notice" for e in notice.json()["events"])
    post = client.post(f"{API}/dossiers/{d.code}/actions/return_result", {"channel": "post"},
                       content_type="application/json")
    assert post.status_code == 400 and post.json()["code"] == "tracking_required"
    ok = client.post(f"{API}/dossiers/{d.code}/actions/return_result",
                     {"channel": "post", "post_tracking": "EB123456789VN"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["national_code"] == 10
    login(client, w.citizen)
    answers = {"thoi_gian": "som", "so_co_quan": "1", "so_lan_lien_he": "0", "thong_tin_cong_khai": "chinh_xac",
               "thai_do": "hai_long", "ket_qua": "dung"}
    bad = client.post(f"{API}/dossiers/{d.code}/rating", {"answers": {**answers, "thai_do": "tuyet"}, "overall": 5},
                      content_type="application/json")
    assert bad.status_code == 400 and "Thái độ" in bad.json()["message"]
    rated = client.post(f"{API}/dossiers/{d.code}/rating", {"answers": answers, "overall": 5},
                        content_type="application/json")
    assert rated.status_code == 201 and rated.json()["overall"] == 5
    again = client.post(f"{API}/dossiers/{d.code}/rating", {"answers": answers, "overall": 4},
                        content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "already_rated"


def test_api_requires_login(client, w):
    d = receive(w, when=at(2, 8))
    response = client.get(f"{API}/dossiers/{d.code}")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_openapi_schema_lists_the_processing_endpoints(client, w):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in ("/api/v1/onestop/dossiers", "/api/v1/onestop/dossiers/{code}",
                 "/api/v1/onestop/dossiers/{code}/actions/{action}",
                 "/api/v1/onestop/dossiers/{code}/actions/attach_result", "/api/v1/onestop/dossiers/{code}/rating"):
        assert path in paths, path


def test_consulted_agency_sees_the_dossier_and_token_clients_see_none(client, w):
    import datetime as dt

    from egov.apiclients.services import token_issue

    d = now_dossier(w, procedure=w.inter_procedure)
    login(client, w.outsider)
    assert client.get(f"{API}/dossiers/{d.code}").status_code == 404
    P.dossier_start_processing(dossier=d, actor=w.specialist)
    P.dossier_consult(dossier=d, actor=w.specialist, agency=w.other_commune, content="Hỏi ranh giới", days=1)
    detail = client.get(f"{API}/dossiers/{d.code}")
    assert detail.status_code == 200 and "consult_reply" in detail.json()["actions"]
    assert d.code in {row["code"] for row in client.get(f"{API}/dossiers", {"queue": "mine"}).json()["items"]}

    client.logout()
    _, secret = token_issue(actor=w.admin, agency=w.commune, name="Hệ thống thử", scopes=["onestop:read"],
                            expires_at=timezone.now() + dt.timedelta(days=30))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    for queue in ("mine", "due_soon", "overdue", "status"):
        listing = client.get(f"{API}/dossiers", {"queue": queue}, **headers)
        assert listing.status_code == 200 and listing.json()["count"] == 0
    assert client.get(f"{API}/dossiers/{d.code}", **headers).status_code == 404
    write = client.post(f"{API}/dossiers/{d.code}/actions/start", {}, content_type="application/json", **headers)
    assert write.status_code == 403 and write.json()["code"] == "insufficient_scope"
    scores = client.get(f"{API}/scores/officer", {"start": "2026-03-01", "end": "2026-03-31"}, **headers)
    assert scores.status_code == 403


def test_scores_api(client, w):
    d = receive(w, when=at(2, 8))
    P.dossier_start_processing(dossier=d, actor=w.specialist, at=at(2, 9))
    P.dossier_step_complete(dossier=d, actor=w.specialist, at=at(2, 10))
    P.dossier_approve(dossier=d, actor=w.leader, at=at(3, 9))
    login(client, w.leader)
    period = {"start": "2026-03-01", "end": "2026-03-31"}
    unit = client.get(f"{API}/scores/unit", period).json()
    assert unit["dossiers"] == 1 and unit["indices"][0]["score"] == "2.0" and unit["indices"][7]["score"] is None
    mine = client.get(f"{API}/scores/officer", {**period, "user": w.specialist.username})
    assert mine.status_code == 200 and mine.json()["total"] == "9.0"  # 2 + 2 + 2 + 1 + 2
    assert client.get(f"{API}/scores/unit", {**period, "agency": w.other_commune.code}).status_code == 403
    assert client.get(f"{API}/scores/unit", {**period, "agency": "KHONG"}).status_code == 404
    assert client.get(f"{API}/scores/unit", {"start": "31/03/2026", "end": "x"}).status_code == 422
    backwards = client.get(f"{API}/scores/unit", {"start": "2026-03-31", "end": "2026-03-01"})
    assert backwards.status_code == 400 and backwards.json()["code"] == "invalid_period"
    login(client, w.specialist)
    other = client.get(f"{API}/scores/officer", {**period, "user": w.specialist2.username})
    assert other.status_code == 403
