"""Registers (screen rows, Excel, PDF) and handling statistics, from documents made with the ORM."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from egov.core.errors import DomainError
from egov.documents import selectors_reports as sel
from egov.documents.models import Assignment, AssignmentRole, AssignmentStatus, Direction, Secrecy
from egov.documents.reports import excel, pdf
from egov.documents.tests import world_workfiles as ww
from egov.workdays.services import add_working_time

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 10)


def _pdf_text(content: bytes) -> str:
    """The PDF's text without white space: narrow columns wrap words onto several lines."""
    return "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


@pytest.fixture
def w():
    return ww.world()


def _registers(w):
    first = ww.incoming_make(w, 1, received=ww.at(DAY), summary="Về việc tổ chức Ngày Pháp luật",
                             issuer_name="Bộ Tư pháp", number_notation="45/BTP-PBGDPL")
    due = add_working_time(ww.at(DAY), days=5)
    ww.assignment_make(w, first, unit=w["legal"], due_at=due)
    ww.assignment_make(w, first, unit=w["office"], due_at=due, role=AssignmentRole.COOPERATING)
    ww.incoming_make(w, 2, received=ww.at(DAY, 14), summary="Văn bản mật về công tác bảo vệ",
                     secrecy=Secrecy.CONFIDENTIAL)
    ww.incoming_make(w, 3, received=ww.at(DAY + dt.timedelta(days=40)))  # outside the period
    ww.incoming_make(w, 1, received=ww.at(DAY), agency=w["other"], summary="Của Sở Xây dựng")
    ww.outgoing_make(w, 7, issued=ww.at(DAY, 16), summary="Báo cáo kết quả Ngày Pháp luật", in_reply_to=first,
                     external_recipients="- Bộ Tư pháp;\n- Lưu: VT, PBGDPL.")
    ww.outgoing_make(w, 8, issued=ww.at(DAY, 17), electronic=False)
    return first


def test_incoming_register_rows_and_secret_documents(w):
    _registers(w)
    start, end = DAY - dt.timedelta(days=9), DAY + dt.timedelta(days=20)
    as_clerk = sel.register_for(w["clerk"], agency=w["agency"], direction=Direction.INCOMING, start=start, end=end,
                                register=w["in_register"], export=True)
    rows = list(as_clerk.rows())
    assert [r["arrival_number"] for r in rows] == ["00001", "00002"]
    first = rows[0]
    assert first["received_at"] == "10/03/2026 09:00"
    assert first["origin"] == "Bộ Tư pháp; 45/BTP-PBGDPL; 10/03/2026"
    assert "Phòng Phổ biến, giáo dục pháp luật" in first["receivers"] and "(phối hợp)" in first["receivers"]
    assert first["due"] == "17/03/2026" and first["replies"] == "07/STP-VP"
    # A specialist sees the register on screen without the secret document, and may not export it.
    as_specialist = sel.register_for(w["specialist"], agency=w["agency"], direction=Direction.INCOMING,
                                     start=start, end=end)
    assert [r["arrival_number"] for r in as_specialist.rows()] == ["00001"] and as_specialist.secret_hidden
    with pytest.raises(DomainError) as error:
        sel.register_for(w["specialist"], agency=w["agency"], direction=Direction.INCOMING, start=start, end=end,
                         export=True)
    assert error.value.status == 403
    with pytest.raises(DomainError) as error:
        sel.register_for(w["other_clerk"], agency=w["agency"], direction=Direction.INCOMING, start=start, end=end)
    assert error.value.status == 403


def test_register_excel_and_pdf_contain_the_rows(w):
    _registers(w)
    start, end = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    incoming = sel.register_for(w["clerk"], agency=w["agency"], direction=Direction.INCOMING, start=start, end=end,
                                export=True)
    sheet = load_workbook(io.BytesIO(excel.register_workbook(incoming))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" and values[3][0] == "Từ ngày 01/03/2026 đến ngày 31/03/2026"
    assert values[5][:3] == ("Số đến", "Ngày đến", "Tác giả; số, ký hiệu; ngày văn bản")
    assert [v[0] for v in values[6:]] == ["00001", "00002"]
    assert "Ngày Pháp luật" in values[6][3]

    outgoing = sel.register_for(w["leader"], agency=w["agency"], direction=Direction.OUTGOING, start=start, end=end,
                                export=True)
    out_rows = list(outgoing.rows())
    assert len(outgoing.columns) == 10 and [r["number_notation"] for r in out_rows] == ["07/STP-VP", "08/STP-VP"]
    assert out_rows[0]["recipients"] == "Bộ Tư pháp; Lưu: VT, PBGDPL." and out_rows[0]["copies"] == 3
    assert "bản giấy" in out_rows[1]["note"]

    text = _pdf_text(pdf.register_pdf(incoming))
    assert "SỔĐĂNGKÝVĂNBẢNĐẾN" in text and "45/BTP-PBGDPL" in text and "NgàyPhápluật" in text
    assert "00001" in text and "00002" in text
    content = pdf.register_pdf(outgoing, officer=w["clerk"])
    box = PdfReader(io.BytesIO(content)).pages[0].mediabox
    assert box.width > box.height  # A4 landscape
    text = _pdf_text(content)
    assert "07/STP-VP" in text and "08/STP-VP" in text and "Báocáokếtquả" in text and "NguyễnThịVănThư" in text


def test_register_limits(w, monkeypatch):
    _registers(w)
    with pytest.raises(DomainError, match="tối đa 366 ngày"):
        sel.register_for(w["clerk"], agency=w["agency"], direction=Direction.INCOMING, start=dt.date(2025, 1, 1),
                         end=dt.date(2026, 3, 1))
    with pytest.raises(DomainError, match="Đến ngày phải sau"):
        sel.register_for(w["clerk"], agency=w["agency"], direction=Direction.INCOMING, start=DAY,
                         end=DAY - dt.timedelta(days=1))
    monkeypatch.setattr(sel, "REGISTER_PDF_MAX_ROWS", 1)
    register = sel.register_for(w["clerk"], agency=w["agency"], direction=Direction.INCOMING,
                                start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), export=True)
    with pytest.raises(DomainError, match="quá 1 dòng"):
        pdf.register_pdf(register)
    for bad in ("31/02/2026", "2026/03/01", ""):
        with pytest.raises(DomainError) as error:
            sel.parse_day(bad, label="Từ ngày")
        assert error.value.code == "invalid_date"


def test_handling_statistics_across_the_april_holidays(w):
    """Assigned on 29/04/2026 with 2 working days: 30/04 and 01/05 are holidays, 02–03/05 a weekend, so the
    deadline is the end of 05/05. Done 04/05 is early, 05/05 on time, 06/05 late."""
    given = ww.at(dt.date(2026, 4, 29))
    due = add_working_time(given, days=2)
    assert due.date() == dt.date(2026, 5, 5)
    later_due = add_working_time(given, days=10)
    doc = ww.incoming_make(w, 1, received=given)
    legal, office = w["legal"], w["office"]
    for unit, assignee, completed, deadline in (
        (legal, None, ww.at(dt.date(2026, 5, 4), 10), due),        # early
        (legal, None, ww.at(dt.date(2026, 5, 5), 16), due),        # on time
        (None, w["clerk"], ww.at(dt.date(2026, 5, 6), 8), due),    # late, counted for the clerk's unit (office)
        (legal, None, None, due),                                   # overdue at "now"
        (office, None, None, later_due),                            # in progress
        (None, w["leader"], None, None),                            # in progress, leader has no unit
    ):
        ww.assignment_make(w, doc, unit=unit, assignee=assignee, due_at=deadline, completed_at=completed,
                           created_at=given)
    ww.assignment_make(w, doc, unit=legal, due_at=due, role=AssignmentRole.FOR_INFORMATION, created_at=given)
    # Re-assigned inside the office and not done: overdue for the office; the inner assignment is not counted.
    handed = ww.assignment_make(w, doc, unit=office, due_at=due, status=AssignmentStatus.REASSIGNED,
                                created_at=given)
    inner = ww.assignment_make(w, doc, assignee=w["clerk"], due_at=due, created_at=given)
    Assignment.objects.filter(pk=inner.pk).update(parent=handed)
    ww.assignment_make(w, doc, unit=legal, due_at=due, created_at=ww.at(dt.date(2026, 6, 2)))  # outside
    foreign = ww.incoming_make(w, 1, received=given, agency=w["other"])
    ww.assignment_make(w, foreign, assignee=w["other_clerk"], due_at=due, created_at=given)

    stats = sel.handling_statistics(w["leader"], agency=w["agency"], start=dt.date(2026, 4, 1),
                                    end=dt.date(2026, 5, 31), now=ww.at(dt.date(2026, 5, 6), 12))
    table = {r.label: (r.total, r.done, r.early, r.on_time, r.late, r.in_progress, r.overdue) for r in stats.rows}
    assert table == {
        "Phòng Phổ biến, giáo dục pháp luật": (3, 2, 1, 1, 0, 0, 1),
        "Văn phòng Sở": (3, 1, 0, 0, 1, 1, 1),
        sel.NO_UNIT: (1, 0, 0, 0, 0, 1, 0),
    }
    totals = stats.totals
    assert (totals.total, totals.done, totals.early, totals.on_time, totals.late, totals.in_progress,
            totals.overdue) == (7, 3, 1, 1, 1, 2, 2)
    assert totals.on_time_rate == pytest.approx(66.7)

    ww.outgoing_make(w, 1, issued=ww.at(dt.date(2026, 4, 2)))
    ww.outgoing_make(w, 2, issued=ww.at(dt.date(2026, 4, 3)))
    ww.outgoing_make(w, 3, issued=ww.at(dt.date(2026, 4, 6)), electronic=False)
    ww.outgoing_make(w, 4, issued=ww.at(dt.date(2026, 7, 6)))  # outside
    [share] = sel.electronic_share(w["leader"], agency=w["agency"], start=dt.date(2026, 4, 1),
                                   end=dt.date(2026, 5, 31))
    assert (share.issued, share.electronic, share.share) == (3, 2, 66.7)

    book = load_workbook(io.BytesIO(excel.statistics_workbook(stats, [share])))
    rows = list(book["Xử lý văn bản đến"].iter_rows(values_only=True))
    assert rows[5][:3] == ("STT", "Phòng, ban", "Được giao")
    assert rows[6][1:9] == ("Phòng Phổ biến, giáo dục pháp luật", 3, 2, 1, 1, 0, 0, 1)
    assert rows[-1][1:9] == ("Tổng cộng", 7, 3, 1, 1, 1, 2, 2)
    share_rows = list(book["Văn bản đi điện tử"].iter_rows(values_only=True))
    assert share_rows[-1][:4] == ("STP", "Sở Tư pháp", 3, 2)
    with pytest.raises(DomainError) as error:
        sel.handling_statistics(w["other_clerk"], agency=w["agency"], start=dt.date(2026, 4, 1),
                                end=dt.date(2026, 5, 31))
    assert error.value.status == 403


def test_register_statistics_and_work_file_from_the_real_services(w):
    """A document registered by the clerk, directed by the leader and completed by the unit, through the
    incoming and handling services, shows up in the register and the statistics and can be filed."""
    from django.utils import timezone

    from egov.documents.services import handling, incoming
    from egov.documents.services import workfiles as svc

    document = incoming.incoming_register(actor=w["clerk"], register=w["in_register"],
                                          summary="Về việc góp ý dự thảo quy chế", number="12",
                                          notation="UBND-VP", issuer_name="Ủy ban nhân dân tỉnh Cà Mau",
                                          issued_date=timezone.localdate(), type_name="Công văn")
    lead, cooperating = handling.incoming_direct(actor=w["leader"], document=document, lead_unit=w["legal"],
                                                 cooperating_units=[w["office"]], instruction="Phòng PBGDPL chủ trì",
                                                 due_days=3)
    handling.assignment_complete(actor=w["specialist"], assignment=lead, note="Đã góp ý bằng văn bản")
    today = timezone.localdate()
    register = sel.register_for(w["clerk"], agency=w["agency"], direction=Direction.INCOMING, start=today,
                                end=today)
    [row] = list(register.rows())
    assert row["arrival_number"] == "00001" and "Phòng Phổ biến, giáo dục pháp luật" in row["receivers"]
    assert "Văn phòng Sở (phối hợp)" in row["receivers"] and row["progress"].startswith("Đã hoàn thành")
    stats = sel.handling_statistics(w["leader"], agency=w["agency"], start=today, end=today)
    table = {r.label: (r.total, r.done, r.early, r.in_progress) for r in stats.rows}
    assert table == {"Phòng Phổ biến, giáo dục pháp luật": (1, 1, 1, 0), "Văn phòng Sở": (1, 0, 0, 1)}
    work_file = svc.workfile_create(actor=w["clerk"], year=today.year, notation="02.PBGDPL",
                                    title="Góp ý dự thảo văn bản", retention="10-nam")
    svc.workfile_open(actor=w["clerk"], work_file=work_file)
    svc.workfile_document_add(actor=w["clerk"], work_file=work_file, incoming=document)
    assert sel.workfile_index(work_file).rows[0]["arrival"] == f"1/{today.year}"
