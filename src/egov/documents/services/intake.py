"""Intake of uploaded document files: the upload is checked and saved first, then four ordered steps run as
background tasks (detect the type by content, extract text, OCR a scan in Vietnamese, suggest metadata).

The upload is committed before any step runs, so a failing step never loses it: the step is marked failed
with its Vietnamese reason, the later steps stay pending, and ``intake_retry`` runs again from the failed
step. Every step overwrites what it wrote before (text, searchable copy, suggestions), so running it twice
gives the same result. Heavy work (reading, OCR) runs outside any transaction; only the short status writes
take one.
"""

import datetime as dt
import hashlib
import logging
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from egov.accounts.roles import Role
from egov.core.audit import audit_record
from egov.core.errors import DomainError, NotFound, PermissionDeniedError
from egov.directory.selectors import user_agency
from egov.documents.intake import StepError
from egov.documents.intake.detect import ALLOWED, ALLOWED_TEXT, MIME_DOCX, MIME_PDF, allowed_kind
from egov.documents.intake.extract import docx_text, image_pages, pdf_text
from egov.documents.intake.ocr import image_to_pdf, ocr_pdf
from egov.documents.intake.suggest import TypeRef, metadata_suggest
from egov.documents.models import DocumentFile, DocumentType, FileKind, IntakeStep, IntakeStepName, IntakeStepStatus

logger = logging.getLogger("egov.documents.intake")

STEP_ORDER = [IntakeStepName.DETECT_TYPE, IntakeStepName.EXTRACT_TEXT, IntakeStepName.OCR,
              IntakeStepName.SUGGEST_METADATA]
FINISHED = (IntakeStepStatus.DONE, IntakeStepStatus.SKIPPED)
INTAKE_ROLES = frozenset({Role.CLERK, Role.LEADER, Role.SPECIALIST, Role.AGENCY_ADMIN})
SUGGESTION_KEYS = ("number_notation", "number", "notation", "issued_date", "issuer_name", "type_code",
                   "type_name", "summary")


# --- who may ---------------------------------------------------------------------------------------------
def intake_agency_of(user):
    """The agency whose files ``user`` may upload and follow (an official with a document role), or None."""
    if user is None or not getattr(user, "is_authenticated", False) or getattr(user, "role", None) not in INTAKE_ROLES:
        return None
    return user_agency(user)


def intake_files_visible_to(user) -> QuerySet:
    """Files of the user's own agency: intake happens before registration, inside the receiving agency."""
    agency = intake_agency_of(user)
    if agency is None:
        return DocumentFile.objects.none()
    return DocumentFile.objects.filter(agency=agency)


def intake_file_for(*, user, file_uuid) -> DocumentFile:
    """The file if ``user`` may follow it, else 404 (existence is not revealed)."""
    try:
        key = uuid.UUID(str(file_uuid))
    except ValueError:
        key = None
    record = intake_files_visible_to(user).filter(uuid=key).first() if key else None
    if record is None:
        raise NotFound("Không tìm thấy tệp hoặc bạn không có quyền xem tệp này.", code="file_not_found")
    return record


# --- upload ----------------------------------------------------------------------------------------------
def max_upload_bytes() -> int:
    return int(getattr(settings, "DOCUMENTS_MAX_UPLOAD_MB", 50)) * 1024 * 1024


def clean_filename(name: str) -> str:
    """The last path component, NFC, without control characters, at most 255 characters."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = PureWindowsPath(PurePosixPath(text).name).name
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip().strip(".")
    return text[-255:]


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


@transaction.atomic
def file_upload(*, actor, agency, uploaded_file, kind: str = FileKind.MAIN) -> DocumentFile:
    """Check (size, real type by content), store and record an uploaded file, create its four intake steps
    and enqueue the pipeline once the upload is committed. Raises DomainError in Vietnamese, storing nothing."""
    if agency is None or intake_agency_of(actor) != agency:
        raise PermissionDeniedError("Chỉ văn thư, cán bộ của cơ quan mới được tải tệp văn bản lên cho cơ quan.")
    if kind not in FileKind.values:
        raise DomainError("file_kind_invalid", "Loại tệp không hợp lệ.")
    name = clean_filename(getattr(uploaded_file, "name", "")) or "tep-tai-len"
    size = int(getattr(uploaded_file, "size", 0) or 0)
    if size == 0:
        raise DomainError("file_empty", f"Tệp “{name}” rỗng (0 byte).")
    if size > max_upload_bytes():
        raise DomainError("file_too_large", f"Tệp “{name}” có dung lượng {_mb(size)} MB, vượt quá giới hạn "
                                            f"{max_upload_bytes() // (1024 * 1024)} MB.")
    detected, description = allowed_kind(uploaded_file)
    if detected is None:
        raise DomainError("file_type_not_allowed", f"Tệp “{name}” không được nhận: nội dung thật của tệp là "
                                                   f"{description}. Chỉ nhận tệp {ALLOWED_TEXT}.")
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    record = DocumentFile(agency=agency, kind=kind, original_name=name, content_type=detected.mime, size=size,
                          sha256=digest.hexdigest(), uploaded_by=actor)
    # Stored under an unguessable name without the sender's file name; served only after a permission check.
    try:
        record.file.save(f"{record.uuid}.{detected.extension}", uploaded_file, save=False)
    except Exception as exc:  # disk full, S3 unreachable (botocore errors): logged, and a clear message
        logger.exception("storing upload %s failed", name)
        raise DomainError("file_store_failed", f"Không lưu được tệp “{name}” vào kho lưu trữ; đề nghị thử lại sau "
                                               "hoặc báo quản trị hệ thống.", status=503) from exc
    try:
        record.save()
        IntakeStep.objects.bulk_create(
            [IntakeStep(file=record, name=step, position=index) for index, step in enumerate(STEP_ORDER, start=1)])
        audit_record(actor=actor, action="documents.file_upload", obj=record,
                     after={"name": name, "size": size, "sha256": record.sha256, "type": detected.label})
    except BaseException:
        record.file.storage.delete(record.file.name)
        raise
    _enqueue_on_commit(record, STEP_ORDER[0])
    return record


QUEUE_FAILED_MESSAGE = "Không đưa được tệp vào hàng đợi xử lý (hàng đợi tạm thời không hoạt động); hãy thử lại."


def _enqueue(file_uuid: str, step: str) -> None:
    """Queue one step; when the queue is down the step is marked failed, so 'Thử lại' can queue it again
    (a step left pending would wait for ever). The upload itself is already committed."""
    from egov.documents import tasks

    try:
        tasks.intake_step_task.enqueue(file_uuid, step)
    except Exception:
        logger.exception("enqueueing intake step %s of file %s failed", step, file_uuid)
        IntakeStep.objects.filter(file__uuid=file_uuid, name=step, status=IntakeStepStatus.PENDING).update(
            status=IntakeStepStatus.FAILED, error=QUEUE_FAILED_MESSAGE, finished_at=timezone.now())


def _enqueue_on_commit(record: DocumentFile, step: str) -> None:
    file_uuid, step_name = str(record.uuid), str(step)
    transaction.on_commit(lambda: _enqueue(file_uuid, step_name))


def stale_after() -> dt.timedelta:
    """A step still 'running' after this long was interrupted (worker killed, machine restarted)."""
    return dt.timedelta(minutes=int(getattr(settings, "DOCUMENTS_INTAKE_STALE_MINUTES", 30)))


def step_interrupted(step: IntakeStep, *, now=None) -> bool:
    return (step.status == IntakeStepStatus.RUNNING and step.started_at is not None
            and step.started_at < (now or timezone.now()) - stale_after())


@transaction.atomic
def intake_retry(*, actor, file: DocumentFile) -> IntakeStep:
    """Run the pipeline again from its failed (or interrupted) step: it and the later ones go back to pending."""
    if intake_agency_of(actor) != file.agency:
        raise PermissionDeniedError("Bạn không có quyền chạy lại các bước xử lý của tệp này.")
    steps = list(IntakeStep.objects.select_for_update().filter(file=file).order_by("position"))
    failed = next((step for step in steps if step.status == IntakeStepStatus.FAILED or step_interrupted(step)),
                  None)
    if failed is None:
        raise DomainError("intake_nothing_to_retry", "Tệp không có bước xử lý nào bị lỗi để chạy lại.",
                          status=409)
    for step in steps:
        if step.position >= failed.position:
            step.status, step.error, step.finished_at = IntakeStepStatus.PENDING, "", None
            step.save(update_fields=["status", "error", "finished_at"])
    audit_record(actor=actor, action="documents.intake_retry", obj=file,
                 before={"step": failed.name, "error": failed.error})
    _enqueue_on_commit(file, failed.name)
    return failed


# --- the steps -------------------------------------------------------------------------------------------
@dataclass
class Outcome:
    status: str = IntakeStepStatus.DONE
    result: dict = field(default_factory=dict)
    updates: dict = field(default_factory=dict)  # DocumentFile fields to write
    searchable_pdf: bytes | None = None


def _read(record: DocumentFile) -> bytes:
    try:
        with record.file.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError) as exc:
        raise StepError("Không còn tệp trong kho lưu trữ; đề nghị liên hệ quản trị hệ thống.") from exc


def _detect(record: DocumentFile) -> Outcome:
    detected, description = allowed_kind(_read(record))
    if detected is None:
        raise StepError(f"Nội dung tệp là {description}, không phải định dạng được nhận ({ALLOWED_TEXT}).")
    return Outcome(result={"mime": detected.mime, "label": detected.label}, updates={"content_type": detected.mime})


def _extract(record: DocumentFile) -> Outcome:
    if record.content_type == MIME_PDF:
        extracted, source = pdf_text(_read(record)), "pdf"
    elif record.content_type == MIME_DOCX:
        extracted, source = docx_text(_read(record)), "docx"
    else:  # an image: no text layer, OCR reads it
        pages = image_pages(_read(record))
        return Outcome(status=IntakeStepStatus.SKIPPED, result={"reason": "Ảnh không có lớp chữ.", "pages": pages},
                       updates={"text": "", "text_source": "", "page_count": pages})
    result = {"pages": extracted.pages, "chars": len(extracted.text), "usable": extracted.usable,
              "has_text_layer": extracted.has_text_layer}
    return Outcome(result=result, updates={"text": extracted.text if extracted.usable else "",
                                           "text_source": source if extracted.usable else "",
                                           "page_count": extracted.pages})


def _ocr(record: DocumentFile) -> Outcome:
    if record.text_source in ("pdf", "docx"):
        return Outcome(status=IntakeStepStatus.SKIPPED, result={"reason": "Tệp đã có lớp chữ, không cần OCR."})
    if record.content_type == MIME_DOCX:
        return Outcome(status=IntakeStepStatus.SKIPPED, result={"reason": "Tài liệu Word không có chữ để đọc."})
    data = _read(record)
    kind = ALLOWED.get(record.content_type)
    has_text_layer = False
    if kind is not None and kind.is_image:
        data = image_to_pdf(data)
    else:
        extract_step = record.intake_steps.filter(name=IntakeStepName.EXTRACT_TEXT).first()
        has_text_layer = bool(extract_step and extract_step.result.get("has_text_layer"))
    done = ocr_pdf(data, force=has_text_layer, output_type=getattr(settings, "DOCUMENTS_OCR_OUTPUT_TYPE", "pdfa"),
                   timeout=float(getattr(settings, "DOCUMENTS_OCR_TIMEOUT", 180)))
    return Outcome(result={"mode": done.mode, "pages": done.pages, "chars": len(done.text)},
                   updates={"text": done.text, "text_source": "ocr", "page_count": record.page_count or done.pages},
                   searchable_pdf=done.pdf)


def _suggest(record: DocumentFile) -> Outcome:
    if not record.text.strip():
        empty = dict.fromkeys(SUGGESTION_KEYS, "")
        return Outcome(result={"found": 0, "reason": "Không có nội dung văn bản để gợi ý."},
                       updates={"suggestions": empty})
    types = [TypeRef(t.code, t.name, t.abbreviation) for t in DocumentType.objects.all()]
    suggestions = metadata_suggest(record.text, types=types)
    found = sum(1 for key in SUGGESTION_KEYS if suggestions.get(key))
    return Outcome(result={"found": found}, updates={"suggestions": suggestions})


STEP_FUNCTIONS = {IntakeStepName.DETECT_TYPE: _detect, IntakeStepName.EXTRACT_TEXT: _extract,
                  IntakeStepName.OCR: _ocr, IntakeStepName.SUGGEST_METADATA: _suggest}


def _step_start(file_uuid: str, name: str, *, redelivered: bool) -> IntakeStep | None:
    """Mark the step running if it is due (earlier steps finished, itself not finished); else None.
    A step already running is taken over only by a re-delivered task (its worker died) or once interrupted."""
    with transaction.atomic():
        steps = list(IntakeStep.objects.select_for_update().select_related("file")
                     .filter(file__uuid=file_uuid).order_by("position"))
        step = next((s for s in steps if s.name == name), None)
        if step is None or step.status in FINISHED:
            return None
        if step.status == IntakeStepStatus.RUNNING and not (redelivered or step_interrupted(step)):
            return None
        if any(s.status not in FINISHED for s in steps if s.position < step.position):
            return None
        step.status, step.error = IntakeStepStatus.RUNNING, ""
        step.attempts += 1
        step.started_at, step.finished_at = timezone.now(), None
        step.save(update_fields=["status", "error", "attempts", "started_at", "finished_at"])
        return step


def _store_searchable(record: DocumentFile, pdf: bytes) -> None:
    if record.searchable_file:
        record.searchable_file.delete(save=False)  # a re-run replaces the copy, never piles up copies
    record.searchable_file.save(f"{record.uuid}-ocr.pdf", ContentFile(pdf), save=False)


def intake_step_run(*, file_uuid: str, name: str, redelivered: bool = False) -> IntakeStep | None:
    """Run one step of a file's pipeline (called by the task) and enqueue the next one when it finished.
    Returns the step, or None when it was not due (already done, running elsewhere, earlier step unfinished).
    ``redelivered``: the task queue runs this task again because the worker that had it died."""
    step = _step_start(file_uuid, name, redelivered=redelivered)
    if step is None:
        return None
    record = step.file
    try:
        outcome = STEP_FUNCTIONS[name](record)
    except StepError as exc:
        outcome = Outcome(status=IntakeStepStatus.FAILED, result={"error": exc.message})
    except Exception as exc:  # a bug or an outage must not leave the step "running" for ever
        logger.exception("intake step %s failed for file %s", name, file_uuid)
        outcome = Outcome(status=IntakeStepStatus.FAILED,
                          result={"error": f"Lỗi hệ thống khi xử lý ({type(exc).__name__}); có thể thử lại."})
    with transaction.atomic():
        record = DocumentFile.objects.select_for_update().get(pk=record.pk)
        fields = list(outcome.updates)
        for key, value in outcome.updates.items():
            setattr(record, key, value)
        if outcome.searchable_pdf is not None:
            _store_searchable(record, outcome.searchable_pdf)
            fields.append("searchable_file")
        if fields:
            record.save(update_fields=[*fields, "updated_at"])
        step.status = outcome.status
        step.error = outcome.result.get("error", "")[:500] if outcome.status == IntakeStepStatus.FAILED else ""
        step.result = outcome.result
        step.finished_at = timezone.now()
        step.save(update_fields=["status", "error", "result", "finished_at"])
        later = STEP_ORDER.index(name) + 1
        if step.status in FINISHED and later < len(STEP_ORDER):
            _enqueue_on_commit(record, STEP_ORDER[later])
    return step


# --- reading the progress --------------------------------------------------------------------------------
INTERRUPTED_MESSAGE = "Bước xử lý bị gián đoạn (máy chủ xử lý dừng giữa chừng); có thể thử lại."


def intake_state(record: DocumentFile) -> str:
    """``failed`` (a step failed or was interrupted), ``done`` (every step finished) or ``processing``."""
    steps = list(record.intake_steps.all())
    statuses = [step.status for step in steps]
    if IntakeStepStatus.FAILED in statuses or any(step_interrupted(step) for step in steps):
        return "failed"
    if all(status in FINISHED for status in statuses):  # no steps: stored by another area, nothing to wait for
        return "done"
    return "processing"
