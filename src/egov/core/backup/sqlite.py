"""SQLite: a consistent copy through the online backup API while the application keeps running.

The backup API copies the database page by page under SQLite's own locking (WAL included), so the copy is a
snapshot even if the web process and the task worker write meanwhile. Restore uses the same API in reverse:
it replaces the whole content of the target file (tables already there included) under SQLite's locking, so
an existing WAL file cannot corrupt the result.
"""

import sqlite3
from pathlib import Path
from urllib.parse import quote

from django.db import connections

from egov.core.backup.errors import BackupError

DUMP_NAME = "database.sqlite3"


def file_uri(path, *, readonly: bool) -> str:
    """An SQLite URI for a path that may hold spaces, ``?`` or ``#``."""
    uri = f"file:{quote(str(path), safe='/')}"
    return f"{uri}?mode=ro" if readonly else uri


def _open(path: str, *, readonly: bool) -> sqlite3.Connection:
    return sqlite3.connect(file_uri(path, readonly=readonly), uri=True, timeout=30)


def database_path(using: str = "default") -> str:
    name = str(connections[using].settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("Không sao lưu được CSDL SQLite trong bộ nhớ: cần một tệp CSDL.")
    return name


def dump(target: Path, using: str = "default") -> None:
    """Copy the live database into ``target`` (a self-contained file, journal mode DELETE)."""
    source_path = database_path(using)
    if not Path(source_path).exists():
        raise BackupError(f"Không tìm thấy tệp CSDL SQLite {source_path}.")
    source = _open(source_path, readonly=False)  # read-only opening of a WAL database can fail without its -shm
    dest = sqlite3.connect(str(target))
    try:
        source.backup(dest)  # all pages in one step: one consistent snapshot
        dest.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it in the backup folder
        dest.commit()
    except sqlite3.Error as exc:
        raise BackupError(f"Không sao chép được CSDL SQLite: {exc}") from None
    finally:
        dest.close()
        source.close()


def restore(dump_path: Path, using: str = "default") -> None:
    """Write the backup into the configured database file (no Django connection stays open meanwhile)."""
    target_path = database_path(using)
    connections.close_all()
    Path(target_path).parent.mkdir(parents=True, exist_ok=True)
    source = _open(str(dump_path), readonly=True)
    dest = sqlite3.connect(target_path, timeout=30)
    try:
        source.backup(dest)
    except sqlite3.Error as exc:
        raise BackupError(f"Không ghi được CSDL SQLite {target_path}: {exc}") from None
    finally:
        dest.close()
        source.close()
