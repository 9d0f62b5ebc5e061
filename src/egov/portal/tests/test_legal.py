"""The legal documents library: issued VBQPPL become published library pages (a regular-series Quyết định does
not; nor when the policy turns the library off); the public search finds documents without diacritics, by number
as written or folded, by type, issuer, field and date range, paginated, each result linking the page and PDF."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from egov.core.text import slugify_vietnamese
from egov.documents.tests import world_outgoing as w
from egov.portal.models import DirectiveItemPage, LegalDocumentPage
from egov.portal.tests import site_builders as sb
from egov.portal.tests.portal_world import issue, policy_for, portal_sections, world_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    return world_setup(settings)


def test_issued_legal_normative_document_is_published_in_the_library(world, django_capture_on_commit_callbacks):
    _home, _directive, legal = portal_sections()
    policy_for(world, types=[world.quyet_dinh])
    vbqppl = issue(world, django_capture_on_commit_callbacks, document_type=world.quyet_dinh, register=world.legal,
                   summary="Quyết định ban hành Quy định quản lý đường thủy nội địa")
    regular = issue(world, django_capture_on_commit_callbacks, document_type=world.quyet_dinh)

    page = LegalDocumentPage.objects.get(source_document_uuid=vbqppl.uuid)
    assert page.live and page.get_parent().pk == legal.pk and page.number_notation == vbqppl.number_notation
    assert "/20" in page.number_notation and page.pdf.file.read().startswith(b"%PDF")
    assert page.document_type_name == "Quyết định" and page.issuer_name == "Sở Nội vụ tỉnh Cà Mau"
    # A Quyết định of the regular series is an administrative document: directive item, not law.
    assert not LegalDocumentPage.objects.filter(source_document_uuid=regular.uuid).exists()
    assert DirectiveItemPage.objects.filter(source_document_uuid__in=[vbqppl.uuid, regular.uuid]).count() == 2


def test_library_off_in_the_policy(world, django_capture_on_commit_callbacks):
    portal_sections()
    policy_for(world, types=[], legal_library=False)
    document = issue(world, django_capture_on_commit_callbacks, document_type=world.quyet_dinh, register=world.legal)
    assert not LegalDocumentPage.objects.filter(source_document_uuid=document.uuid).exists()


def legal_page(parent, number, title, *, kind="Quyết định", issuer="Ủy ban nhân dân tỉnh Cà Mau", field="",
               day=dt.date(2026, 3, 15), with_pdf=False):
    pdf = None
    if with_pdf:
        pdf = get_document_model()(title=number)
        pdf.file.save("vb.pdf", ContentFile(w.pdf_bytes()), save=False)
        pdf.save()
    return sb.publish(parent, LegalDocumentPage(
        title=title, slug=slugify_vietnamese(number, max_length=60), number_notation=number, document_type_name=kind,
        issued_date=day, issuer_name=issuer, field=field, summary=title, pdf=pdf))


@pytest.fixture
def library():
    _home, _directive, legal = portal_sections()
    pages = {
        "giao-thong": legal_page(legal, "15/2026/QĐ-UBND", "Quyết định ban hành Quy định quản lý đường thủy nội địa",
                                 field="Giao thông vận tải", day=dt.date(2026, 3, 15), with_pdf=True),
        "nghi-quyet": legal_page(legal, "18/2026/NQ-HĐND", "Nghị quyết chính sách hỗ trợ chuyển đổi số cấp xã",
                                 kind="Nghị quyết", issuer="Hội đồng nhân dân tỉnh Cà Mau", field="Thông tin",
                                 day=dt.date(2026, 1, 20)),
        "dat-dai": legal_page(legal, "07/2025/QĐ-UBND", "Quyết định về giá đất ở đô thị",
                              field="Đất đai", day=dt.date(2025, 6, 2)),
    }
    return legal, pages


def numbers(response) -> list[str]:
    body = response.content.decode()
    return [n for n in ("15/2026/QĐ-UBND", "18/2026/NQ-HĐND", "07/2025/QĐ-UBND") if f"Số {n}" in body]


def test_search_without_diacritics_and_by_number(library, client):
    assert numbers(client.get("/van-ban-phap-luat/")) == ["15/2026/QĐ-UBND", "18/2026/NQ-HĐND", "07/2025/QĐ-UBND"]
    assert numbers(client.get("/van-ban-phap-luat/", {"q": "duong thuy noi dia"})) == ["15/2026/QĐ-UBND"]
    assert numbers(client.get("/van-ban-phap-luat/", {"q": "đường thủy"})) == ["15/2026/QĐ-UBND"]
    assert numbers(client.get("/van-ban-phap-luat/", {"q": "chuyen doi so"})) == ["18/2026/NQ-HĐND"]
    assert numbers(client.get("/van-ban-phap-luat/", {"so_ky_hieu": "15/2026/QĐ-UBND"})) == ["15/2026/QĐ-UBND"]
    assert numbers(client.get("/van-ban-phap-luat/", {"so_ky_hieu": "qd-ubnd"})) == [
        "15/2026/QĐ-UBND", "07/2025/QĐ-UBND"]
    assert numbers(client.get("/van-ban-phap-luat/", {"q": "nq-hdnd"})) == ["18/2026/NQ-HĐND"]
    empty = client.get("/van-ban-phap-luat/", {"q": "khong co van ban nay"})
    assert empty.status_code == 200 and "Không tìm thấy văn bản phù hợp" in empty.content.decode()


def test_filters_links_and_pagination(library, client):
    legal, pages = library
    assert numbers(client.get("/van-ban-phap-luat/", {"loai": "Nghị quyết"})) == ["18/2026/NQ-HĐND"]
    assert numbers(client.get("/van-ban-phap-luat/", {"co_quan": "Ủy ban nhân dân tỉnh Cà Mau"})) == [
        "15/2026/QĐ-UBND", "07/2025/QĐ-UBND"]
    assert numbers(client.get("/van-ban-phap-luat/", {"linh_vuc": "Đất đai"})) == ["07/2025/QĐ-UBND"]
    assert numbers(client.get("/van-ban-phap-luat/", {"tu_ngay": "01/01/2026", "den_ngay": "31/01/2026"})) == [
        "18/2026/NQ-HĐND"]
    bad = client.get("/van-ban-phap-luat/", {"tu_ngay": "32/01/2026"})
    assert bad.status_code == 400 and "dd/mm/yyyy" in bad.content.decode()
    body = client.get("/van-ban-phap-luat/", {"q": "duong thuy"}).content.decode()
    assert pages["giao-thong"].url in body and pages["giao-thong"].pdf.url in body
    detail = client.get(pages["giao-thong"].url)
    assert detail.status_code == 200 and "Giao thông vận tải" in detail.content.decode()

    for n in range(1, 22):
        legal_page(legal, f"{n:02d}/2024/QĐ-UBND", f"Quyết định số {n} năm 2024", day=dt.date(2024, 1, 1))
    first = client.get("/van-ban-phap-luat/", {"so_ky_hieu": "2024"})
    assert "Kết quả: 21 văn bản" in first.content.decode() and "Trang 1/2" in first.content.decode()
    second = client.get("/van-ban-phap-luat/", {"so_ky_hieu": "2024", "page": "2"})
    assert second.content.decode().count("/2024/QĐ-UBND") == 1

    api = client.get("/api/v1/portal/legal-documents", {"q": "duong thuy", "number": "qd-ubnd"})
    assert api.status_code == 200
    assert [(d["number_notation"], d["pdf_url"] != "") for d in api.json()] == [("15/2026/QĐ-UBND", True)]
