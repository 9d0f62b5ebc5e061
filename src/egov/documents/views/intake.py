"""Clerks' intake pages: upload one or several files, then follow each file's steps on a page that refreshes
itself (HTMX polls the panel every 2 s while a step is pending or running and stops once every file is done
or failed), retry a failed file, and go on to register it as an incoming document with the suggestions.

Thin: uploads go through ``file_upload``, retries through ``intake_retry``; a DomainError is shown on the page.
"""

import uuid

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from egov.accounts.decorators import official_required
from egov.core.errors import DomainError, NotFound
from egov.documents.models import DocumentFile, FileKind, IntakeStepStatus
from egov.documents.services.intake import (
    INTERRUPTED_MESSAGE,
    file_upload,
    intake_agency_of,
    intake_file_for,
    intake_files_visible_to,
    intake_retry,
    intake_state,
    max_upload_bytes,
    step_interrupted,
)

MAX_FILES = 20
RECENT = 20
SUGGESTION_LABELS = (
    ("number_notation", "Số, ký hiệu"), ("issued_date_display", "Ngày văn bản"), ("issuer_name", "Cơ quan ban hành"),
    ("type_name", "Loại văn bản"), ("summary", "Trích yếu"),
)
STEP_BADGES = {
    IntakeStepStatus.PENDING: ("secondary", "hourglass"), IntakeStepStatus.RUNNING: ("info", "arrow-repeat"),
    IntakeStepStatus.DONE: ("success", "check-circle"), IntakeStepStatus.SKIPPED: ("light", "dash-circle"),
    IntakeStepStatus.FAILED: ("danger", "exclamation-triangle"),
}


def register_url(record: DocumentFile) -> str | None:
    """The incoming register form for this file, once the incoming area defines ``documents:incoming_register``."""
    try:
        return f"{reverse('documents:incoming_register')}?{urlencode({'file': str(record.uuid)})}"
    except NoReverseMatch:
        return None


def _display_date(iso: str) -> str:
    parts = (iso or "").split("-")
    return f"{parts[2]}/{parts[1]}/{parts[0]}" if len(parts) == 3 else ""


def file_card(record: DocumentFile) -> dict:
    """What the panel shows of one file: steps with badge, state, suggestions, links."""
    steps = [{"name": step.get_name_display(), "code": step.name, "status": step.status,
              "status_label": step.get_status_display(), "badge": STEP_BADGES[step.status][0],
              "icon": STEP_BADGES[step.status][1], "attempts": step.attempts,
              "error": step.error or (INTERRUPTED_MESSAGE if step_interrupted(step) else ""),
              "note": (step.result or {}).get("reason", "")} for step in record.intake_steps.all()]
    state = intake_state(record)
    suggestions = dict(record.suggestions or {})
    suggestions["issued_date_display"] = _display_date(suggestions.get("issued_date", ""))
    rows = [(label, suggestions.get(key, "")) for key, label in SUGGESTION_LABELS]
    return {"file": record, "steps": steps, "state": state, "suggestions": rows,
            "register_url": register_url(record) if state != "processing" and record.incoming_id is None
            and record.outgoing_id is None else None}


def _requested_files(request) -> list[DocumentFile]:
    keys = []
    for raw in request.GET.getlist("tep")[:MAX_FILES]:
        try:
            keys.append(uuid.UUID(raw))
        except ValueError:
            continue
    found = {f.uuid: f for f in intake_files_visible_to(request.user).filter(uuid__in=keys)
             .prefetch_related("intake_steps")}
    return [found[key] for key in keys if key in found]


def _progress_url(files) -> str:
    return f"{reverse('documents:intake_progress')}?{urlencode([('tep', str(f.uuid)) for f in files])}"


def _panel_context(request, files) -> dict:
    cards = [file_card(record) for record in files]
    return {"cards": cards, "polling": any(card["state"] == "processing" for card in cards),
            "failed_count": sum(1 for card in cards if card["state"] == "failed"),
            "panel_url": f"{reverse('documents:intake_progress_panel')}?{request.GET.urlencode()}",
            "here": _progress_url(files)}  # the page, also when the panel alone is rendered for HTMX


@official_required
@require_http_methods(["GET", "POST"])
def intake_upload(request):
    """Upload form; each file is checked and saved on its own, so one refused file does not lose the others."""
    agency = intake_agency_of(request.user)
    if agency is None:
        return render(request, "documents/intake/upload.html", {"forbidden": True}, status=403)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        uploads = request.FILES.getlist("files")
        kind = request.POST.get("kind") or FileKind.MAIN
        saved = []
        if not uploads:
            errors.append("Chưa chọn tệp nào để tải lên.")
        elif len(uploads) > MAX_FILES:
            errors.append(f"Mỗi lần tải lên tối đa {MAX_FILES} tệp.")
        else:
            for upload in uploads:
                try:
                    saved.append(file_upload(actor=request.user, agency=agency, uploaded_file=upload, kind=kind))
                except DomainError as error:
                    errors.append(error.message)
        if saved and not errors:
            messages.success(request, f"Đã tải lên {len(saved)} tệp; hệ thống đang xử lý.")
            return redirect(_progress_url(saved))
        if saved:
            messages.success(request, f"Đã tải lên {len(saved)} tệp: " + ", ".join(f.original_name for f in saved))
        status = 400
    recent = (intake_files_visible_to(request.user).filter(uploaded_by=request.user, incoming__isnull=True,
                                                             outgoing__isnull=True)
              .prefetch_related("intake_steps").order_by("-created_at")[:RECENT])
    return render(request, "documents/intake/upload.html", {
        "errors": errors, "recent": [file_card(r) for r in recent], "agency": agency,
        "max_mb": max_upload_bytes() // (1024 * 1024), "max_files": MAX_FILES,
        "kinds": [(FileKind.MAIN, FileKind.MAIN.label), (FileKind.ATTACHMENT, FileKind.ATTACHMENT.label)],
    }, status=status)


@official_required
@require_GET
def intake_progress(request):
    files = _requested_files(request)
    if not files:
        raise Http404("Không tìm thấy tệp hoặc bạn không có quyền xem tệp này.")
    return render(request, "documents/intake/progress.html", _panel_context(request, files))


@official_required
@require_GET
def intake_progress_panel(request):
    """The part of the progress page HTMX swaps in every 2 s."""
    files = _requested_files(request)
    if not files:
        raise Http404("Không tìm thấy tệp hoặc bạn không có quyền xem tệp này.")
    return render(request, "documents/intake/_panel.html", _panel_context(request, files))


@official_required
@require_POST
def intake_retry_view(request, file_uuid):
    try:
        record = intake_file_for(user=request.user, file_uuid=file_uuid)
        step = intake_retry(actor=request.user, file=record)
        messages.success(request, f"Đang chạy lại từ bước “{step.get_name_display()}” cho tệp {record.original_name}.")
    except NotFound as error:
        raise Http404(error.message) from None
    except DomainError as error:
        messages.error(request, error.message)
        record = None
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    if not back and record is not None:
        back = _progress_url([record])
    return redirect(back or reverse("documents:intake_upload"))


@official_required
@require_GET
def intake_file_download(request, file_uuid, copy: str = "original"):
    """The uploaded original, or the OCR'd searchable copy, after the permission check."""
    try:
        record = intake_file_for(user=request.user, file_uuid=file_uuid)
    except NotFound as error:
        raise Http404(error.message) from None
    stored = record.searchable_file if copy == "ocr" else record.file
    if not stored:
        raise Http404("Tệp này không có bản PDF nhận dạng ký tự.")
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("Tệp đã lưu không còn trong kho lưu trữ.") from None
    name = record.original_name if copy != "ocr" else f"{record.original_name.rsplit('.', 1)[0]}-ocr.pdf"
    content_type = "application/pdf" if copy == "ocr" else (record.content_type or "application/octet-stream")
    response = FileResponse(handle, content_type=content_type, filename=name,
                            as_attachment=content_type not in ("application/pdf", "image/png", "image/jpeg"))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
