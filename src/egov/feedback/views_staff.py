"""Back-office pages (/can-bo/phan-anh-kien-nghi/): the register, overdue and due-soon lists, the on-time rate,
one item with its history and the actions the policy allows. Thin: services decide."""

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from egov.accounts.decorators import official_required
from egov.core.errors import DomainError
from egov.core.policies import get_visible
from egov.directory.models import Agency
from egov.feedback import services
from egov.feedback.models import Classification, Feedback, Kind, Status
from egov.feedback.policies import can_handle_feedback, can_use_feedback, feedback_visible_to
from egov.feedback.selectors import (
    agency_by_uuid,
    feedback_due_soon,
    feedback_on_time_rate,
    feedback_overdue,
    feedback_register,
)

TABS = {"so": "Sổ tiếp nhận", "qua-han": "Quá hạn", "sap-den-han": "Sắp đến hạn"}


def _refuse(request):
    return render(request, "feedback/staff/refused.html", status=403)


def _period(request) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("tu", ""))
    except ValueError:
        start = today.replace(month=1, day=1)
    try:
        end = dt.date.fromisoformat(request.GET.get("den", ""))
    except ValueError:
        end = today
    return start, max(start, end)


@official_required
def register(request):
    if not can_use_feedback(request.user):
        return _refuse(request)
    tab = request.GET.get("xem", "so")
    tab = tab if tab in TABS else "so"
    status = request.GET.get("trang_thai", "")
    kind = request.GET.get("loai", "")
    q = (request.GET.get("q") or "")[:200]
    if tab == "qua-han":
        qs = feedback_overdue(request.user)
    elif tab == "sap-den-han":
        qs = feedback_due_soon(request.user)
    else:
        qs = feedback_register(request.user, status=status if status in Status.values else "",
                               kind=kind if kind in Kind.values else "", q=q)
    start, end = _period(request)
    tz = timezone.get_current_timezone()
    rate = feedback_on_time_rate(request.user, start=dt.datetime.combine(start, dt.time.min, tz),
                                 end=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tz))
    page = Paginator(qs, 30).get_page(request.GET.get("trang"))
    return render(request, "feedback/staff/register.html", {
        "page": page, "tab": tab, "tabs": TABS, "status": status, "kind": kind, "q": q, "statuses": Status.choices,
        "kinds": Kind.choices, "rate": rate, "start": start, "end": end, "now": timezone.now(),
        "overdue_count": feedback_overdue(request.user).count(),
        "due_soon_count": feedback_due_soon(request.user).count(),
    })


def _item(request, uuid) -> Feedback:
    return get_visible(feedback_visible_to, request.user,
                       Feedback.objects.select_related("agency", "forwarded_from", "answered_by"), uuid=uuid)


@official_required
def detail(request, uuid):
    if not can_use_feedback(request.user):
        return _refuse(request)
    try:
        item = _item(request, uuid)
    except DomainError:
        raise Http404 from None
    agencies = Agency.objects.filter(is_active=True).exclude(pk=item.agency_id).order_by("name").only("uuid", "name")
    return render(request, "feedback/staff/detail.html", {
        "item": item, "events": item.events.select_related("actor", "agency").order_by("at", "id"),
        "attachments": item.attachments.all(), "can_handle": can_handle_feedback(request.user, item),
        "classifications": Classification.choices, "agencies": agencies, "Status": Status,
    })


def _run(request, item: Feedback, action: str):
    post = request.POST
    if action == "tiep-nhan":
        return services.feedback_receive(actor=request.user, feedback=item)
    if action == "phan-loai":
        target = agency_by_uuid(post["target_agency"]) if post.get("target_agency") else None
        return services.feedback_classify(actor=request.user, feedback=item, reason=post.get("reason", ""),
                                          classification=post.get("classification", ""), target_agency=target)
    if action == "bo-sung":
        return services.feedback_request_info(actor=request.user, feedback=item, note=post.get("note", ""))
    if action == "tiep-tuc":
        return services.feedback_resume(actor=request.user, feedback=item, note=post.get("note", ""))
    if action == "tra-loi":
        return services.feedback_answer(actor=request.user, feedback=item, answer=post.get("answer", ""))
    if action == "cong-khai":
        return services.feedback_publish(actor=request.user, feedback=item,
                                         public_question=post.get("public_question", ""))
    raise Http404


DONE = {"tiep-nhan": "Đã tiếp nhận, vào sổ.", "phan-loai": "Đã phân loại.", "bo-sung": "Đã đề nghị bổ sung thông tin.",
        "tiep-tuc": "Đã chuyển sang đang xử lý.", "tra-loi": "Đã lưu trả lời.", "cong-khai": "Đã công khai trên cổng."}


@official_required
@require_POST
def act(request, uuid, action):
    if not can_use_feedback(request.user):
        return _refuse(request)
    try:
        item = _item(request, uuid)
    except DomainError:
        raise Http404 from None
    try:
        _run(request, item, action)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, DONE[action])
    return redirect("feedback_staff:detail", uuid=item.uuid)


@official_required
def attachment(request, uuid, file_uuid):
    if not can_use_feedback(request.user):
        return _refuse(request)
    try:
        item = _item(request, uuid)
    except DomainError:
        raise Http404 from None
    record = item.attachments.filter(uuid=file_uuid).first()
    if record is None:
        raise Http404
    return FileResponse(record.file.open("rb"), content_type=record.mime, filename=record.name,
                        as_attachment=record.mime == "application/pdf" and request.GET.get("tai") == "1")


