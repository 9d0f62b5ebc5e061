"""Small test data: two agencies with their feedback handlers, a citizen, real tiny PDF/PNG bytes."""

import datetime as dt
import struct
import zlib
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.directory.models import Agency, Official

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "Mat-khau-thu-nghiem-2025"
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=HCM)


def pdf_upload(name: str = "anh-chup.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@dataclass
class World:
    office: Agency
    stp: Agency
    officer: User  # one-stop officer of the provincial office (VP)
    stp_officer: User
    specialist: User  # a role without access to feedback
    admin: User
    citizen: User


def _user(username: str, role: str, agency: Agency | None, full_name: str = "Cán Bộ Thử") -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, role=role, full_name=full_name,
                                    email=f"{username}@camau.gov.vn")
    if agency is not None:
        Official.objects.create(user=user, agency=agency, email=user.email)
    return user


def world_make() -> World:
    province = Agency.objects.create(code="UBND-CM", name="Ủy ban nhân dân tỉnh Cà Mau", abbreviation="UBND",
                                     kind="ubnd_tinh")
    office = Agency.objects.create(code="VP", name="Văn phòng Ủy ban nhân dân tỉnh", abbreviation="VP", kind="so",
                                   parent=province)
    stp = Agency.objects.create(code="STP", name="Sở Tư pháp", abbreviation="STP", kind="so", parent=province)
    citizen = User.objects.create_user(username="congdan", password=PASSWORD, role=Role.CITIZEN,
                                       full_name="Lê Văn Bình", phone="0912000001", email="binh@example.vn")
    return World(
        office=office, stp=stp,
        officer=_user("motcua.vp", Role.ONESTOP_OFFICER, office, "Huỳnh Ngọc Hân"),
        stp_officer=_user("motcua.stp", Role.ONESTOP_OFFICER, stp, "Dương Thị Yến Nhi"),
        specialist=_user("chuyenvien.vp", Role.SPECIALIST, office),
        admin=_user("qthethong", Role.SYSTEM_ADMIN, office),
        citizen=citizen,
    )


def submit_kwargs(**overrides) -> dict:
    values = {"kind": "phan_anh", "sender_name": "Nguyễn Văn An", "sender_address": "Phường 5, Cà Mau",
              "sender_phone": "0912 345 678", "sender_email": "an@example.vn",
              "subject": "Đường ngập nước sau mưa",
              "content": "Đoạn đường Trần Hưng Đạo ngập sâu sau mỗi cơn mưa, đề nghị khắc phục."}
    values.update(overrides)
    return values
