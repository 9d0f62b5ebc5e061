"""Reads of the document system. Every list goes through the area's ``*_visible_to`` policy.

Incoming part: the work lists (mine, due soon, overdue, all of the agency), a document's assignments as a
tree and its history.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from egov.accounts.policies import is_system_admin
from egov.accounts.roles import Role
from egov.core.errors import DomainError, NotFound
from egov.documents.models import Assignment, AssignmentStatus, IncomingDocument, IncomingStatus
from egov.documents.policies.incoming import incoming_official, incoming_visible_to
from egov.workdays.services import add_working_time

INCOMING_QUEUES = {
    "mine": "Của tôi",
    "due_soon": "Sắp đến hạn",
    "overdue": "Quá hạn",
    "all": "Tất cả",
}
OPEN_DOCUMENT = (IncomingStatus.REGISTERED, IncomingStatus.ASSIGNED, IncomingStatus.IN_PROGRESS)
OPEN_ASSIGNMENT = (AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS)
DUE_SOON_DAYS = 2
HIDDEN_STATUSES = (IncomingStatus.RECALLED, "rejected")


def sees_whole_agency(user) -> bool:
    """Clerks, leaders and system administrators work with the agency's whole list."""
    return is_system_admin(user) or getattr(user, "role", None) in (Role.CLERK, Role.LEADER)


def incoming_queues_for(user) -> dict[str, str]:
    if sees_whole_agency(user):
        return INCOMING_QUEUES
    return {k: v for k, v in INCOMING_QUEUES.items() if k != "all"}


def my_open_assignments(user) -> QuerySet:
    official = incoming_official(user)
    mine = Q(assignee_id=user.pk)
    if official and official.unit_id:
        mine |= Q(unit_id=official.unit_id, assignee__isnull=True, incoming__agency_id=official.agency_id)
    return Assignment.objects.filter(mine, status__in=OPEN_ASSIGNMENT)


def due_soon_threshold(now: dt.datetime) -> dt.datetime:
    return add_working_time(now, days=DUE_SOON_DAYS, apply_cutoff=False)


def incoming_queue(user, tab: str, *, status: str | None = None, query: str = "",
                   now: dt.datetime | None = None) -> QuerySet:
    """One work list of incoming documents, newest first (urgent ones first in "mine")."""
    now = now or timezone.now()
    visible = incoming_visible_to(user).select_related("register", "agency", "document_type")
    whole = sees_whole_agency(user)
    if tab not in INCOMING_QUEUES or (tab == "all" and not whole):
        raise DomainError("invalid_tab", "Danh sách không hợp lệ.")
    if tab == "mine":
        qs = visible.filter(pk__in=my_open_assignments(user).values("incoming_id")) \
            .order_by("-urgency", "-received_at", "-arrival_number")
    elif tab in ("due_soon", "overdue"):
        bounds = {"lt": now} if tab == "overdue" else {"gte": now, "lte": due_soon_threshold(now)}
        if whole:
            qs = visible.filter(status__in=OPEN_DOCUMENT, **{f"handling_due_at__{k}": v for k, v in bounds.items()})
        else:
            mine = my_open_assignments(user).filter(**{f"due_at__{k}": v for k, v in bounds.items()})
            qs = visible.filter(pk__in=mine.values("incoming_id"), status__in=OPEN_DOCUMENT)
        qs = qs.order_by("handling_due_at", "-urgency")
    else:
        qs = visible
    if status:
        if status not in IncomingStatus.values:
            raise DomainError("invalid_status", f"Trạng thái “{status[:20]}” không hợp lệ.")
        qs = qs.filter(status=status)
    else:  # recalled by the sender or refused at reception: only when asked for by status
        qs = qs.exclude(status__in=HIDDEN_STATUSES)
    query = " ".join((query or "").split())
    if query:
        qs = qs.filter(Q(number_notation__icontains=query) | Q(summary__icontains=query)
                       | Q(issuer_name__icontains=query))
    return qs


def incoming_queue_counts(user, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {tab: incoming_queue(user, tab, now=now).count() for tab in incoming_queues_for(user)}


def incoming_for(user, uuid) -> IncomingDocument:
    """The document if ``user`` may see it; NotFound otherwise (its existence is not revealed)."""
    try:
        return incoming_visible_to(user).select_related(
            "register", "agency", "document_type", "registered_by", "possible_duplicate_of").get(uuid=uuid)
    except (IncomingDocument.DoesNotExist, ValueError, ValidationError):
        raise NotFound("Không tìm thấy văn bản đến, hoặc bạn không có quyền xem.") from None


@dataclass
class AssignmentNode:
    assignment: Assignment
    depth: int = 0
    children: list["AssignmentNode"] = field(default_factory=list)


def assignment_tree(document: IncomingDocument) -> list[AssignmentNode]:
    """The document's assignments, re-assignments under their parent, depth-first."""
    rows = list(document.assignments.select_related("unit", "assignee", "assigned_by", "parent")
                .order_by("created_at", "id"))
    nodes = {a.pk: AssignmentNode(a) for a in rows}
    roots = []
    for a in rows:
        node = nodes[a.pk]
        parent = nodes.get(a.parent_id)
        (parent.children if parent else roots).append(node)
    flat: list[AssignmentNode] = []

    def walk(node: AssignmentNode, depth: int) -> None:
        node.depth = depth
        flat.append(node)
        for child in node.children:
            walk(child, depth + 1)

    for root in roots:
        walk(root, 0)
    return flat


def incoming_events(document: IncomingDocument) -> list:
    return list(document.events.select_related("file", "assignment").order_by("at", "id"))
