from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin
from django.utils.http import urlencode

from egov.accounts.session import owes_second_factor

# Reachable while the second factor is still owed: assets, health check, language switch.
_OPEN_PREFIXES = ("/static/", "/media/", "/healthz", "/i18n/")


class RequireTwoFactorMiddleware:
    """Holds a logged-in user who owes a second factor (by role, or because he enabled it) at the TOTP step.

    Our own login never logs such a user in before the code is right; this catches every other way into a
    session (Django's or Wagtail's login forms, a session from before 2FA became required)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths: frozenset[str] | None = None

    def _is_open(self, path: str) -> bool:
        if self._open_paths is None:
            self._open_paths = frozenset(
                reverse(name)
                for name in ("accounts:login", "accounts:logout", "accounts:otp", "accounts:otp_setup")
            )
        return path in self._open_paths or path.startswith(_OPEN_PREFIXES)

    def __call__(self, request):
        if owes_second_factor(request) and not self._is_open(request.path):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"code": "two_factor_required",
                     "message": "Tài khoản cần xác thực hai bước trước khi dùng API trong phiên đăng nhập này."},
                    status=403,
                )
            return redirect(f"{reverse('accounts:otp')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class SiteLanguageMiddleware(MiddlewareMixin):
    """Vietnamese unless the user chose English with the switch (language cookie).

    It replaces Django's LocaleMiddleware, which follows the browser's Accept-Language: an official whose browser
    is set to English would get English pages without asking for them."""

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # The language no longer depends on Accept-Language, so the response must not say it varies on it.
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
