"""Turn the errors a bad configuration causes at start-up into one line an operator can act on.

manage.py prints this line and exits non-zero instead of a stack trace (``--traceback`` still shows one).
"""

import contextlib
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


def services_check() -> None:
    """Connect to the database and, when REDIS_URL is set, to Redis, so that a server started with a wrong
    address stops at once (egov.wsgi) instead of answering every request with an error page."""
    from django.conf import settings
    from django.db import connections

    connection = connections["default"]
    try:
        connection.ensure_connection()
    finally:
        connection.close()  # request threads open their own
    if getattr(settings, "REDIS_URL", None):
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3, socket_timeout=3).ping()


def _process_start(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[19]
    except (OSError, IndexError):
        return "0"


def fatal_report_once(message: str) -> bool:
    """Write ``message`` to stderr unless a sibling worker of the same server already did; True if written.

    granian starts every worker process from the same master and each one fails alike: the operator should
    read the line once, not once per worker. The marker file is keyed by the master's pid and start time.
    """
    import os
    import sys
    import tempfile

    parent = os.getppid()
    marker = os.path.join(tempfile.gettempdir(), f"egov-start-failed-{parent}-{_process_start(parent)}")
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return False
    except OSError:
        pass  # no writable temporary folder: better twice than never
    sys.stderr.write(f"{message}\n")
    sys.stderr.flush()
    _markers_prune(tempfile.gettempdir())
    return True


def _markers_prune(folder: str) -> None:
    """Remove the markers of servers that are gone, so failed starts do not pile up files."""
    import glob
    import os

    for path in glob.glob(os.path.join(folder, "egov-start-failed-*")):
        try:
            pid = int(os.path.basename(path).split("-")[3])
            os.kill(pid, 0)
        except ProcessLookupError:
            with contextlib.suppress(OSError):
                os.unlink(path)
        except (ValueError, IndexError, OSError):
            continue
