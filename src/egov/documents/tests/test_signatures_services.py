"""Signing services (person_sign_pdf, agency_sign_pdf), stored credentials and configured trust roots."""

from datetime import UTC, datetime

import pytest

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.core.errors import DomainError
from egov.core.models import AuditEntry
from egov.directory.models import Agency, Official, Position
from egov.documents import signing
from egov.documents.models import SigningCredential
from egov.documents.services.signatures import (
    agency_sign_pdf,
    credential_signer,
    pdf_verify,
    person_sign_pdf,
    private_key_load,
    trust_roots,
)
from egov.documents.tests import pki

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return Agency.objects.create(code="SNV-SIG", name="Sở Nội vụ tỉnh Cà Mau", abbreviation="SNV", kind="so")


@pytest.fixture
def leader(agency):
    user = User.objects.create_user(username="giamdoc.sig", password="x-Mat-khau-2026", role=Role.LEADER,
                                    full_name="Lê Thị Ánh")
    pos = Position.objects.create(code="GD-SIG", name="Giám đốc", rank=10)
    Official.objects.create(user=user, agency=agency, position=pos)
    return user


def test_person_then_agency_sign_verify_ok_with_configured_root(leader, agency, settings):
    creds = pki.credentials_for(users=[leader], agencies=[agency])
    settings.DOCUMENTS_TRUST_ROOTS = pki.trust_roots_paths()
    signed = person_sign_pdf(user=leader, pdf=pki.sample_pdf(pages=2), reason="Ký ban hành văn bản")
    signed = agency_sign_pdf(agency=agency, pdf=signed, number_notation="12/QĐ-SNV",
                             issued_at=datetime(2026, 11, 26, 2, tzinfo=UTC))
    infos = pdf_verify(signed)
    assert [i.signer for i in infos] == ["Lê Thị Ánh", "Sở Nội vụ tỉnh Cà Mau"]
    assert all(i.ok for i in infos), [i.summary for i in infos]
    assert infos[1].reason == "Phát hành văn bản số 12/QĐ-SNV ngày 26/11/2026"
    boxes = signing.signature_boxes(signed)
    assert [(n, p) for n, p, _b in boxes] == [("NguoiKy1", 1), ("CoQuan2", 1)]
    assert boxes[1][2] == pytest.approx(signing.agency_box(boxes[0][2]), abs=1)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"documents.pdf_signed_person", "documents.pdf_signed_agency", "documents.credential_created"} <= actions
    assert creds[leader].user == leader and creds[agency].agency == agency


def test_agency_attachment_mark_on_first_page(agency, settings):
    pki.credentials_for(agencies=[agency])
    settings.DOCUMENTS_TRUST_ROOTS = pki.trust_roots_paths()
    signed = agency_sign_pdf(agency=agency, pdf=pki.sample_pdf(pages=3), number_notation="12/QĐ-SNV",
                             issued_at=None, attachment=True)
    ((name, page, box),) = signing.signature_boxes(signed)
    assert name == "PhuLuc1" and page == 0 and box[3] > 780
    assert pdf_verify(signed)[0].ok


def test_without_roots_the_signature_is_untrusted(leader, settings):
    pki.credentials_for(users=[leader])
    settings.DOCUMENTS_TRUST_ROOTS = []
    (info,) = pdf_verify(person_sign_pdf(user=leader, pdf=pki.sample_pdf(), reason="Ký"))
    assert info.intact and not info.trusted


def test_missing_credential_is_a_vietnamese_domain_error(leader, agency):
    with pytest.raises(DomainError) as person:
        person_sign_pdf(user=leader, pdf=pki.sample_pdf(), reason="Ký")
    assert person.value.code == "no_signing_credential" and "chưa có chứng thư số" in person.value.message
    with pytest.raises(DomainError) as seal:
        agency_sign_pdf(agency=agency, pdf=pki.sample_pdf(), number_notation="1/SNV", issued_at=None)
    assert seal.value.code == "no_signing_credential" and "Cơ quan chưa có chứng thư số" in seal.value.message


def test_expired_or_inactive_credential_does_not_count(leader, agency):
    pki.credentials_for(users=[leader], expired=True)
    pki.credentials_for(agencies=[agency])
    SigningCredential.objects.filter(agency=agency).update(is_active=False)
    with pytest.raises(DomainError, match="chưa có chứng thư số"):
        person_sign_pdf(user=leader, pdf=pki.sample_pdf(), reason="Ký")
    with pytest.raises(DomainError, match="chưa có chứng thư số"):
        agency_sign_pdf(agency=agency, pdf=pki.sample_pdf(), number_notation="1/SNV", issued_at=None)


def test_unsignable_pdf_is_a_domain_error(leader):
    pki.credentials_for(users=[leader])
    for data in (b"not a pdf", b"%PDF-1.4 broken"):
        with pytest.raises(DomainError) as err:
            person_sign_pdf(user=leader, pdf=data, reason="Ký")
        assert err.value.code == "pdf_not_signable"


def test_private_key_is_stored_encrypted_and_opens_with_the_secret(leader, settings):
    cred = pki.credentials_for(users=[leader])[leader]
    assert "ENCRYPTED PRIVATE KEY" in cred.private_key_pem
    assert signing.common_name(credential_signer(cred)["cert"].subject) == "Lê Thị Ánh"
    settings.SECRET_KEY = "another-secret-key-0123456789-0123456789-abcdef"
    with pytest.raises(DomainError) as err:
        private_key_load(cred.private_key_pem)
    assert err.value.code == "signing_key_unreadable"


def test_trust_roots_read_setting_files_and_the_demo_ca(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.DOCUMENTS_TRUST_ROOTS = [*pki.trust_roots_paths(), str(tmp_path / "missing.pem")]
    assert [c.subject for c in trust_roots()] == [pki.test_ca().cert.subject]
    (tmp_path / "pki").mkdir()
    (tmp_path / "pki" / "root-ca.pem").write_text(signing.cert_pem(pki.unknown_ca().cert))
    assert len(trust_roots()) == 2
