"""Test data for work files, registers and reports, made with the ORM (the other areas' services are not
needed): an agency with two units, its clerk, leader and specialist, another agency, registers, and
incoming/outgoing documents with assignments."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.directory.models import Agency, Official, Unit
from egov.documents.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Direction,
    DocumentRegister,
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
    RetentionPeriod,
)

PASSWORD = "Mat-khau-thu-nghiem-2025"
TZ = timezone.get_default_timezone()


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def agency_make(code: str, name: str, qcvn102: str) -> Agency:
    province = Agency.objects.get_or_create(code="UBND-CM", defaults={
        "name": "Ủy ban nhân dân tỉnh Cà Mau", "abbreviation": "UBND", "kind": "ubnd_tinh",
        "code_qcvn102": "000.00.00.H12"})[0]
    return Agency.objects.create(code=code, name=name, abbreviation=code, kind="so", parent=province,
                                 code_qcvn102=qcvn102)


def user_make(username: str, role: str, agency: Agency | None, *, unit: Unit | None = None,
              full_name: str = "") -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, role=role,
                                    full_name=full_name or username, email=f"{username}@camau.gov.vn")
    if agency is not None:
        Official.objects.create(user=user, agency=agency, unit=unit)
    return user


def retention(code: str) -> RetentionPeriod:
    return RetentionPeriod.objects.get(code=code)


def world() -> dict:
    agency = agency_make("STP", "Sở Tư pháp", "000.00.05.H12")
    other = agency_make("SXD", "Sở Xây dựng", "000.00.07.H12")
    office = Unit.objects.create(agency=agency, code="VP", name="Văn phòng Sở")
    legal = Unit.objects.create(agency=agency, code="PBTTT", name="Phòng Phổ biến, giáo dục pháp luật")
    w = {
        "agency": agency, "other": other, "office": office, "legal": legal,
        "clerk": user_make("vanthu.stp", Role.CLERK, agency, unit=office, full_name="Nguyễn Thị Văn Thư"),
        "leader": user_make("lanhdao.stp", Role.LEADER, agency, full_name="Trần Văn Lãnh Đạo"),
        "specialist": user_make("chuyenvien.stp", Role.SPECIALIST, agency, unit=legal,
                                full_name="Lê Minh Chuyên Viên"),
        "other_clerk": user_make("vanthu.sxd", Role.CLERK, other),
    }
    w["in_register"] = DocumentRegister.objects.create(agency=agency, direction=Direction.INCOMING,
                                                       name="Sổ văn bản đến", number_width=5)
    w["out_register"] = DocumentRegister.objects.create(agency=agency, direction=Direction.OUTGOING,
                                                        name="Sổ văn bản đi", number_width=2)
    w["other_register"] = DocumentRegister.objects.create(agency=other, direction=Direction.INCOMING,
                                                          name="Sổ văn bản đến")
    return w


def incoming_make(w: dict, number: int, *, received: dt.datetime, summary: str = "", agency: Agency | None = None,
                  register: DocumentRegister | None = None, secrecy: int = 0, **extra) -> IncomingDocument:
    register = register or (w["other_register"] if agency is not None and agency != w["agency"]
                            else w["in_register"])
    return IncomingDocument.objects.create(
        agency=agency or w["agency"], register=register, arrival_year=received.year, arrival_number=number,
        received_at=received, summary=summary or f"Về việc triển khai công tác số {number}",
        number_notation=extra.pop("number_notation", f"{number}/UBND-VP"),
        issued_date=extra.pop("issued_date", received.date()), issuer_name=extra.pop("issuer_name",
                                                                                     "Ủy ban nhân dân tỉnh Cà Mau"),
        type_name=extra.pop("type_name", "Công văn"), page_count=extra.pop("page_count", 2), secrecy=secrecy,
        status=extra.pop("status", IncomingStatus.REGISTERED), **extra)


def outgoing_make(w: dict, number: int, *, issued: dt.datetime, summary: str = "", electronic: bool = True,
                  agency: Agency | None = None, **extra) -> OutgoingDocument:
    return OutgoingDocument.objects.create(
        agency=agency or w["agency"], drafted_by=w["specialist"], drafting_unit=w["legal"],
        status=OutgoingStatus.ISSUED, register=w["out_register"], number_year=issued.year, number_value=number,
        number=f"{number:02d}", notation="STP-VP", number_notation=f"{number:02d}/STP-VP",
        issued_date=issued.date(), issued_at=issued, summary=summary or f"Về việc báo cáo số {number}",
        type_name="Công văn", signer_position="Giám đốc", signer_name="Trần Văn Lãnh Đạo", issued_amount=3,
        is_electronic=electronic, page_count=1, **extra)


def assignment_make(w: dict, document: IncomingDocument, *, unit: Unit | None = None, assignee: User | None = None,
                    due_at: dt.datetime | None, completed_at: dt.datetime | None = None,
                    created_at: dt.datetime | None = None, role: str = AssignmentRole.LEAD,
                    status: str | None = None) -> Assignment:
    assignment = Assignment.objects.create(
        incoming=document, role=role, unit=unit, assignee=assignee, assigned_by=w["leader"], due_at=due_at,
        due_days=Decimal(3), completed_at=completed_at,
        status=status or (AssignmentStatus.DONE if completed_at else AssignmentStatus.IN_PROGRESS))
    if created_at is not None:
        Assignment.objects.filter(pk=assignment.pk).update(created_at=created_at)
    return assignment
