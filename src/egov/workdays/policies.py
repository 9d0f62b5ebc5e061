"""Who may change the province's working calendar and office hours.

The calendar decides every deadline in the province, so only system administrators (or users an
administrator explicitly granted the model permission) may change it. ``actor=None`` is the system itself:
management commands and data migrations.
"""

ACTIONS = frozenset({"add", "change", "delete"})


def _allowed(user, perm: str) -> bool:
    if user is None:
        return True
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return bool(getattr(user, "is_system_admin", False)) or user.has_perm(perm)


def _check(action: str) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")


def can_manage_calendar(user, action: str) -> bool:
    _check(action)
    return _allowed(user, f"workdays.{action}_calendaroverride")


def can_manage_office_hours(user, action: str) -> bool:
    _check(action)
    return _allowed(user, f"workdays.{action}_officehours")
