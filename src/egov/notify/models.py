"""In-app messages to officials (the e-mail copy goes through Django's mail API, not stored here)."""

from django.conf import settings
from django.db import models

from egov.core.models import BaseModel


class Message(BaseModel):
    """One message shown on the official's notification page until read."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người nhận", on_delete=models.CASCADE,
                                  related_name="messages")
    title = models.CharField("tiêu đề", max_length=200)
    body = models.TextField("nội dung", blank=True)
    url = models.CharField("liên kết", max_length=500, blank=True)
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        indexes = [models.Index(fields=["recipient", "read_at"], name="notify_msg_unread")]

    def __str__(self) -> str:
        return self.title
