"""Reads about accounts: a user's agency, whether a second factor is required or set up."""

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice


def user_agency(user):
    """The agency the user works in as an official, or None (citizens, accounts without an official record).

    The directory owns officials, so it answers; accounts only asks (accounts sits below directory)."""
    from egov.directory.selectors import user_agency as directory_user_agency

    return directory_user_agency(user)


def role_requires_two_factor(user) -> bool:
    """Administrators (and superusers) may not work without a second factor."""
    return bool(user.is_superuser or user.role in settings.EGOV_2FA_REQUIRED_ROLES)


def confirmed_totp_device(user) -> TOTPDevice | None:
    if user is None or not getattr(user, "pk", None):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def has_two_factor(user) -> bool:
    return confirmed_totp_device(user) is not None
