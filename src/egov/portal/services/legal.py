"""The legal documents library (issue 5 point 3; SPEC §5.1 item 6): an issued legal normative document (VBQPPL)
of an agency whose ``DirectivePolicy.legal_library`` is on becomes a ``LegalDocumentPage``, published at once
(it is public law). Editors add other documents by hand in the Wagtail admin.

A document is a VBQPPL when its type may be one (``DocumentType.is_legal_normative``) *and* it was numbered in
the legal normative register of that type (NĐ 30/2020 Art. 15: ``15/2026/QĐ-UBND``): an administrative Quyết
định numbered in the regular series is not law and stays out of the library.
"""

import logging

from django.db import IntegrityError, transaction
from wagtail.models import Page

from egov.core.audit import audit_record
from egov.core.text import slugify_vietnamese
from egov.core.worker import task_effect_claim
from egov.documents.models import RegisterKind
from egov.portal.models import DirectivePolicy, LegalDocumentPage, Section
from egov.portal.services import common

log = logging.getLogger(__name__)


def is_legal_normative(document) -> bool:
    return bool(document.document_type_id and document.document_type.is_legal_normative
                and document.register_id and document.register.kind == RegisterKind.LEGAL)


def legal_document_publish(*, document_uuid, task_id: str = "") -> LegalDocumentPage | None:
    """Publish the library page of an issued VBQPPL (the existing page if there is one), else None."""
    existing = LegalDocumentPage.objects.filter(source_document_uuid=document_uuid).first()
    if existing is not None:
        return existing
    document = common.issued_public_document(document_uuid)
    if document is None or not is_legal_normative(document):
        return None
    policy = DirectivePolicy.objects.filter(agency_id=document.agency_id).first()
    if policy is None or not policy.legal_library:
        return None
    parent = common.section_for(Section.LEGAL_DOCUMENTS, document.agency)
    if parent is None:
        log.warning("No legal documents section for %s: document %s not added", document.agency, document.uuid)
        return None
    try:
        with transaction.atomic():
            if not task_effect_claim(key=f"portal.legal_document:{document.uuid}", task_id=task_id):
                return LegalDocumentPage.objects.filter(source_document_uuid=document_uuid).first()
            parent = Page.objects.select_for_update().get(pk=parent.pk).specific
            page = LegalDocumentPage(
                title=document.summary[:255], summary=document.summary, live=False,
                slug=common.unique_slug(parent, slugify_vietnamese(document.number_notation, max_length=60)),
                pdf=common.wagtail_document_from(document), effective_date=None, **common.facts_of(document))
            parent.add_child(instance=page)
            page.save_revision(log_action=True).publish()
            audit_record(actor=None, action="portal.legal_document_publish", obj=page, after={
                "source_document": str(document.uuid), "number_notation": document.number_notation})
    except IntegrityError:
        return LegalDocumentPage.objects.filter(source_document_uuid=document_uuid).first()
    return page
