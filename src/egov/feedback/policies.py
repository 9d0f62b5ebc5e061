"""Who handles feedback.

- Officials of the agency the item is at (``Feedback.agency``) with role one-stop officer, leader or agency
  administrator see it and act on it (receive, classify, handle, answer, publish).
- The agency that forwarded an item keeps read access (``forwarded_from``).
- System administrators see and act everywhere. Other roles and other agencies see nothing.
"""

from django.db.models import Q, QuerySet

from egov.accounts.policies import is_system_admin
from egov.accounts.roles import Role
from egov.accounts.selectors import user_agency
from egov.core.policies import is_authenticated

HANDLER_ROLES = frozenset({Role.ONESTOP_OFFICER, Role.LEADER, Role.AGENCY_ADMIN})


def can_use_feedback(user) -> bool:
    return is_system_admin(user) or (is_authenticated(user) and user.role in HANDLER_ROLES
                                     and user_agency(user) is not None)


def feedback_visible_to(user, queryset: QuerySet) -> QuerySet:
    if is_system_admin(user):
        return queryset
    if not can_use_feedback(user):
        return queryset.none()
    agency = user_agency(user)
    return queryset.filter(Q(agency=agency) | Q(forwarded_from=agency))


def can_handle_feedback(user, feedback) -> bool:
    if is_system_admin(user):
        return True
    return can_use_feedback(user) and user_agency(user) == feedback.agency
