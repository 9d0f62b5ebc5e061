"""Helpers and fixtures for the crash tests: a real instance (database, data folder) used by processes the
tests start and kill (granian, run_worker) exactly as an operator would.

On the SQLite pass the database is a file under a temporary EGOV_DATA_DIR; on the PostgreSQL pass (DATABASE_URL
set, as in `make test`) it is a database of its own on that server, created here and dropped afterwards. The
migrated, demo-loaded database is made once per run and copied for each test module (file copy, or
CREATE DATABASE ... TEMPLATE), because migrating takes most of a minute.
"""

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI") == "true"
_SCRUBBED = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY",
             "ALLOWED_HOSTS", "DEBUG", "PORT", "EGOV_DATA_DIR", "WEB_WORKERS", "TASK_WORKER_LEASE_SECONDS"}


def clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
    env["DJANGO_SETTINGS_MODULE"] = "egov.conf.settings.dev"
    env.update({k: str(v) for k, v in extra.items() if v is not None})
    return env


def manage(env: dict, *args, timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=timeout)
    if check:
        assert result.returncode == 0, f"manage.py {args[0]}: {result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result


def _pg_admin(url: str):
    import psycopg

    cfg = dj_database_url.parse(url)
    return psycopg.connect(host=cfg["HOST"] or "127.0.0.1", port=cfg["PORT"] or 5432, user=cfg["USER"],
                           password=cfg["PASSWORD"] or None, dbname="postgres", autocommit=True, connect_timeout=5)


def _pg_url_for(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


def _pg_drop(url: str, name: str) -> None:
    with _pg_admin(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Instance:
    """One EGOV_DATA_DIR and one database, shared by every process a test starts."""

    def __init__(self, data_dir: Path, database_url: str | None):
        self.data_dir, self.database_url = data_dir, database_url

    @property
    def vendor(self) -> str:
        return "postgresql" if self.database_url else "sqlite"

    def env(self, **extra) -> dict:
        return clean_env(EGOV_DATA_DIR=self.data_dir, DATABASE_URL=self.database_url, **extra)

    def manage(self, *args, env_extra: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
        return manage(self.env(**(env_extra or {})), *args, **kwargs)

    def connect(self):
        """A plain DB-API connection (no Django): the test reads what the killed processes committed."""
        if self.database_url:
            import psycopg

            cfg = dj_database_url.parse(self.database_url)
            return psycopg.connect(host=cfg["HOST"] or "127.0.0.1", port=cfg["PORT"] or 5432, user=cfg["USER"],
                                   password=cfg["PASSWORD"] or None, dbname=cfg["NAME"], autocommit=True)
        return sqlite3.connect(self.data_dir / "egov.sqlite3", timeout=20, isolation_level=None)

    def rows(self, sql: str, *params) -> list[tuple]:
        """Run ``sql`` (``%s`` placeholders) and return every row."""
        if self.vendor == "sqlite":
            sql = sql.replace("%s", "?")
        conn = self.connect()
        try:
            return list(conn.execute(sql, params).fetchall())
        finally:
            conn.close()

    def value(self, sql: str, *params):
        rows = self.rows(sql, *params)
        return rows[0][0] if rows else None


def _build(data_dir: Path, database_url: str | None) -> Instance:
    instance = Instance(data_dir, database_url)
    instance.manage("migrate", "--noinput", "-v", "0", timeout=900)
    instance.manage("load_demo", timeout=300)
    instance.manage("onestop_load_demo", timeout=300)
    return instance


@pytest.fixture(scope="session")
def crash_template(tmp_path_factory):
    """The migrated, demo-loaded database every crash test module copies."""
    data_dir = tmp_path_factory.mktemp("crash-template")
    pg_url = os.environ.get("DATABASE_URL")
    if not pg_url:
        yield _build(data_dir, None)
        return
    name = f"egov_crash_tpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with _pg_admin(pg_url) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _build(data_dir, _pg_url_for(pg_url, name))
    finally:
        _pg_drop(pg_url, name)


def instance_copy(template: Instance, data_dir: Path) -> Instance:
    """A fresh instance with the template's data: its own data folder and its own database."""
    shutil.copytree(template.data_dir, data_dir, dirs_exist_ok=True)
    if template.database_url is None:
        for suffix in ("-wal", "-shm"):
            (data_dir / f"egov.sqlite3{suffix}").unlink(missing_ok=True)
        source = sqlite3.connect(template.data_dir / "egov.sqlite3")
        target = sqlite3.connect(data_dir / "egov.sqlite3")
        try:
            source.backup(target)  # consistent copy, WAL included
        finally:
            source.close()
            target.close()
        return Instance(data_dir, None)
    template_name = dj_database_url.parse(template.database_url)["NAME"]
    name = f"egov_crash_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with _pg_admin(template.database_url) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
    return Instance(data_dir, _pg_url_for(template.database_url, name))


def instance_drop(instance: Instance) -> None:
    if instance.database_url:
        _pg_drop(instance.database_url, dj_database_url.parse(instance.database_url)["NAME"])


@pytest.fixture(scope="module")
def crash_instance(crash_template, tmp_path_factory):
    instance = instance_copy(crash_template, tmp_path_factory.mktemp("crash-instance") / "data")
    try:
        yield instance
    finally:
        instance_drop(instance)


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL the whole process group (master and workers at once), as a power cut or the OOM killer would."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    # The group's other members are re-parented to init and reaped there; wait until none is left.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


def granian_command(port: int, workers: int = 2) -> list[str]:
    """The server command of scripts/run.sh (`make run`), with ``workers`` worker processes."""
    return [str(ROOT / ".venv" / "bin" / "granian"), "--interface", "wsgi", "--host", "127.0.0.1", "--port",
            str(port), "--workers", str(workers), "--blocking-threads", "1", "--no-ws", "--log-level", "warning",
            "egov.wsgi:application"]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
