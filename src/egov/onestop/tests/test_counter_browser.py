"""An officer receiving a dossier at the counter and printing Form 01, in a real headless Chromium."""

import io
import re

import pytest
from pypdf import PdfReader

from egov.onestop.codes import QCVN102_CODE_RE
from egov.onestop.forms_pdf import format_moment
from egov.onestop.models import Dossier
from egov.onestop.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_receives_a_dossier_and_prints_form01(live_server, page, settings):
    settings.SITE_URL = live_server.url
    agency = f.agency_make()
    f.officer_make(agency, username="motcua.browser", full_name="Lê Thị Tiếp Nhận")
    procedure = f.procedure_make()
    papers = f.submit_papers(procedure)
    problems: list[str] = []
    # CSP violations and script errors show in the console; failed requests (but the favicon) as responses.
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)

    # The counter asks for a login first, through the real login form.
    page.goto(f"{live_server.url}/can-bo/mot-cua/tiep-nhan/")
    page.fill("input[name=username]", "motcua.browser")
    page.fill("input[name=password]", f.PASSWORD)
    page.locator("form[action*='dang-nhap'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/can-bo/mot-cua/tiep-nhan/$"))
    assert page.get_by_role("heading", name="Tiếp nhận hồ sơ tại quầy").is_visible()

    # Choose the procedure by typing without diacritics; HTMX brings the results, then the checklist.
    page.fill("#procedure-search", "khai sinh")
    page.locator("[data-procedure='1.001193']").click()
    form = page.get_by_test_id("reception-form")
    form.wait_for()
    assert "Giấy chứng sinh" in form.inner_text()

    for paper in papers:
        page.set_input_files(f"#paper-{paper.uuid}", files=[{
            "name": f"giay-to-{paper.order}.pdf", "mimeType": "application/pdf",
            "buffer": f.pdf_bytes(f"Ban quet giay to {paper.order}"),
        }])
    page.check("input[name=shown]")
    page.fill("#applicant-name", "Nguyễn Văn Ấn")
    page.fill("#applicant-id", "096085001234")
    page.fill("#applicant-phone", "0912345678")
    page.fill("#applicant-address", "Phường Tân Thành, tỉnh Cà Mau")
    page.get_by_role("button", name="Tiếp nhận", exact=True).click()

    page.get_by_test_id("reception-result").wait_for()
    code = page.get_by_test_id("dossier-code").inner_text().strip()
    assert QCVN102_CODE_RE.fullmatch(code) and code.startswith("000.00.05.H12-")
    dossier = Dossier.objects.get(code=code)
    due = page.get_by_test_id("due-date").inner_text().strip()
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", due) and due == format_moment(dossier.due_at)

    link = page.get_by_role("link", name="In giấy tiếp nhận (Mẫu 01)")
    with page.context.expect_page() as opened, \
            page.context.expect_event("response", predicate=lambda r: "/mau-01.pdf" in r.url) as seen:
        link.click()  # opens in a new tab (target=_blank), as the officer prints from the browser's viewer
    response = seen.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    opened.value.close()

    pdf = page.request.get(live_server.url + link.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    body = pdf.body()
    assert body.startswith(b"%PDF-")
    text = " ".join(PdfReader(io.BytesIO(body)).pages[0].extract_text().split())
    assert code in text and "Nguyễn Văn Ấn" in text and "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert not problems, problems
