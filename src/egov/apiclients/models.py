"""API tokens: how another system authenticates, on behalf of one agency, with scopes and an expiry."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from egov.core.models import BaseModel


class ApiToken(BaseModel):
    """A bearer token. Only the SHA-256 of the secret is stored; the secret is shown once, at issue."""

    agency = models.ForeignKey(
        "directory.Agency", verbose_name="cơ quan", on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField("tên hệ thống sử dụng", max_length=100)
    prefix = models.CharField("tiền tố", max_length=8, db_index=True, help_text="8 ký tự đầu để nhận biết mã")
    token_hash = models.CharField("băm SHA-256", max_length=64, unique=True, editable=False)
    scopes = models.JSONField("phạm vi", default=list)
    expires_at = models.DateTimeField("hết hạn lúc")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người cấp", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "mã truy cập API"
        verbose_name_plural = "mã truy cập API"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])
