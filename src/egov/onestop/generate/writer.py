"""Writing generated rows fast: primary keys reserved up front, rows streamed with PostgreSQL ``COPY`` (or
``executemany`` on SQLite) in batches, inside the caller's transaction; counters and daily aggregates upserted.

Rows are plain dicts keyed by the models' attribute names; each model's columns, defaults (``auto_now`` fields
get the moment of writing) and value adaptation (``connection.ops``: time zone, UUID, JSON) come from the
model's own field definitions, so a column added to a model is written with its default.
"""

import datetime as dt

from django.db import connection, models
from django.utils import timezone

from egov.onestop.models import DossierCounter, DossierDailyStat, DossierRegisterCounter

STAT_COLUMNS = ("received", "finished_early", "finished_on_time", "finished_late", "refused", "withdrawn",
                "returned")


def _uuid_hex(value) -> str:
    return value.hex


def _json_adapter(encoder):
    def adapt(value):
        return connection.ops.adapt_json_value(value, encoder)

    return adapt


class Table:
    """How to turn a row dict into the tuple of one model's columns."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.table = model._meta.db_table
        now = timezone.now()
        ops = connection.ops
        native_uuid = connection.features.has_native_uuid_field
        self.columns = []
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField):
                convert = ops.adapt_datetimefield_value
            elif isinstance(field, models.DateField):
                convert = ops.adapt_datefield_value
            elif isinstance(field, models.UUIDField):
                convert = None if native_uuid else _uuid_hex
            elif isinstance(field, models.JSONField):
                convert = _json_adapter(field.encoder)
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
        columns = self.columns
        for row in dicts:
            values = []
            for attname, _, convert, default in columns:
                value = row.get(attname, default)
                if value is not None and convert is not None:
                    value = convert(value)
                values.append(value)
            yield tuple(values)

    def write(self, dicts: list[dict], *, batch_size: int) -> None:
        """Insert ``dicts`` (each with its ``id``), ``batch_size`` rows per statement or COPY."""
        names = ", ".join(connection.ops.quote_name(column) for _, column, _, _ in self.columns)
        table = connection.ops.quote_name(self.table)
        with connection.cursor() as cursor:
            for start in range(0, len(dicts), batch_size):
                chunk = dicts[start:start + batch_size]
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                        for values in self.rows(chunk):
                            copy.write_row(values)
                else:
                    marks = ", ".join(["%s"] * len(self.columns))
                    cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                                       list(self.rows(chunk)))


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for ``count`` new rows of ``model``, taken inside the caller's transaction."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [table, count])
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the write transaction (BEGIN IMMEDIATE) holds the database lock, so MAX + 1… are ours.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def counters_write(*, day: dt.date, sequences: dict[int, int]) -> None:
    """Daily sequences end at ``sequences`` (agency id → last number) unless already further."""
    existing = {c.agency_id: c for c in DossierCounter.objects.filter(day=day, agency_id__in=list(sequences))}
    new, changed = [], []
    for agency_id, value in sequences.items():
        counter = existing.get(agency_id)
        if counter is None:
            new.append(DossierCounter(agency_id=agency_id, day=day, last_value=value))
        elif counter.last_value < value:
            counter.last_value = value
            changed.append(counter)
    DossierCounter.objects.bulk_create(new)
    DossierCounter.objects.bulk_update(changed, ["last_value"])


def registers_write(*, year: int, registers: dict[int, int]) -> None:
    """Yearly register numbers end at ``registers`` (agency id → last number) unless already further."""
    existing = {c.agency_id: c for c in DossierRegisterCounter.objects.filter(year=year,
                                                                             agency_id__in=list(registers))}
    new, changed = [], []
    for agency_id, value in registers.items():
        counter = existing.get(agency_id)
        if counter is None:
            new.append(DossierRegisterCounter(agency_id=agency_id, year=year, last_value=value))
        elif counter.last_value < value:
            counter.last_value = value
            changed.append(counter)
    DossierRegisterCounter.objects.bulk_create(new)
    DossierRegisterCounter.objects.bulk_update(changed, ["last_value"])


def registers_read(*, year: int) -> dict[int, int]:
    return dict(DossierRegisterCounter.objects.filter(year=year).values_list("agency_id", "last_value"))


def sequences_read(*, day: dt.date) -> dict[int, int]:
    return dict(DossierCounter.objects.filter(day=day).values_list("agency_id", "last_value"))


def stats_add(stats: dict[tuple, dict[str, int]]) -> None:
    """Add counts keyed by (day, agency id, procedure id, channel) to ``DossierDailyStat`` (rows may exist:
    real dossiers of the same day, or refusals of submissions made the day before)."""
    if not stats:
        return
    days = {key[0] for key in stats}
    existing = {(r.day, r.agency_id, r.procedure_id, r.channel): r
                for r in DossierDailyStat.objects.filter(day__in=days)}
    new, changed = [], []
    for key, counts in stats.items():
        row = existing.get(key)
        if row is None:
            new.append(DossierDailyStat(day=key[0], agency_id=key[1], procedure_id=key[2], channel=key[3], **counts))
            continue
        for name, value in counts.items():
            setattr(row, name, getattr(row, name) + value)
        changed.append(row)
    DossierDailyStat.objects.bulk_create(new, batch_size=5000)
    DossierDailyStat.objects.bulk_update(changed, list(STAT_COLUMNS), batch_size=2000)


def analyze(models_: list[type[models.Model]]) -> None:
    """Refresh the planner's statistics after a bulk load (PostgreSQL: VACUUM ANALYZE, which also marks pages
    all-visible for index-only scans; SQLite: ANALYZE). Runs outside any transaction."""
    with connection.cursor() as cursor:
        for model in models_:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"VACUUM (ANALYZE) {table}" if connection.vendor == "postgresql" else f"ANALYZE {table}")
