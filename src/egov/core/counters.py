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
    row = model.objects.select_for_update().filter(**key).first()
    if row is None:
        try:
            with transaction.atomic():
                model.objects.create(**key, last_value=0)
        except IntegrityError:
            pass
        row = model.objects.select_for_update().get(**key)
    row.last_value += 1
    row.save(update_fields=["last_value"])
    return row.last_value
