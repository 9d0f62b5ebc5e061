"""Delivery between agencies on the platform: the incoming copy, accept / reject, recall and replacement, with
the statuses the sender sees (SPEC §3.5, §3.6, §4.3)."""

import pytest

from egov.core.errors import DomainError, PermissionDeniedError
from egov.documents.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    DocumentRegister,
    FileKind,
    IncomingDocument,
    IncomingStatus,
    OutgoingStatus,
)
from egov.documents.models.choices import Direction
from egov.documents.policies.outgoing import outgoing_visible_to
from egov.documents.services import delivery as dsvc
from egov.documents.services import outgoing as svc
from egov.documents.services.delivery_status import delivery_status_update
from egov.documents.tests import world_outgoing as w
from egov.notify.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = w.world_make()
    w.credentials(world)
    return world


def trail(delivery) -> list[str]:
    return list(delivery.events.order_by("at", "id").values_list("status", flat=True))


def test_issue_delivers_an_incoming_copy_waiting_for_reception(world):
    document = w.issued_document(world, recipients=[world.recipient, world.other])
    deliveries = {d.recipient_agency_id: d for d in Delivery.objects.filter(outgoing=document)}
    assert set(deliveries) == {world.recipient.pk, world.other.pk}
    delivery = deliveries[world.recipient.pk]
    assert delivery.status == DeliveryStatus.DELIVERED and trail(delivery) == ["01"]
    incoming = delivery.incoming
    assert incoming.agency == world.recipient and incoming.channel == Channel.PLATFORM
    assert incoming.register.name == "Sổ văn bản đến" and incoming.arrival_number == 1
    assert (incoming.number_notation, incoming.summary, incoming.signer_name, incoming.issuer_name) == (
        document.number_notation, document.summary, "Nguyễn Văn Ký", "Sở Nội vụ tỉnh Cà Mau")
    assert incoming.issued_date == document.issued_date and incoming.urgency == document.urgency
    copy = incoming.files.get()
    main = document.files.get(kind=FileKind.MAIN)
    assert copy.file.read() == main.file.read() and copy.sha256 == main.sha256
    # The other agency had no incoming register: a default one was opened for it.
    other_incoming = deliveries[world.other.pk].incoming
    assert other_incoming.register.direction == Direction.INCOMING and other_incoming.arrival_number == 1
    assert DocumentRegister.objects.filter(agency=world.other, direction=Direction.INCOMING).count() == 1
    arrived = Message.objects.filter(recipient=world.recipient_clerk).get()
    assert arrived.title.startswith(f"Văn bản liên thông đến: {document.number_notation}")
    assert arrived.url == "/can-bo/van-ban/lien-thong/cho-tiep-nhan/"
    # Recipients never see the outgoing document itself.
    assert not outgoing_visible_to(world.recipient_clerk).filter(pk=document.pk).exists()
    assert outgoing_visible_to(world.colleague).filter(pk=document.pk).exists()  # issued: the whole agency


def test_accept_then_handling_statuses_seen_by_the_sender(world):
    document = w.issued_document(world)
    delivery = document.deliveries.get()
    dsvc.delivery_accept(actor=world.recipient_clerk, delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.REGISTERED
    assert delivery.incoming.registered_by == world.recipient_clerk
    delivery_status_update(delivery=delivery, status=DeliveryStatus.ASSIGNED, actor=world.recipient_leader,
                           description="Giao Phòng Văn bản chủ trì")
    delivery.refresh_from_db()
    assert trail(delivery) == ["01", "03", "04"] and delivery.status == "04"
    with pytest.raises(DomainError) as caught:  # no second reception
        dsvc.delivery_accept(actor=world.recipient_clerk, delivery=delivery)
    assert caught.value.status == 409


def test_reject_needs_a_reason_and_the_recipient_clerk(world):
    document = w.issued_document(world)
    delivery = document.deliveries.get()
    with pytest.raises(DomainError) as caught:
        dsvc.delivery_reject(actor=world.recipient_clerk, delivery=delivery, reason="   ")
    assert caught.value.code == "reason_required" and "lý do" in caught.value.message
    for actor in (world.outsider, world.recipient_leader, world.clerk):
        with pytest.raises(PermissionDeniedError):
            dsvc.delivery_reject(actor=actor, delivery=delivery, reason="Sai địa chỉ")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and trail(delivery) == ["01"]

    dsvc.delivery_reject(actor=world.recipient_clerk, delivery=delivery, reason="Gửi nhầm cơ quan")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.reason) == (DeliveryStatus.REJECTED, "Gửi nhầm cơ quan")
    assert delivery.incoming.status == IncomingStatus.REJECTED
    assert delivery.events.last().description == "Gửi nhầm cơ quan"
    told = Message.objects.filter(recipient=world.clerk, title__contains="bị từ chối").get()
    assert told.body == "Sở Tư pháp tỉnh Cà Mau: Gửi nhầm cơ quan"


def test_recall_marks_every_copy_recalled(world):
    document = w.issued_document(world, recipients=[world.recipient, world.other])
    accepted = document.deliveries.get(recipient_agency=world.recipient)
    dsvc.delivery_accept(actor=world.recipient_clerk, delivery=accepted)
    with pytest.raises(DomainError) as caught:
        dsvc.outgoing_recall(actor=world.clerk, document=document, reason="")
    assert caught.value.code == "reason_required"
    with pytest.raises(PermissionDeniedError):
        dsvc.outgoing_recall(actor=world.drafter, document=document, reason="Sai số liệu")
    document.refresh_from_db()
    assert document.status == OutgoingStatus.ISSUED

    dsvc.outgoing_recall(actor=world.clerk, document=document, reason="Sai số liệu phụ lục")
    document.refresh_from_db()
    assert document.status == OutgoingStatus.RECALLED and document.recall_reason == "Sai số liệu phụ lục"
    for delivery in document.deliveries.all():
        assert delivery.status == DeliveryStatus.RECALLED
        assert delivery.incoming.status == IncomingStatus.RECALLED
    assert trail(document.deliveries.get(recipient_agency=world.recipient)) == ["01", "03", "13"]
    assert trail(document.deliveries.get(recipient_agency=world.other)) == ["01", "13"]
    with pytest.raises(DomainError):  # twice
        dsvc.outgoing_recall(actor=world.clerk, document=document, reason="Lần nữa")


def _replacement(world, old):
    return w.issued_document(world, replaces=old, summary="V/v triển khai kế hoạch (thay thế)")


def test_replacement_accepted_by_the_recipient(world):
    old = w.issued_document(world)
    old_delivery = old.deliveries.get()
    dsvc.delivery_accept(actor=world.recipient_clerk, delivery=old_delivery)
    new = _replacement(world, old)
    old.refresh_from_db()
    assert old.status == OutgoingStatus.REPLACED and new.replaces == old
    new_delivery = new.deliveries.get()
    assert "thay thế" in new_delivery.events.get().description
    dsvc.delivery_accept(actor=world.recipient_clerk, delivery=new_delivery)
    old_delivery.refresh_from_db()
    assert trail(old_delivery) == ["01", "03", "15"] and old_delivery.status == DeliveryStatus.UPDATE_ACCEPTED
    assert old_delivery.incoming.status == IncomingStatus.RECALLED
    new_delivery.refresh_from_db()
    assert new_delivery.status == DeliveryStatus.REGISTERED
    assert IncomingDocument.objects.filter(agency=world.recipient).count() == 2


def test_replacement_rejected_keeps_the_old_version(world):
    old = w.issued_document(world)
    old_delivery = old.deliveries.get()
    dsvc.delivery_accept(actor=world.recipient_clerk, delivery=old_delivery)
    new = _replacement(world, old)
    dsvc.delivery_reject(actor=world.recipient_clerk, delivery=new.deliveries.get(), reason="Nội dung chưa đúng")
    old_delivery.refresh_from_db()
    assert trail(old_delivery) == ["01", "03", "16"]
    assert old_delivery.incoming.status == IncomingStatus.REGISTERED


def test_only_an_issued_document_of_the_agency_can_be_replaced(world):
    draft = svc.outgoing_draft_create(actor=world.drafter, document_type=world.cong_van, summary="Dự thảo A")
    with pytest.raises(DomainError) as caught:
        svc.outgoing_draft_create(actor=world.drafter, document_type=world.cong_van, summary="B", replaces=draft)
    assert caught.value.code == "invalid_replaces"


def test_secret_document_goes_to_secret_registers_and_stays_with_its_people(world):
    from egov.documents.models import RegisterKind, Secrecy

    document = w.issued_document(world, secrecy=Secrecy.CONFIDENTIAL)
    incoming = document.deliveries.get().incoming
    assert incoming.register.kind == RegisterKind.SECRET and incoming.register.name == "Sổ văn bản mật đến"
    assert incoming.secrecy == Secrecy.CONFIDENTIAL and incoming.arrival_number == 1
    assert outgoing_visible_to(world.drafter).filter(pk=document.pk).exists()
    assert outgoing_visible_to(world.clerk).filter(pk=document.pk).exists()
    assert not outgoing_visible_to(world.colleague).filter(pk=document.pk).exists()
