"""Who may issue, revoke and see API tokens: system administrators, and an agency's own administrators."""

from django.db.models import QuerySet

from egov.accounts.roles import Role


def _official_agency(user):
    return getattr(getattr(user, "official", None), "agency", None)


def is_token_manager(user) -> bool:
    """May the user manage tokens for at least one agency (used to show the admin screens at all)?"""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_system_admin:
        return True
    return user.role == Role.AGENCY_ADMIN and _official_agency(user) is not None


def can_manage_tokens(user, agency) -> bool:
    if not is_token_manager(user):
        return False
    if user.is_system_admin:
        return True
    own = _official_agency(user)
    return own is not None and agency is not None and own.pk == agency.pk


def manageable_agencies(user) -> QuerySet:
    from egov.directory.models import Agency

    if not is_token_manager(user):
        return Agency.objects.none()
    if user.is_system_admin:
        return Agency.objects.filter(is_active=True)
    return Agency.objects.filter(pk=_official_agency(user).pk, is_active=True)


def visible_to(user) -> QuerySet:
    """Tokens the user may see: all for a system admin, their agency's for an agency admin, none otherwise."""
    from egov.apiclients.models import ApiToken

    qs = ApiToken.objects.select_related("agency", "created_by")
    if not is_token_manager(user):
        return qs.none()
    if user.is_system_admin:
        return qs
    return qs.filter(agency=_official_agency(user))
