"""The nine indices of TT 01/2018/TT-VPCP Art. 13, scored 0/1/2, and the classifications of Art. 14–15.

Per dossier (indices 1, 2, 3, 4, 7) from the dossier's own record: its timing, its steps' timings, its
supplement requests and, when the applicant rated it, the applicant's own answers about contacts (Art. 31).
Per unit (indices 5, 6, 8, 9) from the catalogue and the period's dossiers. Where the platform holds no data
for an index (8: feedback/PAKN is not built yet; 6: posting at the office is not recorded) the index says
"chưa có dữ liệu" and carries no number: a made-up score would mislead the yearly ranking.

Index score = sum of the dossier scores / number of dossiers, rounded to one decimal (Art. 14).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from egov.accounts.roles import Role
from egov.directory.models import Agency, AgencyKind
from egov.onestop.models import (
    Channel,
    Dossier,
    DossierStep,
    EventKind,
    OnlineMode,
    ProcessStep,
    Rating,
    StepTiming,
)
from egov.onestop.status import DossierStatus

NO_DATA = "chưa có dữ liệu"

INDEX_NAMES = {
    1: "Tổng thời gian giải quyết so với quy định",
    2: "Thời gian thực hiện của từng cơ quan, đơn vị tham gia giải quyết",
    3: "Số lần người nộp phải liên hệ để hoàn thiện hồ sơ",
    4: "Số cơ quan, đơn vị người nộp phải liên hệ",
    5: "Tổ chức giải quyết thủ tục hành chính tại Bộ phận Một cửa",
    6: "Công khai thủ tục hành chính",
    7: "Thái độ của cán bộ, công chức, viên chức",
    8: "Tiếp nhận, xử lý phản ánh, kiến nghị",
    9: "Cung cấp dịch vụ công trực tuyến",
}
DOSSIER_INDICES = (1, 2, 3, 4, 7)
UNIT_INDICES = (5, 6, 8, 9)
FINISHED = (DossierStatus.DONE, DossierStatus.REJECTED, DossierStatus.RETURNED)
TIMING_SCORE = {StepTiming.EARLY: 2, StepTiming.ON_TIME: 1, StepTiming.LATE: 0}
# Applicant's answers (returns.RATING_QUESTIONS) counted as the applicant's own report of contacts.
CONTACT_ANSWER_SCORE = {"0": 2, "1": 1, "2": 0}
# Index 5 thresholds of Art. 13.5: share of procedures resolved entirely at the one-stop unit.
FULL_AT_ONESTOP_THRESHOLD = {AgencyKind.COMMUNE: Decimal(100), AgencyKind.WARD: Decimal(100),
                             AgencyKind.DISTRICT: Decimal(50)}
DEFAULT_FULL_AT_ONESTOP_THRESHOLD = Decimal(20)


def round1(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class IndexScore:
    number: int
    score: Decimal | None
    count: int = 0
    note: str = ""

    @property
    def name(self) -> str:
        return INDEX_NAMES[self.number]

    @property
    def display(self) -> str:
        return NO_DATA if self.score is None else f"{self.score}".replace(".", ",")


@dataclass
class ScoreReport:
    subject: str
    start: dt.date
    end: dt.date
    dossiers: int
    indices: list[IndexScore] = field(default_factory=list)
    total: Decimal | None = None
    classification: str = ""
    missing: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "subject": self.subject, "start": self.start.isoformat(), "end": self.end.isoformat(),
            "dossiers": self.dossiers, "total": None if self.total is None else str(self.total),
            "classification": self.classification, "missing": self.missing,
            "indices": [{"number": i.number, "name": i.name, "score": None if i.score is None else str(i.score),
                         "count": i.count, "note": i.note or ("" if i.score is not None else NO_DATA)}
                        for i in self.indices],
        }


# --- per dossier -----------------------------------------------------------------------------------------
def _steps_score(steps) -> int | None:
    scores = [TIMING_SCORE[s.timing] for s in steps if s.timing in TIMING_SCORE and s.deadline_at is not None]
    return min(scores) if scores else None


def _processing_steps(dossier: Dossier) -> list[DossierStep]:
    """The work after reception (the first work item is the reception itself, scored at the counter)."""
    steps = sorted(dossier.steps.all(), key=lambda s: s.order)
    return [s for s in steps if s.order != 1 and s.finished_at is not None]


def _rating_answers(dossier: Dossier) -> dict:
    try:
        return dossier.rating.answers or {}
    except Rating.DoesNotExist:
        return {}


def _supplement_requests(dossier: Dossier) -> int:
    count = getattr(dossier, "supplement_requests", None)
    if count is None:
        count = dossier.events.filter(kind=EventKind.REQUEST_SUPPLEMENT).count()
    return count


def dossier_scores(dossier: Dossier, *, steps: list[DossierStep] | None = None) -> dict[int, int | None]:
    """Indices 1, 2, 3, 4 and 7 for one finished dossier (None where it cannot be scored yet).

    ``steps`` narrows index 2 to some steps (an officer's own, a unit's own)."""
    if dossier.status not in FINISHED or not dossier.timing:
        return dict.fromkeys(DOSSIER_INDICES)
    answers = _rating_answers(dossier)
    index1 = TIMING_SCORE.get(dossier.timing)
    index2 = _steps_score(steps if steps is not None else _processing_steps(dossier))
    if answers.get("so_lan_lien_he") in CONTACT_ANSWER_SCORE:
        index3 = CONTACT_ANSWER_SCORE[answers["so_lan_lien_he"]]
    else:
        index3 = CONTACT_ANSWER_SCORE[str(min(_supplement_requests(dossier), 2))]
    if answers.get("so_co_quan") in CONTACT_ANSWER_SCORE:
        index4 = CONTACT_ANSWER_SCORE[answers["so_co_quan"]]
    elif dossier.channel == Channel.ONLINE and dossier.result_delivery in ("online", "post"):
        index4 = 2
    else:
        index4 = 1
    # Index 7: early and no complaint 2, on time and no complaint 1; verified complaints come with PAKN.
    index7 = {StepTiming.EARLY: 2, StepTiming.ON_TIME: 1}.get(dossier.timing, 0)
    return {1: index1, 2: index2, 3: index3, 4: index4, 7: index7}


def _average(values: list[int | None]) -> tuple[Decimal | None, int]:
    present = [v for v in values if v is not None]
    if not present:
        return None, 0
    return round1(Decimal(sum(present)) / Decimal(len(present))), len(present)


def _period(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in local time."""
    tz = timezone.get_default_timezone()
    return (dt.datetime.combine(start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz))


def _finished_dossiers(queryset: QuerySet, start: dt.date, end: dt.date) -> QuerySet:
    lo, hi = _period(start, end)
    return (queryset.filter(status__in=FINISHED, finished_at__gte=lo, finished_at__lt=hi)
            .select_related("rating", "procedure_version")
            .prefetch_related(Prefetch("steps", queryset=DossierStep.objects.order_by("order")))
            .annotate(supplement_requests=Count("events", filter=Q(events__kind=EventKind.REQUEST_SUPPLEMENT),
                                                distinct=True))
            .distinct())


def _check_period(start: dt.date, end: dt.date) -> None:
    from egov.core.errors import DomainError

    if not isinstance(start, dt.date) or not isinstance(end, dt.date) or end < start:
        raise DomainError("invalid_period", "Kỳ đánh giá không hợp lệ: ngày kết thúc phải sau ngày bắt đầu.")


# --- officers (Art. 15.1) -----------------------------------------------------------------------------------
def officer_classification(total: Decimal | None) -> str:
    if total is None:
        return NO_DATA
    if total >= 5:
        return "Hoàn thành 100% nhiệm vụ"
    if total >= Decimal("3.5"):
        return "Hoàn thành từ 70% đến dưới 100% nhiệm vụ"
    return "Hoàn thành dưới 70% nhiệm vụ"


def officer_scores(*, user, start: dt.date, end: dt.date) -> ScoreReport:
    """Indices 1–4 and 7 over the dossiers finished in the period on which ``user`` finished a step;
    index 2 counts only his own steps."""
    _check_period(start, end)
    dossiers = _finished_dossiers(Dossier.objects.filter(steps__finished_by=user), start, end)
    per_index: dict[int, list[int | None]] = {n: [] for n in DOSSIER_INDICES}
    count = 0
    for dossier in dossiers:
        count += 1
        own = [s for s in _processing_steps(dossier) if s.finished_by_id == user.pk]
        for number, value in dossier_scores(dossier, steps=own).items():
            per_index[number].append(value)
    report = ScoreReport(subject=str(user), start=start, end=end, dossiers=count)
    for number in DOSSIER_INDICES:
        score, n = _average(per_index[number])
        report.indices.append(IndexScore(number, score, n))
    present = [i.score for i in report.indices if i.score is not None]
    report.missing = [i.number for i in report.indices if i.score is None]
    report.total = round1(sum(present, Decimal(0))) if present else None
    report.classification = officer_classification(report.total)
    return report


# --- units (Art. 15.2) --------------------------------------------------------------------------------------
def unit_classification(total: Decimal | None) -> str:
    if total is None:
        return NO_DATA
    if total >= 15:
        return "Xuất sắc"
    if total >= 12:
        return "Tốt"
    if total >= 9:
        return "Khá"
    if total >= 6:
        return "Trung bình"
    return "Yếu"


def _full_at_onestop(procedure_version_ids: set[int], agency: Agency) -> IndexScore:
    """Index 5: share of the period's procedures whose every step is done at the one-stop unit itself."""
    if not procedure_version_ids:
        return IndexScore(5, None, 0, NO_DATA)
    steps = ProcessStep.objects.filter(version_id__in=procedure_version_ids, is_consultation=False)
    elsewhere = set(steps.exclude(role=Role.ONESTOP_OFFICER).values_list("version_id", flat=True))
    elsewhere |= set(steps.exclude(agency_code="", agency_kind="").values_list("version_id", flat=True))
    full = len(procedure_version_ids - elsewhere)
    share = Decimal(full * 100) / Decimal(len(procedure_version_ids))
    threshold = FULL_AT_ONESTOP_THRESHOLD.get(agency.kind, DEFAULT_FULL_AT_ONESTOP_THRESHOLD)
    score = 2 if share >= threshold else (1 if full else 0)
    return IndexScore(5, Decimal(score), len(procedure_version_ids),
                      f"{full}/{len(procedure_version_ids)} thủ tục giải quyết trọn tại Bộ phận Một cửa "
                      f"({round1(share)}%, ngưỡng {threshold}%)")


def _disclosure(procedure_ids: set[int]) -> IndexScore:
    """Index 6 needs both forms of disclosure; only the electronic one (the public catalogue) is recorded."""
    from egov.onestop.models import Procedure

    if not procedure_ids:
        return IndexScore(6, None, 0, NO_DATA)
    published = Procedure.objects.filter(pk__in=procedure_ids, is_active=True, current_version__isnull=False).count()
    return IndexScore(6, None, len(procedure_ids),
                      f"{NO_DATA} về niêm yết tại trụ sở; công khai điện tử {published}/{len(procedure_ids)} thủ tục")


def _online(dossiers: list[Dossier], procedure_version_modes: dict[int, str]) -> IndexScore:
    """Index 9: online procedures' share, online dossiers' share, and no late online dossier."""
    if not dossiers:
        return IndexScore(9, None, 0, NO_DATA)
    online = [d for d in dossiers if d.channel == Channel.ONLINE]
    offered = [v for v, mode in procedure_version_modes.items() if mode in (OnlineMode.FULL, OnlineMode.PARTIAL)]
    procedure_share = Decimal(len(offered) * 100) / Decimal(len(procedure_version_modes))
    dossier_share = Decimal(len(online) * 100) / Decimal(len(dossiers))
    late_online = sum(1 for d in online if d.timing == StepTiming.LATE)
    if late_online or dossier_share < 15:
        score = 0
    elif procedure_share >= 20 and dossier_share >= 30:
        score = 2
    else:
        score = 1
    return IndexScore(9, Decimal(score), len(dossiers),
                      f"thủ tục trực tuyến {round1(procedure_share)}%, hồ sơ trực tuyến {round1(dossier_share)}%, "
                      f"hồ sơ trực tuyến trễ hạn: {late_online}")


def unit_scores(*, agency: Agency, start: dt.date, end: dt.date) -> ScoreReport:
    """All nine indices for an agency over the dossiers it received or worked on, finished in the period."""
    _check_period(start, end)
    dossiers = list(_finished_dossiers(
        Dossier.objects.filter(Q(receiving_agency=agency) | Q(steps__agency=agency)), start, end))
    per_index: dict[int, list[int | None]] = {n: [] for n in DOSSIER_INDICES}
    for dossier in dossiers:
        own = [s for s in _processing_steps(dossier) if s.agency_id == agency.pk]
        for number, value in dossier_scores(dossier, steps=own).items():
            per_index[number].append(value)
    scores: dict[int, IndexScore] = {}
    for number in DOSSIER_INDICES:
        score, n = _average(per_index[number])
        scores[number] = IndexScore(number, score, n)
    received = [d for d in dossiers if d.receiving_agency_id == agency.pk]
    modes = {d.procedure_version_id: d.procedure_version.online_mode for d in received}
    scores[5] = _full_at_onestop(set(modes), agency)
    scores[6] = _disclosure({d.procedure_id for d in received})
    scores[8] = IndexScore(8, None, 0, f"{NO_DATA} (phân hệ phản ánh, kiến nghị chưa vận hành)")
    scores[9] = _online(received, modes)
    report = ScoreReport(subject=agency.name, start=start, end=end, dossiers=len(dossiers),
                         indices=[scores[n] for n in sorted(scores)])
    present = [i.score for i in report.indices if i.score is not None]
    report.missing = [i.number for i in report.indices if i.score is None]
    report.total = round1(sum(present, Decimal(0))) if present else None
    report.classification = unit_classification(report.total)
    if report.missing and report.total is not None:
        report.classification += f" (tạm tính trên {9 - len(report.missing)}/9 chỉ số)"
    return report
