"""Settings of ``bench/onestop/run.py``: production settings served over plain HTTP on the loopback, plus a
minimal view to compare the public lookup with, and the lookup's per-client limit raised out of the way.

- ``ROOT_URLCONF = "bench_urls"``: ``bench/onestop/bench_urls.py`` (the benchmark puts ``bench/onestop`` on the
  Python path) adds ``GET /bench/minimal`` (a tiny JSON answer through the same middleware stack) in front of the
  site's own URLs.
- ``PUBLIC_LOOKUP_RATE_PER_MINUTE`` is raised to 100 million: the load generator is a single client address that
  would otherwise be throttled after 60 lookups a minute. The counter is still incremented on every lookup, so its
  cost stays in the measurement.
- ``SECURE_SSL_REDIRECT`` is off: the load generator speaks plain HTTP to 127.0.0.1 (no TLS terminator in front).
"""

from egov.conf.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
PUBLIC_LOOKUP_RATE_PER_MINUTE = 100_000_000
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
