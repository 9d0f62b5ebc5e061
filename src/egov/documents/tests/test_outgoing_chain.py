"""Drafting, the approval chain with return for revision, and bad input, through the services."""

import pytest

from egov.core.errors import DomainError, PermissionDeniedError
from egov.core.models import AuditEntry
from egov.documents.models import DocumentEvent, DocumentFile, FileKind, OutgoingDocument, OutgoingStatus
from egov.documents.policies.outgoing import may_be_reviewer, outgoing_visible_to
from egov.documents.services import outgoing as svc
from egov.documents.tests import world_outgoing as w
from egov.notify.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return w.world_make()


def draft(world, **kwargs):
    values = {"actor": world.drafter, "document_type": world.cong_van, "summary": "V/v báo cáo công tác cải cách "
              "hành chính quý IV", "recipient_agencies": [world.recipient]}
    values.update(kwargs)
    return svc.outgoing_draft_create(**values)


def test_draft_with_versions_every_version_kept(world):
    document = draft(world)
    assert document.status == OutgoingStatus.DRAFT
    assert document.drafting_unit == world.office
    assert list(document.recipient_agencies.all()) == [world.recipient]
    first = svc.outgoing_version_upload(actor=world.drafter, document=document, upload=w.docx_upload())
    second = svc.outgoing_version_upload(actor=world.drafter, document=document, upload=w.pdf_upload())
    assert (first.version, first.content_type) == (1, svc.MIME_DOCX)
    assert (second.version, second.content_type) == (2, svc.MIME_PDF)
    assert second.file.read().startswith(b"%PDF")
    assert DocumentFile.objects.filter(outgoing=document, kind=FileKind.DRAFT).count() == 2
    actions = list(DocumentEvent.objects.filter(outgoing=document).values_list("action", flat=True))
    assert actions == ["draft_created", "draft_version", "draft_version"]


@pytest.mark.parametrize("name,content,code", [
    ("du-thao.pdf", b"MZ\x90\x00 not a pdf at all", "file_content_mismatch"),
    ("du-thao.exe", b"MZ\x90\x00", "file_type_not_allowed"),
    ("du-thao.pdf", b"", "file_empty"),
    ("du-thao.docx", w.pdf_bytes(), "file_content_mismatch"),
])
def test_bad_draft_files_are_refused_and_nothing_stored(world, name, content, code):
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = draft(world)
    with pytest.raises(DomainError) as caught:
        svc.outgoing_version_upload(actor=world.drafter, document=document,
                                    upload=SimpleUploadedFile(name, content))
    assert caught.value.code == code
    assert caught.value.message.startswith("Tệp")
    assert not DocumentFile.objects.filter(outgoing=document).exists()


def test_draft_size_limit(world, settings):
    settings.DOCUMENTS_MAX_UPLOAD_MB = 0
    document = draft(world)
    with pytest.raises(DomainError) as caught:
        svc.outgoing_version_upload(actor=world.drafter, document=document, upload=w.pdf_upload())
    assert caught.value.code == "file_too_large"


def test_chain_with_return_for_revision(world):
    document = draft(world)
    svc.outgoing_version_upload(actor=world.drafter, document=document, upload=w.pdf_upload())
    svc.outgoing_submit(actor=world.drafter, document=document, reviewer=world.head, note="Kính trình")
    document.refresh_from_db()
    assert (document.status, document.current_reviewer) == (OutgoingStatus.IN_REVIEW, world.head)

    svc.outgoing_return(actor=world.head, document=document, comment="Sửa lại số liệu mục 2")
    document.refresh_from_db()
    assert (document.status, document.current_reviewer) == (OutgoingStatus.RETURNED, None)

    svc.outgoing_version_upload(actor=world.drafter, document=document, upload=w.pdf_upload(text="v2"))
    svc.outgoing_submit(actor=world.drafter, document=document, reviewer=world.head)
    svc.outgoing_approve(actor=world.head, document=document, next_reviewer=world.leader, note="Đồng ý")
    document.refresh_from_db()
    assert (document.status, document.current_reviewer) == (OutgoingStatus.IN_REVIEW, world.leader)

    svc.outgoing_approve(actor=world.leader, document=document, signer=world.leader)
    document.refresh_from_db()
    assert (document.status, document.signer, document.current_reviewer) == (
        OutgoingStatus.APPROVED, world.leader, None)
    assert (document.signer_name, document.signer_position) == ("Nguyễn Văn Ký", "Giám đốc")
    trail = list(DocumentEvent.objects.filter(outgoing=document).values_list("action", "note"))
    assert [a for a, _ in trail] == ["draft_created", "draft_version", "submitted", "returned", "draft_version",
                                     "submitted", "forwarded", "approved"]
    assert ("returned", "Sửa lại số liệu mục 2") in trail
    inbox = list(Message.objects.order_by("id").values_list("recipient__username", "title"))
    assert [u for u, _ in inbox] == ["cvp.snv", "cv.snv", "cvp.snv", "gd.snv", "gd.snv"]
    assert inbox[1][1].startswith("Dự thảo bị trả lại") and inbox[-1][1].startswith("Văn bản chờ bạn ký")
    audited = set(AuditEntry.objects.filter(object_id=str(document.uuid)).values_list("action", flat=True))
    assert {"documents.outgoing_submit", "documents.outgoing_return", "documents.outgoing_approve"} <= audited


def test_review_rule(world):
    document = draft(world)
    assert may_be_reviewer(world.head, document)  # same unit, higher rank
    assert may_be_reviewer(world.leader, document)  # leader of the agency
    assert not may_be_reviewer(world.colleague, document)  # same unit, same rank
    assert not may_be_reviewer(world.drafter, document)
    assert not may_be_reviewer(world.recipient_leader, document)  # another agency


def _unchanged(document, status):
    document.refresh_from_db()
    assert document.status == status


def test_wrong_people_and_bad_input_change_nothing(world):
    document = draft(world)
    with pytest.raises(DomainError) as caught:
        svc.outgoing_submit(actor=world.drafter, document=document, reviewer=world.head)
    assert caught.value.code == "draft_file_missing"
    svc.outgoing_version_upload(actor=world.drafter, document=document, upload=w.docx_upload())
    with pytest.raises(DomainError) as caught:
        svc.outgoing_submit(actor=world.drafter, document=document, reviewer=world.colleague)
    assert caught.value.code == "invalid_reviewer"
    with pytest.raises(PermissionDeniedError):
        svc.outgoing_submit(actor=world.colleague, document=document, reviewer=world.head)
    _unchanged(document, OutgoingStatus.DRAFT)

    svc.outgoing_submit(actor=world.drafter, document=document, reviewer=world.head)
    with pytest.raises(PermissionDeniedError):
        svc.outgoing_approve(actor=world.leader, document=document, signer=world.leader)
    with pytest.raises(DomainError) as caught:
        svc.outgoing_return(actor=world.head, document=document, comment="  ")
    assert caught.value.code == "comment_required"
    with pytest.raises(DomainError) as caught:
        svc.outgoing_approve(actor=world.head, document=document, signer=world.head)
    assert caught.value.code == "invalid_signer"
    _unchanged(document, OutgoingStatus.IN_REVIEW)

    svc.outgoing_approve(actor=world.head, document=document, signer=world.leader)
    with pytest.raises(DomainError) as caught:  # the latest version is a DOCX: nothing to sign
        svc.outgoing_sign(actor=world.leader, document=document)
    assert caught.value.code == "no_pdf_to_sign"
    assert "PDF" in caught.value.message
    with pytest.raises(PermissionDeniedError):
        svc.outgoing_sign(actor=world.head, document=document)
    with pytest.raises(DomainError):  # not signed yet: the clerk cannot issue
        svc.outgoing_issue(actor=world.clerk, document=document)
    _unchanged(document, OutgoingStatus.APPROVED)
    assert document.number_notation == ""
    assert not DocumentFile.objects.filter(outgoing=document, kind=FileKind.SIGNED).exists()


def test_drafts_visible_to_chain_clerks_leaders_only(world):
    document = draft(world)
    svc.outgoing_version_upload(actor=world.drafter, document=document, upload=w.pdf_upload())
    svc.outgoing_submit(actor=world.drafter, document=document, reviewer=world.head)

    def sees(user):
        return outgoing_visible_to(user).filter(pk=document.pk).exists()

    assert sees(world.drafter) and sees(world.head) and sees(world.leader) and sees(world.clerk)
    assert not sees(world.colleague)
    assert not sees(world.recipient_clerk) and not sees(world.recipient_leader)
    svc.outgoing_approve(actor=world.head, document=document, next_reviewer=world.leader)
    assert sees(world.head)  # a past reviewer keeps seeing it
    assert OutgoingDocument.objects.count() == 1


def test_drafter_corrects_metadata_while_the_draft_is_his(world):
    document = draft(world)
    svc.outgoing_draft_update(actor=world.drafter, document=document, document_type=world.quyet_dinh,
                              summary="Quyết định ban hành quy chế", urgency=2, recipient_agencies=[world.other])
    document.refresh_from_db()
    assert (document.type_name, document.summary, document.urgency) == ("Quyết định", "Quyết định ban hành quy chế", 2)
    assert list(document.recipient_agencies.all()) == [world.other]
    with pytest.raises(PermissionDeniedError):
        svc.outgoing_draft_update(actor=world.head, document=document, document_type=world.cong_van, summary="X")
    with pytest.raises(DomainError) as caught:
        svc.outgoing_draft_update(actor=world.drafter, document=document, document_type=world.cong_van,
                                  summary="Y", recipient_agencies=[world.sender])
    assert caught.value.code == "invalid_recipient"
    svc.outgoing_version_upload(actor=world.drafter, document=document, upload=w.pdf_upload())
    svc.outgoing_submit(actor=world.drafter, document=document, reviewer=world.head)
    with pytest.raises(DomainError) as caught:  # with the reviewer now
        svc.outgoing_draft_update(actor=world.drafter, document=document, document_type=world.cong_van, summary="Z")
    assert caught.value.status == 409
    document.refresh_from_db()
    assert document.summary == "Quyết định ban hành quy chế"


def test_signing_without_a_credential_changes_nothing(world):
    document = draft(world)
    svc.outgoing_version_upload(actor=world.drafter, document=document, upload=w.pdf_upload())
    svc.outgoing_submit(actor=world.drafter, document=document, reviewer=world.leader)
    svc.outgoing_approve(actor=world.leader, document=document, signer=world.leader)
    with pytest.raises(DomainError) as caught:  # the world of this module has no signing credentials
        svc.outgoing_sign(actor=world.leader, document=document)
    assert caught.value.code == "no_signing_credential"
    document.refresh_from_db()
    assert document.status == OutgoingStatus.APPROVED and document.signed_at is None
    assert not DocumentFile.objects.filter(outgoing=document, kind=FileKind.SIGNED).exists()
