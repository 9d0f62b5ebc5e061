"""Bad configuration at the two long-running entry points, the web server (granian with two workers, as
`make run` starts it, through egov.wsgi) and the task worker (`manage.py run_worker`): one Vietnamese line on
stderr naming the variable, a non-zero exit, no traceback, no password echoed. manage.py's other commands are
covered by src/egov/core/tests/test_ops_config.py.

granian itself adds "[ERROR] Unexpected exit from worker-N" on stdout; what is wrong is said once, on stderr,
however many workers hit it.
"""

import subprocess
import sys

import pytest
from crashkit import ROOT, clean_env, free_port, granian_command

pytestmark = pytest.mark.db_independent
GOOD_SECRET = "k" * 30 + "-rat-ngau-nhien-" + "z" * 30
PRODUCTION = "egov.conf.settings.production"

CASES = [
    pytest.param({"DJANGO_SETTINGS_MODULE": PRODUCTION}, "Lỗi cấu hình: SECRET_KEY", id="no-secret"),
    pytest.param({"DJANGO_SETTINGS_MODULE": PRODUCTION, "SECRET_KEY": GOOD_SECRET}, "Lỗi cấu hình: ALLOWED_HOSTS",
                 id="no-hosts"),
    pytest.param({"DATABASE_URL": "postgres://postgres:bi-mat@127.0.0.1:1/egov"},
                 "Lỗi cơ sở dữ liệu (postgresql 127.0.0.1:1/egov, DATABASE_URL): ", id="db-unreachable"),
    pytest.param({"DATABASE_URL": "khong-phai-dia-chi"}, "Lỗi cấu hình: DATABASE_URL", id="db-url-malformed"),
    pytest.param({"REDIS_URL": "redis://:bi-mat@127.0.0.1:1/0"},
                 "Lỗi kết nối Redis (redis://:***@127.0.0.1:1/0, REDIS_URL): ", id="redis-unreachable"),
    pytest.param({"REDIS_URL": "http://127.0.0.1:6379"}, "Lỗi cấu hình: REDIS_URL", id="redis-url-malformed"),
]


def _assert_one_line(result: subprocess.CompletedProcess, expected: str) -> None:
    assert result.returncode != 0, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(expected), lines[0]
    assert "Traceback" not in result.stdout + result.stderr
    assert "bi-mat" not in result.stdout + result.stderr
    others = [line for line in result.stdout.splitlines() if line.strip()]
    assert all(line.startswith(("[ERROR] ", "[WARNING] ")) for line in others), result.stdout  # granian's own


@pytest.mark.parametrize(("env", "expected"), CASES)
def test_server_start_with_bad_configuration(tmp_path, env, expected):
    result = subprocess.run(granian_command(free_port(), workers=2), cwd=ROOT, capture_output=True, text=True,
                            env=clean_env(EGOV_DATA_DIR=tmp_path / "data", **env), timeout=90)
    _assert_one_line(result, expected)


def test_server_with_the_production_unit_flags_stops_after_its_respawns(tmp_path):
    """docs/deploy.md's egov-web unit respawns failed workers: granian gives up on the crash loop and the line
    is still written once."""
    command = granian_command(free_port(), workers=2)
    command[-1:-1] = ["--workers-max-rss", "250", "--respawn-failed-workers"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=90,
                            env=clean_env(EGOV_DATA_DIR=tmp_path / "data", DJANGO_SETTINGS_MODULE=PRODUCTION))
    _assert_one_line(result, "Lỗi cấu hình: SECRET_KEY")
    assert "Worker crash loop detected" in result.stdout


@pytest.mark.parametrize(("env", "expected"), [c for c in CASES if c.id != "redis-url-malformed"])
def test_worker_start_with_bad_configuration(tmp_path, env, expected):
    """Without --batch, as the systemd unit runs it."""
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), "run_worker"], cwd=ROOT, capture_output=True,
                            text=True, env=clean_env(EGOV_DATA_DIR=tmp_path / "data", **env), timeout=90)
    _assert_one_line(result, expected)
