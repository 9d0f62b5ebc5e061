"""Reads of the outgoing area: the work lists (my drafts, to review, to sign, to issue, issued), one document
with its versions, chain and deliveries, and the deliveries waiting in a recipient agency. Everything goes
through the policies, so a document the user may not see is "not found"."""

import uuid as uuid_module

from django.db.models import QuerySet
from django.utils import timezone

from egov.core.errors import DomainError, NotFound
from egov.documents.models import Delivery, DeliveryStatus, DocumentEvent, FileKind, OutgoingDocument, OutgoingStatus
from egov.documents.policies.outgoing import (
    PUBLISHED_STATUSES,
    deliveries_received_visible_to,
    official_of,
    outgoing_visible_to,
)
from egov.workdays.services import next_working_day

TABS = {
    "drafts": "Dự thảo của tôi",
    "review": "Chờ tôi duyệt",
    "sign": "Chờ tôi ký",
    "issue": "Chờ phát hành",
    "issued": "Đã phát hành",
}
CHAIN_ACTIONS = ("submitted", "forwarded", "approved", "returned", "signed", "issued", "recalled", "replaced")


def _valid_uuid(value) -> bool:
    try:
        uuid_module.UUID(str(value))
    except (TypeError, ValueError):
        return False
    return True


def outgoing_list(user, tab: str) -> QuerySet:
    """One work list of ``user``; an unknown tab is a DomainError (400)."""
    if tab not in TABS:
        raise DomainError("invalid_tab", f"Danh sách “{tab[:20]}” không tồn tại.")
    qs = outgoing_visible_to(user).select_related("document_type", "drafted_by", "current_reviewer", "signer")
    if tab == "drafts":
        qs = qs.filter(drafted_by=user).exclude(status__in=PUBLISHED_STATUSES)
    elif tab == "review":
        qs = qs.filter(status=OutgoingStatus.IN_REVIEW, current_reviewer=user)
    elif tab == "sign":
        qs = qs.filter(status=OutgoingStatus.APPROVED, signer=user)
    elif tab == "issue":
        official = official_of(user)
        qs = qs.filter(status=OutgoingStatus.SIGNED, agency_id=official.agency_id if official else None)
    else:
        qs = qs.filter(status__in=PUBLISHED_STATUSES).order_by("-issued_at")
    return qs.order_by("-issued_at", "-updated_at") if tab == "issued" else qs.order_by("-updated_at")


def issue_due_date(document: OutgoingDocument):
    """NĐ 30/2020 Art. 14: issue the day it is signed, at the latest the next working day (urgent ones at once).
    None when not signed yet or already issued."""
    if document.status != OutgoingStatus.SIGNED or document.signed_at is None:
        return None
    signed_day = timezone.localdate(document.signed_at)
    if document.urgency > 0:
        return signed_day
    try:
        return next_working_day(signed_day)
    except DomainError:  # a date outside the calendar's range: fall back to the signing day
        return signed_day


def issue_overdue(document: OutgoingDocument) -> bool:
    due = issue_due_date(document)
    return bool(due and timezone.localdate() > due)


def outgoing_counts(user) -> dict[str, int]:
    return {tab: outgoing_list(user, tab).count() for tab in ("drafts", "review", "sign", "issue")}


def outgoing_for(user, uuid) -> OutgoingDocument:
    """One document the user may see, else NotFound (its existence is not revealed)."""
    document = None
    if _valid_uuid(uuid):
        document = outgoing_visible_to(user).select_related(
            "agency", "document_type", "drafting_unit", "drafted_by", "current_reviewer", "signer", "register",
            "replaces", "in_reply_to").filter(uuid=uuid).first()
    if document is None:
        raise NotFound("Không tìm thấy văn bản đi.")
    return document


def outgoing_versions(document: OutgoingDocument) -> list:
    return list(document.files.filter(kind=FileKind.DRAFT).select_related("uploaded_by").order_by("version"))


def outgoing_signed_files(document: OutgoingDocument) -> list:
    return list(document.files.filter(kind__in=(FileKind.SIGNED, FileKind.MAIN)).order_by("created_at"))


def outgoing_events(document: OutgoingDocument) -> list[DocumentEvent]:
    return list(DocumentEvent.objects.filter(outgoing=document).select_related("file").order_by("at", "id"))


def outgoing_deliveries(document: OutgoingDocument) -> list[Delivery]:
    """Every recipient's status with its trail (the sender's view, SPEC §4.3)."""
    deliveries = list(document.deliveries.select_related("recipient_agency").prefetch_related("events")
                      .order_by("recipient_agency__name"))
    return deliveries


def deliveries_waiting(user) -> QuerySet:
    """Deliveries addressed to the user's agency that wait for the clerk's reception (01)."""
    return (deliveries_received_visible_to(user).filter(status=DeliveryStatus.DELIVERED)
            .select_related("outgoing", "outgoing__agency", "incoming").order_by("created_at"))


def delivery_for(user, uuid) -> Delivery:
    delivery = None
    if _valid_uuid(uuid):
        delivery = deliveries_received_visible_to(user).select_related(
            "outgoing", "outgoing__agency", "incoming").filter(uuid=uuid).first()
    if delivery is None:
        raise NotFound("Không tìm thấy văn bản liên thông.")
    return delivery
