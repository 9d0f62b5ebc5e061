"""A small world for the outgoing-document tests: a sending department with its office (drafter, office head,
director, clerk), a recipient department with its clerk, registers, document types, and real tiny files."""

import io
import zipfile
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.directory.models import Agency, Official, Position, Unit
from egov.documents.models import DocumentRegister, DocumentType, RegisterKind
from egov.documents.models.choices import Direction

PASSWORD = "Mat-khau-thu-nghiem-2026"


def province() -> Agency:
    return Agency.objects.get_or_create(code="UBND-CM", defaults={
        "name": "Ủy ban nhân dân tỉnh Cà Mau", "abbreviation": "UBND", "kind": "ubnd_tinh",
        "code_qcvn102": "000.00.00.H12", "code_qd20": "H12"})[0]


def agency_make(code: str, name: str, abbreviation: str, qcvn: str) -> Agency:
    return Agency.objects.create(code=code, name=name, abbreviation=abbreviation, kind="so", parent=province(),
                                 code_qcvn102=qcvn)


def position(code: str, name: str, rank: int) -> Position:
    return Position.objects.get_or_create(code=code, defaults={"name": name, "rank": rank})[0]


def user_make(username: str, *, role: str, agency: Agency, full_name: str, unit: Unit | None = None,
              pos: Position | None = None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, role=role, full_name=full_name,
                                    email=f"{username}@camau.gov.vn")
    Official.objects.create(user=user, agency=agency, unit=unit, position=pos, email=user.email)
    return user


def doc_type(code: str, name: str, abbreviation: str, legal: bool = False) -> DocumentType:
    found, _ = DocumentType.objects.get_or_create(code=code, defaults={
        "name": name, "abbreviation": abbreviation, "is_legal_normative": legal})
    return found


def register_make(agency: Agency, direction: str, kind: str = RegisterKind.REGULAR, *, name: str = "",
                  width: int = 2, document_type: DocumentType | None = None) -> DocumentRegister:
    label = name or f"Sổ {direction} {kind} {document_type.code if document_type else ''}".strip()
    return DocumentRegister.objects.create(agency=agency, direction=direction, kind=kind, name=label,
                                           number_width=width, document_type=document_type)


@dataclass
class World:
    sender: Agency
    recipient: Agency
    other: Agency
    office: Unit
    drafter: User
    head: User
    leader: User
    clerk: User
    colleague: User
    recipient_clerk: User
    recipient_leader: User
    outsider: User
    quyet_dinh: DocumentType
    cong_van: DocumentType
    regular: DocumentRegister
    secret: DocumentRegister
    legal: DocumentRegister


def world_make() -> World:
    sender = agency_make("SNV", "Sở Nội vụ tỉnh Cà Mau", "SNV", "000.00.09.H12")
    recipient = agency_make("STP", "Sở Tư pháp tỉnh Cà Mau", "STP", "000.00.05.H12")
    other = agency_make("SYT", "Sở Y tế tỉnh Cà Mau", "SYT", "000.00.07.H12")
    office = Unit.objects.create(agency=sender, code="VP", name="Văn phòng Sở")
    specialist = position("chuyen-vien", "Chuyên viên", 80)
    chief = position("chanh-van-phong", "Chánh Văn phòng", 40)
    director = position("giam-doc", "Giám đốc", 10)
    world = World(
        sender=sender, recipient=recipient, other=other, office=office,
        drafter=user_make("cv.snv", role=Role.SPECIALIST, agency=sender, full_name="Lê Văn Soạn", unit=office,
                          pos=specialist),
        head=user_make("cvp.snv", role=Role.SPECIALIST, agency=sender, full_name="Phạm Thị Duyệt", unit=office,
                       pos=chief),
        leader=user_make("gd.snv", role=Role.LEADER, agency=sender, full_name="Nguyễn Văn Ký", pos=director),
        clerk=user_make("vt.snv", role=Role.CLERK, agency=sender, full_name="Trần Thị Văn Thư", unit=office),
        colleague=user_make("cv2.snv", role=Role.SPECIALIST, agency=sender, full_name="Võ Văn Đồng Nghiệp",
                            unit=office, pos=specialist),
        recipient_clerk=user_make("vt.stp", role=Role.CLERK, agency=recipient, full_name="Đỗ Thị Nhận"),
        recipient_leader=user_make("gd.stp", role=Role.LEADER, agency=recipient, full_name="Huỳnh Văn Nhận"),
        outsider=user_make("vt.syt", role=Role.CLERK, agency=other, full_name="Lý Thị Ngoài"),
        quyet_dinh=doc_type("quyet-dinh", "Quyết định", "QĐ", legal=True),
        cong_van=doc_type("cong-van", "Công văn", ""),
        regular=register_make(sender, Direction.OUTGOING, name="Sổ văn bản đi", width=5),
        secret=register_make(sender, Direction.OUTGOING, RegisterKind.SECRET, name="Sổ văn bản đi mật"),
        legal=None,  # set below
    )
    world.legal = register_make(sender, Direction.OUTGOING, RegisterKind.LEGAL, name="Sổ quyết định QPPL",
                                document_type=world.quyet_dinh)
    register_make(recipient, Direction.INCOMING, name="Sổ văn bản đến")
    return world


# --- real tiny files ------------------------------------------------------------------------------------
def pdf_bytes(text: str = "Du thao van ban") -> bytes:
    """A valid one-page PDF with a correct cross-reference table."""
    stream = b"BT /F1 12 Tf 72 760 Td (" + text.encode("ascii", "replace") + b") Tj ET"
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


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


def pdf_upload(name: str = "du-thao.pdf", text: str = "Du thao van ban") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def docx_upload(name: str = "du-thao.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, docx_bytes(),
                              content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


# --- shortcuts through the services ---------------------------------------------------------------------
def credentials(world: World) -> None:
    """Signing credentials (test CA) for the leader and the sending agency."""
    from egov.documents.tests import pki

    pki.credentials_for(users=[world.leader], agencies=[world.sender])


def signed_document(world: World, *, document_type=None, summary: str = "V/v triển khai kế hoạch cải cách hành "
                    "chính năm 2027", recipients=None, **kwargs):
    """A draft taken through the chain (drafter → office head → leader) and signed by the leader."""
    from egov.documents.services import outgoing as svc

    document = svc.outgoing_draft_create(
        actor=world.drafter, document_type=document_type or world.cong_van, summary=summary,
        recipient_agencies=[world.recipient] if recipients is None else recipients, **kwargs)
    svc.outgoing_version_upload(actor=world.drafter, document=document, upload=pdf_upload())
    svc.outgoing_submit(actor=world.drafter, document=document, reviewer=world.head)
    svc.outgoing_approve(actor=world.head, document=document, signer=world.leader)
    svc.outgoing_sign(actor=world.leader, document=document)
    document.refresh_from_db()
    return document


def issued_document(world: World, **kwargs):
    from egov.documents.services import outgoing as svc

    document = signed_document(world, **kwargs)
    return svc.outgoing_issue(actor=world.clerk, document=document)
