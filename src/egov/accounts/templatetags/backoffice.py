"""``{% backoffice_nav as nav %}``: who is logged in and the menu, for the back-office layout of every app."""

from django import template

from egov.accounts.navigation import backoffice_menu
from egov.accounts.selectors import user_agency

register = template.Library()


@register.simple_tag(takes_context=True)
def backoffice_nav(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"items": []}
    return {
        "name": user.display_name,
        "role": user.get_role_display(),
        "agency": user_agency(user),
        "items": backoffice_menu(user, request.path),
    }
