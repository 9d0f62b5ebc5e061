"""Who may see and manage accounts, reach the back office, and read the audit log.

- A system administrator (or superuser) sees and manages every account.
- An agency administrator manages the accounts of the officials of his own agency, never an administrator's.
- Any other user sees only himself.
- The back office is for officials (every role except citizen); citizens use the public site.
- The audit log: system administrators read all of it, agency administrators the entries made by, or about,
  the accounts of their agency.
"""

from django.db.models import Q, QuerySet

from egov.accounts.roles import ADMIN_ROLES, STAFF_ROLES, Role
from egov.accounts.selectors import user_agency
from egov.core.policies import is_authenticated


def is_system_admin(user) -> bool:
    return is_authenticated(user) and (user.is_superuser or user.role == Role.SYSTEM_ADMIN)


def is_agency_admin(user) -> bool:
    return is_authenticated(user) and user.role == Role.AGENCY_ADMIN


def can_access_backoffice(user) -> bool:
    """Officials only; a citizen who logs in belongs to the public site."""
    return is_authenticated(user) and (user.is_superuser or user.role in STAFF_ROLES)


def can_use_django_admin(user) -> bool:
    return is_authenticated(user) and user.is_staff


def can_use_cms(user) -> bool:
    """Wagtail's admin (/cms/) is the portal editors' desk."""
    return is_system_admin(user) or (is_authenticated(user) and user.role == Role.PORTAL_EDITOR)


def users_visible_to(user, queryset: QuerySet) -> QuerySet:
    if is_system_admin(user):
        return queryset
    if not is_authenticated(user):
        return queryset.none()
    if is_agency_admin(user):
        agency = user_agency(user)
        if agency is not None:
            return queryset.filter(Q(official__agency=agency) | Q(pk=user.pk))
    return queryset.filter(pk=user.pk)


def can_manage_user(actor, target) -> bool:
    """Change, deactivate, reset the second factor of ``target``."""
    if is_system_admin(actor):
        return True
    if not is_agency_admin(actor) or target.pk == actor.pk:
        return False
    if target.is_superuser or target.role in ADMIN_ROLES:
        return False
    agency = user_agency(actor)
    return agency is not None and user_agency(target) == agency


def can_assign_role(actor, role: str) -> bool:
    """An agency administrator hands out working roles only; administrators are made by system admins."""
    if is_system_admin(actor):
        return True
    return is_agency_admin(actor) and role in STAFF_ROLES and role not in ADMIN_ROLES


def can_view_audit(user) -> bool:
    return is_system_admin(user) or (is_agency_admin(user) and user_agency(user) is not None)


def audit_entries_visible_to(user, queryset: QuerySet) -> QuerySet:
    """Agency administrators see what their officials did, and what happened to their officials' accounts
    (failed logins, lockouts) even when nobody was logged in."""
    if is_system_admin(user):
        return queryset
    if not is_agency_admin(user):
        return queryset.none()
    agency = user_agency(user)
    if agency is None:
        return queryset.none()
    from egov.accounts.models import User

    agency_users = User.objects.filter(official__agency=agency)
    user_ids = [str(value) for value in agency_users.values_list("uuid", flat=True)]
    return queryset.filter(
        Q(actor__in=agency_users) | Q(object_type="accounts.user", object_id__in=user_ids)
    )
