"""Helpers every public page uses: the citizen-only guard and turning a DomainError into a form error."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import reverse

from egov.core.errors import DomainError
from egov.eservices.policies import is_citizen


def citizen_required(view):
    """Citizens only: visitors go to the citizens' login, officials get a Vietnamese 403 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("eservices:login"))
        if not is_citizen(request.user):
            return render(request, "eservices/error.html", {
                "title": "Chức năng dành cho công dân",
                "message": "Trang này dành cho tài khoản công dân. Cán bộ, công chức làm việc trên trang cán bộ.",
            }, status=403)
        return view(request, *args, **kwargs)

    return wrapper


def add_domain_error(form, exc: DomainError, field: str | None = None) -> None:
    """Show a service's refusal on the form: on ``field`` when it exists there, else at the top."""
    form.add_error(field if field in form.fields else None, exc.message)


def error_page(request, exc: DomainError, *, title: str = "Không thực hiện được"):
    return render(request, "eservices/error.html", {"title": title, "message": exc.message}, status=exc.status)
