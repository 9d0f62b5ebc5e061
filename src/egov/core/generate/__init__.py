"""Tools shared by the data generators (``generate_province``, ``onestop_generate``, the documents generator).

App-free on purpose (the kernel knows no domain model): a one-line progress printer, fast row writing (PostgreSQL
``COPY FROM STDIN``, ``executemany`` on SQLite) driven by a model's own field definitions, primary keys reserved
in one round trip, a bulk-load session (``synchronous_commit=off``, big ``maintenance_work_mem``) and the
deferral of secondary indexes and foreign keys while a table that was empty is loaded.

Deferral is crash safe: the definitions of what was dropped are kept in a small table of their own
(``egov_generate_deferred``, created on demand, outside the migrations) before anything is dropped, so a rerun
after SIGKILL finds them and rebuilds them at the end, even though its tables are no longer empty.
"""

import contextlib
import json
import sys
import time

from django.db import connection, models
from django.utils import timezone

__all__ = ["Progress", "Table", "deferred_indexes", "load_session", "reserve_ids", "restore_deferred"]


def _n(value: float) -> str:
    """Vietnamese thousands separator: 3.400.000."""
    return f"{round(value):,}".replace(",", ".")


# --- progress ----------------------------------------------------------------------------------------------------
class Progress:
    """One line, rewritten in place on a terminal (count, rate, ETA); a line every 10 s when piped to a file."""

    def __init__(self, label: str, total: int, *, stream=None, enabled: bool = True):
        self.label, self.total, self.done = label, max(total, 0), 0
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = self.shown = time.perf_counter()
        self.skipped = 0

    def skip(self, count: int) -> None:
        """Items already there from an earlier run: counted as done, not in the rate."""
        self.skipped += count
        self.done += count

    def update(self, count: int, extra: str = "") -> None:
        self.done += count
        now = time.perf_counter()
        if now - self.shown >= (0.5 if self.tty else 10.0):
            self.shown = now
            self._show(extra)

    def _line(self, extra: str = "") -> str:
        elapsed = time.perf_counter() - self.started
        made = self.done - self.skipped
        rate = made / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        share = 100.0 * self.done / self.total if self.total else 100.0
        line = (f"{self.label}: {_n(self.done)}/{_n(self.total)} ({share:5.1f}%) {_n(rate)}/s, "
                f"{_n(elapsed)} s, còn ~{_n(left)} s")
        return f"{line} {extra}".rstrip()

    def _show(self, extra: str = "") -> None:
        if not self.enabled:
            return
        if self.tty:
            self.stream.write("\r\033[K" + self._line(extra))
        else:
            self.stream.write(self._line(extra) + "\n")
        self.stream.flush()

    def close(self, extra: str = "") -> float:
        """Print the final line; return the seconds spent."""
        if self.enabled:
            self.stream.write(("\r\033[K" if self.tty else "") + self._line(extra) + "\n")
            self.stream.flush()
        return time.perf_counter() - self.started


# --- writing rows ------------------------------------------------------------------------------------------------
def _uuid_hex(value) -> str:
    return value.hex


def _json_adapter(encoder):
    if connection.vendor == "postgresql":  # COPY takes the JSON text as it is: no adapter object per value
        dumps = json.JSONEncoder(ensure_ascii=False).encode if encoder is None else encoder(ensure_ascii=False).encode
        return dumps

    def adapt(value):
        return connection.ops.adapt_json_value(value, encoder)

    return adapt


class Table:
    """How to turn a row dict (keyed by the model's attribute names) into the tuple of the model's columns;
    ``write`` streams them. Missing keys take the field's default, ``auto_now`` fields the moment of writing."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.table = model._meta.db_table
        now = timezone.now()
        ops = connection.ops
        native_uuid = connection.features.has_native_uuid_field
        self.columns = []
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField):
                convert = None if connection.vendor == "postgresql" else ops.adapt_datetimefield_value
            elif isinstance(field, models.DateField):
                convert = None if connection.vendor == "postgresql" else ops.adapt_datefield_value
            elif isinstance(field, models.UUIDField):
                convert = None if native_uuid else _uuid_hex
            elif isinstance(field, models.JSONField):
                convert = _json_adapter(field.encoder)
            elif isinstance(field, models.DecimalField) and connection.vendor != "postgresql":
                convert = str
            else:
                convert = None
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                default = now
            elif field.primary_key:
                default = None
            else:
                default = field.get_default()
            self.columns.append((field.attname, field.column, convert, default))

    def rows(self, dicts):
        """Lists of column values (the hot loop of every generator: one comprehension, converters only where a
        column needs one)."""
        pairs = [(attname, default) for attname, _, _, default in self.columns]
        converts = [(index, convert) for index, (_, _, convert, _) in enumerate(self.columns) if convert is not None]
        for row in dicts:
            get = row.get
            values = [get(attname, default) for attname, default in pairs]
            for index, convert in converts:
                value = values[index]
                if value is not None:
                    values[index] = convert(value)
            yield values

    def write(self, dicts: list[dict], *, batch_size: int = 20000) -> None:
        """Insert ``dicts`` (each with its ``id``) inside the caller's transaction."""
        if not dicts:
            return
        names = ", ".join(connection.ops.quote_name(column) for _, column, _, _ in self.columns)
        table = connection.ops.quote_name(self.table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    write_row = copy.write_row
                    for values in self.rows(dicts):
                        write_row(values)
                return
            marks = ", ".join(["%s"] * len(self.columns))
            for start in range(0, len(dicts), batch_size):
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                                   list(self.rows(dicts[start:start + batch_size])))


def reserve_ids(model: type[models.Model], count: int) -> range | list[int]:
    """Primary keys for ``count`` new rows of ``model``, taken inside the caller's transaction.

    PostgreSQL: the sequence is advanced on the server and only the first and last values come back, so a block
    of a hundred thousand keys costs one short round trip; when another session took values in between (not
    contiguous), the keys are fetched one by one instead."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT min(v), max(v) FROM (SELECT nextval(%s) AS v FROM generate_series(1, %s)) s",
                           [sequence, count])
            low, high = cursor.fetchone()
            if high - low + 1 == count:
                return range(low, high + 1)
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, count])
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the write transaction (BEGIN IMMEDIATE) holds the database lock, so MAX + 1… are ours.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        start = cursor.fetchone()[0] + 1
        return range(start, start + count)


# --- a bulk-load session -----------------------------------------------------------------------------------------
@contextlib.contextmanager
def load_session():
    """PostgreSQL: commits need not wait for the WAL flush (a crash loses at most the last moments of the load,
    which the rerun regenerates: every part is resumable), and index builds get memory and parallel workers."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET max_parallel_maintenance_workers = 2")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
            cursor.execute("RESET maintenance_work_mem")
            cursor.execute("RESET max_parallel_maintenance_workers")


STATE_TABLE = "egov_generate_deferred"


def _state_ensure(cursor) -> None:
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} (table_name text NOT NULL, name text NOT NULL, "
                   "kind text NOT NULL, definition text NOT NULL, PRIMARY KEY (table_name, name))")


def _deferrable(cursor, table: str) -> list[tuple[str, str, str]]:
    """(name, kind, definition) of ``table``'s foreign keys, unique constraints and plain indexes (not the
    primary key): kind ``constraint`` is re-added with ALTER TABLE, ``index`` re-created as it was."""
    cursor.execute("""
        SELECT c.conname, 'constraint', pg_get_constraintdef(c.oid), c.contype
        FROM pg_constraint c WHERE c.conrelid = %s::regclass AND c.contype IN ('f', 'u')
    """, [table])
    found = [(name, kind, definition) for name, kind, definition, contype in
             sorted(cursor.fetchall(), key=lambda r: r[3] == "f")]  # unique first: FKs may need them
    cursor.execute("""
        SELECT i.relname, 'index', pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = %s::regclass AND NOT x.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
    """, [table])
    return [*cursor.fetchall(), *found]


@contextlib.contextmanager
def deferred_indexes(models_: list[type[models.Model]], *, progress=None):
    """While loading ``models_`` on PostgreSQL: the empty tables lose their secondary indexes, unique
    constraints and foreign keys, recorded first, and get them back (validated) at the end. Tables with rows
    keep theirs. SQLite, or inside a transaction (a test; deferred triggers forbid ALTER TABLE): nothing."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        _state_ensure(cursor)
        for model in models_:
            table = model._meta.db_table
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {connection.ops.quote_name(table)})")  # noqa: S608
            if cursor.fetchone()[0]:
                continue
            for name, kind, definition in _deferrable(cursor, table):
                cursor.execute(f"INSERT INTO {STATE_TABLE} VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",  # noqa: S608
                               [table, name, kind, definition])
                quoted = connection.ops.quote_name(name)
                if kind == "index":
                    cursor.execute(f"DROP INDEX IF EXISTS {quoted}")
                else:
                    cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} DROP CONSTRAINT IF EXISTS {quoted}")
    yield
    restore_deferred(progress=progress, tables=[model._meta.db_table for model in models_])


def restore_deferred(*, progress=None, tables: list[str] | None = None) -> int:
    """Re-create whatever an earlier (maybe interrupted) load deferred (of ``tables`` only, if given: another
    process may be loading the others); returns how many."""
    if connection.vendor != "postgresql":
        return 0
    say = progress or (lambda message: None)
    restored = 0
    with connection.cursor() as cursor:
        _state_ensure(cursor)
        cursor.execute(f"SELECT table_name, name, kind, definition FROM {STATE_TABLE} "  # noqa: S608
                       "ORDER BY kind = 'constraint', definition LIKE 'FOREIGN KEY%%', table_name, name")
        pending = cursor.fetchall()
        for table, name, kind, definition in pending:
            if tables is not None and table not in tables:
                continue
            started = time.perf_counter()
            quoted = connection.ops.quote_name(name)
            if kind == "index":
                cursor.execute(definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
                               .replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", 1))
            else:
                cursor.execute("SELECT 1 FROM pg_constraint WHERE conname = %s AND conrelid = %s::regclass",
                               [name, table])
                if cursor.fetchone() is None:
                    cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} ADD CONSTRAINT {quoted} "
                                   f"{definition}")
            cursor.execute(f"DELETE FROM {STATE_TABLE} WHERE table_name = %s AND name = %s",  # noqa: S608
                           [table, name])
            restored += 1
            say(f"  {table}: {name} ({time.perf_counter() - started:.1f} s)")
    return restored
