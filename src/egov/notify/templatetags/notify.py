from django import template

from egov.notify.services import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def notify_unread(context) -> int:
    """Unread messages of the signed-in user, for the navbar badge (one indexed count)."""
    request = context.get("request")
    return unread_count(getattr(request, "user", None)) if request is not None else 0
