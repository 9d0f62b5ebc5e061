#!/usr/bin/env python
"""Dossier submissions per second with all their side effects (issue 6, point 3), beside plain INSERTs.

    .venv/bin/python bench/submit/run.py [--database egov_bench] [--n 300] [--quick] [--no-readme]

Ours: ``reception.dossier_receive_at_counter`` — the one-stop counter's real service, as the counter view calls it —
for ``--n`` complete dossiers, one after another, in a database that holds a generated year (the one-stop
benchmark's ``egov_bench``, made by ``bench/onestop/run.py`` when missing): policy check, the procedure's
version in force, the applicant and form checked, one scanned PDF per mandatory paper checked and stored, code
from the agency's daily counter and register number (locked rows), due date from the working-day calendar,
steps, events, audit entry, the daily aggregate, and the Form 01 task queued in the same transaction (a row of the
database queue). The slip itself is rendered by the task worker (WeasyPrint, most of a second per slip); its rate
is measured apart on a sample of the queued tasks, run as the worker runs them.

Baseline, same run: the rows each submission left (dossier, steps, events, files, audit entries, aggregate
upsert aside) copied by plain ``INSERT`` statements, one transaction per dossier, into tables made ``LIKE`` the
real ones (same columns and indexes, no triggers), then dropped. The ratio says what the rules cost on top of
writing their result. Settings: production (``egov.conf.settings.bench``), PostgreSQL on the loopback.
"""
# A benchmark harness: fixed commands on 127.0.0.1, data under /tmp.
# ruff: noqa: S603, S608, S108

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PYTHON = ROOT / ".venv" / "bin" / "python"
README = ROOT / "bench" / "README.md"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
MARK_START, MARK_END = "<!-- bench/submit: start -->", "<!-- bench/submit: end -->"
TASK_TABLE = "django_tasks_database_dbtaskresult"  # the database task backend (Redis: not counted)
TABLES = ["onestop_dossier", "onestop_dossierstep", "onestop_dossierevent", "onestop_dossierfile",
          "core_auditentry"]


def say(message: str) -> None:
    print(message, flush=True)


def environment(database: str) -> dict:
    env = dict(os.environ)
    env.update({"DJANGO_SETTINGS_MODULE": "egov.conf.settings.bench", "SECRET_KEY": "bench-" + "x" * 50,
                "ALLOWED_HOSTS": "127.0.0.1,localhost", "DATABASE_URL": f"{PG_SERVER}/{database}",
                "EGOV_DATA_DIR": f"/tmp/egov-bench-submit-{database}", "LOG_LEVEL": "WARNING",
                "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "bench" / "onestop")])})
    return env


# --- the child (Django) ------------------------------------------------------------------------------------------
def _pdf(index: int) -> bytes:
    body = f"BT /F1 12 Tf 72 720 Td (Giay to {index}) Tj ET".encode()
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n"
            b"4 0 obj<</Length " + str(len(body)).encode() + b">>stream\n" + body + b"\nendstream endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def child(n: int) -> dict:
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection, transaction
    from django.db.models import Count

    from egov.accounts.roles import Role
    from egov.core.models import AuditEntry
    from egov.directory.models import Official
    from egov.onestop import reception
    from egov.onestop.models import Dossier
    from egov.onestop.tests.factories import submit_papers

    officer = None
    for official in (Official.objects.select_related("user", "agency")
                     .filter(user__role=Role.ONESTOP_OFFICER, user__is_active=True).order_by("user__username")):
        top = (Dossier.objects.filter(receiving_agency=official.agency, procedure__is_active=True)
               .values("procedure__code").annotate(n=Count("id")).order_by("-n").first())
        if top is not None:
            officer, code = official, top["procedure__code"]
            break
    if officer is None:
        raise SystemExit("no one-stop officer with dossiers of his agency: run bench/onestop/run.py first")
    procedure = Dossier.objects.filter(procedure__code=code).first().procedure
    papers = list(submit_papers(procedure))
    created = []

    def submit(index: int):
        files = [(str(p.uuid), SimpleUploadedFile(f"giay-to-{p.order}.pdf", _pdf(index), "application/pdf"))
                 for p in papers]
        applicant = reception.Applicant(name=f"Nguyễn Văn Thử {index}", id_number=f"096{index:09d}",
                                        address="Khóm 1, phường An Xuyên", phone="0912345678")
        return reception.dossier_receive_at_counter(actor=officer.user, agency=officer.agency,
                                                    procedure_code=code, applicant=applicant, papers=files)

    submit(0)  # warm-up: imports, templates, fonts
    tasks_before = _count(connection, TASK_TABLE)
    audit_before = AuditEntry.objects.count()
    started = time.perf_counter()
    for index in range(1, n + 1):
        created.append(submit(index).pk)
    ours = time.perf_counter() - started
    audit = AuditEntry.objects.count() - audit_before
    tasks = _count(connection, TASK_TABLE) - tasks_before
    slips, slip_seconds = _render_queued_slips(created[: max(5, n // 20)])

    # Baseline: the same rows, plain INSERTs, one transaction per dossier, into LIKE copies of the tables.
    rows_per_dossier = []
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS bench_copy_{table}")
            cursor.execute(f"CREATE TABLE bench_copy_{table} (LIKE {table} INCLUDING DEFAULTS INCLUDING INDEXES)")
        for pk in created:
            rows = {}
            for table, where in (("onestop_dossier", "id = %s"), ("onestop_dossierstep", "dossier_id = %s"),
                                 ("onestop_dossierevent", "dossier_id = %s"), ("onestop_dossierfile",
                                                                              "dossier_id = %s"),
                                 ("core_auditentry", "object_type = 'onestop.dossier' AND object_id = "
                                                     "(SELECT uuid::text FROM onestop_dossier WHERE id = %s)")):
                cursor.execute(f"SELECT * FROM {table} WHERE {where}", [pk])
                rows[table] = cursor.fetchall()
            rows_per_dossier.append(rows)
    total_rows = sum(len(r) for rows in rows_per_dossier for r in rows.values())
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for rows in rows_per_dossier:
            with transaction.atomic():
                for table, values in rows.items():
                    if values:
                        marks = ", ".join(["%s"] * len(values[0]))
                        cursor.executemany(f"INSERT INTO bench_copy_{table} VALUES ({marks})",
                                           [_adapt(v) for v in values])
    baseline = time.perf_counter() - started
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS bench_copy_{table}")
    return {"n": n, "ours_s": ours, "baseline_s": baseline, "ours_per_s": n / ours, "baseline_per_s": n / baseline,
            "rows": total_rows, "audit": audit, "tasks": tasks, "procedure": code, "agency": officer.agency.name,
            "papers": len(papers), "slips": slips, "slips_per_s": slips / slip_seconds if slip_seconds else 0.0}


def _render_queued_slips(dossier_ids: list[int]) -> tuple[int, float]:
    """Run the queued Form 01 tasks of these dossiers as the worker does (their stored arguments); time them."""
    from django_tasks_db.models import DBTaskResult

    from egov.onestop.tasks import dossier_form01_task

    queued = [row.args_kwargs["kwargs"] for row in DBTaskResult.objects.filter(
        task_path="egov.onestop.tasks.dossier_form01_task") if row.args_kwargs["kwargs"]["dossier_id"] in dossier_ids]
    started = time.perf_counter()
    rendered = sum(1 for kwargs in queued if dossier_form01_task.call(**kwargs)["rendered"])
    return rendered, time.perf_counter() - started


def _adapt(row):
    from psycopg.types.json import Jsonb

    return tuple(Jsonb(v) if isinstance(v, dict | list) else v for v in row)


def _count(connection, table: str) -> int:
    with connection.cursor() as cursor:
        try:
            cursor.execute(f"SELECT count(*) FROM {table}")
        except Exception:  # noqa: BLE001 - the Redis task backend has no table
            return 0
        return cursor.fetchone()[0]


# --- the parent ----------------------------------------------------------------------------------------------------
def ensure_data(database: str, quick: bool) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
    if exists:
        return
    say(f"==> {database} missing: bench/onestop/run.py makes it")
    subprocess.run([str(PYTHON), str(ROOT / "bench" / "onestop" / "run.py"), "--database", database,
                    "--skip-workdays", "--no-write-readme", *(["--quick"] if quick else [])], cwd=ROOT, check=True)


def report(result: dict) -> str:
    when = datetime.now().strftime("%d/%m/%Y %H:%M")
    ratio = result["ours_per_s"] / result["baseline_per_s"]
    met = "met" if result["ours_per_s"] >= 200 else "NOT met"
    return "\n".join([
        MARK_START,
        "## Dossier submissions with all side effects, PostgreSQL (`bench/submit/run.py`)",
        "",
        f"Run on {when} ({platform.node()}, {os.cpu_count()} cores, shared with other work: figures are noisy, "
        f"the ratio comes from the same run). {result['n']:,} complete dossiers received one after another by "
        f"`reception.dossier_receive_at_counter` at {result['agency']} (procedure {result['procedure']}, "
        f"{result['papers']} scanned paper(s) each), in a database holding a generated year.",
        "",
        "| What | Submissions/s | ms each | Ratio |",
        "|---|---:|---:|---:|",
        f"| Service: checks, code and register number, due date, steps, events, scans stored, "
        f"audit ({result['audit']:,} entries), aggregate, Form 01 task queued ({result['tasks']:,} tasks) | "
        f"{result['ours_per_s']:,.1f} | {1000 * result['ours_s'] / result['n']:.1f} | **{ratio:.0%}** |",
        f"| **Baseline**: the same {result['rows']:,} rows by plain INSERTs, one transaction per dossier | "
        f"{result['baseline_per_s']:,.1f} | {1000 * result['baseline_s'] / result['n']:.1f} | 100% |",
        f"| Task worker: Form 01 rendered (WeasyPrint) and stored, {result.get('slips', 0)} queued slips | "
        f"{result.get('slips_per_s', 0):,.1f} | {1000 / result['slips_per_s'] if result.get('slips_per_s') else 0:.0f}"
        " | — |",
        "",
        f"Target ≥ 200 submissions per second: {met} (one process, one after another; the server runs several "
        "workers). The rows written are counted in the baseline; the slip is the worker's, one task per dossier.",
        MARK_END,
    ])


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
    parser.add_argument("--n", type=int, default=None, help="submissions (default 300; quick 60)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-readme", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child)))
        return
    n = args.n or (60 if args.quick else 300)
    ensure_data(args.database, args.quick)
    say(f"==> {n} submissions through the counter service, then the same rows by plain INSERTs")
    result = subprocess.run([str(PYTHON), str(Path(__file__).resolve()), "--child", str(n)], cwd=ROOT,
                            env=environment(args.database), check=True, capture_output=True, text=True)
    if result.stderr.strip():
        sys.stderr.write(result.stderr[-3000:])
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    section = report(figures)
    say(section)
    if args.json:
        args.json.write_text(json.dumps(figures))
    if not args.no_readme:
        write_readme(section)


if __name__ == "__main__":
    main()
