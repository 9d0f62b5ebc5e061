"""Direction and handling of incoming documents (NĐ 30/2020 Art. 24; SPEC §3.5 steps 3–4).

- ``incoming_direct``: a leader names the lead unit or official (chủ trì), the cooperating ones (phối hợp) and
  those informed (để biết), with an instruction and a deadline in working days → one Assignment each.
- ``assignment_reassign``: inside a unit, its head hands the work on to people of the unit (child
  assignments; the parent is marked "re-assigned" and keeps its history).
- ``assignment_progress`` / ``assignment_complete``: handlers record progress and opinions, attach result
  files, and complete. Completing the lead of a re-assignment completes its parent; completing the top lead
  assignment closes the handling of the document (DONE).
- ``assignment_reminders_send``: one working day before the deadline each open assignee is reminded once.

Every move appends a DocumentEvent; a document that came by platform delivery reports 04/05/06 to its sender.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from egov.core.audit import audit_record
from egov.core.errors import DomainError, PermissionDeniedError
from egov.directory.models import Official, Unit
from egov.documents.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    DeliveryStatus,
    FileKind,
    IncomingDocument,
    IncomingStatus,
)
from egov.documents.policies.incoming import (
    assignment_handlers,
    can_complete_assignment,
    can_direct_incoming,
    can_handle_assignment,
    can_reassign_assignment,
)
from egov.documents.services.delivery_status import delivery_status_update
from egov.documents.services.incoming import due_days_parse, event_add, file_upload_any, incoming_delivery
from egov.notify.services import message_send
from egov.workdays.services import add_working_time, format_display, next_working_day

OPEN = (AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS)
CLOSED_DOCUMENT = (IncomingStatus.DONE, IncomingStatus.RECALLED, "rejected")


def _units(agency, values) -> list[Unit]:
    out = []
    for value in values or []:
        if isinstance(value, Unit):
            unit = value
        elif _is_uuid(value):
            unit = Unit.objects.filter(uuid=str(value)).first()
        else:
            unit = Unit.objects.filter(agency=agency, code=str(value).strip()).first()
        if unit is None or unit.agency_id != agency.pk or not unit.is_active:
            raise DomainError("invalid_unit", "Đơn vị được giao không thuộc cơ quan hoặc đã ngừng hoạt động.")
        out.append(unit)
    return out


def _is_uuid(value) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _people(agency, values, *, unit: Unit | None = None) -> list:
    """Users by object, username or official/user uuid; each must be an active official of ``agency``
    (and of ``unit`` when given)."""
    user_model = get_user_model()
    out = []
    for value in values or []:
        if isinstance(value, user_model):
            user = value
        else:
            text = str(value).strip()
            user = user_model.objects.filter(username=text).first()
            if user is None and _is_uuid(text):
                official = Official.objects.select_related("user").filter(uuid=text).first()
                user = official.user if official else None
        official = Official.objects.filter(user=user, is_active=True).first() if user else None
        if official is None or official.agency_id != agency.pk or not user.is_active:
            raise DomainError("invalid_assignee", f"Người được giao “{str(value)[:40]}” không phải cán bộ đang "
                                                  "công tác tại cơ quan.")
        if unit is not None and official.unit_id != unit.pk:
            raise DomainError("invalid_assignee", f"{user.full_name or user.username} không thuộc {unit.name}.")
        out.append(user)
    return out


def _targets(*, agency, unit_scope, lead_unit, lead_assignee, cooperating_units, cooperating_assignees,
             information_units, information_assignees) -> list[tuple[str, Unit | None, object]]:
    lead_units = _units(agency, [lead_unit] if lead_unit else [])
    lead_people = _people(agency, [lead_assignee] if lead_assignee else [], unit=unit_scope)
    if len(lead_units) + len(lead_people) != 1:
        raise DomainError("lead_required", "Cần chọn đúng một đơn vị hoặc một người chủ trì xử lý.")
    rows = [(AssignmentRole.LEAD, u, None) for u in lead_units] + [(AssignmentRole.LEAD, None, p) for p in lead_people]
    rows += [(AssignmentRole.COOPERATING, u, None) for u in _units(agency, cooperating_units)]
    rows += [(AssignmentRole.COOPERATING, None, p) for p in _people(agency, cooperating_assignees, unit=unit_scope)]
    rows += [(AssignmentRole.FOR_INFORMATION, u, None) for u in _units(agency, information_units)]
    rows += [(AssignmentRole.FOR_INFORMATION, None, p)
             for p in _people(agency, information_assignees, unit=unit_scope)]
    seen = set()
    for _role, unit, person in rows:
        key = ("u", unit.pk) if unit else ("p", person.pk)
        if key in seen:
            raise DomainError("duplicate_target", "Mỗi đơn vị, người chỉ được chọn một lần (chủ trì, phối hợp hoặc "
                                                  "để biết).")
        seen.add(key)
    if unit_scope is not None and any(unit for _r, unit, _p in rows):
        raise DomainError("invalid_target", "Giao lại trong đơn vị chỉ giao cho cán bộ của đơn vị.")
    return rows


def _deadline(*, agency, due_days, start: dt.datetime) -> tuple[dt.datetime | None, Decimal | None]:
    days = due_days_parse(due_days)
    if days is None:
        return None, None
    whole = int(days) if days == days.to_integral_value() else days
    return add_working_time(start, days=whole, agency=agency), days


def _document_url(document) -> str:
    return reverse("documents:incoming_detail", kwargs={"uuid": document.uuid})


def _notify(assignment: Assignment, *, title: str, body: str) -> None:
    url = _document_url(assignment.incoming)
    for user in assignment_handlers(assignment):
        message_send(recipient=user, title=title, body=body, url=url)


def _label(unit, person) -> str:
    return unit.name if unit else (person.full_name or person.username)


def _create_assignments(*, document, actor, rows, parent, instruction, due_at, due_days) -> list[Assignment]:
    created = []
    for role, unit, person in rows:
        created.append(Assignment.objects.create(
            incoming=document, parent=parent, role=role, unit=unit, assignee=person, assigned_by=actor,
            instruction=instruction, due_at=due_at if role != AssignmentRole.FOR_INFORMATION else None,
            due_days=due_days if role != AssignmentRole.FOR_INFORMATION else None,
        ))
    return created


def _summary(created: list[Assignment]) -> dict:
    return {role.value: [_label(a.unit, a.assignee) for a in created if a.role == role] for role in AssignmentRole}


@transaction.atomic
def incoming_direct(*, actor, document: IncomingDocument, lead_unit=None, lead_assignee=None, cooperating_units=(),
                    cooperating_assignees=(), information_units=(), information_assignees=(),
                    instruction: str = "", due_days=None, now: dt.datetime | None = None) -> list[Assignment]:
    """A leader's direction (bút phê) of a registered document: one Assignment per recipient, the document
    ASSIGNED with the lead's deadline (``due_days`` working days from ``now``, by the agency's calendar;
    ``now`` is given only by the demo loader and tests)."""
    document = IncomingDocument.objects.select_for_update(of=("self",)).select_related("agency").get(pk=document.pk)
    if not can_direct_incoming(actor, document):
        raise PermissionDeniedError("Chỉ lãnh đạo của cơ quan nhận mới được phân công xử lý văn bản đến.")
    if document.status != IncomingStatus.REGISTERED:
        raise DomainError("already_directed", "Văn bản đã được phân công xử lý hoặc đã kết thúc; không phân công "
                                              "lại được.", status=409)
    delivery = incoming_delivery(document)
    if delivery is not None and delivery.status == DeliveryStatus.DELIVERED:
        raise DomainError("delivery_not_accepted", "Văn bản liên thông chưa được văn thư tiếp nhận; cần tiếp nhận "
                                                   "trước khi phân công.", status=409)
    instruction = (instruction or "").strip()
    if len(instruction) > 4000:
        raise DomainError("invalid_input", "Ý kiến chỉ đạo dài quá 4.000 ký tự.")
    rows = _targets(agency=document.agency, unit_scope=None, lead_unit=lead_unit, lead_assignee=lead_assignee,
                    cooperating_units=cooperating_units, cooperating_assignees=cooperating_assignees,
                    information_units=information_units, information_assignees=information_assignees)
    now = now or timezone.now()
    due_at, days = _deadline(agency=document.agency, due_days=due_days, start=now)
    created = _create_assignments(document=document, actor=actor, rows=rows, parent=None, instruction=instruction,
                                  due_at=due_at, due_days=days)
    before = {"status": document.status}
    document.status = IncomingStatus.ASSIGNED
    document.handling_due_at = due_at
    document.save(update_fields=["status", "handling_due_at", "updated_at"])
    data = {**_summary(created), "due_days": str(days) if days else None,
            "due_at": due_at.isoformat() if due_at else None}
    event_add(document=document, action="directed", actor=actor, note=instruction, data=data,
              assignment=created[0])
    audit_record(actor=actor, action="documents.incoming_direct", obj=document, before=before,
                 after={"status": document.status, **data})
    due_text = f" Hạn xử lý: {format_display(due_at)}." if due_at else ""
    for a in created:
        _notify(a, title=f"Văn bản đến được giao ({a.get_role_display().lower()}): {document.summary[:120]}",
                body=(instruction + due_text).strip())
    if delivery is not None:
        lead = next(a for a in created if a.role == AssignmentRole.LEAD)
        delivery_status_update(delivery=delivery, status=DeliveryStatus.ASSIGNED, actor=actor,
                               description=f"Đã phân công {_label(lead.unit, lead.assignee)} chủ trì xử lý")
    return created


def _assignment_locked(assignment: Assignment) -> Assignment:
    return Assignment.objects.select_for_update(of=("self",)).select_related("incoming", "incoming__agency", "unit",
                                                                 "assignee").get(pk=assignment.pk)


def _check_open(assignment: Assignment) -> None:
    if assignment.status not in OPEN:
        raise DomainError("assignment_closed", "Phân công này đã hoàn thành hoặc đã giao lại.", status=409)
    if assignment.incoming.status in CLOSED_DOCUMENT and assignment.role == AssignmentRole.LEAD:
        raise DomainError("document_closed", "Văn bản đã kết thúc xử lý.", status=409)


@transaction.atomic
def assignment_reassign(*, actor, assignment: Assignment, lead_assignee=None, cooperating_assignees=(),
                        information_assignees=(), instruction: str = "", due_days=None) -> list[Assignment]:
    """A unit head hands an assignment of his unit on to its officials (child assignments). The deadline may
    be shorter than the parent's, never later."""
    assignment = _assignment_locked(assignment)
    document = assignment.incoming
    if not can_reassign_assignment(actor, assignment):
        raise PermissionDeniedError("Chỉ trưởng, phó đơn vị (hoặc lãnh đạo) đang giữ phân công này mới được giao "
                                    "lại.")
    _check_open(assignment)
    scope = assignment.unit if assignment.unit_id else None
    rows = _targets(agency=document.agency, unit_scope=scope, lead_unit=None, lead_assignee=lead_assignee,
                    cooperating_units=(), cooperating_assignees=cooperating_assignees, information_units=(),
                    information_assignees=information_assignees)
    if any(person and person.pk == actor.pk for _r, _u, person in rows):
        raise DomainError("invalid_assignee", "Không tự giao lại cho chính mình.")
    due_at, days = _deadline(agency=document.agency, due_days=due_days, start=timezone.now())
    if due_at is None:
        due_at, days = assignment.due_at, assignment.due_days
    elif assignment.due_at and due_at > assignment.due_at:
        raise DomainError("due_after_parent", f"Hạn giao lại không được sau hạn được giao "
                                              f"({format_display(assignment.due_at)}).")
    instruction = (instruction or "").strip()[:4000]
    created = _create_assignments(document=document, actor=actor, rows=rows, parent=assignment,
                                  instruction=instruction, due_at=due_at, due_days=days)
    assignment.status = AssignmentStatus.REASSIGNED
    assignment.save(update_fields=["status", "updated_at"])
    data = {**_summary(created), "due_at": due_at.isoformat() if due_at else None}
    event_add(document=document, action="reassigned", actor=actor, note=instruction, data=data,
              assignment=assignment)
    audit_record(actor=actor, action="documents.assignment_reassign", obj=assignment,
                 after={"status": assignment.status, **data})
    for a in created:
        _notify(a, title=f"Được giao xử lý ({a.get_role_display().lower()}): {document.summary[:120]}",
                body=instruction)
    _document_started(document=document, actor=actor)
    return created


def _document_started(*, document: IncomingDocument, actor) -> None:
    """The first handler action moves the document to IN_PROGRESS (and its sender sees 05)."""
    if document.status != IncomingStatus.ASSIGNED:
        return
    document.status = IncomingStatus.IN_PROGRESS
    document.save(update_fields=["status", "updated_at"])
    delivery = incoming_delivery(document)
    if delivery is not None:
        delivery_status_update(delivery=delivery, status=DeliveryStatus.IN_PROGRESS, actor=actor,
                               description="Đang xử lý")


def _result_file(*, actor, document, uploaded_file):
    if uploaded_file is None:
        return None
    record = file_upload_any(actor=actor, agency=document.agency, uploaded_file=uploaded_file)
    record.incoming = document
    record.kind = FileKind.RESULT
    record.save(update_fields=["incoming", "kind", "updated_at"])
    return record


PROGRESS_KINDS = {"progress": "Cập nhật tiến độ", "opinion": "Ý kiến xử lý"}


@transaction.atomic
def assignment_progress(*, actor, assignment: Assignment, note: str, kind: str = "progress", file=None):
    """Record progress or an opinion on an assignment, optionally with a file (DocumentEvent with file)."""
    assignment = _assignment_locked(assignment)
    document = assignment.incoming
    if not can_handle_assignment(actor, assignment):
        raise PermissionDeniedError("Bạn không xử lý phân công này.")
    _check_open(assignment)
    if kind not in PROGRESS_KINDS:
        raise DomainError("invalid_input", "Loại cập nhật không hợp lệ (progress hoặc opinion).")
    note = (note or "").strip()
    if not note and file is None:
        raise DomainError("note_required", "Cần nhập nội dung tiến độ hoặc ý kiến.")
    if len(note) > 4000:
        raise DomainError("invalid_input", "Nội dung dài quá 4.000 ký tự.")
    record = _result_file(actor=actor, document=document, uploaded_file=file)
    if assignment.status == AssignmentStatus.ASSIGNED:
        assignment.status = AssignmentStatus.IN_PROGRESS
        assignment.save(update_fields=["status", "updated_at"])
    event = event_add(document=document, action=kind, actor=actor, note=note, assignment=assignment, file=record,
                      data={"role": assignment.role})
    audit_record(actor=actor, action=f"documents.assignment_{kind}", obj=assignment,
                 after={"note": note[:500], "file": str(record.uuid) if record else None})
    _document_started(document=document, actor=actor)
    return event


def _complete_one(*, actor, assignment: Assignment, note: str, record, now, cascaded: bool) -> None:
    assignment.status = AssignmentStatus.DONE
    assignment.completed_at = now
    assignment.save(update_fields=["status", "completed_at", "updated_at"])
    event_add(document=assignment.incoming, action="completed", actor=actor, note=note, assignment=assignment,
              file=record, data={"role": assignment.role, "cascaded": cascaded,
                                 "target": _label(assignment.unit, assignment.assignee)})


@transaction.atomic
def assignment_complete(*, actor, assignment: Assignment, note: str = "", file=None) -> Assignment:
    """Complete an assignment. The lead of a re-assignment completes its parent too; the top lead closes the
    document's handling (DONE, completed_at)."""
    assignment = _assignment_locked(assignment)
    document = IncomingDocument.objects.select_for_update().get(pk=assignment.incoming_id)
    assignment.incoming = document
    if not can_complete_assignment(actor, assignment):
        raise PermissionDeniedError("Bạn không xử lý phân công này.")
    _check_open(assignment)
    note = (note or "").strip()
    if len(note) > 4000:
        raise DomainError("invalid_input", "Nội dung dài quá 4.000 ký tự.")
    if assignment.role == AssignmentRole.LEAD and not note and file is None:
        raise DomainError("result_required", "Cần nhập kết quả xử lý (hoặc đính kèm tệp kết quả) trước khi hoàn "
                                             "thành.")
    record = _result_file(actor=actor, document=document, uploaded_file=file)
    now = timezone.now()
    _document_started(document=document, actor=actor)
    _complete_one(actor=actor, assignment=assignment, note=note, record=record, now=now, cascaded=False)
    current = assignment
    while current.role == AssignmentRole.LEAD and current.parent_id:
        parent = Assignment.objects.select_for_update(of=("self",)).select_related("incoming", "unit", "assignee") \
            .get(pk=current.parent_id)
        if parent.status == AssignmentStatus.DONE:
            break
        parent.incoming = document
        _complete_one(actor=actor, assignment=parent, note=note, record=record, now=now, cascaded=True)
        current = parent
    audit_record(actor=actor, action="documents.assignment_complete", obj=assignment,
                 after={"status": assignment.status, "note": note[:500]})
    if current.role == AssignmentRole.LEAD and current.parent_id is None and document.status not in CLOSED_DOCUMENT:
        before = {"status": document.status}
        document.status = IncomingStatus.DONE
        document.completed_at = now
        document.save(update_fields=["status", "completed_at", "updated_at"])
        event_add(document=document, action="done", actor=actor, note=note, file=record)
        audit_record(actor=actor, action="documents.incoming_done", obj=document, before=before,
                     after={"status": document.status})
        delivery = incoming_delivery(document)
        if delivery is not None:
            delivery_status_update(delivery=delivery, status=DeliveryStatus.DONE, actor=actor,
                                   description="Đã hoàn thành xử lý")
    return assignment


def reminder_threshold(now: dt.datetime) -> dt.datetime:
    """Assignments due up to the end of the next working day are reminded now (so on the working day before
    the due date, or at once when the deadline is even closer)."""
    following = next_working_day(timezone.localtime(now).date())
    return timezone.make_aware(dt.datetime.combine(following + dt.timedelta(days=1), dt.time.min))


def assignment_reminders_send(now: dt.datetime | None = None) -> int:
    """Remind each open assignment due within one working day, once (``reminded_at``): an in-app message
    and an e-mail to its handlers. Safe to run often and from several workers: the claim is one conditional
    UPDATE, so two runs never remind the same assignment twice. Returns how many were reminded."""
    now = now or timezone.now()
    threshold = reminder_threshold(now)
    due = (Assignment.objects.filter(status__in=OPEN, reminded_at__isnull=True, due_at__isnull=False,
                                     due_at__lt=threshold)
           .exclude(incoming__status__in=CLOSED_DOCUMENT)
           .select_related("incoming", "unit", "assignee").order_by("due_at"))
    count = 0
    for assignment in due:
        with transaction.atomic():
            claimed = Assignment.objects.filter(pk=assignment.pk, reminded_at__isnull=True).update(reminded_at=now)
            if not claimed:
                continue
            late = assignment.due_at <= now
            title = ("Văn bản đến đã quá hạn xử lý: " if late else "Sắp đến hạn xử lý văn bản đến: ") \
                + assignment.incoming.summary[:120]
            body = (f"Vai trò: {assignment.get_role_display()}. Hạn xử lý: {format_display(assignment.due_at)}."
                    + (f"\nÝ kiến chỉ đạo: {assignment.instruction}" if assignment.instruction else ""))
            _notify(assignment, title=title, body=body)
            event_add(document=assignment.incoming, action="reminded", actor=None, assignment=assignment,
                      note=title, data={"due_at": assignment.due_at.isoformat()})
            count += 1
    return count
