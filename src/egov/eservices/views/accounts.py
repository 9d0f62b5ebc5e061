"""Citizens' accounts: registration, login (Django auth, django-axes lockout), logout; VNeID-style login when
configured (``oidc.py``)."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from egov.core.errors import DomainError
from egov.eservices.conf import oidc_enabled, oidc_setting
from egov.eservices.forms import CitizenLoginForm, RegistrationForm
from egov.eservices.oidc import MODEL_BACKEND
from egov.eservices.services import citizen_register
from egov.eservices.views.common import add_domain_error


def _oidc_context() -> dict:
    return {"oidc_enabled": oidc_enabled(), "oidc_provider": oidc_setting("OIDC_PROVIDER_NAME")}


def _next_url(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return None


def register(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = citizen_register(username=data["username"], full_name=data["full_name"],
                                    id_number=data["id_number"], phone=data["phone"], email=data["email"],
                                    address=data["address"], password=data["password1"])
        except DomainError as exc:
            field = {"username_taken": "username", "id_number_taken": "id_number"}.get(exc.code)
            add_domain_error(form, exc, field)
        else:
            login(request, user, backend=MODEL_BACKEND)
            messages.success(request, "Đăng ký tài khoản thành công. Ông/bà có thể nộp hồ sơ trực tuyến.")
            return redirect(_next_url(request) or "eservices:home")
    return render(request, "eservices/accounts/register.html",
                  {"form": form, "next": _next_url(request) or "", **_oidc_context()},
                  status=400 if form.errors else 200)


class CitizenLoginView(auth_views.LoginView):
    template_name = "eservices/accounts/login.html"
    authentication_form = CitizenLoginForm
    redirect_authenticated_user = False

    def get_default_redirect_url(self):
        return resolve_url("eservices:home")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **_oidc_context()}


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, "Ông/bà đã đăng xuất.")
    return redirect("eservices:home")
