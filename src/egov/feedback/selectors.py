"""Reads: the register, overdue and due-soon lists, the on-time rate (SPEC §8), the public status by code and
the published Q&A list (searchable without diacritics)."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from egov.core.errors import NotFound
from egov.directory.models import Agency
from egov.directory.selectors import fold_text
from egov.eservices.lookup import mask_name
from egov.feedback.conf import due_soon_working_days
from egov.feedback.models import ANSWERED_STATUSES, OPEN_STATUSES, Feedback, FeedbackEvent, Status
from egov.feedback.policies import feedback_visible_to
from egov.feedback.services import CODE_RE, normalize_code
from egov.workdays.services import add_working_time

NOT_FOUND_MESSAGE = ("Không tìm thấy phản ánh, kiến nghị có mã này. Vui lòng kiểm tra lại mã theo dõi "
                     "(dạng PAKN-2026-XXXXXXX) trong thư xác nhận hoặc trên màn hình sau khi gửi.")


def agency_by_uuid(value) -> Agency | None:
    """An active agency of the directory by its UUID (forms and the API send UUIDs, never pks)."""
    try:
        key = uuid.UUID(str(value))
    except ValueError:
        return None
    return Agency.objects.filter(uuid=key, is_active=True).first()


def _base(user) -> QuerySet:
    return feedback_visible_to(user, Feedback.objects.select_related("agency", "forwarded_from"))


def feedback_register(user, *, status: str = "", kind: str = "", q: str = "", year: int | None = None) -> QuerySet:
    qs = _base(user)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(Q(register_year=year) | Q(register_year__isnull=True, submitted_at__year=year))
    q = (q or "").strip()
    if q:
        folded = fold_text(q)
        qs = qs.filter(Q(code__iexact=normalize_code(q)) | Q(search_text__contains=folded)
                       | Q(sender_name__icontains=q))
    return qs.order_by("-submitted_at")


def feedback_overdue(user, *, now: dt.datetime | None = None) -> QuerySet:
    """Open items past their answer deadline, or received items not classified by the forward deadline."""
    now = now or timezone.now()
    return _base(user).filter(Q(status__in=OPEN_STATUSES, due_at__lt=now)
                              | Q(status=Status.DA_TIEP_NHAN, forward_due_at__lt=now)).order_by("due_at")


def feedback_due_soon(user, *, now: dt.datetime | None = None) -> QuerySet:
    now = now or timezone.now()
    horizon = add_working_time(now, days=due_soon_working_days(), apply_cutoff=False)
    return _base(user).filter(status__in=OPEN_STATUSES, due_at__gte=now, due_at__lte=horizon).order_by("due_at")


@dataclass(frozen=True)
class OnTimeRate:
    closed: int
    on_time: int
    forwarded: int
    forwarded_on_time: int

    @property
    def rate(self) -> float | None:
        """PAKN answered within SLA / PAKN closed (SPEC §8), in percent; None without closed items."""
        return round(100 * self.on_time / self.closed, 1) if self.closed else None

    @property
    def forward_rate(self) -> float | None:
        return round(100 * self.forwarded_on_time / self.forwarded, 1) if self.forwarded else None


def feedback_on_time_rate(user, *, start: dt.datetime, end: dt.datetime, agency=None) -> OnTimeRate:
    """Items answered in [start, end) and how many by their deadline; forwards made in the period likewise.

    ``user=None`` counts the whole province (counts only, for the KPI reports); otherwise what the user sees."""
    qs = Feedback.objects.all() if user is None else _base(user)
    answered = qs.filter(status__in=ANSWERED_STATUSES, answered_at__gte=start, answered_at__lt=end)
    if agency is not None:
        answered = answered.filter(agency=agency)
    # A forward is counted against the agency that forwarded (it held the 5-day deadline).
    visible = Feedback.objects.all() if user is None else feedback_visible_to(user, Feedback.objects.all())
    forwards = FeedbackEvent.objects.filter(feedback__in=visible,
                                            action="classify", to_status=Status.CHUYEN_CO_QUAN_KHAC,
                                            at__gte=start, at__lt=end)
    if agency is not None:
        forwards = forwards.filter(agency=agency)
    forwarded = forwards.count()
    forwarded_on_time = sum(1 for at, due in forwards.values_list("at", "due_at") if due and at <= due)
    closed = answered.count()
    on_time = sum(1 for at, due in answered.values_list("answered_at", "due_at") if due and at <= due)
    return OnTimeRate(closed=closed, on_time=on_time, forwarded=forwarded, forwarded_on_time=forwarded_on_time)


# --- public ----------------------------------------------------------------------------------------------
PUBLIC_EVENTS = {"submit": "Đã gửi", "receive": "Đã tiếp nhận, vào sổ", "classify": "Đã phân loại",
                 "request_info": "Đề nghị bổ sung thông tin", "resume": "Tiếp tục xử lý", "answer": "Đã trả lời",
                 "publish": "Đã công khai câu trả lời"}


def feedback_public_status(*, code: str) -> dict:
    """What anyone holding the code may see: kind, status, agency, dates and a masked name; raises NotFound."""
    wanted = normalize_code(code)
    fb = Feedback.objects.select_related("agency").filter(code=wanted).first() if CODE_RE.match(wanted) else None
    if fb is None:
        raise NotFound(NOT_FOUND_MESSAGE, code="feedback_not_found")
    timeline = []
    for event in fb.events.select_related("agency").order_by("at", "id"):
        label = PUBLIC_EVENTS.get(event.action, event.action)
        if event.to_status == Status.CHUYEN_CO_QUAN_KHAC:
            label = "Đã chuyển đến cơ quan có thẩm quyền"
        elif event.to_status == Status.KHONG_TIEP_NHAN:
            label = "Không tiếp nhận"
        timeline.append({"at": event.at, "label": label, "agency": event.agency.name if event.agency else ""})
    return {
        "code": fb.code, "kind": fb.kind, "kind_label": fb.get_kind_display(), "status": fb.status,
        "status_label": fb.get_status_display(), "sender": mask_name(fb.sender_name), "agency": fb.agency.name,
        "submitted_at": fb.submitted_at, "received_at": fb.received_at, "due_at": fb.due_at,
        "answered_at": fb.answered_at, "published": fb.status == Status.DA_CONG_KHAI,
        "reason": fb.reason if fb.status == Status.KHONG_TIEP_NHAN else "", "uuid": str(fb.uuid),
        "info_needed": _info_needed(fb),
        "timeline": timeline,
    }


def _info_needed(fb: Feedback) -> str:
    """What the agency asked the sender to add, while it waits for it (written by an official for the sender)."""
    if fb.status != Status.CHO_BO_SUNG_THONG_TIN:
        return ""
    event = fb.events.filter(action="request_info").order_by("-at", "-id").first()
    return event.note if event else ""


def feedback_published(*, q: str = "", kind: str = "") -> QuerySet:
    qs = Feedback.objects.filter(status=Status.DA_CONG_KHAI).select_related("agency").order_by("-published_at")
    if kind:
        qs = qs.filter(kind=kind)
    for word in fold_text(q or "").split()[:8]:
        qs = qs.filter(search_text__contains=word)
    return qs
