"""What the directive and legal-library services share: reading an issued document, its section, its PDF."""

import logging

from django.core.files.base import ContentFile
from django.db.models import Q
from wagtail.documents import get_document_model

from egov.core.text import slugify_vietnamese
from egov.directory.models import Agency, AgencyKind
from egov.documents.models import FileKind, OutgoingDocument, OutgoingStatus, Secrecy
from egov.portal.models import SectionPage

log = logging.getLogger(__name__)


def issued_public_document(document_uuid) -> OutgoingDocument | None:
    """The issued, non-secret outgoing document (None otherwise: a secret document never reaches the portal)."""
    document = (OutgoingDocument.objects.select_related("agency", "document_type", "register", "signer")
                .filter(uuid=document_uuid).first())
    if document is None or document.status != OutgoingStatus.ISSUED or document.issued_at is None:
        return None
    if document.secrecy > Secrecy.NONE:
        return None
    return document


def province_committee() -> Agency | None:
    return Agency.objects.filter(kind=AgencyKind.PROVINCE_COMMITTEE, is_active=True).order_by("pk").first()


def section_for(kind: str, agency: Agency) -> SectionPage | None:
    """The section of that kind managed by ``agency``; else the province committee's; else the province-wide
    one (no agency), shallowest first."""
    sections = SectionPage.objects.filter(section=kind).order_by("depth", "path")
    found = sections.filter(agency=agency).first()
    if found is not None:
        return found
    province = province_committee()
    return sections.filter(Q(agency__isnull=True) | Q(agency=province)).first()


def signer_label(document: OutgoingDocument) -> str:
    name = document.signer_name or (document.signer.full_name if document.signer_id else "")
    return " ".join(part for part in (document.signer_position, name) if part).strip()


def issued_pdf(document: OutgoingDocument):
    """The issued copy (main file, carrying the signer's and the agency's signatures), else the signed one."""
    files = document.files.filter(content_type="application/pdf")
    return (files.filter(kind=FileKind.MAIN).order_by("-version", "-created_at").first()
            or files.filter(kind=FileKind.SIGNED).order_by("-created_at").first())


def wagtail_document_from(document: OutgoingDocument):
    """A Wagtail Document holding a copy of the issued PDF (the portal serves it to anybody)."""
    source = issued_pdf(document)
    if source is None:
        return None
    with source.file.open("rb") as handle:
        content = handle.read()
    name = f"{slugify_vietnamese(document.number_notation, max_length=60) or 'van-ban'}.pdf"
    wagtail_doc = get_document_model()(title=f"{document.number_notation} — {document.summary}"[:255])
    wagtail_doc.file.save(name, ContentFile(content), save=False)
    wagtail_doc.file_size = len(content)
    wagtail_doc.save()
    return wagtail_doc


def unique_slug(parent, base: str) -> str:
    slug = base or "van-ban"
    siblings = set(parent.get_children().values_list("slug", flat=True))
    candidate, n = slug, 2
    while candidate in siblings:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def facts_of(document: OutgoingDocument) -> dict:
    """The DocumentFacts fields of a page drafted from ``document``."""
    return {
        "number_notation": document.number_notation,
        "document_type_name": document.document_type.name if document.document_type_id else document.type_name,
        "issued_date": document.issued_date,
        "issuer": document.agency,
        "issuer_name": document.agency.name,
        "signer": signer_label(document),
        "source_document_uuid": document.uuid,
        "source_issued_at": document.issued_at,
    }
