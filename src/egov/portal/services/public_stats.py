"""Public statistics of dossier processing on the portal (issue 5 point 4): per receiving agency, for a period,
received / resolved on time / late / on-time rate, straight from ``egov.onestop.statistics`` with its public
scope (whole province; counts only), cached briefly so a busy portal does not recount on every visit."""

import datetime as dt

from django.core.cache import cache

from egov.onestop.statistics import dossier_statistics, public_scope

CACHE_SECONDS = 300


def public_dossier_statistics(*, date_from: dt.date, date_to: dt.date, agency_code: str = "") -> dict:
    """Plain data (cacheable): the period, per-agency rows and the totals. DomainError/NotFound for bad input."""
    key = f"portal:public-stats:{date_from:%Y%m%d}:{date_to:%Y%m%d}:{agency_code or '-'}"
    hit = cache.get(key)
    if hit is not None:
        return hit
    stats = dossier_statistics(date_from=date_from, date_to=date_to, agency=agency_code or None, group_by="agency",
                               scope=public_scope())
    result = {
        "date_from": stats.date_from, "date_to": stats.date_to, "scope_label": stats.scope_label,
        "rows": [_row(row) for row in stats.rows], "totals": _row(stats.totals),
    }
    cache.set(key, result, CACHE_SECONDS)
    return result


def _row(row) -> dict:
    return {"agency_code": row.agency_code, "label": row.label, "received": row.received,
            "resolved": row.resolved, "resolved_on_time": row.early + row.on_time, "late": row.late,
            "in_progress": row.in_progress,
            "on_time_rate": float(row.on_time_rate) if row.on_time_rate is not None else None}
