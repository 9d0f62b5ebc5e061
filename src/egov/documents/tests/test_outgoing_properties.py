"""Property test: any sequence of outgoing actions, by anyone, with any typed values, either works or is refused
with a DomainError (a Vietnamese 4xx) that changes nothing, and the document's record stays consistent."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov.core.errors import DomainError
from egov.documents.models import DocumentEvent, DocumentFile, FileKind, OutgoingDocument, OutgoingStatus
from egov.documents.services import outgoing as svc
from egov.documents.services.outgoing_actions import ACTIONS, outgoing_action_run
from egov.documents.tests import world_outgoing as w

ACTORS = ["drafter", "head", "leader", "clerk", "colleague", "recipient_clerk", "outsider"]
PEOPLE = ["cv.snv", "cvp.snv", "gd.snv", "vt.snv", "cv2.snv", "gd.stp", "khong-co"]

texts = st.one_of(st.just(""), st.just("   "), st.text(max_size=20), st.sampled_from(["Sửa lại", "Sai số liệu"]))
fields = st.fixed_dictionaries({}, optional={
    "reviewer": st.one_of(st.sampled_from(PEOPLE), texts), "next_reviewer": st.one_of(st.sampled_from(PEOPLE), texts),
    "signer": st.one_of(st.sampled_from(PEOPLE), texts), "comment": texts, "reason": texts, "note": texts,
    "register": st.one_of(st.sampled_from(["regular", "secret", "legal"]), texts),
})
uploads = st.sampled_from(["pdf", "docx", "garbage", None])
operations = st.lists(st.tuples(st.sampled_from([*ACTIONS, "dance"]), st.sampled_from(ACTORS), fields, uploads),
                      max_size=9)


@pytest.fixture
def world(db):
    world = w.world_make()
    w.credentials(world)
    return world


def _upload(kind):
    if kind == "pdf":
        return w.pdf_upload()
    if kind == "docx":
        return w.docx_upload()
    if kind == "garbage":
        return SimpleUploadedFile("du-thao.pdf", b"MZ\x90\x00 not a document")
    return None


STARTS = ["draft", "in_review", "approved", "signed", "issued"]


def prepared(world, start: str):
    """A document brought through the services to ``start``, so later actions get exercised too."""
    document = svc.outgoing_draft_create(actor=world.drafter, document_type=world.cong_van,
                                         summary="Văn bản thử nghiệm", recipient_agencies=[world.recipient])
    steps = STARTS.index(start)
    if steps >= 1:
        svc.outgoing_version_upload(actor=world.drafter, document=document, upload=w.pdf_upload())
        svc.outgoing_submit(actor=world.drafter, document=document, reviewer=world.head)
    if steps >= 2:
        svc.outgoing_approve(actor=world.head, document=document, signer=world.leader)
    if steps >= 3:
        svc.outgoing_sign(actor=world.leader, document=document)
    if steps >= 4:
        svc.outgoing_issue(actor=world.clerk, document=document)
    return OutgoingDocument.objects.get(pk=document.pk)


def state(document) -> tuple:
    document.refresh_from_db()
    return (document.status, document.current_reviewer_id, document.signer_id, document.number_notation,
            DocumentFile.objects.filter(outgoing=document).count(), document.deliveries.count(),
            DocumentEvent.objects.filter(outgoing=document).count())


def check_invariants(document, recipients: int) -> None:
    versions = list(document.files.filter(kind=FileKind.DRAFT).order_by("version").values_list("version", flat=True))
    assert versions == list(range(1, len(versions) + 1))
    status = document.status
    if status in (OutgoingStatus.DRAFT, OutgoingStatus.RETURNED):
        assert document.current_reviewer_id is None and not document.number_notation
    if status == OutgoingStatus.IN_REVIEW:
        assert document.current_reviewer_id is not None and versions
    if status == OutgoingStatus.APPROVED:
        assert document.signer_id is not None and document.current_reviewer_id is None
    if status == OutgoingStatus.SIGNED:
        assert document.signed_at and document.files.filter(kind=FileKind.SIGNED).exists()
        assert not document.number_notation
    if status in (OutgoingStatus.ISSUED, OutgoingStatus.RECALLED):
        assert document.number_notation and document.files.filter(kind=FileKind.MAIN).count() == 1
        assert document.deliveries.count() == recipients
    else:
        assert not document.deliveries.exists()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(ops=operations, start=st.sampled_from(STARTS))
def test_any_sequence_of_actions_is_applied_or_refused_cleanly(world, ops, start):
    document = prepared(world, start)
    registers = {"regular": world.regular, "secret": world.secret, "legal": world.legal}
    for action, who, values, upload in ops:
        values = dict(values)
        if values.get("register") in registers:
            values["register"] = str(registers[values["register"]].uuid)
        before = state(document)
        try:
            outgoing_action_run(user=getattr(world, who), document=document, action=action, fields=values,
                                upload=_upload(upload))
        except DomainError as error:
            assert 400 <= error.status < 500 and error.message
            assert state(document) == before
        document = OutgoingDocument.objects.get(pk=document.pk)
        check_invariants(document, recipients=1)
