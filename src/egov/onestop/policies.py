"""Who may see and do what with dossiers and the catalogue.

An official sees the dossiers of his agency (receiving or currently processing, or a step of it) and those
assigned to him; a citizen sees only his own; the catalogue is public.
"""

from django.db.models import Q, QuerySet

from egov.accounts.roles import Role
from egov.core.errors import PermissionDeniedError


def _user_agency(user):
    official = getattr(user, "official", None)
    return getattr(official, "agency", None)


def dossiers_visible_to(user, queryset: QuerySet) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if user.is_superuser or user.role == Role.SYSTEM_ADMIN:
        return queryset
    if user.role == Role.CITIZEN:
        return queryset.filter(applicant_user=user)
    from egov.onestop.models import DossierStep

    agency = _user_agency(user)
    condition = Q(current_handler=user) | Q(pk__in=DossierStep.objects.filter(handler=user).values("dossier_id"))
    if agency is not None:
        condition |= (Q(receiving_agency=agency) | Q(current_agency=agency)
                      | Q(pk__in=DossierStep.objects.filter(agency=agency).values("dossier_id")))
    # The steps as subqueries, not a join: a join repeats a dossier once per step and needs DISTINCT over every
    # selected column, which made an officer's work queue sort the agency's dossiers whole (bench/officer). One
    # subquery per column, each answered from an index over (column, dossier) without reading the table.
    return queryset.filter(condition)


def can_view_dossier(user, dossier) -> bool:
    from egov.onestop.models import Dossier

    return dossiers_visible_to(user, Dossier.objects.filter(pk=dossier.pk)).exists()


def can_receive(user, agency) -> bool:
    """Counter reception: one-stop officers of the receiving agency (and system administrators)."""
    if user.is_superuser or user.role == Role.SYSTEM_ADMIN:
        return True
    return user.role == Role.ONESTOP_OFFICER and _user_agency(user) == agency


def can_manage_catalogue(user) -> bool:
    return user.is_superuser or user.role in (Role.SYSTEM_ADMIN, Role.AGENCY_ADMIN)


def require(condition: bool, message: str = "Bạn không có quyền thực hiện thao tác này với hồ sơ.") -> None:
    if not condition:
        raise PermissionDeniedError(message)
