"""Signing and issue through the services: numbers and notations, the agency signature, all-or-nothing."""

import pytest
from django.utils import timezone

from egov.core.errors import DomainError, PermissionDeniedError
from egov.documents.models import (
    DocumentFile,
    DocumentRegister,
    FileKind,
    OutgoingStatus,
    RegisterCounter,
    Secrecy,
    SigningCredential,
)
from egov.documents.services import outgoing as svc
from egov.documents.services.signatures import pdf_verify
from egov.documents.tests import pki
from egov.documents.tests import world_outgoing as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    world = w.world_make()
    w.credentials(world)
    settings.DOCUMENTS_TRUST_ROOTS = pki.trust_roots_paths()
    return world


def year() -> int:
    return timezone.localdate().year


def test_full_chain_sign_and_issue_cong_van(world):
    document = w.signed_document(world)
    assert document.status == OutgoingStatus.SIGNED and document.signed_at
    signed = DocumentFile.objects.get(outgoing=document, kind=FileKind.SIGNED)
    assert len(pdf_verify(signed.file.read())) == 1

    svc.outgoing_issue(actor=world.clerk, document=document)
    document.refresh_from_db()
    assert document.status == OutgoingStatus.ISSUED
    assert (document.number, document.notation, document.number_notation) == ("00001", "SNV-VP", "00001/SNV-VP")
    assert document.register == world.regular and document.number_value == 1 and document.number_year == year()
    assert document.issued_date == timezone.localdate() and document.issued_by == world.clerk
    main = DocumentFile.objects.get(outgoing=document, kind=FileKind.MAIN)
    signatures = pdf_verify(main.file.read())
    assert len(signatures) == 2 and all(s.ok for s in signatures)
    assert main.original_name == "00001_SNV-VP.pdf"


def test_numbers_follow_each_other_and_register_width(world):
    first = w.issued_document(world, document_type=world.quyet_dinh)
    second = w.issued_document(world, document_type=world.quyet_dinh)
    assert [first.number_notation, second.number_notation] == ["00001/QĐ-SNV", "00002/QĐ-SNV"]


def test_legal_normative_register_puts_the_year(world):
    document = w.signed_document(world, document_type=world.quyet_dinh)
    svc.outgoing_issue(actor=world.clerk, document=document, register=world.legal)
    document.refresh_from_db()
    assert document.number_notation == f"01/{year()}/QĐ-SNV"
    assert document.register == world.legal


def test_secret_document_takes_the_secret_series(world):
    w.issued_document(world)  # regular 00001
    document = w.signed_document(world, secrecy=Secrecy.CONFIDENTIAL)
    with pytest.raises(DomainError) as caught:  # a regular register is not allowed for a secret document
        svc.outgoing_issue(actor=world.clerk, document=document, register=world.regular)
    assert caught.value.code == "invalid_register"
    svc.outgoing_issue(actor=world.clerk, document=document)
    document.refresh_from_db()
    assert document.number_notation == "01/SNV-VP" and document.register == world.secret


def test_legal_register_refused_for_a_type_that_is_not_legal(world):
    document = w.signed_document(world)  # Công văn
    with pytest.raises(DomainError) as caught:
        svc.outgoing_issue(actor=world.clerk, document=document, register=world.legal)
    assert caught.value.code == "invalid_register"
    document.refresh_from_db()
    assert document.status == OutgoingStatus.SIGNED


def test_signing_failure_issues_nothing_and_gives_the_number_back(world):
    document = w.signed_document(world)
    SigningCredential.objects.filter(agency=world.sender).delete()
    files_before = DocumentFile.objects.count()
    with pytest.raises(DomainError) as caught:
        svc.outgoing_issue(actor=world.clerk, document=document)
    assert caught.value.code == "no_signing_credential"
    document.refresh_from_db()
    assert document.status == OutgoingStatus.SIGNED and document.number_notation == ""
    assert not RegisterCounter.objects.filter(register=world.regular, last_value__gt=0).exists()
    assert DocumentFile.objects.count() == files_before
    assert not document.deliveries.exists()

    pki.credentials_for(agencies=[world.sender])
    svc.outgoing_issue(actor=world.clerk, document=document)
    document.refresh_from_db()
    assert document.number_notation == "00001/SNV-VP"


def test_only_the_clerk_issues_and_only_the_signer_signs(world):
    document = w.signed_document(world)
    for actor in (world.leader, world.drafter, world.recipient_clerk):
        with pytest.raises(PermissionDeniedError) as caught:
            svc.outgoing_issue(actor=actor, document=document)
        assert "văn thư" in caught.value.message
    svc.outgoing_issue(actor=world.clerk, document=document)
    with pytest.raises(DomainError) as caught:  # twice
        svc.outgoing_issue(actor=world.clerk, document=document)
    assert caught.value.status == 409
    document.refresh_from_db()
    assert document.number_value == 1


def test_register_missing_is_a_clear_error(world):
    DocumentRegister.objects.filter(pk=world.regular.pk).update(is_active=False)
    document = w.signed_document(world)
    with pytest.raises(DomainError) as caught:
        svc.outgoing_issue(actor=world.clerk, document=document)
    assert caught.value.code == "register_missing"
    assert "sổ văn bản đi" in caught.value.message


def test_issue_due_the_next_working_day_urgent_at_once(world):
    import datetime as dt

    from egov.documents import selectors_outgoing as sel
    from egov.documents.models import OutgoingDocument

    document = w.signed_document(world)
    friday = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    OutgoingDocument.objects.filter(pk=document.pk).update(signed_at=friday)
    document.refresh_from_db()
    assert sel.issue_due_date(document) == dt.date(2026, 11, 30)  # Monday, after the weekend
    assert sel.issue_overdue(document) is (timezone.localdate() > dt.date(2026, 11, 30))
    document.urgency = 1
    assert sel.issue_due_date(document) == dt.date(2026, 11, 27)
    svc.outgoing_issue(actor=world.clerk, document=document)
    document.refresh_from_db()
    assert sel.issue_due_date(document) is None
