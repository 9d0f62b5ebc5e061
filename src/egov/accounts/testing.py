"""Test helpers other apps may import: a session that has passed the second factor, a valid TOTP code."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.session import TWO_FACTOR_ENROLLED_KEY


def totp_device(user) -> TOTPDevice:
    """The user's confirmed TOTP device, created if missing."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=True)


def current_token(device: TOTPDevice) -> str:
    """The code the user's phone shows now (what ``django_otp.oath.totp`` computes from the shared key)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def login_with_second_factor(client, user) -> TOTPDevice:
    """``client.force_login`` plus a verified second factor, for tests of pages behind the 2FA requirement
    (administrators). The login flow itself is tested in egov/accounts/tests through the real forms."""
    device = totp_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[TWO_FACTOR_ENROLLED_KEY] = True
    session.save()
    return device
