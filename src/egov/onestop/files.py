"""Dossier files: uploads checked by content (never by name), stored at unguessable paths, served after a
permission check.

A scan named ``giay-khai-sinh.pdf`` that is really a phone photo or a renamed ``.exe`` is refused with a
message that says what the content is, so the officer can ask for the right file. Stored names are
``onestop/<dossier uuid>/<file uuid>`` with no extension: nothing about the applicant leaks into storage and
no URL can be guessed; files are only served through ``dossier_file_response`` by a view that checked the
reader may see the dossier.
"""

import functools
import hashlib
import io
import unicodedata
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

import filetype
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse

from egov.core.errors import DomainError, NotFound
from egov.onestop.models import Dossier, DossierFile
from egov.onestop.policies import dossiers_visible_to

MIME_PDF = "application/pdf"
MIME_JPEG = "image/jpeg"
MIME_PNG = "image/png"
MIME_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MIME_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class FileKind:
    label: str
    mime: str
    description: str  # what the content is, in Vietnamese, for error messages


KINDS = {
    MIME_PDF: FileKind("PDF", MIME_PDF, "tệp PDF"),
    MIME_JPEG: FileKind("JPEG", MIME_JPEG, "ảnh JPEG"),
    MIME_PNG: FileKind("PNG", MIME_PNG, "ảnh PNG"),
    MIME_DOCX: FileKind("DOCX", MIME_DOCX, "tài liệu Word (DOCX)"),
    MIME_XLSX: FileKind("XLSX", MIME_XLSX, "bảng tính Excel (XLSX)"),
}
EXTENSIONS = {"pdf": MIME_PDF, "jpg": MIME_JPEG, "jpeg": MIME_JPEG, "png": MIME_PNG, "docx": MIME_DOCX,
              "xlsx": MIME_XLSX}
ALLOWED_TEXT = "PDF, JPEG, PNG, DOCX, XLSX"
# Content descriptions of common types that are not accepted, for a message that says what was sent.
OTHER_DESCRIPTIONS = {
    "application/zip": "tệp nén ZIP",
    "application/x-rar-compressed": "tệp nén RAR",
    "application/x-7z-compressed": "tệp nén 7z",
    "application/gzip": "tệp nén GZIP",
    "application/x-msdownload": "chương trình chạy được (EXE)",
    "application/x-executable": "chương trình chạy được (ELF)",
    "application/msword": "tài liệu Word cũ (DOC)",
    "application/vnd.ms-excel": "bảng tính Excel cũ (XLS)",
    "image/gif": "ảnh GIF",
    "image/webp": "ảnh WebP",
    "image/heic": "ảnh HEIC",
    "image/heif": "ảnh HEIF",
    "image/tiff": "ảnh TIFF",
    "image/bmp": "ảnh BMP",
    "application/vnd.oasis.opendocument.text": "tài liệu OpenDocument (ODT)",
    "application/vnd.oasis.opendocument.spreadsheet": "bảng tính OpenDocument (ODS)",
}
HEADER_BYTES = 8192


@dataclass
class CheckedFile:
    """An upload that passed every check, ready to store."""

    name: str
    kind: FileKind
    size: int
    sha256: str
    source: File


def max_upload_bytes() -> int:
    return int(getattr(settings, "ONESTOP_MAX_UPLOAD_MB", 20)) * 1024 * 1024


def clean_filename(name: str) -> str:
    """The last path component, NFC, without control characters, at most 255 characters (extension kept)."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = PureWindowsPath(PurePosixPath(text).name).name
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if len(text) > 255:
        stem, dot, ext = text.rpartition(".")
        text = (stem[: 254 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else text[:255]
    return text


def _extension(name: str) -> str:
    _, dot, ext = name.rpartition(".")
    return ext.lower() if dot else ""


def _format_mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def _ooxml_kind(source: File) -> str | None:
    """Word and Excel files are ZIP archives; look inside when the header scan was not conclusive."""
    try:
        source.seek(0)
        with zipfile.ZipFile(source) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        source.seek(0)
    if "[Content_Types].xml" not in names:
        return "application/zip"
    if "word/document.xml" in names:
        return MIME_DOCX
    if "xl/workbook.xml" in names:
        return MIME_XLSX
    return "application/zip"


def detect_content(source: File) -> str | None:
    """The MIME type of the content, from its bytes; None when unknown."""
    source.seek(0)
    head = source.read(HEADER_BYTES)
    source.seek(0)
    if isinstance(head, str):
        head = head.encode("utf-8")
    guess = filetype.guess_mime(head) if head else None
    if guess in (MIME_DOCX, MIME_XLSX, "application/zip") or (guess is None and head.startswith(b"PK\x03\x04")):
        return _ooxml_kind(source) or guess
    if guess is None and head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "text/plain"
    return guess


def describe_content(mime: str | None) -> str:
    if mime is None:
        return "không xác định được"
    if mime in KINDS:
        return KINDS[mime].description
    if mime == "text/plain":
        return "văn bản thuần"
    return OTHER_DESCRIPTIONS.get(mime, f"định dạng {mime}")


def _size_of(source: File) -> int:
    size = getattr(source, "size", None)
    if size is None:
        source.seek(0, io.SEEK_END)
        size = source.tell()
        source.seek(0)
    return int(size)


def upload_check(upload: File, *, name: str | None = None) -> CheckedFile:
    """Check one upload: allowed extension, size limit, content matching the extension; hash it.

    Raises DomainError (400) with a Vietnamese message naming the file."""
    filename = clean_filename(name if name is not None else getattr(upload, "name", ""))
    if not filename:
        raise DomainError("file_name_missing", "Tệp tải lên không có tên.")
    expected = EXTENSIONS.get(_extension(filename))
    if expected is None:
        raise DomainError(
            "file_type_not_allowed",
            f"Tệp “{filename}” có định dạng không được chấp nhận. Chỉ nhận tệp {ALLOWED_TEXT}.",
        )
    size = _size_of(upload)
    if size == 0:
        raise DomainError("file_empty", f"Tệp “{filename}” rỗng (0 byte).")
    limit = max_upload_bytes()
    if size > limit:
        raise DomainError(
            "file_too_large",
            f"Tệp “{filename}” có dung lượng {_format_mb(size)} MB, vượt quá giới hạn "
            f"{limit // (1024 * 1024)} MB.",
        )
    actual = detect_content(upload)
    kind = KINDS[expected]
    if actual != expected:
        raise DomainError(
            "file_content_mismatch",
            f"Tệp “{filename}” không phải là {kind.description} thật (nội dung là {describe_content(actual)}).",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(1 << 20), b""):
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(name=filename, kind=kind, size=size, sha256=digest.hexdigest(), source=upload)


def uploads_check(uploads) -> list[CheckedFile]:
    return [upload_check(upload) for upload in uploads]


def checked_from_bytes(content: bytes, *, name: str, mime: str) -> CheckedFile:
    """A file the platform generated itself (a form PDF): no content sniffing needed."""
    kind = KINDS.get(mime) or FileKind(mime, mime, mime)
    return CheckedFile(name=name, kind=kind, size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                       source=ContentFile(content, name=name))


# --- storing, with clean-up when the surrounding work fails ----------------------------------------
_stored: ContextVar[list[str] | None] = ContextVar("onestop_stored_files", default=None)


@contextmanager
def delete_stored_files_on_error() -> Iterator[None]:
    """Storage is not transactional: remove what was written if the database work fails, so a refused or
    rolled-back reception leaves no orphan scans behind."""
    if _stored.get() is not None:
        yield
        return
    names: list[str] = []
    token = _stored.set(names)
    try:
        yield
    except BaseException:
        for stored_name in names:
            default_storage.delete(stored_name)
        raise
    finally:
        _stored.reset(token)


def atomic_with_files(func):
    """Decorate a service: one transaction, with the files stored during it removed again if it fails,
    commit included. Used by every service that stores uploads (counter reception, online submission)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with delete_stored_files_on_error(), transaction.atomic():
            return func(*args, **kwargs)

    return wrapper


def dossier_file_store(*, dossier, checked: CheckedFile, role: str, actor=None, required_paper=None,
                       title: str = "", form_code: str = "") -> DossierFile:
    """Save the content through Django storage and record it; the caller holds the transaction."""
    record = DossierFile(
        dossier=dossier, role=role, required_paper=required_paper, title=(title or checked.name)[:500],
        original_name=checked.name, content_type=checked.kind.mime, size=checked.size, sha256=checked.sha256,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None, form_code=form_code,
    )
    checked.source.seek(0)
    record.file.save(checked.name, checked.source, save=False)
    names = _stored.get()
    if names is not None:
        names.append(record.file.name)
    record.save()
    return record


# --- reading ---------------------------------------------------------------------------------------
def dossier_file_for(*, user, file_uuid) -> DossierFile:
    """The file if ``user`` may see its dossier; otherwise 404, so existence is not revealed."""
    try:
        key = uuid.UUID(str(file_uuid))
    except ValueError:
        key = None
    record = DossierFile.objects.select_related("dossier").filter(uuid=key).first() if key else None
    if record is None or not dossiers_visible_to(user, Dossier.objects.filter(pk=record.dossier_id)).exists():
        raise NotFound("Không tìm thấy tệp hoặc bạn không có quyền xem tệp này.", code="file_not_found")
    return record


INLINE_TYPES = frozenset({MIME_PDF, MIME_JPEG, MIME_PNG})


def dossier_file_response(record: DossierFile, *, download: bool = False) -> FileResponse:
    """Stream a stored file with its checked type; PDFs and images open in the browser unless ``download``."""
    try:
        handle = record.file.open("rb")
    except (FileNotFoundError, OSError):
        raise NotFound("Tệp đã lưu không còn trong kho lưu trữ; đề nghị liên hệ quản trị.",
                       code="file_missing") from None
    response = FileResponse(
        handle, content_type=record.content_type,
        as_attachment=download or record.content_type not in INLINE_TYPES, filename=record.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
