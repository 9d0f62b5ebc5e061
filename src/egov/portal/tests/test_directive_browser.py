"""Real headless Chromium against the live server: a department issues a directive document; the drafted item
is not on the portal until the province's reviewer approves it in the Wagtail admin (/cms/, workflow
"Duyệt tin bài"); then a visitor finds it in the directive section, opens it and downloads the PDF; the legal
library search, the procedures and the statistics pages pass axe-core (no serious or critical violation)."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from wagtail.models import WorkflowState

from egov.accounts.roles import Role
from egov.core.tests.browser import axe_violations
from egov.documents.services import outgoing as svc
from egov.documents.tests import world_outgoing as w
from egov.portal.editorial import portal_editorial_setup
from egov.portal.models import DirectiveItemPage
from egov.portal.tests.portal_world import policy_for, portal_sections, world_setup

pytestmark = pytest.mark.browser


@pytest.fixture
def drafted(transactional_db, settings):
    """Issued before the browser starts: PDF signing runs its own event loop, which cannot nest in Playwright's."""
    cache.clear()
    world = world_setup(settings)
    portal_sections()
    policy_for(world)
    portal_editorial_setup()
    reviewer = w.user_make("lanhdao.ubnd", role=Role.LEADER, agency=w.province(), full_name="Lâm Quốc Duyệt")
    Group.objects.get(name="Duyệt tin – UBND").user_set.add(reviewer)
    document = w.signed_document(world, document_type=world.quyet_dinh,
                                 summary="Quyết định về phòng, chống hạn hán, xâm nhập mặn mùa khô 2026-2027")
    svc.outgoing_issue(actor=world.clerk, document=document)  # commits: the portal's task runs at once
    document.refresh_from_db()
    item = DirectiveItemPage.objects.get(source_document_uuid=document.uuid)
    yield document, item, reviewer
    cache.clear()


def test_editor_approves_the_drafted_item_and_a_visitor_finds_it(drafted, page, live_server, browser):
    document, item, reviewer = drafted
    page.set_default_timeout(30000)
    assert not item.live

    page.goto(live_server.url + "/chi-dao-dieu-hanh/")
    assert "xâm nhập mặn" not in page.content()  # a draft waits for the editor
    assert page.goto(live_server.url + "/chi-dao-dieu-hanh/" + item.slug + "/").status == 404

    assert WorkflowState.objects.get(object_id=str(item.pk)).status == WorkflowState.STATUS_IN_PROGRESS
    cms = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN",
                              timezone_id="Asia/Ho_Chi_Minh")
    try:
        admin = cms.new_page()
        admin.set_default_timeout(45000)  # the Wagtail admin is heavy on a loaded 2-core machine
        admin.goto(f"{live_server.url}/tai-khoan/dang-nhap/?next=/cms/")
        admin.get_by_label("Tên đăng nhập").fill(reviewer.username)
        admin.get_by_label("Mật khẩu").fill(w.PASSWORD)
        admin.get_by_role("button", name="Đăng nhập").click()
        admin.wait_for_url(f"{live_server.url}/cms/")
        admin.goto(f"{live_server.url}/cms/pages/{item.pk}/edit/")
        admin.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
        with admin.expect_navigation():  # the approval is a form POST answered by a redirect
            admin.locator("button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])").click()
    finally:
        cms.close()
    item.refresh_from_db()
    assert item.live

    page.goto(live_server.url + "/chi-dao-dieu-hanh/")
    page.get_by_role("link", name="Quyết định về phòng, chống hạn hán, xâm nhập mặn mùa khô 2026-2027").click()
    page.wait_for_url(live_server.url + item.url)
    assert page.locator("h1").inner_text().startswith("Quyết định về phòng, chống hạn hán")
    assert document.number_notation in page.content() and "Nguyễn Văn Ký" in page.content()
    assert axe_violations(page, live_server) == []
    pdf_href = page.get_by_role("link", name="Tải văn bản (PDF").get_attribute("href")
    pdf = page.request.get(live_server.url + pdf_href)
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")

    for path, heading in [("/van-ban-phap-luat/?q=han+han", "Tra cứu văn bản pháp luật"),
                          ("/thu-tuc-hanh-chinh/", "Thủ tục hành chính"),
                          ("/thong-ke-ho-so/", "Thống kê giải quyết hồ sơ")]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert heading in page.locator("h1").inner_text(), path
        assert page.locator("html").get_attribute("lang") == "vi"
        assert axe_violations(page, live_server) == [], path
