#!/usr/bin/env python
"""An officer's dossier list at 64 connections (issue 6, point 3), beside the minimal view of the same server.

    .venv/bin/python bench/officer/run.py [--database egov_bench] [--quick] [--no-readme] [--json FILE]

Data: the one-stop benchmark's database (a generated year; ``bench/onestop/run.py`` makes it when missing). A
one-stop officer of the agency with the most dossiers in progress is signed in by a child Django process
(a real database session); ``wrk`` sends its session cookie as a header. Served by granian as in production
(the one-stop benchmark's helpers: ``egov.conf.settings.bench``, 2 workers). Scenarios, interleaved rounds:

- the minimal view ``/bench/minimal`` with the same cookie (baseline: the middleware stack incl. the session);
- the work queue ``/can-bo/mot-cua/`` (tab "Của tôi": the officer's agency's dossiers, paginated, tab counts);
- the same queue, tab "Quá hạn" (overdue).
"""
# A benchmark harness: fixed commands on 127.0.0.1, data under /tmp.
# ruff: noqa: S603, S310, S108

import argparse
import importlib.util
import json
import platform
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "bench" / "README.md"
MARK_START, MARK_END = "<!-- bench/officer: start -->", "<!-- bench/officer: end -->"
SCENARIOS = [("minimal", "/bench/minimal", "Minimal view `/bench/minimal`, signed in (baseline)"),
             ("queue", "/can-bo/mot-cua/", "Work queue `/can-bo/mot-cua/` (tab Của tôi)"),
             ("overdue", "/can-bo/mot-cua/?tab=overdue", "Work queue, tab Quá hạn")]


def _onestop():
    sys.path.insert(0, str(ROOT / "bench" / "onestop"))
    spec = importlib.util.spec_from_file_location("onestop_run", ROOT / "bench" / "onestop" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


onestop = _onestop()
say = onestop.say


def child() -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client

    from egov.accounts.roles import Role
    from egov.directory.models import Official
    from egov.onestop.models import Dossier
    from egov.onestop.status import IN_PROGRESS

    busiest = (Dossier.objects.filter(status__in=IN_PROGRESS).values("current_agency_id")
               .annotate(n=Count("id")).order_by("-n"))
    officials = Official.objects.select_related("user", "agency").filter(user__role=Role.ONESTOP_OFFICER,
                                                                         user__is_active=True)
    by_agency = {o.agency_id: o for o in officials}
    chosen = next((by_agency[row["current_agency_id"]] for row in busiest if row["current_agency_id"] in by_agency),
                  None) or officials.first()
    if chosen is None:
        raise SystemExit("no one-stop officer: load the demo directory first")
    client = Client()
    client.force_login(chosen.user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    in_progress = Dossier.objects.filter(current_agency=chosen.agency, status__in=IN_PROGRESS).count()
    return {"cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}", "agency": chosen.agency.name,
            "in_progress": in_progress, "dossiers": Dossier.objects.count()}


def run_wrk(wrk: str, url: str, *, seconds: int, connections: int, threads: int, cookie: str) -> dict:
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s",
               "-H", f"Cookie: {cookie}", url]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)$", output, re.MULTILINE))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "p50": onestop._ms(latency.get("50", "nan")), "p99": onestop._ms(latency.get("99", "nan")),
            "non_2xx": int(non_2xx.group(1)) if non_2xx else 0}


def _get(url: str, cookie: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookie}), timeout=120) as response:
        response.read()
    return time.perf_counter() - started


def drain(base: str, cookie: str) -> None:
    """wrk stops sending when its time is up, but the requests queued in the server are still served: wait until
    the minimal view answers promptly again, so the next scenario does not pay for this one's backlog."""
    deadline = time.time() + 180
    while time.time() < deadline and _get(f"{base}/bench/minimal", cookie) > 0.2:
        time.sleep(0.5)


def check_signed_in(base: str, cookie: str) -> None:
    """The queue answers 200 to the cookie (a redirect to the sign-in page would count as success in wrk)."""
    request = urllib.request.Request(f"{base}/can-bo/mot-cua/", headers={"Cookie": cookie})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with opener.open(request, timeout=30) as response:
        if response.status != 200:
            raise RuntimeError(f"the work queue answered {response.status}, not 200: the session is not accepted")


def measure(args) -> dict:
    onestop_args = argparse.Namespace(db="postgres", database=args.database)
    env = onestop.environment(onestop_args)
    env["PYTHONPATH"] = env["PYTHONPATH"] + ":" + str(ROOT / "bench" / "onestop")
    onestop.manage(env, "collectstatic", "--noinput", "-v", "0")  # production pages need the manifest
    result = subprocess.run([str(onestop.PYTHON), str(Path(__file__).resolve()), "--child"], cwd=ROOT, env=env,
                            check=True, capture_output=True, text=True)
    login = json.loads(result.stdout.strip().splitlines()[-1])
    wrk = onestop.ensure_wrk()
    port = onestop.free_port()
    log = Path(f"/tmp/egov-bench-officer-{args.database}.log")
    server = onestop.start_server(env, port, args.workers, log)
    try:
        base = f"http://127.0.0.1:{port}"
        check_signed_in(base, login["cookie"])
        for _, path, _ in SCENARIOS:  # warm-up: each worker renders each page once or twice
            for _ in range(4):
                _get(base + path, login["cookie"])
        runs = {name: [] for name, _, _ in SCENARIOS}
        for round_number in range(args.rounds):
            for name, path, _ in SCENARIOS:
                runs[name].append(run_wrk(wrk, base + path, seconds=args.seconds, connections=args.connections,
                                          threads=2, cookie=login["cookie"]))
                drain(base, login["cookie"])
            say(f"   round {round_number + 1}: " + ", ".join(f"{n} {r[-1]['rps']:,.0f} req/s"
                                                           for n, r in runs.items()))
        rss = [round(x) for x in onestop.workers_rss_mb(server)]
    finally:
        onestop.stop_server(server)
    figures = {}
    for name, values in runs.items():
        bad = sum(v["non_2xx"] for v in values)
        if bad:
            raise RuntimeError(f"{name}: {bad} answers were not 2xx (see {log})")
        figures[name] = {key: statistics.median(v[key] for v in values) for key in ("rps", "p50", "p99")}
    for name in figures:
        figures[name]["ratio"] = figures[name]["rps"] / figures["minimal"]["rps"]
    return {"login": {k: v for k, v in login.items() if k != "cookie"}, "figures": figures, "rss_mb": rss,
            "connections": args.connections, "seconds": args.seconds, "rounds": args.rounds,
            "workers": args.workers}


def report(data: dict) -> str:
    when = datetime.now().strftime("%d/%m/%Y %H:%M")
    login, figures = data["login"], data["figures"]
    lines = [MARK_START, "## An officer's dossier list, signed in (`bench/officer/run.py`)", "",
             f"Run on {when} ({platform.node()}, shared 2-core machine: figures are noisy, ratios come from the "
             f"same run). Database with {login['dossiers']:,} dossiers; a one-stop officer of {login['agency']} "
             f"({login['in_progress']:,} dossiers in progress there), session cookie sent by `wrk` as a header. "
             f"granian, {data['workers']} workers; `wrk -t2 -c{data['connections']}`, {data['rounds']} round(s) of "
             f"{data['seconds']} s per scenario (median).", "",
             "| Scenario | Requests/s | p50 (ms) | p99 (ms) | Ratio to minimal view |", "|---|---:|---:|---:|---:|"]
    for name, _, label in SCENARIOS:
        f = figures[name]
        p50, p99 = (("—" if v != v else f"{v:.1f}") for v in (f["p50"], f["p99"]))  # nan: wrk gave no percentiles
        lines.append(f"| {label} | {f['rps']:,.0f} | {p50} | {p99} | {f['ratio']:.0%} |")
    lines += ["", f"Server processes' memory after the load: {', '.join(f'{x} MB' for x in data['rss_mb'])}.",
              MARK_END]
    return "\n".join(lines)


def write_readme(section: str) -> None:
    text = README.read_text()
    if MARK_START in text:
        head, rest = text.split(MARK_START, 1)
        text = head + section + rest.split(MARK_END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    README.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="egov_bench")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seconds", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-readme", action="store_true")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child()))
        return
    args.seconds = args.seconds or (5 if args.quick else 15)
    args.rounds = args.rounds or (1 if args.quick else 2)
    data = measure(args)
    section = report(data)
    say(section)
    if args.json:
        args.json.write_text(json.dumps(data))
    if not args.no_readme:
        write_readme(section)


if __name__ == "__main__":
    main()
