"""Direction, re-assignment, progress, completion, delivery statuses and reminders of incoming documents."""

import datetime as dt

import pytest
from django.core import mail

from egov.core.errors import DomainError, PermissionDeniedError
from egov.documents.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Delivery,
    DeliveryStatus,
    Direction,
    DocumentRegister,
    IncomingStatus,
    OutgoingDocument,
    Secrecy,
)
from egov.documents.policies.incoming import can_view_incoming, incoming_visible_to
from egov.documents.selectors import incoming_queue
from egov.documents.services import handling
from egov.documents.tests.world_incoming import VN, pdf_upload, register, world_make
from egov.notify.models import Message

pytestmark = pytest.mark.django_db


def test_direction_deadline_counts_working_days_across_the_holidays():
    w = world_make()
    document = register(w, urgency=1)
    # Wednesday 29/04/2026: 30/04 and 01/05 are public holidays, then a weekend.
    created = handling.incoming_direct(
        actor=w.leader, document=document, lead_unit=w.unit, cooperating_assignees=[w.colleague],
        information_units=[str(w.unit2.uuid)], instruction="Phòng XDKT chủ trì tham mưu trả lời",
        due_days="2", now=dt.datetime(2026, 4, 29, 10, 0, tzinfo=VN))
    lead = next(a for a in created if a.role == AssignmentRole.LEAD)
    assert lead.due_at.astimezone(VN).date() == dt.date(2026, 5, 5)
    info = next(a for a in created if a.role == AssignmentRole.FOR_INFORMATION)
    assert info.due_at is None and info.unit == w.unit2
    document.refresh_from_db()
    assert document.status == IncomingStatus.ASSIGNED and document.handling_due_at == lead.due_at
    event = document.events.get(action="directed")
    assert event.data["lead"] == [w.unit.name] and event.note == "Phòng XDKT chủ trì tham mưu trả lời"
    # The unit's head is told (the unit has a manager), the colleague too.
    assert Message.objects.filter(recipient=w.head).exists()
    assert Message.objects.filter(recipient=w.colleague).exists()
    assert not Message.objects.filter(recipient=w.specialist).exists()


@pytest.mark.parametrize("kwargs, code", [
    ({}, "lead_required"),
    ({"due_days": "0"}, "invalid_due_days"),
    ({"due_days": "1,3"}, "invalid_due_days"),
    ({"cooperating_assignees": ["chuyenvien.t"]}, "duplicate_target"),
    ({"cooperating_assignees": ["chuyenvien.syt"]}, "invalid_assignee"),
])
def test_direction_refuses_bad_input(kwargs, code):
    w = world_make()
    document = register(w)
    args = {"lead_assignee": w.specialist} if code != "lead_required" else {}
    with pytest.raises(DomainError) as info:
        handling.incoming_direct(actor=w.leader, document=document, **args, **kwargs)
    assert info.value.code == code
    assert not Assignment.objects.exists()


def test_only_a_leader_of_the_agency_directs_and_only_once():
    w = world_make()
    document = register(w)
    for actor in (w.clerk, w.head, w.specialist):
        with pytest.raises(PermissionDeniedError):
            handling.incoming_direct(actor=actor, document=document, lead_assignee=w.specialist)
    handling.incoming_direct(actor=w.leader, document=document, lead_assignee=w.specialist)
    with pytest.raises(DomainError) as info:
        handling.incoming_direct(actor=w.leader, document=document, lead_assignee=w.specialist2)
    assert info.value.status == 409


def test_unit_head_reassigns_and_the_lead_specialist_completes_the_document():
    w = world_make()
    document = register(w)
    (lead,) = handling.incoming_direct(actor=w.leader, document=document, lead_unit=w.unit, due_days=5)
    with pytest.raises(PermissionDeniedError):  # a specialist of the unit handles, but does not re-assign
        handling.assignment_reassign(actor=w.specialist, assignment=lead, lead_assignee=w.specialist2)
    with pytest.raises(DomainError) as info:  # people of another unit cannot be given the unit's work
        handling.assignment_reassign(actor=w.head, assignment=lead, lead_assignee=w.colleague)
    assert info.value.code == "invalid_assignee"
    children = handling.assignment_reassign(actor=w.head, assignment=lead, lead_assignee=w.specialist,
                                            cooperating_assignees=[w.specialist2], instruction="Đ/c Luân dự thảo")
    child = next(c for c in children if c.role == AssignmentRole.LEAD)
    assert child.parent == lead and child.due_at == lead.due_at
    lead.refresh_from_db()
    assert lead.status == AssignmentStatus.REASSIGNED
    document.refresh_from_db()
    assert document.status == IncomingStatus.IN_PROGRESS

    assert list(incoming_queue(w.specialist, "mine")) == [document]
    handling.assignment_progress(actor=w.specialist2, assignment=children[1], note="Đề nghị bổ sung số liệu",
                                 kind="opinion")
    handling.assignment_progress(actor=w.specialist, assignment=child, note="Đã dự thảo", file=pdf_upload("dt.pdf"))
    with pytest.raises(DomainError) as info:
        handling.assignment_complete(actor=w.specialist, assignment=child, note=" ")
    assert info.value.code == "result_required"
    with pytest.raises(PermissionDeniedError):
        handling.assignment_complete(actor=w.colleague, assignment=child, note="Xong")
    handling.assignment_complete(actor=w.specialist, assignment=child, note="Đã trình văn bản trả lời số 45/STP-XDKT")
    document.refresh_from_db()
    lead.refresh_from_db()
    assert lead.status == AssignmentStatus.DONE
    assert document.status == IncomingStatus.DONE and document.completed_at is not None
    actions = list(document.events.values_list("action", flat=True))
    assert actions == ["registered", "directed", "reassigned", "opinion", "progress", "completed", "completed", "done"]
    assert document.events.get(action="progress").file.kind == "result"
    assert list(incoming_queue(w.specialist, "mine")) == []
    with pytest.raises(DomainError):
        handling.assignment_complete(actor=w.specialist, assignment=child, note="Lần hai")


def test_platform_delivery_reports_registered_assigned_in_progress_done():
    w = world_make()
    sender_register = DocumentRegister.objects.create(agency=w.other, direction=Direction.OUTGOING, name="Sổ đi")
    outgoing = OutgoingDocument.objects.create(agency=w.other, drafted_by=w.other_specialist, summary="Về việc X",
                                               register=sender_register, status="issued")
    delivery = Delivery.objects.create(outgoing=outgoing, recipient_agency=w.agency)
    document = register(w, delivery=delivery, channel="platform")
    (lead,) = handling.incoming_direct(actor=w.leader, document=document, lead_assignee=w.specialist)
    handling.assignment_progress(actor=w.specialist, assignment=lead, note="Đang xử lý")
    handling.assignment_progress(actor=w.specialist, assignment=lead, note="Vẫn đang xử lý")
    handling.assignment_complete(actor=w.specialist, assignment=lead, note="Xong")
    delivery.refresh_from_db()
    assert delivery.incoming == document and delivery.status == DeliveryStatus.DONE
    assert list(delivery.events.values_list("status", flat=True)) == ["03", "04", "05", "06"]
    with pytest.raises(DomainError) as info:
        register(w, delivery=delivery)
    assert info.value.code == "delivery_registered"


def test_a_delivered_copy_is_directed_only_after_the_clerk_accepts_it():
    from egov.documents.services.delivery_status import delivery_status_update

    w = world_make()
    sender_register = DocumentRegister.objects.create(agency=w.other, direction=Direction.OUTGOING, name="Sổ đi")
    outgoing = OutgoingDocument.objects.create(agency=w.other, drafted_by=w.other_specialist, summary="Về việc Y",
                                               register=sender_register, status="issued")
    document = register(w, channel="platform", actor=w.clerk)  # the copy the sender's issue puts in our register
    delivery = Delivery.objects.create(outgoing=outgoing, recipient_agency=w.agency, incoming=document)
    with pytest.raises(DomainError) as info:
        handling.incoming_direct(actor=w.leader, document=document, lead_assignee=w.specialist)
    assert info.value.code == "delivery_not_accepted" and info.value.status == 409
    delivery_status_update(delivery=delivery, status=DeliveryStatus.REGISTERED, actor=w.clerk)
    handling.incoming_direct(actor=w.leader, document=document, lead_assignee=w.specialist)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.ASSIGNED
    assert delivery_status_update(delivery=delivery, status=DeliveryStatus.REGISTERED, actor=w.clerk) is None
    document.status = IncomingStatus.RECALLED
    document.save()
    assert list(incoming_queue(w.leader, "all")) == []
    assert list(incoming_queue(w.leader, "all", status="recalled")) == [document]


def test_visibility_other_agency_secret_documents_and_assignees():
    w = world_make()
    ordinary = register(w)
    secret = register(w, register=w.secret_register, secrecy=Secrecy.SECRET, number="7")
    assert can_view_incoming(w.specialist, ordinary)
    assert not can_view_incoming(w.specialist, secret)
    assert can_view_incoming(w.clerk, secret) and can_view_incoming(w.leader, secret)
    assert not incoming_visible_to(w.other_clerk).exists()
    assert not incoming_visible_to(w.other_specialist).exists()
    handling.incoming_direct(actor=w.leader, document=secret, lead_assignee=w.specialist)
    assert can_view_incoming(w.specialist, secret)
    assert not can_view_incoming(w.specialist2, secret)


def test_reminders_are_sent_once_one_working_day_before_the_deadline(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    w = world_make()
    document = register(w)
    start = dt.datetime(2026, 11, 23, 9, 0, tzinfo=VN)  # Monday
    lead, coop = handling.incoming_direct(actor=w.leader, document=document, lead_assignee=w.specialist,
                                          cooperating_assignees=[w.specialist2], due_days=3, now=start)
    due = lead.due_at.astimezone(VN).date()
    assert due.weekday() < 5
    day_before = due - dt.timedelta(days=1)
    assert handling.assignment_reminders_send(
        now=dt.datetime.combine(day_before - dt.timedelta(days=1), dt.time(9, 0), tzinfo=VN)) == 0
    Message.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit():
        sent = handling.assignment_reminders_send(now=dt.datetime.combine(day_before, dt.time(9, 0), tzinfo=VN))
    assert sent == 2
    assert handling.assignment_reminders_send(now=dt.datetime.combine(day_before, dt.time(15, 0), tzinfo=VN)) == 0
    assert Message.objects.filter(recipient=w.specialist, title__startswith="Sắp đến hạn").count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["chuyenvien.t@camau.gov.vn", "chuyenvien2.t@camau.gov.vn"]
    assert document.events.filter(action="reminded").count() == 2


def django_capture_on_commit():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_work_lists_mine_due_soon_overdue_and_all():
    from django.utils import timezone

    w = world_make()
    late = register(w, number="1", summary="Văn bản đã quá hạn")
    soon = register(w, number="2", summary="Văn bản sắp đến hạn")
    later = register(w, number="3", summary="Văn bản còn lâu mới đến hạn")
    waiting = register(w, number="4", summary="Văn bản chờ phân công")
    handling.incoming_direct(actor=w.leader, document=late, lead_assignee=w.specialist, due_days=1,
                             now=timezone.now() - dt.timedelta(days=10))
    handling.incoming_direct(actor=w.leader, document=soon, lead_assignee=w.specialist, due_days=1)
    handling.incoming_direct(actor=w.leader, document=later, lead_assignee=w.specialist2, due_days=20)
    assert set(incoming_queue(w.specialist, "mine")) == {late, soon}
    assert list(incoming_queue(w.specialist, "overdue")) == [late]
    assert list(incoming_queue(w.specialist, "due_soon")) == [soon]
    assert list(incoming_queue(w.leader, "overdue")) == [late]
    assert list(incoming_queue(w.leader, "due_soon")) == [soon]
    assert set(incoming_queue(w.clerk, "all")) == {late, soon, later, waiting}
    assert list(incoming_queue(w.clerk, "all", status="registered")) == [waiting]
    assert list(incoming_queue(w.clerk, "all", query="chờ phân công")) == [waiting]
    with pytest.raises(DomainError):
        incoming_queue(w.specialist, "all")
