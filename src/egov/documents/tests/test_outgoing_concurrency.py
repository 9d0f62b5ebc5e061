"""Concurrent issue of signed documents from parallel connections: the issue numbers (and the arrival numbers
of the delivered copies) are 1..N with no gap and no repeat (PostgreSQL only)."""

import threading

import pytest
from django.db import connection, connections

from egov.documents.models import (
    DocumentFile,
    FileKind,
    IncomingDocument,
    OutgoingDocument,
    OutgoingStatus,
    RegisterCounter,
)
from egov.documents.services import outgoing as svc
from egov.documents.tests import world_outgoing as w

THREADS = 20

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite serialises every writer, so it cannot show a race; run with DATABASE_URL "
                              "pointing at PostgreSQL"),
]


def _signed_copy(world, source, index: int):
    """Another signed document with the same signed PDF (set up with the ORM: the chain itself is tested
    elsewhere; here only the issue races)."""
    from django.core.files.base import ContentFile

    signed = source.files.get(kind=FileKind.SIGNED)
    document = svc.outgoing_draft_create(actor=world.drafter, document_type=world.cong_van,
                                         summary=f"Công văn số {index}", recipient_agencies=[world.recipient])
    copy = DocumentFile(agency=world.sender, outgoing=document, kind=FileKind.SIGNED, original_name="da-ky.pdf",
                        content_type="application/pdf", size=signed.size, sha256=signed.sha256)
    copy.file.save(f"ky-{index}.pdf", ContentFile(signed.file.read()), save=True)
    OutgoingDocument.objects.filter(pk=document.pk).update(status=OutgoingStatus.SIGNED, signer=world.leader,
                                                           signed_at=source.signed_at)
    document.refresh_from_db()
    return document


def test_parallel_issues_get_consecutive_numbers():
    world = w.world_make()
    w.credentials(world)
    first = w.signed_document(world, summary="Công văn số 0")
    documents = [first] + [_signed_copy(world, first, i) for i in range(1, THREADS)]
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def work(document) -> None:
        try:
            barrier.wait(timeout=60)
            svc.outgoing_issue(actor=world.clerk, document=document)
        except BaseException as exc:  # reported below with the thread's error
            errors.append(exc)
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=work, args=(doc,)) for doc in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert not errors, errors
    numbers = sorted(OutgoingDocument.objects.values_list("number_value", flat=True))
    assert numbers == list(range(1, THREADS + 1))
    notations = set(OutgoingDocument.objects.values_list("number_notation", flat=True))
    assert notations == {f"{n:05d}/SNV-VP" for n in range(1, THREADS + 1)}
    assert RegisterCounter.objects.get(register=world.regular).last_value == THREADS
    arrivals = sorted(IncomingDocument.objects.filter(agency=world.recipient)
                      .values_list("arrival_number", flat=True))
    assert arrivals == list(range(1, THREADS + 1))
