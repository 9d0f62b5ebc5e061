"""Bad configuration stops the process with one Vietnamese line and a non-zero exit, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.db_independent
ROOT = Path(__file__).resolve().parents[4]
_SCRUBBED = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE",
             "DJANGO_SETTINGS_MODULE"}


def run_manage(*args, env_overrides: dict, tmp_path, timeout=120):
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
    env.update({"DJANGO_SETTINGS_MODULE": "egov.conf.settings.dev", "EGOV_DATA_DIR": str(tmp_path / "data")})
    env.update(env_overrides)
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


GOOD_SECRET = "k" * 30 + "-rat-ngau-nhien-" + "z" * 30


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["check"], {"DJANGO_SETTINGS_MODULE": "egov.conf.settings.production"}, "Lỗi cấu hình: SECRET_KEY"),
        (["check"], {"DJANGO_SETTINGS_MODULE": "egov.conf.settings.production", "SECRET_KEY": "ngan"},
         "Lỗi cấu hình: SECRET_KEY"),
        (["check"], {"DJANGO_SETTINGS_MODULE": "egov.conf.settings.production", "SECRET_KEY": GOOD_SECRET},
         "Lỗi cấu hình: ALLOWED_HOSTS"),
        (["migrate"], {"DATABASE_URL": "postgres://postgres:bi-mat@127.0.0.1:1/x"},
         "Lỗi cơ sở dữ liệu (postgresql 127.0.0.1:1/x, DATABASE_URL): "),
        (["check"], {"DATABASE_URL": "khong-phai-dia-chi"}, "Lỗi cấu hình: DATABASE_URL"),
        (["run_worker", "--batch"], {"REDIS_URL": "redis://:bi-mat@127.0.0.1:1/0"},
         "Lỗi kết nối Redis (redis://:***@127.0.0.1:1/0, REDIS_URL): "),
        (["check"], {"REDIS_URL": "http://127.0.0.1:6379"}, "Lỗi cấu hình: REDIS_URL"),
        (["check"], {"DEBUG": "co-le"}, "Lỗi cấu hình: DEBUG"),
        (["check"], {"EGOV_DATA_DIR": "/proc/egov-khong-tao-duoc"}, "Lỗi cấu hình: EGOV_DATA_DIR"),
    ],
    ids=["no-secret", "short-secret", "no-hosts", "db-unreachable", "db-url-malformed", "redis-unreachable",
         "redis-url-malformed", "bad-boolean", "data-dir-unwritable"],
)
def test_one_line_and_non_zero_exit(tmp_path, args, env, expected):
    result = run_manage(*args, env_overrides=env, tmp_path=tmp_path)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(expected), lines[0]
    assert "Traceback" not in result.stdout + result.stderr
    assert "bi-mat" not in result.stdout + result.stderr  # a password in a URL is never echoed


def test_traceback_flag_still_shows_the_stack_for_debugging(tmp_path):
    result = run_manage("migrate", "--traceback", tmp_path=tmp_path,
                        env_overrides={"DATABASE_URL": "postgres://postgres@127.0.0.1:1/x"})
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_production_settings_start_with_a_secret_and_hosts(tmp_path):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, env_overrides={
        "DJANGO_SETTINGS_MODULE": "egov.conf.settings.production", "SECRET_KEY": GOOD_SECRET,
        "ALLOWED_HOSTS": "dichvucong.camau.gov.vn"})
    assert result.returncode == 0, result.stderr


def test_prod_check_script_passes():
    """`make prod-check`: the deployment checklist, warnings included, against the production settings."""
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
    result = subprocess.run([str(ROOT / "scripts" / "prod-check.sh")], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
