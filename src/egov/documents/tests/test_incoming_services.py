"""Registration of incoming documents: numbering per register and year, fields, duplicates, files, rights."""

import datetime as dt

import pytest

from egov.core.errors import DomainError, PermissionDeniedError
from egov.core.models import AuditEntry
from egov.documents.models import DocumentFile, DocumentType, IncomingStatus, RetentionPeriod, Secrecy, Urgency
from egov.documents.services.incoming import file_upload_any
from egov.documents.tests.world_incoming import VN, pdf_upload, register, world_make

pytestmark = pytest.mark.django_db


def test_reference_data_is_in_every_database():
    assert DocumentType.objects.count() == 29
    assert DocumentType.objects.get(code="quy-dinh").abbreviation == "QyĐ"
    assert "\u0110" in DocumentType.objects.get(code="quy-dinh").abbreviation
    assert DocumentType.objects.get(code="to-trinh").abbreviation == "TTr"
    assert DocumentType.objects.get(code="chuong-trinh").abbreviation == "CTr"
    assert DocumentType.objects.get(code="cong-van").abbreviation == ""
    assert set(DocumentType.objects.filter(is_legal_normative=True).values_list("code", flat=True)) == {
        "nghi-quyet", "quyet-dinh"}
    years = set(RetentionPeriod.objects.values_list("years", flat=True))
    assert {5, 10, 20, 50, 70, None} <= years  # the work-files area seeds the same codes (and 2 years)
    assert all("10/2022/TT-BNV" in r.legal_basis for r in RetentionPeriod.objects.all())


def test_arrival_numbers_run_per_register_and_restart_each_year():
    w = world_make()
    first = register(w)
    second = register(w, number="124")
    last_year = register(w, number="5", issued_date=dt.date(2025, 12, 30),
                         received_at=dt.datetime(2025, 12, 31, 16, 0, tzinfo=VN))
    secret = register(w, register=w.secret_register, secrecy=Secrecy.CONFIDENTIAL, number="9")
    assert (first.arrival_number, second.arrival_number, last_year.arrival_number) == (1, 2, 1)
    assert (first.arrival_year, last_year.arrival_year) == (2026, 2025)
    assert secret.arrival_number == 1
    assert first.number_notation == "123/UBND-VP"
    assert first.type_name == "Công văn" and first.status == IncomingStatus.REGISTERED
    assert first.events.get().action == "registered"
    assert AuditEntry.objects.filter(action="documents.incoming_register", object_id=str(first.uuid)).exists()


def test_likely_duplicate_is_flagged_not_refused():
    w = world_make()
    original = register(w)
    again = register(w, issuer_name="ủy ban nhân dân tỉnh cà mau")
    other_date = register(w, issued_date=dt.date(2026, 11, 21))
    assert again.possible_duplicate_of == original
    assert other_date.possible_duplicate_of is None
    assert again.arrival_number == 2


@pytest.mark.parametrize("overrides, code", [
    ({"summary": "  "}, "summary_required"),
    ({"number": "12a"}, "invalid_number"),
    ({"summary": "x" * 501}, "invalid_input"),
    ({"urgency": 9}, "invalid_input"),
    ({"secrecy": Secrecy.SECRET}, "secret_register_required"),
    ({"issued_date": dt.date(2026, 11, 24)}, "invalid_issued_date"),
    ({"document_type": "khong-co"}, "invalid_document_type"),
    ({"received_at": dt.datetime(2099, 1, 1, tzinfo=VN)}, "invalid_received_at"),
    ({"files": ["not-a-uuid"]}, "invalid_file"),
])
def test_bad_input_is_a_vietnamese_error_and_nothing_is_stored(overrides, code):
    w = world_make()
    with pytest.raises(DomainError) as info:
        register(w, **overrides)
    assert info.value.code == code
    assert info.value.message
    assert not w.agency.incoming_documents.exists()


def test_only_the_agency_clerk_registers():
    w = world_make()
    for actor in (w.leader, w.specialist, w.other_clerk):
        with pytest.raises(PermissionDeniedError):
            register(w, actor=actor)
    assert not w.agency.incoming_documents.exists()
    theirs = register(w, actor=w.other_clerk, register=w.other_register)
    assert theirs.agency == w.other and theirs.arrival_number == 1


def test_files_uploaded_before_are_attached_and_uploads_checked_by_content():
    w = world_make()
    uploaded = file_upload_any(actor=w.clerk, agency=w.agency, uploaded_file=pdf_upload())
    foreign = file_upload_any(actor=w.other_clerk, agency=w.other, uploaded_file=pdf_upload())
    with pytest.raises(DomainError) as info:
        register(w, files=[str(foreign.uuid)])
    assert info.value.code == "invalid_file"
    document = register(w, files=[str(uploaded.uuid)], uploads=[pdf_upload("phu-luc.pdf")],
                        urgency=Urgency.URGENT)
    assert sorted(document.files.values_list("original_name", flat=True)) == ["cong-van.pdf", "phu-luc.pdf"]
    with pytest.raises(DomainError) as info:
        register(w, files=[str(uploaded.uuid)])
    assert info.value.code == "file_attached"
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(DomainError) as info:
        register(w, uploads=[SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100)])
    assert info.value.code.startswith("file_type")  # the intake area's check, or ours before it existed
    assert DocumentFile.objects.filter(incoming__isnull=True, agency=w.agency).count() == 0
