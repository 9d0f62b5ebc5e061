"""Background tasks of the portal (Django Tasks API). Thin: call a service with the document's uuid."""

from django_tasks import task

from egov.portal.services.directive import directive_item_draft
from egov.portal.services.legal import legal_document_publish
from egov.portal.services.recall import source_pages_unpublish


@task(takes_context=True)
def issued_document_to_portal_task(context, document_uuid: str) -> dict:
    """An issued document becomes a directive item (draft or published, per policy) and/or a library page."""
    task_id = str(getattr(context.task_result, "id", "") or "")
    item = directive_item_draft(document_uuid=document_uuid, task_id=task_id)
    legal = legal_document_publish(document_uuid=document_uuid, task_id=task_id)
    return {"document": document_uuid, "directive_item": item.pk if item else None,
            "legal_document": legal.pk if legal else None}


@task()
def recalled_document_off_portal_task(document_uuid: str) -> dict:
    """A recalled document's pages are unpublished (idempotent: only live pages are touched)."""
    return {"document": document_uuid, "unpublished": source_pages_unpublish(document_uuid=document_uuid)}
