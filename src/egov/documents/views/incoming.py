"""Back-office pages of incoming documents: work lists, registration (vào sổ), detail with the assignments tree
and history, the leader's direction form and the handlers' progress / opinion / re-assign / complete forms.

Thin: every change goes through egov.documents.services.incoming / handling; a DomainError comes back on the
same page as a form error with its 4xx status and the typed values, never a 500.
"""

import datetime as dt
import uuid as uuid_module

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from egov.accounts.decorators import official_required
from egov.core.errors import DomainError, NotFound
from egov.directory.models import Official, Unit
from egov.documents import selectors
from egov.documents.models import (
    Assignment,
    AssignmentRole,
    Channel,
    DeliveryStatus,
    Direction,
    DocumentFile,
    DocumentRegister,
    DocumentType,
    IncomingStatus,
    RegisterKind,
    Secrecy,
    Urgency,
)
from egov.documents.policies.incoming import (
    can_direct_incoming,
    can_handle_assignment,
    can_reassign_assignment,
    can_register_incoming,
    incoming_official,
    incoming_visible_to,
)
from egov.documents.services import handling, incoming
from egov.documents.services.reference import number_notation_split

PAGE_SIZE = 30
URGENCY_COLORS = {0: "secondary", 1: "warning", 2: "danger", 3: "danger", 4: "danger"}
ACTION_LABELS = {
    "registered": "Vào sổ", "directed": "Phân công xử lý", "reassigned": "Giao lại trong đơn vị",
    "progress": "Cập nhật tiến độ", "opinion": "Ý kiến xử lý", "completed": "Hoàn thành phân công",
    "done": "Hoàn thành xử lý văn bản", "reminded": "Nhắc hạn xử lý",
}
REGISTER_FIELDS = ("register", "received_at", "channel", "number", "notation", "issued_date", "issuer_name",
                   "issuer_code", "document_type", "summary", "signer_position", "signer_name", "page_count",
                   "issued_amount", "urgency", "secrecy", "reply_due_date", "to_places", "description")


def _page(request, template: str, context: dict, status: int = 200):
    return render(request, template, context, status=status)


def _document(request, uuid):
    try:
        return selectors.incoming_for(request.user, uuid)
    except NotFound as error:
        raise Http404(error.message) from None


def _mark(document, now) -> None:
    document.urgency_color = URGENCY_COLORS.get(document.urgency, "secondary")
    document.is_urgent = document.urgency > 0
    document.arrival_label = incoming.arrival_label(document)
    document.overdue = bool(document.handling_due_at and document.handling_due_at < now
                            and document.status in selectors.OPEN_DOCUMENT)


@official_required
@require_GET
def incoming_list(request):
    """Của tôi / Sắp đến hạn / Quá hạn / Tất cả, with status and text filters."""
    user = request.user
    queues = selectors.incoming_queues_for(user)
    tab = request.GET.get("tab") or ("all" if selectors.sees_whole_agency(user) else "mine")
    tab = tab if tab in queues else "mine"
    status = request.GET.get("trang_thai") or ""
    query = (request.GET.get("q") or "").strip()[:100]
    error = ""
    try:
        rows = selectors.incoming_queue(user, tab, status=status or None, query=query)
    except DomainError as exc:
        error, status = exc.message, ""
        rows = selectors.incoming_queue(user, tab, query=query)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    now = timezone.now()
    for document in page.object_list:
        _mark(document, now)
    counts = selectors.incoming_queue_counts(user, now=now)
    agency = getattr(incoming_official(user), "agency", None)
    return _page(request, "documents/incoming/list.html", {
        "tab": tab, "tab_list": [(key, label, counts.get(key)) for key, label in queues.items()], "page": page,
        "status": status, "statuses": IncomingStatus.choices, "query": query, "error": error,
        "can_register": can_register_incoming(user, agency),
    }, status=400 if error else 200)


def _is_uuid(value) -> bool:
    try:
        uuid_module.UUID(str(value))
    except ValueError:
        return False
    return True


# --- registration -----------------------------------------------------------------------------------------
def _parse_date(raw: str, *, label: str) -> dt.date | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        if "/" in text:
            return dt.datetime.strptime(text, "%d/%m/%Y").date()
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DomainError("invalid_date", f"{label} “{text[:20]}” không hợp lệ (dd/mm/yyyy).") from None


def _parse_datetime(raw: str, *, label: str) -> dt.datetime | None:
    text = (raw or "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"):
        try:
            return timezone.make_aware(dt.datetime.strptime(text, fmt))
        except ValueError:
            continue
    raise DomainError("invalid_date", f"{label} “{text[:20]}” không hợp lệ (dd/mm/yyyy HH:MM).")


def _pending_files(request, agency) -> list[DocumentFile]:
    wanted = request.POST.getlist("files") if request.method == "POST" else request.GET.getlist("file")
    ids = [str(raw) for raw in wanted if _is_uuid(raw)]
    if not ids or agency is None:
        return []
    return list(DocumentFile.objects.filter(uuid__in=ids, agency=agency, incoming__isnull=True,
                                            outgoing__isnull=True))


def _suggested(files: list[DocumentFile]) -> dict:
    """Initial values from the intake suggestions of the first file that has any (the clerk confirms)."""
    for record in files:
        found = record.suggestions or {}
        if not found:
            continue
        number, notation = found.get("number") or "", found.get("notation") or ""
        if not (number or notation) and found.get("number_notation"):
            number, notation = number_notation_split(found["number_notation"])
        return {"number": number, "notation": notation, "issued_date": found.get("issued_date") or "",
                "issuer_name": found.get("issuer_name") or "", "document_type": found.get("type_code") or "",
                "summary": found.get("summary") or ""}
    return {}


def _register_context(request, agency, values: dict, files: list) -> dict:
    registers = DocumentRegister.objects.filter(agency=agency, direction=Direction.INCOMING, is_active=True) \
        if agency else DocumentRegister.objects.none()
    # The regular register first, so it is the default choice (a secret register refuses a non-secret document).
    registers = sorted(registers, key=lambda r: (r.kind != RegisterKind.REGULAR, r.name))
    return {
        "registers": registers, "types": DocumentType.objects.all(), "channels": Channel.choices,
        "urgencies": Urgency.choices, "secrecies": Secrecy.choices, "values": values, "pending": files,
        "agency": agency,
    }


@official_required
@require_http_methods(["GET", "POST"])
def incoming_register(request):
    user = request.user
    agency = getattr(incoming_official(user), "agency", None)
    if not can_register_incoming(user, agency):
        return _page(request, "documents/incoming/error.html",
                     {"message": "Chỉ văn thư của cơ quan mới được vào sổ văn bản đến."}, status=403)
    files = _pending_files(request, agency)
    if request.method == "GET":
        values = {"received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "channel": Channel.PAPER,
                  "urgency": "0", "secrecy": "0", **_suggested(files)}
        return _page(request, "documents/incoming/register.html", _register_context(request, agency, values, files))
    values = {key: (request.POST.get(key) or "").strip() for key in REGISTER_FIELDS}
    try:
        register = None
        if _is_uuid(values["register"]):
            register = DocumentRegister.objects.filter(agency=agency, direction=Direction.INCOMING,
                                                       uuid=values["register"]).first()
        if register is None:
            raise DomainError("register_required", "Cần chọn sổ văn bản đến.")
        document = incoming.incoming_register(
            actor=user, register=register, summary=values["summary"],
            received_at=_parse_datetime(values["received_at"], label="Ngày đến"), channel=values["channel"],
            number=values["number"], notation=values["notation"],
            issued_date=_parse_date(values["issued_date"], label="Ngày văn bản"), issuer_name=values["issuer_name"],
            issuer_code=values["issuer_code"], document_type=values["document_type"] or None,
            signer_position=values["signer_position"], signer_name=values["signer_name"],
            page_count=values["page_count"], issued_amount=values["issued_amount"], urgency=values["urgency"],
            secrecy=values["secrecy"], reply_due_date=_parse_date(values["reply_due_date"], label="Hạn trả lời"),
            to_places=values["to_places"], description=values["description"],
            files=[str(f.uuid) for f in files], uploads=request.FILES.getlist("uploads"),
        )
    except DomainError as error:
        context = _register_context(request, agency, values, files)
        context["error"] = error.message
        return _page(request, "documents/incoming/register.html", context, status=error.status)
    label = incoming.arrival_label(document)
    messages.success(request, f"Đã vào sổ văn bản đến, số đến {label}.")
    if document.possible_duplicate_of_id:
        dup = document.possible_duplicate_of
        messages.warning(request, f"Lưu ý: văn bản này có thể trùng với văn bản đến số "
                                  f"{incoming.arrival_label(dup)} đã vào sổ ngày "
                                  f"{timezone.localtime(dup.received_at):%d/%m/%Y}. Kiểm tra lại trước khi trình.")
    return redirect("documents:incoming_detail", uuid=document.uuid)


# --- detail and actions -----------------------------------------------------------------------------------
def _targets(agency) -> dict:
    units = list(Unit.objects.filter(agency=agency, is_active=True).order_by("name"))
    officials = list(Official.objects.filter(agency=agency, is_active=True, user__is_active=True)
                     .select_related("user", "unit", "position").order_by("unit__name", "user__full_name"))
    return {"units": units, "officials": officials}


def _detail_context(request, document) -> dict:
    user = request.user
    now = timezone.now()
    _mark(document, now)
    tree = selectors.assignment_tree(document)
    mine = []
    for node in tree:
        a = node.assignment
        a.overdue = bool(a.due_at and a.due_at < now and a.status in selectors.OPEN_ASSIGNMENT)
        a.is_open = a.status in selectors.OPEN_ASSIGNMENT
        if a.is_open and a.role != AssignmentRole.FOR_INFORMATION and can_handle_assignment(user, a):
            a.can_reassign = can_reassign_assignment(user, a)
            mine.append(a)
        elif a.is_open and a.role == AssignmentRole.FOR_INFORMATION and can_handle_assignment(user, a):
            a.can_reassign = False
            mine.append(a)
    events = selectors.incoming_events(document)
    for event in events:
        event.label = ACTION_LABELS.get(event.action, event.action)
    delivery = incoming.incoming_delivery(document)
    pending = delivery is not None and delivery.status == DeliveryStatus.DELIVERED
    can_direct = can_direct_incoming(user, document) and document.status == IncomingStatus.REGISTERED and not pending
    context = {
        "document": document, "tree": tree, "events": events, "mine": mine,
        "files": list(document.files.order_by("created_at")), "can_direct": can_direct,
        "arrival": incoming.arrival_label(document), "roles": AssignmentRole,
        "delivery": delivery, "delivery_pending": pending,
    }
    if can_direct or any(a.can_reassign for a in mine):
        context.update(_targets(document.agency))
    return context


@official_required
@require_GET
def incoming_detail(request, uuid):
    document = _document(request, uuid)
    return _page(request, "documents/incoming/detail.html", _detail_context(request, document))


def _error_page(request, document, error: DomainError, form: str, assignment=None):
    context = _detail_context(request, _document(request, document.uuid))
    for mine in context["mine"]:
        mine.open_form = form if assignment is not None and mine.pk == assignment.pk else ""
    context.update({"error": error.message, "error_form": form, "posted": request.POST})
    return _page(request, "documents/incoming/detail.html", context, status=error.status)


def _split_targets(values: list[str]) -> tuple[list[str], list[str]]:
    units, people = [], []
    for value in values:
        kind, _, key = (value or "").partition(":")
        if kind == "unit" and key:
            units.append(key)
        elif kind == "user" and key:
            people.append(key)
    return units, people


@official_required
@require_POST
def incoming_direct(request, uuid):
    document = _document(request, uuid)
    lead_units, lead_people = _split_targets([request.POST.get("lead", "")])
    coop_units, coop_people = _split_targets(request.POST.getlist("cooperating"))
    info_units, info_people = _split_targets(request.POST.getlist("information"))
    try:
        handling.incoming_direct(
            actor=request.user, document=document, lead_unit=lead_units[0] if lead_units else None,
            lead_assignee=lead_people[0] if lead_people else None, cooperating_units=coop_units,
            cooperating_assignees=coop_people, information_units=info_units, information_assignees=info_people,
            instruction=request.POST.get("instruction", ""), due_days=request.POST.get("due_days") or None,
        )
    except DomainError as error:
        return _error_page(request, document, error, "direct")
    messages.success(request, "Đã phân công xử lý văn bản.")
    return redirect("documents:incoming_detail", uuid=document.uuid)


def _assignment(request, uuid) -> Assignment:
    assignment = Assignment.objects.select_related("incoming").filter(uuid=uuid).first()
    if assignment is None or not incoming_visible_to(request.user).filter(pk=assignment.incoming_id).exists():
        raise Http404("Không tìm thấy phân công.")
    return assignment


@official_required
@require_POST
def assignment_action(request, uuid, action: str):
    """Progress, opinion, re-assign or complete one assignment."""
    assignment = _assignment(request, uuid)
    document = assignment.incoming
    post = request.POST
    upload = request.FILES.get("file")
    try:
        if action in ("progress", "opinion"):
            handling.assignment_progress(actor=request.user, assignment=assignment, note=post.get("note", ""),
                                         kind=action, file=upload)
            done = "Đã ghi tiến độ." if action == "progress" else "Đã ghi ý kiến."
        elif action == "complete":
            handling.assignment_complete(actor=request.user, assignment=assignment, note=post.get("note", ""),
                                         file=upload)
            done = "Đã hoàn thành phân công."
        elif action == "reassign":
            handling.assignment_reassign(
                actor=request.user, assignment=assignment, lead_assignee=post.get("lead") or None,
                cooperating_assignees=post.getlist("cooperating"), information_assignees=post.getlist("information"),
                instruction=post.get("instruction", ""), due_days=post.get("due_days") or None)
            done = "Đã giao lại trong đơn vị."
        else:
            raise Http404("Không có thao tác này.")
    except DomainError as error:
        return _error_page(request, document, error, action, assignment)
    messages.success(request, done)
    return redirect("documents:incoming_detail", uuid=document.uuid)


@official_required
@require_GET
def incoming_file(request, uuid):
    """A file of an incoming document, after checking the reader may see the document."""
    record = DocumentFile.objects.select_related("incoming").filter(uuid=uuid, incoming__isnull=False).first()
    if record is None or not incoming_visible_to(request.user).filter(pk=record.incoming_id).exists():
        raise Http404("Không tìm thấy tệp.")
    response = FileResponse(record.file.open("rb"), content_type=record.content_type or "application/octet-stream",
                            filename=record.original_name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

