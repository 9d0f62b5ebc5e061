"""Settings for the test suite: the same stack, faster password hashing, synchronous tasks."""

from egov.conf.settings.base import *  # noqa: F403
from egov.conf.settings.base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Each test database is a file so that live-server tests and threads share it.
    DATABASES["default"]["TEST"] = {"NAME": None}
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
