"""Work files through the services: the yearly list, approval, open, fill in order, close, hand over; the
refusals are Vietnamese DomainErrors that change nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from egov.core.errors import DomainError
from egov.core.models import AuditEntry
from egov.documents import selectors_reports as sel
from egov.documents.models import DocumentEvent, WorkFile, WorkFileItem, WorkFileStatus
from egov.documents.services import workfiles as svc
from egov.documents.tests import world_workfiles as ww

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return ww.world()


def _file(w, notation="01.TCCB", retention="10-nam", **extra):
    return svc.workfile_create(actor=w["clerk"], year=timezone.localdate().year, notation=notation,
                               title="Hồ sơ về công tác tổ chức cán bộ", retention=retention,
                               heading="I. Tổ chức, cán bộ", unit=w["office"], **extra)


def _snapshot(work_file):
    work_file.refresh_from_db()
    return (work_file.status, work_file.start_date, work_file.end_date, work_file.retention_id,
            list(work_file.items.values_list("incoming_id", "outgoing_id", "ordinal")))


def test_full_life_of_a_file(w):
    today = timezone.localdate()
    work_file = _file(w)
    assert work_file.status == WorkFileStatus.PLANNED
    assert svc.workfile_code(work_file) == f"000.00.05.H12.{today.year}.01.TCCB"
    assert svc.file_list_approve(actor=w["leader"], year=today.year) == 1
    work_file.refresh_from_db()
    assert work_file.approved_by == w["leader"] and work_file.approved_at is not None

    svc.workfile_open(actor=w["clerk"], work_file=work_file)
    first = ww.incoming_make(w, 1, received=ww.at(today), page_count=3)
    reply = ww.outgoing_make(w, 1, issued=ww.at(today, 15))
    second = ww.incoming_make(w, 2, received=ww.at(today, 10))
    for doc in (first, second):
        svc.workfile_document_add(actor=w["clerk"], work_file=work_file, incoming=doc)
    svc.workfile_document_add(actor=w["clerk"], work_file=work_file, outgoing=str(reply.uuid))
    assert list(work_file.items.values_list("ordinal", flat=True)) == [1, 2, 3]

    # Removing the first moves the others up; the same document may sit in another file too.
    svc.workfile_document_remove(actor=w["clerk"], work_file=work_file, incoming=first)
    items = list(work_file.items.order_by("ordinal"))
    assert [(i.ordinal, i.incoming_id, i.outgoing_id) for i in items] == [(1, second.pk, None), (2, None, reply.pk)]
    other_file = _file(w, notation="02.VP")
    svc.workfile_open(actor=w["clerk"], work_file=other_file)
    svc.workfile_document_add(actor=w["clerk"], work_file=other_file, incoming=second)
    assert WorkFileItem.objects.filter(incoming=second).count() == 2
    assert DocumentEvent.objects.filter(incoming=second, action="workfile_add").count() == 2

    svc.workfile_close(actor=w["clerk"], work_file=work_file, retention="20-nam")
    work_file.refresh_from_db()
    assert (work_file.status, work_file.end_date, work_file.retention.code) == (WorkFileStatus.CLOSED, today,
                                                                                "20-nam")
    index = sel.workfile_index(work_file)
    assert [r["number_notation"] for r in index.rows] == ["2/UBND-VP", "01/STP-VP"]
    assert (index.doc_total, index.page_total) == (2, 3)

    svc.workfile_hand_over(actor=w["clerk"], work_file=work_file)
    work_file.refresh_from_db()
    assert work_file.status == WorkFileStatus.ARCHIVED and work_file.archived_at is not None
    actions = set(AuditEntry.objects.filter(object_id=str(work_file.uuid)).values_list("action", flat=True))
    assert {"documents.workfile_create", "documents.workfile_open", "documents.workfile_document_add",
            "documents.workfile_document_remove", "documents.workfile_close",
            "documents.workfile_hand_over"} <= actions


def test_closed_file_is_read_only_and_refusals_change_nothing(w):
    today = timezone.localdate()
    work_file = _file(w, retention="2-nam")
    doc = ww.incoming_make(w, 1, received=ww.at(today))
    svc.workfile_open(actor=w["clerk"], work_file=work_file)
    with pytest.raises(DomainError, match="chưa có văn bản"):
        svc.workfile_close(actor=w["clerk"], work_file=work_file)
    svc.workfile_document_add(actor=w["clerk"], work_file=work_file, incoming=doc)
    svc.workfile_close(actor=w["clerk"], work_file=work_file)
    before = _snapshot(work_file)
    foreign = ww.incoming_make(w, 1, received=ww.at(today), agency=w["other"])
    attempts = [
        (lambda: svc.workfile_close(actor=w["clerk"], work_file=work_file), "invalid_state", "đã đóng"),
        (lambda: svc.workfile_document_add(actor=w["clerk"], work_file=work_file,
                                           incoming=ww.incoming_make(w, 2, received=ww.at(today))),
         "invalid_state", "thêm văn bản"),
        (lambda: svc.workfile_document_remove(actor=w["clerk"], work_file=work_file, incoming=doc),
         "invalid_state", "bỏ văn bản"),
        (lambda: svc.workfile_open(actor=w["clerk"], work_file=work_file), "invalid_state", "mở hồ sơ"),
        (lambda: svc.workfile_hand_over(actor=w["clerk"], work_file=work_file), "retention_too_short", "5 năm"),
    ]
    for action, code, fragment in attempts:
        with pytest.raises(DomainError) as error:
            action()
        assert error.value.code == code and fragment in error.value.message
        assert error.value.status in (400, 403, 404, 409)
        assert _snapshot(work_file) == before

    # A document of another agency is refused while the file is open.
    open_file = _file(w, notation="03.PB")
    svc.workfile_open(actor=w["clerk"], work_file=open_file)
    with pytest.raises(DomainError) as error:
        svc.workfile_document_add(actor=w["clerk"], work_file=open_file, incoming=foreign)
    assert error.value.code == "foreign_document" and error.value.status == 403
    assert not open_file.items.exists()
    with pytest.raises(DomainError, match="đã có trong hồ sơ"):
        svc.workfile_document_add(actor=w["clerk"], work_file=open_file, incoming=doc)
        svc.workfile_document_add(actor=w["clerk"], work_file=open_file, incoming=doc)
    assert open_file.items.count() == 1


@pytest.mark.parametrize("changes, code", [
    ({"notation": ""}, "invalid_notation"),
    ({"notation": "01 TCCB có dấu cách"}, "invalid_notation"),
    ({"title": "  "}, "invalid_input"),
    ({"retention": "99 năm"}, "invalid_retention"),
    ({"year": "năm nay"}, "invalid_year"),
    ({"year": 1990}, "invalid_year"),
])
def test_bad_file_list_entries(w, changes, code):
    data = {"year": timezone.localdate().year, "notation": "01.TCCB", "title": "Hồ sơ tổ chức cán bộ",
            "retention": "10-nam", **changes}
    with pytest.raises(DomainError) as error:
        svc.workfile_create(actor=w["clerk"], **data)
    assert error.value.code == code
    assert not WorkFile.objects.exists()


def test_duplicate_notation_and_roles(w):
    _file(w)
    with pytest.raises(DomainError) as error:
        _file(w, notation="01.tccb")
    assert error.value.code == "duplicate_notation" and error.value.status == 409
    with pytest.raises(DomainError) as error:
        svc.workfile_create(actor=w["specialist"], year=timezone.localdate().year, notation="09.X", title="X",
                            retention="5-nam")
    assert error.value.status == 403 and "văn thư" in error.value.message
    with pytest.raises(DomainError) as error:
        svc.file_list_approve(actor=w["clerk"], year=timezone.localdate().year)
    assert error.value.status == 403
    # The other agency's clerk cannot open, the specialist keeping the file can.
    kept = _file(w, notation="05.PB", owner=w["specialist"])
    with pytest.raises(DomainError) as error:
        svc.workfile_open(actor=w["other_clerk"], work_file=kept)
    assert error.value.status == 403
    svc.workfile_open(actor=w["specialist"], work_file=kept)
    with pytest.raises(DomainError) as error:
        svc.workfile_create(actor=w["clerk"], year=timezone.localdate().year, notation="06.X", title="X",
                            retention="5-nam", owner=w["other_clerk"])
    assert error.value.code == "invalid_owner"


def test_due_for_hand_over(w):
    today = timezone.localdate()
    old = today - dt.timedelta(days=500)  # calendar age of a closed file, not a working-day deadline
    rows = []
    for notation, code, status, end in (("01.A", "10-nam", WorkFileStatus.CLOSED, old),
                                        ("02.B", "vinh-vien", WorkFileStatus.CLOSED, old),
                                        ("03.C", "2-nam", WorkFileStatus.CLOSED, old),
                                        ("04.D", "10-nam", WorkFileStatus.CLOSED, today),
                                        ("05.E", "10-nam", WorkFileStatus.ARCHIVED, old)):
        rows.append(WorkFile.objects.create(agency=w["agency"], year=old.year, notation=notation, title=notation,
                                            retention=ww.retention(code), status=status, start_date=old,
                                            end_date=end))
    due = sel.workfiles_due_for_handover(agency=w["agency"], today=today)
    assert [f.notation for f in due] == ["01.A", "02.B"]


def test_secret_document_needs_the_right_to_see_it(w):
    kept = _file(w, notation="07.PB", owner=w["specialist"])
    svc.workfile_open(actor=w["specialist"], work_file=kept)
    secret = ww.incoming_make(w, 3, received=ww.at(timezone.localdate()), secrecy=1, summary="Văn bản mật")
    with pytest.raises(DomainError) as error:
        svc.workfile_document_add(actor=w["specialist"], work_file=kept, incoming=secret)
    assert error.value.status == 403 and "không được xem" in error.value.message
    assert not kept.items.exists()
    ww.assignment_make(w, secret, assignee=w["specialist"], due_at=None)  # now he handles it, so he sees it
    svc.workfile_document_add(actor=w["specialist"], work_file=kept, incoming=secret)
    svc.workfile_document_add(actor=w["clerk"], work_file=kept, outgoing=ww.outgoing_make(
        w, 9, issued=ww.at(timezone.localdate())))
    assert list(kept.items.values_list("ordinal", flat=True)) == [1, 2]
