"""Background tasks of the kernel (Django Tasks API: database queue by default, Redis with REDIS_URL)."""

import structlog
from django_tasks import task

from egov.core.audit import audit_chain_verify

logger = structlog.get_logger("egov.audit")


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
