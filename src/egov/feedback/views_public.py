"""Public pages (/phan-anh-kien-nghi/): the form (login optional), the confirmation with the tracking code, the
status by code (rate-limited like the dossier lookup) and the published Q&A."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from egov.core.errors import DomainError
from egov.directory.models import Agency
from egov.eservices.ratelimit import TooManyLookups, lookup_rate_check
from egov.feedback.conf import MAX_FILES, max_file_bytes, submit_rate_per_minute
from egov.feedback.models import Feedback, Kind, Status
from egov.feedback.selectors import agency_by_uuid, feedback_public_status, feedback_published
from egov.feedback.services import feedback_submit, normalize_code

FIELDS = ("kind", "sender_name", "sender_address", "sender_phone", "sender_email", "subject", "content", "agency")
SESSION_KEY = "feedback_sent_code"


def _agencies():
    return Agency.objects.filter(is_active=True).order_by("name").only("uuid", "name")


def _prefill(user) -> dict:
    if not getattr(user, "is_authenticated", False):
        return {"kind": Kind.PHAN_ANH}
    return {"kind": Kind.PHAN_ANH, "sender_name": user.full_name or user.get_full_name(),
            "sender_phone": getattr(user, "phone", ""), "sender_email": user.email}


def _form_context(values: dict, errors: dict, error: str = "") -> dict:
    return {"values": values, "errors": errors, "error": error, "kinds": Kind.choices, "agencies": _agencies(),
            "max_files": MAX_FILES, "max_mb": max_file_bytes() // (1024 * 1024)}


@never_cache
def submit_page(request):
    if request.method != "POST":
        return render(request, "feedback/public/form.html", _form_context(_prefill(request.user), {}))
    values = {key: request.POST.get(key, "") for key in FIELDS}
    try:
        lookup_rate_check(request, scope="feedback", limit=submit_rate_per_minute())
        agency = None
        if values["agency"]:
            agency = agency_by_uuid(values["agency"])
            if agency is None:
                raise DomainError("invalid_agency", "Cơ quan đã chọn không có trong danh bạ.",
                                  details={"field": "agency"})
        feedback = feedback_submit(
            kind=values["kind"], sender_name=values["sender_name"], sender_address=values["sender_address"],
            sender_phone=values["sender_phone"], sender_email=values["sender_email"], subject=values["subject"],
            content=values["content"], agency=agency, files=request.FILES.getlist("files"), user=request.user)
    except TooManyLookups as exc:
        response = render(request, "feedback/public/form.html",
                          _form_context(values, {}, "Bạn đã gửi quá nhiều lần, vui lòng thử lại sau ít phút."),
                          status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    except DomainError as exc:
        field = (exc.details or {}).get("field") if isinstance(exc.details, dict) else None
        errors = {field: exc.message} if field else {}
        error = "" if field else exc.message
        if exc.code.startswith("file_") or exc.code == "too_many_files":
            errors, error = {"files": exc.message}, ""
        return render(request, "feedback/public/form.html", _form_context(values, errors, error), status=400)
    request.session[SESSION_KEY] = feedback.code
    return redirect("feedback:sent")


@never_cache
def sent_page(request):
    code = request.session.get(SESSION_KEY)
    if not code:
        return redirect("feedback:submit")
    feedback = Feedback.objects.filter(code=code).select_related("agency").first()
    return render(request, "feedback/public/sent.html", {"feedback": feedback, "code": code})


@never_cache
def status_page(request):
    raw = request.GET.get("ma")
    context = {"code": normalize_code(raw)}
    status = 200
    if raw is not None:
        try:
            lookup_rate_check(request)
            context["result"] = feedback_public_status(code=raw)
        except TooManyLookups as exc:
            response = render(request, "feedback/public/status.html", {**context, "error": exc.message}, status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        except DomainError as exc:
            context["error"], status = exc.message, exc.status
    return render(request, "feedback/public/status.html", context, status=status)


def qa_list(request):
    q = (request.GET.get("q") or "").strip()[:200]
    kind = request.GET.get("loai", "")
    kind = kind if kind in Kind.values else ""
    page = Paginator(feedback_published(q=q, kind=kind), 20).get_page(request.GET.get("page"))
    extra = "&" + urlencode({k: v for k, v in (("q", q), ("loai", kind)) if v}) if (q or kind) else ""
    return render(request, "feedback/public/qa_list.html",
                  {"page_obj": page, "q": q, "kind": kind, "kinds": Kind.choices, "extra_query": extra})


def qa_detail(request, uuid):
    item = get_object_or_404(Feedback.objects.select_related("agency"), uuid=uuid, status=Status.DA_CONG_KHAI)
    return render(request, "feedback/public/qa_detail.html", {"item": item})
