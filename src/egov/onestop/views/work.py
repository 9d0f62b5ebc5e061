"""Officers' pages of the one-stop desk: the work queue, a dossier's detail with its timeline and the action
forms, the processing control slip (Form 05), the tracking register (Form 06) and the nine-index scores.

Thin: every change goes through ``processing.dossier_action_run`` (the same dispatcher as the API); a
DomainError is shown on the page as a form error with its 4xx status, never a 500.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from egov.accounts.roles import Role
from egov.core.errors import DomainError, NotFound, PermissionDeniedError
from egov.directory.models import Agency, Official
from egov.onestop import processing, returns, scoring, selectors
from egov.onestop.forms_pdf import render_form_pdf
from egov.onestop.models import DossierFile, FileRole
from egov.onestop.status import NATIONAL_CODE, DossierStatus

PAGE_SIZE = 30
TIMING_BADGES = {"early": ("Trước hạn", "success"), "on_time": ("Đúng hạn", "primary"), "late": ("Quá hạn", "danger")}


def _staff(request) -> None:
    user = request.user
    if not (user.is_superuser or user.role != Role.CITIZEN):
        raise PermissionDenied("Trang dành cho cán bộ, công chức.")


def _page(request, template: str, context: dict, status: int = 200):
    return render(request, template, {"base_template": "backoffice/base.html", **context}, status=status)


def _dossier(request, code: str):
    try:
        return selectors.dossier_for(request.user, code)
    except NotFound as error:
        raise Http404(error.message) from None


@login_required
@require_GET
def work_queue(request):
    """Của tôi / Sắp đến hạn / Quá hạn / Theo trạng thái, paginated, with each tab's count."""
    _staff(request)
    tab = request.GET.get("tab") or "mine"
    status = request.GET.get("trang_thai") or ""
    error = ""
    if tab not in selectors.QUEUES:
        tab = "mine"
    try:
        rows = selectors.dossier_queue(request.user, tab, status=status or None)
    except DomainError as exc:
        error, status = exc.message, ""
        rows = selectors.dossier_queue(request.user, tab)
    counts = selectors.queue_counts(request.user)
    paginator = Paginator(rows, PAGE_SIZE)
    if tab in counts:  # the tab's count is known already: spare the paginator its COUNT(*)
        paginator.count = counts[tab]
    page = paginator.get_page(request.GET.get("trang"))
    now = timezone.now()
    for dossier in page.object_list:
        dossier.overdue = bool(dossier.due_at and dossier.due_at < now and dossier.status in selectors.RUNNING)
        dossier.national_code = NATIONAL_CODE[DossierStatus(dossier.status)]
    return _page(request, "onestop/work/queue.html", {
        "tab": tab, "tab_list": [(key, label, counts.get(key)) for key, label in selectors.QUEUES.items()],
        "page": page,
        "status": status, "statuses": DossierStatus.choices, "error": error,
        "register_start": timezone.localdate().replace(day=1), "register_end": timezone.localdate(),
    }, status=400 if error else 200)


def _detail_context(request, dossier) -> dict:
    user = request.user
    steps = selectors.dossier_steps(dossier)
    now = timezone.now()
    for step in steps:
        label, color = TIMING_BADGES.get(step.timing, ("", "secondary"))
        if not step.finished_at:
            late_now = step.deadline_at and step.deadline_at < now
            label, color = ("Đang xử lý – đã quá hạn", "warning") if late_now else ("Đang xử lý", "secondary")
        step.badge_label, step.badge_color = label, color
    signatures = processing.result_signatures(dossier)
    files = list(DossierFile.objects.filter(dossier=dossier).order_by("created_at"))
    for record in files:
        record.signed = signatures.get(str(record.uuid)) if record.role == FileRole.RESULT else None
    actions = processing.available_actions(user, dossier)
    current = next((s for s in steps if s.pk == dossier.current_step_id), None)
    assign_steps = [s for s in steps if not s.finished_at and processing.is_leader_of(user, s.agency_id)]
    candidates = []
    if "assign" in actions:
        agencies = {s.agency_id for s in assign_steps}
        candidates = list(Official.objects.filter(agency_id__in=agencies, is_active=True, user__is_active=True)
                          .exclude(user__role=Role.CITIZEN).select_related("user", "unit", "agency")
                          .order_by("agency__name", "user__full_name"))
    timing_label, timing_color = TIMING_BADGES.get(dossier.timing, ("", "secondary"))
    events = selectors.dossier_events(dossier)
    for event in events:
        changed = event.to_status and event.to_status != event.from_status
        event.to_label = DossierStatus(event.to_status).label if changed else ""
    return {
        "dossier": dossier, "steps": steps, "events": events, "files": files,
        "actions": actions, "action_labels": processing.ACTION_LABELS, "current": current,
        "national_code": NATIONAL_CODE[DossierStatus(dossier.status)],
        "status_label": DossierStatus(dossier.status).label,
        "timing_label": timing_label, "timing_color": timing_color,
        "late_step": next((s for s in steps if s.pk == dossier.late_step_id), None),
        "assign_steps": assign_steps, "candidates": candidates,
        "consultation_templates": processing.consultation_templates(dossier) if "consult" in actions else [],
        "consult_agencies": (Agency.objects.filter(is_active=True).exclude(pk=dossier.current_agency_id)
                             .order_by("name") if "consult" in actions else []),
        "open_consultations": processing.open_consultations_for(user, dossier),
        "return_channels": returns.RETURN_CHANNELS, "rating_questions": returns.RATING_QUESTIONS,
        "overall_labels": returns.OVERALL_LABELS,
        "forms": [f for f in files if f.role == FileRole.FORM],
        "restart_window_end": processing.restart_window_end(dossier),
        "overdue": bool(dossier.due_at and dossier.due_at < now and dossier.status in selectors.RUNNING),
    }


@login_required
@require_GET
def dossier_detail(request, code: str):
    _staff(request)
    dossier = _dossier(request, code)
    return _page(request, "onestop/work/detail.html", _detail_context(request, dossier))


@login_required
@require_POST
def dossier_action(request, code: str, action: str):
    """Run one action from the detail page; errors come back on the same page with the typed values."""
    _staff(request)
    dossier = _dossier(request, code)
    fields = {key: request.POST.get(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    if "items" in request.POST:
        fields["items"] = request.POST.get("items", "")
    try:
        if action == "rate":
            answers = {key[2:]: value for key, value in fields.items() if key.startswith("q_") and value}
            returns.rating_submit(dossier=dossier, actor=request.user, answers=answers,
                                  overall=fields.get("overall"), comment=fields.get("comment") or "",
                                  source="counter")
        else:
            files = request.FILES.getlist("files") or request.FILES.getlist("file")
            processing.dossier_action_run(user=request.user, dossier=dossier, action=action, fields=fields,
                                          files=files)
    except DomainError as error:
        context = _detail_context(request, _dossier(request, code))
        context.update({"error": error.message, "error_action": action, "posted": fields})
        return _page(request, "onestop/work/detail.html", context, status=error.status)
    messages.success(request, f"Đã thực hiện: {processing.ACTION_LABELS.get(action, action)}.")
    return redirect("onestop:work_dossier", code=code)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def dossier_control_slip(request, code: str):
    """Form 05, as of now: every hand-over with its times and timing."""
    _staff(request)
    dossier = _dossier(request, code)
    context = selectors.form05_context(dossier, officer=request.user)
    return _pdf(render_form_pdf("05", context), f"phieu-kiem-soat-{dossier.code}.pdf")


def _parse_day(raw: str | None, *, label: str) -> dt.date:
    text = (raw or "").strip()
    try:
        if "/" in text:
            return dt.datetime.strptime(text, "%d/%m/%Y").date()
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DomainError("invalid_date", f"{label} “{text[:20]}” không hợp lệ (dd/mm/yyyy).") from None


def _register_agency(request) -> Agency:
    user = request.user
    code = (request.GET.get("co_quan") or "").strip()
    official = Official.objects.select_related("agency").filter(user=user, is_active=True).first()
    if code and (user.is_superuser or user.role == Role.SYSTEM_ADMIN):
        agency = Agency.objects.filter(code__iexact=code).first()
        if agency is None:
            raise DomainError("unknown_agency", f"Không tìm thấy cơ quan mã “{code[:40]}”.", status=404)
        return agency
    if official is None:
        raise PermissionDeniedError("Chỉ cán bộ của một cơ quan mới in được sổ theo dõi hồ sơ của cơ quan mình.")
    if code and code.lower() != official.agency.code.lower():
        raise PermissionDeniedError("Chỉ in được sổ theo dõi hồ sơ của cơ quan mình.")
    return official.agency


@login_required
@require_GET
def register_pdf(request):
    """Form 06, the tracking register of the user's agency for a period (?tu=…&den=…)."""
    _staff(request)
    try:
        agency = _register_agency(request)
        start = _parse_day(request.GET.get("tu"), label="Ngày bắt đầu")
        end = _parse_day(request.GET.get("den"), label="Ngày kết thúc")
        content = render_form_pdf("06", selectors.form06_context(agency=agency, start=start, end=end,
                                                                 officer=request.user))
    except DomainError as error:
        return _page(request, "onestop/work/error.html", {"error": error.message,
                                                          "back": reverse("onestop:work_queue")},
                     status=error.status)
    return _pdf(content, f"so-theo-doi-{agency.code}-{start:%Y%m%d}-{end:%Y%m%d}.pdf")


@login_required
@require_GET
def scores(request):
    """The nine indices of TT 01/2018 for the user's agency and its officials over a period."""
    _staff(request)
    today = timezone.localdate()
    error = ""
    try:
        agency = _register_agency(request)
        start = _parse_day(request.GET.get("tu") or today.replace(month=1, day=1).isoformat(), label="Ngày bắt đầu")
        end = _parse_day(request.GET.get("den") or today.isoformat(), label="Ngày kết thúc")
        unit = scoring.unit_scores(agency=agency, start=start, end=end)
        officials = (Official.objects.filter(agency=agency, is_active=True).exclude(user__role=Role.CITIZEN)
                     .select_related("user").order_by("user__full_name"))
        officers = [scoring.officer_scores(user=o.user, start=start, end=end) for o in officials]
    except DomainError as exc:
        error = exc.message
        return _page(request, "onestop/work/error.html", {"error": error, "back": reverse("onestop:work_queue")},
                     status=exc.status)
    return _page(request, "onestop/work/scores.html", {
        "agency": agency, "start": start, "end": end, "unit": unit,
        "officers": [o for o in officers if o.dossiers], "index_names": scoring.INDEX_NAMES,
    })


urlpatterns = [
    path("", work_queue, name="work_queue"),
    path("ho-so/<str:code>/", dossier_detail, name="work_dossier"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", dossier_action, name="work_action"),
    path("ho-so/<str:code>/phieu-kiem-soat.pdf", dossier_control_slip, name="work_form05"),
    path("so-theo-doi.pdf", register_pdf, name="work_register"),
    path("cham-diem/", scores, name="work_scores"),
]
