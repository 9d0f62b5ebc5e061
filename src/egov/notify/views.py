"""The official's notification page: his messages, newest first; opening or marking them read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from egov.notify.models import Message
from egov.notify.services import message_mark_read


@login_required
@require_GET
def message_list(request):
    qs = Message.objects.filter(recipient=request.user)
    page = Paginator(qs, 30).get_page(request.GET.get("trang"))
    unread = qs.filter(read_at__isnull=True).count()
    return render(request, "notify/message_list.html", {"page": page, "unread": unread})


@login_required
@require_POST
def message_read(request, uuid):
    """Mark read, then follow the message's link (only a link on this site)."""
    message = get_object_or_404(Message, uuid=uuid, recipient=request.user)
    message_mark_read(recipient=request.user, message=message)
    if message.url and url_has_allowed_host_and_scheme(message.url, allowed_hosts={request.get_host()}):
        return redirect(message.url)
    return redirect("notify:message_list")


@login_required
@require_POST
def message_read_all(request):
    message_mark_read(recipient=request.user)
    return redirect("notify:message_list")
