#!/usr/bin/env python
"""Every benchmark under bench/, then the summary table at the top of bench/README.md (``make bench``).

    .venv/bin/python bench/run_all.py [--quick] [--only onestop,portal,officer,search,submit]

Runs, in this order, each as its own process (each stays runnable on its own): ``bench/onestop/run.py`` (public
lookup, statistics, workdays; makes the ``egov_bench`` database the officer and submission benchmarks reuse),
``bench/portal/run.py``, ``bench/search/run.py`` and ``bench/documents/run.py`` when present, ``bench/officer/run.py``,
``bench/submit/run.py``. Each prints its markdown section; the figures of the summary are read from those tables,
so each figure stands next to its baseline from the same run. A full run lets each benchmark rewrite its own
section and rewrites the summary between ``<!-- bench/summary: start/end -->``; ``--quick`` (``make bench
QUICK=1``: small data, short load runs) writes its summary to ``<!-- bench/summary-quick: … -->`` and leaves the
full sections alone. A benchmark that fails is reported in the summary, the others still run.
"""
# A benchmark harness: it runs the benchmarks' own fixed commands.
# ruff: noqa: S603

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
README = ROOT / "bench" / "README.md"


def say(message: str) -> None:
    print(message, flush=True)


def commands(quick: bool) -> dict[str, list[str]]:
    q = ["--quick"] if quick else []
    found = {"onestop": ["bench/onestop/run.py", *q, *(["--no-write-readme"] if quick else [])]}
    if (ROOT / "bench/portal/run.py").exists():
        found["portal"] = ["bench/portal/run.py", *q, *(["--no-write-readme"] if quick else [])]
    if (ROOT / "bench/search/run.py").exists():
        found["search"] = ["bench/search/run.py", *(["--n", "20000", "--rounds", "2", "--no-readme"] if quick
                                                    else ["--n", "1000000"])]
    if (ROOT / "bench/documents/run.py").exists():
        found["documents"] = ["bench/documents/run.py", "--db", "postgres",
                              *(["--quick"] if quick else ["--write-readme"])]
    found["officer"] = ["bench/officer/run.py", *q, *(["--no-readme"] if quick else [])]
    found["submit"] = ["bench/submit/run.py", *q, *(["--no-readme"] if quick else [])]
    return found


# --- reading the benchmarks' markdown tables ---------------------------------------------------------------------
def tables(text: str) -> list[list[dict]]:
    """Markdown tables of ``text`` as lists of rows keyed by header."""
    found, header, rows = [], None, []
    for line in [*text.splitlines(), ""]:
        line = line.strip()
        if line.startswith("|") and line.endswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if header is None:
                header = cells
            elif not all(set(c) <= set("-: ") for c in cells):
                rows.append(dict(zip(header, cells, strict=False)))
            continue
        if header is not None:
            found.append(rows)
        header, rows = None, []
    return found


def number(cell: str | None) -> float | None:
    if not cell:
        return None
    match = re.search(r"[\d,]+(?:\.\d+)?", cell.replace("*", ""))
    return float(match.group(0).replace(",", "")) if match else None


def row(text: str, starts: str) -> dict | None:
    for table in tables(text):
        for r in table:
            first = next(iter(r.values()), "")
            if first.replace("*", "").startswith(starts):
                return r
    return None


def col(r: dict | None, *names: str) -> float | None:
    if r is None:
        return None
    for name in names:
        for key, value in r.items():
            if key.lower().startswith(name.lower()):
                return number(value)
    return None


def memory(text: str) -> str:
    match = re.search(r"memory after the load: ([\d, MB]+)\.", text)
    return match.group(1).strip() if match else "—"


# --- the summary -------------------------------------------------------------------------------------------------
def fmt(value: float | None, unit: str = "", digits: int = 0) -> str:
    if value is None or value != value:
        return "—"
    return f"{value:,.{max(digits, 1) if value < 10 else digits}f}{unit}"


def ratio(a: float | None, b: float | None) -> str:
    return "—" if not a or not b else f"{a / b:.0%}"


def summary(outputs: dict[str, str], failures: dict[str, str], seconds: dict[str, float], quick: bool) -> str:
    lines = ["| Path | Ours | Baseline (same run) | Ratio | Budget |", "|---|---:|---:|---:|---|"]
    text = outputs.get("onestop", "")
    minimal = row(text, "Minimal view")
    cold = row(text, "Public lookup, a different code")
    warm = row(text, "Public lookup, 200 codes")
    if cold:
        lines.append(f"| Public lookup, 64 connections, database (req/s; p99) | {fmt(col(cold, 'Requests'))}; "
                     f"{fmt(col(cold, 'p99'), ' ms', 1)} | minimal view {fmt(col(minimal, 'Requests'))}; "
                     f"{fmt(col(minimal, 'p99'), ' ms', 1)} | {ratio(col(cold, 'Requests'), col(minimal, 'Requests'))}"
                     " | ≥ 50%; p99 ≤ 50 ms |")
    if warm:
        lines.append(f"| Public lookup, 64 connections, cached (req/s; p99) | {fmt(col(warm, 'Requests'))}; "
                     f"{fmt(col(warm, 'p99'), ' ms', 1)} | minimal view {fmt(col(minimal, 'Requests'))} | "
                     f"{ratio(col(warm, 'Requests'), col(minimal, 'Requests'))} | ≥ 50% |")
    text = outputs.get("portal", "")
    home, pminimal = row(text, "Home page"), row(text, "Minimal view")
    if home:
        lines.append(f"| Portal home page, warm (req/s; p95) | {fmt(col(home, 'Requests'))}; "
                     f"{fmt(col(home, 'p95'), ' ms', 1)} | minimal view {fmt(col(pminimal, 'Requests'))}; "
                     f"{fmt(col(pminimal, 'p95'), ' ms', 1)} | "
                     f"{ratio(col(home, 'Requests'), col(pminimal, 'Requests'))} | p95 ≤ 50 ms |")
    text = outputs.get("officer", "")
    queue, ominimal = row(text, "Work queue `"), row(text, "Minimal view")
    if queue:
        lines.append(f"| Officer's dossier list, 64 connections, signed in (req/s; p99) | "
                     f"{fmt(col(queue, 'Requests'))}; {fmt(col(queue, 'p99'), ' ms', 1)} | minimal view "
                     f"{fmt(col(ominimal, 'Requests'))}; {fmt(col(ominimal, 'p99'), ' ms', 1)} | "
                     f"{ratio(col(queue, 'Requests'), col(ominimal, 'Requests'))} | — |")
    text = outputs.get("search", "")
    ours, base = row(text, "tantivy"), row(text, "Baseline")
    if ours:
        lines.append(f"| Ranked search with permissions (p95) | {fmt(col(ours, 'p95'), ' ms', 1)} | SQLite FTS5 "
                     f"{fmt(col(base, 'p95'), ' ms', 1)} | {ratio(col(ours, 'p95'), col(base, 'p95'))} | "
                     "p95 ≤ 100 ms |")
    text = outputs.get("documents", "")
    ours, base = row(text, "Search: `documents_search`"), row(text, "Baseline")
    if ours:
        lines.append(f"| Search of real documents as an official (p95) | {fmt(col(ours, 'p95'), ' ms', 1)} | "
                     f"LIKE scan {fmt(col(base, 'p95'), ' ms', 1)} | {ratio(col(ours, 'p95'), col(base, 'p95'))} | "
                     "p95 ≤ 100 ms |")
    text = outputs.get("onestop", "")
    page, scan = row(text, "Page over HTTP, by agency"), row(text, "Baseline")
    if page:
        size = re.search(r"Database: \*\*\w+\*\*; ([\d,]+) dossiers", text)
        lines.append(f"| Statistics of the year, page by agency ({size.group(1) if size else '?'} dossiers) | "
                     f"{fmt(col(page, 'Time'), ' ms', 1)} | scan of the dossiers {fmt(col(scan, 'Time'), ' ms', 1)} "
                     f"| {ratio(col(page, 'Time'), col(scan, 'Time'))} | ≤ 1 s |")
    text = outputs.get("submit", "")
    service, plain = row(text, "Service"), row(text, "Baseline")
    if service:
        lines.append(f"| Dossier submissions with all side effects, PostgreSQL (per s) | "
                     f"{fmt(col(service, 'Submissions'))} | plain INSERTs of the same rows "
                     f"{fmt(col(plain, 'Submissions'))} | "
                     f"{ratio(col(service, 'Submissions'), col(plain, 'Submissions'))} | ≥ 200 /s |")
    mem = memory(outputs.get("onestop", ""))
    if mem != "—":
        lines.append(f"| Memory per app worker after the lookup load (RSS) | {mem} | — | — | ≤ 200 MB |")
    when = datetime.now().strftime("%d/%m/%Y %H:%M")
    name = "Summary (quick run: small data, short loads)" if quick else "Summary"
    head = [f"## {name}", "",
            f"`make bench{' QUICK=1' if quick else ''}` on {when} ({platform.node()}, {os.cpu_count()} cores shared "
            "with other work: figures are noisy; each ratio compares two figures of the same run). Details in each "
            "benchmark's section below. Time per benchmark: "
            + ", ".join(f"{k} {v:,.0f} s" for k, v in seconds.items()) + ".", ""]
    tail = [""] + [f"- **{name} failed**: {reason}" for name, reason in failures.items()]
    return "\n".join(head + lines + tail).rstrip()


def write_summary(section: str, quick: bool) -> None:
    tag = "bench/summary-quick" if quick else "bench/summary"
    start, end = f"<!-- {tag}: start -->", f"<!-- {tag}: end -->"
    block = f"{start}\n{section}\n{end}"
    text = README.read_text()
    if start in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:  # right after the introduction, before the first benchmark's section
        anchor = text.find("<!-- bench/")
        text = (text[:anchor] + block + "\n\n" + text[anchor:]) if anchor >= 0 else text + "\n" + block + "\n"
    README.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated benchmark names")
    args = parser.parse_args()
    wanted = {n.strip() for n in args.only.split(",") if n.strip()}
    outputs, failures, seconds = {}, {}, {}
    for name, command in commands(args.quick).items():
        if wanted and name not in wanted:
            continue
        say(f"=== {name}: {' '.join(command)}")
        started = time.perf_counter()
        process = subprocess.run([str(PYTHON), *command], cwd=ROOT, capture_output=True, text=True)
        seconds[name] = time.perf_counter() - started
        outputs[name] = process.stdout
        sys.stdout.write(process.stdout[-4000:])
        if process.returncode != 0:
            reason = (process.stderr.strip().splitlines() or ["exit code " + str(process.returncode)])[-1]
            failures[name] = reason[:300]
            sys.stderr.write(process.stderr[-3000:])
    section = summary(outputs, failures, seconds, args.quick)
    write_summary(section, args.quick)
    say("\n" + section)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
