"""A small world for the incoming-document tests: a department with two units (a unit head and specialists),
its clerk and director, another department, registers, and real tiny files built byte by byte."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.directory.models import Agency, Official, Position, Unit
from egov.documents.models import Direction, DocumentRegister, RegisterKind
from egov.documents.services import incoming as incoming_services

PASSWORD = "Mat-khau-thu-nghiem-2026"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def pdf_upload(name: str = "cong-van.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def province() -> Agency:
    return Agency.objects.get_or_create(code="UBND-CM", defaults={
        "name": "Ủy ban nhân dân tỉnh Cà Mau", "abbreviation": "UBND", "kind": "ubnd_tinh",
        "code_qcvn102": "000.00.00.H12", "code_qd20": "H12"})[0]


def position(code: str, name: str, rank: int) -> Position:
    return Position.objects.get_or_create(code=code, defaults={"name": name, "rank": rank})[0]


def user_make(username: str, *, role: str, agency: Agency, full_name: str, unit: Unit | None = None,
              pos: Position | None = None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, role=role, full_name=full_name,
                                    email=f"{username}@camau.gov.vn")
    Official.objects.create(user=user, agency=agency, unit=unit, position=pos, email=user.email)
    return user


@dataclass
class World:
    agency: Agency
    other: Agency
    unit: Unit
    unit2: Unit
    clerk: User
    leader: User
    head: User
    specialist: User
    specialist2: User
    colleague: User
    other_clerk: User
    other_specialist: User
    register: DocumentRegister
    secret_register: DocumentRegister
    other_register: DocumentRegister


def world_make() -> World:
    agency = Agency.objects.create(code="STP", name="Sở Tư pháp tỉnh Cà Mau", abbreviation="STP", kind="so",
                                   parent=province(), code_qcvn102="000.00.05.H12")
    other = Agency.objects.create(code="SYT", name="Sở Y tế tỉnh Cà Mau", abbreviation="SYT", kind="so",
                                  parent=province(), code_qcvn102="000.00.07.H12")
    unit = Unit.objects.create(agency=agency, code="XDKT", name="Phòng Xây dựng và Kiểm tra văn bản")
    unit2 = Unit.objects.create(agency=agency, code="HCTP", name="Phòng Hành chính tư pháp")
    other_unit = Unit.objects.create(agency=other, code="NV", name="Phòng Nghiệp vụ")
    tp, cv, vt = position("TP", "Trưởng phòng", 50), position("CV", "Chuyên viên", 80), position("VT", "Văn thư", 90)
    return World(
        agency=agency, other=other, unit=unit, unit2=unit2,
        clerk=user_make("vanthu.t", role=Role.CLERK, agency=agency, full_name="Ngô Thị Bích Trâm", pos=vt),
        leader=user_make("lanhdao.t", role=Role.LEADER, agency=agency, full_name="Lâm Quốc Khánh"),
        head=user_make("truongphong.t", role=Role.SPECIALIST, agency=agency, full_name="Trần Văn Trưởng", unit=unit,
                       pos=tp),
        specialist=user_make("chuyenvien.t", role=Role.SPECIALIST, agency=agency, full_name="Tô Minh Luân",
                             unit=unit, pos=cv),
        specialist2=user_make("chuyenvien2.t", role=Role.SPECIALIST, agency=agency, full_name="Lê Thị Hai",
                              unit=unit, pos=cv),
        colleague=user_make("chuyenvien3.t", role=Role.SPECIALIST, agency=agency, full_name="Phan Văn Ba",
                            unit=unit2, pos=cv),
        other_clerk=user_make("vanthu.syt", role=Role.CLERK, agency=other, full_name="Văn Thư Y Tế"),
        other_specialist=user_make("chuyenvien.syt", role=Role.SPECIALIST, agency=other, full_name="Chuyên Viên Y Tế",
                                   unit=other_unit, pos=cv),
        register=DocumentRegister.objects.create(agency=agency, direction=Direction.INCOMING, name="Sổ văn bản đến"),
        secret_register=DocumentRegister.objects.create(agency=agency, direction=Direction.INCOMING,
                                                        kind=RegisterKind.SECRET, name="Sổ văn bản mật đến"),
        other_register=DocumentRegister.objects.create(agency=other, direction=Direction.INCOMING,
                                                       name="Sổ văn bản đến"),
    )


def register(w: World, **overrides):
    """Register a typical Công văn from the Provincial People's Committee (overridable fields)."""
    values = {
        "actor": w.clerk, "register": w.register, "summary": "Về việc triển khai Kế hoạch cải cách hành chính năm 2026",
        "number": "123", "notation": "UBND-VP", "issued_date": dt.date(2026, 11, 20),
        "issuer_name": "Ủy ban nhân dân tỉnh Cà Mau", "document_type": "cong-van",
        "received_at": dt.datetime(2026, 11, 23, 9, 0, tzinfo=VN),
    }
    values.update(overrides)
    return incoming_services.incoming_register(**values)
