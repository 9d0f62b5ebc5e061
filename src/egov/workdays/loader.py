"""One calendar snapshot per process, rebuilt when overrides or office hours change.

Building costs tens of milliseconds, a lookup well under a microsecond, so the snapshot is reused and
re-validated cheaply: a change saved in this process is seen at once (signals), a change made by another
process within ``EGOV_WORKDAYS_CHECK_SECONDS`` (default 5 s), by comparing a fingerprint of both tables
(row count and latest ``updated_at``). The database stays the only shared state: no cache server needed.
"""

import threading
import time

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max

from egov.workdays.engine import Calendar, HoursFact, OfficeDay, OverrideFact

_clock = time.monotonic  # a module attribute so a test can let time pass without sleeping
_lock = threading.RLock()
_calendar: Calendar | None = None
_fingerprint: tuple | None = None
_next_check = 0.0
# Set when this process wrote a row whose transaction has not been seen to end: until then every access
# re-checks the fingerprint, so a rolled-back write cannot leave a stale snapshot behind.
_pending = False


def _check_seconds() -> float:
    return float(getattr(settings, "EGOV_WORKDAYS_CHECK_SECONDS", 5.0))


def _db_fingerprint() -> tuple:
    from egov.workdays.models import CalendarOverride, OfficeHours

    overrides = CalendarOverride.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    hours = OfficeHours.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return overrides["n"], overrides["last"], hours["n"], hours["last"]


def _build() -> Calendar:
    from egov.workdays.models import CalendarOverride, OfficeHours

    overrides = [
        OverrideFact(row.date, row.is_working, row.reason, row.decision)
        for row in CalendarOverride.objects.all()
    ]
    hours = [
        HoursFact(
            row.agency_id, row.valid_from,
            OfficeDay.from_times(row.morning_start, row.morning_end, row.afternoon_start, row.afternoon_end,
                                 row.receipt_cutoff),
        )
        for row in OfficeHours.objects.all()
    ]
    return Calendar(overrides=overrides, hours=hours)


def get_calendar() -> Calendar:
    """The current snapshot; the common case is one clock read and two comparisons."""
    cal = _calendar
    if cal is not None and not _pending and _clock() < _next_check:
        return cal
    return _refresh()


def _refresh() -> Calendar:
    global _calendar, _fingerprint, _next_check, _pending
    with _lock:
        fingerprint = _db_fingerprint()
        if _calendar is None or fingerprint != _fingerprint:
            _calendar = _build()
            _fingerprint = fingerprint
        if _pending and not connection.in_atomic_block:
            _pending = False
        _next_check = _clock() + _check_seconds()
        return _calendar


def mark_changed() -> None:
    """Called on every save or delete of a calendar row: re-check now, and again once the transaction ends."""
    global _pending, _next_check
    with _lock:
        _pending = True
        _next_check = 0.0
    transaction.on_commit(_after_commit)


def _after_commit() -> None:
    global _next_check
    _next_check = 0.0


def reset() -> None:
    """Forget the snapshot (tests, and after restoring a database)."""
    global _calendar, _fingerprint, _next_check, _pending
    with _lock:
        _calendar = None
        _fingerprint = None
        _next_check = 0.0
        _pending = False
