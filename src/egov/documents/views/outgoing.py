"""Back-office pages of outgoing documents: the work lists, a new draft, a document's detail (versions, chain,
signatures, deliveries) with its action forms, file downloads after a permission check, and the recipient
clerk's list of documents arriving from other agencies (accept / reject).

Thin: every change goes through a service; a DomainError comes back on the page with its 4xx status.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from egov.accounts.roles import Role
from egov.core.errors import DomainError, NotFound
from egov.directory.models import Agency, Official, Unit
from egov.documents import selectors_outgoing as sel
from egov.documents.models import DocumentFile, DocumentType, IncomingDocument, OutgoingStatus, Secrecy, Urgency
from egov.documents.policies.outgoing import (
    can_accept_delivery,
    can_draft_outgoing,
    may_be_reviewer,
    may_be_signer,
    official_of,
)
from egov.documents.services import delivery as delivery_svc
from egov.documents.services import outgoing as svc
from egov.documents.services.outgoing_actions import available_actions, outgoing_action_run

PAGE_SIZE = 30
ACTION_LABELS = {
    "upload": "Tải lên phiên bản dự thảo", "submit": "Trình duyệt", "approve": "Duyệt", "return": "Trả lại để sửa",
    "sign": "Ký số", "issue": "Phát hành", "recall": "Thu hồi", "accept": "Tiếp nhận", "reject": "Từ chối tiếp nhận",
}
EVENT_LABELS = {
    "draft_created": "Tạo dự thảo", "draft_version": "Tải lên phiên bản dự thảo", "submitted": "Trình duyệt",
    "forwarded": "Duyệt, chuyển người duyệt tiếp", "approved": "Duyệt, chuyển người ký", "returned": "Trả lại để sửa",
    "signed": "Ký số", "issued": "Phát hành", "recalled": "Thu hồi", "replaced": "Được thay thế",
}


def _staff(request) -> None:
    if request.user.role == Role.CITIZEN and not request.user.is_superuser:
        raise PermissionDenied("Trang dành cho cán bộ, công chức.")


def _page(request, template: str, context: dict, status: int = 200):
    return render(request, template, {"base_template": "backoffice/base.html", **context}, status=status)


def _document(request, uuid):
    try:
        return sel.outgoing_for(request.user, uuid)
    except NotFound as error:
        raise Http404(error.message) from None


def signatures_url(file: DocumentFile) -> str:
    """The signing engineer's signature page for a file, when it exists."""
    try:
        return reverse("documents:file_signatures", args=[file.uuid])
    except NoReverseMatch:
        return ""


# --- lists ----------------------------------------------------------------------------------------------
@login_required
@require_GET
def outgoing_list(request):
    _staff(request)
    tab = request.GET.get("tab") or "drafts"
    if tab not in sel.TABS:
        tab = "drafts"
    page = Paginator(sel.outgoing_list(request.user, tab), PAGE_SIZE).get_page(request.GET.get("trang"))
    for document in page.object_list:
        document.issue_due = sel.issue_due_date(document)
        document.issue_late = sel.issue_overdue(document)
    counts = sel.outgoing_counts(request.user)
    return _page(request, "documents/outgoing/list.html", {
        "tab": tab, "tab_list": [(key, label, counts.get(key)) for key, label in sel.TABS.items()], "page": page,
        "can_draft": can_draft_outgoing(request.user),
    })


def _form_context(request, posted=None, document=None) -> dict:
    official = official_of(request.user)
    agency_id = official.agency_id if official else None
    posted = posted or {}
    chosen = posted.getlist("recipients") if hasattr(posted, "getlist") else posted.get("recipients", [])
    return {
        "types": DocumentType.objects.order_by("sort_order", "name"),
        "units": Unit.objects.filter(agency_id=agency_id, is_active=True).order_by("name"),
        "agencies": Agency.objects.filter(is_active=True).exclude(pk=agency_id).order_by("name"),
        "urgencies": Urgency.choices, "secrecies": Secrecy.choices, "posted": posted, "chosen": set(chosen),
        "default_unit": official.unit_id if official else None, "document": document,
        "replaceable": [] if document else sel.outgoing_list(request.user, "issued").filter(
            status=OutgoingStatus.ISSUED)[:100],
        "reply_to": None if document else _reply_to(official, posted.get("in_reply_to") or request.GET.get("tra_loi")),
    }


def _reply_to(official, value) -> IncomingDocument | None:
    """The incoming document being answered (``?tra_loi=<uuid>`` from the incoming page), of one's agency."""
    if official is None or not sel._valid_uuid(value):
        return None
    return IncomingDocument.objects.filter(agency_id=official.agency_id, uuid=value).first()


def _draft_fields(post, official) -> dict:
    """The metadata fields of the draft form, as service keyword arguments."""
    unit = Unit.objects.filter(agency_id=official.agency_id, uuid=post.get("unit")).first() if sel._valid_uuid(
        post.get("unit")) else None
    recipients = list(Agency.objects.filter(uuid__in=[u for u in post.getlist("recipients") if sel._valid_uuid(u)]))
    return {"document_type": post.get("document_type"), "summary": post.get("summary", ""),
            "urgency": post.get("urgency") or 0, "secrecy": post.get("secrecy") or 0, "drafting_unit": unit,
            "recipient_agencies": recipients, "external_recipients": post.get("external_recipients", ""),
            "description": post.get("description", "")}


@login_required
@require_http_methods(["GET", "POST"])
def outgoing_create(request):
    _staff(request)
    if not can_draft_outgoing(request.user):
        raise PermissionDenied("Chỉ cán bộ, công chức của một cơ quan mới soạn thảo được văn bản đi.")
    if request.method == "GET":
        return _page(request, "documents/outgoing/form.html", _form_context(request))
    post = request.POST
    try:
        official = official_of(request.user)
        replaces = sel.outgoing_for(request.user, post["replaces"]) if sel._valid_uuid(post.get("replaces")) else None
        with transaction.atomic():  # a refused file leaves no draft behind
            document = svc.outgoing_draft_create(actor=request.user, in_reply_to=_reply_to(
                official, post.get("in_reply_to")), replaces=replaces, **_draft_fields(post, official))
            if request.FILES.get("file") is not None:
                svc.outgoing_version_upload(actor=request.user, document=document, upload=request.FILES["file"])
    except DomainError as error:
        context = _form_context(request, posted=post)
        context["error"] = error.message
        return _page(request, "documents/outgoing/form.html", context, status=error.status)
    messages.success(request, "Đã tạo dự thảo.")
    return redirect("documents:outgoing_detail", uuid=document.uuid)


@login_required
@require_http_methods(["GET", "POST"])
def outgoing_edit(request, uuid):
    """The drafter corrects the draft's metadata (while it is a draft or returned for revision)."""
    _staff(request)
    document = _document(request, uuid)
    if request.method == "GET":
        posted = {"document_type": document.document_type.code if document.document_type_id else "",
                  "unit": str(document.drafting_unit.uuid) if document.drafting_unit_id else "",
                  "summary": document.summary, "urgency": str(document.urgency), "secrecy": str(document.secrecy),
                  "external_recipients": document.external_recipients, "description": document.description,
                  "recipients": [str(a.uuid) for a in document.recipient_agencies.all()]}
        return _page(request, "documents/outgoing/form.html", _form_context(request, posted, document))
    try:
        svc.outgoing_draft_update(actor=request.user, document=document,
                                  **_draft_fields(request.POST, official_of(request.user)))
    except DomainError as error:
        context = _form_context(request, posted=request.POST, document=document)
        context["error"] = error.message
        return _page(request, "documents/outgoing/form.html", context, status=error.status)
    messages.success(request, "Đã lưu thông tin dự thảo.")
    return redirect("documents:outgoing_detail", uuid=document.uuid)


# --- detail and actions ---------------------------------------------------------------------------------
def _detail_context(request, document) -> dict:
    user = request.user
    actions = available_actions(user, document)
    reviewers, signers = [], []
    if {"submit", "approve"} & set(actions):
        officials = (Official.objects.filter(agency_id=document.agency_id, is_active=True, user__is_active=True)
                     .select_related("user", "unit", "position").order_by("position__rank", "user__full_name"))
        reviewers = [o for o in officials if o.user_id != user.pk and may_be_reviewer(o.user, document)]
        signers = [o for o in officials if may_be_signer(o.user, document)]
    events = sel.outgoing_events(document)
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
    signed = sel.outgoing_signed_files(document)
    for record in signed:
        record.signatures_url = signatures_url(record)
    return {
        "document": document, "versions": sel.outgoing_versions(document), "events": events, "signed_files": signed,
        "deliveries": sel.outgoing_deliveries(document), "actions": actions, "action_labels": ACTION_LABELS,
        "reviewers": reviewers, "signers": signers,
        "registers": svc.issue_registers_for(document) if "issue" in actions else [],
        "recipients": list(document.recipient_agencies.order_by("name")),
        "issue_due": sel.issue_due_date(document), "issue_late": sel.issue_overdue(document),
    }


@login_required
@require_GET
def outgoing_detail(request, uuid):
    _staff(request)
    document = _document(request, uuid)
    return _page(request, "documents/outgoing/detail.html", _detail_context(request, document))


@login_required
@require_POST
def outgoing_action(request, uuid, action: str):
    _staff(request)
    document = _document(request, uuid)
    fields = {key: request.POST.get(key, "") for key in request.POST if key != "csrfmiddlewaretoken"}
    try:
        outgoing_action_run(user=request.user, document=document, action=action, fields=fields,
                            upload=request.FILES.get("file"))
    except DomainError as error:
        context = _detail_context(request, _document(request, uuid))
        context.update({"error": error.message, "error_action": action, "posted": fields})
        return _page(request, "documents/outgoing/detail.html", context, status=error.status)
    messages.success(request, f"Đã thực hiện: {ACTION_LABELS.get(action, action)}.")
    return redirect("documents:outgoing_detail", uuid=document.uuid)


def _file_response(record: DocumentFile) -> FileResponse:
    response = FileResponse(record.file.open("rb"), content_type=record.content_type or "application/octet-stream",
                            as_attachment=record.content_type != "application/pdf", filename=record.original_name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def outgoing_file(request, uuid, file_uuid):
    _staff(request)
    document = _document(request, uuid)
    record = document.files.filter(uuid=file_uuid).first() if sel._valid_uuid(file_uuid) else None
    if record is None:
        raise Http404("Không tìm thấy tệp.")
    return _file_response(record)


# --- the recipient's side -------------------------------------------------------------------------------
@login_required
@require_GET
def delivery_inbox(request):
    _staff(request)
    deliveries = list(sel.deliveries_waiting(request.user))
    for delivery in deliveries:
        delivery.can_answer = can_accept_delivery(request.user, delivery)
    return _page(request, "documents/outgoing/inbox.html", {"deliveries": deliveries})


@login_required
@require_POST
def delivery_action(request, uuid, action: str):
    _staff(request)
    try:
        delivery = sel.delivery_for(request.user, uuid)
    except NotFound as error:
        raise Http404(error.message) from None
    try:
        if action == "accept":
            delivery_svc.delivery_accept(actor=request.user, delivery=delivery, note=request.POST.get("note", ""))
        elif action == "reject":
            delivery_svc.delivery_reject(actor=request.user, delivery=delivery, reason=request.POST.get("reason", ""))
        else:
            raise DomainError("unknown_action", f"Thao tác “{action[:30]}” không tồn tại.")
    except DomainError as error:
        deliveries = list(sel.deliveries_waiting(request.user))
        for item in deliveries:
            item.can_answer = can_accept_delivery(request.user, item)
        return _page(request, "documents/outgoing/inbox.html", {
            "deliveries": deliveries, "error": error.message, "error_delivery": str(delivery.uuid),
        }, status=error.status)
    messages.success(request, f"Đã {ACTION_LABELS[action].lower()} văn bản {delivery.outgoing.number_notation}.")
    return redirect("documents:delivery_inbox")


@login_required
@require_GET
def delivery_file(request, uuid):
    """The copy of the delivered document, for the recipient clerk checking it before reception."""
    _staff(request)
    try:
        delivery = sel.delivery_for(request.user, uuid)
    except NotFound as error:
        raise Http404(error.message) from None
    record = delivery.incoming.files.order_by("created_at").first() if delivery.incoming else None
    if record is None:
        raise Http404("Không tìm thấy tệp.")
    return _file_response(record)
