"""Test data for the intake pipeline: an agency with a clerk, and real small files made at test time (a PDF
with a text layer by WeasyPrint, a DOCX by python-docx, a scan rendered with Pillow in DejaVu Sans), so no
binary is committed and nothing is downloaded."""

import functools
import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.directory.models import Agency, Official

PASSWORD = "Mat-khau-thu-nghiem-2025"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # fonts-dejavu-core, from scripts/setup-system.sh

HEADER_QD = [
    "ỦY BAN NHÂN DÂN", "TỈNH CÀ MAU", "Số: 123/QĐ-UBND",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Cà Mau, ngày 05 tháng 01 năm 2026",
    "", "QUYẾT ĐỊNH", "Về việc phê duyệt kế hoạch cải cách hành chính năm 2026", "",
    "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH CÀ MAU", "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
]
HEADER_CV = [
    "UBND TỈNH CÀ MAU", "SỞ TƯ PHÁP", "Số: 45/STP-VP", "V/v triển khai Luật Hộ tịch",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Cà Mau, ngày 13 tháng 11 năm 2019",
    "", "Kính gửi: Ủy ban nhân dân các huyện, thành phố", "Sở Tư pháp đề nghị các đơn vị triển khai thực hiện.",
]


@dataclass
class World:
    agency: Agency
    other_agency: Agency
    clerk: User
    specialist: User
    outsider: User


def _agency(code: str, name: str) -> Agency:
    return Agency.objects.create(code=code, name=name, abbreviation=code, kind="so")


def _user(username: str, role: str, agency: Agency | None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, role=role, full_name=username,
                                    email=f"{username}@camau.gov.vn")
    if agency is not None:
        Official.objects.create(user=user, agency=agency, email=user.email)
    return user


def build_world() -> World:
    agency = _agency("STP-T", "Sở Tư pháp (thử)")
    other = _agency("SNV-T", "Sở Nội vụ (thử)")
    return World(agency=agency, other_agency=other, clerk=_user("vanthu.t", Role.CLERK, agency),
                 specialist=_user("chuyenvien.t", Role.SPECIALIST, agency),
                 outsider=_user("vanthu.snv", Role.CLERK, other))


@functools.lru_cache(maxsize=8)
def text_pdf(lines=tuple(HEADER_QD)) -> bytes:
    """A one-page PDF with a real text layer (WeasyPrint embeds DejaVu with Vietnamese glyphs)."""
    from weasyprint import HTML

    body = "".join(f"<p>{line or '&nbsp;'}</p>" for line in lines)
    html = f"<html><body style='font-family: DejaVu Sans; font-size: 11pt'>{body}</body></html>"
    return HTML(string=html).write_pdf()


def docx_bytes(lines=HEADER_CV, *, table: bool = True) -> bytes:
    """A DOCX whose header is a two-column table, as agencies write them."""
    import docx

    document = docx.Document()
    if table:
        grid = document.add_table(rows=1, cols=2)
        grid.cell(0, 0).text = "\n".join(lines[:4])
        grid.cell(0, 1).text = "\n".join(lines[4:7])
        rest = lines[7:]
    else:
        rest = lines
    for line in rest:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def scan_png(lines=HEADER_QD[:9], *, width: int = 1100) -> bytes:
    """A small greyscale 'scan' of the header, 300 dpi, black text on white: Tesseract reads it in < 1 s."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, 30)
    image = Image.new("L", (width, 56 * len(lines) + 40), 255)
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        draw.text((40, 20 + 56 * index), line, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(300, 300))
    return out.getvalue()


def scan_pdf(lines=HEADER_QD[:9]) -> bytes:
    """The scan wrapped in a PDF without any text layer, as a scanner writes it."""
    from PIL import Image

    image = Image.open(io.BytesIO(scan_png(lines)))
    out = io.BytesIO()
    image.save(out, "PDF", resolution=300.0)
    return out.getvalue()


def corrupt_pdf() -> bytes:
    """Starts like a PDF (so the upload check accepts it) but has no readable structure."""
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(text_pdf())).pages:
        writer.add_page(page)
    writer.encrypt("mat-khau")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def exe_bytes() -> bytes:
    """The start of a Windows executable (MZ header, PE signature)."""
    head = bytearray(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44)
    head[0x3C:0x40] = (64).to_bytes(4, "little")
    return bytes(head) + b"PE\x00\x00" + b"\x00" * 400


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
