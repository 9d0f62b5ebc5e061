"""Signal receivers of the documents app: the search index follows every committed change of a document."""

from django.db.models.signals import post_delete, post_save

from egov.documents.models import (
    Assignment,
    Delivery,
    DocumentEvent,
    DocumentFile,
    IncomingDocument,
    OutgoingDocument,
)
from egov.documents.search_index import INCOMING, OUTGOING, document_key, search_index_schedule


def _document_changed(sender, instance, **kwargs):
    direction = INCOMING if sender is IncomingDocument else OUTGOING
    search_index_schedule(document_key(direction, instance.uuid))


def _related_changed(sender, instance, **kwargs):
    """A file, assignment or delivery changes what is found (text) or who finds it (principals). Scheduled by
    primary key (no query here); the document's own delete signal removes it from the index."""
    if incoming_id := getattr(instance, "incoming_id", None):
        search_index_schedule(f"{INCOMING}#{incoming_id}")
    if (outgoing_id := getattr(instance, "outgoing_id", None)) and sender is not Delivery:
        search_index_schedule(f"{OUTGOING}#{outgoing_id}")


def _event_recorded(sender, instance, created=False, **kwargs):
    """An actor of an outgoing draft may see it (policies.outgoing): only those events matter."""
    if created and instance.outgoing_id and instance.actor_id:
        search_index_schedule(f"{OUTGOING}#{instance.outgoing_id}")


def connect() -> None:
    for model in (IncomingDocument, OutgoingDocument):
        post_save.connect(_document_changed, sender=model, dispatch_uid=f"search_{model.__name__}_save")
        post_delete.connect(_document_changed, sender=model, dispatch_uid=f"search_{model.__name__}_delete")
    for model in (DocumentFile, Assignment, Delivery):
        post_save.connect(_related_changed, sender=model, dispatch_uid=f"search_{model.__name__}_save")
        post_delete.connect(_related_changed, sender=model, dispatch_uid=f"search_{model.__name__}_delete")
    post_save.connect(_event_recorded, sender=DocumentEvent, dispatch_uid="search_DocumentEvent_save")
