"""The Wagtail admin under our Content-Security-Policy, in headless Chromium: a portal editor logs in (no second
factor for his role), goes through the dashboard, the page explorer, a news page with a date, rich text and a
StreamField, the image and document choosers, and submits it for review; a reviewer approves it; the visitor
reads it. Every ``securitypolicyviolation`` event and CSP console message is recorded: there must be none."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from playwright.sync_api import expect
from wagtail.documents.models import Document
from wagtail.models import Locale, Page, Site

from egov.accounts.roles import Role
from egov.documents.tests import world_outgoing as w
from egov.portal.editorial import portal_editorial_setup
from egov.portal.models import ArticlePage, HomePage, Section
from egov.portal.tests import site_builders as sb

pytestmark = pytest.mark.browser
DESKTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}
# Runs before any page script (DevTools protocol, not subject to the page's CSP); reports survive navigation
# through sessionStorage.
RECORD_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (e) => {
  const seen = JSON.parse(sessionStorage.getItem('csp') || '[]');
  seen.push(location.pathname + ' ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || ''));
  sessionStorage.setItem('csp', JSON.stringify(seen));
});
"""


def _login(browser, live_server, username: str, problems: list):
    context = browser.new_context(**DESKTOP)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(30000)  # the admin is heavy on a loaded machine
    page.on("console", lambda msg: problems.append(f"{page.url}: {msg.text}")
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text else None)
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/?next=/cms/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(w.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/cms/")
    return context, page


def _portal_home() -> HomePage:
    """The portal's home; re-created when an earlier transactional test flushed what the migrations made."""
    if not HomePage.objects.exists():
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(instance=HomePage(title="Cổng thông tin điện tử tỉnh Cà Mau", slug="cong"))
        Site.objects.update_or_create(is_default_site=True, defaults={
            "hostname": "localhost", "port": 80, "root_page": home, "site_name": "Cổng thông tin"})
    return sb.home()


def _violations(page) -> list[str]:
    return page.evaluate("JSON.parse(sessionStorage.getItem('csp') || '[]')")


def _visit(page, url: str, seen: list) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    seen.extend(_violations(page))


def test_editor_writes_and_submits_reviewer_publishes_without_csp_violations(browser, live_server,
                                                                             transactional_db, settings):
    # Wagtail's autosave (every 500 ms) would create the page in the background and move the editor to its edit
    # view at a moment of its choosing; the steps below are then a race. It raised no CSP violation when on.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    province = w.province()
    editor = w.user_make("bientap.vp", role=Role.PORTAL_EDITOR, agency=province, full_name="Đặng Quốc Bảo")
    reviewer = w.user_make("lanhdao.vp", role=Role.LEADER, agency=province, full_name="Phạm Văn Hùng")
    news = sb.section(_portal_home(), "Tin tức – sự kiện", Section.NEWS, slug="tin-tuc")
    portal_editorial_setup()
    Group.objects.get(name="Duyệt tin – UBND").user_set.add(reviewer)
    Document.objects.create(title="Kế hoạch chuyển đổi số năm 2027",
                            file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="ke-hoach-chuyen-doi-so.pdf"))
    problems: list[str] = []
    seen: list[str] = []

    context, page = _login(browser, live_server, editor.username, problems)
    try:
        seen.extend(_violations(page))
        _visit(page, f"{live_server.url}/cms/pages/{news.pk}/", seen)
        _visit(page, f"{live_server.url}/cms/images/", seen)
        _visit(page, f"{live_server.url}/cms/documents/", seen)
        _visit(page, f"{live_server.url}/cms/pages/add/portal/articlepage/{news.pk}/", seen)
        page.locator("#id_title").fill("Hội nghị tổng kết công tác chuyển đổi số năm 2026")
        page.locator("#id_date").fill("26/11/2026")
        page.locator("#id_summary").fill("Tỉnh tổng kết một năm chuyển đổi số sau hợp nhất.")
        # StreamField: add a paragraph block and type rich text into Draftail.
        page.locator("[data-field-wrapper] button[title='Insert a block'], .c-sf-add-button").first.click()
        page.get_by_role("option", name="đoạn văn").or_(page.get_by_text("đoạn văn", exact=True)).first.click()
        editor_box = page.locator(".DraftEditor-root [contenteditable=true]").first
        editor_box.click()
        editor_box.type("Năm 2026, tỉnh Cà Mau hoàn thành 100% dịch vụ công trực tuyến toàn trình.")
        # The image and document choosers open (modal loaded from the server, scripts from static files).
        page.locator("[data-chooser-action-choose]").first.click()
        page.locator(".modal-dialog").first.wait_for()
        page.wait_for_load_state("networkidle")
        page.locator(".modal [data-dismiss='modal'], .modal [data-bs-dismiss='modal']").first.click()
        page.locator(".modal-dialog").first.wait_for(state="hidden")
        # A document block in the StreamField, and its chooser.
        choosers = page.locator("[data-chooser-action-choose]")
        before = choosers.count()
        page.locator("[data-field-wrapper] button[title='Insert a block'], .c-sf-add-button").last.click()
        page.get_by_role("option", name="tệp đính kèm").or_(page.get_by_text("tệp đính kèm", exact=True)).first.click()
        expect(choosers).to_have_count(before + 1)  # the new block's chooser, not the image field's
        choosers.last.click()
        page.locator(".modal a[data-chooser-modal-choice]").first.click()  # the document, then the modal closes
        page.locator(".modal-dialog").first.wait_for(state="hidden")
        seen.extend(_violations(page))
        # Submit for moderation (the dropdown of the footer's actions).
        page.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
        page.locator("button[name='action-submit']").click()
        page.wait_for_url(f"{live_server.url}/cms/pages/{news.pk}/")  # back to the section's listing
        seen.extend(_violations(page))
        article = ArticlePage.objects.get(title="Hội nghị tổng kết công tác chuyển đổi số năm 2026")
        assert not article.live and article.workflow_in_progress
    finally:
        context.close()

    context, page = _login(browser, live_server, reviewer.username, problems)
    try:
        seen.extend(_violations(page))
        _visit(page, f"{live_server.url}/cms/pages/{article.pk}/edit/", seen)
        page.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
        with page.expect_navigation():  # the approval is posted, then the browser is sent on
            page.locator("button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])").click()
        page.wait_for_load_state("networkidle")
        seen.extend(_violations(page))
    finally:
        context.close()

    article.refresh_from_db()
    assert article.live
    visitor = browser.new_context(**DESKTOP)
    try:
        public = visitor.new_page()
        response = public.goto(live_server.url + article.url)
        assert response.status == 200
        assert "Hội nghị tổng kết công tác chuyển đổi số năm 2026" in public.locator("h1").inner_text()
        assert "100% dịch vụ công trực tuyến" in public.content()
    finally:
        visitor.close()
    assert seen == [] and problems == []
