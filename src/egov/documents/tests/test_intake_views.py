"""Intake pages and API through the Django test client: upload one or several files, the progress page and
the panel HTMX polls, retry, downloads behind the permission check, and the JSON API."""

import pytest
from django.urls import reverse

from egov.documents.models import DocumentFile, IntakeStep
from egov.documents.tests import intake_world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return w.build_world()


@pytest.fixture
def clerk(client, world):
    client.force_login(world.clerk)
    return client


def test_upload_several_files_then_progress_shows_steps_and_suggestions(clerk, world,
                                                                        django_capture_on_commit_callbacks):
    url = reverse("documents:intake_upload")
    assert url == "/can-bo/van-ban/tiep-nhan-tep/"
    page = clerk.get(url)
    assert page.status_code == 200 and "Tiếp nhận tệp văn bản" in page.content.decode()
    assert 'href="/can-bo/van-ban/tiep-nhan-tep/" aria-current="page"' in page.content.decode()  # in the menu
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(url, {"files": [w.upload("qd.pdf", w.text_pdf()), w.upload("cv.docx", w.docx_bytes())],
                                    "kind": "main"})
    assert response.status_code == 302
    files = list(DocumentFile.objects.order_by("created_at"))
    assert [f.original_name for f in files] == ["qd.pdf", "cv.docx"]
    assert response["Location"] == f"/can-bo/van-ban/tiep-nhan-tep/tien-do/?tep={files[0].uuid}&tep={files[1].uuid}"
    progress = clerk.get(response["Location"])
    html = progress.content.decode()
    assert progress.status_code == 200
    assert html.count('data-state="done"') == 2 and "hx-trigger" not in html  # finished: polling stopped
    assert "123/QĐ-UBND" in html and "05/01/2026" in html and "45/STP-VP" in html
    assert "Kiểm tra định dạng theo nội dung" in html and "Không cần" in html
    assert f'href="/can-bo/van-ban/den/vao-so/?file={files[0].uuid}"' in html  # the incoming register form
    register = clerk.get(f"/can-bo/van-ban/den/vao-so/?file={files[0].uuid}")  # the incoming area's form
    assert register.status_code == 200 and "QĐ-UBND" in register.content.decode()
    panel = clerk.get(reverse("documents:intake_progress_panel") + f"?tep={files[0].uuid}")
    assert panel.status_code == 200 and b"<html" not in panel.content and b"123/Q" in panel.content
    recent = clerk.get(url).content.decode()
    assert "qd.pdf" in recent and "Đã xử lý xong" in recent
    original = clerk.get(reverse("documents:intake_file", kwargs={"file_uuid": files[0].uuid}))
    assert original.status_code == 200 and original["Content-Type"] == "application/pdf"


def test_progress_polls_while_processing_and_register_link_once_defined(clerk, world):
    record = w_upload_without_running(world)
    html = clerk.get(reverse("documents:intake_progress") + f"?tep={record.uuid}").content.decode()
    assert 'hx-trigger="every 2s"' in html and 'data-state="processing"' in html
    assert "/can-bo/van-ban/tiep-nhan-tep/tien-do/bang/?tep=" in html


def w_upload_without_running(world):
    from egov.documents.services.intake import file_upload

    return file_upload(actor=world.clerk, agency=world.agency, uploaded_file=w.upload("a.pdf", w.text_pdf()))


def test_disguised_file_is_refused_on_the_page(clerk, world):
    response = clerk.post(reverse("documents:intake_upload"), {"files": [w.upload("giay-moi.pdf", w.exe_bytes())]})
    assert response.status_code == 400
    assert "chương trình chạy được (EXE)" in response.content.decode()
    assert not DocumentFile.objects.exists()


def test_failed_file_shows_reason_and_retry_button(clerk, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        clerk.post(reverse("documents:intake_upload"), {"files": [w.upload("hong.pdf", w.corrupt_pdf())]})
    record = DocumentFile.objects.get()
    progress_url = reverse("documents:intake_progress") + f"?tep={record.uuid}"
    html = clerk.get(progress_url).content.decode()
    assert "Tệp PDF bị hỏng, không đọc được" in html and "Thử lại" in html and "hx-trigger" not in html
    assert "Vào sổ, tự nhập thông tin" in html  # the upload is kept: it can be registered by hand
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(reverse("documents:intake_retry", kwargs={"file_uuid": record.uuid}),
                              {"next": progress_url})
    assert response.status_code == 302 and response["Location"] == progress_url
    assert IntakeStep.objects.get(file=record, name="extract_text").attempts == 2
    assert "(lần 2)" in clerk.get(progress_url).content.decode()


def test_other_agency_sees_nothing(client, world, django_capture_on_commit_callbacks):
    record = w_upload_without_running(world)
    client.force_login(world.outsider)
    assert client.get(reverse("documents:intake_progress") + f"?tep={record.uuid}").status_code == 404
    assert client.get(reverse("documents:intake_file", kwargs={"file_uuid": record.uuid})).status_code == 404
    assert client.post(reverse("documents:intake_retry", kwargs={"file_uuid": record.uuid})).status_code == 404
    assert client.get(f"/api/v1/documents/intake/files/{record.uuid}").status_code == 404


def test_api_upload_status_and_retry(clerk, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = clerk.post("/api/v1/documents/intake/files", {"file": w.upload("scan.png", w.scan_png())})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "processing" and [s["name"] for s in body["steps"]] == [
        "detect_type", "extract_text", "ocr", "suggest_metadata"]
    status = clerk.get(f"/api/v1/documents/intake/files/{body['uuid']}").json()
    assert status["state"] == "done" and status["has_searchable_copy"] is True
    assert [s["status"] for s in status["steps"]] == ["done", "skipped", "done", "done"]
    assert status["suggestions"]["number_notation"] == "123/QĐ-UBND"
    assert status["suggestions"]["type_code"] == "quyet-dinh"
    again = clerk.post(f"/api/v1/documents/intake/files/{body['uuid']}/retry")
    assert again.status_code == 409 and again.json()["code"] == "intake_nothing_to_retry"
    refused = clerk.post("/api/v1/documents/intake/files", {"file": w.upload("x.docx", w.exe_bytes())})
    assert refused.status_code == 400 and refused.json()["code"] == "file_type_not_allowed"
    assert "chương trình chạy được" in refused.json()["message"]
    with django_capture_on_commit_callbacks(execute=True):
        broken = clerk.post("/api/v1/documents/intake/files", {"file": w.upload("hong.pdf", w.corrupt_pdf())}).json()
    retried = clerk.post(f"/api/v1/documents/intake/files/{broken['uuid']}/retry")
    assert retried.status_code == 202 and retried.json()["steps"][1]["status"] == "pending"
    assert clerk.get("/api/v1/documents/intake/files/not-a-uuid").status_code == 404
    listing = clerk.get("/api/v1/documents/intake/files?page_size=1").json()
    assert listing["count"] == 2 and listing["pages"] == 2
    assert [f["original_name"] for f in listing["items"]] == ["hong.pdf"]
    assert listing["items"][0]["state"] == "processing"  # retried, waiting for the worker


def test_citizen_is_refused(client, world):
    from egov.accounts.roles import Role

    client.force_login(w._user("congdan.t", Role.CITIZEN, None))
    assert client.get(reverse("documents:intake_upload")).status_code == 403
    assert client.post("/api/v1/documents/intake/files", {"file": w.upload("a.pdf", w.text_pdf())}).status_code == 403
