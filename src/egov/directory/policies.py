"""Who may see or change what in the directory.

- A system administrator sees and changes everything, including the structure (create, rename, merge, split).
- An agency administrator manages units and officials of his own agency and of the agencies under it.
- Every other official reads the whole directory (it is the province's phone book), active entries only.
- Citizens and anonymous visitors see only the public information of active agencies, never officials.
"""

from django.db.models import Q, QuerySet

from egov.accounts.roles import Role
from egov.directory.models import Agency, Official
from egov.directory.selectors import agency_descendant_ids, user_agency


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)


def is_system_admin(user) -> bool:
    return _authenticated(user) and bool(user.is_system_admin)


def is_official(user) -> bool:
    """Staff roles (and superusers); citizens are not officials even when logged in."""
    return _authenticated(user) and (user.is_official or user.is_superuser)


def managed_agency_ids(user) -> set[int] | None:
    """Agencies whose units and officials ``user`` manages; None means all of them (system administrator)."""
    if is_system_admin(user):
        return None
    if not _authenticated(user) or user.role != Role.AGENCY_ADMIN:
        return set()
    own = user_agency(user)
    if own is None:
        return set()
    return agency_descendant_ids(own, include_self=True)


def can_view_directory(user) -> bool:
    """The back-office directory pages are for officials."""
    return is_official(user)


def can_restructure_agencies(user) -> bool:
    """Creating agencies, renaming, merging and splitting them change the whole province: system admins only."""
    return is_system_admin(user)


def can_manage_agency(user, agency: Agency) -> bool:
    """May ``user`` manage the units and officials of ``agency`` (and edit its contact details)?"""
    ids = managed_agency_ids(user)
    if ids is None:
        return True
    return agency.pk in ids


def can_import(user) -> bool:
    """Import is an administrator's tool; each row is then checked against ``can_manage_agency``."""
    return is_system_admin(user) or (_authenticated(user) and user.role == Role.AGENCY_ADMIN)


def can_assign_role(user, role: str) -> bool:
    """Only a system administrator may create another system administrator."""
    if role == Role.SYSTEM_ADMIN:
        return is_system_admin(user)
    return True


def agencies_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """Officials see every agency, including dissolved ones kept for history; others see active agencies."""
    qs = (queryset if queryset is not None else Agency.objects.all()).select_related("parent")
    if is_official(user):
        return qs
    return qs.filter(is_active=True)


def officials_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """Officials read the active directory; admins also see inactive officials they manage."""
    qs = (queryset if queryset is not None else Official.objects.all()).select_related(
        "user", "agency", "unit", "position"
    )
    if not is_official(user):
        return qs.none()
    ids = managed_agency_ids(user)
    if ids is None:
        return qs
    active = Q(is_active=True, user__is_active=True)
    if ids:
        return qs.filter(active | Q(agency_id__in=ids))
    return qs.filter(active)
