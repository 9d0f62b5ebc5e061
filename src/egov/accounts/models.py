import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models

from egov.accounts.roles import ADMIN_ROLES, STAFF_ROLES, Role


class User(AbstractUser):
    """An account: an official of an agency (see directory.Official) or a citizen."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField("vai trò", max_length=32, choices=Role.choices, default=Role.CITIZEN)
    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        # Django admin is the system administrators' configuration tool: staff status follows the role,
        # so demoting an administrator also closes /admin/ to him.
        self.is_staff = bool(self.is_superuser or self.role == Role.SYSTEM_ADMIN)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "role" in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_staff"}
        super().save(*args, **kwargs)

    def has_perm(self, perm, obj=None) -> bool:
        """A system administrator holds every model permission, like a superuser (Django and Wagtail admin)."""
        if self.is_active and self.role == Role.SYSTEM_ADMIN:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        if self.is_active and self.role == Role.SYSTEM_ADMIN:
            return True
        return super().has_module_perms(app_label)

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def is_official(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_admin_role(self) -> bool:
        return self.role in ADMIN_ROLES or self.is_superuser

    @property
    def is_system_admin(self) -> bool:
        return self.role == Role.SYSTEM_ADMIN or self.is_superuser
