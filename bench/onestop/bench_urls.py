"""URLs served by the benchmark's server (``egov.conf.settings.bench``): the site's own, plus a minimal view.

``/bench/minimal`` is the baseline of the lookup benchmark: the cheapest useful answer (a small JSON document)
through the same server, worker processes and middleware stack as the public lookup, without the API framework,
the database or the cache.
"""

from django.http import JsonResponse
from django.urls import path

from egov.urls import urlpatterns as site_urlpatterns


def minimal(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/minimal", minimal), *site_urlpatterns]
