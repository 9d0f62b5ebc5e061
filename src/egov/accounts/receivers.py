"""Audit entries for logins, failures and lockouts, whichever login form they came through."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from egov.accounts.selectors import has_two_factor
from egov.accounts.session import TWO_FACTOR_ENROLLED_KEY
from egov.core.audit import audit_record


def _account(username: str):
    if not username:
        return None
    return get_user_model().objects.filter(username=username).first()


def _about(username: str) -> dict:
    """Object fields of an entry about an account that may not exist (a mistyped or guessed name)."""
    target = _account(username)
    if target is not None:
        return {"obj": target}
    return {"object_type": "accounts.user", "object_repr": username}


@receiver(user_logged_in, dispatch_uid="egov_audit_login")
def on_logged_in(sender, request, user, **kwargs):
    two_factor = getattr(user, "otp_device", None) is not None
    audit_record(actor=user, action="accounts.login", obj=user, extra={"two_factor": two_factor})
    if request is not None and hasattr(request, "session"):
        # Voluntary 2FA users who log in through another form (Django admin, Wagtail) are held to it too.
        request.session[TWO_FACTOR_ENROLLED_KEY] = two_factor or has_two_factor(user)


@receiver(user_login_failed, dispatch_uid="egov_audit_login_failed")
def on_login_failed(sender, credentials=None, request=None, step="password", **kwargs):
    username = str((credentials or {}).get("username") or "")[:150]
    audit_record(actor=None, action="accounts.login_failed", extra={"username": username, "step": step},
                 **_about(username))


@receiver(user_locked_out, dispatch_uid="egov_audit_locked_out")
def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    username = str(username or "")[:150]
    failures = getattr(request, "axes_failures_since_start", None)
    audit_record(actor=None, action="accounts.locked_out", extra={"username": username, "failures": failures},
                 ip=ip_address, **_about(username))


@receiver(user_logged_out, dispatch_uid="egov_audit_logout")
def on_logged_out(sender, request=None, user=None, **kwargs):
    if user is not None and user.is_authenticated:
        audit_record(actor=user, action="accounts.logout", obj=user)
