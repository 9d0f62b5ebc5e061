"""A recalled document leaves the portal: its directive item and library page are unpublished (kept as drafts,
so editors see what happened), because a recalled document is no longer in force (NĐ 30/2020 Art. 18)."""

from django.db import transaction

from egov.core.audit import audit_record
from egov.documents.models import OutgoingDocument, OutgoingStatus
from egov.portal.models import DirectiveItemPage, LegalDocumentPage


def source_pages_unpublish(*, document_uuid) -> int:
    """Unpublish the live pages drafted from a recalled document; how many were unpublished."""
    document = OutgoingDocument.objects.filter(uuid=document_uuid).only("status", "recall_reason").first()
    if document is None or document.status != OutgoingStatus.RECALLED:
        return 0
    count = 0
    for model in (DirectiveItemPage, LegalDocumentPage):
        for page in model.objects.filter(source_document_uuid=document_uuid, live=True):
            with transaction.atomic():
                page.unpublish(log_action=True)
                audit_record(actor=None, action="portal.source_page_unpublish", obj=page,
                             after={"source_document": str(document_uuid), "reason": document.recall_reason})
            count += 1
    return count
