"""What the public side keeps of its own: a citizen's identity data beyond the shared account.

The account (username, full name, phone, e-mail, role "citizen") lives in ``accounts.User``; the citizen
identity number (CCCD) and the subject at the national identity provider are kept here, one row per citizen,
so that an online dossier can be prefilled and a VNeID-style login finds the same person again.
"""

from django.conf import settings
from django.db import models

from egov.core.models import BaseModel


class CitizenProfile(BaseModel):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="citizen_profile",
                                verbose_name="tài khoản")
    id_number = models.CharField("số định danh cá nhân (CCCD)", max_length=12, unique=True)
    address = models.CharField("địa chỉ", max_length=500, blank=True)
    oidc_subject = models.CharField("định danh tại nhà cung cấp định danh", max_length=255, null=True, blank=True,
                                    unique=True)

    class Meta:
        verbose_name = "hồ sơ công dân"
        verbose_name_plural = "hồ sơ công dân"

    def __str__(self) -> str:
        return f"{self.user} ({self.id_number})"
