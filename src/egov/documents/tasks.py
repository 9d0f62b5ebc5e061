"""Background tasks of the document system (Django Tasks API). Thin: load by id, call a service."""

from django_tasks import task

from egov.documents.services.intake import intake_step_run


@task(takes_context=True)
def intake_step_task(context, file_uuid: str, step: str) -> dict:
    """One step of a file's intake pipeline; the service enqueues the next step when this one finished.
    A second attempt means the worker that ran the first one died: the step, left 'running', is taken over."""
    done = intake_step_run(file_uuid=file_uuid, name=step, redelivered=context.attempt > 1)
    if done is None:
        return {"file": file_uuid, "step": step, "status": "not_due"}
    return {"file": file_uuid, "step": step, "status": done.status, "error": done.error}
