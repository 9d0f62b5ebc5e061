"""What a backup contains, described so that a restore can prove it got everything back.

Per table: the row count and a content checksum. Each value is read according to the model field that maps
its column, so that SQLite and PostgreSQL give the same text: datetimes to UTC ISO 8601, dates and times ISO,
UUIDs as 32 hex digits, booleans as booleans, JSON parsed and written canonically (sorted keys), decimals as
text, bytes as hex. Each row (its values in column-name order) is hashed with SHA-256 and the row hashes, plus
one of the column names, are added modulo 2**256: the checksum does not depend on the physical order of the
rows or on the server's collation, and a table is read once as a stream, without sorting.
"""

import datetime as dt
import decimal
import hashlib
import json
import uuid

from django.apps import apps
from django.db.migrations.recorder import MigrationRecorder

FORMAT_VERSION = 1
_MODULUS = 2**256
_CHUNK = 5000


def normalise(value):
    """A JSON-safe value that is the same whichever engine returned it."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return f"{value // dt.timedelta(microseconds=1)}us"
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalise(v) for v in value]
    return str(value)


def _fields_by_table() -> dict[str, dict]:
    """Table name -> {column: model field}, from every installed model that owns a table."""
    found: dict[str, dict] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy:
            continue
        columns = found.setdefault(meta.db_table, {})
        for field in meta.local_concrete_fields:
            columns.setdefault(field.column, field)
    return found


_PLAIN_TYPES = {
    "AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField",
    "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField", "CharField", "TextField",
    "SlugField", "EmailField", "URLField", "FilePathField", "FileField", "ImageField",
}


def _plain(value):
    """Integers and text come back the same from both engines: only other types need work."""
    if value is None or type(value) is int or type(value) is str:
        return value
    return normalise(value)


def _datetime(value):
    """SQLite returns the stored text (UTC when USE_TZ), PostgreSQL an aware datetime: both to UTC ISO 8601."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.isoformat() + "+00:00"
    if value.utcoffset():
        value = value.astimezone(dt.UTC)
    return value.isoformat()


def _date(value):
    return None if value is None else (dt.date.fromisoformat(value) if isinstance(value, str) else value).isoformat()


def _time(value):
    return None if value is None else (dt.time.fromisoformat(value) if isinstance(value, str) else value).isoformat()


def _uuid(value):
    """SQLite stores 32 hex digits, PostgreSQL a uuid: both to 32 lower-case hex digits."""
    if value is None:
        return None
    return value.hex if isinstance(value, uuid.UUID) else str(value).replace("-", "").lower()


def _bool(value):
    return None if value is None else bool(value)


_FAST = {"DateTimeField": _datetime, "DateField": _date, "TimeField": _time, "UUIDField": _uuid,
         "BooleanField": _bool, **dict.fromkeys(_PLAIN_TYPES, _plain)}


def _column_reader(connection, table: str, field):
    """A function from the raw database value of one column to its canonical JSON-safe value.

    Common types are read directly (the ORM's converters cost ~15 µs per datetime); any other field goes through
    the converters the ORM itself would apply (JSON, decimals, ...); a column no model maps, through normalise."""
    if field is None:
        return _plain
    target = field
    while target.is_relation and target.concrete and getattr(target, "target_field", None) is not None:
        target = target.target_field  # a foreign key reads as the key it points to
    fast = _FAST.get(target.get_internal_type())
    if fast is not None:
        return fast
    col = field.get_col(table)
    converters = [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]

    def read(value):
        for convert in converters:
            value = convert(value, col, connection)
        return normalise(value)
    return read


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest(), "big")


def table_checksum(connection, table: str, fields: dict) -> dict:
    """Row count and order-independent content checksum of one table (see the module docstring)."""
    with connection.cursor() as cursor:
        columns = sorted(c.name for c in connection.introspection.get_table_description(cursor, table))
    readers = [_column_reader(connection, table, fields.get(name)) for name in columns]
    dumps = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode
    quote = connection.ops.quote_name
    sql = f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)}"  # noqa: S608 (names from introspection)
    total = _digest(dumps(columns))  # the column names count too
    rows = 0
    cursor = connection.chunked_cursor()
    try:
        cursor.execute(sql)
        while chunk := cursor.fetchmany(_CHUNK):
            for row in chunk:
                total += _digest(dumps([read(value) for read, value in zip(readers, row, strict=True)]))
            total %= _MODULUS
            rows += len(chunk)
    finally:
        cursor.close()
    return {"rows": rows, "sha256": f"{total:064x}"}


def table_names(connection) -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def tables_manifest(connection, progress=None) -> dict[str, dict]:
    """Every table of the database (models or not): ``{table: {"rows": n, "sha256": hex}}``.

    ``connection`` is a Django database wrapper (``django.db.connection`` or one made for the backup)."""
    fields = _fields_by_table()
    result = {}
    for table in table_names(connection):
        result[table] = table_checksum(connection, table, fields.get(table, {}))
        if progress is not None:
            progress(table, result[table]["rows"])
    return result


def migration_state(connection) -> dict[str, str]:
    """Last applied migration per app (names are numbered, so the greatest name is the last).

    Read with plain SQL: the connection may be one made for the backup, unknown to ``django.db.connections``."""
    table = MigrationRecorder.Migration._meta.db_table
    if table not in table_names(connection):
        return {}
    state: dict[str, str] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT app, name FROM {connection.ops.quote_name(table)}")  # noqa: S608
        for app, name in cursor.fetchall():
            if name > state.get(app, ""):
                state[app] = name
    return dict(sorted(state.items()))


def tables_compare(expected: dict[str, dict], found: dict[str, dict]) -> list[str]:
    """One Vietnamese line per table whose row count or checksum differs (or that is missing / extra)."""
    problems = []
    for table in sorted(set(expected) | set(found)):
        want, got = expected.get(table), found.get(table)
        if got is None:
            problems.append(f"thiếu bảng {table}")
        elif want is None:
            problems.append(f"bảng thừa {table} ({got['rows']} dòng)")
        elif want["rows"] != got["rows"]:
            problems.append(f"bảng {table}: {got['rows']} dòng, bản sao lưu có {want['rows']}")
        elif want["sha256"] != got["sha256"]:
            problems.append(f"bảng {table}: nội dung khác bản sao lưu (cùng {got['rows']} dòng)")
    return problems


def sha256_file(path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()
