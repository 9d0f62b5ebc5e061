"""Incoming documents, their direction and handling: who sees and does what.

Seeing (``incoming_visible_to``):
- a system administrator sees every incoming document;
- an official sees the incoming documents of his own agency, except secret ones (``secrecy > 0``), which only
  the agency's clerks and leaders see;
- whoever is assigned a document (personally, or through the unit he works in) sees it, secret or not;
- nobody sees another agency's incoming document.

Doing:
- registering (vào sổ): a clerk (văn thư) of the register's agency;
- directing (phân công, bút phê): a leader (lãnh đạo) of the document's agency;
- handling an assignment (progress, opinion, result, complete): its assignee; for an assignment given to a
  unit without a named person, any active official of that unit;
- re-assigning inside (giao lại): a handler of the assignment who manages people, i.e. has the leader role or
  a position of unit head or deputy (rank 60 or higher: Trưởng phòng, Phó Trưởng phòng and above).
"""

from django.db.models import Q, QuerySet

from egov.accounts.policies import is_system_admin
from egov.accounts.roles import Role
from egov.core.policies import is_authenticated

__all__ = [
    "MANAGER_RANK", "assignment_handlers", "can_complete_assignment", "can_direct_incoming",
    "can_handle_assignment", "can_reassign_assignment", "can_register_incoming", "can_view_incoming",
    "incoming_official", "incoming_visible_to", "is_agency_clerk", "is_agency_leader",
]

# Positions with a rank at or above this one (lower number = higher) lead a unit and may re-assign inside it.
MANAGER_RANK = 60


def incoming_official(user):
    """The user's active official record (agency, unit, position), cached on the user object."""
    if not is_authenticated(user):
        return None
    if not hasattr(user, "_incoming_official"):
        from egov.directory.models import Official

        user._incoming_official = (Official.objects.select_related("agency", "unit", "position")
                                   .filter(user_id=user.pk, is_active=True).first())
    return user._incoming_official


def _agency_id(user):
    official = incoming_official(user)
    return official.agency_id if official else None


def is_agency_clerk(user, agency) -> bool:
    return (is_authenticated(user) and user.role == Role.CLERK and agency is not None
            and _agency_id(user) == agency.pk)


def is_agency_leader(user, agency) -> bool:
    return (is_authenticated(user) and user.role == Role.LEADER and agency is not None
            and _agency_id(user) == agency.pk)


def _assigned_ids(user) -> QuerySet:
    from egov.documents.models import Assignment

    official = incoming_official(user)
    mine = Q(assignee_id=user.pk)
    if official and official.unit_id:
        mine |= Q(unit_id=official.unit_id, assignee__isnull=True)
    return Assignment.objects.filter(mine).values("incoming_id")


def incoming_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """The incoming documents ``user`` may see (rules in the module docstring)."""
    from egov.documents.models import IncomingDocument

    qs = queryset if queryset is not None else IncomingDocument.objects.all()
    if is_system_admin(user):
        return qs
    if not is_authenticated(user):
        return qs.none()
    official = incoming_official(user)
    visible = Q(pk__in=_assigned_ids(user))
    if official is not None:
        if user.role in (Role.CLERK, Role.LEADER):
            visible |= Q(agency_id=official.agency_id)
        else:
            visible |= Q(agency_id=official.agency_id, secrecy=0)
    return qs.filter(visible)


def can_view_incoming(user, document) -> bool:
    return incoming_visible_to(user).filter(pk=document.pk).exists()


def can_register_incoming(user, agency) -> bool:
    return is_agency_clerk(user, agency)


def can_direct_incoming(user, document) -> bool:
    return is_agency_leader(user, document.agency)


def can_handle_assignment(user, assignment) -> bool:
    """Its assignee; for a unit's assignment without a named person, any official of that unit."""
    if not is_authenticated(user):
        return False
    if assignment.assignee_id is not None:
        return assignment.assignee_id == user.pk
    official = incoming_official(user)
    return bool(official and assignment.unit_id and official.unit_id == assignment.unit_id
                and official.agency_id == assignment.incoming.agency_id)


def _is_manager(user) -> bool:
    official = incoming_official(user)
    if official is None:
        return False
    if user.role == Role.LEADER:
        return True
    return bool(official.position_id and official.position.rank <= MANAGER_RANK)


def can_reassign_assignment(user, assignment) -> bool:
    return can_handle_assignment(user, assignment) and _is_manager(user)


def can_complete_assignment(user, assignment) -> bool:
    return can_handle_assignment(user, assignment)


def assignment_handlers(assignment) -> list:
    """Users to notify about ``assignment``: its assignee, else the active officials of its unit (managers
    first, all of them when the unit has no manager)."""
    if assignment.assignee_id is not None:
        return [assignment.assignee]
    from egov.directory.models import Official

    officials = list(Official.objects.select_related("user", "position")
                     .filter(unit_id=assignment.unit_id, is_active=True, user__is_active=True))
    managers = [o.user for o in officials
                if o.user.role == Role.LEADER or (o.position_id and o.position.rank <= MANAGER_RANK)]
    return managers or [o.user for o in officials]
