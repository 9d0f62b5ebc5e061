"""The platform's roles. A user has one role; what each role may do is decided in each app's policies."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    AGENCY_ADMIN = "agency_admin", _("Quản trị cơ quan")
    CLERK = "clerk", _("Văn thư")
    LEADER = "leader", _("Lãnh đạo")
    SPECIALIST = "specialist", _("Chuyên viên")
    ONESTOP_OFFICER = "onestop_officer", _("Cán bộ một cửa")
    PORTAL_EDITOR = "portal_editor", _("Biên tập viên cổng thông tin")
    CITIZEN = "citizen", _("Công dân")


STAFF_ROLES = frozenset(role for role in Role if role != Role.CITIZEN)
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.AGENCY_ADMIN})


def vietnamese_label(role: Role) -> str:
    """The label as written in the source (Vietnamese), whatever language the request uses."""
    with translation.override(None):
        return str(role.label)


def parse_role(value: str) -> Role:
    """Accept a role by its code, its Vietnamese label or its label in the active language; else DomainError."""
    from egov.core.errors import DomainError

    cleaned = (value or "").strip()
    wanted = cleaned.lower()
    for role in Role:
        if wanted in {role.value, vietnamese_label(role).lower(), str(role.label).lower()}:
            return role
    allowed = ", ".join(f"{r.value} ({vietnamese_label(r)})" for r in Role)
    raise DomainError("unknown_role", f"Vai trò không hợp lệ: “{cleaned}”. Các vai trò hợp lệ: {allowed}.")
