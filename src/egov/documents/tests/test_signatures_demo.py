"""documents_demo_pki: a demo CA in DATA_DIR/pki/ and credentials for leaders and agencies, idempotent."""

import io

import pytest
from django.core.management import call_command

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.directory.models import Agency, Official
from egov.documents.models import SigningCredential
from egov.documents.services.signatures import agency_sign_pdf, pdf_verify, person_sign_pdf
from egov.documents.tests import pki

pytestmark = pytest.mark.django_db


def test_demo_pki_lets_leaders_and_agencies_sign_and_is_idempotent(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.DOCUMENTS_TRUST_ROOTS = []
    agency = Agency.objects.create(code="UBND-DEMO", name="Ủy ban nhân dân xã Năm Căn", abbreviation="UBND", kind="xa")
    leader = User.objects.create_user(username="lanhdao.demo", password="x-Mat-khau-2026", role=Role.LEADER,
                                      full_name="Huỳnh Văn Sáu")
    specialist = User.objects.create_user(username="cv.demo", password="x-Mat-khau-2026", role=Role.SPECIALIST)
    for user in (leader, specialist):
        Official.objects.create(user=user, agency=agency)
    call_command("documents_demo_pki", stdout=io.StringIO())
    call_command("documents_demo_pki", stdout=io.StringIO())
    assert SigningCredential.objects.filter(user=leader).count() == 1
    assert SigningCredential.objects.filter(agency=agency).count() == 1
    assert not SigningCredential.objects.filter(user=specialist).exists()
    assert (tmp_path / "pki" / "root-ca.pem").is_file()
    signed = person_sign_pdf(user=leader, pdf=pki.sample_pdf(), reason="Ký")
    signed = agency_sign_pdf(agency=agency, pdf=signed, number_notation="3/QĐ-UBND", issued_at=None)
    infos = pdf_verify(signed)
    assert len(infos) == 2 and all(i.ok for i in infos), [i.summary for i in infos]


def test_credential_import_from_pkcs12(settings, tmp_path, monkeypatch):
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
    from django.core.management.base import CommandError

    settings.DOCUMENTS_TRUST_ROOTS = pki.trust_roots_paths()
    agency = Agency.objects.create(code="STP-P12", name="Sở Tư pháp tỉnh Cà Mau", abbreviation="STP", kind="so")
    key, cert = pki.issue("Sở Tư pháp tỉnh Cà Mau")
    path = tmp_path / "stp.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"stp", key, cert, [pki.test_ca().cert],
                                                           BestAvailableEncryption(b"mat-khau-p12")))
    (tmp_path / "dau.png").write_bytes(pki.seal_png())
    monkeypatch.setenv("EGOV_P12_PASSWORD", "sai")
    with pytest.raises(CommandError, match="sai mật khẩu"):
        call_command("documents_credential_import", agency="STP-P12", p12=str(path), stdout=io.StringIO())
    monkeypatch.setenv("EGOV_P12_PASSWORD", "mat-khau-p12")
    call_command("documents_credential_import", agency="STP-P12", p12=str(path), image=str(tmp_path / "dau.png"),
                 stdout=io.StringIO())
    credential = SigningCredential.objects.get(agency=agency)
    assert credential.image and "ENCRYPTED" in credential.private_key_pem
    signed = agency_sign_pdf(agency=agency, pdf=pki.sample_pdf(), number_notation="7/STP", issued_at=None)
    assert pdf_verify(signed)[0].ok
