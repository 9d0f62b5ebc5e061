"""Per-client limit on public lookups: a fixed one-minute window counted in the shared cache.

With Redis as the cache the count is shared by every app server; with the default in-process cache it is per
process, which still stops one client from hammering one server. Page, kiosk and API draw on one budget.
"""

import time

from django.core.cache import cache

from egov.core.errors import DomainError
from egov.core.middleware import client_ip
from egov.eservices.conf import lookup_rate_per_minute

WINDOW_SECONDS = 60
MESSAGE = "Quá nhiều yêu cầu tra cứu, vui lòng thử lại sau ít phút."


class TooManyLookups(DomainError):
    status = 429

    def __init__(self, retry_after: int):
        super().__init__("too_many_requests", MESSAGE)
        self.retry_after = retry_after


def lookup_rate_check(request, *, scope: str = "", limit: int | None = None) -> None:
    """Count this request against its client's window; raise TooManyLookups past the limit.

    Other public forms (feedback submission) reuse the limiter with their own ``scope`` (a separate budget)
    and ``limit``; without them the dossier lookup's shared budget applies."""
    limit = lookup_rate_per_minute() if limit is None else limit
    if limit <= 0:
        return
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    prefix = f"eservices:rate:{scope}:" if scope else "eservices:rate:"
    key = f"{prefix}{client_ip(request) or 'unknown'}:{window}"
    try:
        count = cache.incr(key)
    except ValueError:  # first request of the window: the key does not exist yet
        count = 1 if cache.add(key, 1, WINDOW_SECONDS + 5) else cache.incr(key)
    if count > limit:
        raise TooManyLookups(retry_after=max(1, WINDOW_SECONDS - int(now % WINDOW_SECONDS)))
