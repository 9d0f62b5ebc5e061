"""A clerk keeps a work file in headless Chromium on a phone-sized screen: adds it to the list, opens it,
finds and adds a document, closes it; then looks at the incoming register."""

import pytest
from django.utils import timezone

from egov.documents.models import WorkFile, WorkFileStatus
from egov.documents.services.reference import reference_data_load
from egov.documents.tests import world_workfiles as ww
from egov.workdays import loader

pytestmark = pytest.mark.browser


def test_clerk_keeps_a_work_file_on_a_phone(live_server, page, tmp_path, db):
    loader.reset()
    reference_data_load()  # an earlier live-server test in the same run flushed the migration's reference data
    w = ww.world()
    today = timezone.localdate()
    ww.incoming_make(w, 12, received=ww.at(today, 8), summary="Về việc tuyển dụng công chức năm nay")
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/?next=/can-bo/van-ban/ho-so/")
    page.get_by_label("Tên đăng nhập").fill(w["clerk"].username)
    page.get_by_label("Mật khẩu").fill(ww.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/can-bo/van-ban/ho-so/")
    page.get_by_role("link", name="Thêm hồ sơ vào danh mục").click()

    page.get_by_label("Số, ký hiệu hồ sơ").fill("01.TCCB")
    page.get_by_label("Tiêu đề hồ sơ").fill("Hồ sơ tuyển dụng công chức")
    page.get_by_label("Thời hạn bảo quản").select_option("vinh-vien")
    page.get_by_label("Mở hồ sơ ngay").check()
    page.get_by_role("button", name="Lưu").click()
    page.get_by_test_id("file-code").wait_for()
    assert page.get_by_test_id("file-code").inner_text() == f"000.00.05.H12.{today.year}.01.TCCB"
    assert "Đang mở" in page.get_by_test_id("status").inner_text()

    page.get_by_label("Số, ký hiệu hoặc trích yếu").fill("tuyển dụng")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_role("button", name="Thêm").click()
    page.get_by_text("Đã đưa văn bản vào hồ sơ, số thứ tự 1.").wait_for()
    assert "12/UBND-VP" in page.get_by_test_id("index-table").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_test_id("close").click()
    page.get_by_text("Đã đóng hồ sơ.").wait_for()
    assert "Đã đóng" in page.get_by_test_id("status").inner_text()
    page.screenshot(path=str(tmp_path / "ho-so-390.png"), full_page=True)
    assert WorkFile.objects.get().status == WorkFileStatus.CLOSED

    page.goto(f"{live_server.url}/can-bo/van-ban/so/?so=den&tu_ngay={today:%d/%m/%Y}&den_ngay={today:%d/%m/%Y}")
    assert "Về việc tuyển dụng công chức năm nay" in page.get_by_test_id("register-table").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
