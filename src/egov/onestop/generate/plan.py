"""What a generated day holds: which procedures are asked for where, when each dossier is received, processed,
finished and returned, and the rows (dicts) of its dossier, steps and events as of now.

The rules are the real ones: due dates from ``reception.dossier_due``, step deadlines from
``processing.step_deadline`` (with the 15:00 cut-off when a step crosses to another agency), the agency of a step
from ``processing.step_agency``, early / on time / late from ``workflow.timing_of``; the daily aggregates are
counted as ``workflow.stats_on_transition`` counts them.
"""

import bisect
import datetime as dt
import math
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from egov.core.errors import DomainError
from egov.core.generate.names import People, cumulative
from egov.directory.models import Agency, AgencyKind
from egov.onestop.models import Channel, EventKind, OnlineMode, Procedure, StepTiming
from egov.onestop.processing import step_agency, step_deadline
from egov.onestop.reception import dossier_due
from egov.onestop.status import DossierStatus
from egov.workdays.services import effective_receipt, is_working_day

VN_TZ = dt.timezone(dt.timedelta(hours=7))  # Vietnam keeps UTC+7 all year
MARKER_NAMESPACE = uuid.UUID("5b0f6a1e-4c5e-4d8a-9a57-0e2f6b7c1d93")

# Relative yearly volume of the demo catalogue's procedures (certified copies and civil status fill a province's
# one-stop counters); a procedure not listed weighs 1.
PROCEDURE_WEIGHTS = {
    "2.000815": 30, "2.000884": 8, "2.001035": 2, "2.001019": 0.3,
    "1.001193": 8, "1.000894": 3, "1.000656": 2, "1.004873": 5, "1.004859": 1, "1.004884": 0.5,
    "1.001022": 0.3, "1.004837": 0.1, "2.000635": 4, "2.000986": 2,
    "1.004222": 4, "1.004194": 4, "1.010038": 1,
    "1.013978": 2, "1.012783": 3, "1.013831": 5, "1.013992": 1, "1.013949": 0.3,
    "1.013225": 1, "1.013236": 0.1, "1.013227": 0.2,
    "1.001612": 1.5, "2.000720": 0.8, "1.001266": 0.4, "2.001610": 0.3, "2.001583": 0.6, "1.005280": 0.1,
    "3.000333": 2, "3.000348": 2, "1.004088": 0.3, "1.003650": 0.3, "1.004359": 0.3, "1.013076": 1,
    "1.000703": 0.2, "1.002211": 0.05, "2.001263": 0.05,
}
BUSINESS_FIELDS = {"doanh-nghiep", "hop-tac-xa", "duong-bo", "thuy-san", "xay-dung"}
# Share of dossiers submitted online by the procedure's online mode; some of the rest come by post.
ONLINE_SHARE = {OnlineMode.FULL: 0.85, OnlineMode.PARTIAL: 0.6, OnlineMode.NONE: 0.0}
POST_SHARE = 0.04
P_REFUSED = 0.015        # refused at reception
P_WITHDRAWN = 0.008      # withdrawn by the applicant on the way
P_STOPPED = 0.003        # processing stopped
P_REJECTED = 0.012       # refused after appraisal (a written refusal is the result)
P_LATE = 0.06
P_EARLY = 0.64           # of those not late; the rest on the due day
P_SUPPLEMENT_NOW = 0.12  # of the dossiers being processed now: waiting for the applicant's supplement
REFUSAL_REASONS = [
    "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan; hướng dẫn nộp tại cơ quan có thẩm quyền.",
    "Người nộp không đủ điều kiện thực hiện thủ tục theo quy định.",
    "Giấy tờ trong hồ sơ không hợp lệ (bản sao không có chứng thực, không xuất trình được bản chính).",
]
SUPPLEMENT_ITEMS = ["Bản sao có chứng thực Giấy chứng nhận quyền sử dụng đất", "Sơ đồ vị trí thửa đất",
                    "Văn bản ủy quyền có chứng thực", "Tờ khai ghi đầy đủ thông tin, có chữ ký của người yêu cầu"]
FINISHED_COLUMN = {StepTiming.EARLY: "finished_early", StepTiming.ON_TIME: "finished_on_time",
                   StepTiming.LATE: "finished_late"}
SUBMIT_NOTE = {Channel.ONLINE: "Nộp hồ sơ trực tuyến", Channel.POST: "Nộp hồ sơ qua bưu chính công ích",
               Channel.COUNTER: "Nộp hồ sơ trực tiếp tại Bộ phận Một cửa"}
RETURN_LABEL = {"online": "trực tuyến", "post": "qua bưu chính", "counter": "tại Bộ phận Một cửa"}


# --- the catalogue ---------------------------------------------------------------------------------------------
@dataclass
class StepSpec:
    process_step_id: int | None
    name: str
    days: Decimal | int | None
    hours: int | None
    agency_kind: str
    agency_code: str
    weight: float


@dataclass
class ProcedureSpec:
    procedure_id: int
    code: str
    version_id: int
    version: object
    weight: float
    online_share: float
    reception: StepSpec | None
    middle: list[StepSpec]
    closing: StepSpec | None
    receivers: list[Agency]
    receiver_cum: list[float]
    business: bool
    zero_day: bool


def _days_value(value):
    """Whole days as int (the workdays service's fast path), half days as Decimal."""
    if value is None:
        return None
    number = Decimal(value)
    return int(number) if number == number.to_integral_value() else number


def _is_onestop_step(ps) -> bool:
    return ps.role == "onestop_officer" and not ps.agency_code and not ps.agency_kind


def catalogue_specs(rng: random.Random) -> list[ProcedureSpec]:
    """Active procedures with a time limit, their process, and the agencies that receive them (weighted)."""
    agencies = list(Agency.objects.filter(is_active=True))
    local = sorted((a for a in agencies if a.kind in (AgencyKind.COMMUNE, AgencyKind.WARD)), key=lambda a: a.code)
    # Communes and wards differ in population: a fixed, seeded weight each (wards larger).
    local_weights = [(2.0 if a.kind == AgencyKind.WARD else 1.0) * rng.uniform(0.4, 1.6) for a in local]
    centre = next((a for a in agencies if a.code == "TTPVHCC"), None)
    departments = sorted((a for a in agencies if a.kind == AgencyKind.DEPARTMENT), key=lambda a: a.code)
    by_code = {a.code.upper(): a for a in agencies}
    specs = []
    for procedure in (Procedure.objects.filter(is_active=True, current_version__isnull=False)
                      .select_related("current_version", "field").order_by("code")):
        version = procedure.current_version
        if version.processing_days is None and not version.processing_hours:
            continue  # reception refuses procedures without a legal time limit
        steps = list(version.steps.filter(is_consultation=False).order_by("order"))
        converted = [StepSpec(ps.pk, ps.name[:255], _days_value(ps.allotted_days), ps.allotted_hours,
                              ps.agency_kind or "", ps.agency_code or "",
                              float(ps.allotted_hours or 0) / 8 + float(ps.allotted_days or 0) or 0.5)
                     for ps in steps]
        reception = converted.pop(0) if steps and _is_onestop_step(steps[0]) else None
        closing = converted.pop() if converted and len(steps) > 1 and _is_onestop_step(steps[-1]) else None
        levels = set(procedure.level.split(","))
        receivers, weights = [], []
        if "tinh" in levels:
            named = next((by_code.get(s.agency_code.upper()) for s in converted if s.agency_code), None)
            receiver = named or centre or (departments[0] if departments else None)
            if receiver is not None:
                receivers.append(receiver)
                weights.append((sum(local_weights) or 1.0) * (0.25 if "xa" in levels else 1.0))
        if "xa" in levels:
            receivers.extend(local)
            weights.extend(local_weights)
        if not receivers:
            continue
        total_hours = float(version.processing_days or 0) * 8 + float(version.processing_hours or 0)
        specs.append(ProcedureSpec(
            procedure_id=procedure.pk, code=procedure.code, version_id=version.pk, version=version,
            weight=PROCEDURE_WEIGHTS.get(procedure.code, 1.0), online_share=ONLINE_SHARE.get(version.online_mode, 0),
            reception=reception, middle=converted, closing=closing, receivers=receivers,
            receiver_cum=cumulative(weights),
            business=(procedure.field.code if procedure.field_id else "") in BUSINESS_FIELDS,
            zero_day=total_hours < 8,
        ))
    if not specs:
        raise DomainError("empty_catalogue", "Danh mục chưa có thủ tục đang áp dụng kèm thời hạn giải quyết: hãy nạp "
                                             "danh mục (manage.py onestop_load_demo) trước khi sinh hồ sơ.")
    return specs


# --- the calendar ----------------------------------------------------------------------------------------------
class WorkingDays:
    """Working days as sorted ordinals (bisect) and plausible moments inside office hours."""

    SESSIONS = ((7 * 60 + 30, 11 * 60 + 30), (13 * 60 + 30, 17 * 60))

    def __init__(self, first: dt.date, last: dt.date):
        self.days = [o for o in range(first.toordinal(), last.toordinal() + 1)
                     if is_working_day(dt.date.fromordinal(o))]

    def between(self, first: dt.date, last: dt.date) -> list[int]:
        lo = bisect.bisect_left(self.days, first.toordinal())
        hi = bisect.bisect_right(self.days, last.toordinal())
        return self.days[lo:hi]

    def nth_after(self, day: dt.date, n: int) -> dt.date:
        index = bisect.bisect_right(self.days, day.toordinal()) + n - 1
        return dt.date.fromordinal(self.days[min(index, len(self.days) - 1)])

    def moment(self, rng: random.Random, day: dt.date, *, after: dt.datetime | None = None,
               before: dt.datetime | None = None) -> dt.datetime | None:
        """A moment in the office hours of ``day``, at least 10 minutes after ``after``, before ``before``."""
        midnight = dt.datetime(day.year, day.month, day.day, tzinfo=VN_TZ)
        windows = []
        for start, end in self.SESSIONS:
            a = midnight + dt.timedelta(minutes=start)
            b = midnight + dt.timedelta(minutes=end)
            if after is not None and a < after + dt.timedelta(minutes=10):
                a = after + dt.timedelta(minutes=10)
            if before is not None and b > before:
                b = before
            if b > a:
                windows.append((a, (b - a).total_seconds()))
        if not windows:
            return None
        point = rng.random() * sum(span for _, span in windows)
        for a, span in windows:
            if point <= span:
                return a + dt.timedelta(seconds=int(point))
            point -= span
        return windows[-1][0]


def local_date(value: dt.datetime) -> dt.date:
    return value.astimezone(VN_TZ).date()


def timing_of(finished: dt.datetime, deadline: dt.datetime | None) -> str:
    """``workflow.timing_of`` on Vietnam's fixed offset, without the per-call lookup of the active time zone (the
    hot loop calls it several times per dossier; ``test_statistics_generate`` checks both agree)."""
    if deadline is None:
        return StepTiming.ON_TIME
    if finished > deadline:
        return StepTiming.LATE
    if local_date(finished) < local_date(deadline):
        return StepTiming.EARLY
    return StepTiming.ON_TIME


def volume_by_day(days: list[int], n: int, rng: random.Random) -> dict[int, int]:
    """Split ``n`` over the receipt days (largest remainders): Mondays and the year's two ends busier."""
    weights = []
    for o in days:
        day = dt.date.fromordinal(o)
        weight = 1.25 if day.weekday() == 0 else (0.85 if day.weekday() == 4 else 1.0)
        if day.month in (1, 12):
            weight *= 1.15
        weights.append(weight * rng.uniform(0.9, 1.1))
    total = sum(weights) or 1.0
    exact = [n * w / total for w in weights]
    counts = [math.floor(x) for x in exact]
    for index in sorted(range(len(days)), key=lambda i: exact[i] - counts[i], reverse=True)[:n - sum(counts)]:
        counts[index] += 1
    return dict(zip(days, counts, strict=True))


# --- one day's rows --------------------------------------------------------------------------------------------
@dataclass
class DayRows:
    dossiers: list[dict] = field(default_factory=list)
    steps: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    sequences: dict[int, int] = field(default_factory=dict)
    registers: dict[int, int] = field(default_factory=dict)
    stats: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))


class DayPlanner:
    """Builds the rows of the dossiers received on one day, as they stand at ``now``."""

    def __init__(self, *, year: int, seed: int, now: dt.datetime, code_layout: tuple[str, str, int, int]):
        self.year = year
        self.seed = seed
        self.now = now
        self.code_field, self.date_format, self.digits, self.daily_limit = code_layout
        self.specs = catalogue_specs(random.Random(f"{seed}:catalogue"))
        self._on_day: dict[tuple, tuple[list[ProcedureSpec], list[float]]] = {}
        self.calendar = WorkingDays(dt.date(year - 1, 12, 1), dt.date(year + 1, 6, 30))
        self._step_agency: dict[tuple, Agency] = {}
        self._places: dict[int, str] = {}

    def specs_on(self, day: dt.date) -> tuple[list[ProcedureSpec], list[float]]:
        """The procedures whose version in force was valid on ``day`` (reception refuses the others), weighted."""
        valid = tuple(i for i, s in enumerate(self.specs) if s.version.valid_from <= day
                      and (s.version.valid_to is None or s.version.valid_to >= day))
        found = self._on_day.get(valid)
        if found is None:
            specs = [self.specs[i] for i in valid]
            found = self._on_day[valid] = (specs, cumulative(s.weight for s in specs))
        return found

    def receivers(self) -> list[Agency]:
        return list({a.pk: a for spec in self.specs for a in spec.receivers}.values())

    def marker(self, day: dt.date) -> uuid.UUID:
        """The UUID of the first dossier of ``day``: its presence means the day was written."""
        return uuid.uuid5(MARKER_NAMESPACE, f"{self.seed}:{day.isoformat()}")

    def _agency_of(self, spec: StepSpec | None, receiving: Agency) -> Agency:
        if spec is None or (not spec.agency_code and not spec.agency_kind):
            return receiving
        key = (spec.process_step_id, receiving.pk)
        agency = self._step_agency.get(key)
        if agency is None:
            step = SimpleNamespace(agency_code=spec.agency_code, agency_kind=spec.agency_kind, name=spec.name)
            try:
                agency = step_agency(step, SimpleNamespace(receiving_agency=receiving))
            except DomainError:
                agency = receiving
            self._step_agency[key] = agency
        return agency

    def _place(self, agency: Agency) -> str:
        place = self._places.get(agency.pk)
        if place is None:
            local = agency.kind in (AgencyKind.COMMUNE, AgencyKind.WARD)
            place = agency.name.replace("Ủy ban nhân dân ", "") if local else "phường An Xuyên"
            self._places[agency.pk] = place
        return place

    def _finish_moment(self, rng, received: dt.datetime, due: dt.datetime, category: str) -> dt.datetime:
        cal = self.calendar
        due_day = local_date(due)
        if category == "early":
            days = cal.between(local_date(received), due_day - dt.timedelta(days=1))
            for _ in range(3):  # most finish in the last days before the due day, some much earlier
                if not days:
                    break
                index = len(days) - 1 - min(int(rng.expovariate(0.6)), len(days) - 1)
                moment = cal.moment(rng, dt.date.fromordinal(days[index]), after=received)
                if moment is not None:
                    return moment
            category = "on_time"
        if category == "on_time":
            moment = cal.moment(rng, due_day, after=received, before=due)
            if moment is not None:
                return moment
        day = cal.nth_after(due_day, 1 + min(int(rng.expovariate(0.35)), 25))
        return cal.moment(rng, day, after=due) or cal.moment(rng, cal.nth_after(day, 1))

    def _return_moment(self, rng, finished: dt.datetime) -> dt.datetime:
        cal = self.calendar
        if rng.random() < 0.45:
            moment = cal.moment(rng, local_date(finished), after=finished)
            if moment is not None:
                return moment
        return cal.moment(rng, cal.nth_after(local_date(finished), 1 + min(int(rng.expovariate(0.8)), 6)))

    def day(self, day: dt.date, count: int, *, registers: dict[int, int]) -> DayRows:
        """The rows of ``count`` dossiers received on ``day``; ``registers`` (agency → last register number of
        the year) is advanced in place."""
        rng = random.Random(f"{self.seed}:{day.isoformat()}")
        people = People(rng)
        out = DayRows()
        plans = []
        specs, spec_cum = self.specs_on(day)
        before = self.now if day == local_date(self.now) else None  # today: only moments already past
        for _ in range(count):
            spec = specs[bisect.bisect(spec_cum, rng.random() * spec_cum[-1])]
            agency = spec.receivers[bisect.bisect(spec.receiver_cum, rng.random() * spec.receiver_cum[-1])]
            plans.append((self.calendar.moment(rng, day, before=before), spec, agency))
        plans.sort(key=lambda plan: plan[0])
        for index, (received, spec, agency) in enumerate(plans):
            marker = self.marker(day) if index == 0 else uuid.UUID(int=rng.getrandbits(128), version=4)
            _Dossier(self, rng, people, out, registers, received=received, spec=spec, agency=agency,
                     dossier_uuid=marker).build()
        return out


class _Dossier:
    """One dossier's life, cut at ``now``."""

    def __init__(self, planner: DayPlanner, rng, people, out: DayRows, registers, *, received, spec: ProcedureSpec,
                 agency: Agency, dossier_uuid):
        self.p, self.rng, self.people, self.out, self.registers = planner, rng, people, out, registers
        self.received, self.spec, self.agency = received, spec, agency
        self.steps: list[dict] = []
        self.events: list[dict] = []
        self.row = {"uuid": dossier_uuid, "procedure_version_id": spec.version_id, "procedure_id": spec.procedure_id,
                    "receiving_agency_id": agency.pk, "current_agency_id": agency.pk, "form_data": {},
                    "_steps": self.steps, "_events": self.events}

    # -- rows ----------------------------------------------------------------------------------------------------
    def event(self, kind, at, *, from_status="", to_status="", step=None, deadline=None, note="", data=None,
              agency_id=None, public=True) -> None:
        self.events.append({
            "seq": len(self.events) + 1, "at": at, "kind": kind, "from_status": from_status, "to_status": to_status,
            "agency_id": agency_id or (step["agency_id"] if step is not None else self.row["current_agency_id"]),
            "_step": step, "deadline_at": deadline, "note": note, "data": data or {}, "public": public,
        })

    def new_step(self, spec: StepSpec | None, start, *, crossing_from=None, cutoff=False, name="") -> dict:
        agency = self.p._agency_of(spec, self.agency)
        crossing = cutoff or (crossing_from is not None and crossing_from != agency.pk)
        deadline = (step_deadline(start=start, days=spec.days, hours=spec.hours, agency=agency, apply_cutoff=crossing)
                    if spec is not None else None)
        step = {"uuid": uuid.UUID(int=self.rng.getrandbits(128), version=4), "order": len(self.steps) + 1,
                "process_step_id": spec.process_step_id if spec else None, "name": spec.name if spec else name,
                "agency_id": agency.pk, "started_at": start, "deadline_at": deadline, "finished_at": None,
                "outcome": "", "timing": ""}
        self.steps.append(step)
        return step

    @staticmethod
    def finish(step: dict, at, outcome: str) -> None:
        step["finished_at"], step["outcome"] = at, outcome
        step["timing"] = timing_of(at, step["deadline_at"])

    def count(self, column: str, day: dt.date | None = None) -> None:
        key = (day or local_date(self.received), self.agency.pk, self.spec.procedure_id, self.row["channel"])
        self.out.stats[key][column] += 1

    def emit(self) -> None:
        self.out.dossiers.append(self.row)
        self.out.steps.extend(self.steps)
        self.out.events.extend(self.events)

    # -- the story -----------------------------------------------------------------------------------------------
    def _applicant(self) -> None:
        rng, people, row = self.rng, self.people, self.row
        if self.spec.business and rng.random() < 0.7:
            name, id_number = people.business()
            kind = "business"
        else:
            name, female = people.person()
            id_number, kind = people.id_number(female), "person"
        row.update(applicant_kind=kind, applicant_name=name, applicant_id_number=id_number,
                   applicant_address=people.address(self.p._place(self.agency)), applicant_phone=people.phone(),
                   applicant_email=(f"{id_number[-6:]}.{rng.randint(10, 99)}@gmail.com"
                                    if row["channel"] == Channel.ONLINE and rng.random() < 0.6 else ""))

    def _submission(self) -> dt.datetime:
        rng, received, spec = self.rng, self.received, self.spec
        roll = rng.random()
        channel = (Channel.ONLINE if roll < spec.online_share else
                   Channel.POST if roll < spec.online_share + POST_SHARE else Channel.COUNTER)
        if channel == Channel.ONLINE:
            submitted = received - dt.timedelta(minutes=rng.randint(20, 60 * 20))
            delivery = "online" if rng.random() < 0.3 else "counter"
        elif channel == Channel.POST:
            submitted = received - dt.timedelta(days=rng.randint(1, 3), minutes=rng.randint(0, 600))
            delivery = "post"
        else:
            submitted, delivery = received, "counter"
        self.row.update(channel=channel, submitted_at=submitted, result_delivery=delivery)
        return submitted

    def build(self) -> None:
        rng, row, received, agency, spec, now = self.rng, self.row, self.received, self.agency, self.spec, self.p.now
        submitted = self._submission()
        self._applicant()
        self.event(EventKind.SUBMIT, submitted, to_status=DossierStatus.SUBMITTED, note=SUBMIT_NOTE[row["channel"]])
        if rng.random() < P_REFUSED:
            reason = rng.choice(REFUSAL_REASONS)
            row["status"] = DossierStatus.REFUSED
            self.event(EventKind.REFUSE, received, from_status=DossierStatus.SUBMITTED,
                       to_status=DossierStatus.REFUSED, note=reason, data={"reason": reason, "form": "03"})
            self.count("refused", day=local_date(submitted))  # never received: counted on its submission day
            return self.emit()

        # Accepted: code, register number, due date, the reception step and the first processing step.
        number = self.out.sequences.get(agency.pk, 0) + 1
        if number > self.p.daily_limit:
            raise DomainError("dossier_sequence_exhausted",
                              f"Vượt quá số thứ tự cấp mã hồ sơ trong ngày của {agency.name}.")
        self.out.sequences[agency.pk] = number
        register = self.registers.get(agency.pk, 0) + 1
        self.registers[agency.pk] = self.out.registers[agency.pk] = register
        prefix = getattr(agency, self.p.code_field)
        due = dossier_due(spec.version, received, agency)
        row.update(code=f"{prefix}-{received.astimezone(VN_TZ).strftime(self.p.date_format)}-"
                        f"{number:0{self.p.digits}d}",
                   register_number=register, received_at=received,
                   clock_start_at=effective_receipt(received, agency=agency), original_due_at=due, due_at=due,
                   status=DossierStatus.RECEIVED)
        reception = self.new_step(spec.reception, received, name="Tiếp nhận hồ sơ")
        self.finish(reception, received, "received")
        middle = spec.middle or [None]
        current = self.new_step(middle[0], received, cutoff=True, name="Giải quyết hồ sơ")
        if current["deadline_at"] is None:
            current["deadline_at"] = due
        row["current_agency_id"] = current["agency_id"]
        self.event(EventKind.RECEIVE, received, from_status=DossierStatus.SUBMITTED, to_status=DossierStatus.RECEIVED,
                   step=reception, deadline=due,
                   note=f"Tiếp nhận hồ sơ, hẹn trả kết quả {due.astimezone(VN_TZ):%H:%M ngày %d/%m/%Y}",
                   data={"code": row["code"], "register_number": register, "due_at": due.isoformat(),
                         "next_step": current["name"], "form": "01"})
        self.count("received")

        # The plan: how it ends and when, then what of it has happened by now.
        roll = rng.random()
        ending = ("withdraw" if roll < P_WITHDRAWN else "stop" if roll < P_WITHDRAWN + P_STOPPED else
                  "reject" if roll < P_WITHDRAWN + P_STOPPED + P_REJECTED else "approve")
        category = "late" if rng.random() < P_LATE else ("early" if rng.random() < P_EARLY else "on_time")
        if spec.zero_day and category == "early":
            category = "on_time"
        finished = self.p._finish_moment(rng, received, due, category)
        start_processing = min(received + dt.timedelta(minutes=rng.randint(5, 120)), finished)
        weights = [(s.weight if s is not None else 1.0) * rng.uniform(0.6, 1.4) for s in middle]
        span, total, acc, bounds = (finished - received).total_seconds(), sum(weights), 0.0, []
        for weight in weights[:-1]:
            acc += weight / total
            bounds.append(max(received + dt.timedelta(seconds=int(span * acc)), start_processing))
        cut = (received + dt.timedelta(seconds=int(span * rng.uniform(0.1, 0.9)))
               if ending in ("withdraw", "stop") else None)

        def happened(at) -> bool:
            return at <= now and (cut is None or at < cut)

        status = DossierStatus.RECEIVED
        if happened(start_processing):
            self.event(EventKind.TRANSFER, start_processing, from_status=status, to_status=DossierStatus.PROCESSING,
                       step=current, deadline=current["deadline_at"], note=f"Bắt đầu xử lý: {current['name']}")
            status = DossierStatus.PROCESSING
            for step_spec, at in zip(middle[1:], bounds, strict=True):
                if not happened(at):
                    break
                self.finish(current, at, "done")
                following = self.new_step(step_spec, at, crossing_from=current["agency_id"])
                self.event(EventKind.TRANSFER, at, from_status=status, to_status=DossierStatus.PROCESSING,
                           step=following, deadline=following["deadline_at"], note=f"Chuyển bước “{following['name']}”",
                           data={"from_step": current["order"], "from_timing": current["timing"]})
                current = following
        row["_current"] = current
        row["current_agency_id"] = current["agency_id"]
        row["status"] = status
        if cut is not None and cut <= now:
            return self._cut_short(ending, cut, status)
        if finished > now or cut is not None:
            if status == DossierStatus.PROCESSING and rng.random() < P_SUPPLEMENT_NOW:
                last = self.events[-1]["at"]
                asked = last + (now - last) * rng.uniform(0.1, 0.9)
                self.event(EventKind.REQUEST_SUPPLEMENT, asked, from_status=status,
                           to_status=DossierStatus.SUPPLEMENT, step=current, note="Đề nghị bổ sung hồ sơ",
                           data={"items": [rng.choice(SUPPLEMENT_ITEMS)], "form": "02"})
                row.update(status=DossierStatus.SUPPLEMENT, paused_at=asked)
            return self.emit()
        return self._finish(ending, current, finished, due)

    def _cut_short(self, ending: str, cut: dt.datetime, status: str) -> None:
        for step in self.steps:
            if step["finished_at"] is None:
                self.finish(step, cut, "withdrawn" if ending == "withdraw" else "stopped")
        self.row["_current"] = None
        if ending == "withdraw":
            self.event(EventKind.WITHDRAW, cut, from_status=status, to_status=DossierStatus.WITHDRAWN,
                       note="Người nộp có đơn đề nghị rút hồ sơ", data={"reason": "Người nộp đề nghị rút hồ sơ"})
            self.row["status"] = DossierStatus.WITHDRAWN
            self.count("withdrawn")
        else:
            reason = "Dừng xử lý theo đề nghị của cơ quan có thẩm quyền"
            self.event(EventKind.STOP, cut, from_status=status, to_status=DossierStatus.STOPPED, note=reason,
                       data={"reason": reason})
            self.row["status"] = DossierStatus.STOPPED
        return self.emit()

    def _finish(self, ending: str, current: dict, finished: dt.datetime, due: dt.datetime) -> None:
        row, rng = self.row, self.rng
        self.finish(current, finished, "rejected" if ending == "reject" else "approved")
        timing = timing_of(finished, due)
        row.update(finished_at=finished, timing=timing)
        if timing == StepTiming.LATE:
            timed = [s for s in self.steps if s["deadline_at"] is not None and s["finished_at"] is not None]
            late = [s for s in timed if s["timing"] == StepTiming.LATE]
            row["_late"] = late[0] if late else (max(timed, key=lambda s: s["finished_at"] - s["deadline_at"])
                                                 if timed else None)
        closing = (self.new_step(self.spec.closing, finished, crossing_from=current["agency_id"])
                   if self.spec.closing is not None else None)
        row["_current"] = closing
        row["current_agency_id"] = closing["agency_id"] if closing is not None else self.agency.pk
        if ending == "reject":
            done = DossierStatus.REJECTED
            reason = "Hồ sơ không đủ điều kiện giải quyết theo quy định sau khi thẩm định."
            self.event(EventKind.REJECT, finished, from_status=DossierStatus.PROCESSING, to_status=done, step=current,
                       note=reason, data={"reason": reason, "timing": timing, "result": "refusal"})
        else:
            done = DossierStatus.DONE
            late = row.get("_late")
            self.event(EventKind.APPROVE, finished, from_status=DossierStatus.PROCESSING, to_status=done,
                       step=current, deadline=due, note="Đã xử lý xong, chuyển kết quả về Bộ phận Một cửa.",
                       data={"timing": timing, "due_at": due.isoformat(),
                             "late_step": late["order"] if late else None})
        row["status"] = done
        self.count(FINISHED_COLUMN[timing])
        returned = self.p._return_moment(rng, finished)
        if returned <= self.p.now:
            if closing is not None:
                self.finish(closing, returned, "returned")
            way = row["result_delivery"] if row["result_delivery"] in RETURN_LABEL else "counter"
            self.event(EventKind.RETURN, returned, from_status=done, to_status=DossierStatus.RETURNED, step=closing,
                       note=f"Đã trả kết quả: {RETURN_LABEL[way]}", data={"channel": way}, agency_id=self.agency.pk)
            row.update(returned_at=returned, status=DossierStatus.RETURNED, current_agency_id=self.agency.pk)
            row["_current"] = None
            self.count("returned")
        return self.emit()
