"""Issue 3 end to end: a scanned PDF (no text layer) goes through intake OCR, the clerk registers it as an
incoming document from the suggestions, and search finds it by words only the OCR text holds, typed without
diacritics; an official of another agency does not find it. The detail page links the PDF to its signatures."""

import datetime as dt
import uuid
from pathlib import Path

import pytest
from django.urls import reverse

from egov.documents.models import DocumentRegister, IncomingDocument
from egov.documents.search_index import documents_search
from egov.documents.services.incoming import incoming_register
from egov.documents.services.intake import file_upload, intake_state
from egov.documents.tests import intake_world as w
from egov.search.backends import SearchFilters

pytestmark = pytest.mark.django_db

# The scan's body mentions the mangrove forest of Đất Mũi; the registered summary does not.
SCAN_LINES = (
    "ỦY BAN NHÂN DÂN", "TỈNH CÀ MAU", "Số: 123/QĐ-UBND", "Cà Mau, ngày 05 tháng 01 năm 2026", "",
    "QUYẾT ĐỊNH", "Về việc phê duyệt kế hoạch năm 2026", "Bảo vệ rừng ngập mặn ven biển Đất Mũi",
)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.EGOV_SEARCH_INDEX = f"test-{uuid.uuid4().hex[:10]}"
    return Path(settings.MEDIA_ROOT)


def _found(user, query: str) -> list[str]:
    page = documents_search(user=user, query=query, filters=SearchFilters(), page_size=50)
    return [hit.uuid for hit in page.hits]


def test_scanned_pdf_is_ocred_registered_and_found_by_its_ocr_text_only_in_its_agency(
        media, client, django_capture_on_commit_callbacks):
    world = w.build_world()
    register = DocumentRegister.objects.create(agency=world.agency, direction="incoming", name="Sổ văn bản đến")
    with django_capture_on_commit_callbacks(execute=True):
        record = file_upload(actor=world.clerk, agency=world.agency,
                             uploaded_file=w.upload("scan-qd-123.pdf", w.scan_pdf(SCAN_LINES), "application/pdf"))
    record.refresh_from_db()
    assert intake_state(record) == "done" and record.text_source == "ocr"
    assert "ngập mặn" in record.text.lower()
    suggested = record.suggestions
    assert (suggested["number"], suggested["notation"]) == ("123", "QĐ-UBND")

    with django_capture_on_commit_callbacks(execute=True):  # the index task runs when the registration commits
        document = incoming_register(
            actor=world.clerk, register=register, summary="Quyết định phê duyệt kế hoạch năm 2026",
            number=suggested["number"], notation=suggested["notation"],
            issued_date=dt.date.fromisoformat(suggested["issued_date"]),
            issuer_name=suggested["issuer_name"] or "Ủy ban nhân dân tỉnh Cà Mau", files=[record.uuid])
    assert IncomingDocument.objects.get(pk=document.pk).files.get() == record
    assert "ngap" not in document.summary.lower() and "rừng" not in document.summary.lower()

    assert _found(world.clerk, "rung ngap man") == [str(document.uuid)]
    assert _found(world.clerk, "dat mui") == [str(document.uuid)]  # đ matches d, OCR text only
    assert _found(world.specialist, "rung ngap man") == [str(document.uuid)]  # same agency, not secret
    assert _found(world.outsider, "rung ngap man") == []  # another agency's clerk

    client.force_login(world.clerk)
    page = client.get(reverse("documents:incoming_detail", kwargs={"uuid": document.uuid}))
    assert page.status_code == 200
    signatures_url = reverse("documents:file_signatures", kwargs={"file_uuid": record.uuid})
    assert signatures_url in page.content.decode()
    assert client.get(signatures_url).status_code == 200
    client.force_login(world.outsider)
    assert client.get(signatures_url).status_code == 404
