"""Return of results (NĐ 61/2018 Art. 20), the early-return notice and the applicant's rating (Art. 29, 31).

Results go back at the counter, by post or online; the dossier then reaches national status 10. A dossier
finished before its due date may be announced to the applicant early (an in-app message on the dossier's
public history; SMS and e-mail come with the notify app). The applicant rates the service once, online or on
the counter's rating device, on the content Art. 31 lists.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from egov.core.audit import audit_record
from egov.core.errors import DomainError, PermissionDeniedError
from egov.onestop.models import Dossier, DossierEvent, DossierFile, DossierStep, EventKind, FileRole, Rating
from egov.onestop.processing import is_onestop_officer_of
from egov.onestop.status import DossierStatus
from egov.onestop.workflow import dossier_event_append, dossier_lock, dossier_transition, timing_of

RETURN_CHANNELS = {
    "counter": "Tại Bộ phận Một cửa",
    "post": "Qua dịch vụ bưu chính công ích",
    "online": "Trực tuyến",
}

# NĐ 61/2018 Art. 31: what the applicant is asked. Each question: label and its answers (value → label).
RATING_QUESTIONS: dict[str, dict] = {
    "thoi_gian": {
        "label": "Thời gian giải quyết so với quy định",
        "choices": {"som": "Sớm hơn quy định", "dung": "Đúng quy định", "tre": "Trễ hơn quy định"},
        "required": True,
    },
    "so_co_quan": {
        "label": "Số cơ quan, đơn vị phải liên hệ để giải quyết",
        "choices": {"0": "Không phải đến cơ quan nào (trực tuyến)", "1": "Chỉ Bộ phận Một cửa",
                    "2": "Từ hai cơ quan, đơn vị trở lên"},
        "required": True,
    },
    "so_lan_lien_he": {
        "label": "Số lần phải liên hệ để hoàn thiện hồ sơ",
        "choices": {"0": "Không phải bổ sung lần nào", "1": "Một lần", "2": "Từ hai lần trở lên"},
        "required": True,
    },
    "thong_tin_cong_khai": {
        "label": "Thông tin thủ tục hành chính được công khai",
        "choices": {"chinh_xac": "Chính xác, đầy đủ", "chua_day_du": "Chưa đầy đủ",
                    "khong_chinh_xac": "Không chính xác"},
        "required": True,
    },
    "thai_do": {
        "label": "Thái độ của cán bộ, công chức",
        "choices": {"hai_long": "Lịch sự, tận tình", "binh_thuong": "Bình thường", "khong_hai_long": "Chưa tốt"},
        "required": True,
    },
    "ket_qua": {
        "label": "Kết quả đúng quy định, không phát sinh chi phí ngoài quy định",
        "choices": {"dung": "Đúng quy định", "khong_dung": "Không đúng quy định",
                    "phat_sinh_chi_phi": "Có chi phí ngoài quy định"},
        "required": True,
    },
    "giai_trinh": {
        "label": "Việc tiếp nhận, giải trình phản ánh, kiến nghị",
        "choices": {"khong_phat_sinh": "Không có phản ánh, kiến nghị", "tot": "Kịp thời, thỏa đáng",
                    "chua_tot": "Chậm hoặc chưa thỏa đáng"},
        "required": False,
    },
    "truc_tuyen": {
        "label": "Chất lượng dịch vụ công trực tuyến",
        "choices": {"khong_su_dung": "Không sử dụng", "tot": "Tốt, dễ sử dụng", "chua_tot": "Chưa tốt"},
        "required": False,
    },
}
OVERALL_LABELS = {1: "Rất không hài lòng", 2: "Không hài lòng", 3: "Bình thường", 4: "Hài lòng", 5: "Rất hài lòng"}


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _require(condition: bool, message: str = "Bạn không có quyền thực hiện thao tác này với hồ sơ.") -> None:
    if not condition:
        raise PermissionDeniedError(message)


@transaction.atomic
def dossier_return_result(*, dossier: Dossier, actor, channel: str, note: str = "", post_tracking: str = "",
                          at: dt.datetime | None = None) -> Dossier:
    """DONE or REJECTED → RETURNED (national code 10), at the counter, by post or online.

    Online return needs a result file in the system (a refusal's written reason is its result)."""
    at = _now(at)
    if channel not in RETURN_CHANNELS:
        raise DomainError("invalid_channel", "Hình thức trả kết quả phải là: tại Bộ phận Một cửa, bưu chính hoặc "
                          "trực tuyến.")
    dossier = dossier_lock(dossier)
    _require(is_onestop_officer_of(actor, dossier.receiving_agency_id),
             "Chỉ cán bộ Bộ phận Một cửa của cơ quan tiếp nhận mới được trả kết quả.")
    if dossier.status not in (DossierStatus.DONE, DossierStatus.REJECTED):
        current = DossierStatus(dossier.status).label
        raise DomainError("illegal_transition",
                          f"Không thể trả kết quả khi hồ sơ ở trạng thái “{current}”: hồ sơ chưa xử lý xong.",
                          status=409)
    post_tracking = (post_tracking or "").strip()[:100]
    if channel == "post" and not post_tracking:
        raise DomainError("tracking_required", "Cần nhập số hiệu bưu gửi khi trả kết quả qua bưu chính.")
    if (channel == "online" and dossier.status == DossierStatus.DONE
            and not DossierFile.objects.filter(dossier=dossier, role=FileRole.RESULT).exists()):
        raise DomainError("result_missing", "Chưa có tệp kết quả để trả trực tuyến; hãy đính kèm kết quả (PDF).",
                          status=409)
    step = None
    if dossier.current_step_id:
        step = DossierStep.objects.filter(pk=dossier.current_step_id, finished_at__isnull=True).first()
        if step is not None:
            step.finished_at = at
            step.finished_by = actor
            step.outcome = "returned"
            step.timing = timing_of(at, step.deadline_at)
            step.save(update_fields=["finished_at", "finished_by", "outcome", "timing", "updated_at"])
    dossier.returned_at = at
    dossier.current_step = None
    dossier.current_handler = None
    dossier.current_agency = dossier.receiving_agency
    data = {"channel": channel, "post_tracking": post_tracking}
    dossier_transition(dossier=dossier, to=DossierStatus.RETURNED, kind=EventKind.RETURN, actor=actor,
                       note=(note or "").strip()[:2000] or f"Đã trả kết quả: {RETURN_CHANNELS[channel].lower()}",
                       data=data, step=step, at=at)
    return dossier


@transaction.atomic
def dossier_notify_early_return(*, dossier: Dossier, actor, message: str = "", at: dt.datetime | None = None
                                ) -> DossierEvent:
    """Tell the applicant the result is ready before the due date (Art. 20: early return is encouraged).

    Stored as an in-app message on the dossier's public history, once per dossier."""
    at = _now(at)
    dossier = dossier_lock(dossier)
    _require(is_onestop_officer_of(actor, dossier.receiving_agency_id),
             "Chỉ cán bộ Bộ phận Một cửa của cơ quan tiếp nhận mới được thông báo trả kết quả.")
    if dossier.status != DossierStatus.DONE:
        raise DomainError("illegal_transition", "Chỉ thông báo trả kết quả sớm khi hồ sơ đã xử lý xong và chưa trả.",
                          status=409)
    if dossier.due_at is None or at >= dossier.due_at:
        raise DomainError("not_early", "Đã đến hạn trả kết quả, không còn là trả kết quả sớm.", status=409)
    if DossierEvent.objects.filter(dossier=dossier, kind=EventKind.EARLY_NOTICE).exists():
        raise DomainError("already_notified", "Đã thông báo trả kết quả sớm cho hồ sơ này.", status=409)
    due = timezone.localtime(dossier.due_at)
    text = (message or "").strip()[:1000] or (
        f"Hồ sơ {dossier.code} đã có kết quả trước hạn (hẹn trả {due:%d/%m/%Y %H:%M}). "
        f"Mời ông/bà nhận kết quả theo hình thức đã đăng ký.")
    dossier_event_append(dossier=dossier, kind=EventKind.EARLY_NOTICE, actor=actor, note=text,
                         data={"due_at": dossier.due_at.isoformat()}, at=at)
    event = dossier_event_append(dossier=dossier, kind=EventKind.MESSAGE, actor=actor, note=text,
                                 data={"to": "applicant", "channel": "in_app", "reason": "early_notice"}, at=at)
    audit_record(actor=actor, action="onestop.dossier.early_notice", obj=dossier,
                 object_id=dossier.code or str(dossier.uuid), after={"message": text})
    return event


def rating_clean(answers: dict | None, overall) -> tuple[dict, int]:
    """Validate the answers against the Art. 31 questions; raise DomainError naming what is wrong."""
    answers = dict(answers or {})
    unknown = sorted(set(answers) - set(RATING_QUESTIONS))
    if unknown:
        raise DomainError("invalid_answers", f"Câu hỏi không có trong phiếu đánh giá: {', '.join(unknown)}.")
    cleaned = {}
    for key, question in RATING_QUESTIONS.items():
        value = answers.get(key)
        value = "" if value is None else str(value).strip()
        if not value:
            if question["required"]:
                raise DomainError("answer_required", f"Cần trả lời câu hỏi “{question['label']}”.")
            continue
        if value not in question["choices"]:
            raise DomainError("invalid_answers", f"Câu trả lời không hợp lệ cho “{question['label']}”.")
        cleaned[key] = value
    try:
        score = int(overall)
    except (TypeError, ValueError):
        score = 0
    if isinstance(overall, bool) or score not in OVERALL_LABELS or str(overall).strip() not in {str(score)}:
        raise DomainError("invalid_overall", "Mức độ hài lòng chung phải từ 1 đến 5.")
    return cleaned, score


@transaction.atomic
def rating_submit(*, dossier: Dossier, actor, answers: dict, overall, comment: str = "", source: str = "online",
                  at: dt.datetime | None = None) -> Rating:
    """One rating per dossier, once it has its result: by the applicant online, or on the counter's device
    (operated under the one-stop officer's session of the receiving agency)."""
    at = _now(at)
    if source not in ("online", "counter"):
        raise DomainError("invalid_source", "Nguồn đánh giá phải là trực tuyến hoặc thiết bị tại quầy.")
    dossier = dossier_lock(dossier)
    is_applicant = dossier.applicant_user_id is not None and getattr(actor, "pk", None) == dossier.applicant_user_id
    if source == "online":
        _require(is_applicant, "Chỉ người nộp hồ sơ mới được đánh giá trực tuyến.")
    else:
        _require(is_onestop_officer_of(actor, dossier.receiving_agency_id),
                 "Đánh giá tại quầy chỉ thực hiện trên thiết bị của Bộ phận Một cửa nơi tiếp nhận hồ sơ.")
    if dossier.status not in (DossierStatus.DONE, DossierStatus.REJECTED, DossierStatus.RETURNED):
        raise DomainError("not_finished", "Chỉ đánh giá khi hồ sơ đã có kết quả giải quyết.", status=409)
    if Rating.objects.filter(dossier=dossier).exists():
        raise DomainError("already_rated", "Hồ sơ này đã được đánh giá.", status=409)
    answers, score = rating_clean(answers, overall)
    try:
        with transaction.atomic():
            rating = Rating.objects.create(dossier=dossier, answers={**answers, "_source": source}, overall=score,
                                           comment=(comment or "").strip()[:2000])
    except IntegrityError:
        raise DomainError("already_rated", "Hồ sơ này đã được đánh giá.", status=409) from None
    dossier_event_append(dossier=dossier, kind=EventKind.RATE, actor=actor, public=False,
                         note=f"Đánh giá: {OVERALL_LABELS[score]}", data={"overall": score, "source": source}, at=at)
    audit_record(actor=actor, action="onestop.rating.submit", obj=dossier, object_id=dossier.code or str(dossier.uuid),
                 after={"overall": score, "answers": answers, "source": source})
    return rating
