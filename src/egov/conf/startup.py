"""Turn the errors a bad configuration causes at start-up into one line an operator can act on.

manage.py prints this line and exits non-zero instead of a stack trace (``--traceback`` still shows one).
"""

from urllib.parse import urlsplit, urlunsplit


def _without_password(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(không đọc được địa chỉ)"
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0].strip() if text else type(exc).__name__


def _database_label() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    engine = db["ENGINE"].rsplit(".", 1)[-1]
    if engine == "sqlite3":
        return f"SQLite {db['NAME']}"
    host = db.get("HOST") or "localhost"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"{engine} {host}{port}/{db.get('NAME', '')}"


def describe_fatal(exc: BaseException) -> str | None:
    """One Vietnamese line for a configuration or connection error; None for anything else (a real bug)."""
    from egov.conf.env import ConfigurationError

    if isinstance(exc, ConfigurationError):
        return f"Lỗi cấu hình: {_first_line(exc)}"

    from django.db.utils import InterfaceError, OperationalError

    if isinstance(exc, OperationalError | InterfaceError):
        return f"Lỗi cơ sở dữ liệu ({_database_label()}, DATABASE_URL): {_first_line(exc)}"

    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # redis is a dependency; this only guards a broken install
        return None
    if isinstance(exc, RedisConnectionError | RedisTimeoutError):
        from django.conf import settings

        url = _without_password(getattr(settings, "REDIS_URL", None) or "")
        return f"Lỗi kết nối Redis ({url}, REDIS_URL): {_first_line(exc)}"
    return None
