"""The document demo data: registers of the demo agencies and incoming documents, loaded twice."""

import pytest
from django.core.management import call_command

from egov.documents.models import Assignment, DocumentRegister, IncomingDocument, IncomingStatus, RegisterKind

pytestmark = pytest.mark.django_db


def test_demo_load_is_complete_and_idempotent():
    call_command("load_demo", verbosity=0)
    call_command("documents_load_demo")
    vp = DocumentRegister.objects.get(agency__code="VP", direction="outgoing", name="Sổ văn bản đi")
    assert vp.number_width == 5 and vp.format_number(2354) == "02354"
    stp = DocumentRegister.objects.get(agency__code="STP", direction="outgoing", name="Sổ văn bản đi")
    assert stp.number_width == 2
    legal = DocumentRegister.objects.filter(agency__code="UBND", kind=RegisterKind.LEGAL)
    assert {r.document_type.code for r in legal} == {"nghi-quyet", "quyet-dinh"}
    assert DocumentRegister.objects.filter(agency__code="VP", kind=RegisterKind.SECRET).count() == 2
    documents = IncomingDocument.objects.filter(agency__code="VP").exclude(channel="platform")  # not the delivered
    assert documents.count() == 5
    assert {d.status for d in documents} >= {IncomingStatus.REGISTERED, IncomingStatus.ASSIGNED,
                                              IncomingStatus.IN_PROGRESS, IncomingStatus.DONE}
    assert Assignment.objects.filter(assignee__username="chuyenvien.vp").count() >= 3
    counts = (DocumentRegister.objects.count(), IncomingDocument.objects.count(), Assignment.objects.count())
    call_command("documents_load_demo")
    assert (DocumentRegister.objects.count(), IncomingDocument.objects.count(), Assignment.objects.count()) == counts
