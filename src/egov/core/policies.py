"""The convention every app's ``policies.py`` follows, and the helpers they share.

One module per app decides who may see and do what:

- ``<things>_visible_to(user, queryset) -> QuerySet`` narrows a queryset to what ``user`` may see. Every list
  and every detail page goes through it, so a record the user may not see is simply "not found".
- ``can_<verb>(user, obj) -> bool`` answers one question about one object (``can_manage_user``,
  ``can_receive``...). Templates use these to show or hide buttons; services call them again before writing,
  through ``require`` below, because hiding a button is not a permission check.

Policies only read. They never write and never raise for "no": ``require`` turns a "no" into the
``PermissionDeniedError`` that the API shows as a 403 JSON error and pages as a Vietnamese error.
"""

from collections.abc import Callable

from django.db.models import Model, QuerySet

from egov.core.errors import NotFound, PermissionDeniedError

DEFAULT_DENIED_MESSAGE = "Bạn không có quyền thực hiện thao tác này."


def require(condition: bool, message: str = DEFAULT_DENIED_MESSAGE) -> None:
    """Raise ``PermissionDeniedError(message)`` unless ``condition`` holds; services call it before writing."""
    if not condition:
        raise PermissionDeniedError(message)


def get_visible(visible_to: Callable[..., QuerySet], user, queryset: QuerySet, **lookup) -> Model:
    """Fetch one object through a ``visible_to`` policy; a hidden object is "not found", never "forbidden",
    so that its existence does not leak."""
    obj = visible_to(user, queryset).filter(**lookup).first()
    if obj is None:
        raise NotFound()
    return obj


def is_authenticated(user) -> bool:
    """True for an active, logged-in account (policies start from here)."""
    return user is not None and bool(getattr(user, "is_authenticated", False)) and bool(
        getattr(user, "is_active", False)
    )
