"""Background tasks of the kernel (Django Tasks API: database queue by default, Redis with REDIS_URL)."""

import time

import structlog
from django.db import transaction
from django_tasks import task

from egov.core.audit import audit_chain_verify, audit_record
from egov.core.worker import task_effect_claim

logger = structlog.get_logger("egov.audit")


def task_enqueue_with_transaction(task_object, **kwargs) -> None:
    """Queue a task so that it exists exactly when the surrounding transaction commits.

    The database queue (the default) writes its row inside the transaction, atomic with the work that asked for
    it: no task without the work, no work without its task, even if the process dies right after the commit. The
    immediate backend of the tests runs it in place. A queue outside the database (Redis) is handed the task
    once the transaction has committed, so that a worker never looks for rows not yet visible.
    """
    from django_tasks.backends.immediate import ImmediateBackend
    from django_tasks_db.backend import DatabaseBackend

    if isinstance(task_object.get_backend(), ImmediateBackend | DatabaseBackend):
        task_object.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: task_object.enqueue(**kwargs), robust=True)


@task()
def audit_verify_task() -> dict:
    """Verify the audit hash chain off the request path (it reads every entry) and log the verdict.

    A scheduler (cron, systemd timer) or a restore script enqueues it with
    ``manage.py shell -c "from egov.core.tasks import audit_verify_task; audit_verify_task.enqueue()"``;
    a broken chain is logged at ERROR so that log alerting picks it up.
    """
    report = audit_chain_verify()
    result = {"ok": report.ok, "checked": report.checked, "broken_seq": report.broken_seq, "reason": report.reason}
    if report.ok:
        logger.info("audit_chain_verified", checked=report.checked)
    else:
        logger.error("audit_chain_broken", **result)
    return result


@task(takes_context=True)
def task_probe_task(context, key: str, hold_seconds: float = 0.0) -> dict:
    """Only for checking crash safety (tests, or an operator after deploying): write one audit entry keyed
    ``key`` exactly once, then hold the worker for ``hold_seconds`` on the first run only.

    A worker killed during the hold leaves the effect committed and the task RUNNING; the re-run must not
    write a second entry. Enqueue it with
    ``task_probe_task.enqueue(key="kiem-tra-1", hold_seconds=0)`` and look for action ``core.task_probe``.
    """
    with transaction.atomic():
        first = task_effect_claim(key=f"core.task_probe:{key}", task_id=str(context.task_result.id))
        if first:
            audit_record(actor=None, action="core.task_probe", object_type="task_probe", object_id=key,
                         after={"task_id": str(context.task_result.id)})
    if first and hold_seconds:
        time.sleep(hold_seconds)
    return {"key": key, "effect_written": first}
