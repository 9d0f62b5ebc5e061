"""The demo outgoing documents of ``documents_load_demo``: drafted, approved, signed with the demo PKI, issued
and delivered to another demo agency (some accepted there); a second run writes nothing."""

import pytest
from django.core.management import call_command

from egov.documents.models import Delivery, DeliveryStatus, FileKind, IncomingDocument, OutgoingDocument
from egov.documents.services.outgoing import file_bytes
from egov.documents.services.signatures import pdf_verify

pytestmark = pytest.mark.django_db


def test_demo_outgoing_documents_are_issued_signed_delivered_and_idempotent(settings, tmp_path):
    settings.DATA_DIR = tmp_path  # the demo CA is made under DATA_DIR/pki/ and trusted from there
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DOCUMENTS_TRUST_ROOTS = []
    call_command("load_demo", verbosity=0, quiet_table=True)
    call_command("documents_load_demo")
    issued = list(OutgoingDocument.objects.filter(agency__code__in=["STP", "VP"]).order_by("created_at"))
    assert len(issued) == 3 and {d.status for d in issued} == {"issued"}
    by_agency = {d.agency.code: d for d in issued}
    assert by_agency["VP"].number_notation == "00001/TB-VP"  # five digits at the province's office
    assert {d.number_notation for d in issued if d.agency.code == "STP"} == {"01/STP-XDKT", "02/KH-STP"}
    main = issued[0].files.get(kind=FileKind.MAIN)
    infos = pdf_verify(file_bytes(main))
    assert len(infos) == 2 and all(info.ok for info in infos), [info.summary for info in infos]
    statuses = {(d.outgoing.summary[:20], d.recipient_agency.code): d.status for d in Delivery.objects.all()}
    assert len(statuses) == 4
    assert DeliveryStatus.REGISTERED in statuses.values() and DeliveryStatus.DELIVERED in statuses.values()
    copies = IncomingDocument.objects.filter(delivery__outgoing__in=issued)
    assert copies.count() == 4 and all(c.number_notation and c.files.exists() for c in copies)
    counts = (OutgoingDocument.objects.count(), Delivery.objects.count(), IncomingDocument.objects.count())
    call_command("documents_load_demo")
    assert (OutgoingDocument.objects.count(), Delivery.objects.count(), IncomingDocument.objects.count()) == counts
