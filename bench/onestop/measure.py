"""The steps of ``bench/onestop/run.py`` that need Django, run in a child process with the benchmark's
environment (``run.py --child <step> …``); each returns a dict that the child prints as JSON."""
# ruff: noqa: S310

import random
import statistics
import time
import urllib.request
from pathlib import Path

SEED = 2026
SECRET = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGH"


def _django():
    import django

    django.setup()


def sizes(year: str) -> dict:
    _django()
    from django.db.models import Count

    from egov.onestop.models import Dossier, DossierDailyStat, DossierEvent, DossierStep

    year = int(year)
    return {
        "dossiers": Dossier.objects.count(),
        "steps": DossierStep.objects.count(),
        "events": DossierEvent.objects.count(),
        "stat_rows_year": DossierDailyStat.objects.filter(day__year=year).count(),
        "statuses": dict(Dossier.objects.values_list("status").annotate(n=Count("id")).order_by()),
    }


def codes(count: str, path: str) -> dict:
    _django()
    from egov.onestop.models import Dossier

    found = list(Dossier.objects.exclude(code=None).values_list("code", flat=True))
    random.Random(SEED).shuffle(found)
    found = found[:int(count)]
    Path(path).write_text("\n".join(found) + "\n")
    return {"path": path, "count": len(found)}


def _naive(date_from, date_to):
    """The same numbers as the statistics by agency, counted over the dossier table itself."""
    import datetime as dt

    from django.db.models import Count, Q
    from django.utils import timezone

    from egov.onestop.models import Dossier
    from egov.onestop.status import IN_PROGRESS

    start = timezone.make_aware(dt.datetime.combine(date_from, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min))
    in_period = Q(received_at__gte=start, received_at__lt=end)
    refused_in_period = Q(received_at__isnull=True, submitted_at__gte=start, submitted_at__lt=end)
    rows = (Dossier.objects.filter(in_period | refused_in_period).values("receiving_agency_id").annotate(
        received=Count("pk", filter=in_period),
        early=Count("pk", filter=in_period & Q(timing="early")),
        on_time=Count("pk", filter=in_period & Q(timing="on_time")),
        late=Count("pk", filter=in_period & Q(timing="late")),
        refused=Count("pk", filter=refused_in_period & Q(status="refused")),
        withdrawn=Count("pk", filter=in_period & Q(status="withdrawn")),
        returned=Count("pk", filter=in_period & Q(returned_at__isnull=False)),
        in_progress=Count("pk", filter=in_period & Q(status__in=IN_PROGRESS)),
        online=Count("pk", filter=in_period & Q(channel="online")),
    ).order_by())
    return {row.pop("receiving_agency_id"): row for row in rows}


def _timed(function, repeat: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def stats(year: str, port: str, repeat: str) -> dict:
    _django()
    import datetime as dt

    from django.conf import settings
    from django.test import Client

    from egov.accounts.models import User
    from egov.accounts.roles import Role
    from egov.directory.models import Agency, AgencyKind, Official
    from egov.onestop.statistics import COUNTERS, dossier_statistics
    from egov.onestop.stats_excel import statistics_workbook

    year, repeat = int(year), int(repeat)
    date_from, date_to = dt.date(year, 1, 1), dt.date(year, 12, 31)
    province = Agency.objects.get(kind=AgencyKind.PROVINCE_COMMITTEE, parent=None)
    user = User.objects.filter(username="bench.lanhdao").first()
    if user is None:
        user = User.objects.create_user(username="bench.lanhdao", password=SECRET[:30], role=Role.LEADER,
                                        full_name="Lãnh đạo UBND tỉnh (đo hiệu năng)")
        Official.objects.create(user=user, agency=province)
    results = {}
    for group in ("agency", "procedure", "agency_procedure", "month"):
        seconds, stats = _timed(lambda g=group: dossier_statistics(user=user, date_from=date_from, date_to=date_to,
                                                                   group_by=g), repeat)
        results[f"selector_{group}"] = {"ms": seconds * 1000, "rows": len(stats.rows)}
    ours = {row.key: row for row in dossier_statistics(user=user, date_from=date_from, date_to=date_to).rows}
    naive_seconds, naive = _timed(lambda: _naive(date_from, date_to), max(1, repeat // 2))
    codes = dict(Agency.objects.values_list("pk", "code"))
    mismatches = []
    for agency_id, counts in naive.items():
        row = ours.get(codes[agency_id])
        for name in (*COUNTERS, "in_progress", "online"):
            mine = getattr(row, name) if row is not None else 0
            if mine != counts[name]:
                mismatches.append(f"{codes[agency_id]} {name}: {mine} != {counts[name]}")
    results["naive_agency"] = {"ms": naive_seconds * 1000, "rows": len(naive), "mismatches": mismatches[:20]}
    statistics_workbook(dossier_statistics(user=user, date_from=date_from, date_to=date_to))  # warm-up
    full = dossier_statistics(user=user, date_from=date_from, date_to=date_to, group_by="agency_procedure")
    seconds, workbook = _timed(lambda: statistics_workbook(full), repeat)
    results["excel_build_agency_procedure"] = {"ms": seconds * 1000, "rows": len(full.rows), "bytes": len(workbook)}

    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    period = f"tu_ngay=01/01/{year}&den_ngay=31/12/{year}"
    api_period = f"date_from=01/01/{year}&date_to=31/12/{year}"
    pages = {
        "http_page_agency": f"/can-bo/mot-cua/thong-ke/?{period}&nhom_theo=agency",
        "http_page_agency_procedure": f"/can-bo/mot-cua/thong-ke/?{period}&nhom_theo=agency_procedure",
        "http_api_agency": f"/api/v1/onestop/statistics?{api_period}&group_by=agency",
        "http_api_month": f"/api/v1/onestop/statistics?{api_period}&group_by=month",
        "http_excel_agency_procedure": f"/can-bo/mot-cua/thong-ke/excel/?{period}&nhom_theo=agency_procedure",
    }
    for name, path in pages.items():
        def fetch(path=path):
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie})
            with urllib.request.urlopen(request, timeout=60) as response:
                body = response.read()
                if response.status != 200:
                    raise RuntimeError(f"{path}: HTTP {response.status}")
                return body
        for _ in range(4):  # each granian worker loads its templates and code on its first requests
            fetch()
        seconds, body = _timed(fetch, repeat)
        results[name] = {"ms": seconds * 1000, "bytes": len(body)}
    return results
