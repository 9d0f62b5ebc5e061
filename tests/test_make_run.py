"""`make run` end to end: scripts/run.sh as a user starts it, in its own process group, on a free port.

It must migrate a fresh SQLite database under EGOV_DATA_DIR, load the demo province, print the demo logins,
start the worker and serve; Ctrl-C (SIGINT to the process group, as a terminal sends it) must stop the server
and the worker; a restart keeps the data; a second instance with another EGOV_DATA_DIR shares nothing.
"""

import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.db_independent
ROOT = Path(__file__).resolve().parents[1]
# Seconds until /healthz answers 200. A restart must be quick. A fresh data folder first runs every migration
# (Wagtail's included): about 40 s on an idle 2-core machine, several times that when the suite shares the
# machine with other test runs, hence the wider allowance.
RESTART_TIMEOUT = 90
FRESH_START_TIMEOUT = 300
STOP_TIMEOUT = 30
_SCRUBBED = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY",
             "ALLOWED_HOSTS", "DEBUG", "PORT", "EGOV_DATA_DIR"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url: str, timeout: float = 10):
    """(status, headers, body) without following redirects; errors are answers too."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def _processes_of(data_dir: Path) -> list[int]:
    """PIDs of processes started with this EGOV_DATA_DIR in their environment (server, worker, script)."""
    marker = f"EGOV_DATA_DIR={data_dir}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


class Instance:
    def __init__(self, data_dir: Path, port: int):
        self.data_dir, self.port = data_dir, port
        self.log_path = data_dir.parent / f"{data_dir.name}-{port}.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def start(self, timeout: float = RESTART_TIMEOUT) -> float:
        env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
        env.update({"PORT": str(self.port), "EGOV_DATA_DIR": str(self.data_dir)})
        self.process = subprocess.Popen(
            ["scripts/run.sh"], cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=self.log_path.open("w"),
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                pytest.fail(f"run.sh exited with {self.process.returncode}:\n{self.output[-3000:]}")
            try:
                if _get(f"{self.url}/healthz", timeout=5)[0] == 200:
                    return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.5)
        pytest.fail(f"/healthz not 200 after {timeout} s:\n{self.output[-3000:]}")

    def interrupt(self) -> int:
        """Ctrl-C: SIGINT to the script's process group, as a terminal does."""
        os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(timeout=STOP_TIMEOUT)

    def kill_leftovers(self) -> None:
        for pid in _processes_of(self.data_dir):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def query(self, sql: str, *params):
        with sqlite3.connect(self.data_dir / "egov.sqlite3", timeout=20) as db:
            return db.execute(sql, params).fetchone()[0]

    def manage(self, *args) -> str:
        env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
        env["EGOV_DATA_DIR"] = str(self.data_dir)
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=120)
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout


@pytest.fixture
def instances(tmp_path):
    created = []

    def make(name: str, port: int | None = None) -> Instance:
        instance = Instance(tmp_path / name, port or _free_port())
        created.append(instance)
        return instance

    yield make
    for instance in created:  # a failed test must not leave servers behind
        if instance.process and instance.process.poll() is None:
            os.killpg(instance.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                instance.process.wait(timeout=STOP_TIMEOUT)
        instance.kill_leftovers()


def _assert_stopped(instance: Instance, returncode: int) -> None:
    assert returncode in {0, 130}, instance.output[-2000:]
    deadline = time.monotonic() + 10
    while _processes_of(instance.data_dir) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_of(instance.data_dir) == [], "server or worker still running after Ctrl-C"
    with pytest.raises(OSError):
        _get(f"{instance.url}/healthz", timeout=2)


def test_make_run_serves_stops_on_ctrl_c_and_keeps_data(instances):
    from egov.directory.demo import DEMO_PASSWORD

    first = instances("a")
    first.start(FRESH_START_TIMEOUT)
    out = first.output
    for login in ("vanthu.vp", "lanhdao.stp", "qthethong.vp", DEMO_PASSWORD):
        assert login in out
    assert (first.data_dir / "egov.sqlite3").is_file()

    status, headers, _ = _get(f"{first.url}/can-bo/")
    assert status == 302 and "/tai-khoan/" in headers["Location"]
    status, headers, body = _get(f"{first.url}/healthz")
    health = json.loads(body)
    assert health["checks"]["tasks"]["backend"] == "database" and health["checks"]["database"]["engine"] == "sqlite"
    request_id = headers["X-Request-ID"]
    access = [json.loads(line) for line in first.output.splitlines() if request_id in line and line.startswith("{")]
    assert access and access[0]["path"] == "/healthz" and access[0]["status"] == 200
    worker_started = [p for p in _processes_of(first.data_dir)
                      if b"run_worker" in Path(f"/proc/{p}/cmdline").read_bytes()]
    assert worker_started, "the task worker is not running"

    agencies = first.query("SELECT count(*) FROM directory_agency")
    assert agencies > 50
    # The second instance below starts from a copy of this database as it is now (a fresh start was just shown;
    # a second one would only repeat the migrations), in a data folder of its own.
    second = instances("b")
    second.data_dir.mkdir(parents=True)
    source, target = sqlite3.connect(first.data_dir / "egov.sqlite3"), sqlite3.connect(second.data_dir / "egov.sqlite3")
    try:
        source.backup(target)  # consistent while the first instance runs (WAL)
    finally:
        source.close()
        target.close()
    first.manage("shell", "-c", "from egov.accounts.models import User; "
                                "User.objects.create_user('kiemthu.e2e', password='Mat-khau-rat-dai-1')")

    # The second instance, side by side, on its own port and data folder: nothing shared.
    second.start(RESTART_TIMEOUT)
    assert second.data_dir != first.data_dir and (second.data_dir / "egov.sqlite3").is_file()
    assert second.query("SELECT count(*) FROM accounts_user WHERE username = ?", "kiemthu.e2e") == 0
    assert second.query("SELECT count(*) FROM directory_agency") == agencies
    assert _get(f"{second.url}/healthz")[0] == 200

    _assert_stopped(second, second.interrupt())
    assert _get(f"{first.url}/healthz")[0] == 200  # stopping one instance leaves the other alone
    _assert_stopped(first, first.interrupt())

    # Run again on the same data folder: the data is kept, the demo is not loaded twice.
    again = instances("a", port=_free_port())
    again.start(RESTART_TIMEOUT)
    assert again.query("SELECT count(*) FROM directory_agency") == agencies
    assert again.query("SELECT count(*) FROM accounts_user WHERE username = ?", "kiemthu.e2e") == 1
    assert "vanthu.vp" in again.output
    _assert_stopped(again, again.interrupt())
