"""Background work through the Django Tasks API, end to end with a real worker process.

By default a task goes into the database queue (a DBTaskResult row) and ``run_worker`` runs it; with
REDIS_URL set it goes through Redis (django-tasks-rq) and ``run_worker`` runs an RQ worker instead.
The enqueuing side, the worker and the checks are separate processes sharing one database: a migrated
SQLite file, or on PostgreSQL the test database itself.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.db import connection

ROOT = Path(__file__).resolve().parents[4]
_SCRUBBED = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}

pytestmark = pytest.mark.django_db(transaction=True)


def _manage(env, *args, timeout=180):
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{args}: {result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    return result


def _shell(env, code):
    return _manage(env, "shell", "-c", code).stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def sqlite_data_dir(tmp_path_factory):
    """One migrated SQLite file for the whole module (migrating takes a while)."""
    data_dir = tmp_path_factory.mktemp("tasks-data")
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
    env.update({"DJANGO_SETTINGS_MODULE": "egov.conf.settings.dev", "EGOV_DATA_DIR": str(data_dir)})
    _manage(env, "migrate", "--noinput", "-v", "0", timeout=600)
    return data_dir


@pytest.fixture
def worker_env(request, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
    env.update({"DJANGO_SETTINGS_MODULE": "egov.conf.settings.dev", "LOG_LEVEL": "INFO"})
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        env["DATABASE_URL"] = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        env["EGOV_DATA_DIR"] = str(tmp_path)
    else:
        env["EGOV_DATA_DIR"] = str(request.getfixturevalue("sqlite_data_dir"))
    return env


ENQUEUE = """
from egov.core.audit import audit_record
from egov.core.tasks import audit_verify_task
for i in range(3):
    audit_record(actor=None, action="ops.test", object_type="test", object_id=str(i))
result = audit_verify_task.enqueue()
print(result.id, type(audit_verify_task.get_backend()).__name__)
"""


def _worker_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_default_queue_is_the_database_and_the_worker_runs_it(worker_env):
    task_id, backend = _shell(worker_env, ENQUEUE).split()
    assert backend == "DatabaseBackend"
    status = _shell(worker_env, f"from django_tasks_db.models import DBTaskResult; "
                                f"print(DBTaskResult.objects.get(id='{task_id}').status)")
    assert status == "READY"

    worker = _manage(worker_env, "run_worker", "--batch")
    verdicts = [line for line in _worker_lines(worker.stdout + worker.stderr)
                if line.get("event") == "audit_chain_verified"]
    assert verdicts and verdicts[0]["checked"] >= 3

    row = _shell(worker_env, f"import json; from django_tasks_db.models import DBTaskResult; "
                             f"r = DBTaskResult.objects.get(id='{task_id}'); "
                             f"print(json.dumps([r.status, r.return_value]))")
    status, value = json.loads(row)
    assert status == "SUCCESSFUL"
    assert value["ok"] is True and value["checked"] >= 3


def test_with_redis_url_tasks_go_through_redis(worker_env, redis_test_url):
    client = redis.Redis.from_url(redis_test_url, socket_connect_timeout=2)
    env = {**worker_env, "REDIS_URL": redis_test_url}

    count_rows = "from django_tasks_db.models import DBTaskResult; print(DBTaskResult.objects.count())"
    rows_before = _shell(env, count_rows)
    task_id, backend = _shell(env, ENQUEUE).split()
    assert backend == "RQBackend"
    assert client.exists(f"rq:job:{task_id}")
    assert task_id.encode() in client.lrange("rq:queue:default", 0, -1)
    assert _shell(env, count_rows) == rows_before  # nothing went into the database queue

    worker = _manage(env, "run_worker", "--batch")
    assert any(line.get("event") == "audit_chain_verified" for line in _worker_lines(worker.stdout + worker.stderr))

    outcome = _shell(env, f"import json; from egov.core.tasks import audit_verify_task; "
                          f"r = audit_verify_task.get_result('{task_id}'); "
                          f"print(json.dumps([r.status, r.return_value]))")
    status, value = json.loads(outcome)
    assert status == "SUCCESSFUL" and value["ok"] is True
    assert task_id.encode() not in client.lrange("rq:queue:default", 0, -1)


def test_task_reports_a_broken_chain(settings):
    """In-process (immediate backend of the test settings): the task returns and logs the verdict."""
    from egov.core.audit import audit_record
    from egov.core.models import AuditEntry
    from egov.core.tasks import audit_verify_task

    for i in range(3):
        audit_record(actor=None, action="ops.test", object_type="test", object_id=str(i))
    assert audit_verify_task.enqueue().return_value["ok"] is True
    AuditEntry.objects.filter(seq=2).update(object_id="sua-trai-phep")
    value = audit_verify_task.enqueue().return_value
    assert value == {"ok": False, "checked": 1, "broken_seq": 2, "reason": "nội dung đã bị sửa sau khi ghi"}
