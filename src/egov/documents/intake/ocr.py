"""OCR of a scan in Vietnamese with OCRmyPDF + Tesseract ``vie``.

The uploaded original is never modified: OCRmyPDF writes a new PDF/A with an invisible text layer over the
page images (the searchable copy) and a plain-text sidecar that becomes the file's text. A PDF with no text
layer is run in OCRmyPDF's default mode; a PDF whose text layer is too thin to be the document (a scanner's
stray characters, a stamp) with ``mode="force"`` (``--force-ocr``): every page is rasterised and read again.
``mode="skip"`` (``--skip-text``) is not used: OCRmyPDF refuses it with PDF/A output on Ghostscript
10.0.0–10.02.0 (Debian 12 ships 10.0.0) because those versions corrupt existing text, and our rule (OCR only
when the text layer is not usable) never needs it. Images are wrapped into a PDF first (Pillow), at their
own DPI or 300.
"""

import io
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

from egov.documents.intake import StepError
from egov.documents.intake.extract import normalize_text

DEFAULT_DPI = 300
LANGUAGE = "vie"


@dataclass(frozen=True)
class OcrResult:
    pdf: bytes  # the searchable copy (PDF/A unless ``output_type`` said otherwise)
    text: str
    pages: int
    mode: str


def image_to_pdf(data: bytes) -> bytes:
    """A PDF of the image's frames at the image's DPI (300 when it does not say), for OCRmyPDF."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            dpi = image.info.get("dpi") or (DEFAULT_DPI, DEFAULT_DPI)
            resolution = float(dpi[0]) if dpi and float(dpi[0]) >= 50 else float(DEFAULT_DPI)
            frames = [frame.convert("L" if frame.mode in ("1", "L", "LA", "I", "I;16") else "RGB")
                      for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise StepError(f"Ảnh bị hỏng hoặc quá lớn, không đọc được ({type(exc).__name__}).") from exc
    out = io.BytesIO()
    frames[0].save(out, "PDF", resolution=resolution, save_all=True, append_images=frames[1:])
    return out.getvalue()


def ocr_pdf(data: bytes, *, force: bool = False, output_type: str = "pdfa", timeout: float = 180.0) -> OcrResult:
    """OCR a PDF in Vietnamese; raises StepError with the reason when OCRmyPDF or Tesseract fails."""
    import ocrmypdf
    from ocrmypdf import exceptions as ocr_errors

    for noisy in ("ocrmypdf", "fontTools", "pikepdf", "PIL"):  # per-page and per-glyph INFO lines
        logging.getLogger(noisy).setLevel(logging.WARNING if noisy != "ocrmypdf" else logging.ERROR)
    mode = "force" if force else "default"
    with tempfile.TemporaryDirectory(prefix="egov-ocr-") as tmp:
        source, target, sidecar = Path(tmp, "in.pdf"), Path(tmp, "out.pdf"), Path(tmp, "out.txt")
        source.write_bytes(data)
        options = {"language": [LANGUAGE], "sidecar": sidecar, "output_type": output_type, "jobs": 1,
                   "use_threads": True, "optimize": 0, "progress_bar": False, "tesseract_timeout": timeout}
        try:
            try:
                ocrmypdf.ocr(source, target, mode=None if mode == "default" else mode, **options)
            except ocr_errors.PriorOcrFoundError:
                mode = "force"  # some page carries text after all: read every page again
                ocrmypdf.ocr(source, target, mode=mode, **options)
        except ocr_errors.EncryptedPdfError as exc:
            raise StepError("Tệp PDF được đặt mật khẩu, không nhận dạng ký tự được.") from exc
        except ocr_errors.DigitalSignatureError as exc:
            raise StepError("Tệp PDF có chữ ký số; không chạy OCR để không làm mất hiệu lực chữ ký.") from exc
        except ocr_errors.MissingDependencyError as exc:
            raise StepError("Máy chủ thiếu phần mềm nhận dạng ký tự (Tesseract tiếng Việt, Ghostscript); "
                            "đề nghị quản trị chạy scripts/setup-system.sh.") from exc
        except ocr_errors.ExitCodeException as exc:
            detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
            raise StepError(f"Không nhận dạng được ký tự trên tệp: {detail}") from exc
        except (OSError, ValueError, RuntimeError) as exc:
            raise StepError(f"Không nhận dạng được ký tự trên tệp ({type(exc).__name__}).") from exc
        pdf = target.read_bytes()
        text = sidecar.read_text("utf-8", errors="replace") if sidecar.exists() else ""
    # Tesseract separates pages with a form feed; OCRmyPDF writes a marker for pages it skipped.
    pages = text.count("\f") + 1 if text else 0
    text = normalize_text(text.replace("\f", "\n\n").replace("[OCR skipped on page(s)", ""))
    return OcrResult(pdf=pdf, text=text, pages=pages, mode=mode)
