"""Receivers of the portal: an outgoing document that reaches ISSUED is sent to the portal after the commit
(the documents app sends no signal of its own, so this listens to post_save of ``OutgoingDocument``)."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_save

from egov.documents.models import OutgoingDocument, OutgoingStatus, Secrecy


def _enqueue(document_uuid: str) -> None:
    from egov.portal.tasks import issued_document_to_portal_task

    issued_document_to_portal_task.enqueue(document_uuid)


def _enqueue_recall(document_uuid: str) -> None:
    from egov.portal.tasks import recalled_document_off_portal_task

    recalled_document_off_portal_task.enqueue(document_uuid)


def outgoing_saved(sender, instance: OutgoingDocument, **kwargs) -> None:
    """Cheap checks only; the task decides (policy, type, register) and is idempotent, so a later save of the
    same issued document enqueues a task that finds the page already there and does nothing. A recalled
    document with live pages has them unpublished."""
    from egov.portal.models import DirectiveItemPage, DirectivePolicy, LegalDocumentPage

    if instance.status == OutgoingStatus.RECALLED:
        if (DirectiveItemPage.objects.filter(source_document_uuid=instance.uuid, live=True).exists()
                or LegalDocumentPage.objects.filter(source_document_uuid=instance.uuid, live=True).exists()):
            transaction.on_commit(partial(_enqueue_recall, str(instance.uuid)))
        return
    if instance.status != OutgoingStatus.ISSUED or instance.issued_at is None or instance.secrecy > Secrecy.NONE:
        return
    if not DirectivePolicy.objects.filter(agency_id=instance.agency_id).exists():
        return
    if (DirectiveItemPage.objects.filter(source_document_uuid=instance.uuid).exists()
            or LegalDocumentPage.objects.filter(source_document_uuid=instance.uuid).exists()):
        return
    transaction.on_commit(partial(_enqueue, str(instance.uuid)))


def connect() -> None:
    post_save.connect(outgoing_saved, sender=OutgoingDocument, dispatch_uid="portal.outgoing_saved")
