"""Which RUNNING tasks the database-queue worker takes back, in process against the test database: a dead
process on this host at once, a worker elsewhere once its lease expired, never a live one; and a task that
keeps killing its workers is given up rather than run forever."""

import os
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from egov.core.models import AuditEntry, TaskEffectMark, WorkerHeartbeat
from egov.core.tasks import task_probe_task
from egov.core.worker import db_tasks_requeue_abandoned, pid_alive, task_effect_claim

pytestmark = pytest.mark.django_db

HOST = socket.gethostname()[:40]


def _running(worker_ids: list[str]) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status="RUNNING", args_kwargs={"args": [], "kwargs": {"key": "x"}}, task_path="egov.core.tasks.task_probe_task",
        backend_name="default", run_after=timezone.now(), worker_ids=worker_ids, started_at=timezone.now(),
        exception_class_path="", traceback="",
    )


def _lease(worker_id: str, age_seconds: float) -> None:
    host, pid, _ = worker_id.rsplit(":", 2)
    seen = timezone.now() - timedelta(seconds=age_seconds)
    WorkerHeartbeat.objects.create(worker_id=worker_id, hostname=host, pid=int(pid), started_at=seen, seen_at=seen)


def _dead_pid() -> int:
    pid = 4_000_000
    while pid_alive(pid):
        pid -= 1
    return pid


@pytest.fixture
def live_worker_pid():
    """A process on this host whose command line is a task worker's."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", "run_worker"])
    try:
        yield process.pid
    finally:
        process.kill()
        process.wait()


def test_only_tasks_of_dead_workers_are_queued_again(live_worker_pid):
    alive_here = f"{HOST}:{live_worker_pid}:aaaa"
    busy_here = f"{HOST}:{live_worker_pid}:eeee"  # its lease expired (a long SQLite lock), the process lives
    dead_here = f"{HOST}:{_dead_pid()}:bbbb"
    reused_here = f"{HOST}:{os.getpid()}:ffff"  # the pid now belongs to another program (this test run)
    elsewhere_fresh = "may-khac:123:cccc"
    elsewhere_expired = "may-khac:456:dddd"
    _lease(alive_here, 1)
    _lease(busy_here, 600)
    _lease(dead_here, 1)  # its lease is still fresh: the missing process is enough
    _lease(reused_here, 1)
    _lease(elsewhere_fresh, 5)
    _lease(elsewhere_expired, 600)
    workers = (alive_here, busy_here, dead_here, reused_here, elsewhere_fresh, elsewhere_expired)
    tasks = {wid: _running([wid]) for wid in workers}
    foreign = _running(["khong-phai-ma-cua-run-worker"])  # plain db_worker ids: left alone

    requeued = db_tasks_requeue_abandoned(lease_seconds=60)

    assert sorted(requeued) == sorted(str(tasks[w].id) for w in (dead_here, reused_here, elsewhere_expired))
    statuses = {wid: DBTaskResult.objects.get(id=t.id).status for wid, t in tasks.items()}
    assert statuses == {alive_here: "RUNNING", busy_here: "RUNNING", dead_here: "READY", reused_here: "READY",
                        elsewhere_fresh: "RUNNING", elsewhere_expired: "READY"}
    assert DBTaskResult.objects.get(id=foreign.id).status == "RUNNING"
    assert DBTaskResult.objects.get(id=tasks[dead_here].id).started_at is None
    assert not WorkerHeartbeat.objects.filter(worker_id=elsewhere_expired).exists()  # stale lease cleaned up


def test_a_task_that_keeps_killing_its_worker_is_given_up():
    dead = [f"{HOST}:{_dead_pid()}:{i:04d}" for i in range(5)]
    task = _running(dead)
    assert db_tasks_requeue_abandoned(max_attempts=5) == []
    row = DBTaskResult.objects.get(id=task.id)
    assert row.status == "FAILED" and row.exception_class_path == "egov.core.worker.WorkerLostError"
    assert "dừng đột ngột 5 lần" in row.traceback


def test_an_effect_is_claimed_once():
    with transaction.atomic():
        assert task_effect_claim(key="thong-bao:1", task_id="t1") is True
        assert task_effect_claim(key="thong-bao:1", task_id="t2") is False
    assert TaskEffectMark.objects.get().task_id == "t1"


def test_the_probe_task_run_twice_writes_its_entry_once():
    first = task_probe_task.enqueue(key="lap-lai", hold_seconds=0)
    again = task_probe_task.enqueue(key="lap-lai", hold_seconds=0)
    assert first.return_value == {"key": "lap-lai", "effect_written": True}
    assert again.return_value == {"key": "lap-lai", "effect_written": False}
    assert AuditEntry.objects.filter(action="core.task_probe", object_id="lap-lai").count() == 1
