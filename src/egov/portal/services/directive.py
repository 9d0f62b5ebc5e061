"""Directive information (issue 5 point 2; NĐ 43/2011 Art. 10 and 17): when an agency issues a document of a type
its ``DirectivePolicy`` lists, a ``DirectiveItemPage`` is drafted under the agency's directive section (or the
province's) with the number, date, summary, signer and the issued PDF; it then goes through the section's
moderation workflow and is published when an editor approves, or at once when the policy says so.

Idempotent by ``source_document_uuid`` (unique) and a task-effect mark, so a task that runs twice drafts once.
"""

import logging

from django.db import IntegrityError, transaction
from wagtail.models import Page

from egov.core.audit import audit_record
from egov.core.text import slugify_vietnamese
from egov.core.worker import task_effect_claim
from egov.documents.models import DocumentType
from egov.portal.models import DirectiveItemPage, DirectivePolicy, Section
from egov.portal.services import common

log = logging.getLogger(__name__)

# The default policy of the province committee (portal_directive_defaults): Quyết định, Chỉ thị, Thông báo,
# Kế hoạch.
DEFAULT_TYPE_ABBREVIATIONS = ("QĐ", "CT", "TB", "KH")


def portal_directive_defaults() -> DirectivePolicy | None:
    """The province committee's default policy, created once (an administrator's later changes are kept)."""
    province = common.province_committee()
    if province is None:
        return None
    with transaction.atomic():
        policy, created = DirectivePolicy.objects.get_or_create(agency=province)
        if created:
            policy.document_types.set(DocumentType.objects.filter(abbreviation__in=DEFAULT_TYPE_ABBREVIATIONS))
            audit_record(actor=None, action="portal.directive_policy_default", obj=policy,
                         after={"document_types": list(DEFAULT_TYPE_ABBREVIATIONS)})
    return policy


def policy_covers(policy: DirectivePolicy | None, document) -> bool:
    return (policy is not None and document.document_type_id is not None
            and policy.document_types.filter(pk=document.document_type_id).exists())


def directive_item_draft(*, document_uuid, task_id: str = "") -> DirectiveItemPage | None:
    """Draft (and submit or publish) the directive item of an issued document; the existing item if there is
    one; None when the document is not directive information of its agency or no section can hold it."""
    existing = DirectiveItemPage.objects.filter(source_document_uuid=document_uuid).first()
    if existing is not None:
        return existing
    document = common.issued_public_document(document_uuid)
    if document is None:
        return None
    policy = DirectivePolicy.objects.filter(agency_id=document.agency_id).first()
    if not policy_covers(policy, document):
        return None
    parent = common.section_for(Section.DIRECTIVE, document.agency)
    if parent is None:
        log.warning("No directive section for %s: document %s not drafted", document.agency, document.uuid)
        return None
    try:
        with transaction.atomic():
            if not task_effect_claim(key=f"portal.directive_item:{document.uuid}", task_id=task_id):
                return DirectiveItemPage.objects.filter(source_document_uuid=document_uuid).first()
            page = _draft(document, Page.objects.select_for_update().get(pk=parent.pk).specific, policy)
    except IntegrityError:  # drafted meanwhile by a concurrent run
        return DirectiveItemPage.objects.filter(source_document_uuid=document_uuid).first()
    return page


def _draft(document, parent, policy: DirectivePolicy) -> DirectiveItemPage:
    base = slugify_vietnamese(f"{document.number_notation} {document.summary}", max_length=70)
    page = DirectiveItemPage(
        title=document.summary[:255], slug=common.unique_slug(parent, base), summary=document.summary,
        pdf=common.wagtail_document_from(document), live=False, **common.facts_of(document))
    parent.add_child(instance=page)
    revision = page.save_revision(log_action=True)
    outcome = "draft"
    if policy.publish_immediately:
        revision.publish()
        outcome = "published"
    else:
        workflow = page.get_workflow()
        if workflow is not None:
            workflow.start(page, None)
            outcome = "submitted"
    audit_record(actor=None, action="portal.directive_item_draft", obj=page, after={
        "source_document": str(document.uuid), "number_notation": document.number_notation,
        "parent": parent.url_path, "outcome": outcome})
    return page
