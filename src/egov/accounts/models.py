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

    @property
    def is_official(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_admin_role(self) -> bool:
        return self.role in ADMIN_ROLES or self.is_superuser

    @property
    def is_system_admin(self) -> bool:
        return self.role == Role.SYSTEM_ADMIN or self.is_superuser
