"""Crash-safe task workers: a task whose worker was killed (SIGKILL, OOM killer, power loss) runs again.

Database queue (django-tasks-db): a claimed task is RUNNING and nothing ever looks at it again, so a killed
worker strands it forever. Here every ``run_worker`` renews a lease (WorkerHeartbeat) from a background
thread, and on start and every third of the lease any worker puts back to READY the tasks of dead workers:
on this host, a worker whose process is gone (found at once, without waiting for the lease); on another
host, a worker whose lease expired.

Redis queue (django-tasks-rq): RQ moves a job whose worker died to the failed registry as "abandoned", and
only once its execution heartbeat expires (about 90 s). RecoveringWorker queues such jobs again instead,
on start and at each maintenance pass, as soon as their worker is known dead.

A task is thus run at least once. Its effects are made exactly-once by the task itself: it commits them in
one transaction with task_effect_claim (a unique key), and a re-run finds the key and skips them.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from datetime import timedelta

import structlog
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from rq.worker import Worker as RQWorker

logger = structlog.get_logger("egov.tasks")

DEFAULT_LEASE_SECONDS = 60
# A task that has lost its worker this many times is marked FAILED rather than crash workers forever.
DEFAULT_MAX_ATTEMPTS = 5


class WorkerLostError(Exception):
    """The worker running the task died before finishing it, too many times to try again."""


# --- Effects exactly once --------------------------------------------------------------------------------


def task_effect_claim(*, key: str, task_id: str = "") -> bool:
    """Mark the effect ``key`` as done inside the caller's transaction; False if it was done already.

    Call it in the same transaction.atomic block as the effect: both commit together or not at all, so a
    task re-run after a crash (or enqueued twice) performs the effect exactly once.
    """
    from egov.core.models import TaskEffectMark

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("task_effect_claim must run inside the transaction that writes the effect.")
    try:
        with transaction.atomic():
            TaskEffectMark.objects.create(key=key, task_id=task_id)
    except IntegrityError:
        return False
    return True


# --- Who is alive ----------------------------------------------------------------------------------------


def worker_id_new() -> str:
    """``host:pid:random`` (at most 64 characters, django-tasks-db's limit): enough to tell, on this host,
    whether the process still exists."""
    host = socket.gethostname()[:40]
    return f"{host}:{os.getpid()}:{get_random_string(8)}"


def _parse_worker_id(worker_id: str) -> tuple[str, int] | None:
    parts = worker_id.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return None  # not started by run_worker (plain db_worker): only its lease can tell
    return parts[0], int(parts[1])


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists on this host and is not a zombie waiting to be reaped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True  # no /proc (not Linux): existence is all we know


def local_worker_alive(hostname: str | None, pid: int | None) -> bool | None:
    """On this host: whether ``pid`` is still a task worker (True), gone or now another program (False).
    None when the worker ran elsewhere or /proc cannot tell: then only its lease can.

    Trusting a live worker process on this host matters for SQLite: a long task may hold the write lock
    longer than the lease, and its lease then looks expired although the worker is busy, not dead.
    """
    if not hostname or pid is None or hostname != socket.gethostname()[:40]:
        return None
    if not pid_alive(pid):
        return False
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            command = cmdline.read()
    except OSError:
        return None
    return b"run_worker" in command or b"rqworker" in command


# --- Database queue --------------------------------------------------------------------------------------


def worker_lease_renew(*, worker_id: str, started_at) -> None:
    from egov.core.models import WorkerHeartbeat

    host, pid = _parse_worker_id(worker_id) or (socket.gethostname(), os.getpid())
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": host, "pid": pid, "started_at": started_at, "seen_at": timezone.now()},
    )


def worker_lease_release(*, worker_id: str) -> None:
    from egov.core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def db_tasks_requeue_abandoned(*, backend_name: str = "default", lease_seconds: int = DEFAULT_LEASE_SECONDS,
                               max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> list[str]:
    """Put back to READY the RUNNING tasks whose worker is dead; return their ids.

    Dead means: on this host, its process is gone (or is no longer a worker); elsewhere, its lease was not
    renewed for ``lease_seconds``.
    A task that already lost ``max_attempts`` workers is marked FAILED (WorkerLostError) instead.
    Stale leases are deleted on the way.
    """
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    from egov.core.models import WorkerHeartbeat

    expired_before = timezone.now() - timedelta(seconds=lease_seconds)
    fresh = set(WorkerHeartbeat.objects.filter(seen_at__gte=expired_before).values_list("worker_id", flat=True))
    abandoned = []
    for task_id, worker_ids in DBTaskResult.objects.running().filter(backend_name=backend_name).values_list(
            "id", "worker_ids"):
        lost = worker_ids[-1] if worker_ids else ""
        parsed = _parse_worker_id(lost)
        if parsed is None:
            continue
        alive = local_worker_alive(*parsed)
        if alive or (alive is None and lost in fresh):
            continue
        abandoned.append((task_id, lost))

    requeued = []
    for task_id, lost in abandoned:
        with exclusive_transaction(DBTaskResult.objects.db):
            row = DBTaskResult.objects.select_for_update().filter(id=task_id).running().first()
            if row is None or not row.worker_ids or row.worker_ids[-1] != lost:
                continue  # finished or re-claimed meanwhile
            if len(row.worker_ids) >= max_attempts:
                row.set_failed(WorkerLostError(
                    f"Tiến trình xử lý nền đã dừng đột ngột {len(row.worker_ids)} lần khi chạy tác vụ này."))
                logger.error("task_worker_lost_gave_up", task_id=str(task_id), task=row.task_path,
                             attempts=len(row.worker_ids))
                continue
            row.status = "READY"
            row.started_at = None
            row.save(update_fields=["status", "started_at"])
        requeued.append(str(task_id))
        logger.warning("task_requeued_after_worker_lost", task_id=str(task_id), task=row.task_path,
                       lost_worker=lost, attempts=len(row.worker_ids))
    WorkerHeartbeat.objects.filter(seen_at__lt=expired_before - timedelta(seconds=lease_seconds)).delete()
    return requeued


def periodic_jobs_enqueue_safely() -> None:
    """The periodic scheduler's pass (egov.core.periodic), run at each maintenance pass of every worker; a
    failure is logged and never stops the worker or its lease."""
    from egov.core.periodic import periodic_jobs_enqueue_due

    try:
        periodic_jobs_enqueue_due()
    except Exception as exc:
        logger.warning("periodic_jobs_enqueue_failed", error=str(exc))


def leased_db_worker_class():
    """django-tasks-db's Worker with a lease thread; built lazily so that importing this module stays cheap."""
    from django_tasks_db.management.commands.db_worker import Worker

    class LeasedWorker(Worker):
        """Renews its lease and re-queues tasks of dead workers: at start (before claiming anything) and then
        every third of the lease, from a thread with its own database connection."""

        def __init__(self, *, lease_seconds: int = DEFAULT_LEASE_SECONDS,
                     max_attempts: int = DEFAULT_MAX_ATTEMPTS, **kwargs):
            super().__init__(**kwargs)
            self.lease_seconds = lease_seconds
            self.max_attempts = max_attempts
            self.birth = timezone.now()
            self._stop = threading.Event()

        def _maintain(self) -> None:
            worker_lease_renew(worker_id=self.worker_id, started_at=self.birth)
            db_tasks_requeue_abandoned(backend_name=self.backend_name, lease_seconds=self.lease_seconds,
                                       max_attempts=self.max_attempts)
            if not self.batch:  # a batch run (tests, one-off) drains the queue and adds nothing to it
                periodic_jobs_enqueue_safely()

        def _lease_loop(self) -> None:
            try:
                while not self._stop.wait(max(self.lease_seconds / 3, 0.5)):
                    try:
                        close_old_connections()
                        self._maintain()
                    except Exception as exc:  # a locked or briefly unreachable database: try next time
                        logger.warning("task_worker_lease_renew_failed", worker_id=self.worker_id, error=str(exc))
            finally:
                connection.close()

        def run(self) -> None:
            self._maintain()  # in the main thread: a bad database stops the worker with manage.py's one line
            thread = threading.Thread(target=self._lease_loop, name="egov-worker-lease", daemon=True)
            thread.start()
            try:
                super().run()
            finally:
                self._stop.set()
                thread.join(timeout=5)
                with contextlib.suppress(Exception):  # leaving anyway: an unreleased lease merely expires
                    worker_lease_release(worker_id=self.worker_id)

    return LeasedWorker


# --- Redis queue -----------------------------------------------------------------------------------------


def rq_requeue_abandoned(queues, redis_connection, *, job_class=None) -> list[str]:
    """Queue again the started jobs of ``queues`` whose RQ worker is dead; return their ids.

    Dead means: the worker's key expired in Redis (RQ's own lease, renewed by its heartbeat), or the worker
    ran on this host and its process is gone. A short Redis lock keeps two recovering workers from queuing
    the same job twice.
    """
    from rq.job import Job, JobStatus
    from rq.registry import StartedJobRegistry

    job_class = job_class or Job
    lock = redis_connection.set("egov:rq:requeue-abandoned", worker_id_new(), nx=True, ex=30)
    if not lock:
        return []
    requeued = []
    try:
        for queue in queues:
            registry = StartedJobRegistry(queue=queue, job_class=job_class)
            for job_id, _execution_id in registry.get_job_and_execution_ids(cleanup=False):
                try:
                    job = job_class.fetch(job_id, connection=redis_connection)
                except Exception:  # noqa: S112 - gone meanwhile (finished, expired)
                    continue
                if job.get_status(refresh=False) != JobStatus.STARTED:
                    continue
                worker = None
                if job.worker_name:
                    worker = RQWorker.find_by_key(RQWorker.redis_worker_namespace_prefix + job.worker_name,
                                                connection=redis_connection)
                if worker is not None and local_worker_alive(worker.hostname, worker.pid) is not False:
                    continue  # alive here, or elsewhere with its Redis key (its lease) not expired
                registry.remove_executions(job)
                redis_connection.zrem(registry.key, job.id)
                queue.enqueue_job(job, at_front=True)  # the lock above keeps this from running twice
                requeued.append(job.id)
                logger.warning("task_requeued_after_worker_lost", task_id=job.id, task=job.func_name,
                               lost_worker=job.worker_name, queue=queue.name)
    finally:
        redis_connection.delete("egov:rq:requeue-abandoned")
    return requeued


class RecoveringWorker(RQWorker):
    """RQ's Worker that re-queues jobs of dead workers at start and at every maintenance pass (each minute).

    ``run_worker`` passes it to django-rq's ``rqworker --worker-class``.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("maintenance_interval", 60)
        super().__init__(*args, **kwargs)

    def clean_registries(self):
        try:
            rq_requeue_abandoned(self.queues, self.connection, job_class=self.job_class)
        except Exception as exc:
            logger.warning("task_requeue_failed", error=str(exc))
        if not getattr(self, "egov_burst", False):  # a burst run (tests, one-off) adds nothing to the queue
            periodic_jobs_enqueue_safely()
        super().clean_registries()

    def work(self, *args, **kwargs):
        self.egov_burst = bool(kwargs.get("burst", args[0] if args else False))
        return super().work(*args, **kwargs)
