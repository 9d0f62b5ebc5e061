"""Page "Chữ ký số" and GET /api/v1/documents/files/{uuid}/signatures through the Django test client."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.directory.models import Agency, Official
from egov.documents.models import DocumentFile
from egov.documents.services.signatures import agency_sign_pdf, person_sign_pdf
from egov.documents.tests import pki

pytestmark = pytest.mark.django_db
PASSWORD = "Mat-khau-thu-nghiem-2026"


def _user(username, agency, role=Role.SPECIALIST, full_name=""):
    user = User.objects.create_user(username=username, password=PASSWORD, role=role, full_name=full_name or username)
    Official.objects.create(user=user, agency=agency)
    return user


@pytest.fixture
def world(settings):
    settings.DOCUMENTS_TRUST_ROOTS = pki.trust_roots_paths()
    agency = Agency.objects.create(code="STP-SIG", name="Sở Tư pháp tỉnh Cà Mau", abbreviation="STP", kind="so")
    other = Agency.objects.create(code="SYT-SIG", name="Sở Y tế tỉnh Cà Mau", abbreviation="SYT", kind="so")
    leader = _user("lanhdao.sig", agency, Role.LEADER, "Phạm Văn Bình")
    clerk = _user("vanthu.sig", agency, Role.CLERK)
    outsider = _user("chuyenvien.syt", other)
    pki.credentials_for(users=[leader], agencies=[agency])
    signed = person_sign_pdf(user=leader, pdf=pki.sample_pdf(), reason="Ký ban hành")
    signed = agency_sign_pdf(agency=agency, pdf=signed, number_notation="5/QĐ-STP", issued_at=None)

    def stored(data: bytes, name: str, content_type="application/pdf"):
        return DocumentFile.objects.create(agency=agency, file=ContentFile(data, name=name), original_name=name,
                                           content_type=content_type, size=len(data), uploaded_by=clerk)

    return {"agency": agency, "clerk": clerk, "leader": leader, "outsider": outsider,
            "signed": stored(signed, "qd.pdf"),
            "tampered": stored(signed + b"\nthem", "sua.pdf"), "broken": stored(b"%PDF-1.7 hong", "hong.pdf"),
            "docx": stored(b"PK\x03\x04", "du-thao.docx", "application/vnd.openxmlformats")}


def _page(client, user, file):
    client.force_login(user)
    return client.get(reverse("documents:file_signatures", kwargs={"file_uuid": file.uuid}))


def test_page_lists_both_signatures_with_badges(client, world):
    response = _page(client, world["clerk"], world["signed"])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Phạm Văn Bình" in html and "Sở Tư pháp tỉnh Cà Mau" in html and "CA Kiểm thử eGov Cà Mau" in html
    assert html.count("Chữ ký hợp lệ") == 2 and "Không bị sửa sau khi ký" in html and "Chứng thư tin cậy" in html
    assert "Ký ban hành" in html
    assert response.context["signatures"][0].signing_time is not None


def test_page_reports_alteration_and_broken_file(client, world):
    html = _page(client, world["leader"], world["tampered"]).content.decode()
    assert "Bị sửa sau khi ký" in html and "Chữ ký không hợp lệ" in html
    html = _page(client, world["leader"], world["broken"]).content.decode()
    assert "Tệp PDF bị hỏng" in html
    html = _page(client, world["leader"], world["docx"]).content.decode()
    assert "không phải định dạng PDF" in html


def test_page_hidden_from_other_agency_and_anonymous(client, world):
    assert _page(client, world["outsider"], world["signed"]).status_code == 404
    client.logout()
    response = client.get(reverse("documents:file_signatures", kwargs={"file_uuid": world["signed"].uuid}))
    assert response.status_code == 302


def test_api_returns_the_checks(client, world):
    client.force_login(world["leader"])
    data = client.get(f"/api/v1/documents/files/{world['signed'].uuid}/signatures").json()
    assert data["is_pdf"] and data["errors"] == [] and data["name"] == "qd.pdf"
    assert [s["signer"] for s in data["signatures"]] == ["Phạm Văn Bình", "Sở Tư pháp tỉnh Cà Mau"]
    assert all(s["ok"] and s["intact"] and s["trusted"] and not s["modified_after_signing"] for s in data["signatures"])
    data = client.get(f"/api/v1/documents/files/{world['tampered'].uuid}/signatures").json()
    assert all(s["modified_after_signing"] and not s["ok"] for s in data["signatures"])
    data = client.get(f"/api/v1/documents/files/{world['broken'].uuid}/signatures").json()
    assert data["signatures"] == [] and "bị hỏng" in data["errors"][0]


def test_api_hides_other_agency_files(client, world):
    client.force_login(world["outsider"])
    response = client.get(f"/api/v1/documents/files/{world['signed'].uuid}/signatures")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    client.logout()
    assert client.get(f"/api/v1/documents/files/{world['signed'].uuid}/signatures").status_code == 401


def test_outgoing_file_follows_the_outgoing_policy_and_tokens_their_agency(client, settings):
    """A signed but unpublished outgoing document: its signer sees the signatures, an uninvolved colleague
    and another agency do not; a token of the sender agency with documents:read does."""
    from datetime import timedelta

    from django.utils import timezone

    from egov.apiclients.services import token_issue
    from egov.documents.models import FileKind
    from egov.documents.tests import world_outgoing as wo

    settings.DOCUMENTS_TRUST_ROOTS = pki.trust_roots_paths()
    world = wo.world_make()
    wo.credentials(world)
    document = wo.signed_document(world)
    signed = document.files.get(kind=FileKind.SIGNED)
    response = _page(client, world.leader, signed)
    assert response.status_code == 200 and "Nguyễn Văn Ký" in response.content.decode()
    assert [s.ok for s in response.context["signatures"]] == [True]
    assert f'href="{reverse("documents:outgoing_detail", kwargs={"uuid": document.uuid})}"' in response.content.decode()
    assert _page(client, world.colleague, signed).status_code == 404
    assert _page(client, world.outsider, signed).status_code == 404
    client.logout()
    admin = User.objects.create_user(username="qt.sig", password=PASSWORD, role=Role.SYSTEM_ADMIN)
    url = f"/api/v1/documents/files/{signed.uuid}/signatures"
    later = timezone.now() + timedelta(days=30)
    _token, own = token_issue(actor=admin, agency=world.sender, name="Kho lưu trữ", scopes=["documents:read"],
                              expires_at=later)
    _token, foreign = token_issue(actor=admin, agency=world.other, name="Khác", scopes=["documents:read"],
                                  expires_at=later)
    _token, no_scope = token_issue(actor=admin, agency=world.sender, name="Một cửa", scopes=["onestop:read"],
                                   expires_at=later)
    ok = client.get(url, HTTP_AUTHORIZATION=f"Bearer {own}")
    assert ok.status_code == 200 and ok.json()["signatures"][0]["signer"] == "Nguyễn Văn Ký"
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {foreign}").status_code == 404
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {no_scope}").status_code == 403
