"""PostgreSQL: ``pg_dump --format=custom`` of one exported snapshot, ``pg_restore --no-owner`` into an empty base.

The manifest's table checksums are computed inside the very transaction whose snapshot pg_dump reads
(``pg_export_snapshot`` / ``--snapshot``), so the manifest describes exactly what the dump holds, while the
application keeps writing. The client tools must be at least the server's major version: the Debian layout
``/usr/lib/postgresql/<major>/bin`` is searched first, then ``PATH``.
"""

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.db import connections, transaction
from psycopg.conninfo import make_conninfo

from egov.core.backup.errors import BackupError

DUMP_NAME = "database.dump"
# Keys of DATABASES[...]["OPTIONS"] that Django or psycopg use themselves; every other key is a libpq parameter
# (sslmode, target_session_attrs, connect_timeout, options, ...).
_DJANGO_OPTIONS = {"isolation_level", "assume_role", "server_side_binding", "pool", "cursor_factory",
                   "prepare_threshold"}


def server_major(using: str) -> int:
    connection = connections[using]
    connection.ensure_connection()
    return connection.pg_version // 10000


def _tool_major(path: str) -> int | None:
    try:
        result = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)  # noqa: S603
        out = result.stdout
    except OSError:
        return None
    found = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(found.group(1)) if found else None


def client_tool(name: str, major: int) -> str:
    """The ``pg_dump``/``pg_restore`` for a server of this major version (same or newer client)."""
    versioned = []
    for path in Path("/usr/lib/postgresql").glob(f"*/bin/{name}"):
        if path.parent.parent.name.isdigit():
            versioned.append((int(path.parent.parent.name), str(path)))
    for tool_major, path in sorted(versioned):
        if tool_major >= major:
            return path
    on_path = shutil.which(name)
    if on_path and (_tool_major(on_path) or 0) >= major:
        return on_path
    raise BackupError(f"Không tìm thấy {name} cho PostgreSQL {major}: cài gói postgresql-client-{major} "
                      "(scripts/setup-system.sh).")


def connection_args(settings_dict: dict, *, host=None, port=None, read_write: bool = False) -> tuple[str, dict]:
    """A libpq connection string for the command-line tools, and the environment carrying the password."""
    params = {k: v for k, v in (settings_dict.get("OPTIONS") or {}).items()
              if k not in _DJANGO_OPTIONS and isinstance(v, str | int)}
    params["dbname"] = settings_dict.get("NAME") or "postgres"
    if settings_dict.get("USER"):
        params["user"] = settings_dict["USER"]
    host = host or settings_dict.get("HOST")
    port = port or settings_dict.get("PORT")
    if host:
        params["host"] = str(host)
    if port:
        params["port"] = str(port)
    if read_write and "," in str(host or "") and "target_session_attrs" not in params:
        params["target_session_attrs"] = "read-write"  # several hosts: write only into the primary
    env = {"PGPASSWORD": str(settings_dict["PASSWORD"])} if settings_dict.get("PASSWORD") else {}
    return make_conninfo(**params), env


def _run_error(tool: str, stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower() or "lỗi" in line.lower()] or lines
    return f"{tool} thất bại: {errors[0] if errors else 'không rõ lỗi'}"


def dump(target: Path, connection, describe) -> dict:
    """Run pg_dump on an exported snapshot and, meanwhile, ``describe(connection)`` in that same snapshot.

    ``connection`` is a database wrapper of its own (not the caller's): it holds the snapshot's transaction."""
    connection.ensure_connection()
    tool = client_tool("pg_dump", connection.pg_version // 10000)
    connection.set_autocommit(False)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        info = connection.connection.info  # the host actually reached (several hosts: the snapshot is there)
        conninfo, env = connection_args(connection.settings_dict, host=info.host, port=info.port)
        with tempfile.TemporaryFile() as errors:
            process = subprocess.Popen(  # noqa: S603 (our arguments, no shell)
                [tool, "--format=custom", f"--snapshot={snapshot}", f"--file={target}", f"--dbname={conninfo}"],
                stdout=subprocess.DEVNULL, stderr=errors, env={**os.environ, **env},
            )
            try:
                described = describe(connection)
            except BaseException:
                process.kill()
                process.wait()
                raise
            code = process.wait()
            errors.seek(0)
            stderr = errors.read().decode("utf-8", "replace")
    finally:
        connection.rollback()
        connection.set_autocommit(True)
    if code != 0:
        if "No space left" in stderr:
            raise BackupError("Không đủ chỗ trống trên đĩa khi ghi bản sao CSDL (pg_dump).")
        raise BackupError(_run_error("pg_dump", stderr))
    return described


def restore(dump_path: Path, using: str) -> None:
    """pg_restore into the (empty) configured database, all or nothing (one transaction)."""
    tool = client_tool("pg_restore", server_major(using))
    connection = connections[using]
    conninfo, env = connection_args(connection.settings_dict, read_write=True)
    connections.close_all()
    result = subprocess.run(  # noqa: S603 (our arguments, no shell)
        [tool, "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction", f"--dbname={conninfo}",
         str(dump_path)],
        capture_output=True, text=True, env={**os.environ, **env},
    )
    if result.returncode != 0:
        raise BackupError(_run_error("pg_restore", result.stderr))


def drop_everything(using: str) -> None:
    """--force: drop the tables, views and sequences of the current schema before restoring."""
    connection = connections[using]
    quote = connection.ops.quote_name
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT viewname FROM pg_views WHERE schemaname = current_schema()")
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP VIEW IF EXISTS {quote(name)} CASCADE")
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP TABLE IF EXISTS {quote(name)} CASCADE")
        cursor.execute("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP SEQUENCE IF EXISTS {quote(name)} CASCADE")
