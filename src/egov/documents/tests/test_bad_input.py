"""Bad input at the incoming pages (issue 3, last paragraph), through the Django test client: each case answers a
clear Vietnamese message, never a 500, and leaves nothing half-stored.

- a file renamed to .pdf and an upload over ``DOCUMENTS_MAX_UPLOAD_MB``: refused at upload (400), no file row,
  no document; on the register form the whole registration is refused (no arrival number taken);
- a number that does not parse: the register form answers 400, no document, the counter untouched;
- a corrupt or encrypted PDF: its header is a PDF's, so the upload keeps it (issue 3.2: "the upload is never
  lost") and the text step fails with its Vietnamese reason and a retry; no document is registered from it;
- a deadline on a holiday: a leader gives the deadline in working days (the page and the API have no date field),
  so ``add_working_time`` skips non-working days: directing on the working day before a non-working day with one
  working day lands on the next working day after it, never on the holiday.
"""

import datetime as dt

import pytest
from django.urls import reverse

from egov.documents.models import DocumentFile, IncomingDocument, IntakeStep, RegisterCounter
from egov.documents.services.handling import incoming_direct
from egov.documents.services.intake import STEP_ORDER, intake_step_run
from egov.documents.tests import intake_world as iw
from egov.documents.tests.world_incoming import VN, register, world_make
from egov.workdays import loader
from egov.workdays.services import is_working_day

pytestmark = pytest.mark.django_db
INTAKE = "/can-bo/van-ban/tiep-nhan-tep/"
REGISTER = "/can-bo/van-ban/den/vao-so/"


@pytest.fixture
def w(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    loader.reset()
    return world_make()


@pytest.fixture
def clerk(client, w):
    client.force_login(w.clerk)
    return client


def _form(w, **overrides) -> dict:
    values = {"register": str(w.register.uuid), "summary": "Về việc rà soát thủ tục hành chính lĩnh vực hộ tịch",
              "received_at": "2026-11-23T09:00", "channel": "paper", "number": "123", "notation": "QĐ-UBND",
              "issued_date": "20/11/2026", "issuer_name": "Ủy ban nhân dân tỉnh Cà Mau", "urgency": "0",
              "secrecy": "0"}
    values.update(overrides)
    return values


def _nothing_stored():
    assert DocumentFile.objects.count() == 0
    assert IncomingDocument.objects.count() == 0
    assert IntakeStep.objects.count() == 0
    assert not RegisterCounter.objects.filter(last_value__gt=0).exists()


def test_file_renamed_to_pdf_is_refused_by_content(clerk, w):
    renamed = iw.upload("cong-van.pdf", b"Day la van ban thuong, khong phai PDF.\n" * 40, "application/pdf")
    response = clerk.post(INTAKE, {"files": [renamed], "kind": "main"})
    assert response.status_code == 400
    assert "không được nhận: nội dung thật của tệp là" in response.content.decode()
    _nothing_stored()

    renamed.seek(0)
    response = clerk.post(REGISTER, {**_form(w), "uploads": [renamed]})
    assert response.status_code == 400
    assert "nội dung thật của tệp là" in response.content.decode()
    _nothing_stored()


def test_upload_over_the_configured_limit_is_refused(clerk, w, settings):
    settings.DOCUMENTS_MAX_UPLOAD_MB = 1
    big = iw.text_pdf() + b"%" + b"0" * (1024 * 1024)
    response = clerk.post(INTAKE, {"files": [iw.upload("qd-lon.pdf", big, "application/pdf")], "kind": "main"})
    assert response.status_code == 400
    assert "vượt quá giới hạn 1 MB" in response.content.decode()
    _nothing_stored()

    response = clerk.post(REGISTER, {**_form(w), "uploads": [iw.upload("qd-lon.pdf", big, "application/pdf")]})
    assert response.status_code == 400
    assert "vượt quá giới hạn 1 MB" in response.content.decode()
    _nothing_stored()


@pytest.mark.parametrize("number", ["12a", "123/QĐ", "mười hai", "-5"])
def test_number_that_does_not_parse_is_refused(clerk, w, number):
    response = clerk.post(REGISTER, {**_form(w, number=number), "uploads": [iw.upload("qd.pdf", iw.text_pdf())]})
    assert response.status_code == 400
    assert "chỉ gồm chữ số" in response.content.decode()
    _nothing_stored()


@pytest.mark.parametrize(("maker", "reason"), [(iw.corrupt_pdf, "Tệp PDF bị hỏng, không đọc được"),
                                               (iw.encrypted_pdf, "mật khẩu")])
def test_corrupt_or_encrypted_pdf_is_kept_and_fails_its_step_with_a_reason(clerk, w, maker, reason):
    response = clerk.post(INTAKE, {"files": [iw.upload("van-ban.pdf", maker(), "application/pdf")], "kind": "main"})
    assert response.status_code == 302  # kept for the clerk: the upload is never lost
    record = DocumentFile.objects.get()
    for step in STEP_ORDER:
        intake_step_run(file_uuid=str(record.uuid), name=step)
    failed = IntakeStep.objects.get(file=record, status="failed")
    assert reason in failed.error
    record.refresh_from_db()
    assert record.text == "" and record.incoming_id is None and IncomingDocument.objects.count() == 0
    progress = clerk.get(reverse("documents:intake_progress") + f"?tep={record.uuid}")
    html = progress.content.decode()
    assert progress.status_code == 200 and reason in html and "Thử lại" in html


def _non_working_after(start: dt.date) -> tuple[dt.date, dt.date]:
    """The first non-working day after ``start`` whose previous day is a working day, and that previous day."""
    day = start
    while not (not is_working_day(day) and is_working_day(day - dt.timedelta(days=1))):
        day += dt.timedelta(days=1)
    return day - dt.timedelta(days=1), day


def test_deadline_never_falls_on_a_non_working_day(w):
    loader.reset()
    holiday_eve, holiday = _non_working_after(dt.date(2026, 4, 27))  # around 30/4 – 1/5
    document = register(w, received_at=dt.datetime.combine(holiday_eve, dt.time(8, 0), tzinfo=VN),
                        issued_date=holiday_eve)
    now = dt.datetime.combine(holiday_eve, dt.time(9, 0), tzinfo=VN)
    created = incoming_direct(actor=w.leader, document=document, lead_assignee=w.specialist, due_days="1",
                              instruction="Xử lý trong 1 ngày làm việc", now=now)
    due = created[0].due_at.astimezone(VN).date()
    assert due > holiday and is_working_day(due)
    assert all(not is_working_day(holiday_eve + dt.timedelta(days=k)) for k in range(1, (due - holiday_eve).days))


def test_direction_with_a_bad_due_value_is_refused_in_vietnamese(client, w):
    document = register(w)
    client.force_login(w.leader)
    url = reverse("documents:incoming_direct", kwargs={"uuid": document.uuid})
    response = client.post(url, {"lead": f"user:{w.specialist.username}", "instruction": "Xử lý",
                                 "due_days": "30/04/2026"})
    assert response.status_code == 400
    assert "Số ngày làm việc" in response.content.decode()
    document.refresh_from_db()
    assert document.status == "registered" and document.assignments.count() == 0
