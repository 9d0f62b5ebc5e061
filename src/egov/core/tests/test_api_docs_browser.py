"""/api/v1/docs in a real Chromium under our Content-Security-Policy: Swagger UI renders, nothing is blocked."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_under_csp(live_server, page):
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("requestfailed", lambda req: problems.append(f"{req.url} {req.failure}"))
    requested_hosts = set()
    page.on("request", lambda req: requested_hosts.add(req.url.split("/")[2]))

    page.goto(f"{live_server.url}/api/v1/docs")
    page.locator(".opblock-summary-path").first.wait_for()
    assert "/api/v1/me" in page.locator(".opblock-summary-path").all_inner_texts()
    assert "API Chính quyền số tỉnh Cà Mau" in page.locator(".title").first.inner_text()
    assert page.locator(".auth-wrapper .authorize").count() == 1  # the Authorize button: bearer + session
    assert problems == []
    assert requested_hosts == {live_server.url.split("/")[2]}
