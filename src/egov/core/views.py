"""Operational endpoints: /healthz reports the database, the task queue and file storage."""

import uuid

import structlog
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = structlog.get_logger("egov.healthz")


def _check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "engine": connection.vendor}


def _check_tasks() -> dict:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend.startswith("django_tasks_rq"):
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
        return {"ok": True, "backend": "redis"}
    if backend.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        pending = DBTaskResult.objects.filter(status="READY").count()
        return {"ok": True, "backend": "database", "pending": pending}
    return {"ok": True, "backend": backend.rsplit(".", 1)[-1]}


def _check_storage() -> dict:
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as fh:
            ok = fh.read() == b"ok"
    finally:
        default_storage.delete(name)
    return {"ok": ok}


@never_cache
def healthz(request):
    checks = {}
    for name, check in (("database", _check_database), ("tasks", _check_tasks), ("storage", _check_storage)):
        try:
            checks[name] = check()
        except Exception as exc:  # a health check must report, never raise
            # The details (host names, paths) go to the log only: /healthz is public.
            logger.error("healthz_check_failed", check=name, error=f"{type(exc).__name__}: {exc}"[:500])
            checks[name] = {"ok": False, "error": type(exc).__name__}
    healthy = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
