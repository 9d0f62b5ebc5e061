"""The task worker's periodic scheduler: jobs due every N seconds or daily at a local time (Asia/Ho_Chi_Minh).

Each job has a row (PeriodicJob) holding when it is due next. Every ``run_worker`` calls
``periodic_jobs_enqueue_due`` from its maintenance pass (every third of its lease, about 20 s); a job is
enqueued by the worker whose ``UPDATE ... WHERE next_run_at = <what it read>`` moved the row on, so it is
enqueued exactly once per period even with several workers. A worker that was down when a job fell due runs
it once when it comes back (no catch-up storm).

The jobs are DEFAULT_PERIODIC_TASKS unless the ``PERIODIC_TASKS`` setting replaces them; an app adds its own
with ``periodic_task_register`` in its AppConfig.ready(). An entry: ``name``, ``task`` (dotted path of a
django-tasks Task), optional ``kwargs``, and either ``every_seconds`` or ``daily_at`` ("HH:MM" local time).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import structlog
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

logger = structlog.get_logger("egov.tasks")

DEFAULT_PERIODIC_TASKS = (
    # Scheduled go-live and expiry of portal pages (Wagtail's publish_scheduled).
    {"name": "portal.publish_scheduled", "task": "egov.portal.editorial.publish_scheduled_task",
     "every_seconds": 60},
    # Handling deadlines of incoming documents: remind assignees one working day before.
    {"name": "documents.send_reminders", "task": "egov.core.periodic.periodic_command_task",
     "kwargs": {"command": "documents_send_reminders"}, "daily_at": "07:00"},
    # The audit hash chain, verified every night.
    {"name": "core.audit_verify", "task": "egov.core.tasks.audit_verify_task", "daily_at": "02:30"},
)

_registered: list[dict] = []


def periodic_task_register(*, name: str, task: str, every_seconds: int | None = None, daily_at: str = "",
                           kwargs: dict | None = None) -> None:
    """Add a job to the scheduler (call from AppConfig.ready()); registering a name twice keeps the last."""
    entry = {"name": name, "task": task, "kwargs": kwargs or {}}
    if every_seconds:
        entry["every_seconds"] = every_seconds
    else:
        entry["daily_at"] = daily_at
    _check(entry)
    _registered[:] = [e for e in _registered if e["name"] != name] + [entry]


def periodic_tasks() -> list[dict]:
    """The jobs in force: the setting (or the defaults), then those registered by apps."""
    entries = list(getattr(settings, "PERIODIC_TASKS", DEFAULT_PERIODIC_TASKS))
    names = {e["name"] for e in _registered}
    jobs = [e for e in entries if e["name"] not in names] + _registered
    for entry in jobs:
        _check(entry)
    return jobs


def _check(entry: dict) -> None:
    if bool(entry.get("every_seconds")) == bool(entry.get("daily_at")):
        raise ValueError(f"Periodic job {entry.get('name')!r}: give exactly one of every_seconds, daily_at.")
    if entry.get("daily_at"):
        _daily_time(entry["daily_at"])


def _daily_time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def next_daily(at: str, after: datetime) -> datetime:
    """The first ``at`` (local "HH:MM") strictly after ``after``, in UTC."""
    zone = _local_zone()
    local = after.astimezone(zone)
    candidate = datetime.combine(local.date(), _daily_time(at), tzinfo=zone)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), _daily_time(at), tzinfo=zone)
    return candidate.astimezone(ZoneInfo("UTC"))


def _first_due(entry: dict, now: datetime) -> datetime:
    if entry.get("every_seconds"):
        return now  # an interval job runs at once the first time
    return next_daily(entry["daily_at"], now)


def _next_due(entry: dict, now: datetime) -> datetime:
    if entry.get("every_seconds"):
        return now + timedelta(seconds=int(entry["every_seconds"]))
    return next_daily(entry["daily_at"], now)


def periodic_jobs_enqueue_due(*, now: datetime | None = None) -> list[str]:
    """Enqueue every job that is due at ``now``; return their names. Safe to call from many workers at once."""
    from egov.core.models import PeriodicJob

    now = now or timezone.now()
    enqueued = []
    for entry in periodic_tasks():
        name = entry["name"]
        row = PeriodicJob.objects.filter(name=name).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = PeriodicJob.objects.create(name=name, next_run_at=_first_due(entry, now))
            except IntegrityError:  # another worker created it meanwhile
                row = PeriodicJob.objects.get(name=name)
        if row.next_run_at > now:
            continue
        with transaction.atomic():
            moved = PeriodicJob.objects.filter(name=name, next_run_at=row.next_run_at).update(
                next_run_at=_next_due(entry, now), last_run_at=now)
            if moved != 1:
                continue  # another worker took this period
            result = import_string(entry["task"]).enqueue(**entry.get("kwargs", {}))
            PeriodicJob.objects.filter(name=name).update(last_task_id=str(result.id)[:64])
        enqueued.append(name)
        logger.info("periodic_job_enqueued", job=name, task_id=str(result.id))
    return enqueued


@task()
def periodic_command_task(command: str) -> str:
    """Run a management command that a periodic job names (only those: this is no general command runner)."""
    allowed = {e.get("kwargs", {}).get("command") for e in periodic_tasks()
               if e["task"] == "egov.core.periodic.periodic_command_task"}
    if command not in allowed:
        raise ValueError(f"{command!r} is not a periodic job's command.")
    call_command(command, verbosity=0)
    return command
