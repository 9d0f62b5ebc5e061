"""In-app messages and their e-mail copy: sent after commit, never for a rolled-back action."""

import pytest
from django.core import mail
from django.db import transaction

from egov.accounts.models import User
from egov.notify.models import Message
from egov.notify.services import email_configured, message_mark_read, message_send, unread_count

pytestmark = pytest.mark.django_db


def _user(name="chuyenvien.n"):
    return User.objects.create_user(username=name, password="x-Strong-pass-1", role="specialist",
                                    email=f"{name}@camau.gov.vn")


def test_email_copy_goes_after_commit_and_not_for_a_rolled_back_action(settings,
                                                                     django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = _user()
    with django_capture_on_commit_callbacks(execute=True):
        message_send(recipient=user, title="Sắp đến hạn xử lý", body="Hạn 27/11/2026 17:00", url="/can-bo/")
        assert mail.outbox == []  # not before the commit
    assert [m.subject for m in mail.outbox] == ["Sắp đến hạn xử lý"]
    assert "Hạn 27/11/2026 17:00" in mail.outbox[0].body
    with (django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError),
          transaction.atomic()):
        message_send(recipient=user, title="Không gửi", body="")
        raise RuntimeError("rollback")
    assert callbacks == []
    assert len(mail.outbox) == 1 and Message.objects.count() == 1
    message_send(recipient=user, title="Chỉ trong hệ thống", email=False)
    assert len(mail.outbox) == 1 and unread_count(user) == 2
    assert message_mark_read(recipient=user) == 2 and unread_count(user) == 0


def test_smtp_to_localhost_is_not_configured_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "localhost"
    assert not email_configured()
    message_send(recipient=_user("a.n"), title="Không có thư", body="")  # no SMTP server is contacted
    settings.EMAIL_HOST = "mail.camau.gov.vn"
    assert email_configured()
