"""Numbers that must never repeat (dossier codes, document numbers): a counter row locked in the caller's
transaction (DESIGN.md, "Numbers that must not repeat")."""

from django.db import IntegrityError, models, transaction


def locked_counter_next(model: type[models.Model], **key) -> int:
    """Increment and return the ``last_value`` of the counter row ``key`` (created on first use), holding its
    row lock until the caller's transaction ends, so that a rolled-back caller gives its number back.

    The row is created inside a savepoint: on PostgreSQL a concurrent creator makes our INSERT fail with
    IntegrityError once it commits, and we then lock the row it made instead of aborting the transaction.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Counters must be drawn inside the caller's transaction.")
    value = _increment_returning(model, key)
    if value is None:
        try:
            with transaction.atomic():
                model.objects.create(**key, last_value=0)
        except IntegrityError:
            pass
        value = _increment_returning(model, key)
    return value


def _increment_returning(model: type[models.Model], key: dict) -> int | None:
    """``UPDATE … SET last_value = last_value + 1 WHERE <key> RETURNING last_value``: the increment, the row
    lock and the new value in one round trip (PostgreSQL, and SQLite from 3.35), where the ORM needs a
    ``SELECT … FOR UPDATE`` and an ``UPDATE``. None when the row does not exist yet."""
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in key]
    where = " AND ".join(f"{quote(field.column)} = %s" for field in fields)
    params = [field.get_db_prep_value(value.pk if isinstance(value, models.Model) else value, connection)
              for field, value in zip(fields, key.values(), strict=True)]
    column = quote(model._meta.get_field("last_value").column)
    sql = (f"UPDATE {quote(model._meta.db_table)} SET {column} = {column} + 1 "  # noqa: S608 - names from the model
           f"WHERE {where} RETURNING {column}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None
