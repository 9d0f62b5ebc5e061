"""Form 01 off the request path: with the database queue, acceptance queues the rendering in its own transaction;
the slip prints the dossier as accepted whoever renders it first (the worker or the officer's print), and it is
rendered once.

The rest of the suite runs tasks in place (immediate backend), where the slip exists as soon as the dossier does.
"""

import datetime as dt
import io

import pytest
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from egov.onestop import reception
from egov.onestop.models import DossierFile, FileRole
from egov.onestop.tasks import dossier_form01_task
from egov.onestop.tests.test_reception import MONDAY_9, VN, receive, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def forms_01(dossier) -> list[DossierFile]:
    return list(DossierFile.objects.filter(dossier=dossier, role=FileRole.FORM, form_code="01"))


def text_of(record: DossierFile) -> str:
    with record.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def run_queued(dossier) -> dict:
    """Run the queued Form 01 task as the worker would: its arguments as stored in the queue's row."""
    row = DBTaskResult.objects.get(task_path="egov.onestop.tasks.dossier_form01_task")
    kwargs = row.args_kwargs["kwargs"]
    assert kwargs["dossier_id"] == dossier.pk
    return dossier_form01_task.call(**kwargs)


@override_settings(TASKS=DB_TASKS)
def test_acceptance_queues_form01_in_its_transaction_and_the_worker_renders_it_once(world):  # noqa: F811
    dossier = receive(world)

    assert forms_01(dossier) == []  # nothing rendered on the request path
    assert DBTaskResult.objects.filter(task_path="egov.onestop.tasks.dossier_form01_task").count() == 1
    assert reception.issued_form_codes(dossier) == ["01"]  # offered for printing already

    outcome = run_queued(dossier)
    assert outcome["rendered"] is True
    (slip,) = forms_01(dossier)
    assert slip.title == reception.form_title("01", dossier) and slip.uploaded_by == world["officer"]
    text = text_of(slip)
    assert dossier.code in text and "17/07/2025" in text  # due date promised at reception

    assert run_queued(dossier)["rendered"] is False  # a re-run (worker killed after the commit) renders nothing
    assert len(forms_01(dossier)) == 1


@override_settings(TASKS=DB_TASKS)
def test_printing_before_the_worker_renders_it_and_the_task_then_does_nothing(world, client):  # noqa: F811
    dossier = receive(world)
    client.force_login(world["officer"])

    page = client.get(reverse("onestop:dossier_form_pdf", kwargs={"ref": dossier.code, "form_code": "01"}))
    assert page.status_code == 200 and page["Content-Type"] == "application/pdf"
    assert b"".join(page.streaming_content).startswith(b"%PDF-")
    assert len(forms_01(dossier)) == 1

    assert run_queued(dossier)["rendered"] is False
    assert len(forms_01(dossier)) == 1


@override_settings(TASKS=DB_TASKS)
def test_the_slip_prints_the_dossier_as_accepted_even_when_rendered_later(world):  # noqa: F811
    dossier = receive(world)
    # Before the worker got to it the due date moved (a Form 04 apology gives a new one).
    dossier.due_at = dt.datetime(2025, 7, 25, 17, 0, tzinfo=VN)
    dossier.save(update_fields=["due_at"])

    run_queued(dossier)
    text = text_of(forms_01(dossier)[0])
    assert "17/07/2025" in text and "25/07/2025" not in text


def test_a_dossier_not_accepted_has_no_form01_to_print(world, client):  # noqa: F811
    before = DossierFile.objects.count()
    dossier = reception.dossier_request_supplement_at_reception(
        actor=world["officer"], agency=world["agency"], procedure_code=world["procedure"].code,
        applicant=reception.Applicant(name="Trần Thị Bình", id_number="096085001235"),
        items=["Bản sao giấy chứng sinh"], reason="Thiếu giấy chứng sinh", received_at=MONDAY_9)
    assert "01" not in reception.issued_form_codes(dossier)
    client.force_login(world["officer"])
    page = client.get(reverse("onestop:dossier_form_pdf", kwargs={"ref": str(dossier.uuid), "form_code": "01"}))
    assert page.status_code == 404
    assert not DossierFile.objects.filter(dossier=dossier, form_code="01").exists()
    assert DossierFile.objects.count() == before + 1  # Form 02 only
