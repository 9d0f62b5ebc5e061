"""In headless Chromium: the leader approves and signs, the clerk issues, the recipient agency's clerk sees the
document arrive and accepts it; the sender then sees status 03."""

import pytest

from egov.core.tests.browser import axe_violations
from egov.documents.models import DeliveryStatus, OutgoingStatus
from egov.documents.services import outgoing as svc
from egov.documents.tests import world_outgoing as w

pytestmark = pytest.mark.browser


def _login(browser, live_server, user, viewport=None):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                  **({"viewport": viewport} if viewport else {}))
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/?next=/can-bo/van-ban/di/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(w.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/can-bo/van-ban/di/")
    return context, page


def test_leader_signs_clerk_issues_recipient_sees_it_arrive(live_server, browser, transactional_db, tmp_path):
    world = w.world_make()
    w.credentials(world)
    document = svc.outgoing_draft_create(actor=world.drafter, document_type=world.cong_van,
                                         summary="V/v tổ chức hội nghị tổng kết năm",
                                         recipient_agencies=[world.recipient])
    svc.outgoing_version_upload(actor=world.drafter, document=document, upload=w.pdf_upload())
    svc.outgoing_submit(actor=world.drafter, document=document, reviewer=world.head)
    svc.outgoing_approve(actor=world.head, document=document, next_reviewer=world.leader)
    problems = []

    context, page = _login(browser, live_server, world.leader)
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.get_by_role("link", name="Chờ tôi duyệt").click()
    page.get_by_role("link", name="V/v tổ chức hội nghị tổng kết năm").click()
    assert axe_violations(page, live_server) == []
    page.get_by_label("hoặc duyệt xong, chuyển người ký").select_option(str(world.leader.uuid))
    page.get_by_role("button", name="Duyệt", exact=True).click()
    page.get_by_text("Đã thực hiện: Duyệt.").wait_for()
    assert "Đã duyệt, chờ ký" in page.get_by_test_id("status").inner_text()
    page.get_by_role("button", name="Ký số").click()
    page.get_by_text("Đã thực hiện: Ký số.").wait_for()
    assert "Người có thẩm quyền đã ký" in page.get_by_test_id("status").inner_text()
    context.close()

    context, page = _login(browser, live_server, world.clerk)
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.get_by_role("link", name="Chờ phát hành").click()
    page.get_by_role("link", name="V/v tổ chức hội nghị tổng kết năm").click()
    page.get_by_role("button", name="Cấp số, ký số cơ quan và phát hành").click()
    page.get_by_text("Đã thực hiện: Phát hành.").wait_for()
    assert "00001/SNV-VP" in page.get_by_role("heading", level=1).inner_text()
    assert "01 – Đã đến, chờ tiếp nhận" in page.get_by_test_id("deliveries").inner_text()
    page.screenshot(path=str(tmp_path / "van-ban-di.png"), full_page=True)
    assert axe_violations(page, live_server) == []
    sender_page, sender_context = page, context

    context, page = _login(browser, live_server, world.recipient_clerk, viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/can-bo/van-ban/lien-thong/cho-tiep-nhan/")  # on a phone
    inbox = page.get_by_test_id("inbox").inner_text()
    assert "00001/SNV-VP" in inbox and "V/v tổ chức hội nghị tổng kết năm" in inbox and "Sở Nội vụ" in inbox
    page.screenshot(path=str(tmp_path / "cho-tiep-nhan.png"), full_page=True)
    assert axe_violations(page, live_server) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Tiếp nhận").click()
    page.get_by_text("Đã tiếp nhận văn bản 00001/SNV-VP.").wait_for()
    context.close()

    sender_page.reload()
    assert "03 – Đã tiếp nhận (vào sổ)" in sender_page.get_by_test_id("deliveries").inner_text()
    sender_context.close()
    document.refresh_from_db()
    assert document.status == OutgoingStatus.ISSUED
    assert document.deliveries.get().status == DeliveryStatus.REGISTERED
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
