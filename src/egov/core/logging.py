"""Structured JSON logs on stdout (structlog), also for Django's own loggers."""

import datetime as dt
import json
import logging
import logging.config
import time

import structlog


def configure_logging(level: str = "INFO") -> None:
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {
                "json": {
                    "()": structlog.stdlib.ProcessorFormatter,
                    "processors": [
                        structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                        structlog.processors.format_exc_info,
                        structlog.processors.JSONRenderer(ensure_ascii=False),
                    ],
                    "foreign_pre_chain": shared,
                },
                # The access line is rendered to JSON by AccessLogMiddleware itself.
                "message": {"format": "%(message)s"},
            },
            "handlers": {
                "stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
                "access": {"class": "logging.StreamHandler", "formatter": "message", "stream": "ext://sys.stdout"},
            },
            "root": {"handlers": ["stdout"], "level": level},
            "loggers": {
                "django.db.backends": {"level": "WARNING"},
                "granian": {"level": "WARNING"},
                "egov.access": {"handlers": ["access"], "level": level, "propagate": False},
            },
        }
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


class AccessLogMiddleware:
    """One JSON line per request (method, path, status, duration, request id) for operators and log search.

    Sits right after RequestContextMiddleware, so the request id and client IP are already bound. The query
    string is left out on purpose: it may carry personal data (a dossier code, an identity number); the user
    is logged by UUID, not by name, for the same reason. The line is built here with one ``json.dumps``
    rather than through structlog's processor chain: measured at about a third of the cost, which matters on
    hot public paths where a bare view costs ~0.4 ms. The fields are the same as structlog's lines.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.logger = logging.getLogger("egov.access")

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        if self.logger.isEnabledFor(logging.INFO):
            user = getattr(request, "user", None)
            line = {
                "event": "request",
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user": str(getattr(user, "uuid", user.pk)) if user is not None and user.is_authenticated else None,
                **structlog.contextvars.get_contextvars(),
                "level": "info",
                "logger": "egov.access",
                "timestamp": dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z"),
            }
            self.logger.info(json.dumps(line, ensure_ascii=False, default=str))
        return response
