"""Registers and file indexes as PDF (WeasyPrint, A4 landscape, Noto Serif / DejaVu Serif for Vietnamese),
rendered from Django templates like the one-stop forms. WeasyPrint lays a document out whole in memory, so a
register is capped at ``REGISTER_PDF_MAX_ROWS`` rows with a message asking for a shorter period."""

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from egov.core.errors import DomainError
from egov.documents import selectors_reports as sel

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # heavy import (Pango, fonts): only where a PDF is made

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _heading(agency) -> dict:
    return {"agency_name": agency.name, "agency_parent": agency.parent.name if agency.parent_id else "",
            "province_name": settings.EGOV_PROVINCE_NAME, "made_at": timezone.localtime()}


def register_pdf(register: sel.Register, *, officer=None) -> bytes:
    count = register.count()
    if count > sel.REGISTER_PDF_MAX_ROWS:
        raise DomainError("period_too_long", f"Kỳ đã chọn có {count} văn bản, quá {sel.REGISTER_PDF_MAX_ROWS} dòng "
                          "cho một lần in PDF; hãy chọn kỳ ngắn hơn hoặc tải tệp Excel.")
    template = ("documents/reports/register_incoming_pdf.html" if register.direction == sel.Direction.INCOMING
                else "documents/reports/register_outgoing_pdf.html")
    html = render_to_string(template, {**_heading(register.agency), "register": register, "count": count,
                                       "rows": register.rows(), "officer_name": sel._person(officer)})
    return _pdf(html)


def index_pdf(index: sel.FileIndex) -> bytes:
    html = render_to_string("documents/workfiles/index_pdf.html",
                            {**_heading(index.work_file.agency), "index": index, "work_file": index.work_file})
    return _pdf(html)
