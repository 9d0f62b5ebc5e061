"""Test data for the one-stop app, made with the ORM: agencies, officers, a procedure with its checklist and
steps, and real small files (PDF, PNG, DOCX, XLSX) built byte by byte so tests need nothing downloaded."""

import datetime as dt
import io
import struct
import zipfile
import zlib
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.directory.models import Agency, Official, Unit
from egov.onestop.models import Field, Procedure, ProcedureVersion, ProcessStep, RequiredPaper

PASSWORD = "Mat-khau-thu-nghiem-2025"

DEFAULT_PAPERS = (
    {"name": "Tờ khai đăng ký khai sinh theo mẫu", "originals": 1},
    {"name": "Giấy chứng sinh", "originals": 1},
    {"name": "Văn bản ủy quyền (trường hợp ủy quyền)", "copies": 1, "mandatory": False},
    {"name": "Căn cước của người đi đăng ký", "kind": RequiredPaper.KIND_SHOW, "originals": 1},
)
DEFAULT_STEPS = (
    {"name": "Tiếp nhận hồ sơ", "role": Role.ONESTOP_OFFICER, "allotted_days": Decimal("0.5")},
    {"name": "Thẩm định, trình ký", "role": Role.SPECIALIST, "unit_name": "Phòng Hành chính tư pháp",
     "allotted_days": Decimal("1.5")},
    {"name": "Ký duyệt", "role": Role.LEADER, "allotted_days": Decimal("0.5")},
    {"name": "Trả kết quả", "role": Role.ONESTOP_OFFICER, "allotted_days": Decimal("0.5")},
)


def province_make() -> Agency:
    return Agency.objects.get_or_create(
        code="UBND-CM", defaults={"name": "Ủy ban nhân dân tỉnh Cà Mau", "abbreviation": "UBND",
                                  "kind": "ubnd_tinh", "code_qcvn102": "000.00.00.H12", "code_qd20": "H12"},
    )[0]


def agency_make(code: str = "STP", name: str = "Sở Tư pháp", *, kind: str = "so",
                code_qcvn102: str | None = "000.00.05.H12", code_qd20: str | None = "H12.05",
                parent: Agency | None = None) -> Agency:
    """An agency under the province committee, with both electronic ID codes unless told otherwise."""
    return Agency.objects.create(
        code=code, name=name, abbreviation=code, kind=kind, parent=parent or province_make(),
        code_qcvn102=code_qcvn102, code_qd20=code_qd20,
    )


def unit_make(agency: Agency, name: str = "Phòng Hành chính tư pháp", code: str = "HCTP") -> Unit:
    return Unit.objects.create(agency=agency, code=code, name=name)


def user_make(username: str, *, role: str = Role.ONESTOP_OFFICER, agency: Agency | None = None,
              full_name: str = "Trần Thị Một Cửa", unit: Unit | None = None, phone: str = "0290 3831 234",
              email: str = "") -> User:
    """An account (password ``PASSWORD``), and an official record when ``agency`` is given."""
    user = User.objects.create_user(username=username, password=PASSWORD, role=role, full_name=full_name,
                                    email=email or f"{username}@camau.gov.vn")
    if agency is not None:
        Official.objects.create(user=user, agency=agency, unit=unit, phone=phone, email=user.email)
    return user


def officer_make(agency: Agency, username: str = "motcua.stp", **kwargs) -> User:
    return user_make(username, role=Role.ONESTOP_OFFICER, agency=agency, **kwargs)


def procedure_make(code: str = "1.001193", name: str = "Thủ tục đăng ký khai sinh", *,
                   days: Decimal | None = Decimal(3), hours: int | None = None, papers=DEFAULT_PAPERS,
                   steps=DEFAULT_STEPS, fees=None, form_schema=None, count_receipt_day: bool = False,
                   valid_from: dt.date = dt.date(2020, 1, 1), field_name: str = "Hộ tịch") -> Procedure:
    """A procedure with one version in force since ``valid_from``: checklist, steps, fees, form fields."""
    field = Field.objects.get_or_create(code=field_name.lower().replace(" ", "-"), defaults={"name": field_name})[0]
    procedure = Procedure.objects.create(code=code, name=name, field=field, level="tinh")
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=1, valid_from=valid_from, processing_days=days, processing_hours=hours,
        count_receipt_day=count_receipt_day,
        fees=fees if fees is not None else [{"mode": "truc_tiep", "vnd": 8000, "text": "Lệ phí đăng ký"}],
        form_schema=form_schema or [{"name": "ho_ten_tre", "label": "Họ tên trẻ", "type": "text"}],
        legal_basis="Luật Hộ tịch 2014",
    )
    for order, paper in enumerate(papers, start=1):
        RequiredPaper.objects.create(version=version, order=order, **paper)
    for order, step in enumerate(steps, start=1):
        ProcessStep.objects.create(version=version, order=order, **step)
    procedure.current_version = version
    procedure.save()
    return procedure


def submit_papers(procedure: Procedure) -> list[RequiredPaper]:
    """The mandatory papers to submit of the procedure's current version, in order."""
    return list(procedure.current_version.papers.filter(kind=RequiredPaper.KIND_SUBMIT, mandatory=True)
                .order_by("order"))


# --- real small files -----------------------------------------------------------------------------
def pdf_bytes(text: str = "Ban quet giay to") -> bytes:
    """A valid one-page PDF (correct cross-reference table) showing ``text`` (ASCII)."""
    safe = text.encode("ascii", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 12 Tf 36 780 Td (" + safe + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A valid grey PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def jpeg_bytes() -> bytes:
    """A real JPEG (Pillow ships with Wagtail)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


def docx_bytes() -> bytes:
    """A minimal Word document: the parts that make a ZIP a DOCX."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org'
                         '/package/2006/content-types"/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.'
                         'openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>')
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "Danh sách"
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes | None = None, content_type: str = "application/pdf") -> SimpleUploadedFile:
    """An uploaded file as Django hands it to a view (the browser-declared type is deliberately not trusted)."""
    return SimpleUploadedFile(name, pdf_bytes(name) if content is None else content, content_type=content_type)


def papers_for(procedure: Procedure) -> list[tuple[str, SimpleUploadedFile]]:
    """One scanned PDF for each mandatory paper of the procedure."""
    return [(str(p.uuid), upload(f"giay-to-{p.order}.pdf")) for p in submit_papers(procedure)]
