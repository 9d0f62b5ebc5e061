"""Login (with the second step), 2FA enrolment, profile, password change, lockout page and back-office home."""

import math
from base64 import b32encode

import django_otp
import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.db.models import Max, Q
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from egov.accounts import services
from egov.accounts.decorators import official_required, refuse_non_official
from egov.accounts.forms import LoginForm, OTPTokenForm, PasswordChangeForm
from egov.accounts.navigation import backoffice_menu
from egov.accounts.policies import can_access_backoffice
from egov.accounts.selectors import (
    confirmed_totp_device,
    has_two_factor,
    role_requires_two_factor,
    user_agency,
)
from egov.accounts.session import (
    TWO_FACTOR_ENROLLED_KEY,
    owes_second_factor,
    pending_login_clear,
    pending_login_start,
    pending_login_user,
)
from egov.core.errors import DomainError


def _safe_next(request, candidate: str | None = None) -> str:
    """Only same-site paths are followed after login (no open redirect)."""
    if candidate is None:
        candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _home_url() -> str:
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        if owes_second_factor(request):
            return redirect("accounts:otp")
        if can_access_backoffice(request.user):
            return redirect(next_url or _home_url())
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if not can_access_backoffice(user):
            return refuse_non_official(request)
        if has_two_factor(user) or role_requires_two_factor(user):
            pending_login_start(request, user, next_url)
            return redirect("accounts:otp")
        auth_login(request, user)
        return redirect(next_url or _home_url())
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


def _second_factor_subject(request):
    """Who is proving the second factor: the logged-in user, or the one who just passed the password step."""
    if request.user.is_authenticated:
        return request.user, False, _safe_next(request)
    user, next_url = pending_login_user(request)
    return user, True, next_url


def _complete_login(request, user, device, pending: bool, next_url: str, default_url: str = ""):
    if pending:
        user.otp_device = device  # django-otp stores it in the session when user_logged_in fires
        pending_login_clear(request)
        auth_login(request, user, backend=user.backend)
    else:
        django_otp.login(request, device)
    request.session[TWO_FACTOR_ENROLLED_KEY] = True
    return redirect(next_url or default_url or _home_url())


def _login_again(request):
    messages.warning(request, _("Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại."))
    return redirect("accounts:login")


@sensitive_post_parameters("token")
@csrf_protect
@never_cache
def otp_view(request):
    subject, pending, next_url = _second_factor_subject(request)
    if subject is None:
        return _login_again(request)
    if not pending and request.user.is_verified():
        return redirect(next_url or _home_url())
    if not has_two_factor(subject):
        target = reverse("accounts:otp_setup")
        return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)
    form = OTPTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        credentials = {"username": subject.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            pending_login_clear(request)
            return lockout_response(request, None, credentials)
        try:
            device = services.otp_verify(user=subject, token=form.cleaned_data["token"])
        except DomainError as exc:
            form.add_error("token", exc.message)
            if exc.code == "otp_invalid":
                # A wrong code counts like a wrong password: django-axes locks the account at the same limit,
                # and its middleware answers with the lockout page when this attempt reaches it.
                user_login_failed.send(sender=__name__, credentials=credentials, request=request, step="otp")
                if getattr(request, "axes_locked_out", False):
                    pending_login_clear(request)
        else:
            return _complete_login(request, subject, device, pending, next_url)
    return render(request, "accounts/otp_verify.html", {"form": form, "subject": subject, "next": next_url})


def totp_provisioning(device) -> dict:
    """What the enrolment page shows: a QR code (SVG data URI: no script, allowed by the CSP) and the secret."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return {
        "qr_data_uri": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2, dark="#111"),
        "secret": secret,
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "issuer": settings.OTP_TOTP_ISSUER,
        "account": device.user.get_username(),
    }


@sensitive_post_parameters("token")
@csrf_protect
@never_cache
def otp_setup_view(request):
    subject, pending, next_url = _second_factor_subject(request)
    if subject is None:
        return _login_again(request)
    if not can_access_backoffice(subject):
        return refuse_non_official(request)
    if has_two_factor(subject):
        if not pending and request.user.is_verified():
            messages.info(request, _("Tài khoản đã bật xác thực hai bước."))
            return redirect("accounts:profile")
        return redirect("accounts:otp")
    form = OTPTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.otp_enrollment_confirm(user=subject, token=form.cleaned_data["token"])
        except DomainError as exc:
            form.add_error("token", exc.message)
        else:
            messages.success(
                request, _("Đã bật xác thực hai bước. Từ nay mỗi lần đăng nhập cần thêm mã từ ứng dụng xác thực.")
            )
            default = _home_url() if pending else reverse("accounts:profile")
            return _complete_login(request, subject, device, pending, next_url, default)
    device = services.otp_enrollment_start(user=subject)
    context = {
        "form": form,
        "required": role_requires_two_factor(subject),
        "pending": pending,
        "next": next_url,
        **totp_provisioning(device),
    }
    return render(request, "accounts/otp_setup.html", context)


@official_required
@never_cache
def profile_view(request, disable_form=None):
    user = request.user
    device = confirmed_totp_device(user)
    context = {
        "agency": user_agency(user),
        "device": device,
        "two_factor_required": role_requires_two_factor(user),
        "disable_form": disable_form or OTPTokenForm(),
    }
    return render(request, "accounts/profile.html", context, status=400 if disable_form else 200)


@require_POST
@official_required
@sensitive_post_parameters("token")
def otp_disable_view(request):
    form = OTPTokenForm(request.POST)
    if form.is_valid():
        try:
            services.otp_disable(user=request.user, token=form.cleaned_data["token"])
        except DomainError as exc:
            form.add_error("token" if exc.code in {"otp_invalid", "otp_throttled"} else None, exc.message)
        else:
            request.session[TWO_FACTOR_ENROLLED_KEY] = False
            messages.success(request, _("Đã tắt xác thực hai bước."))
            return redirect("accounts:profile")
    return profile_view(request, disable_form=form)


@official_required
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@never_cache
def password_change_view(request):
    form = PasswordChangeForm(user=request.user, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.password_change(user=request.user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Đã đổi mật khẩu."))
        return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form}, status=400 if form.errors else 200)


class LogoutView(auth_views.LogoutView):
    """POST only (Django's rule): a link or an image cannot log someone out."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Bạn đã đăng xuất."))
        return response


def _lockout_until(request, username: str):
    cool_off = get_cool_off(request)
    if not cool_off:
        return None
    ip = getattr(request, "axes_ip_address", None)
    condition = Q(username=username) if username else Q(pk__in=[])
    if ip:
        condition |= Q(ip_address=ip)
    latest = AccessAttempt.objects.filter(condition).aggregate(latest=Max("attempt_time"))["latest"]
    return (latest or timezone.now()) + cool_off


def lockout_response(request, original_response=None, credentials=None, *args, **kwargs):
    """django-axes calls this when an account or address is locked: a Vietnamese page saying for how long."""
    username = ""
    if isinstance(credentials, dict):
        username = str(credentials.get("username") or "")
    username = username or request.POST.get("username", "")
    until = _lockout_until(request, username[:150])
    minutes = None
    if until is not None:
        minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    context = {"until": until, "minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "accounts/locked_out.html", context, status=429)


@official_required
def home(request):
    user = request.user
    links = [item for item in backoffice_menu(user, request.path) if item.url != request.path]
    context = {
        "agency": user_agency(user),
        "quick_links": links,
        "two_factor": has_two_factor(user),
    }
    return render(request, "accounts/home.html", context)
