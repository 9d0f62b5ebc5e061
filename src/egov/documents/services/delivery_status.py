"""The status of a document delivered on the platform, as the sender sees it (edXML status codes, SPEC §4.3).

Shared by the receiving side (registered 03, assigned 04, in progress 05, done 06) and the sending side
(delivered 01, rejected 02, recalled 13, update accepted/refused 15/16).
"""

from django.db import transaction
from django.utils import timezone

from egov.core.audit import audit_record
from egov.core.errors import DomainError
from egov.documents.models import Delivery, DeliveryEvent, DeliveryStatus

# The handling codes move forward only: directing again after work started does not take the sender's view
# back from "in progress" to "assigned".
HANDLING_ORDER = [DeliveryStatus.REGISTERED, DeliveryStatus.ASSIGNED, DeliveryStatus.IN_PROGRESS,
                  DeliveryStatus.DONE]


def _actor_label(actor) -> str:
    if actor is None:
        return "Hệ thống"
    return (getattr(actor, "full_name", "") or actor.get_username())[:150]


@transaction.atomic
def delivery_status_update(*, delivery: Delivery, status: str, actor, description: str = "") -> DeliveryEvent | None:
    """Set the delivery's current status and append a DeliveryEvent (and an audit entry).

    A handling code (03–06) earlier than or equal to the current one is ignored and returns None, so callers
    may report each step without checking what was reported before."""
    try:
        status = DeliveryStatus(status)
    except ValueError:
        raise DomainError("invalid_status", f"Mã trạng thái liên thông không hợp lệ: “{str(status)[:10]}”.") from None
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    current = delivery.status
    handling = status in HANDLING_ORDER and current in HANDLING_ORDER
    if handling and HANDLING_ORDER.index(status) <= HANDLING_ORDER.index(current):
        return None
    now = timezone.now()
    delivery.status = status
    delivery.status_at = now
    if description and status in (DeliveryStatus.REJECTED, DeliveryStatus.RECALLED, DeliveryStatus.UPDATE_REJECTED):
        delivery.reason = description[:500]
    delivery.save(update_fields=["status", "status_at", "reason", "updated_at"])
    event = DeliveryEvent.objects.create(delivery=delivery, status=status, description=description[:500],
                                         actor=actor, actor_label=_actor_label(actor), at=now)
    audit_record(actor=actor, action="documents.delivery_status", obj=delivery,
                 before={"status": current}, after={"status": status, "description": description[:500]})
    return event
