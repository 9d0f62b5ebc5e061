"""Settings for the test suite: the same stack, faster password hashing, synchronous tasks."""

import os
import tempfile

# Unless told otherwise, a test run writes into its own throw-away data folder.
os.environ.setdefault("EGOV_DATA_DIR", tempfile.mkdtemp(prefix="egov-test-"))
# Under pytest-xdist every worker process gets a folder of its own inside it (SQLite file, uploads, search index),
# so that parallel workers never share files; PostgreSQL test databases are already per worker (pytest-django).
if os.environ.get("PYTEST_XDIST_WORKER"):
    _worker_dir = os.path.join(os.environ["EGOV_DATA_DIR"], os.environ["PYTEST_XDIST_WORKER"])
    os.makedirs(_worker_dir, exist_ok=True)
    os.environ["EGOV_DATA_DIR"] = _worker_dir

from egov.conf.settings.base import *  # noqa: E402, F403
from egov.conf.settings.base import DATA_DIR, DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file in the run's throw-away data folder: live-server threads then open their own connections and
    # wait on each other (WAL, busy timeout) as in production. In-memory shared-cache SQLite fails concurrent
    # writers at once with "database table is locked" (seen in the parallel login lockout test).
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
# Tasks run in the worker in production; tests run them at enqueue time unless a test says otherwise.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_FAILURE_LIMIT = 5
# Serve static files from the app folders directly (no collectstatic before tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
