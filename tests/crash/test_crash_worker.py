"""A task interrupted by SIGKILL runs again and its effect happens exactly once: database queue and Redis.

The probe task (egov.core.tasks.task_probe_task, kept for this purpose) commits its effect, one audit entry,
together with a unique effect mark, then holds the worker for a while on its first run. The worker is killed
with SIGKILL during that hold, the worst moment: effect committed, task not marked done. django-tasks-db alone
would leave the task RUNNING forever, and RQ would move it to its failed registry as abandoned a minute and a
half later; run_worker's next start must run it again, and the re-run must not write a second entry.
"""

import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from crashkit import ROOT, kill_group

HOLD_SECONDS = 60  # the first run would hold the worker this long; we kill it long before
WAIT = 40


def _wait_for(what: str, check, timeout: float = WAIT, logs=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    tails = "\n".join(Path(log).read_text(errors="replace")[-3000:] for log in logs)
    pytest.fail(f"Timed out after {timeout} s waiting for {what}\n{tails}")


def _start_worker(instance, log: Path, **env_extra) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "run_worker", "--interval", "0.2"], cwd=ROOT,
        env=instance.env(LOG_LEVEL="INFO", **env_extra), stdin=subprocess.DEVNULL, stdout=log.open("a"),
        stderr=subprocess.STDOUT, start_new_session=True,
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            kill_group(process)


def _enqueue_probe(instance, key: str, **env_extra) -> str:
    code = (f"from egov.core.tasks import task_probe_task; "
            f"print(task_probe_task.enqueue(key={key!r}, hold_seconds={HOLD_SECONDS}).id)")
    return instance.manage("shell", "-c", code, env_extra=env_extra).stdout.strip().splitlines()[-1]


def _effects(instance, key: str) -> int:
    return instance.value("SELECT COUNT(*) FROM core_auditentry WHERE action = %s AND object_id = %s",
                          "core.task_probe", key)


def _marks(instance, key: str) -> int:
    return instance.value("SELECT COUNT(*) FROM core_taskeffectmark WHERE key = %s", f"core.task_probe:{key}")


def _db_task(instance, task_id: str):
    stored_id = task_id.replace("-", "") if instance.vendor == "sqlite" else task_id
    row = instance.rows("SELECT status, worker_ids, return_value FROM django_tasks_database_dbtaskresult WHERE id = %s",
                        stored_id)[0]
    status, worker_ids, value = row
    return status, _json(worker_ids), _json(value)


def _json(value):
    return json.loads(value) if isinstance(value, str) else value  # SQLite gives text, PostgreSQL parsed JSON


def test_database_queue_task_killed_mid_run_runs_again_once(crash_instance, tmp_path):
    key = f"db-{uuid.uuid4().hex[:12]}"
    task_id = _enqueue_probe(crash_instance, key)
    log = tmp_path / "worker.log"

    first = _start_worker(crash_instance, log)
    try:
        _wait_for("the first run to commit its effect",
                  lambda: _effects(crash_instance, key) == 1 and _db_task(crash_instance, task_id)[0] == "RUNNING",
                  logs=[log])
    finally:
        kill_group(first)
    status, worker_ids, _ = _db_task(crash_instance, task_id)
    assert status == "RUNNING" and len(worker_ids) == 1  # stranded: nothing of django-tasks-db will touch it

    second = _start_worker(crash_instance, log)
    try:
        _wait_for("the re-run to finish", lambda: _db_task(crash_instance, task_id)[0] == "SUCCESSFUL", logs=[log])
    finally:
        _stop(second)
    status, worker_ids, value = _db_task(crash_instance, task_id)
    assert len(worker_ids) == 2 and worker_ids[0] != worker_ids[1]
    assert value == {"key": key, "effect_written": False}  # the re-run found the effect already committed
    assert _effects(crash_instance, key) == 1 and _marks(crash_instance, key) == 1
    output = log.read_text()
    assert "task_requeued_after_worker_lost" in output and worker_ids[0] in output
    assert "Traceback" not in output


def test_redis_queue_job_killed_mid_run_runs_again_once(crash_instance, tmp_path, redis_test_url):
    redis_url = redis_test_url
    import redis
    from rq.job import Job
    from rq.registry import FailedJobRegistry, StartedJobRegistry

    client = redis.Redis.from_url(redis_url)
    key = f"rq-{uuid.uuid4().hex[:12]}"
    task_id = _enqueue_probe(crash_instance, key, REDIS_URL=redis_url)
    log = tmp_path / "rq-worker.log"

    def status():
        return Job.fetch(task_id, connection=client).get_status()

    first = _start_worker(crash_instance, log, REDIS_URL=redis_url)
    try:
        _wait_for("the first run to commit its effect",
                  lambda: _effects(crash_instance, key) == 1 and status() == "started", logs=[log])
    finally:
        kill_group(first)
    started = StartedJobRegistry("default", connection=client)
    assert status() == "started" and task_id in started.get_job_ids(cleanup=False)
    # RQ itself would only see it as abandoned once the execution's heartbeat expires (about 90 s from now)
    [(entry, expires)] = client.zrange(started.key, 0, -1, withscores=True)
    assert entry.decode().startswith(task_id) and expires - time.time() > 30

    second = _start_worker(crash_instance, log, REDIS_URL=redis_url)
    try:
        _wait_for("the re-run to finish", lambda: status() == "finished", logs=[log])
    finally:
        _stop(second)
    job = Job.fetch(task_id, connection=client)
    assert job.return_value() == {"key": key, "effect_written": False}
    assert _effects(crash_instance, key) == 1 and _marks(crash_instance, key) == 1
    assert task_id not in FailedJobRegistry("default", connection=client).get_job_ids()
    assert "task_requeued_after_worker_lost" in log.read_text()
