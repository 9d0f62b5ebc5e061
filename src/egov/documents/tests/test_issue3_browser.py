"""Issue 3 in headless Chromium from the first click: a clerk registers an incoming PDF through the form, a leader
directs it, the specialist completes it (each with his own login)."""

import pytest

from egov.documents.models import IncomingDocument, IncomingStatus
from egov.documents.tests.test_incoming_browser import login_to_incoming
from egov.documents.tests.world_incoming import PDF, world_make
from egov.workdays import loader

pytestmark = pytest.mark.browser


def test_clerk_registers_a_pdf_leader_directs_specialist_completes(live_server, browser, tmp_path, db):
    loader.reset()
    w = world_make()
    (tmp_path / "cong-van-45.pdf").write_bytes(PDF)
    problems: list[str] = []
    summary = "Về việc kiểm tra công tác chứng thực năm 2026"

    context, page = login_to_incoming(browser, live_server, w.clerk.username, problems, phone=False, timeout_ms=20000)
    page.goto(f"{live_server.url}/can-bo/van-ban/den/vao-so/")
    assert page.locator("#f-register").input_value() == str(w.register.uuid)  # regular before secret
    page.get_by_label("Số", exact=True).fill("45")
    page.get_by_label("Ký hiệu").fill("UBND-NC")
    page.get_by_label("Ngày văn bản").fill("2026-11-20")
    page.get_by_label("Cơ quan ban hành", exact=True).fill("Ủy ban nhân dân tỉnh Cà Mau")
    page.get_by_label("Trích yếu").fill(summary)
    page.get_by_label("Tệp văn bản (PDF, DOCX, ảnh quét)").set_input_files(str(tmp_path / "cong-van-45.pdf"))
    page.get_by_role("button", name="Vào sổ", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_test_id("error").count() == 0, page.get_by_test_id("error").inner_text()
    page.get_by_text("Đã vào sổ văn bản đến, số đến").wait_for()
    document = IncomingDocument.objects.get(summary=summary)
    assert page.url.endswith(f"/can-bo/van-ban/den/{document.uuid}/")
    assert "cong-van-45.pdf" in page.get_by_test_id("files").inner_text()
    assert page.get_by_test_id("file-signatures").count() == 1
    context.close()

    context, page = login_to_incoming(browser, live_server, w.leader.username, problems, phone=False, timeout_ms=20000)
    page.goto(f"{live_server.url}/can-bo/van-ban/den/{document.uuid}/")
    page.get_by_label("Chủ trì xử lý").select_option("user:chuyenvien.t")
    page.get_by_label("Ý kiến chỉ đạo").fill("Đ/c Luân kiểm tra, báo cáo")
    page.get_by_label("Hạn xử lý (số ngày làm việc)").fill("3")
    page.get_by_role("button", name="Phân công", exact=True).click()
    page.get_by_text("Đã phân công xử lý văn bản.").wait_for()
    context.close()

    context, page = login_to_incoming(browser, live_server, w.specialist.username, problems, phone=False,
                                      timeout_ms=20000)
    page.goto(f"{live_server.url}/can-bo/van-ban/den/{document.uuid}/")
    page.get_by_text("Hoàn thành", exact=True).click()
    page.get_by_label("Kết quả xử lý").fill("Đã kiểm tra 5 xã, báo cáo lãnh đạo")
    page.get_by_role("button", name="Xác nhận hoàn thành").click()
    page.get_by_text("Đã hoàn thành phân công.").wait_for()
    context.close()

    assert IncomingDocument.objects.get(pk=document.pk).status == IncomingStatus.DONE
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
