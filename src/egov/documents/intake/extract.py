"""Text of a PDF (its text layer, with pypdf) or a DOCX (python-docx), with the page count.

A PDF whose text layer is empty or too thin to be real text (a scan, or a scan with a few stray characters)
is reported as not usable, so the OCR step runs on it.
"""

import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from egov.documents.intake import StepError

# Fewer letters than this per page on average (and in total) means the text layer is not the document.
MIN_LETTERS_PER_PAGE = 20
MIN_LETTERS = 30


@dataclass(frozen=True)
class Extracted:
    text: str
    pages: int | None
    has_text_layer: bool  # any character at all in the PDF text layer
    usable: bool  # enough real text to skip OCR


def normalize_text(text: str) -> str:
    """NFC, no control characters except newlines, no trailing spaces, at most one blank line in a row."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def text_usable(text: str, pages: int | None) -> bool:
    letters = sum(1 for ch in text if ch.isalpha())
    return letters >= MIN_LETTERS and letters >= MIN_LETTERS_PER_PAGE * max(1, pages or 1)


def pdf_text(data: bytes) -> Extracted:
    """The text layer of a PDF. Raises StepError for an encrypted or unreadable PDF."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # broken files are reported to the clerk, not logged
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (PyPdfError, NotImplementedError, ValueError):
                opened = 0
            if not opened:
                raise StepError("Tệp PDF được đặt mật khẩu, không đọc được nội dung. Đề nghị xin bản không "
                                "đặt mật khẩu từ nơi gửi.")
        pages = len(reader.pages)
        if pages == 0:
            raise StepError("Tệp PDF không có trang nào.")
        parts = [page.extract_text() or "" for page in reader.pages]
    except StepError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError,
            RecursionError, IndexError, ZeroDivisionError) as exc:
        raise StepError(f"Tệp PDF bị hỏng, không đọc được ({type(exc).__name__}). Đề nghị quét hoặc xin lại "
                        "tệp từ nơi gửi.") from exc
    text = normalize_text("\n\n".join(parts))
    return Extracted(text=text, pages=pages, has_text_layer=bool(text), usable=text_usable(text, pages))


def _docx_pages(data: bytes) -> int | None:
    """Word stores the page count it last laid out in docProps/app.xml; absent in generated files."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            app = archive.read("docProps/app.xml").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return None
    found = re.search(r"<(?:\w+:)?Pages>(\d+)</", app)
    return int(found.group(1)) if found else None


def docx_text(data: bytes) -> Extracted:
    """Paragraphs and table cells of a DOCX, in document order. Raises StepError when unreadable."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
        parts: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                parts.append(block.text)
            elif isinstance(block, Table):
                for row in block.rows:
                    seen: list[str] = []
                    for cell in row.cells:
                        if cell.text not in seen:  # merged cells repeat their text
                            seen.append(cell.text)
                    parts.append("\n".join(seen))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, AttributeError, TypeError) as exc:
        raise StepError(f"Tài liệu Word bị hỏng, không đọc được ({type(exc).__name__}).") from exc
    text = normalize_text("\n".join(parts))
    pages = _docx_pages(data)
    return Extracted(text=text, pages=pages, has_text_layer=bool(text), usable=bool(text.strip()))


def image_pages(data: bytes) -> int:
    """Frames of an image (a multi-page TIFF has several); 1 when Pillow cannot tell."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return max(1, int(getattr(image, "n_frames", 1)))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return 1
