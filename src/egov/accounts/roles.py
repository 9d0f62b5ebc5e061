"""The platform's roles. A user has one role; what each role may do is decided in each app's policies."""

from django.db import models


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", "Quản trị hệ thống"
    AGENCY_ADMIN = "agency_admin", "Quản trị cơ quan"
    CLERK = "clerk", "Văn thư"
    LEADER = "leader", "Lãnh đạo"
    SPECIALIST = "specialist", "Chuyên viên"
    ONESTOP_OFFICER = "onestop_officer", "Cán bộ một cửa"
    PORTAL_EDITOR = "portal_editor", "Biên tập viên cổng thông tin"
    CITIZEN = "citizen", "Công dân"


STAFF_ROLES = frozenset(role for role in Role if role != Role.CITIZEN)
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.AGENCY_ADMIN})


def parse_role(value: str) -> Role:
    """Accept a role by its code or its Vietnamese label; raise DomainError on anything else."""
    from egov.core.errors import DomainError

    cleaned = (value or "").strip()
    for role in Role:
        if cleaned.lower() in {role.value, role.label.lower()}:
            return role
    allowed = ", ".join(f"{r.value} ({r.label})" for r in Role)
    raise DomainError("unknown_role", f"Vai trò không hợp lệ: “{cleaned}”. Các vai trò hợp lệ: {allowed}.")
