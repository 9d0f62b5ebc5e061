"""Background tasks of the one-stop shop (Django Tasks API: database queue by default, Redis with REDIS_URL)."""

from django_tasks import task


@task()
def dossier_form01_task(dossier_id: int, paper_ids: list[int] | None = None) -> dict:
    """Render and store an accepted dossier's Form 01 (receipt and appointment slip). Idempotent: a re-run after
    a crash, or a print that came first, finds the stored slip and renders nothing."""
    from egov.onestop.reception import form01_ensure

    record, made = form01_ensure(dossier_id=dossier_id, paper_ids=paper_ids)
    return {"dossier_id": dossier_id, "file": str(record.uuid), "rendered": made}
