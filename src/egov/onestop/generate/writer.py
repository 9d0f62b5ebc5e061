"""The dossier generator's bookkeeping, inside the caller's transaction: daily code sequences, yearly register
numbers and daily statistics upserted after the rows of a day (which ``egov.core.generate.Table`` writes)."""

import datetime as dt

from django.db import connection, models

from egov.onestop.models import DossierCounter, DossierDailyStat, DossierRegisterCounter

STAT_COLUMNS = ("received", "finished_early", "finished_on_time", "finished_late", "refused", "withdrawn",
                "returned")


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
