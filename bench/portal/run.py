#!/usr/bin/env python
"""Portal benchmark (issue 5, point 6): the demo portal's home page served warm, beside the minimal view.

    .venv/bin/python bench/portal/run.py [--db postgres|sqlite] [--quick] [--connections 64]

1. Data. A database of its own (PostgreSQL ``egov_bench_portal``, or SQLite under ``/tmp/egov-bench-portal-sqlite``),
   migrated, with the demo province (``load_demo``) and the demo portal (``portal_load_demo``); reused when present.
2. HTTP. granian serves the site as in production, through the helpers of ``bench/onestop/run.py`` (same command,
   settings ``egov.conf.settings.bench`` with ``/bench/minimal``). ``wrk`` drives ``--connections`` connections
   against the minimal view, the home page, a section list and an article, in interleaved rounds, after a warm-up
   that fills each worker's page cache. Printed: requests per second, p50/p95/p99 (``percentiles.lua``), the
   ratio to the minimal view, and whether the answers came from the cache (``X-Portal-Cache``).
3. In process: the time to render the home page without the cache (median of a few renders), the work that the
   cache saves.

With ``--write-readme`` (the default for full runs) the results go into ``bench/README.md`` between this
benchmark's markers; other sections are kept.
"""
# A benchmark harness: it runs its own fixed commands (manage.py, granian, wrk) on 127.0.0.1.
# ruff: noqa: S603, S108, S310

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
HERE = Path(__file__).resolve().parent
README = ROOT / "bench" / "README.md"
MARK_START, MARK_END = "<!-- bench/portal: start -->", "<!-- bench/portal: end -->"


def _onestop():
    """The one-stop benchmark's helpers (environment, server start/stop, wrk, README sections), loaded by path:
    both scripts are called run.py."""
    sys.path.insert(0, str(ROOT / "bench" / "onestop"))
    spec = importlib.util.spec_from_file_location("onestop_run", ROOT / "bench" / "onestop" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


onestop = _onestop()
say, fmt = onestop.say, onestop.fmt

SCENARIOS = [("minimal", "/bench/minimal", "Minimal view `/bench/minimal` (baseline)"),
             ("home", "/", "Home page `/` (cached)"),
             ("section", "/tin-tuc/", "Section list `/tin-tuc/` (cached)"),
             ("article", "/tin-tuc/khanh-thanh-cau-nam-can/", "Article (cached)")]


def data_dir(args) -> Path:
    return Path(f"/tmp/egov-bench-portal-{args.db}")


def environment(args) -> dict:
    env = onestop.environment(argparse.Namespace(db=args.db, database=args.database))
    env["EGOV_DATA_DIR"] = str(data_dir(args))
    return env


def prepare_data(args, env: dict) -> dict:
    directory = data_dir(args)
    state_file = directory / "bench_state.json"
    if state_file.exists() and not args.fresh:
        say("==> Reusing the demo portal database")
        if args.db == "postgres":
            onestop.pg_reset(args.database, drop=False)
        return json.loads(state_file.read_text())
    directory.mkdir(parents=True, exist_ok=True)
    if args.db == "postgres":
        onestop.pg_reset(args.database, drop=True)
    else:
        for old in directory.glob("*.sqlite3*"):
            old.unlink()
    started = time.perf_counter()
    say("==> migrate, collectstatic, load_demo, portal_load_demo")
    onestop.manage(env, "migrate", "--noinput", "-v", "0")
    onestop.manage(env, "collectstatic", "--noinput", "-v", "0")
    onestop.manage(env, "load_demo", "--quiet-table")
    onestop.manage(env, "portal_load_demo")
    state = {"setup_seconds": round(time.perf_counter() - started, 1)}
    state_file.write_text(json.dumps(state))
    return state


def run_wrk(wrk: str, url: str, *, seconds: int, connections: int, threads: int) -> dict:
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
               "-s", str(HERE / "percentiles.lua"), url]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    percentiles = {int(p): float(v) for p, v in re.findall(r"^PCT (\d+) ([\d.]+)$", output, re.MULTILINE)}
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "p50": percentiles[50], "p95": percentiles[95], "p99": percentiles[99],
            "requests": int(re.search(r"(\d+) requests in", output).group(1)),
            "non_2xx": int(non_2xx.group(1)) if non_2xx else 0}


def cache_header(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers.get("X-Portal-Cache", "none")


def bench_http(args, wrk: str, port: int, server) -> dict:
    base = f"http://127.0.0.1:{port}"
    say(f"==> HTTP: wrk -t{args.threads} -c{args.connections}, {args.rounds} round(s) of {args.seconds} s per "
        "scenario")
    for _name, path, _label in SCENARIOS:  # warm-up: every worker renders and caches each page
        run_wrk(wrk, base + path, seconds=min(3, args.seconds), connections=args.connections, threads=args.threads)
    headers = {name: cache_header(base + path) for name, path, _label in SCENARIOS[1:]}
    runs = {name: [] for name, _path, _label in SCENARIOS}
    for number in range(args.rounds):
        for name, path, _label in SCENARIOS:
            runs[name].append(run_wrk(wrk, base + path, seconds=args.seconds, connections=args.connections,
                                      threads=args.threads))
        say(f"   round {number + 1}: " + ", ".join(
            f"{name} {runs[name][-1]['rps']:,.0f} req/s p95 {runs[name][-1]['p95']:.1f} ms" for name in runs))
    low = {}
    if args.low_connections:  # the same warm pages with little queueing: the service time itself
        for name, path, _label in SCENARIOS[:2]:
            low[name] = run_wrk(wrk, base + path, seconds=args.seconds, connections=args.low_connections,
                                threads=min(args.threads, args.low_connections))
        say(f"   at {args.low_connections} connections: " + ", ".join(
            f"{name} {low[name]['rps']:,.0f} req/s p95 {low[name]['p95']:.1f} ms" for name in low))
    result = {"cache_headers": headers, "rss_mb": [round(x) for x in onestop.workers_rss_mb(server)], "low": low}
    for name, items in runs.items():
        bad = sum(r["non_2xx"] for r in items)
        if bad:
            raise RuntimeError(f"{name}: {bad} answers were not 2xx (see the server log)")
        result[name] = {key: statistics.median(r[key] for r in items) for key in ("rps", "p50", "p95", "p99")}
        # Paired by round (the machine's load drifts between rounds): the median of this round's ratios.
        result[name]["ratio"] = statistics.median(r["rps"] / m["rps"] for r, m in zip(items, runs["minimal"],
                                                                                      strict=True))
    return result


IN_PROCESS = """
import django, json, statistics, time; django.setup()
from django.test import Client
c = Client(HTTP_HOST='127.0.0.1')
def median_ms(path, n):
    c.get(path)
    times = []
    for _ in range(n):
        t = time.perf_counter(); r = c.get(path); times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (path, r.status_code)
    return statistics.median(times)
print(json.dumps({"uncached": median_ms('/?utm=bench', 10), "hit": median_ms('/', 300),
                  "minimal": median_ms('/bench/minimal', 300)}))
"""


def in_process(env: dict) -> dict:
    """Median times (ms) in process, through the whole middleware stack: the home page rendered with the page
    cache bypassed (a query string other than ?page= is not cached) — the work each hit saves —, a cache hit, and
    the minimal view."""
    output = subprocess.run([str(onestop.PYTHON), "-c", IN_PROCESS], cwd=ROOT, env=env, check=True,
                            capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def section(args, http: dict, timings: dict) -> str:
    minimal = http["minimal"]
    lines = [
        "## Portal: the home page served warm (`bench/portal/run.py`)",
        "",
        f"Run on {datetime.now():%d/%m/%Y %H:%M} ({platform.node()}, 2 cores shared with other work: figures are "
        f"noisy, ratios come from the same run). Database: **{args.db}**, the demo portal (`portal_load_demo`). "
        f"Server: granian `--interface wsgi --workers {args.workers} --blocking-threads 1`, settings "
        "`egov.conf.settings.bench` (production settings over plain HTTP, in-process cache). Load: "
        f"`wrk -t{args.threads} -c{args.connections}`, {args.rounds} interleaved round(s) of {args.seconds} s per "
        "scenario (median shown; the ratio is the median of each round's ratio); percentiles from "
        "`bench/portal/percentiles.lua`.",
        "",
        "| Scenario | Requests/s | p50 (ms) | p95 (ms) | p99 (ms) | Ratio to minimal view |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, _path, label in SCENARIOS:
        item = http[name]
        ratio = item["ratio"]
        lines.append(f"| {label} | {fmt(item['rps'])} | {fmt(item['p50'], 2)} | {fmt(item['p95'], 2)} | "
                     f"{fmt(item['p99'], 2)} | {ratio:.0%} |")
    for name, _path, label in SCENARIOS[:2]:
        if name in http["low"]:
            item = http["low"][name]
            lines.append(f"| {label}, {args.low_connections} connections | {fmt(item['rps'])} | "
                         f"{fmt(item['p50'], 2)} | {fmt(item['p95'], 2)} | {fmt(item['p99'], 2)} | "
                         f"{item['rps'] / http['low']['minimal']['rps']:.0%} |")
    home = http["home"]
    lines += [
        "",
        f"Cache answers after the warm-up: {', '.join(f'{k} {v}' for k, v in http['cache_headers'].items())}. "
        f"In process (median, whole middleware stack): home page rendered without the cache "
        f"{timings['uncached']:,.1f} ms (the work each hit saves), served from the cache {timings['hit']:,.2f} ms, "
        f"minimal view {timings['minimal']:,.2f} ms. "
        f"Server processes' memory after the load: {', '.join(f'{x} MB' for x in http['rss_mb'])}.",
        "",
        f"Target: home page warm p95 ≤ 50 ms — {'met' if home['p95'] <= 50 else 'NOT met'} at {args.connections} "
        f"connections ({fmt(home['p95'], 1)} ms; the minimal view itself: {fmt(minimal['p95'], 1)} ms)"
        + (f"; at {args.low_connections} connections {fmt(http['low']['home']['p95'], 1)} ms — "
           f"{'met' if http['low']['home']['p95'] <= 50 else 'NOT met'}." if http["low"] else "."),
        "",
        "Notes:",
        "",
        "- An anonymous visitor's cached page is answered by `PortalEarlyCacheMiddleware`, placed right after the "
        "security, static-file, request-context and access-log middleware: one cache read and one `stat`, without "
        "the session, authentication, CSRF, messages, CSP and other middleware that the minimal view still goes "
        "through; the answer carries the headers those gave the first rendering (CSP, X-Frame-Options...). Hence "
        "cached pages above the minimal view's rate. A visitor with a session, language or flash-message cookie "
        "goes through the whole stack and Wagtail's view, which has its own page cache.",
        "- With two single-threaded workers, 64 connections wait in line about 64 / throughput seconds each, and "
        "`wrk` shares the two cores with the server: the p95 at 64 connections measures that queue on this "
        "machine more than the page; the lower-concurrency row shows the service time.",
        "- Invalidation: any publish, unpublish, move or delete bumps a generation (`src/egov/portal/cache.py`): a "
        "counter in the cache (shared through Redis) and the modification time of a file in the data folder "
        "(shared by one host's workers, so the in-process cache of this run is invalidated in every worker at "
        "once, for one `stat` per request).",
    ]
    return "\n".join(lines)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--database", default="egov_bench_portal", help="PostgreSQL database name")
    parser.add_argument("--quick", action="store_true", help="short runs, one round")
    parser.add_argument("--fresh", action="store_true", help="rebuild the database")
    parser.add_argument("--seconds", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--low-connections", type=int, default=8, help="extra run of the minimal view and the "
                        "home page at this concurrency (0: none)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--write-readme", action=argparse.BooleanOptionalAction, default=None)
    args = parser.parse_args(argv)
    args.seconds = args.seconds or (5 if args.quick else 8)
    args.rounds = args.rounds or (1 if args.quick else 4)
    if args.write_readme is None:
        args.write_readme = not args.quick
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    wrk = onestop.ensure_wrk()
    env = environment(args)
    prepare_data(args, env)
    port = onestop.free_port()
    log = data_dir(args) / "granian.log"
    say(f"==> granian on 127.0.0.1:{port} ({args.workers} workers)")
    server = onestop.start_server(env, port, args.workers, log)
    try:
        http = bench_http(args, wrk, port, server)
    finally:
        onestop.stop_server(server)
    timings = in_process(env)
    text = section(args, http, timings)
    print("\n" + text + "\n")
    if args.write_readme:
        readme = README.read_text()
        README.write_text(onestop._replace_section(readme, MARK_START, MARK_END, text, before=onestop.WD_START))
        say(f"==> Results written to {README.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
