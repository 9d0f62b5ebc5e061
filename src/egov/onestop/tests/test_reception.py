"""Reception services through the real stack: codes, due dates with the 15:00 cut-off, steps, events,
statistics, audit, Form 01/02/03, and bad input refused with nothing stored."""

import datetime as dt
import os
from decimal import Decimal
from zoneinfo import ZoneInfo

import hypothesis
import pytest
from django.conf import settings
from hypothesis import strategies as st

from egov.core.errors import DomainError
from egov.core.models import AuditEntry
from egov.onestop import reception
from egov.onestop.codes import QCVN102_CODE_RE
from egov.onestop.models import (
    Channel,
    Dossier,
    DossierCounter,
    DossierDailyStat,
    DossierEvent,
    DossierFile,
    DossierStep,
    EventKind,
    FileRole,
    StepTiming,
)
from egov.onestop.status import DossierStatus
from egov.onestop.tests import factories as f
from egov.onestop.workflow import dossier_transition

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# Monday 14/07/2025: an ordinary working week (no holiday until 02/09).
MONDAY_9 = dt.datetime(2025, 7, 14, 9, 0, tzinfo=VN)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    agency = f.agency_make()
    f.unit_make(agency)
    officer = f.officer_make(agency, full_name="Lê Thị Tiếp Nhận")
    procedure = f.procedure_make()
    return {"agency": agency, "officer": officer, "procedure": procedure}


def applicant(**kwargs):
    values = {"name": "Nguyễn Văn Ấn", "id_number": "096085001234", "address": "Phường Tân Thành, Cà Mau",
              "phone": "0912 345 678", "email": "an@example.vn"}
    values.update(kwargs)
    return reception.Applicant(**values)


def receive(world, **kwargs):
    params = {"actor": world["officer"], "agency": world["agency"], "procedure_code": world["procedure"].code,
              "applicant": applicant(), "papers": f.papers_for(world["procedure"]), "received_at": MONDAY_9}
    params.update(kwargs)
    return reception.dossier_receive_at_counter(**params)


def stored_files() -> list[str]:
    root = os.path.join(settings.MEDIA_ROOT, "onestop")
    found = []
    for folder, _dirs, names in os.walk(root):
        found.extend(os.path.join(folder, n) for n in names)
    return found


def nothing_stored(before_files: list[str]) -> None:
    assert Dossier.objects.count() == 0
    assert DossierFile.objects.count() == 0
    assert DossierEvent.objects.count() == 0
    assert sorted(stored_files()) == sorted(before_files)


def test_accept_at_counter_gives_code_due_date_steps_and_form01(world):
    dossier = receive(world)

    assert QCVN102_CODE_RE.fullmatch(dossier.code)
    assert dossier.code == "000.00.05.H12-250714-0001"
    assert dossier.status == DossierStatus.RECEIVED
    assert dossier.channel == Channel.COUNTER
    assert dossier.received_at == MONDAY_9 and dossier.received_by == world["officer"]
    assert dossier.clock_start_at == MONDAY_9
    # 3 working days, receipt day not counted: due at the close of Thursday 17/07.
    assert dossier.due_at == dossier.original_due_at == dt.datetime(2025, 7, 17, 17, 0, tzinfo=VN)
    assert dossier.register_number == 1
    assert dossier.applicant_phone == "0912345678"

    steps = list(DossierStep.objects.filter(dossier=dossier).order_by("order"))
    assert [s.order for s in steps] == [1, 2]
    assert steps[0].name == "Tiếp nhận hồ sơ" and steps[0].finished_at == MONDAY_9
    assert steps[0].handler == world["officer"] and steps[0].timing == StepTiming.EARLY
    assert steps[1].name == "Thẩm định, trình ký" and steps[1].finished_at is None
    assert steps[1].unit.name == "Phòng Hành chính tư pháp"
    # 1.5 working days from Monday 09:00: close of Tuesday plus half a day (4 working hours) = Wednesday 11:00.
    assert steps[1].deadline_at == dt.datetime(2025, 7, 16, 11, 0, tzinfo=VN)
    assert dossier.current_step == steps[1] and dossier.current_agency == world["agency"]

    kinds = list(DossierEvent.objects.filter(dossier=dossier).order_by("seq").values_list("kind", "to_status"))
    assert kinds == [(EventKind.SUBMIT, DossierStatus.SUBMITTED), (EventKind.RECEIVE, DossierStatus.RECEIVED)]
    stat = DossierDailyStat.objects.get(agency=world["agency"], day=dt.date(2025, 7, 14))
    assert stat.received == 1
    assert AuditEntry.objects.filter(action="onestop.dossier.receive", object_id=dossier.code).exists()

    papers = DossierFile.objects.filter(dossier=dossier, role=FileRole.PAPER)
    assert papers.count() == 2
    for paper in papers:
        assert paper.content_type == "application/pdf" and len(paper.sha256) == 64
        assert paper.file.name == f"onestop/{dossier.uuid}/{paper.uuid}"  # no name, no extension: unguessable
    form = DossierFile.objects.get(dossier=dossier, role=FileRole.FORM)
    assert form.form_code == "01"
    assert form.file.read(5) == b"%PDF-"


def test_second_dossier_same_day_and_new_day(world):
    first = receive(world)
    second = receive(world, received_at=MONDAY_9 + dt.timedelta(hours=1))
    next_day = receive(world, received_at=MONDAY_9 + dt.timedelta(days=1))
    assert first.code.endswith("-250714-0001")
    assert second.code.endswith("-250714-0002")
    assert next_day.code.endswith("-250715-0001")
    assert [first.register_number, second.register_number, next_day.register_number] == [1, 2, 3]


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # before the cut-off: counted from the same day
        (dt.datetime(2025, 7, 14, 14, 59, tzinfo=VN), dt.datetime(2025, 7, 17, 17, 0, tzinfo=VN)),
        # exactly 15:00 is still in time
        (dt.datetime(2025, 7, 14, 15, 0, tzinfo=VN), dt.datetime(2025, 7, 17, 17, 0, tzinfo=VN)),
        # after 15:00: received next working morning, due one day later
        (dt.datetime(2025, 7, 14, 15, 1, tzinfo=VN), dt.datetime(2025, 7, 18, 17, 0, tzinfo=VN)),
        # Friday after 15:00: counted from Monday
        (dt.datetime(2025, 7, 18, 16, 0, tzinfo=VN), dt.datetime(2025, 7, 24, 17, 0, tzinfo=VN)),
    ],
)
def test_due_date_honours_the_1500_cutoff(world, received, due):
    dossier = receive(world, received_at=received)
    assert dossier.due_at == due
    assert dossier.code.endswith(received.strftime("-%y%m%d-0001"))  # the code keeps the real receipt date
    if received.hour >= 15 and received.minute > 0:
        assert dossier.clock_start_at > received
        assert dossier.clock_start_at.astimezone(VN).time() == dt.time(7, 0)


def test_due_date_skips_holidays(world):
    # Received Friday 29/08/2025; 01/09 and 02/09 are the National Day holidays.
    dossier = receive(world, received_at=dt.datetime(2025, 8, 29, 10, 0, tzinfo=VN))
    assert dossier.due_at == dt.datetime(2025, 9, 5, 17, 0, tzinfo=VN)


def test_hours_based_procedure_and_count_receipt_day(world):
    hours = f.procedure_make(code="2.000001", name="Chứng thực bản sao", days=None, hours=4)
    dossier = receive(world, procedure_code=hours.code, papers=f.papers_for(hours))
    assert dossier.due_at == dt.datetime(2025, 7, 14, 15, 0, tzinfo=VN)  # 09:00 + 2.5 h morning + 1.5 h afternoon

    counted = f.procedure_make(code="2.000002", name="Thủ tục tính cả ngày nhận", count_receipt_day=True)
    dossier = receive(world, procedure_code=counted.code, papers=f.papers_for(counted))
    assert dossier.due_at == dt.datetime(2025, 7, 16, 17, 0, tzinfo=VN)


def test_missing_mandatory_paper_names_it_and_stores_nothing(world):
    before = stored_files()
    papers = f.papers_for(world["procedure"])[:1]
    with pytest.raises(DomainError) as info:
        receive(world, papers=papers)
    assert info.value.code == "missing_papers"
    assert "Giấy chứng sinh" in info.value.message
    assert "Tờ khai" not in info.value.message
    assert info.value.details[0]["name"] == "Giấy chứng sinh"
    nothing_stored(before)
    assert DossierCounter.objects.count() == 0


def test_unknown_procedure_is_refused(world):
    before = stored_files()
    with pytest.raises(DomainError) as info:
        receive(world, procedure_code="9.999999")
    assert info.value.code == "unknown_procedure" and "9.999999" in info.value.message
    nothing_stored(before)


def test_fake_pdf_is_refused_with_what_it_really_is(world):
    before = stored_files()
    papers = f.papers_for(world["procedure"])
    papers[1] = (papers[1][0], f.upload("giay-chung-sinh.pdf", f.png_bytes(), "application/pdf"))
    with pytest.raises(DomainError) as info:
        receive(world, papers=papers)
    assert info.value.code == "file_content_mismatch"
    assert info.value.message == "Tệp “giay-chung-sinh.pdf” không phải là tệp PDF thật (nội dung là ảnh PNG)."
    nothing_stored(before)


def test_paper_of_another_procedure_is_refused(world):
    other = f.procedure_make(code="1.000002", name="Thủ tục khác")
    papers = f.papers_for(world["procedure"]) + [(str(f.submit_papers(other)[0].uuid), f.upload("x.pdf"))]
    with pytest.raises(DomainError) as info:
        receive(world, papers=papers)
    assert info.value.code == "unknown_paper"


def test_failure_after_files_were_written_removes_them(world):
    """The agency has no QCVN 102 code: the error comes after the scans were stored; they are removed."""
    world["agency"].code_qcvn102 = None
    world["agency"].save()
    before = stored_files()
    with pytest.raises(DomainError) as info:
        receive(world)
    assert info.value.code == "agency_code_missing"
    assert "QCVN 102" in info.value.message
    nothing_stored(before)


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"name": "  "}, "chưa nhập họ tên"),
        ({"id_number": "12345"}, "12 chữ số"),
        ({"kind": "business", "id_number": "0101"}, "mã số doanh nghiệp"),
        ({"phone": "abc"}, "số điện thoại"),
        ({"email": "khong-phai-email"}, "thư điện tử"),
        ({"kind": "robot"}, "loại người nộp"),
    ],
)
def test_applicant_checks(world, changes, fragment):
    with pytest.raises(DomainError) as info:
        receive(world, applicant=applicant(**changes))
    assert info.value.code == "invalid_applicant" and fragment in info.value.message
    assert Dossier.objects.count() == 0


def test_business_applicant(world):
    dossier = receive(world, applicant=applicant(kind="business", name="Công ty TNHH Tôm Cà Mau",
                                                 id_number="2000123456-001"))
    assert dossier.applicant_kind == "business" and dossier.applicant_id_number == "2000123456-001"


def test_bad_copies_delivery_and_form_data(world):
    for kwargs, code in (({"copies": 0}, "invalid_copies"), ({"copies": "x"}, "invalid_copies"),
                         ({"result_delivery": "drone"}, "invalid_result_delivery"),
                         ({"form_data": {"khong_co": "1"}}, "unknown_form_field"),
                         ({"form_data": ["x"]}, "invalid_form_data")):
        with pytest.raises(DomainError) as info:
            receive(world, **kwargs)
        assert info.value.code == code
    dossier = receive(world, form_data={"ho_ten_tre": " Nguyễn Văn Bé "}, copies=2, result_delivery="post")
    assert dossier.form_data == {"ho_ten_tre": "Nguyễn Văn Bé"} and dossier.copies == 2


def test_only_onestop_officers_of_the_agency_receive(world):
    other = f.agency_make(code="SXD", name="Sở Xây dựng", code_qcvn102="000.00.07.H12", code_qd20="H12.07")
    outsider = f.officer_make(other, username="motcua.sxd")
    specialist = f.user_make("chuyenvien.stp", role="specialist", agency=world["agency"])
    for actor in (outsider, specialist):
        with pytest.raises(DomainError) as info:
            receive(world, actor=actor)
        assert info.value.status == 403
    assert Dossier.objects.count() == 0


def test_supplement_at_counter_then_accept_when_the_applicant_returns(world):
    papers = f.papers_for(world["procedure"])[:1]
    dossier = reception.dossier_request_supplement_at_reception(
        actor=world["officer"], agency=world["agency"], procedure_code=world["procedure"].code,
        applicant=applicant(), reason="Thiếu giấy chứng sinh bản chính", papers=papers, received_at=MONDAY_9,
    )
    assert dossier.status == DossierStatus.RECEPTION_SUPPLEMENT
    assert dossier.code is None and dossier.due_at is None
    event = DossierEvent.objects.get(dossier=dossier, kind=EventKind.REQUEST_SUPPLEMENT)
    assert event.data["items"] == ["Bổ sung: Giấy chứng sinh"]  # the missing mandatory paper by default
    assert event.data["officer"] == "Lê Thị Tiếp Nhận"
    assert DossierFile.objects.get(dossier=dossier, role=FileRole.FORM).form_code == "02"
    assert DossierCounter.objects.count() == 0  # no code was used

    missing = f.submit_papers(world["procedure"])[1]
    with pytest.raises(DomainError) as info:
        reception.dossier_accept(actor=world["officer"], dossier=dossier)
    assert info.value.code == "missing_papers"
    later = MONDAY_9 + dt.timedelta(days=2)
    accepted = reception.dossier_accept(actor=world["officer"], dossier=dossier,
                                        papers=[(str(missing.uuid), f.upload("chung-sinh.pdf"))], received_at=later)
    assert accepted.status == DossierStatus.RECEIVED
    assert accepted.code == "000.00.05.H12-250716-0001"
    assert accepted.due_at == dt.datetime(2025, 7, 21, 17, 0, tzinfo=VN)
    assert DossierFile.objects.filter(dossier=dossier, role=FileRole.SUPPLEMENT).count() == 1
    assert set(DossierFile.objects.filter(dossier=dossier, role=FileRole.FORM).values_list("form_code", flat=True)) \
        == {"01", "02"}


def test_supplement_needs_a_reason_and_items_given_are_kept(world):
    with pytest.raises(DomainError) as info:
        reception.dossier_request_supplement_at_reception(
            actor=world["officer"], agency=world["agency"], procedure_code=world["procedure"].code,
            applicant=applicant(), reason=" ", received_at=MONDAY_9)
    assert info.value.code == "reason_required"
    dossier = reception.dossier_request_supplement_at_reception(
        actor=world["officer"], agency=world["agency"], procedure_code=world["procedure"].code,
        applicant=applicant(), reason="Tờ khai ghi sai ngày sinh", items="Khai lại tờ khai\n\nKhai lại tờ khai",
        papers=f.papers_for(world["procedure"]), received_at=MONDAY_9)
    event = DossierEvent.objects.get(dossier=dossier, kind=EventKind.REQUEST_SUPPLEMENT)
    assert event.data["items"] == ["Khai lại tờ khai"]


def test_refuse_at_counter_with_form03(world):
    with pytest.raises(DomainError) as info:
        reception.dossier_refuse_at_reception(actor=world["officer"], agency=world["agency"],
                                              procedure_code=world["procedure"].code, applicant=applicant(), reason="")
    assert info.value.code == "reason_required"
    assert Dossier.objects.count() == 0
    dossier = reception.dossier_refuse_at_reception(
        actor=world["officer"], agency=world["agency"], procedure_code=world["procedure"].code,
        applicant=applicant(), reason="Không thuộc thẩm quyền của Sở Tư pháp", received_at=MONDAY_9)
    assert dossier.status == DossierStatus.REFUSED and dossier.code is None
    assert DossierFile.objects.get(dossier=dossier, role=FileRole.FORM).form_code == "03"
    assert DossierDailyStat.objects.get(agency=world["agency"]).refused == 1
    with pytest.raises(DomainError) as info:
        reception.dossier_accept(actor=world["officer"], dossier=dossier)
    assert info.value.code == "not_waiting_for_reception" and info.value.status == 409


def _online(world) -> Dossier:
    """An online submission as the e-services side leaves it: status submitted, papers attached, no code."""
    procedure = world["procedure"]
    citizen = f.user_make("congdan01", role="citizen")
    dossier = Dossier.objects.create(
        procedure=procedure, procedure_version=procedure.current_version, receiving_agency=world["agency"],
        current_agency=world["agency"], status=DossierStatus.SUBMITTED, channel=Channel.ONLINE,
        applicant_name="Phạm Thị Mai", applicant_user=citizen, submitted_at=MONDAY_9 - dt.timedelta(days=3),
        result_delivery="online",
    )
    from egov.onestop.files import dossier_file_store, upload_check

    for paper in f.submit_papers(procedure):
        dossier_file_store(dossier=dossier, checked=upload_check(f.upload(f"p{paper.order}.pdf")),
                           role=FileRole.PAPER, required_paper=paper, actor=citizen)
    return dossier


def test_accept_online_submission(world):
    dossier = _online(world)
    accepted = reception.dossier_accept(actor=world["officer"], dossier=dossier, received_at=MONDAY_9)
    assert accepted.status == DossierStatus.RECEIVED and accepted.channel == Channel.ONLINE
    assert accepted.code == "000.00.05.H12-250714-0001"
    assert DossierFile.objects.filter(dossier=dossier, form_code="01").exists()
    assert DossierDailyStat.objects.get(agency=world["agency"], channel=Channel.ONLINE).received == 1


def test_online_supplement_only_once_then_refuse(world):
    dossier = _online(world)
    with pytest.raises(DomainError) as info:
        reception.dossier_request_supplement_online(actor=world["officer"], dossier=dossier, reason="Thiếu", items="")
    assert info.value.code == "items_required"
    reception.dossier_request_supplement_online(actor=world["officer"], dossier=dossier,
                                                reason="Ảnh chụp giấy chứng sinh bị mờ",
                                                items=["Chụp lại giấy chứng sinh rõ nét"])
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RECEPTION_SUPPLEMENT
    event = DossierEvent.objects.get(dossier=dossier, kind=EventKind.REQUEST_SUPPLEMENT)
    assert event.public and event.data["form"] == "02"
    # The citizen resubmits (e-services side), the officer may not ask a second time.
    dossier_transition(dossier=dossier, to=DossierStatus.SUBMITTED, kind=EventKind.SUPPLEMENT)
    with pytest.raises(DomainError) as info:
        reception.dossier_request_supplement_online(actor=world["officer"], dossier=dossier, reason="Lại thiếu",
                                                    items=["Thêm giấy"])
    assert info.value.code == "supplement_once" and info.value.status == 409
    refused = reception.dossier_reject_online_submission(actor=world["officer"], dossier=dossier,
                                                         reason="Hồ sơ không hợp lệ sau khi bổ sung")
    assert refused.status == DossierStatus.REFUSED
    assert DossierFile.objects.filter(dossier=dossier, form_code="03").exists()


def test_other_agency_officer_cannot_accept_online(world):
    dossier = _online(world)
    other = f.agency_make(code="SXD", name="Sở Xây dựng", code_qcvn102="000.00.07.H12", code_qd20="H12.07")
    with pytest.raises(DomainError) as info:
        reception.dossier_accept(actor=f.officer_make(other, username="motcua.sxd"), dossier=dossier)
    assert info.value.status == 403
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED and dossier.code is None


def test_procedure_without_rules_in_force(world):
    procedure = f.procedure_make(code="3.000003", name="Thủ tục mới", valid_from=dt.date(2030, 1, 1))
    with pytest.raises(DomainError) as info:
        receive(world, procedure_code=procedure.code, papers=[])
    assert info.value.code == "procedure_not_in_force"


def test_procedure_without_process_steps_gets_a_generic_step(world):
    bare = f.procedure_make(code="3.000004", name="Thủ tục chưa có quy trình", steps=(), days=Decimal(1))
    dossier = receive(world, procedure_code=bare.code, papers=f.papers_for(bare))
    steps = list(DossierStep.objects.filter(dossier=dossier).order_by("order"))
    assert [s.name for s in steps] == ["Tiếp nhận hồ sơ", "Giải quyết hồ sơ"]
    assert steps[1].deadline_at == dossier.due_at


def test_dossier_by_ref(world):
    dossier = receive(world)
    assert reception.dossier_by_ref(user=world["officer"], ref=dossier.code) == dossier
    assert reception.dossier_by_ref(user=world["officer"], ref=str(dossier.uuid)) == dossier
    for ref in ("", "không-phải-mã", "000.00.05.H12-250714-9999"):
        with pytest.raises(DomainError) as info:
            reception.dossier_by_ref(user=world["officer"], ref=ref)
        assert info.value.status == 404
    stranger = f.officer_make(f.agency_make(code="SXD", name="Sở Xây dựng", code_qcvn102="000.00.07.H12",
                                            code_qd20="H12.07"), username="motcua.sxd")
    with pytest.raises(DomainError):
        reception.dossier_by_ref(user=stranger, ref=dossier.code)


@hypothesis.settings(max_examples=200, deadline=None)
@hypothesis.given(st.builds(
    reception.Applicant, name=st.text(max_size=300), kind=st.sampled_from(["person", "business", "robot"]),
    id_number=st.text(max_size=30), address=st.text(max_size=600), phone=st.text(max_size=30),
    email=st.text(max_size=80),
))
def test_applicant_is_cleaned_or_refused_in_vietnamese(value):
    try:
        cleaned = reception.applicant_clean(value)
    except DomainError as error:
        assert error.code == "invalid_applicant" and error.message.startswith("Thông tin người nộp chưa đúng")
    else:
        assert cleaned.name and len(cleaned.name) <= 255 and len(cleaned.address) <= 500
