"""Delivery of issued documents between agencies on the platform (SPEC §3.5, §3.6, §4.3).

Decision (SPEC §3.5 step 1, §4.3): issuing creates, for every recipient agency, a Delivery and at once an
IncomingDocument in that agency's incoming register (numbered, channel PLATFORM, metadata and the signed PDF
copied), so the document is never lost between agencies. Until the recipient's clerk checks it, the delivery
stays "delivered, waiting for reception" (01); the clerk accepts it (03, registered) or rejects it with a
reason (02: wrong addressee, failed checks; the incoming record becomes REJECTED). Later handling codes
(04/05/06) come from the recipient's own work through ``delivery_status_update``.

Recall (Art. 18, status 13): the sender's recalled document is marked RECALLED in every recipient agency
(hidden from their lists). Replacement: a new outgoing document ``replaces`` an issued one; when the new one
is issued the old one becomes REPLACED, and when a recipient accepts the new copy the old delivery shows 15
(update accepted, the old incoming copy is withdrawn), when it rejects, 16 (update refused, old kept).
"""

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from egov.accounts.roles import Role
from egov.core.audit import audit_record, snapshot
from egov.core.errors import DomainError
from egov.core.policies import require
from egov.documents.models import (
    Channel,
    Delivery,
    DeliveryEvent,
    DeliveryStatus,
    DocumentEvent,
    DocumentFile,
    DocumentRegister,
    FileKind,
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
    RegisterKind,
)
from egov.documents.models.choices import Direction
from egov.documents.policies.outgoing import can_accept_delivery, can_recall_outgoing, official_of
from egov.documents.services.delivery_status import delivery_status_update
from egov.documents.services.numbering import register_number_next
from egov.documents.services.outgoing import (
    agency_people,
    file_bytes,
    notify_users,
    outgoing_url,
    stored_remember,
)

CLOSED = (DeliveryStatus.REJECTED, DeliveryStatus.RECALLED, DeliveryStatus.UPDATE_ACCEPTED)


def _label(user) -> str:
    return "" if user is None else (getattr(user, "full_name", "") or user.get_username())[:150]


def incoming_register_for(agency, secrecy: int) -> DocumentRegister:
    """The recipient's active incoming register: its secret register for a document with a secrecy mark (secret
    documents have their own series, Art. 15), else its regular one. A default register of the right kind is
    opened if the agency has none, so a delivery never fails on the recipient's configuration."""
    kind = RegisterKind.SECRET if secrecy else RegisterKind.REGULAR
    found = (DocumentRegister.objects.filter(agency=agency, direction=Direction.INCOMING, is_active=True, kind=kind)
             .order_by("created_at").first())
    if found is not None:
        return found
    name = "Sổ văn bản mật đến" if secrecy else "Sổ văn bản đến"
    return DocumentRegister.objects.get_or_create(agency=agency, direction=Direction.INCOMING, name=name,
                                                  defaults={"kind": kind, "number_width": 2})[0]


def _copy_file(source: DocumentFile, incoming: IncomingDocument) -> DocumentFile:
    content = file_bytes(source)
    record = DocumentFile(agency_id=incoming.agency_id, incoming=incoming, kind=FileKind.MAIN, version=1,
                          original_name=source.original_name, content_type=source.content_type, size=len(content),
                          sha256=source.sha256, note="Nhận liên thông trên nền tảng")
    record.file.save(f"{incoming.uuid.hex}.pdf", ContentFile(content), save=False)
    stored_remember(record.file.name)
    record.save()
    return record


def _inbox_url() -> str:
    return reverse("documents:delivery_inbox")


def _incoming_event(incoming: IncomingDocument, action: str, actor, note: str = "", data: dict | None = None):
    return DocumentEvent.objects.create(incoming=incoming, action=action, actor=actor, actor_label=_label(actor),
                                        agency_id=incoming.agency_id, note=note, data=data or {})


def delivery_create(*, document: OutgoingDocument, recipient, actor, main_file: DocumentFile) -> Delivery:
    """One recipient: the incoming copy in its register, the Delivery at 01 and its first trail entry.
    Runs inside the issuing transaction."""
    now = document.issued_at or timezone.now()
    register = incoming_register_for(recipient, document.secrecy)
    year = timezone.localdate(now).year
    arrival = register_number_next(register=register, year=year)
    copied = {name: getattr(document, name) for name in (
        "document_type", "type_name", "number", "notation", "number_notation", "issued_date", "issuer_name",
        "issuer_code", "summary", "language", "page_count", "signer_position", "signer_name", "urgency",
        "secrecy", "issued_amount", "reply_due_date")}
    incoming = IncomingDocument.objects.create(
        agency=recipient, register=register, arrival_year=year, arrival_number=arrival, received_at=now,
        channel=Channel.PLATFORM, to_places=recipient.name[:1000], **copied,
    )
    _copy_file(main_file, incoming)
    delivery = Delivery.objects.create(outgoing=document, recipient_agency=recipient, incoming=incoming,
                                       status=DeliveryStatus.DELIVERED, status_at=now)
    update = _previous_delivery(delivery)
    description = "Chuyển qua nền tảng"
    if update is not None:
        description += f" (văn bản thay thế {update.outgoing.number_notation})"
    DeliveryEvent.objects.create(delivery=delivery, status=DeliveryStatus.DELIVERED, description=description,
                                 actor=actor, actor_label=_label(actor), at=now)
    _incoming_event(incoming, "received_platform", None, note=f"Nhận liên thông từ {document.agency.name}",
                    data={"delivery": str(delivery.uuid), "arrival_number": arrival})
    notify_users(agency_people(recipient.pk, Role.CLERK), title=f"Văn bản liên thông đến: "
                 f"{document.number_notation} – {document.summary[:120]}", body=f"Từ {document.agency.name}.",
                 url=_inbox_url())
    return delivery


def deliveries_create(*, document: OutgoingDocument, actor, main_file: DocumentFile) -> list[Delivery]:
    recipients = list(document.recipient_agencies.order_by("pk"))
    deliveries = [delivery_create(document=document, recipient=agency, actor=actor, main_file=main_file)
                  for agency in recipients]
    if deliveries:
        audit_record(actor=actor, action="documents.outgoing_deliver", obj=document,
                     extra={"recipients": [str(a.uuid) for a in recipients]})
    return deliveries


def _previous_delivery(delivery: Delivery) -> Delivery | None:
    """For a delivery of a replacing document: the delivery of the replaced one to the same agency."""
    replaced_id = delivery.outgoing.replaces_id
    if not replaced_id:
        return None
    return (Delivery.objects.select_related("outgoing", "incoming")
            .filter(outgoing_id=replaced_id, recipient_agency_id=delivery.recipient_agency_id).first())


def outgoing_mark_replaced(*, document: OutgoingDocument, actor) -> OutgoingDocument:
    """The replaced document becomes REPLACED when its replacement is issued (inside that transaction)."""
    old = OutgoingDocument.objects.select_for_update().get(pk=document.replaces_id)
    before = snapshot(old, ["status"])
    old.status = OutgoingStatus.REPLACED
    old.save(update_fields=["status", "updated_at"])
    DocumentEvent.objects.create(outgoing=old, action="replaced", actor=actor, actor_label=_label(actor),
                                 agency_id=old.agency_id, note=f"Được thay thế bởi {document.number_notation}",
                                 data={"by": str(document.uuid)})
    audit_record(actor=actor, action="documents.outgoing_replaced", obj=old, before=before,
                 after=snapshot(old, ["status"]), extra={"by": str(document.uuid)})
    return old


# --- the recipient's answer -----------------------------------------------------------------------------
def _locked_delivery(delivery: Delivery) -> Delivery:
    return Delivery.objects.select_for_update(of=("self",)).select_related("outgoing", "incoming").get(pk=delivery.pk)


@transaction.atomic
def delivery_accept(*, actor, delivery: Delivery, note: str = "") -> Delivery:
    """The recipient's clerk accepts a delivered document: 03 to the sender; for a replacement, 15 on the
    old delivery and the old incoming copy withdrawn."""
    delivery = _locked_delivery(delivery)
    require(can_accept_delivery(actor, delivery), "Chỉ văn thư của cơ quan nhận mới tiếp nhận được văn bản.")
    if delivery.status != DeliveryStatus.DELIVERED:
        raise DomainError("invalid_status", f"Văn bản không ở trạng thái chờ tiếp nhận (hiện tại: "
                                            f"“{delivery.get_status_display()}”).", status=409)
    delivery_status_update(delivery=delivery, status=DeliveryStatus.REGISTERED, actor=actor,
                           description=(note or "").strip()[:500] or "Văn thư đã tiếp nhận, vào sổ văn bản đến")
    incoming = delivery.incoming
    if incoming is not None:
        incoming.registered_by = actor
        incoming.save(update_fields=["registered_by", "updated_at"])
        _incoming_event(incoming, "accepted_platform", actor, note=(note or "").strip())
    previous = _previous_delivery(delivery)
    if previous is not None and previous.status not in CLOSED:
        delivery_status_update(delivery=previous, status=DeliveryStatus.UPDATE_ACCEPTED, actor=actor,
                               description=f"Đã nhận văn bản thay thế {delivery.outgoing.number_notation}")
        if previous.incoming is not None:
            old = previous.incoming
            old.status = IncomingStatus.RECALLED
            old.save(update_fields=["status", "updated_at"])
            _incoming_event(old, "replaced", actor, note=f"Được thay thế bởi {delivery.outgoing.number_notation}")
    audit_record(actor=actor, action="documents.delivery_accept", obj=delivery)
    return delivery


@transaction.atomic
def delivery_reject(*, actor, delivery: Delivery, reason: str) -> Delivery:
    """The recipient's clerk refuses a delivered document with a reason (02); a refused replacement keeps
    the old version (16)."""
    delivery = _locked_delivery(delivery)
    require(can_accept_delivery(actor, delivery), "Chỉ văn thư của cơ quan nhận mới từ chối được văn bản.")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", "Vui lòng nhập lý do từ chối tiếp nhận.")
    if delivery.status != DeliveryStatus.DELIVERED:
        raise DomainError("invalid_status", f"Văn bản không ở trạng thái chờ tiếp nhận (hiện tại: "
                                            f"“{delivery.get_status_display()}”).", status=409)
    delivery_status_update(delivery=delivery, status=DeliveryStatus.REJECTED, actor=actor, description=reason[:500])
    if delivery.incoming is not None:
        delivery.incoming.status = IncomingStatus.REJECTED
        delivery.incoming.save(update_fields=["status", "updated_at"])
        _incoming_event(delivery.incoming, "rejected_platform", actor, note=reason)
    previous = _previous_delivery(delivery)
    if previous is not None and previous.status not in CLOSED:
        delivery_status_update(delivery=previous, status=DeliveryStatus.UPDATE_REJECTED, actor=actor,
                               description=f"Từ chối văn bản thay thế: {reason}"[:500])
    audit_record(actor=actor, action="documents.delivery_reject", obj=delivery, extra={"reason": reason[:500]})
    notify_users([delivery.outgoing.issued_by, delivery.outgoing.drafted_by],
                 title=f"Văn bản {delivery.outgoing.number_notation} bị từ chối tiếp nhận",
                 body=f"{delivery.recipient_agency.name}: {reason}", url=outgoing_url(delivery.outgoing))
    return delivery


# --- recall ---------------------------------------------------------------------------------------------
@transaction.atomic
def outgoing_recall(*, actor, document: OutgoingDocument, reason: str) -> OutgoingDocument:
    """The issuing agency recalls an issued document (Art. 18): RECALLED here, 13 to every recipient, whose
    incoming copy is marked RECALLED and leaves their lists."""
    document = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
    require(can_recall_outgoing(actor, document) or (
        document.status != OutgoingStatus.ISSUED and _sender_staff(actor, document)),
        "Chỉ văn thư hoặc lãnh đạo cơ quan ban hành mới thu hồi được văn bản.")
    if document.status != OutgoingStatus.ISSUED:
        raise DomainError("invalid_status", f"Không thể thu hồi: văn bản đang ở trạng thái "
                                            f"“{document.get_status_display()}”.", status=409)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", "Vui lòng nhập lý do thu hồi văn bản.")
    before = snapshot(document, ["status", "recall_reason"])
    document.status, document.recalled_at, document.recall_reason = (OutgoingStatus.RECALLED, timezone.now(),
                                                                     reason[:500])
    document.save(update_fields=["status", "recalled_at", "recall_reason", "updated_at"])
    DocumentEvent.objects.create(outgoing=document, action="recalled", actor=actor, actor_label=_label(actor),
                                 agency_id=document.agency_id, note=reason)
    for delivery in document.deliveries.select_related("incoming").order_by("pk"):
        if delivery.status == DeliveryStatus.REJECTED:
            continue
        delivery_status_update(delivery=delivery, status=DeliveryStatus.RECALLED, actor=actor,
                               description=reason[:500])
        if delivery.incoming is not None:
            delivery.incoming.status = IncomingStatus.RECALLED
            delivery.incoming.save(update_fields=["status", "updated_at"])
            _incoming_event(delivery.incoming, "recalled", actor, note=f"Cơ quan ban hành thu hồi: {reason}")
    audit_record(actor=actor, action="documents.outgoing_recall", obj=document, before=before,
                 after=snapshot(document, ["status", "recall_reason"]))
    return document


def _sender_staff(actor, document: OutgoingDocument) -> bool:
    official = official_of(actor)
    return bool(official and official.agency_id == document.agency_id and actor.role in (Role.CLERK, Role.LEADER))
