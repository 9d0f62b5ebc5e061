"""PAdES signing and verification of PDF files: pure functions over bytes (no Django models).

Signing always writes an incremental update (earlier signatures stay valid) with subfilter
ETSI.CAdES.detached and a visible appearance in Vietnamese (a TrueType font is embedded, pyHanko's
default font has no Vietnamese diacritics). Layouts follow SPEC §3.7 (NĐ 30/2020 Phụ lục I):
the signer's box (blue signature image between position and name, signing time), the agency's box
(red seal overlapping about a third of the signer's box on the left, agency name, time) and the
attachment mark (top right of page 1, no image, number/notation and time, small font).

Verification (`pdf_signatures`) never raises on a bad PDF: it returns one SignatureInfo whose
``error`` says, in Vietnamese, why the file could not be read.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization

logger = logging.getLogger(__name__)
# fontTools logs each table it subsets (dozens of INFO lines per signature) and pyHanko logs a WARNING with a
# traceback for every signature whose chain is unknown: both are normal outcomes here, reported on the page.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)
logging.getLogger("pyhanko.sign.validation.generic_cms").setLevel(logging.ERROR)

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TIME_FORMAT = "%d/%m/%Y %H:%M:%S %z"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)
TIMES_CANDIDATES = (
    "/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
)
BLUE = (0.0, 0.2, 0.7)
RED = (0.8, 0.0, 0.0)
# A person's box and an attachment mark, in PDF points (1/72 inch); A4 is 595 x 842.
PERSON_BOX_SIZE = (200.0, 110.0)
ATTACHMENT_BOX_SIZE = (230.0, 42.0)


class SigningError(Exception):
    """The PDF cannot be signed (unreadable, encrypted, bad page or box); ``message`` is Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class SignatureInfo:
    """What a reader needs to know about one signature of a PDF (or why the file could not be read)."""

    field_name: str = ""
    signer: str = ""
    issuer: str = ""
    signing_time: datetime | None = None
    intact: bool = False
    covers_whole_document: bool = False
    modified_after_signing: bool = True
    trusted: bool = False
    valid_at_signing_time: bool = False
    reason: str = ""
    location: str = ""
    serial: str = ""
    error: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (not self.error and self.intact and not self.modified_after_signing and self.trusted
                and self.valid_at_signing_time)

    @property
    def summary(self) -> str:
        """One Vietnamese line for lists and logs."""
        if self.error:
            return self.error
        when = self.signing_time.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M") if self.signing_time else "?"
        if self.ok:
            return f"Chữ ký hợp lệ của {self.signer}, ký lúc {when}."
        return f"Chữ ký của {self.signer} (ký lúc {when}) không hợp lệ: {'; '.join(self.problems)}."


# --- keys and certificates -------------------------------------------------------------------------


def load_pem_certificates(data: bytes | str) -> list[x509.Certificate]:
    """All certificates of a PEM bundle (empty list for empty input)."""
    if isinstance(data, str):
        data = data.encode()
    if not data.strip():
        return []
    return x509.load_pem_x509_certificates(data)


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _asn1_key(key) -> asn1_keys.PrivateKeyInfo:
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return asn1_keys.PrivateKeyInfo.load(der)


def common_name(name: x509.Name) -> str:
    """The CN of a name, else its whole RFC 4514 string."""
    attrs = name.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(attrs[0].value) if attrs else name.rfc4514_string()


def new_key():
    """A fresh EC P-256 key: fast to make, accepted by PAdES validators."""
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP256R1())


def _name(cn: str, org: str = "", country: str = "VN") -> x509.Name:
    attrs = [x509.NameAttribute(x509.NameOID.COUNTRY_NAME, country)]
    if org:
        attrs.append(x509.NameAttribute(x509.NameOID.ORGANIZATION_NAME, org))
    attrs.append(x509.NameAttribute(x509.NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def make_root(cn: str, *, org: str = "", key=None, not_before: datetime | None = None,
              not_after: datetime | None = None) -> tuple[object, x509.Certificate]:
    """A self-signed root CA (demo and tests; production roots come from VGCA or a public CA)."""
    from datetime import UTC, timedelta

    from cryptography.hazmat.primitives import hashes

    key = key or new_key()
    start = not_before or datetime.now(UTC) - timedelta(days=1)
    end = not_after or start + timedelta(days=3650)
    subject = _name(cn, org)
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(start).not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def issue_certificate(*, ca_key, ca_cert: x509.Certificate, cn: str, org: str = "", key=None,
                      not_before: datetime | None = None, not_after: datetime | None = None,
                      non_repudiation: bool = True) -> tuple[object, x509.Certificate]:
    """An end-entity signing certificate issued by ``ca_cert`` (non-repudiation + digital signature)."""
    from datetime import UTC, timedelta

    from cryptography.hazmat.primitives import hashes

    key = key or new_key()
    start = not_before or datetime.now(UTC) - timedelta(days=1)
    end = not_after or start + timedelta(days=3 * 365)
    cert = (
        x509.CertificateBuilder().subject_name(_name(cn, org)).issuer_name(ca_cert.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=non_repudiation,
                                     key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def cert_pem(*certs: x509.Certificate) -> str:
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in certs)


# --- appearance ------------------------------------------------------------------------------------


def _first_existing(paths: tuple[str, ...]) -> str:
    for candidate in paths:
        if Path(candidate).is_file():
            return candidate
    raise SigningError("Máy chủ thiếu phông chữ tiếng Việt (fonts-noto-core) để tạo hình chữ ký.")


# Latin, Vietnamese (Latin Extended Additional, combining marks), punctuation, đồng and euro signs.
VIETNAMESE_UNICODES = [*range(0x20, 0x250), *range(0x300, 0x370), *range(0x1E00, 0x1F00), *range(0x2000, 0x2070),
                       0x20AB, 0x20AC]


@lru_cache(maxsize=4)
def _font_file(serif: bool) -> str:
    """The system font cut down once per process to Latin + Vietnamese (a quarter of its size), because
    pyHanko subsets the whole font again at every signature (about a second for NotoSans, 0.2 s cut down)."""
    import os
    import tempfile

    from fontTools import subset
    from fontTools.ttLib import TTFont

    source = _first_existing(TIMES_CANDIDATES if serif else FONT_CANDIDATES)
    folder = Path(tempfile.gettempdir()) / f"egov-fonts-{os.getuid()}"
    target = folder / f"{Path(source).stem}-vi.ttf"
    if target.is_file() and target.stat().st_mtime >= Path(source).stat().st_mtime:
        return str(target)
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.hinting = False
        font = TTFont(source)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=VIETNAMESE_UNICODES)
        subsetter.subset(font)
        partial = folder / f"{target.name}.{os.getpid()}.tmp"
        font.save(str(partial))
        os.replace(partial, target)
    except Exception:  # noqa: BLE001 - the full font still works, only slower
        logger.warning("font cut-down failed, using %s", source, exc_info=True)
        return source
    return str(target)


@lru_cache(maxsize=8)
def _font(size: int, serif: bool = False):
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory

    return GlyphAccumulatorFactory(_font_file(serif), font_size=size)


def _image(png: bytes, color: tuple[float, float, float]):
    """The PNG recoloured to one ink (blue signature, red seal) keeping its transparency."""
    from PIL import Image

    try:
        img = Image.open(io.BytesIO(png))
        img.load()
    except Exception as exc:  # noqa: BLE001 - any undecodable image is a signing error
        raise SigningError("Ảnh chữ ký hoặc con dấu không đọc được (cần tệp PNG).") from exc
    rgba = img.convert("RGBA")
    alpha = rgba.getchannel("A")
    if alpha.getextrema() == (255, 255):
        # No transparency: treat light pixels as background.
        alpha = rgba.convert("L").point(lambda v: 255 - v)
    ink = Image.new("RGBA", rgba.size, tuple(int(c * 255) for c in color) + (255,))
    ink.putalpha(alpha)
    return ink


def _stamp_style(*, mode: str, stamp_image: bytes | None, box_height: float):
    """pyHanko style of one appearance: text and optional image placed as SPEC §3.7 describes."""
    from pyhanko.pdf_utils import images, layout
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    rule, align, scale = layout.SimpleBoxLayoutRule, layout.AxisAlignment, layout.InnerScaling.SHRINK_TO_FIT
    if mode == "attachment":
        # Times New Roman (or a metric-compatible serif) size 10, no image, top right of page 1.
        return TextStampStyle(
            stamp_text="%(text)s", border_width=0,
            text_box_style=TextBoxStyle(font=_font(10, serif=True), text_color=RED, leading=12),
            inner_content_layout=rule(x_align=align.ALIGN_MIN, y_align=align.ALIGN_MAX,
                                      margins=layout.Margins(2, 2, 2, 2), inner_content_scaling=scale))
    color = BLUE if mode == "person" else RED
    background = images.PdfImage(_image(stamp_image, color)) if stamp_image else None
    if mode == "person":
        # Position on top, the signature image between, name and signing time below (ô 7c).
        band = box_height * 0.22
        background_layout = rule(x_align=align.ALIGN_MID, y_align=align.ALIGN_MID, inner_content_scaling=scale,
                                 margins=layout.Margins(4, 4, int(band), int(band)))
        text_layout = rule(x_align=align.ALIGN_MID, y_align=align.ALIGN_MID, inner_content_scaling=scale,
                           margins=layout.Margins(2, 2, 2, 2))
        text_style = TextBoxStyle(font=_font(8), text_color=color, leading=10)
    else:
        # The seal at the right edge of the box, i.e. over the left third of the signer's box (ô 8);
        # agency name and time at the bottom left, small.
        background_layout = rule(x_align=align.ALIGN_MAX, y_align=align.ALIGN_MID, inner_content_scaling=scale,
                                 margins=layout.Margins(0, 0, 2, 2))
        text_layout = rule(x_align=align.ALIGN_MIN, y_align=align.ALIGN_MIN, inner_content_scaling=scale,
                           margins=layout.Margins(0, int(box_height * 0.75) if background else 0, 2, 2))
        text_style = TextBoxStyle(font=_font(7), text_color=color, leading=8)
    return TextStampStyle(stamp_text="%(text)s", text_box_style=text_style, border_width=0, background=background,
                          background_opacity=1.0, background_layout=background_layout,
                          inner_content_layout=text_layout)


def wrap_lines(text: str, width: int) -> str:
    """Break long lines at spaces so that a narrow box needs no shrinking."""
    import textwrap

    return "\n".join(textwrap.fill(line, width) if line else "" for line in text.split("\n"))


# --- signing ---------------------------------------------------------------------------------------


def _reader_writer(pdf: bytes):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    if not pdf or not pdf.lstrip()[:5] == b"%PDF-":
        raise SigningError("Tệp không phải là tệp PDF.")
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except Exception as exc:  # noqa: BLE001 - pyHanko raises many kinds for broken files
        raise SigningError("Tệp PDF bị hỏng, không đọc được để ký.") from exc
    if writer.prev.encrypted:
        raise SigningError("Tệp PDF được mã hóa, không ký được.")
    return writer


def _pages(reader) -> list[tuple[object, tuple[float, float, float, float]]]:
    """Page references in order with their (possibly inherited) media boxes: one walk of the page tree
    (pyHanko's per-index lookup walks the tree again for each page, quadratic on long documents)."""
    from pyhanko.pdf_utils import generic

    result, seen = [], set()

    def walk(ref, inherited, depth):
        if depth > 64 or not isinstance(ref, generic.IndirectObject) or (ref.idnum, ref.generation) in seen:
            raise SigningError("Cây trang của tệp PDF không hợp lệ.")
        seen.add((ref.idnum, ref.generation))
        node = ref.get_object()
        box = node.get("/MediaBox", inherited)
        if "/Kids" in node:
            kids = node["/Kids"]
            for ix in range(len(kids)):
                walk(kids.raw_get(ix), box, depth + 1)
        else:
            result.append((ref, tuple(float(v) for v in (box or (0, 0, 595, 842)))))

    walk(reader.root.raw_get("/Pages"), None, 0)
    return result


def _layout(writer) -> tuple[list, list]:
    """(media boxes by page, visible signature fields as (name, page index, rect)) of an opened PDF."""
    from pyhanko.sign.fields import enumerate_sig_fields

    try:
        pages = _pages(writer.prev)
    except SigningError:
        raise
    except Exception as exc:  # noqa: BLE001 - pyHanko raises many kinds for broken files
        raise SigningError("Tệp PDF bị hỏng, không đọc được trang để ký.") from exc
    index = {(ref.idnum, ref.generation): ix for ix, (ref, _box) in enumerate(pages)}
    found = []
    try:
        for name, _value, field_ref in enumerate_sig_fields(writer.prev, filled_status=None):
            widget = field_ref.get_object()
            rect = widget.get("/Rect")
            if rect is None:
                continue
            box = tuple(float(v) for v in rect)
            if box[2] - box[0] <= 0 or box[3] - box[1] <= 0:
                continue
            page_ref = widget.raw_get("/P") if "/P" in widget else None
            page_ix = index.get((page_ref.idnum, page_ref.generation), 0) if page_ref is not None else 0
            found.append((name, page_ix, box))
    except Exception:  # noqa: BLE001 - a field we cannot read simply has no known box
        logger.info("signature field boxes unreadable", exc_info=True)
    return [box for _ref, box in pages], found


def page_info(pdf: bytes) -> tuple[int, list[tuple[float, float, float, float]]]:
    """(page count, media boxes) of a PDF: used to place a box; raises SigningError if unreadable."""
    boxes, _fields = _layout(_reader_writer(pdf))
    return len(boxes), boxes


def signature_boxes(pdf: bytes) -> list[tuple[str, int, tuple[float, float, float, float]]]:
    """(field name, page index, rectangle) of the visible signature fields already in the PDF, in order."""
    try:
        return _layout(_reader_writer(pdf))[1]
    except SigningError:
        return []


def format_time(moment: datetime) -> str:
    """Signing time as shown in the stamp: Vietnamese time zone, ISO 8601 offset (SPEC §3.7)."""
    return moment.astimezone(VN_TZ).strftime(TIME_FORMAT)


def sign_pdf(pdf: bytes, *, key, cert: x509.Certificate, chain: list[x509.Certificate] = (), field_name: str,
             box: tuple[float, float, float, float], page: int = 0, stamp_text: str,
             stamp_image: bytes | None = None, reason: str = "", location: str = "",
             mode: str = "person", signing_time: datetime | None = None) -> bytes:
    """Sign ``pdf`` with a visible PAdES signature and return the new bytes (an incremental update).

    ``page`` is 0-based (-1 is the last page). ``stamp_text`` may contain ``{time}`` (the signing time in
    Vietnamese time). ``mode`` chooses the appearance: "person" (blue), "agency" (red) or "attachment".
    """
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    if mode not in ("person", "agency", "attachment"):
        raise ValueError(mode)
    writer = _reader_writer(pdf)
    boxes, fields_found = _layout(writer)
    count = len(boxes)
    if page < 0:
        page = count + page
    if not 0 <= page < count:
        raise SigningError(f"Trang {page + 1} không có trong tệp PDF ({count} trang).")
    x1, y1, x2, y2 = box
    if x2 - x1 < 10 or y2 - y1 < 10:
        raise SigningError("Vị trí chữ ký không hợp lệ.")
    if field_name in {name for name, _p, _b in fields_found}:
        raise SigningError(f"Tệp đã có ô chữ ký tên {field_name}.")
    moment = signing_time or datetime.now(tz=VN_TZ)
    text = stamp_text.replace("{time}", format_time(moment))
    signer = signers.SimpleSigner(
        signing_cert=_asn1_cert(cert), signing_key=_asn1_key(key),
        cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(c) for c in chain]),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, reason=reason or None, location=location or None,
        subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
    )
    pdf_signer = signers.PdfSigner(
        meta, signer=signer, stamp_style=_stamp_style(mode=mode, stamp_image=stamp_image, box_height=y2 - y1),
        new_field_spec=fields.SigFieldSpec(sig_field_name=field_name, on_page=page,
                                           box=(int(x1), int(y1), int(x2), int(y2))),
    )
    out = io.BytesIO()
    try:
        pdf_signer.sign_pdf(writer, output=out, appearance_text_params={"text": text.replace("%", "%%")})
    except SigningError:
        raise
    except Exception as exc:  # noqa: BLE001 - report any pyHanko failure as a signing error
        logger.warning("PDF signing failed", exc_info=True)
        raise SigningError("Không ký được tệp PDF này.") from exc
    return out.getvalue()


def person_box(media_box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """Default place of the competent person's signature: bottom right of the page (ô 7c)."""
    _x0, y0, x1, _y1 = media_box
    w, h = PERSON_BOX_SIZE
    return (x1 - 60 - w, y0 + 90, x1 - 60, y0 + 90 + h)


def agency_box(person: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The seal's box: same height as the signer's, covering about 1/3 of it on the left (ô 8)."""
    px1, py1, px2, py2 = person
    width = px2 - px1
    overlap = width / 3
    return (px1 + overlap - width, py1, px1 + overlap, py2)


def attachment_box(media_box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """Top right of the first page, for attachments in separate files and electronic copies."""
    _x0, _y0, x1, y1 = media_box
    w, h = ATTACHMENT_BOX_SIZE
    return (x1 - 20 - w, y1 - 15 - h, x1 - 20, y1 - 15)


# --- verification ----------------------------------------------------------------------------------


def _fail(message: str) -> list[SignatureInfo]:
    return [SignatureInfo(error=message, modified_after_signing=False)]


def pdf_signatures(pdf: bytes, *, trust_roots: list[x509.Certificate]) -> list[SignatureInfo]:
    """Every signature of ``pdf`` with its checks, oldest first; never raises on a bad file.

    Trust is judged at the signing time the signer reported (no time-stamping authority is used yet),
    so a certificate that expired later still verifies, and one already expired when used does not.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader

    if not pdf or pdf.lstrip()[:5] != b"%PDF-":
        return _fail("Tệp không phải là tệp PDF nên không có chữ ký số PAdES.")
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        if reader.encrypted:
            return _fail("Tệp PDF được mã hóa bằng mật khẩu, không kiểm tra được chữ ký số.")
        embedded = list(reader.embedded_signatures)
    except Exception:  # noqa: BLE001 - any parse failure is reported, not raised
        logger.info("unreadable PDF in signature check", exc_info=True)
        return _fail("Tệp PDF bị hỏng, không đọc được chữ ký số.")
    roots = [_asn1_cert(c) for c in trust_roots]
    # Bytes after the last %%EOF belong to no revision: someone wrote to the file after the last signature.
    trailing = not pdf.rstrip(b"\r\n\x00 ").endswith(b"%%EOF")
    result = []
    for sig in embedded:
        try:
            result.append(_check(sig, roots, trailing=trailing))
        except Exception:  # noqa: BLE001
            logger.info("signature check failed", exc_info=True)
            result.append(SignatureInfo(field_name=str(sig.field_name),
                                        error=f"Không kiểm tra được chữ ký {sig.field_name}: dữ liệu chữ ký hỏng.",
                                        problems=["dữ liệu chữ ký hỏng"]))
    return result


def _trust_problem(indication, *, has_roots: bool) -> str:
    """Vietnamese reason why the certificate is not accepted, from the AdES sub-indication."""
    name = getattr(indication, "name", "") or ""
    if not has_roots or name in ("", "NO_CERTIFICATE_CHAIN_FOUND", "CERTIFICATE_CHAIN_GENERAL_FAILURE"):
        return "chứng thư số không do tổ chức chứng thực tin cậy cấp"
    if name.startswith("REVOKED"):
        return "chứng thư số đã bị thu hồi"
    if name in ("EXPIRED", "NOT_YET_VALID", "OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED"):
        return "chứng thư số hoặc chứng thư của tổ chức cấp không có hiệu lực tại thời điểm ký"
    return "chứng thư số không dùng được để ký số (mục đích sử dụng khóa hoặc ràng buộc của chuỗi chứng thư)"


def _check(sig, roots, *, trailing: bool) -> SignatureInfo:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    info = SignatureInfo(field_name=str(sig.field_name))
    sig_obj = sig.sig_object
    info.reason = str(sig_obj.get("/Reason", "") or "")
    info.location = str(sig_obj.get("/Location", "") or "")
    cert = sig.signer_cert
    crypto_cert = x509.load_der_x509_certificate(cert.dump())
    info.signer = common_name(crypto_cert.subject)
    info.issuer = common_name(crypto_cert.issuer)
    info.serial = format(crypto_cert.serial_number, "X")
    moment = sig.self_reported_timestamp
    info.signing_time = moment
    if moment is not None:
        info.valid_at_signing_time = crypto_cert.not_valid_before_utc <= moment <= crypto_cert.not_valid_after_utc
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail",
                                moment=moment)
    # Signing certificates carry nonRepudiation, digitalSignature or both (VGCA and public CAs differ).
    usage = KeyUsageConstraints(key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False)
    status = validate_pdf_signature(sig, signer_validation_context=context, key_usage_settings=usage)
    info.intact = bool(status.intact and status.valid)
    info.trusted = bool(status.trusted) and bool(roots)
    coverage = status.coverage
    info.covers_whole_document = coverage == SignatureCoverageLevel.ENTIRE_FILE
    level = status.modification_level
    allowed = coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        coverage == SignatureCoverageLevel.ENTIRE_REVISION and status.docmdp_ok is not False
        and level is not None and level <= ModificationLevel.FORM_FILLING)
    info.modified_after_signing = not allowed or trailing
    if not info.intact:
        info.problems.append("nội dung đã bị thay đổi, chữ ký không còn toàn vẹn")
    elif trailing:
        info.problems.append("tệp bị ghi thêm dữ liệu sau khi ký")
    elif info.modified_after_signing:
        info.problems.append("tệp đã bị sửa nội dung sau khi ký")
    if not info.valid_at_signing_time:
        info.problems.append("chứng thư số không còn hiệu lực tại thời điểm ký")
    if info.intact and not info.trusted:
        problem = _trust_problem(status.trust_problem_indic, has_roots=bool(roots))
        if info.valid_at_signing_time or "hiệu lực" not in problem:  # the signer's own dates: said above
            info.problems.append(problem)
    return info
