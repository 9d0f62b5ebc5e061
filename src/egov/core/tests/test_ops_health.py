"""/healthz: 200 when the database, the task queue and storage all work; 503 with the failing part named."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


def _unwritable_storage(settings):
    return {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                             "OPTIONS": {"location": "/proc/egov-khong-ghi-duoc"}}}


def test_all_fine_with_the_database_queue(client):
    from django.db import connection

    with override_settings(TASKS=DB_TASKS):
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True, "engine": connection.vendor}
    assert body["checks"]["tasks"] == {"ok": True, "backend": "database", "pending": 0}
    assert body["checks"]["storage"] == {"ok": True}
    assert "no-cache" in response["Cache-Control"]


def test_unwritable_storage_is_503(client, settings):
    settings.STORAGES = _unwritable_storage(settings)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["storage"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    assert "/proc" not in response.content.decode()  # details go to the log, not to the public


def test_unreachable_redis_queue_is_503(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.TASKS = RQ_TASKS
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["tasks"] == {"ok": False, "error": "ConnectionError"}


def test_redis_queue_is_pinged_when_reachable(client, settings, redis_test_url):
    settings.REDIS_URL = redis_test_url
    settings.TASKS = RQ_TASKS
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["tasks"] == {"ok": True, "backend": "redis"}


def test_failure_is_logged_with_its_reason(client, settings, caplog):
    settings.STORAGES = _unwritable_storage(settings)
    client.get("/healthz")
    failures = [r for r in caplog.records if r.name == "egov.healthz"]
    assert failures and failures[0].levelname == "ERROR"
    assert "egov-khong-ghi-duoc" in str(failures[0].msg)
