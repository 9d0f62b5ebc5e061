"""A clerk uploads two files in headless Chromium and watches the progress page update itself (HTMX polling
from the static htmx script, no inline script under the CSP): one file ends with every step done and its
suggestions, the other with the reason of its failure and a 'Thử lại' button that runs it again."""

import pytest

from egov.documents.models import DocumentFile
from egov.documents.services.intake import STEP_ORDER, intake_step_run
from egov.documents.tests import intake_world as w

pytestmark = pytest.mark.browser
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}


def _run_pipelines() -> None:
    """What the worker does: every due step of every file, in order (the dummy backend only records them)."""
    for record in DocumentFile.objects.all():
        for step in STEP_ORDER:
            intake_step_run(file_uuid=str(record.uuid), name=step)


def test_clerk_follows_the_steps_and_retries_a_failed_file(live_server, page, settings, tmp_path, transactional_db):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TASKS = DUMMY_TASKS  # the steps wait in the queue until this test plays the worker
    world = w.build_world()
    (tmp_path / "quyet-dinh.pdf").write_bytes(w.text_pdf())
    (tmp_path / "hong.pdf").write_bytes(w.corrupt_pdf())
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)

    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/?next=/can-bo/van-ban/tiep-nhan-tep/")
    page.get_by_label("Tên đăng nhập").fill(world.clerk.username)
    page.get_by_label("Mật khẩu").fill(w.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/can-bo/van-ban/tiep-nhan-tep/")
    page.get_by_label("Tệp văn bản").set_input_files([str(tmp_path / "quyet-dinh.pdf"), str(tmp_path / "hong.pdf")])
    page.get_by_role("button", name="Tải lên").click()
    page.wait_for_url("**/tiep-nhan-tep/tien-do/?tep=*")
    assert page.locator("[data-testid=intake-file][data-state=processing]").count() == 2

    _run_pipelines()  # the page is not reloaded: HTMX polls the panel and swaps it in
    done = page.locator("[data-testid=intake-file][data-state=done]")
    failed = page.locator("[data-testid=intake-file][data-state=failed]")
    done.wait_for()
    failed.wait_for()
    assert done.locator("[data-status=done]").count() == 3 and done.locator("[data-status=skipped]").count() == 1
    assert "123/QĐ-UBND" in done.get_by_test_id("suggestions").inner_text()
    assert "05/01/2026" in done.get_by_test_id("suggestions").inner_text()
    register = done.get_by_role("link", name="Vào sổ văn bản đến").get_attribute("href")
    good = DocumentFile.objects.get(original_name="quyet-dinh.pdf")
    assert register == f"/can-bo/van-ban/den/vao-so/?file={good.uuid}"
    assert "Tệp PDF bị hỏng, không đọc được" in failed.get_by_test_id("step-error").inner_text()
    assert failed.locator("[data-status=pending]").count() == 2

    page.screenshot(path=str(tmp_path / "tien-do.png"), full_page=True)
    failed.get_by_role("button", name="Thử lại").click()
    page.locator("[data-testid=intake-file][data-state=processing]").wait_for()
    _run_pipelines()
    page.locator("[data-testid=intake-file][data-state=failed]").get_by_text("(lần 2)").wait_for()
    assert page.locator("[data-testid=intake-file][data-state=done]").count() == 1
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
