"""Session state of a login in progress (password accepted, second factor still owed).

A user whose login needs a code is not logged in until the code is right: the session only remembers who
passed the password step, for a few minutes. That way no page, API call or admin screen is reachable with
the password alone.
"""

import time

from django.contrib.auth import get_user_model

from egov.accounts.selectors import role_requires_two_factor

PENDING_KEY = "egov_login_pending"
PENDING_TTL_SECONDS = 300
# Set at every login: whether this account has a confirmed device, so that voluntary users are held to it too.
TWO_FACTOR_ENROLLED_KEY = "egov_2fa_enrolled"


def pending_login_start(request, user, next_url: str) -> None:
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user_id": user.pk,
        "backend": getattr(user, "backend", None),
        "at": int(time.time()),
        "next": next_url,
    }


def pending_login_user(request):
    """The user who passed the password step in this session, or None when absent or expired."""
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None, ""
    if time.time() - data.get("at", 0) > PENDING_TTL_SECONDS:
        pending_login_clear(request)
        return None, ""
    user = get_user_model().objects.filter(pk=data.get("user_id"), is_active=True).first()
    if user is None:
        pending_login_clear(request)
        return None, ""
    user.backend = data.get("backend")
    return user, data.get("next") or ""


def pending_login_clear(request) -> None:
    request.session.pop(PENDING_KEY, None)


def owes_second_factor(request) -> bool:
    """Logged in, not verified by a code in this session, and required to be (by role or own choice)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return False
    return role_requires_two_factor(user) or bool(request.session.get(TWO_FACTOR_ENROLLED_KEY))
