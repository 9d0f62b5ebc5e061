"""A province's year of one-stop dossiers for demonstrations and benchmarks (``manage.py onestop_generate``).

``generate_year(n=…, year=…)`` builds ``n`` dossiers received over the working days of ``year`` (up to today when
the year is not over) at the agencies that receive each procedure of the catalogue: commune-level procedures at the
communes and wards (weighted by a seeded size), province-level ones at the agency the procedure's process names,
else the provincial public-service centre. Each dossier is what the real services would have left behind, as of
now (``plan.py``):

- a unique code in the configured layout (``codes.code_strategy()``: QCVN 102 ``…-YYMMDD-NNNN`` or QĐ 20), drawn
  from per-agency daily sequences kept in memory and written back to ``DossierCounter`` (and the yearly register
  number to ``DossierRegisterCounter``), so a later real reception continues after them;
- due dates, step deadlines and the 15:00 cut-off from the ``workdays`` service, early / on time / late per step and
  per dossier, the step that made a late dossier late;
- its steps (one per catalogue step reached) and its append-only events (submission, reception, hand-overs,
  approval or refusal, return, withdrawal, stop, supplement request);
- a realistic mix: most dossiers resolved and returned, a few refused at reception, withdrawn, stopped or
  rejected after appraisal, the recent ones in progress (some waiting for a supplement), about 6 % late,
  40–60 % received online; applicants with Vietnamese names and Cà Mau citizen ID numbers
  (``egov.core.generate.names``).

``DossierDailyStat`` is computed in bulk from the generated transitions by the rule of
``workflow.stats_on_transition`` (counted on the day of receipt), day by day, so the statistics of generated data
equal what the transitions would have produced (``tests/test_statistics_generate.py`` checks this against counts
over the dossiers).

Fast and resumable (``writer.py``): no per-row services or model instances. Each receipt day is built in memory
and written in one transaction: primary keys reserved first (so steps and events refer to their dossier without a
round trip), rows streamed with PostgreSQL ``COPY`` (``executemany`` on SQLite) in batches. The first dossier of
a day has a UUID derived from the seed and the day, so after an interruption a second run skips the days already
written. Memory holds one day at a time: ``n = 3,400,000`` (about 15,000 dossiers a working day) runs in constant
memory.

Agencies lacking the electronic ID code the code layout needs (the demo directory leaves codes it could not
confirm empty) get a placeholder code in the legal format through ``directory.services.agency_update`` (audited),
with a note saying so.
"""

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from egov.core.errors import DomainError
from egov.core.generate import Progress, Table, reserve_ids
from egov.directory.models import Agency, AgencyKind
from egov.onestop.codes import code_strategy
from egov.onestop.generate import writer
from egov.onestop.generate.plan import VN_TZ, DayPlanner, DayRows, local_date, volume_by_day
from egov.onestop.models import Dossier, DossierCounter, DossierDailyStat, DossierEvent, DossierStep, EventKind

PLACEHOLDER_NOTE = ("Mã định danh tạm (đúng định dạng, chưa phải mã chính thức) do lệnh onestop_generate gán để sinh "
                    "dữ liệu hồ sơ mẫu; thay bằng mã chính thức khi có.")

__all__ = ["GenerationReport", "agencies_codes_ensure", "generate_year"]


def _n(value: int) -> str:
    """Vietnamese thousands separator: 300.000."""
    return f"{value:,}".replace(",", ".")


@dataclass
class GenerationReport:
    year: int
    requested: int
    days_total: int = 0
    days_written: int = 0
    days_skipped: int = 0
    dossiers: int = 0
    steps: int = 0
    events: int = 0
    codes_assigned: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        rate = round(self.dossiers / self.seconds) if self.seconds else 0
        return (f"Năm {self.year}: đã sinh {_n(self.dossiers)} hồ sơ, {_n(self.steps)} bước xử lý, "
                f"{_n(self.events)} sự kiện trong {self.days_written} ngày làm việc (bỏ qua {self.days_skipped} ngày "
                f"đã sinh trước), {_n(round(self.seconds))} giây ({_n(rate)} hồ sơ/giây).")


# --- electronic ID codes -----------------------------------------------------------------------------------------
def code_layout() -> tuple[str, str, int, int]:
    """(agency field, date format, sequence digits, daily limit) of the configured dossier code layout."""
    strategy = code_strategy()
    if strategy.name == "qcvn102":
        return "code_qcvn102", "%y%m%d", 4, 9999
    if strategy.name == "qd20":
        return "code_qd20", "%Y%m%d", 7, 9_999_999
    raise DomainError("unsupported_code_strategy", "Bộ sinh dữ liệu chỉ hỗ trợ mã hồ sơ theo QCVN 102 hoặc "
                                                   f"QĐ 20/2020, chưa hỗ trợ “{strategy.name}”.")


def _suffixes():
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for a in alphabet:
        for b in alphabet:
            if a + b != "00":
                yield a + b


def agencies_codes_ensure(agencies: list[Agency]) -> list[str]:
    """Give the ``agencies`` that lack the code the dossier code layout needs a placeholder code.

    QCVN 102: ``000.00.<NN>.<level 1>`` (level 2 under the province, the level-1 code read from the province
    committee's code, H12 for Cà Mau); QĐ 20: ``<level 1>.<NN>``. Written through the directory service."""
    from egov.directory.services import agency_update

    field_name = code_layout()[0]
    missing = [a for a in agencies if not getattr(a, field_name)]
    if not missing:
        return []
    province = Agency.objects.filter(kind=AgencyKind.PROVINCE_COMMITTEE).exclude(code_qcvn102=None).first()
    level1 = province.code_qcvn102.rsplit(".", 1)[-1] if province is not None else "H12"
    used = set(Agency.objects.exclude(**{f"{field_name}__isnull": True}).values_list(field_name, flat=True))
    suffixes = _suffixes()
    order = {AgencyKind.DEPARTMENT: 0, AgencyKind.OTHER: 1, AgencyKind.OFFICE: 2, AgencyKind.WARD: 3,
             AgencyKind.COMMUNE: 4}
    assigned = []
    for agency in sorted(missing, key=lambda a: (order.get(a.kind, 5), a.code)):
        value = None
        while value is None or value in used:
            suffix = next(suffixes)
            value = f"000.00.{suffix}.{level1}" if field_name == "code_qcvn102" else f"{level1}.{suffix}"
        used.add(value)
        agency_update(agency=agency, note=f"{agency.note}\n{PLACEHOLDER_NOTE}".strip(), **{field_name: value})
        assigned.append(f"{agency.name}: {value}")
    return assigned


# --- writing one day -----------------------------------------------------------------------------------------
def _link(rows: DayRows) -> None:
    """Reserve primary keys and point steps, events and the dossiers' current and late steps at them."""
    dossier_ids = iter(reserve_ids(Dossier, len(rows.dossiers)))
    step_ids = iter(reserve_ids(DossierStep, len(rows.steps)))
    event_ids = iter(reserve_ids(DossierEvent, len(rows.events)))
    for dossier in rows.dossiers:
        dossier["id"] = pk = next(dossier_ids)
        for step in dossier["_steps"]:
            step["id"] = next(step_ids)
            step["dossier_id"] = pk
        for event in dossier["_events"]:
            event["id"] = next(event_ids)
            event["dossier_id"] = pk
            event["step_id"] = event["_step"]["id"] if event["_step"] is not None else None
        current, late = dossier.get("_current"), dossier.get("_late")
        dossier["current_step_id"] = current["id"] if current is not None else None
        dossier["late_step_id"] = late["id"] if late is not None else None


def _shift_codes(rows: DayRows, existing: dict[int, int], *, digits: int, limit: int) -> None:
    """Real receptions already used the first numbers of the day at some agencies: number ours after them."""
    for dossier in rows.dossiers:
        offset = existing.get(dossier["receiving_agency_id"])
        if not offset or not dossier.get("code"):
            continue
        head, number = dossier["code"].rsplit("-", 1)
        value = int(number) + offset
        if value > limit:
            raise DomainError("dossier_sequence_exhausted", "Vượt quá số thứ tự cấp mã hồ sơ trong ngày.")
        dossier["code"] = f"{head}-{value:0{digits}d}"
        for event in dossier["_events"]:
            if event["kind"] == EventKind.RECEIVE:
                event["data"]["code"] = dossier["code"]
    for agency_id, offset in existing.items():
        if agency_id in rows.sequences:
            rows.sequences[agency_id] += offset


def _write_day(day: dt.date, rows: DayRows, *, year: int, batch_size: int, digits: int, limit: int,
               tables: dict) -> None:
    existing = writer.sequences_read(day=day)
    if existing:
        _shift_codes(rows, existing, digits=digits, limit=limit)
    _link(rows)
    tables[Dossier].write(rows.dossiers, batch_size=batch_size)
    tables[DossierStep].write(rows.steps, batch_size=batch_size)
    tables[DossierEvent].write(rows.events, batch_size=batch_size)
    writer.counters_write(day=day, sequences=rows.sequences)
    writer.registers_write(year=year, registers=rows.registers)
    writer.stats_add(rows.stats)


def generate_year(*, n: int, year: int, seed: int = 2026, batch_size: int = 5000, now: dt.datetime | None = None,
                  progress: Callable[[str], None] | None = None, bar: Progress | None = None,
                  stop_after_days: int | None = None) -> GenerationReport:
    """Generate (or finish generating) ``n`` dossiers received in ``year``; see the module docstring.
    ``bar`` (a one-line progress printer) replaces the line per day; ``stop_after_days`` writes that many new
    days and stops (tests of resuming)."""
    if n < 0:
        raise DomainError("invalid_n", "Số hồ sơ cần sinh phải là số không âm.")
    if not 2000 <= year <= 2100:
        raise DomainError("invalid_year", "Năm phải trong khoảng 2000–2100.")
    if batch_size < 1:
        raise DomainError("invalid_batch_size", "Số dòng mỗi lần ghi phải là số dương.")
    now = now or timezone.now()
    today = local_date(now)
    opened = now.astimezone(VN_TZ).time() >= dt.time(7, 45)  # today counts once the offices have opened
    last = min(dt.date(year, 12, 31), today if opened else today - dt.timedelta(days=1))
    if last < dt.date(year, 1, 1):
        raise DomainError("future_year", f"Năm {year} chưa bắt đầu: không sinh hồ sơ cho ngày trong tương lai.")
    started = time.perf_counter()
    say = progress or (lambda message: None)
    layout = code_layout()
    planner = DayPlanner(year=year, seed=seed, now=now, code_layout=layout)
    days = [o for o in planner.calendar.between(dt.date(year, 1, 1), last)
            if planner.specs_on(dt.date.fromordinal(o))[0]]
    if not days:
        raise DomainError("no_procedure_in_force", f"Năm {year} không có thủ tục nào đang có hiệu lực để sinh hồ sơ.")
    volume = volume_by_day(days, n, random.Random(f"{seed}:volume"))
    report = GenerationReport(year=year, requested=n, days_total=len(days))
    report.codes_assigned = agencies_codes_ensure(planner.receivers())
    if report.codes_assigned:
        first, last_code = report.codes_assigned[0], report.codes_assigned[-1]
        say(f"Gán mã định danh tạm cho {len(report.codes_assigned)} cơ quan chưa có mã ({first} … {last_code}).")
        planner = DayPlanner(year=year, seed=seed, now=now, code_layout=layout)  # re-read the agencies' codes
    written_days = set(Dossier.objects.filter(uuid__in=[planner.marker(dt.date.fromordinal(o)) for o in days])
                       .values_list("uuid", flat=True))
    registers = writer.registers_read(year=year)
    tables = {model: Table(model) for model in (Dossier, DossierStep, DossierEvent)}
    done = 0
    for index, ordinal in enumerate(days, start=1):
        day, count = dt.date.fromordinal(ordinal), volume[ordinal]
        if count == 0:
            continue
        if planner.marker(day) in written_days:
            report.days_skipped += 1
            done += count
            if bar is not None:
                bar.skip(count)
            continue
        if stop_after_days is not None and report.days_written >= stop_after_days:
            break
        day_started = time.perf_counter()
        with transaction.atomic():
            registers = writer.registers_read(year=year)
            rows = planner.day(day, count, registers=registers)
            _write_day(day, rows, year=year, batch_size=batch_size, digits=layout[2], limit=layout[3],
                       tables=tables)
        report.days_written += 1
        report.dossiers += len(rows.dossiers)
        report.steps += len(rows.steps)
        report.events += len(rows.events)
        done += count
        if bar is not None:
            bar.update(count, f"({day:%d/%m})")
            continue
        say(f"[{index}/{len(days)}] {day:%d/%m/%Y}: {_n(len(rows.dossiers))} hồ sơ, {_n(len(rows.steps))} bước, "
            f"{_n(len(rows.events))} sự kiện, {time.perf_counter() - day_started:.1f} giây; "
            f"đã có {_n(done)}/{_n(n)} hồ sơ")
    if report.days_written and not transaction.get_connection().in_atomic_block:
        say("Cập nhật thống kê của cơ sở dữ liệu cho các bảng vừa nạp (ANALYZE)…")
        writer.analyze([Dossier, DossierStep, DossierEvent, DossierDailyStat, DossierCounter])
    report.seconds = time.perf_counter() - started
    return report
