"""Structured logs: each request gives one JSON line carrying its request id, through the configured formatter."""

import io
import json
import logging

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """Capture what the configured stdout handlers render (application lines and access lines), line by line."""
    buffer = io.StringIO()
    attached = []
    for logger, name in ((logging.getLogger(), "stdout"), (logging.getLogger("egov.access"), "access")):
        configured = next(h for h in logger.handlers if h.get_name() == name)
        handler = logging.StreamHandler(buffer)
        handler.setFormatter(configured.formatter)
        logger.addHandler(handler)
        attached.append((logger, handler))
    try:
        yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]
    finally:
        for logger, handler in attached:
            logger.removeHandler(handler)


def test_request_gives_a_json_line_with_its_request_id(client, log_lines):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="yeu-cau-123")
    assert response["X-Request-ID"] == "yeu-cau-123"
    access = [line for line in log_lines() if line.get("logger") == "egov.access"]
    assert len(access) == 1
    line = access[0]
    assert line["request_id"] == "yeu-cau-123"
    assert line["method"] == "GET" and line["path"] == "/healthz" and line["status"] == 200
    assert line["level"] == "info" and line["timestamp"].endswith("Z")
    assert isinstance(line["duration_ms"], float)


def test_request_id_is_generated_and_query_strings_are_not_logged(client, log_lines):
    response = client.get("/api/v1/khong-co?cccd=087123456789")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    lines = log_lines()
    assert any(line.get("request_id") == request_id and line.get("status") == 404 for line in lines)
    assert "087123456789" not in json.dumps(lines)


def test_application_logs_carry_the_request_id_too(client, settings, log_lines):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": "/proc/egov-x"}}}
    response = client.get("/healthz")
    failure = next(line for line in log_lines() if line.get("event") == "healthz_check_failed")
    assert failure["request_id"] == response["X-Request-ID"] and failure["level"] == "error"


def test_vietnamese_stays_readable(log_lines):
    import structlog

    structlog.get_logger("egov.test").info("đã tiếp nhận hồ sơ", agency="Sở Tư pháp")
    line = log_lines()[-1]
    assert line["event"] == "đã tiếp nhận hồ sơ" and line["agency"] == "Sở Tư pháp"
