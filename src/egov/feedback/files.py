"""Attachments of feedback: PDF, JPEG or PNG checked by content (``filetype``, through the one-stop checker),
size-limited, stored at unguessable paths, and removed again when the surrounding transaction fails.

Follows ``egov.onestop.files.atomic_with_files``: storage is not transactional, so the names written during a
submission are remembered and deleted if the database work (commit included) fails.
"""

import functools
import hashlib
import io
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import transaction

from egov.core.errors import DomainError
from egov.feedback.conf import MAX_FILES, max_file_bytes
from egov.onestop.files import clean_filename, describe_content, detect_content

ALLOWED = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}
DESCRIPTIONS = {"application/pdf": "tệp PDF", "image/jpeg": "ảnh JPEG", "image/png": "ảnh PNG"}


@dataclass
class CheckedAttachment:
    name: str
    mime: str
    size: int
    sha256: str
    source: object


def _size(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    return int(size)


def attachment_check(upload) -> CheckedAttachment:
    """Raise DomainError (Vietnamese, naming the file) unless the upload is a real PDF/JPEG/PNG within the limit."""
    name = clean_filename(getattr(upload, "name", "")) or "tep-dinh-kem"
    _, dot, ext = name.rpartition(".")
    expected = ALLOWED.get(ext.lower()) if dot else None
    if expected is None:
        raise DomainError("file_type_not_allowed",
                          f"Tệp “{name}” có định dạng không được chấp nhận. Chỉ nhận tệp PDF, JPEG, PNG.")
    size = _size(upload)
    if size == 0:
        raise DomainError("file_empty", f"Tệp “{name}” rỗng (0 byte).")
    limit = max_file_bytes()
    if size > limit:
        shown = f"{size / (1024 * 1024):.1f}".replace(".", ",")
        raise DomainError("file_too_large", f"Tệp “{name}” có dung lượng {shown} MB, vượt quá giới hạn "
                                            f"{limit // (1024 * 1024)} MB cho mỗi tệp.")
    actual = detect_content(upload)
    if actual != expected:
        raise DomainError("file_content_mismatch", f"Tệp “{name}” không phải là {DESCRIPTIONS[expected]} thật "
                                                   f"(nội dung là {describe_content(actual)}).")
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1 << 20), b""):
        digest.update(chunk)
    upload.seek(0)
    return CheckedAttachment(name=name, mime=expected, size=size, sha256=digest.hexdigest(), source=upload)


def attachments_check(uploads) -> list[CheckedAttachment]:
    uploads = [u for u in uploads or [] if u is not None]
    if len(uploads) > MAX_FILES:
        raise DomainError("too_many_files", f"Chỉ được đính kèm tối đa {MAX_FILES} tệp.")
    return [attachment_check(upload) for upload in uploads]


_stored: ContextVar[list[str] | None] = ContextVar("feedback_stored_files", default=None)


@contextmanager
def _delete_stored_on_error() -> Iterator[None]:
    if _stored.get() is not None:
        yield
        return
    names: list[str] = []
    token = _stored.set(names)
    try:
        yield
    except BaseException:
        for name in names:
            default_storage.delete(name)
        raise
    finally:
        _stored.reset(token)


def atomic_with_files(func):
    """One transaction; files stored during it are deleted again if it fails (commit included)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with _delete_stored_on_error(), transaction.atomic():
            return func(*args, **kwargs)

    return wrapper


def attachment_store(*, feedback, checked: CheckedAttachment):
    from egov.feedback.models import FeedbackAttachment

    checked.source.seek(0)
    stored = default_storage.save(f"feedback/{feedback.uuid}/{uuid.uuid4()}", checked.source)
    names = _stored.get()
    if names is not None:
        names.append(stored)
    record = FeedbackAttachment(feedback=feedback, name=checked.name, mime=checked.mime, size=checked.size,
                                sha256=checked.sha256)
    record.file.name = stored
    record.save()
    return record
