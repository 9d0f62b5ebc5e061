#!/usr/bin/env python
"""Due-date computation: our bisect calendar against a naive baseline, in the same run.

Ours: ``egov.workdays.services.add_working_time`` (the public service: time zone, cut-off, snapshot check,
bisect on the sorted array of working days). Baseline: the same rule written plainly, stepping day by day
and consulting a ``holidays`` object (built once) for every day. Both get the same 100,000 random receipts
between 2025 and 2027 with 0–30 working days, and must agree on every answer.

    .venv/bin/python bench/workdays_due.py [--calls 100000] [--repeat 3]

A second pair isolates the calendar lookup itself (the N-th working day after a date, no time zone or
cut-off handling): the bisect on the snapshot's sorted array against the same day-by-day loop.

Runs on its own throw-away SQLite database (only the workdays tables are migrated).
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def setup_django() -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ["EGOV_DATA_DIR"] = tempfile.mkdtemp(prefix="egov-bench-workdays-")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "egov.conf.settings.dev"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "workdays", verbosity=0)


def make_inputs(n: int, tz) -> list[tuple[dt.datetime, int]]:
    rng = random.Random(20260216)
    first = dt.datetime(2025, 1, 1, tzinfo=tz).timestamp()
    last = dt.datetime(2027, 12, 1, tzinfo=tz).timestamp()
    return [(dt.datetime.fromtimestamp(rng.uniform(first, last), tz), rng.randint(0, 30)) for _ in range(n)]


def make_baseline(tz):
    """The rule stated plainly: step one day at a time, ask the holidays object about each day."""
    import holidays

    from egov.workdays import builtin

    vn = holidays.country_holidays("VN", years=range(2024, 2030))
    makeup = {m.date for m in builtin.MAKEUP_WORKING_DAYS}
    closing, cutoff = dt.time(17, 0), dt.time(15, 0)
    one_day = dt.timedelta(days=1)

    def working(day: dt.date) -> bool:
        return day in makeup or (day.weekday() < 5 and day not in vn)

    def nth_after(day: dt.date, n: int) -> dt.date:
        for _ in range(n):
            day += one_day
            while not working(day):
                day += one_day
        return day

    def add_days(start: dt.datetime, n: int) -> dt.datetime:
        local = start.astimezone(tz)
        day, t = local.date(), local.time()
        if not working(day) or t > cutoff:
            day += one_day
            while not working(day):
                day += one_day
        return dt.datetime.combine(nth_after(day, n), closing, tzinfo=tz)

    return add_days, nth_after


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    setup_django()
    from egov.workdays.loader import get_calendar
    from egov.workdays.services import VN_TZ, add_working_time

    inputs = make_inputs(args.calls, VN_TZ)
    baseline, baseline_nth = make_baseline(VN_TZ)

    ours_results = [add_working_time(start, days=n) for start, n in inputs]  # also warms the snapshot
    base_results = [baseline(start, n) for start, n in inputs]
    mismatches = sum(1 for a, b in zip(ours_results, base_results, strict=True) if a != b)

    def run_ours():
        for start, n in inputs:
            add_working_time(start, days=n)

    def run_baseline():
        for start, n in inputs:
            baseline(start, n)

    calendar = get_calendar()
    day_inputs = [(start.date(), n) for start, n in inputs]
    ord_inputs = [(day.toordinal(), n) for day, n in day_inputs]
    mismatches += sum(
        1 for (o, n), (day, _) in zip(ord_inputs, day_inputs, strict=True)
        if calendar.nth_after(o, n) != baseline_nth(day, n).toordinal()
    )

    def run_ours_lookup():
        nth_after = calendar.nth_after
        for o, n in ord_inputs:
            nth_after(o, n)

    def run_baseline_lookup():
        for day, n in day_inputs:
            baseline_nth(day, n)

    ours = best_of(args.repeat, run_ours)
    base = best_of(args.repeat, run_baseline)
    ours_lookup = best_of(args.repeat, run_ours_lookup)
    base_lookup = best_of(args.repeat, run_baseline_lookup)
    per_ours = ours / args.calls * 1e6
    per_base = base / args.calls * 1e6
    mean_days = statistics.fmean(n for _, n in inputs)
    print(f"workdays due dates: {args.calls:,} calls, 0–30 working days (mean {mean_days:.1f}), best of {args.repeat}")
    print(f"  ours     (bisect calendar, add_working_time): {ours:8.3f} s  {per_ours:7.2f} µs/call")
    print(f"  baseline (holidays object per day)         : {base:8.3f} s  {per_base:7.2f} µs/call")
    print(f"  ratio baseline/ours: {base / ours:.1f}x")
    print("calendar lookup only (N-th working day after a date):")
    print(f"  ours     (bisect on the snapshot)          : {ours_lookup:8.3f} s  "
          f"{ours_lookup / args.calls * 1e6:7.2f} µs/call")
    print(f"  baseline (holidays object per day)         : {base_lookup:8.3f} s  "
          f"{base_lookup / args.calls * 1e6:7.2f} µs/call")
    print(f"  ratio baseline/ours: {base_lookup / ours_lookup:.1f}x")
    print(f"answers differing between ours and the baseline: {mismatches}")
    if mismatches:
        sys.exit(1)


if __name__ == "__main__":
    main()
