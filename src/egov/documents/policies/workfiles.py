"""Work files, registers and reports: who sees and does what.

Members of an agency see its work files, registers and statistics; the clerk, the leaders and the agency
administrator manage the file list, export registers and hand files over to the archive (NĐ 30/2020 Art. 28–31:
the clerical work of the agency). The person who keeps a file (its creator) may fill and close it too.
A system administrator may look at any agency (support) but changes nothing. Another system holding an
agency's API token with the scope ``documents:read`` (``AgencyClient``) reads that agency's registers and
statistics, without secret documents, and changes nothing.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from egov.accounts.roles import Role
from egov.core.errors import PermissionDeniedError
from egov.directory.selectors import user_agency

__all__ = [
    "AgencyClient", "MANAGER_ROLES", "can_approve_file_list", "can_edit_workfile", "can_export_registers",
    "can_manage_workfiles", "can_view_agency_records", "is_records_admin", "records_agency", "require_records",
    "workfiles_visible_to",
]

MANAGER_ROLES = frozenset({Role.CLERK, Role.LEADER, Role.AGENCY_ADMIN})
APPROVER_ROLES = frozenset({Role.LEADER, Role.AGENCY_ADMIN})


@dataclass(frozen=True)
class AgencyClient:
    """Another system calling with an agency's API token: a reader of that agency's records, nothing more."""

    agency: object
    is_authenticated = True
    is_superuser = False
    role = "api_client"
    pk = None


def is_records_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_superuser or user.role == Role.SYSTEM_ADMIN))


def records_agency(user):
    """The agency whose files and registers the user works with (his own), or None."""
    return user_agency(user)


def _member(user, agency) -> bool:
    mine = user_agency(user)
    return mine is not None and agency is not None and mine.pk == agency.pk


def can_view_agency_records(user, agency) -> bool:
    """Files, registers and statistics of ``agency``: its officials (any role) and system administrators."""
    if isinstance(user, AgencyClient):
        return agency is not None and user.agency.pk == agency.pk
    return is_records_admin(user) or (getattr(user, "is_authenticated", False) and user.role != Role.CITIZEN
                                      and _member(user, agency))


def can_manage_workfiles(user, agency) -> bool:
    """Create files of the list, open, fill, close and hand them over: clerk, leaders, agency administrator."""
    return getattr(user, "is_authenticated", False) and user.role in MANAGER_ROLES and _member(user, agency)


def can_approve_file_list(user, agency) -> bool:
    """The yearly file list is approved by the head of the agency (a leader) or its administrator."""
    return getattr(user, "is_authenticated", False) and user.role in APPROVER_ROLES and _member(user, agency)


def can_edit_workfile(user, work_file) -> bool:
    """Open, add or remove documents, close: managers of the agency, or the official who keeps the file."""
    if can_manage_workfiles(user, work_file.agency):
        return True
    return (work_file.owner_id is not None and work_file.owner_id == getattr(user, "pk", None)
            and _member(user, work_file.agency))


def can_export_registers(user, agency) -> bool:
    """Registers in full (screen, Excel, PDF): managers of the agency and system administrators."""
    if isinstance(user, AgencyClient):
        return can_view_agency_records(user, agency)
    return is_records_admin(user) or can_manage_workfiles(user, agency)


def workfiles_visible_to(user, queryset: QuerySet) -> QuerySet:
    if is_records_admin(user):
        return queryset
    agency = user_agency(user)
    if agency is None or user.role == Role.CITIZEN:
        return queryset.none()
    return queryset.filter(agency=agency)


def require_records(condition: bool, message: str = "Bạn không có quyền thực hiện thao tác này.") -> None:
    if not condition:
        raise PermissionDeniedError(message)
