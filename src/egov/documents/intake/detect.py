"""What an upload really is, from its bytes (never its name): PDF, DOCX, PNG, JPEG or TIFF are accepted.

A renamed ``.exe`` or a ZIP called ``.docx`` is refused with a message that says what the content is, so the
clerk can ask the sender for the right file.
"""

import io
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

import filetype

MIME_PDF = "application/pdf"
MIME_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MIME_PNG = "image/png"
MIME_JPEG = "image/jpeg"
MIME_TIFF = "image/tiff"


@dataclass(frozen=True)
class Kind:
    mime: str
    label: str
    extension: str
    description: str  # Vietnamese, for messages
    is_image: bool = False


ALLOWED: dict[str, Kind] = {
    MIME_PDF: Kind(MIME_PDF, "PDF", "pdf", "tệp PDF"),
    MIME_DOCX: Kind(MIME_DOCX, "DOCX", "docx", "tài liệu Word (DOCX)"),
    MIME_PNG: Kind(MIME_PNG, "PNG", "png", "ảnh PNG", is_image=True),
    MIME_JPEG: Kind(MIME_JPEG, "JPEG", "jpg", "ảnh JPEG", is_image=True),
    MIME_TIFF: Kind(MIME_TIFF, "TIFF", "tif", "ảnh TIFF", is_image=True),
}
ALLOWED_TEXT = "PDF, DOCX, PNG, JPEG, TIFF"
OTHER_DESCRIPTIONS = {
    "application/zip": "tệp nén ZIP",
    "application/x-rar-compressed": "tệp nén RAR",
    "application/x-7z-compressed": "tệp nén 7z",
    "application/gzip": "tệp nén GZIP",
    "application/x-msdownload": "chương trình chạy được (EXE)",
    "application/x-executable": "chương trình chạy được (ELF)",
    "application/msword": "tài liệu Word cũ (DOC)",
    "application/vnd.ms-excel": "bảng tính Excel cũ (XLS)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "bảng tính Excel (XLSX)",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "bản trình chiếu (PPTX)",
    "image/gif": "ảnh GIF",
    "image/webp": "ảnh WebP",
    "image/heic": "ảnh HEIC",
    "image/bmp": "ảnh BMP",
    "application/vnd.oasis.opendocument.text": "tài liệu OpenDocument (ODT)",
    "text/plain": "văn bản thuần",
}
HEADER_BYTES = 8192


def _ooxml_kind(source: bytes | BinaryIO) -> str:
    """Word files are ZIP archives: look inside for ``word/document.xml``."""
    handle = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    try:
        handle.seek(0)
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "application/zip"
    finally:
        handle.seek(0)
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return MIME_DOCX
        if "xl/workbook.xml" in names:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if "ppt/presentation.xml" in names:
            return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    return "application/zip"


def _head(source: bytes | BinaryIO) -> bytes:
    if isinstance(source, bytes | bytearray):
        return bytes(source[:HEADER_BYTES])
    source.seek(0)
    head = source.read(HEADER_BYTES)
    source.seek(0)
    return head


def content_mime(source: bytes | BinaryIO) -> str | None:
    """The MIME type of ``source`` (bytes or a seekable binary file) from its bytes; None when unknown."""
    head = _head(source)
    if not head:
        return None
    guess = filetype.guess_mime(head)
    if guess in (MIME_DOCX, "application/zip") or (guess is None and head.startswith(b"PK\x03\x04")):
        return _ooxml_kind(source)
    if guess is None:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "text/plain"
    return guess


def describe(mime: str | None) -> str:
    if mime is None:
        return "không xác định được"
    if mime in ALLOWED:
        return ALLOWED[mime].description
    return OTHER_DESCRIPTIONS.get(mime, f"định dạng {mime}")


def allowed_kind(source: bytes | BinaryIO) -> tuple[Kind | None, str]:
    """The accepted kind of ``source`` (or None) and a Vietnamese description of what it is."""
    mime = content_mime(source)
    return ALLOWED.get(mime or ""), describe(mime)
