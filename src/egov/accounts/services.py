"""Writes about accounts: enrolling, verifying and removing the second factor, changing a password.

Each function checks its rule, writes, and appends an audit entry. Failures are DomainErrors with a Vietnamese
message that the pages show as a form error.
"""

import math

from django.db import transaction
from django.utils import timezone
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.selectors import has_two_factor, role_requires_two_factor
from egov.core.audit import audit_record
from egov.core.errors import DomainError

DEVICE_NAME = "Ứng dụng xác thực"


def _throttle_error(info: dict | None) -> DomainError:
    """django-otp doubles the wait after each wrong code; tell the user how long."""
    seconds = 1
    if info and info.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS and info.get("locked_until"):
        seconds = max(1, math.ceil((info["locked_until"] - timezone.now()).total_seconds()))
    return DomainError(
        "otp_throttled",
        f"Bạn đã nhập sai mã nhiều lần. Vui lòng đợi {seconds} giây rồi thử lại với mã mới.",
        status=429,
    )


def _check_token(device: TOTPDevice, token: str) -> DomainError | None:
    """Verify ``token`` on a device locked for update; return the error to raise after the transaction,
    so that the throttling counter django-otp saves on a wrong code is committed, not rolled back."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        return _throttle_error(info)
    if not device.verify_token(token):
        return DomainError(
            "otp_invalid",
            "Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã đang hiển thị trong ứng dụng xác thực.",
        )
    return None


@transaction.atomic
def otp_enrollment_start(*, user) -> TOTPDevice:
    """The pending (unconfirmed) device of ``user``, created once so that reloading keeps the same QR code."""
    if has_two_factor(user):
        raise DomainError("otp_already_enabled", "Tài khoản đã bật xác thực hai bước.")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def otp_enrollment_confirm(*, user, token: str) -> TOTPDevice:
    """Confirm the pending device with a first code from the phone; from then on every login asks for one."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-id").first()
        if device is None:
            error = DomainError(
                "otp_enrollment_missing", "Phiên thiết lập đã hết hạn. Vui lòng tải lại trang và quét lại mã QR."
            )
        elif has_two_factor(user):
            error = DomainError("otp_already_enabled", "Tài khoản đã bật xác thực hai bước.")
        else:
            error = _check_token(device, token)
        if error is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            audit_record(actor=user, action="accounts.otp_enabled", obj=user, after={"device": device.name})
    if error is not None:
        raise error
    return device


def otp_verify(*, user, token: str) -> TOTPDevice:
    """The second step of a login: check a code against the user's confirmed device."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("-id").first()
        if device is None:
            error = DomainError("otp_not_enabled", "Tài khoản chưa bật xác thực hai bước.")
        else:
            error = _check_token(device, token)
    if error is not None:
        raise error
    return device


def otp_disable(*, user, token: str) -> None:
    """Turn the second factor off (only where the role allows it), proving possession with a current code."""
    if role_requires_two_factor(user):
        raise DomainError(
            "otp_required_by_role", "Vai trò của bạn bắt buộc dùng xác thực hai bước, không thể tắt.", status=403
        )
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("-id").first()
        if device is None:
            error = DomainError("otp_not_enabled", "Tài khoản chưa bật xác thực hai bước.")
        else:
            error = _check_token(device, token)
        if error is None:
            TOTPDevice.objects.filter(user=user).delete()
            audit_record(actor=user, action="accounts.otp_disabled", obj=user, before={"device": device.name})
    if error is not None:
        raise error


@transaction.atomic
def password_change(*, user, new_password: str) -> None:
    """Store a new password that the form has already run through the password validators."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action="accounts.password_changed", obj=user)
