"""A small province for the processing, returns, scoring and work-queue tests.

Two communes and a department; officials of every role the processing needs; a procedure whose process runs
inside the commune and one whose third step goes to the department. Dossiers are received as the counter
does it (status RECEIVED, reception step finished, first processing step started with its deadline), at
explicit times in a week without holidays (Monday 02/03/2026), so nothing sleeps.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from egov.accounts.models import User
from egov.directory.models import Agency, Official, Unit
from egov.onestop.models import (
    Channel,
    Dossier,
    DossierStep,
    EventKind,
    Field,
    OnlineMode,
    Procedure,
    ProcedureVersion,
    ProcessStep,
)
from egov.onestop.processing import step_agency, step_deadline, step_unit
from egov.onestop.status import DossierStatus
from egov.onestop.workflow import dossier_event_append, stats_bump
from egov.workdays.services import add_working_time

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> dt.datetime:
    """A moment of March 2026 in Vietnam time (02/03 is a Monday; no holiday that month)."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=VN)


@dataclass
class World:
    province: Agency
    commune: Agency
    other_commune: Agency
    department: Agency
    desk: Unit
    justice: Unit
    land: Unit
    officer: User
    specialist: User
    specialist2: User
    leader: User
    dept_specialist: User
    dept_leader: User
    outsider: User
    outsider_officer: User
    citizen: User
    admin: User
    procedure: Procedure
    version: ProcedureVersion
    inter_procedure: Procedure
    inter_version: ProcedureVersion


def _user(username: str, role: str, agency: Agency | None, unit: Unit | None = None, full_name: str = "") -> User:
    user = User.objects.create_user(username=username, password="x-Strong-pass-1", role=role,
                                    full_name=full_name or username)
    if agency is not None:
        Official.objects.create(user=user, agency=agency, unit=unit, phone="0290 3800 000")
    return user


def _version(procedure: Procedure, steps: list[dict], *, days="5", consultation=False,
             online=OnlineMode.NONE) -> ProcedureVersion:
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=1, valid_from=dt.date(2025, 7, 1), processing_days=Decimal(days),
        consultation_allowed=consultation, online_mode=online, legal_basis="Luật Hộ tịch 2014",
        result_documents=["Giấy khai sinh"],
    )
    for order, step in enumerate(steps, start=1):
        ProcessStep.objects.create(version=version, order=order, **step)
    procedure.current_version = version
    procedure.save()
    return version


def build_world() -> World:
    province = Agency.objects.create(code="UBND-T", name="Ủy ban nhân dân tỉnh Cà Mau", abbreviation="UBND",
                                     kind="ubnd_tinh", code_qcvn102="000.00.00.H12")
    commune = Agency.objects.create(code="XA-AX", name="Ủy ban nhân dân xã An Xuyên", abbreviation="UBND",
                                    kind="xa", parent=province, code_qcvn102="000.01.31.H12")
    other = Agency.objects.create(code="XA-TB", name="Ủy ban nhân dân xã Tân Bằng", abbreviation="UBND",
                                  kind="xa", parent=province, code_qcvn102="000.02.31.H12")
    department = Agency.objects.create(code="SNNMT", name="Sở Nông nghiệp và Môi trường", abbreviation="SNNMT",
                                       kind="so", parent=province, code_qcvn102="000.00.15.H12")
    desk = Unit.objects.create(agency=commune, code="MC", name="Bộ phận Một cửa")
    justice = Unit.objects.create(agency=commune, code="TPHT", name="Tư pháp - Hộ tịch")
    land = Unit.objects.create(agency=department, code="DD", name="Phòng Đất đai")
    field = Field.objects.create(code="HT", name="Hộ tịch")
    procedure = Procedure.objects.create(code="1.001193", name="Thủ tục đăng ký khai sinh", field=field, level="xa")
    version = _version(procedure, [
        {"name": "Tiếp nhận hồ sơ", "role": "onestop_officer", "allotted_days": Decimal("0.5")},
        {"name": "Thẩm định hồ sơ", "role": "specialist", "unit_name": "Tư pháp - Hộ tịch",
         "allotted_days": Decimal("2")},
        {"name": "Phê duyệt kết quả", "role": "leader", "allotted_days": Decimal("1")},
        {"name": "Trả kết quả", "role": "onestop_officer", "allotted_days": Decimal("0.5")},
    ])
    field2 = Field.objects.create(code="DD", name="Đất đai")
    inter = Procedure.objects.create(code="1.004227", name="Chuyển mục đích sử dụng đất", field=field2,
                                     level="tinh,xa")
    inter_version = _version(inter, [
        {"name": "Tiếp nhận hồ sơ", "role": "onestop_officer", "allotted_days": Decimal("0.5")},
        {"name": "Xác minh tại xã", "role": "specialist", "unit_name": "Tư pháp - Hộ tịch",
         "allotted_days": Decimal("1")},
        {"name": "Thẩm định tại Sở", "role": "specialist", "agency_code": "SNNMT", "unit_name": "Phòng Đất đai",
         "allotted_days": Decimal("2")},
        {"name": "Phê duyệt", "role": "leader", "agency_code": "SNNMT", "allotted_days": Decimal("1")},
        {"name": "Trả kết quả", "role": "onestop_officer", "allotted_days": Decimal("0.5")},
    ], days="5", consultation=True, online=OnlineMode.PARTIAL)
    ProcessStep.objects.create(version=inter_version, order=9, name="Lấy ý kiến UBND tỉnh", role="leader",
                               agency_code="UBND-T", allotted_days=Decimal("1"), is_consultation=True)
    return World(
        province=province, commune=commune, other_commune=other, department=department, desk=desk,
        justice=justice, land=land,
        officer=_user("motcua.ax", "onestop_officer", commune, desk, "Nguyễn Thị Một Cửa"),
        specialist=_user("tuphap.ax", "specialist", commune, justice, "Trần Văn Tư Pháp"),
        specialist2=_user("tuphap2.ax", "specialist", commune, justice, "Lê Thị Hộ Tịch"),
        leader=_user("chutich.ax", "leader", commune, None, "Phạm Văn Chủ Tịch"),
        dept_specialist=_user("datdai.snnmt", "specialist", department, land, "Võ Văn Đất Đai"),
        dept_leader=_user("giamdoc.snnmt", "leader", department, None, "Đặng Thị Giám Đốc"),
        outsider=_user("tuphap.tb", "specialist", other, None, "Người Xã Khác"),
        outsider_officer=_user("motcua.tb", "onestop_officer", other, None, "Một Cửa Xã Khác"),
        citizen=_user("congdan", "citizen", None, None, "Nguyễn Văn Dân"),
        admin=_user("qtht", "system_admin", None, None, "Quản trị"),
        procedure=procedure, version=version, inter_procedure=inter, inter_version=inter_version,
    )


_sequence = {"n": 0}


def receive(world: World, *, when: dt.datetime | None = None, procedure: Procedure | None = None,
            channel: str = Channel.COUNTER, applicant_user: User | None = None, result_delivery: str = "counter"
            ) -> Dossier:
    """A dossier as the counter leaves it: RECEIVED, reception step done, first processing step started."""
    when = when or at(2, 8)
    procedure = procedure or world.procedure
    version = procedure.current_version
    agency = world.commune
    _sequence["n"] += 1
    code = f"{agency.code_qcvn102}-{when:%y%m%d}-{_sequence['n']:04d}"
    due = add_working_time(when, days=version.processing_days, agency=agency)
    dossier = Dossier.objects.create(
        code=code, procedure_version=version, procedure=procedure, receiving_agency=agency, current_agency=agency,
        status=DossierStatus.RECEIVED, channel=channel, applicant_name="Nguyễn Văn Dân",
        applicant_id_number="096090001234", applicant_address="Ấp 1, xã An Xuyên", applicant_phone="0913000111",
        applicant_user=applicant_user, submitted_at=when, received_at=when, received_by=world.officer,
        clock_start_at=when, original_due_at=due, due_at=due, result_delivery=result_delivery,
    )
    steps = list(version.steps.filter(is_consultation=False).order_by("order"))
    first = DossierStep.objects.create(
        dossier=dossier, order=1, process_step=steps[0], name=steps[0].name, agency=agency, unit=world.desk,
        handler=world.officer, started_at=when, finished_at=when, finished_by=world.officer, outcome="received",
        timing="early", deadline_at=step_deadline(start=when, days=steps[0].allotted_days, agency=agency),
    )
    second_agency = step_agency(steps[1], dossier)
    second = DossierStep.objects.create(
        dossier=dossier, order=2, process_step=steps[1], name=steps[1].name, agency=second_agency,
        unit=step_unit(steps[1], second_agency), started_at=when,
        deadline_at=step_deadline(start=when, days=steps[1].allotted_days, agency=second_agency),
    )
    dossier.current_step = second
    dossier.save()
    dossier_event_append(dossier=dossier, kind=EventKind.RECEIVE, actor=world.officer, step=first, at=when,
                         to_status=DossierStatus.RECEIVED, deadline_at=due)
    stats_bump(dossier, received=1)
    del first
    return dossier


def pdf_bytes(text: str = "Kết quả", *, signed: bool = False) -> bytes:
    """A real one-page PDF; ``signed`` adds a signature field with its /ByteRange, as a signing tool leaves."""
    import io

    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": text})
    if signed:
        sig = DictionaryObject({
            NameObject("/Type"): NameObject("/Sig"), NameObject("/Filter"): NameObject("/Adobe.PPKLite"),
            NameObject("/SubFilter"): NameObject("/ETSI.CAdES.detached"),
            NameObject("/ByteRange"): ArrayObject([NumberObject(0), NumberObject(10), NumberObject(20),
                                                   NumberObject(30)]),
            NameObject("/Contents"): TextStringObject("0" * 16),
        })
        sig_ref = writer._add_object(sig)
        field = DictionaryObject({
            NameObject("/FT"): NameObject("/Sig"), NameObject("/T"): TextStringObject("Chu ky so"),
            NameObject("/V"): sig_ref, NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
        })
        field_ref = writer._add_object(field)
        writer._root_object[NameObject("/AcroForm")] = DictionaryObject({
            NameObject("/Fields"): ArrayObject([field_ref]), NameObject("/SigFlags"): NumberObject(3),
        })
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
