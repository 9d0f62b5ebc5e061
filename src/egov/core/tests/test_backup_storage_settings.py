"""The file storage follows the environment: local folder by default, S3-compatible store when configured.

Each case imports the production settings in a fresh interpreter with only that environment; no network is
used (a signed URL is computed locally by boto3)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.db_independent
ROOT = Path(__file__).resolve().parents[4]
_SCRUBBED = {"DATABASE_URL", "REDIS_URL", "STORAGE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
_SCRUBBED_PREFIX = "AWS_"
SECRET = "k" * 30 + "-rat-ngau-nhien-" + "z" * 30

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
store = storages["default"]
out = {"backend": settings.STORAGES["default"]["BACKEND"], "class": type(store).__name__}
if out["backend"].endswith("S3Storage"):
    out.update(bucket=store.bucket_name, endpoint=store.endpoint_url, location=store.location,
               overwrite=store.file_overwrite, url=store.url("onestop/2025/giay-to.pdf"))
else:
    out.update(location=str(store.location))
print(json.dumps(out))
"""


def probe(tmp_path, **env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED and not k.startswith(_SCRUBBED_PREFIX)}
    env.update({"DJANGO_SETTINGS_MODULE": "egov.conf.settings.production", "SECRET_KEY": SECRET,
                "ALLOWED_HOSTS": "dichvucong.camau.gov.vn", "EGOV_DATA_DIR": str(tmp_path)}, **env_overrides)
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    return result


def test_local_folder_by_default(tmp_path):
    result = probe(tmp_path)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["backend"] == "django.core.files.storage.FileSystemStorage"
    assert out["location"] == str(tmp_path.resolve() / "media")


def test_storage_url_selects_s3_with_endpoint_bucket_prefix_and_keys(tmp_path):
    result = probe(tmp_path, STORAGE_URL="s3://egov:mat-khau-kho@minio1.camau.local:9000/egov-tep/ho-so?ssl=false")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["backend"] == "storages.backends.s3.S3Storage"
    assert (out["bucket"], out["endpoint"], out["location"]) == ("egov-tep", "http://minio1.camau.local:9000",
                                                                  "ho-so")
    assert out["overwrite"] is False
    # Private objects: the URL handed out is signed and short-lived, at the configured endpoint.
    assert out["url"].startswith("http://minio1.camau.local:9000/egov-tep/ho-so/onestop/2025/giay-to.pdf?")
    assert "Signature=" in out["url"] or "X-Amz-Signature=" in out["url"]
    assert "mat-khau-kho" not in out["url"]


def test_aws_variables_select_s3_and_override_parts(tmp_path):
    result = probe(tmp_path, AWS_STORAGE_BUCKET_NAME="tep-tinh", AWS_S3_ENDPOINT_URL="https://s3.camau.gov.vn",
                   AWS_ACCESS_KEY_ID="id", AWS_SECRET_ACCESS_KEY="bi-mat", AWS_S3_REGION_NAME="vn-south-1")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert (out["backend"], out["bucket"], out["endpoint"]) == (
        "storages.backends.s3.S3Storage", "tep-tinh", "https://s3.camau.gov.vn")
    assert out["url"].startswith("https://s3.camau.gov.vn/tep-tinh/onestop/2025/giay-to.pdf?")


@pytest.mark.parametrize(("env", "expected"), [
    ({"STORAGE_URL": "http://minio1:9000/tep"}, "Lỗi cấu hình: STORAGE_URL phải bắt đầu bằng s3://"),
    ({"AWS_S3_ENDPOINT_URL": "https://s3.camau.gov.vn"}, "Lỗi cấu hình: Kho tệp S3: thiếu tên bucket"),
    ({"STORAGE_URL": "s3://k:s@minio1:9000/tep?ssl=co-le"}, "Lỗi cấu hình: STORAGE_URL: ssl phải là"),
], ids=["wrong-scheme", "no-bucket", "bad-ssl"])
def test_bad_storage_configuration_is_one_line(tmp_path, env, expected):
    base = {k: v for k, v in os.environ.items() if k not in _SCRUBBED and not k.startswith(_SCRUBBED_PREFIX)}
    base.update({"DJANGO_SETTINGS_MODULE": "egov.conf.settings.production", "SECRET_KEY": SECRET,
                 "ALLOWED_HOSTS": "dichvucong.camau.gov.vn", "EGOV_DATA_DIR": str(tmp_path)}, **env)
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), "check"], cwd=ROOT, env=base,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(expected), result.stderr
