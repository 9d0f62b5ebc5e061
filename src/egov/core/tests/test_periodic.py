"""The worker's periodic scheduler: due jobs enqueued once per period (also by several workers at once), daily
jobs at their local time, a worker's maintenance pass runs it (not in batch mode), only listed commands run."""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from egov.core.models import PeriodicJob
from egov.core.periodic import next_daily, periodic_command_task, periodic_jobs_enqueue_due, periodic_tasks
from egov.core.worker import leased_db_worker_class, worker_id_new

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
JOBS = [
    {"name": "test.verify_every_minute", "task": "egov.core.tasks.audit_verify_task", "every_seconds": 60},
    {"name": "test.verify_daily", "task": "egov.core.tasks.audit_verify_task", "daily_at": "07:00"},
]


def _utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_daily_time_is_local_time():
    # 06:00 in Cà Mau is 23:00 UTC the day before; 07:00 local is 00:00 UTC.
    assert next_daily("07:00", _utc(2026, 11, 25, 23, 0)) == _utc(2026, 11, 26, 0, 0)
    assert next_daily("07:00", _utc(2026, 11, 26, 0, 0)) == _utc(2026, 11, 27, 0, 0)
    assert next_daily("02:30", _utc(2026, 11, 26, 1, 0)) == _utc(2026, 11, 26, 19, 30)


def test_defaults_wire_reminders_publishing_and_audit():
    jobs = {job["name"]: job for job in periodic_tasks()}
    assert jobs["portal.publish_scheduled"]["every_seconds"] == 60
    assert jobs["documents.send_reminders"]["daily_at"] == "07:00"
    assert jobs["documents.send_reminders"]["kwargs"] == {"command": "documents_send_reminders"}
    assert jobs["core.audit_verify"]["task"] == "egov.core.tasks.audit_verify_task"


@pytest.mark.django_db
def test_due_jobs_are_enqueued_once_per_period(settings):
    settings.TASKS = DB_QUEUE
    settings.PERIODIC_TASKS = JOBS
    start = _utc(2026, 11, 26, 1, 0)  # 08:00 local
    assert periodic_jobs_enqueue_due(now=start) == ["test.verify_every_minute"]
    assert periodic_jobs_enqueue_due(now=_utc(2026, 11, 26, 1, 0, 30)) == []
    assert periodic_jobs_enqueue_due(now=_utc(2026, 11, 26, 1, 1, 0)) == ["test.verify_every_minute"]
    daily = PeriodicJob.objects.get(name="test.verify_daily")
    assert daily.next_run_at == _utc(2026, 11, 27, 0, 0) and daily.last_run_at is None
    # The next morning (the worker was down at 07:00): the daily job runs once, the interval job too.
    late = _utc(2026, 11, 27, 2, 0)
    assert sorted(periodic_jobs_enqueue_due(now=late)) == ["test.verify_daily", "test.verify_every_minute"]
    assert periodic_jobs_enqueue_due(now=late) == []
    assert PeriodicJob.objects.get(name="test.verify_daily").next_run_at == _utc(2026, 11, 28, 0, 0)
    assert DBTaskResult.objects.filter(task_path="egov.core.tasks.audit_verify_task").count() == 4
    job = PeriodicJob.objects.get(name="test.verify_every_minute")
    assert DBTaskResult.objects.filter(id=job.last_task_id, status="READY").exists()


@pytest.mark.django_db(transaction=True)
def test_several_workers_at_once_enqueue_each_job_once(settings):
    settings.TASKS = DB_QUEUE
    settings.PERIODIC_TASKS = JOBS[:1]
    now = _utc(2026, 11, 26, 1, 0)
    periodic_jobs_enqueue_due(now=now)  # creates the row, first run
    later = _utc(2026, 11, 26, 1, 5)
    barrier = threading.Barrier(4)
    results, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=10)
            results.append(periodic_jobs_enqueue_due(now=later))
        except Exception as exc:  # a locked SQLite database would show here
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert sorted(len(r) for r in results) == [0, 0, 0, 1]
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db
def test_worker_maintenance_pass_schedules_but_not_in_batch_mode(settings):
    settings.TASKS = DB_QUEUE
    settings.PERIODIC_TASKS = JOBS[:1]
    options = {"queue_names": ["*"], "interval": 1, "backend_name": "default", "startup_delay": False,
               "max_tasks": None, "excluded_queue_names": []}
    batch = leased_db_worker_class()(batch=True, worker_id=worker_id_new(), **options)
    batch._maintain()
    assert not PeriodicJob.objects.exists()
    daemon = leased_db_worker_class()(batch=False, worker_id=worker_id_new(), **options)
    daemon._maintain()
    assert PeriodicJob.objects.get().last_task_id
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db
def test_command_task_runs_only_listed_commands(settings):
    settings.PERIODIC_TASKS = [{"name": "t", "task": "egov.core.periodic.periodic_command_task",
                                "kwargs": {"command": "documents_send_reminders"}, "daily_at": "07:00"}]
    assert periodic_command_task.call(command="documents_send_reminders") == "documents_send_reminders"
    with pytest.raises(ValueError):
        periodic_command_task.call(command="flush")
