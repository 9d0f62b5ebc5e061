"""The intake pipeline through the real stack: upload checks, the four steps as tasks (run at enqueue time by
the test settings' ImmediateBackend once the upload commits), OCR of a scan made at test time, failure with its
Vietnamese reason, retry from the failed step, idempotent re-runs."""

import hashlib
import io
from pathlib import Path

import pytest

from egov.accounts.roles import Role
from egov.core.errors import DomainError, PermissionDeniedError
from egov.documents.intake.extract import pdf_text
from egov.documents.models import DocumentFile, IntakeStep, IntakeStepStatus
from egov.documents.services.intake import file_upload, intake_retry, intake_state, intake_step_run
from egov.documents.tests import intake_world as w

pytestmark = pytest.mark.django_db

DONE, SKIPPED, FAILED, PENDING = (IntakeStepStatus.DONE, IntakeStepStatus.SKIPPED, IntakeStepStatus.FAILED,
                                  IntakeStepStatus.PENDING)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def world(media):
    return w.build_world()


@pytest.fixture
def run(world, django_capture_on_commit_callbacks):
    """Upload as the clerk and run the pipeline (the on-commit enqueue, then each step's next step)."""

    def _run(name, content, *, actor=None):
        with django_capture_on_commit_callbacks(execute=True):
            record = file_upload(actor=actor or world.clerk, agency=world.agency, uploaded_file=w.upload(name, content))
        record.refresh_from_db()
        return record

    return _run


def statuses(record):
    return [s.status for s in IntakeStep.objects.filter(file=record).order_by("position")]


def stored_files(media):
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def test_text_pdf_is_read_from_its_text_layer_and_suggested(run, world, media):
    content = w.text_pdf()
    record = run("Quyết định 123.pdf", content)
    assert statuses(record) == [DONE, DONE, SKIPPED, DONE]
    assert intake_state(record) == "done"
    assert (record.text_source, record.page_count, record.content_type) == ("pdf", 1, "application/pdf")
    assert record.sha256 == hashlib.sha256(content).hexdigest() and record.size == len(content)
    assert record.original_name == "Quyết định 123.pdf" and "Quy" not in record.file.name
    assert record.uploaded_by == world.clerk and not record.searchable_file
    s = record.suggestions
    assert (s["number_notation"], s["number"], s["notation"]) == ("123/QĐ-UBND", "123", "QĐ-UBND")
    assert (s["issued_date"], s["issuer_name"]) == ("2026-01-05", "ỦY BAN NHÂN DÂN TỈNH CÀ MAU")
    assert (s["type_code"], s["type_name"]) == ("quyet-dinh", "Quyết định")
    assert s["summary"] == "Về việc phê duyệt kế hoạch cải cách hành chính năm 2026"
    steps = list(IntakeStep.objects.filter(file=record).order_by("position"))
    assert all(step.attempts == 1 and step.finished_at >= step.started_at for step in steps if step.status == DONE)
    assert steps[2].result["reason"] == "Tệp đã có lớp chữ, không cần OCR."


def test_docx_header_table_is_read(run):
    record = run("cong-van.docx", w.docx_bytes())
    assert statuses(record) == [DONE, DONE, SKIPPED, DONE]
    assert record.text_source == "docx" and "Kính gửi" in record.text
    s = record.suggestions
    assert (s["number_notation"], s["type_code"], s["issuer_name"]) == ("45/STP-VP", "cong-van", "SỞ TƯ PHÁP")
    assert (s["summary"], s["issued_date"]) == ("V/v triển khai Luật Hộ tịch", "2019-11-13")


def test_scanned_pdf_is_ocred_in_vietnamese_into_a_searchable_copy(run, media):
    content = w.scan_pdf()
    record = run("scan.pdf", content)
    assert statuses(record) == [DONE, DONE, DONE, DONE]
    assert record.text_source == "ocr"
    assert "QUYẾT ĐỊNH" in record.text and "123/QĐ-UBND" in record.text
    assert record.suggestions["number_notation"] == "123/QĐ-UBND"
    assert record.suggestions["issued_date"] == "2026-01-05"
    ocr_step = IntakeStep.objects.get(file=record, name="ocr")
    assert ocr_step.result["mode"] == "default" and ocr_step.result["pages"] == 1
    # The original is untouched; the searchable copy is a PDF/A with a text layer.
    with record.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == record.sha256 == hashlib.sha256(content).hexdigest()
    with record.searchable_file.open("rb") as handle:
        copy = handle.read()
    assert b"pdfaid" in copy and "QUYẾT ĐỊNH" in pdf_text(copy).text


def test_image_upload_skips_extraction_and_is_ocred(run):
    record = run("anh-chup.png", w.scan_png())
    assert statuses(record) == [DONE, SKIPPED, DONE, DONE]
    assert record.content_type == "image/png" and record.page_count == 1
    assert record.suggestions["type_name"] == "Quyết định"


def test_disguised_executable_is_refused_and_nothing_stored(world, media):
    with pytest.raises(DomainError) as refused:
        file_upload(actor=world.clerk, agency=world.agency, uploaded_file=w.upload("van-ban.pdf", w.exe_bytes()))
    assert refused.value.code == "file_type_not_allowed"
    assert "chương trình chạy được (EXE)" in refused.value.message and "“van-ban.pdf”" in refused.value.message
    assert not DocumentFile.objects.exists() and not IntakeStep.objects.exists()
    assert stored_files(media) == []


def test_size_limit_and_empty_file(world, settings, media):
    settings.DOCUMENTS_MAX_UPLOAD_MB = 1
    big = b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1)
    with pytest.raises(DomainError, match="vượt quá giới hạn 1 MB") as refused:
        file_upload(actor=world.clerk, agency=world.agency, uploaded_file=w.upload("lon.pdf", big))
    assert refused.value.code == "file_too_large"
    with pytest.raises(DomainError, match="rỗng"):
        file_upload(actor=world.clerk, agency=world.agency, uploaded_file=w.upload("rong.pdf", b""))
    assert stored_files(media) == [] and not DocumentFile.objects.exists()


def test_only_officials_of_the_agency_upload(world):
    for actor in (world.outsider, w._user("congdan", Role.CITIZEN, None)):
        with pytest.raises(PermissionDeniedError):
            file_upload(actor=actor, agency=world.agency, uploaded_file=w.upload("a.pdf", w.text_pdf()))
    assert not DocumentFile.objects.exists()


def test_corrupt_pdf_fails_with_reason_and_retry_runs_again(run, world, django_capture_on_commit_callbacks):
    record = run("hong.pdf", w.corrupt_pdf())
    assert statuses(record) == [DONE, FAILED, PENDING, PENDING]
    assert intake_state(record) == "failed"
    failed = IntakeStep.objects.get(file=record, name="extract_text")
    assert "Tệp PDF bị hỏng, không đọc được" in failed.error and failed.attempts == 1
    assert record.file.storage.exists(record.file.name)  # the upload itself is kept
    with django_capture_on_commit_callbacks(execute=True):
        step = intake_retry(actor=world.specialist, file=record)
    assert step.name == "extract_text"
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (FAILED, 2)
    with pytest.raises(PermissionDeniedError):
        intake_retry(actor=world.outsider, file=record)


def test_encrypted_pdf_is_reported(run):
    record = run("mat.pdf", w.encrypted_pdf())
    assert statuses(record) == [DONE, FAILED, PENDING, PENDING]
    assert "đặt mật khẩu" in IntakeStep.objects.get(file=record, name="extract_text").error


def test_lost_storage_fails_then_retry_succeeds_once_restored(world, django_capture_on_commit_callbacks):
    content = w.text_pdf()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record = file_upload(actor=world.clerk, agency=world.agency, uploaded_file=w.upload("a.pdf", content))
    path = Path(record.file.path)
    path.rename(path.with_suffix(".away"))  # the storage is unreachable when the worker picks the task up
    for callback in callbacks:
        with django_capture_on_commit_callbacks(execute=True):
            callback()
    assert statuses(record) == [FAILED, PENDING, PENDING, PENDING]
    assert "Không còn tệp trong kho lưu trữ" in IntakeStep.objects.get(file=record, name="detect_type").error
    with pytest.raises(DomainError) as refused:  # nothing runs twice by accident
        intake_retry(actor=world.clerk, file=DocumentFile.objects.create(
            agency=world.agency, original_name="x.pdf", file="documents/x.pdf"))
    assert refused.value.code == "intake_nothing_to_retry" and refused.value.status == 409
    path.with_suffix(".away").rename(path)
    with django_capture_on_commit_callbacks(execute=True):
        intake_retry(actor=world.clerk, file=record)
    record.refresh_from_db()
    assert statuses(record) == [DONE, DONE, SKIPPED, DONE]
    assert record.suggestions["number_notation"] == "123/QĐ-UBND"
    assert IntakeStep.objects.get(file=record, name="detect_type").attempts == 2


def test_rerunning_a_step_is_idempotent(run, media, django_capture_on_commit_callbacks):
    record = run("scan.pdf", w.scan_pdf())
    first_text, first_suggestions = record.text, record.suggestions
    assert intake_step_run(file_uuid=str(record.uuid), name="ocr") is None  # done: not run again by a duplicate
    IntakeStep.objects.filter(file=record, position__gte=3).update(status=PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        intake_step_run(file_uuid=str(record.uuid), name="ocr")
    record.refresh_from_db()
    assert statuses(record) == [DONE, DONE, DONE, DONE]
    assert (record.text, record.suggestions) == (first_text, first_suggestions)
    assert len([p for p in stored_files(media) if p.name.endswith("-ocr.pdf")]) == 1  # replaced, not piled up
    assert IntakeStep.objects.get(file=record, name="ocr").attempts == 2


def test_pdf_with_a_garbage_text_layer_is_ocred_with_force(run):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(w.scan_pdf()))
    writer.pages[0].merge_page(PdfReader(io.BytesIO(w.text_pdf(("~ ·",)))).pages[0])  # a scanner's stray text
    out = io.BytesIO()
    writer.write(out)
    record = run("scan-rac.pdf", out.getvalue())
    assert statuses(record) == [DONE, DONE, DONE, DONE]
    assert IntakeStep.objects.get(file=record, name="extract_text").result["has_text_layer"] is True
    assert IntakeStep.objects.get(file=record, name="ocr").result["mode"] == "force"
    assert "QUYẾT ĐỊNH" in record.text


def test_step_interrupted_by_a_dead_worker_can_be_retried(world, django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=False):  # the worker dies before finishing the first step
        record = file_upload(actor=world.clerk, agency=world.agency, uploaded_file=w.upload("a.pdf", w.text_pdf()))
    IntakeStep.objects.filter(file=record, name="detect_type").update(
        status=IntakeStepStatus.RUNNING, attempts=1, started_at=timezone.now() - dt.timedelta(minutes=5))
    assert intake_state(record) == "processing"
    with pytest.raises(DomainError):
        intake_retry(actor=world.clerk, file=record)  # still running recently: not retried behind its back
    assert intake_step_run(file_uuid=str(record.uuid), name="detect_type") is None
    with django_capture_on_commit_callbacks(execute=False):  # the queue re-delivers it: taken over
        assert intake_step_run(file_uuid=str(record.uuid), name="detect_type", redelivered=True).status == DONE
    IntakeStep.objects.filter(file=record, name="detect_type").update(status=IntakeStepStatus.RUNNING)
    IntakeStep.objects.filter(file=record, name="detect_type").update(
        started_at=timezone.now() - dt.timedelta(hours=2))
    assert intake_state(record) == "failed"
    with django_capture_on_commit_callbacks(execute=True):
        intake_retry(actor=world.clerk, file=record)
    assert statuses(record) == [DONE, DONE, SKIPPED, DONE]
    assert IntakeStep.objects.get(file=record, name="detect_type").attempts == 3


@pytest.mark.django_db(transaction=True)
def test_steps_run_from_the_database_queue_by_the_worker(settings, media):
    """As in production: the upload commits, four tasks pass through the database queue, one after another."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    world = w.build_world()
    record = file_upload(actor=world.clerk, agency=world.agency, uploaded_file=w.upload("cv.docx", w.docx_bytes()))
    assert statuses(record) == [PENDING] * 4 and DBTaskResult.objects.count() == 1
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    record.refresh_from_db()
    assert statuses(record) == [DONE, DONE, SKIPPED, DONE]
    assert record.suggestions["number_notation"] == "45/STP-VP"
    results = DBTaskResult.objects.order_by("enqueued_at")
    assert [r.args_kwargs["args"][1] for r in results] == ["detect_type", "extract_text", "ocr", "suggest_metadata"]
    assert {r.status for r in results} == {"SUCCESSFUL"}


def test_queue_down_marks_the_step_failed_so_it_can_be_retried(world, monkeypatch,
                                                               django_capture_on_commit_callbacks):
    from egov.documents import tasks

    class DownQueue:
        def enqueue(self, *args):
            raise ConnectionError("Redis không kết nối được")

    real = tasks.intake_step_task
    monkeypatch.setattr(tasks, "intake_step_task", DownQueue())
    with django_capture_on_commit_callbacks(execute=True):
        record = file_upload(actor=world.clerk, agency=world.agency, uploaded_file=w.upload("a.pdf", w.text_pdf()))
    assert statuses(record) == [FAILED, PENDING, PENDING, PENDING]  # saved, and visibly waiting for a retry
    assert "hàng đợi" in IntakeStep.objects.get(file=record, name="detect_type").error
    monkeypatch.setattr(tasks, "intake_step_task", real)
    with django_capture_on_commit_callbacks(execute=True):
        intake_retry(actor=world.clerk, file=record)
    assert statuses(record) == [DONE, DONE, SKIPPED, DONE]


def test_storage_failure_is_a_clear_error_and_nothing_is_recorded(world, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    def broken(self, name, content, max_length=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "save", broken)
    with pytest.raises(DomainError) as refused:
        file_upload(actor=world.clerk, agency=world.agency, uploaded_file=w.upload("a.pdf", w.text_pdf()))
    assert refused.value.code == "file_store_failed" and refused.value.status == 503
    assert not DocumentFile.objects.exists() and not IntakeStep.objects.exists()
