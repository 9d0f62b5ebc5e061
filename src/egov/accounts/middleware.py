from django.conf import settings
from django.shortcuts import redirect

# Paths a user who still owes the second factor may reach: the 2FA pages themselves, logout, assets.
_OPEN_PREFIXES = ("/tai-khoan/", "/static/", "/healthz", "/i18n/", "/api/")


class RequireTwoFactorMiddleware:
    """Sends users whose role requires 2FA to the TOTP step (or its setup) until they pass it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and (user.role in settings.EGOV_2FA_REQUIRED_ROLES or user.is_superuser)
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            return redirect("accounts:otp")
        return self.get_response(request)
