"""Guards for back-office views: the login, then the role (citizens are sent back politely)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render

from egov.accounts.policies import can_access_backoffice


def refuse_non_official(request):
    """The 403 page a citizen (or any non-official account) sees in the back office."""
    return render(request, "accounts/citizen_refused.html", status=403)


def official_required(view):
    """Back-office views: anonymous visitors go to the login page, citizens get a Vietnamese 403 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_access_backoffice(request.user):
            return refuse_non_official(request)
        return view(request, *args, **kwargs)

    return login_required(wrapper)


class OfficialRequiredMixin(LoginRequiredMixin):
    """The class-based form of ``official_required``."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_access_backoffice(request.user):
            return refuse_non_official(request)
        return super().dispatch(request, *args, **kwargs)
