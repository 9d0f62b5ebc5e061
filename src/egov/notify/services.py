"""Sending messages to officials: an in-app message always, an e-mail copy when mail is configured."""

import structlog
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from egov.notify.models import Message

logger = structlog.get_logger("egov.notify")
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def email_configured() -> bool:
    """E-mail goes out only when an operator configured it: a non-SMTP backend (tests, console) or an SMTP
    backend with ``EMAIL_HOST`` set to something other than Django's default ``localhost``."""
    if settings.EMAIL_BACKEND != SMTP_BACKEND:
        return True
    return bool(settings.EMAIL_HOST) and settings.EMAIL_HOST != "localhost"


def _email_address(user) -> str:
    address = (getattr(user, "email", "") or "").strip()
    if address:
        return address
    official = getattr(user, "official", None)
    return (getattr(official, "email", "") or "").strip()


def _email_send(*, address: str, title: str, body: str, url: str) -> None:
    text = body + (f"\n\n{url}" if url else "")
    try:
        send_mail(title, text, None, [address], fail_silently=False)
    except Exception as exc:  # a mail outage must not break the caller's committed work
        logger.warning("email_failed", to=address, error=str(exc)[:200])


@transaction.atomic
def message_send(*, recipient, title: str, body: str = "", url: str = "", email: bool = True) -> Message:
    """Store the in-app message; queue its e-mail copy for after the caller's transaction commits (a
    rolled-back action sends nothing)."""
    message = Message.objects.create(recipient=recipient, title=title[:200], body=body, url=url[:500])
    address = _email_address(recipient) if email and email_configured() else ""
    if address:
        if url and url.startswith("/") and getattr(settings, "EGOV_BASE_URL", ""):
            url = settings.EGOV_BASE_URL.rstrip("/") + url
        transaction.on_commit(lambda: _email_send(address=address, title=title, body=body, url=url))
    return message


def message_mark_read(*, recipient, message: Message | None = None) -> int:
    """Mark one message (or all of the recipient's unread messages) read; returns how many changed."""
    qs = Message.objects.filter(recipient=recipient, read_at__isnull=True)
    if message is not None:
        qs = qs.filter(pk=message.pk)
    return qs.update(read_at=timezone.now())


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()
