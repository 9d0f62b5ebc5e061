"""The whole incoming flow in headless Chromium (issue 3, last paragraph): a clerk uploads a PDF on the intake
page, watches its steps finish, registers it from the suggestions (123/QĐ-UBND, 05/01/2026), a leader directs it
to a specialist with a deadline in working days, and the specialist completes it. Only pages and clicks; the test
plays the task worker for the intake steps (the dummy backend only queues them)."""

import re

import pytest

from egov.documents.models import DocumentFile, IncomingDocument, IncomingStatus
from egov.documents.tests import intake_world as iw
from egov.documents.tests.test_incoming_browser import login_to_incoming
from egov.documents.tests.test_intake_browser import DUMMY_TASKS, _run_pipelines
from egov.documents.tests.world_incoming import world_make
from egov.workdays import loader

pytestmark = pytest.mark.browser
SUMMARY = "Về việc phê duyệt kế hoạch cải cách hành chính năm 2026"


def test_clerk_uploads_and_registers_a_pdf_leader_directs_specialist_completes(live_server, browser, settings,
                                                                               tmp_path, transactional_db):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TASKS = DUMMY_TASKS
    loader.reset()
    w = world_make()
    pdf = tmp_path / "quyet-dinh-123.pdf"
    pdf.write_bytes(iw.text_pdf())
    problems: list[str] = []

    # 1. The clerk uploads the PDF; the steps run; he registers it from the suggestions.
    context, page = login_to_incoming(browser, live_server, w.clerk.username, problems)
    page.goto(f"{live_server.url}/can-bo/van-ban/tiep-nhan-tep/")
    page.get_by_label("Tệp văn bản").set_input_files(str(pdf))
    page.get_by_role("button", name="Tải lên").click()
    page.wait_for_url("**/tiep-nhan-tep/tien-do/?tep=*")
    _run_pipelines()
    done = page.locator("[data-testid=intake-file][data-state=done]")
    done.wait_for()
    assert "123/QĐ-UBND" in done.get_by_test_id("suggestions").inner_text()
    done.get_by_role("link", name="Vào sổ văn bản đến").click()
    page.wait_for_url("**/can-bo/van-ban/den/vao-so/?file=*")
    assert page.get_by_label("Số", exact=True).input_value() == "123"
    assert page.get_by_label("Ký hiệu").input_value() == "QĐ-UBND"
    page.get_by_label("Sổ văn bản đến").select_option(label="Sổ văn bản đến")
    if not page.get_by_label("Trích yếu").input_value():
        page.get_by_label("Trích yếu").fill(SUMMARY)
    page.get_by_label("Cơ quan ban hành", exact=True).fill("Ủy ban nhân dân tỉnh Cà Mau")
    page.get_by_role("button", name="Vào sổ", exact=True).click()
    page.get_by_text(re.compile("Đã vào sổ văn bản đến, số đến")).wait_for()
    document = IncomingDocument.objects.get()
    assert page.url == f"{live_server.url}/can-bo/van-ban/den/{document.uuid}/"
    assert document.number_notation == "123/QĐ-UBND" and document.status == IncomingStatus.REGISTERED
    assert DocumentFile.objects.get().incoming_id == document.pk
    context.close()

    # 2. The leader finds it in the list and directs it.
    context, page = login_to_incoming(browser, live_server, w.leader.username, problems)
    page.get_by_role("link", name="123/QĐ-UBND").first.click()
    page.wait_for_url(f"{live_server.url}/can-bo/van-ban/den/{document.uuid}/")
    page.get_by_label("Chủ trì xử lý").select_option(f"user:{w.specialist.username}")
    page.get_by_label("Ý kiến chỉ đạo").fill("Đ/c Luân tham mưu triển khai, báo cáo trong 5 ngày làm việc")
    page.get_by_label("Hạn xử lý (số ngày làm việc)").fill("5")
    page.get_by_role("button", name="Phân công", exact=True).click()
    page.get_by_text("Đã phân công xử lý văn bản.").wait_for()
    assert "Tô Minh Luân" in page.get_by_test_id("assignments").inner_text()
    context.close()

    # 3. The specialist completes it from "Của tôi".
    context, page = login_to_incoming(browser, live_server, w.specialist.username, problems)
    page.get_by_role("link", name="Của tôi").click()
    page.get_by_role("link", name="123/QĐ-UBND").first.click()
    page.wait_for_url(f"{live_server.url}/can-bo/van-ban/den/{document.uuid}/")
    page.get_by_text("Hoàn thành", exact=True).click()
    page.get_by_label("Kết quả xử lý").fill("Đã tham mưu kế hoạch triển khai, trình lãnh đạo ký")
    page.get_by_role("button", name="Xác nhận hoàn thành").click()
    page.get_by_text("Đã hoàn thành phân công.").wait_for()
    assert "Đã hoàn thành xử lý" in page.get_by_test_id("status").inner_text()
    timeline = page.get_by_test_id("timeline").inner_text()
    assert "Đã tham mưu kế hoạch triển khai" in timeline
    page.screenshot(path=str(tmp_path / "hoan-thanh.png"), full_page=True)
    context.close()

    document.refresh_from_db()
    assert document.status == IncomingStatus.DONE and document.completed_at is not None
    actions = list(document.events.order_by("at", "pk").values_list("action", flat=True))
    assert actions[0] == "registered" and "directed" in actions and actions[-1] in ("done", "completed")
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
