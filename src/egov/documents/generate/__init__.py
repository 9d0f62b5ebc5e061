"""A province's year of official documents for demonstrations and benchmarks (``generate_province``).

``documents_generate(total=…, year=…)`` spreads ``total`` documents (60 % incoming, 40 % outgoing) over the
working days of ``year`` up to now, at the agencies that have generated officials (``officials.py``), weighted
by size (the province committee and the departments write more than a commune). What the real services would
have left, without calling them per row:

- registers: each agency's regular incoming and outgoing register (opened when missing); arrival and issue
  numbers 1..N per register and year in time order with no gap, continuing after any real number
  (``RegisterCounter`` holds the last, written in the same transaction as the day's rows);
- incoming: issuer (another agency of the directory or a ministry), the issuer's number and notation, issue date
  before arrival, channel, urgency; three quarters directed by a leader (``Assignment`` to a specialist of a
  unit, deadline of 10 working days from the ``workdays`` service), completed when the plan's completion is
  past; events ``registered``, ``directed``, ``completed``, ``done``;
- outgoing: drafted by a specialist, signed by a leader, issued by the clerk with the register's next number and
  the notation of NĐ 30/2020 (``number_notation_for``'s rule); events ``draft_created``, ``signed``, ``issued``;
- summaries from templates and word lists (``text.py``); no files (the text search benchmark has its corpus).

Each working day is one transaction; the first incoming document of a day has a UUID derived from the seed and
the day, so a rerun after an interruption skips the days written. Rows are streamed with ``COPY``.
"""

import bisect
import datetime as dt
import random
import uuid
from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone

from egov.accounts.roles import Role
from egov.core.generate import Progress, Table, reserve_ids
from egov.directory.models import Agency, AgencyKind, Unit
from egov.documents.generate import text
from egov.documents.generate.officials import staff_read
from egov.documents.models import (
    Assignment,
    DocumentEvent,
    DocumentRegister,
    DocumentType,
    IncomingDocument,
    OutgoingDocument,
    RegisterCounter,
)
from egov.documents.models.choices import (
    AssignmentRole,
    AssignmentStatus,
    Channel,
    Direction,
    IncomingStatus,
    OutgoingStatus,
    RegisterKind,
    Urgency,
)
from egov.workdays.services import add_working_time, is_working_day

VN_TZ = dt.timezone(dt.timedelta(hours=7))
NAMESPACE = uuid.UUID("0c6f1d3e-8a1b-4f4e-9d1e-3b2a7c9e5f10")
INCOMING_SHARE = 0.6
TYPE_WEIGHTS = {"cong-van": 45, "quyet-dinh": 12, "ke-hoach": 10, "bao-cao": 10, "thong-bao": 8, "giay-moi": 8,
                "to-trinh": 2, "huong-dan": 3, "chi-thi": 2}
MINISTRIES = [("Bộ Nội vụ", "BNV"), ("Bộ Tài chính", "BTC"), ("Bộ Nông nghiệp và Môi trường", "BNNMT"),
              ("Bộ Khoa học và Công nghệ", "BKHCN"), ("Văn phòng Chính phủ", "VPCP"), ("Bộ Công an", "BCA"),
              ("Bộ Y tế", "BYT"), ("Bộ Giáo dục và Đào tạo", "BGDĐT"), ("Tỉnh ủy Cà Mau", "TU")]
SESSIONS = ((7 * 3600 + 30 * 60, 4 * 3600), (13 * 3600 + 30 * 60, 3 * 3600 + 30 * 60))

__all__ = ["documents_generate", "marker"]


def marker(seed: int, day: dt.date) -> uuid.UUID:
    """The UUID of the first incoming document of ``day``: its presence means the day was written."""
    return uuid.uuid5(NAMESPACE, f"{seed}:{day.isoformat()}")


def _weight(agency: Agency) -> float:
    if agency.kind == AgencyKind.PROVINCE_COMMITTEE:
        return 8.0
    if agency.kind in (AgencyKind.COMMUNE, AgencyKind.WARD):
        return 1.0
    return 3.0


def registers_ensure(agencies: list[Agency]) -> dict[tuple[int, str], DocumentRegister]:
    """Each agency's regular incoming and outgoing register (the general one), opened when missing."""
    found = {}
    for register in (DocumentRegister.objects.filter(agency__in=agencies, kind=RegisterKind.REGULAR, is_active=True,
                                                     document_type__isnull=True).order_by("created_at", "id")):
        found.setdefault((register.agency_id, register.direction), register)
    missing = []
    for agency in agencies:
        for direction, name in ((Direction.INCOMING, "Sổ văn bản đến"), (Direction.OUTGOING, "Sổ văn bản đi")):
            if (agency.pk, direction) not in found:
                missing.append(DocumentRegister(agency=agency, direction=direction, name=name,
                                                kind=RegisterKind.REGULAR, number_width=2))
    for register in DocumentRegister.objects.bulk_create(missing):
        found[(register.agency_id, register.direction)] = register
    if connection.vendor == "sqlite":  # bulk_create gives no keys back on old SQLite; read them again
        return registers_ensure(agencies) if missing else found
    return found


def _counters(registers, year: int) -> dict[int, int]:
    ids = [r.pk for r in registers.values()]
    # Locked like register_number_next locks them: a real registration meanwhile waits for this day's commit.
    return dict(RegisterCounter.objects.select_for_update().filter(register_id__in=ids, year=year)
                .values_list("register_id", "last_value"))


def _counters_write(values: dict[int, int], year: int) -> None:
    existing = {c.register_id: c for c in RegisterCounter.objects.filter(register_id__in=list(values), year=year)}
    new, changed = [], []
    for register_id, value in values.items():
        counter = existing.get(register_id)
        if counter is None:
            new.append(RegisterCounter(register_id=register_id, year=year, last_value=value))
        elif counter.last_value != value:
            counter.last_value = value
            changed.append(counter)
    RegisterCounter.objects.bulk_create(new)
    RegisterCounter.objects.bulk_update(changed, ["last_value"])


class _Context:
    """What every day needs, read once."""

    def __init__(self, *, year: int, seed: int, now: dt.datetime):
        self.year, self.seed, self.now = year, seed, now
        staff = staff_read()
        self.agencies = [a for a in Agency.objects.filter(pk__in=list(staff)).order_by("code")
                         if {Role.CLERK, Role.LEADER, Role.SPECIALIST} <= set(staff[a.pk].by_role)]
        self.staff = staff
        self.cum = list(_cumulative(_weight(a) for a in self.agencies))
        self.registers = registers_ensure(self.agencies)
        self.unit_names = dict(Unit.objects.filter(agency__in=self.agencies).values_list("id", "name"))
        self.unit_codes = dict(Unit.objects.filter(agency__in=self.agencies).values_list("id", "code"))
        types = {t.code: t for t in DocumentType.objects.filter(code__in=list(TYPE_WEIGHTS))}
        self.types = [types[c] for c in TYPE_WEIGHTS if c in types]
        self.type_cum = list(_cumulative(TYPE_WEIGHTS[t.code] for t in self.types))
        self.issuers = [(a.name, a.abbreviation, a.code_qd20 or "") for a in Agency.objects.filter(is_active=True)]
        self.events, self.incoming, self.outgoing = Table(DocumentEvent), Table(IncomingDocument), Table(
            OutgoingDocument)
        self.assignments = Table(Assignment)


def _cumulative(weights):
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def _pick(rng, items, cum):
    return items[bisect.bisect(cum, rng.random() * cum[-1])]


def _moment(rng, day: dt.date, before: dt.datetime | None) -> dt.datetime:
    midnight = dt.datetime(day.year, day.month, day.day, tzinfo=VN_TZ)
    for _ in range(5):
        point = rng.random() * 27000  # 7.5 working hours
        start, span = SESSIONS[0] if point < SESSIONS[0][1] else (SESSIONS[1][0], None)
        second = start + (point if span else point - SESSIONS[0][1])
        at = midnight + dt.timedelta(seconds=int(second))
        if before is None or at < before:
            return at
    return min(midnight + dt.timedelta(hours=7, minutes=30), before - dt.timedelta(seconds=1))


def _uuid(rng) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _day(ctx: _Context, day: dt.date, n_in: int, n_out: int, counters: dict[int, int]) -> dict:
    """Write one working day's documents (inside the caller's transaction); return counts."""
    rng = random.Random(f"{ctx.seed}:documents:{day.isoformat()}")
    now, year = ctx.now, ctx.year
    before = now if day == now.astimezone(VN_TZ).date() else None
    plans = sorted(((_moment(rng, day, before), direction, _pick(rng, ctx.agencies, ctx.cum))
                    for direction, count in (("in", n_in), ("out", n_out)) for _ in range(count)),
                   key=lambda p: p[0])
    incoming, outgoing, events, assignments = [], [], [], []
    in_ids = iter(reserve_ids(IncomingDocument, n_in))
    out_ids = iter(reserve_ids(OutgoingDocument, n_out))
    first = True
    for at, direction, agency in plans:
        staff = ctx.staff[agency.pk].by_role
        dtype = _pick(rng, ctx.types, ctx.type_cum)
        register = ctx.registers[(agency.pk, Direction.INCOMING if direction == "in" else Direction.OUTGOING)]
        value = counters.get(register.pk, 0) + 1
        counters[register.pk] = value
        clerk = rng.choice(staff[Role.CLERK])
        leader = rng.choice(staff[Role.LEADER])
        summary = text.summary(rng, dtype.code, year)
        if direction == "in":
            pk = next(in_ids)
            issuer_name, issuer_abbr, issuer_code = (rng.choice(MINISTRIES) + ("",) if rng.random() < 0.25
                                                     else rng.choice(ctx.issuers))
            issued = day - dt.timedelta(days=rng.randint(0, 4))
            number = str(rng.randint(1, 3500))
            notation = f"{dtype.abbreviation or issuer_abbr}-{issuer_abbr}" if dtype.abbreviation else issuer_abbr
            row = {"id": pk, "uuid": marker(ctx.seed, day) if first else _uuid(rng), "document_type_id": dtype.pk,
                   "type_name": dtype.name, "number": number, "notation": notation,
                   "number_notation": f"{number}/{notation}", "issued_date": issued, "issuer_name": issuer_name,
                   "issuer_code": issuer_code, "summary": summary, "page_count": rng.randint(1, 12),
                   "urgency": Urgency.URGENT if rng.random() < 0.08 else Urgency.NORMAL,
                   "agency_id": agency.pk, "register_id": register.pk, "arrival_year": year, "arrival_number": value,
                   "received_at": at, "channel": Channel.ELECTRONIC if rng.random() < 0.75 else Channel.PAPER,
                   "to_places": "Lãnh đạo cơ quan", "registered_by_id": clerk[0], "created_at": at, "updated_at": at}
            first = False
            events.append({"incoming_id": pk, "action": "registered", "actor_id": clerk[0], "actor_label": clerk[2],
                           "agency_id": agency.pk, "at": at,
                           "note": f"Vào sổ {register.name}, số đến {register.format_number(value)}",
                           "data": {"register": register.name, "arrival_number": value, "year": year, "files": []}})
            _handling(ctx, rng, row, staff, leader, events, assignments)
            incoming.append(row)
        else:
            pk = next(out_ids)
            drafter = rng.choice(staff[Role.SPECIALIST])
            number = register.format_number(value)
            if dtype.abbreviation:
                notation = f"{dtype.abbreviation}-{agency.abbreviation}"
            else:
                unit_code = ctx.unit_codes.get(drafter[1], "")
                notation = f"{agency.abbreviation}-{unit_code}" if unit_code else agency.abbreviation
            full = f"{number}/{notation}"
            drafted = at - dt.timedelta(days=rng.randint(1, 6), minutes=rng.randint(0, 300))
            signed = at - dt.timedelta(minutes=rng.randint(10, 240))
            outgoing.append({
                "id": pk, "uuid": _uuid(rng), "document_type_id": dtype.pk, "type_name": dtype.name,
                "number": number, "notation": notation, "number_notation": full, "issued_date": day,
                "issuer_name": agency.name, "issuer_code": agency.code_qd20 or "", "summary": summary,
                "page_count": rng.randint(1, 8), "signer_position": "Phó Giám đốc" if agency.kind !=
                AgencyKind.COMMUNE else "Phó Chủ tịch", "signer_name": leader[2][:50],
                "issued_amount": rng.randint(3, 30), "agency_id": agency.pk, "drafting_unit_id": drafter[1],
                "drafted_by_id": drafter[0], "status": OutgoingStatus.ISSUED, "signer_id": leader[0],
                "signed_at": signed, "agency_signed_at": at, "agency_signed_by_id": clerk[0],
                "register_id": register.pk, "number_year": year, "number_value": value, "issued_at": at,
                "issued_by_id": clerk[0], "is_electronic": rng.random() < 0.92,
                "external_recipients": "- Như trên;\n- Lưu: VT.", "created_at": drafted, "updated_at": at})
            for action, moment, actor, note, data in (
                    ("draft_created", drafted, drafter, "Tạo dự thảo", {}),
                    ("signed", signed, leader, "Đã ký số", {}),
                    ("issued", at, clerk, f"Phát hành số {full}", {"number_notation": full,
                                                                    "register": str(register.uuid)})):
                events.append({"outgoing_id": pk, "action": action, "actor_id": actor[0], "actor_label": actor[2],
                               "agency_id": agency.pk, "at": moment, "note": note, "data": data})
    assignment_ids = iter(reserve_ids(Assignment, len(assignments)))
    for assignment in assignments:
        assignment["id"] = next(assignment_ids)
    for event in events:
        if "_assignment" in event:
            event["assignment_id"] = event.pop("_assignment")["id"]
    event_ids = iter(reserve_ids(DocumentEvent, len(events)))
    for event in events:
        event["id"] = next(event_ids)
    ctx.incoming.write(incoming)
    ctx.outgoing.write(outgoing)
    ctx.assignments.write(assignments)
    ctx.events.write(events)
    return {"incoming": len(incoming), "outgoing": len(outgoing), "assignments": len(assignments),
            "events": len(events)}


def _handling(ctx, rng, row, staff, leader, events, assignments) -> None:
    """Direction by a leader and completion, as of now (three quarters of the incoming documents)."""
    at, now = row["received_at"], ctx.now
    if rng.random() >= 0.75:  # for information: filed a day later
        done = at + dt.timedelta(days=1)
        if done <= now:
            row.update(status=IncomingStatus.DONE, completed_at=done)
            events.append({"incoming_id": row["id"], "action": "done", "actor_id": leader[0],
                           "actor_label": leader[2], "agency_id": row["agency_id"], "at": done,
                           "note": "Văn bản để biết, lưu hồ sơ"})
        return
    directed = at + dt.timedelta(minutes=rng.randint(20, 600))
    if directed > now:
        return
    specialist = rng.choice(staff[Role.SPECIALIST])
    due = add_working_time(directed, days=10)
    unit_name = ctx.unit_names.get(specialist[1], "Phòng chuyên môn")
    instruction = text.instruction(rng, unit_name, due.astimezone(VN_TZ).strftime("%d/%m/%Y"))
    completed = directed + (due - directed) * (rng.uniform(0.2, 0.95) if rng.random() < 0.93 else rng.uniform(1, 1.6))
    finished = completed <= now
    assignment = {"uuid": _uuid(rng), "incoming_id": row["id"], "role": AssignmentRole.LEAD,
                  "unit_id": specialist[1], "assignee_id": specialist[0], "assigned_by_id": leader[0],
                  "instruction": instruction, "due_at": due, "due_days": 10,
                  "status": AssignmentStatus.DONE if finished else AssignmentStatus.IN_PROGRESS,
                  "completed_at": completed if finished else None, "created_at": directed,
                  "updated_at": completed if finished else directed}
    assignments.append(assignment)
    events.append({"incoming_id": row["id"], "action": "directed", "actor_id": leader[0], "actor_label": leader[2],
                   "agency_id": row["agency_id"], "at": directed, "note": instruction, "_assignment": assignment,
                   "data": {"lead": specialist[2], "due_at": due.isoformat()}})
    if not finished:
        row["status"] = IncomingStatus.IN_PROGRESS
        return
    row.update(status=IncomingStatus.DONE, completed_at=completed)
    events.append({"incoming_id": row["id"], "action": "completed", "actor_id": specialist[0],
                   "actor_label": specialist[2], "agency_id": row["agency_id"], "at": completed,
                   "note": "Đã xử lý xong, báo cáo lãnh đạo", "_assignment": assignment})
    events.append({"incoming_id": row["id"], "action": "done", "actor_id": specialist[0],
                   "actor_label": specialist[2], "agency_id": row["agency_id"], "at": completed,
                   "note": "Hoàn thành xử lý văn bản"})


def working_days(year: int, now: dt.datetime) -> list[dt.date]:
    today = now.astimezone(VN_TZ).date()
    last = min(dt.date(year, 12, 31), today)
    days, day = [], dt.date(year, 1, 1)
    while day <= last:
        if is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    if days and days[-1] == today and now.astimezone(VN_TZ).time() < dt.time(8, 0):
        days.pop()  # today before the offices open: nothing yet
    return days


def documents_generate(*, total: int, year: int, seed: int = 2026, now: dt.datetime | None = None,
                       progress: bool = True, stop_after_days: int | None = None) -> dict:
    """Generate (or finish generating) ``total`` documents of ``year``; see the module docstring.
    ``stop_after_days`` writes that many new days and stops (tests of resuming)."""
    now = now or timezone.now()
    ctx = _Context(year=year, seed=seed, now=now)
    days = working_days(year, now)
    if not days or not ctx.agencies:
        return {"incoming": 0, "outgoing": 0, "assignments": 0, "events": 0, "days_written": 0, "days_skipped": 0}
    rng = random.Random(f"{seed}:documents:volume")
    weights = [rng.uniform(0.8, 1.2) for _ in days]
    scale = total / sum(weights)
    volume, carry = [], 0.0
    for weight in weights:
        exact = weight * scale + carry
        count = int(exact)
        carry = exact - count
        volume.append(count)
    volume[-1] += total - sum(volume)
    written = set(IncomingDocument.objects.filter(uuid__in=[marker(seed, d) for d in days])
                  .values_list("uuid", flat=True))
    totals = defaultdict(int)
    bar = Progress("Văn bản", total, enabled=progress)
    for day, count in zip(days, volume, strict=True):
        if marker(seed, day) in written:
            bar.skip(count)
            totals["days_skipped"] += 1
            continue
        if stop_after_days is not None and totals["days_written"] >= stop_after_days:
            break
        n_in = max(1, round(count * INCOMING_SHARE))
        with transaction.atomic():
            counters = _counters(ctx.registers, year)
            before = dict(counters)
            counts = _day(ctx, day, n_in, max(count - n_in, 0), counters)
            _counters_write({k: v for k, v in counters.items() if before.get(k) != v}, year)
        for key, value in counts.items():
            totals[key] += value
        totals["days_written"] += 1
        bar.update(counts["incoming"] + counts["outgoing"])
    totals["seconds"] = bar.close()
    return dict(totals)
