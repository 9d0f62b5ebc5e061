#!/usr/bin/env python
"""Document search benchmark (issue 3, point 11): N documents of Vietnamese administrative text stored as real
incoming/outgoing documents with their file texts, indexed by the platform's search, searched as officials.

    .venv/bin/python bench/documents/run.py [--n 200000] [--db sqlite|postgres] [--quick] [--rounds 5]

1. Data. A database of its own (SQLite under ``/tmp/egov-bench-documents-sqlite``, or PostgreSQL
   ``egov_bench_documents``), migrated, with the demo province (``load_demo``). ``--n`` documents from the search
   benchmark's generator (``bench/search/corpus.py``: summary, number/notation, issuer, body; 2% secret) become
   ``IncomingDocument`` (two thirds) and issued ``OutgoingDocument`` rows spread over the demo agencies, each with
   one ``DocumentFile`` holding the text, written in bulk (``egov.core.generate.Table``: COPY on PostgreSQL,
   executemany on SQLite) in transactions of 10,000. The set is reused when N and the seed are unchanged.
2. Index. ``search_index_rebuild`` (the code path of ``manage.py search_rebuild``) reads them back through the ORM
   and builds the tantivy index. Ingest rates (rows written, documents indexed per second) are printed.
3. Queries. The search benchmark's 24 queries (with and without diacritics, phrases, numbers/notations) run as
   ``--rounds`` demo officials of different agencies through ``documents_search`` (page 1 of 20 by rank, the
   official's permissions inside the engine, snippets included). Baseline in the same run on the same rows: a plain
   ``LIKE '%q%'`` over summary, number/notation, issuer and file text, with the same agency filter (own agency,
   non-secret), newest first, LIMIT 20.
4. Results go into ``bench/README.md`` between this benchmark's markers (one section per N and database), except
   with ``--quick`` (20,000 documents; for ``make bench QUICK=1``) unless ``--write-readme``.
"""
# A benchmark harness: fixed local paths under /tmp, SQL built from constant fragments, values bound.
# ruff: noqa: S608, S108

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import shutil
import statistics
import sys
import time
import uuid
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench" / "search"), str(ROOT / "bench" / "onestop")]


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Reused: the corpus, queries and percentile of the search benchmark; database and README helpers of the one-stop one.
search_bench = _load("bench_search_run", ROOT / "bench" / "search" / "run.py")
onestop_bench = _load("bench_onestop_run", ROOT / "bench" / "onestop" / "run.py")
from corpus import documents  # noqa: E402  (bench/search/corpus.py)

QUERIES, pct = search_bench.QUERIES, search_bench.pct
say, fmt, pg_reset, PG_SERVER = onestop_bench.say, onestop_bench.fmt, onestop_bench.pg_reset, onestop_bench.PG_SERVER
README = ROOT / "bench" / "README.md"
SEED = 20260
BATCH = 10_000
UUID_BASE = 0xB0C5 << 96


def data_dir(args) -> Path:
    suffix = f"-{args.database}" if args.db == "postgres" else "-quick" if args.quick else ""
    return Path(f"/tmp/egov-bench-documents-{args.db}{suffix}")


def setup(args) -> dict:
    """Point Django at the benchmark's own database (new when N changed) and start it; return the saved state."""
    directory = data_dir(args)
    state_file = directory / "bench_state.json"
    wanted = {"n": args.n, "seed": SEED}
    state = json.loads(state_file.read_text()) if state_file.exists() else {}
    fresh = not (state.get("complete") and all(state.get(k) == v for k, v in wanted.items())) or args.rebuild
    if fresh:
        if directory.exists():
            shutil.rmtree(directory)
        state = dict(wanted)
    directory.mkdir(parents=True, exist_ok=True)
    os.environ["EGOV_DATA_DIR"] = str(directory)
    os.environ["DJANGO_SETTINGS_MODULE"] = "egov.conf.settings.dev"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if args.db == "postgres":
        pg_reset(args.database, drop=fresh)
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{args.database}"
    else:
        os.environ.pop("DATABASE_URL", None)
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # no query log growing over a million rows
    state["file"] = str(state_file)
    return state


# --- 1. data -------------------------------------------------------------------------------------------------
def _world():
    """Demo agencies (those with officials first: the searchers' own documents), their registers, a user."""
    from egov.directory.models import Agency, Official
    from egov.documents.generate import registers_ensure

    staffed = list(dict.fromkeys(Official.objects.filter(is_active=True).order_by("agency_id")
                                 .values_list("agency_id", flat=True)))
    agencies = sorted(Agency.objects.all(), key=lambda a: (a.pk not in staffed, a.pk))
    registers = registers_ensure(agencies)
    user_id = Official.objects.filter(is_active=True).order_by("pk").values_list("user_id", flat=True).first()
    return agencies, registers, user_id


def generate(n: int) -> dict:
    """Write ``n`` documents and their files in bulk; return the seconds taken."""
    from django.core.management import call_command
    from django.db import transaction

    from egov.core.generate import Table, reserve_ids
    from egov.documents.models import DocumentFile, IncomingDocument, OutgoingDocument
    from egov.documents.models.choices import Channel, Direction, OutgoingStatus

    started = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_demo", verbosity=0)
    setup_seconds = time.perf_counter() - started
    agencies, registers, user_id = _world()
    tables = {m: Table(m) for m in (IncomingDocument, OutgoingDocument, DocumentFile)}
    counters: dict[tuple[int, int], int] = {}
    started = time.perf_counter()
    stream, done = documents(n, seed=SEED), 0
    while done < n:
        chunk = [next(stream) for _ in range(min(BATCH, n - done))]
        rows = {IncomingDocument: [], OutgoingDocument: [], DocumentFile: []}
        with transaction.atomic():
            in_ids = iter(reserve_ids(IncomingDocument, sum(d["direction"] == "incoming" for d in chunk)))
            out_ids = iter(reserve_ids(OutgoingDocument, sum(d["direction"] != "incoming" for d in chunk)))
            file_ids = iter(reserve_ids(DocumentFile, len(chunk)))
            for i, doc in enumerate(chunk, start=done):
                agency = agencies[doc["agency"] % len(agencies)]
                incoming = doc["direction"] == "incoming"
                register = registers[(agency.pk, Direction.INCOMING if incoming else Direction.OUTGOING)]
                key = (register.pk, doc["date"].year)
                counters[key] = value = counters.get(key, 0) + 1
                number, _, notation = doc["number_notation"].partition("/")
                at = datetime.combine(doc["date"], dt.time(2, i % 60), tzinfo=dt.UTC)
                row = {"uuid": uuid.UUID(int=UUID_BASE + i), "type_name": doc["type_name"], "number": number,
                       "notation": notation, "number_notation": doc["number_notation"],
                       "issued_date": doc["date"], "issuer_name": doc["issuer"], "summary": doc["summary"],
                       "secrecy": doc["secrecy"], "agency_id": agency.pk, "register_id": register.pk,
                       "created_at": at, "updated_at": at}
                if incoming:
                    row.update(id=next(in_ids), arrival_year=key[1], arrival_number=value, received_at=at,
                               channel=Channel.ELECTRONIC, status=doc["status"], registered_by_id=user_id)
                    rows[IncomingDocument].append(row)
                else:
                    row.update(id=next(out_ids), number=str(value), drafted_by_id=user_id,
                               status=OutgoingStatus.ISSUED, number_year=key[1], number_value=value, issued_at=at,
                               issuer_name=agency.name, issued_by_id=user_id)
                    rows[OutgoingDocument].append(row)
                rows[DocumentFile].append({
                    "id": next(file_ids), "uuid": uuid.UUID(int=UUID_BASE + (1 << 40) + i), "agency_id": agency.pk,
                    "incoming_id": row["id"] if incoming else None, "outgoing_id": None if incoming else row["id"],
                    "file": f"documents/bench/{i}.pdf", "original_name": f"van-ban-{i}.pdf",
                    "content_type": "application/pdf", "size": len(doc["body"]) * 2, "text": doc["body"],
                    "text_source": "pdf", "uploaded_by_id": user_id, "created_at": at, "updated_at": at})
            for model, values in rows.items():
                tables[model].write(values)
        done += len(chunk)
        if done % 50_000 == 0 or done == n:
            say(f"    rows: {done:,}/{n:,} ({done / (time.perf_counter() - started):,.0f} documents/s)")
    seconds = time.perf_counter() - started
    _analyze()
    return {"setup_seconds": round(setup_seconds, 1), "insert_seconds": round(seconds, 1)}


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def index() -> dict:
    from egov.documents.search_index import search_index_rebuild
    from egov.search import backends

    started, last = time.perf_counter(), [0.0]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if done >= total or now - last[0] >= 30:
            last[0] = now
            say(f"    index: {done:,}/{total:,} ({done / (now - started):,.0f} documents/s)")

    count = search_index_rebuild(progress=progress)
    seconds = time.perf_counter() - started
    stats = backends.backend().stats()
    return {"indexed": count, "index_seconds": round(seconds, 1), "index_bytes": stats["bytes"],
            "segments": stats["segments"]}


# --- 2. queries ----------------------------------------------------------------------------------------------
LIKE_SQL = """
SELECT id, received_at AS at FROM {incoming} d
 WHERE d.agency_id = %s AND d.secrecy = 0 AND (d.summary LIKE %s OR d.number_notation LIKE %s OR d.issuer_name LIKE %s
       OR EXISTS (SELECT 1 FROM {files} f WHERE f.incoming_id = d.id AND f.text LIKE %s))
UNION ALL
SELECT id, issued_at AS at FROM {outgoing} d
 WHERE d.agency_id = %s AND d.status = 'issued' AND (d.summary LIKE %s OR d.number_notation LIKE %s
       OR d.issuer_name LIKE %s OR EXISTS (SELECT 1 FROM {files} f WHERE f.outgoing_id = d.id AND f.text LIKE %s))
ORDER BY at DESC LIMIT 20
"""


def searchers(rounds: int):
    """Demo officials (a specialist, else anyone) of ``rounds`` different agencies, the most documents first."""
    from egov.accounts.roles import Role
    from egov.directory.models import Official

    chosen, seen = [], set()
    for official in (Official.objects.filter(is_active=True).select_related("user")
                     .order_by("agency_id", "pk")):
        if official.agency_id not in seen and official.user.role in (Role.SPECIALIST, Role.CLERK, Role.LEADER):
            seen.add(official.agency_id)
            chosen.append(official)
    return chosen[:rounds]


def measure(rounds: int) -> tuple[dict, list[str]]:
    from django.db import connection

    from egov.documents.models import DocumentFile, IncomingDocument, OutgoingDocument
    from egov.documents.search_index import documents_search

    sql = LIKE_SQL.format(incoming=IncomingDocument._meta.db_table, outgoing=OutgoingDocument._meta.db_table,
                          files=DocumentFile._meta.db_table)
    people = searchers(rounds)
    names = [f"{p.user.username} ({p.agency.abbreviation or p.agency.name})" for p in people]

    def like(official, query):
        pattern = f"%{query}%"
        with connection.cursor() as cursor:
            cursor.execute(sql, [official.agency_id, *[pattern] * 4, official.agency_id, *[pattern] * 4])
            return cursor.fetchall()

    for query in QUERIES[:3]:  # warm both (page cache, term dictionaries)
        documents_search(user=people[0].user, query=query)
        like(people[0], query)
    results = {}
    for query in QUERIES:
        ours, base, totals, base_hits = [], [], [], []
        for official in people:
            t0 = time.perf_counter()
            page = documents_search(user=official.user, query=query, page=1, page_size=20)
            ours.append((time.perf_counter() - t0) * 1000)
            totals.append(page.total)
            t0 = time.perf_counter()
            rows = like(official, query)
            base.append((time.perf_counter() - t0) * 1000)
            base_hits.append(len(rows))
        results[query] = {"ours": ours, "base": base, "hits": statistics.median(totals),
                          "base_hits": statistics.median(base_hits)}
        say(f"    {query:28} search p50 {statistics.median(ours):7.1f} ms   LIKE p50 {statistics.median(base):8.1f} ms"
            f"   ~{statistics.median(totals):,.0f} visible matches, LIKE page {statistics.median(base_hits):.0f}")
    return results, names


# --- 3. report -----------------------------------------------------------------------------------------------
def report(args, state: dict, results: dict, names: list[str]) -> str:
    from django.db import connection

    ours = [v for r in results.values() for v in r["ours"]]
    base = [v for r in results.values() for v in r["base"]]
    n = args.n
    insert_rate = n / max(state["insert_seconds"], 1e-9)
    index_rate = state["indexed"] / max(state["index_seconds"], 1e-9)
    p95 = pct(ours, .95)
    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    lines = [
        f"## Documents, {n:,} on {args.db}: search as an official beside a LIKE scan (`bench/documents/run.py`)",
        "",
        f"Run on {datetime.now():%d/%m/%Y %H:%M} ({platform.node()}, {os.cpu_count()} cores, shared with other "
        "work: figures are noisy, ratios come from the same run). Database: "
        f"**{vendor}** with {n:,} real `IncomingDocument`/`OutgoingDocument` rows and their `DocumentFile` texts "
        "(text from `bench/search/corpus.py`: summary, number/notation, issuer, body of about 150 syllables; 2% "
        f"secret), spread over the demo agencies. Searchers: {', '.join(names)}; each of the {len(QUERIES)} "
        "queries runs once per searcher, page 1 of 20 by rank with his permissions.",
        "",
        "| What | Ingest (documents/s) | p50 (ms) | p95 (ms) | max (ms) |",
        "|---|---:|---:|---:|---:|",
        f"| Rows written in bulk (documents + files, {'COPY' if args.db == 'postgres' else 'executemany'}) | "
        f"{fmt(insert_rate)} | | | |",
        f"| Search: `documents_search` (tantivy, `search_index_rebuild`; index {state['index_bytes'] / 1_048_576:,.0f}"
        f" MiB) | {fmt(index_rate)} | **{pct(ours, .5):.1f}** | **{p95:.1f}** | {max(ours):.1f} |",
        f"| Baseline: `LIKE '%q%'` on summary, number/notation, issuer, file text; same agency filter | — | "
        f"{pct(base, .5):.1f} | {pct(base, .95):.1f} | {max(base):.1f} |",
        "",
        f"Target p95 ≤ 100 ms: {'met' if p95 <= 100 else 'NOT met'} ({p95:.1f} ms; the LIKE scan's p95 is "
        f"{pct(base, .95) / max(p95, 1e-9):.1f}× that).",
        "",
        "| Query | Visible matches (median) | Search p50 / p95 (ms) | LIKE p50 / p95 (ms) | LIKE page size |",
        "|---|---:|---:|---:|---:|",
    ]
    for query, r in results.items():
        lines.append(f"| `{query}` | {r['hits']:,.0f} | {pct(r['ours'], .5):.1f} / {pct(r['ours'], .95):.1f} | "
                     f"{pct(r['base'], .5):.1f} / {pct(r['base'], .95):.1f} | {r['base_hits']:.0f} |")
    lines += [
        "",
        "Notes:",
        "",
        "- The search figure is the whole `documents_search` call: the official's principals read from the "
        "database, the ranked query with permissions inside the engine, stored fields and highlighted snippets.",
        "- The LIKE baseline is not ranked and not Vietnamese-aware: a query without diacritics (`dat dai`) or in "
        "another case finds nothing or little (\"LIKE page size\" column), and it stops at the first 20 newest "
        "matches, so frequent words answer fast and rare ones scan the agency's whole text.",
        f"- Ingest: {fmt(n)} documents written in {state['insert_seconds']:,.0f} s; indexed in "
        f"{state['index_seconds']:,.0f} s by one process (ORM read in batches of 500, analysis in Python, one "
        f"tantivy writer). Migrate + `load_demo`: {state['setup_seconds']:,.0f} s. Load average when the queries "
        f"ended: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.",
        "- The demo province has officials in few agencies: the searchers are those officials (one per agency, "
        "`--rounds` at most), each seeing his agency's share of the documents.",
        "",
        f"Run: `.venv/bin/python bench/documents/run.py --n {n} --db {args.db}` (data under "
        f"`{data_dir(args)}`, reused for the same N).",
    ]
    return "\n".join(lines)


def write_readme(args, section: str) -> None:
    name = f"bench/documents --n {args.n} --db {args.db}"
    text = README.read_text() if README.exists() else "# Benchmarks\n"
    README.write_text(onestop_bench._replace_section(text, f"<!-- {name}: start -->", f"<!-- {name}: end -->",
                                                      section))
    say(f"==> Results written to {README.relative_to(ROOT)}")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--database", default="egov_bench_documents", help="PostgreSQL database name")
    parser.add_argument("--rounds", type=int, default=5, help="searchers (officials of different agencies)")
    parser.add_argument("--quick", action="store_true", help="20,000 documents; README untouched")
    parser.add_argument("--rebuild", action="store_true", help="new data even if a set of this N exists")
    parser.add_argument("--write-readme", action="store_true", help="also with --quick")
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.n = 20_000
        if args.database == "egov_bench_documents":
            args.database = "egov_bench_documents_quick"
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    state = setup(args)
    state_file = Path(state.pop("file"))
    if not state.get("complete"):
        say(f"==> New data set ({args.db}): {args.n:,} documents")
        state.update(generate(args.n))
        state.update(index())
        state["complete"] = True
        state_file.write_text(json.dumps(state))
    else:
        say(f"==> Reusing {args.n:,} documents in {data_dir(args)}")
    say(f"==> {len(QUERIES)} queries × {args.rounds} officials")
    results, names = measure(args.rounds)
    section = report(args, state, results, names)
    say("\n" + section)
    if (not args.quick or args.write_readme) and not args.no_readme:
        write_readme(args, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
