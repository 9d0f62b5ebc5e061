"""The reception counter (/can-bo/mot-cua/tiep-nhan/): choose the procedure, check the papers against its
checklist and scan them, enter the applicant, then accept, ask for more or refuse.

Thin views over ``onestop.reception``: a DomainError comes back as an alert above the form with what was
typed kept (files must be attached again: browsers never re-send them). HTMX swaps the search results and
the checklist in place; without JavaScript the same URLs render whole pages.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from egov.core.errors import DomainError, NotFound, PermissionDeniedError
from egov.onestop import catalogue, reception
from egov.onestop.files import dossier_file_for, dossier_file_response
from egov.onestop.forms_pdf import format_moment
from egov.onestop.models import (
    ApplicantKind,
    Dossier,
    DossierFile,
    FileRole,
    Procedure,
    RequiredPaper,
)
from egov.onestop.status import DossierStatus

PAPER_PREFIX = "paper_"
FORM_FIELD_PREFIX = "form__"
ACTIONS = {"accept", "supplement", "refuse"}
OUTCOME_FORM = {DossierStatus.RECEIVED: "01", DossierStatus.RECEPTION_SUPPLEMENT: "02", DossierStatus.REFUSED: "03"}
FORM_LINK_LABEL = {
    "01": "In giấy tiếp nhận (Mẫu 01)",
    "02": "In phiếu yêu cầu bổ sung (Mẫu 02)",
    "03": "In phiếu từ chối (Mẫu 03)",
}


def _base_template():
    """The back-office layout when the accounts app provides it, else the bare site layout."""
    return select_template(["backoffice/base.html", "base.html"])


def _counter_agency(request):
    agency = reception.receiving_agency_of(request.user)
    if agency is None:
        raise PermissionDenied("Chỉ cán bộ một cửa đang công tác tại một cơ quan được tiếp nhận hồ sơ.")
    return agency


def _procedures(q: str):
    qs = catalogue.procedures_public()
    return list(catalogue.procedures_search(qs, q)[:20]) if q.strip() else []


def _checklist(procedure: Procedure | None):
    """The version in force today with its papers (to submit, to show) and its declaration fields."""
    if procedure is None:
        return None
    version = catalogue.procedure_current_version(procedure)
    if version is None:
        return None
    papers = reception.papers_of(version)
    return {
        "procedure": procedure,
        "version": version,
        "papers": papers,
        "submit_papers": [p for p in papers if p.kind == RequiredPaper.KIND_SUBMIT],
        "show_papers": [p for p in papers if p.kind == RequiredPaper.KIND_SHOW],
        "duration": catalogue.duration_text(version.processing_days, version.processing_hours),
        "fees": [catalogue.fee_text(f) for f in (version.fees or []) if isinstance(f, dict)],
        "form_fields": [f for f in (version.form_schema or []) if isinstance(f, dict) and f.get("name")],
    }


def _procedure_by_code(code: str) -> Procedure | None:
    code = (code or "").strip()
    return catalogue.procedures_public().filter(code=code[:30]).first() if code else None


def _waiting_list(agency):
    return list(Dossier.objects.filter(receiving_agency=agency, status__in=reception.WAITING)
                .select_related("procedure").order_by("-submitted_at", "-created_at")[:20])


def _context(request, agency, **extra) -> dict:
    return {"base_template": _base_template(), "agency": agency, "applicant_kinds": ApplicantKind.choices,
            "deliveries": list(reception.RESULT_DELIVERY.items()), **extra}


def _papers_from(request) -> list[tuple[str, object]]:
    pairs = []
    for field, uploads in request.FILES.lists():
        if field.startswith(PAPER_PREFIX):
            pairs.extend((field[len(PAPER_PREFIX):], upload) for upload in uploads)
    return pairs


def _applicant_from(post) -> reception.Applicant:
    return reception.Applicant(
        name=post.get("applicant_name", ""), kind=post.get("applicant_kind", ApplicantKind.PERSON),
        id_number=post.get("applicant_id_number", ""), address=post.get("applicant_address", ""),
        phone=post.get("applicant_phone", ""), email=post.get("applicant_email", ""),
    )


def _form_data_from(post) -> dict:
    return {key[len(FORM_FIELD_PREFIX):]: value for key, value in post.items()
            if key.startswith(FORM_FIELD_PREFIX) and value.strip()}


@login_required
@require_http_methods(["GET", "POST"])
def counter(request):
    """The counter page; POST performs the chosen outcome and redirects to its result (PRG)."""
    agency = _counter_agency(request)
    if request.method == "POST":
        return _counter_post(request, agency)
    q = request.GET.get("q", "")
    procedure = _procedure_by_code(request.GET.get("thu_tuc", ""))
    return render(request, "onestop/counter/counter.html", _context(
        request, agency, q=q, results=_procedures(q), checklist=_checklist(procedure), values={},
        waiting=_waiting_list(agency),
    ))


def _counter_post(request, agency):
    post = request.POST
    action = post.get("action", "")
    procedure_code = post.get("procedure_code", "")
    try:
        if action not in ACTIONS:
            raise DomainError("invalid_action", "Hãy chọn Tiếp nhận, Yêu cầu bổ sung hoặc Từ chối.")
        common = {"actor": request.user, "agency": agency, "procedure_code": procedure_code,
                  "applicant": _applicant_from(post), "papers": _papers_from(request),
                  "form_data": _form_data_from(post)}
        if action == "accept":
            dossier = reception.dossier_receive_at_counter(
                **common, shown_papers=post.getlist("shown"), copies=post.get("copies", "1"),
                result_delivery=post.get("result_delivery", "counter"))
        elif action == "supplement":
            dossier = reception.dossier_request_supplement_at_reception(
                **common, reason=post.get("reason", ""), items=post.get("items", ""),
                copies=post.get("copies", "1"), result_delivery=post.get("result_delivery", "counter"))
        else:
            dossier = reception.dossier_refuse_at_reception(**common, reason=post.get("reason", ""))
    except DomainError as error:
        procedure = _procedure_by_code(procedure_code)
        values = {k: v for k, v in post.items() if k != "csrfmiddlewaretoken"}
        values["shown"] = post.getlist("shown")
        status = error.status if 400 <= error.status < 500 else 400
        return render(request, "onestop/counter/counter.html", _context(
            request, agency, q="", results=[], checklist=_checklist(procedure), values=values, error=error,
            waiting=_waiting_list(agency),
        ), status=status)
    return redirect("onestop:counter_result", uuid=dossier.uuid)


@login_required
@require_GET
def counter_procedures(request):
    """HTMX: the procedures matching the search box (code or name, with or without diacritics)."""
    _counter_agency(request)
    q = request.GET.get("q", "")
    return render(request, "onestop/counter/_procedure_results.html", {"q": q, "results": _procedures(q)})


@login_required
@require_GET
def counter_checklist(request):
    """HTMX: the checklist and applicant form of the chosen procedure."""
    agency = _counter_agency(request)
    procedure = _procedure_by_code(request.GET.get("thu_tuc", ""))
    return render(request, "onestop/counter/_reception_form.html", {
        "agency": agency, "checklist": _checklist(procedure), "values": {},
        "applicant_kinds": ApplicantKind.choices, "deliveries": list(reception.RESULT_DELIVERY.items()),
        "missing_code": request.GET.get("thu_tuc", ""),
    })


def _form_links(dossier: Dossier) -> list[dict]:
    codes = reception.issued_form_codes(dossier)
    ref = dossier.code or str(dossier.uuid)
    return [{"code": code, "label": FORM_LINK_LABEL.get(code, f"In phiếu Mẫu {code}"),
             "url": reverse("onestop:dossier_form_pdf", kwargs={"ref": ref, "form_code": code})} for code in codes]


def _visible_dossier(request, ref: str) -> Dossier:
    try:
        return reception.dossier_by_ref(user=request.user, ref=ref)
    except NotFound as error:
        raise Http404(error.message) from None


@login_required
@require_GET
def counter_result(request, uuid):
    """What the counter just did: the code and due date with the form to print."""
    agency = _counter_agency(request)
    dossier = _visible_dossier(request, str(uuid))
    last = dossier.events.order_by("-seq").first()
    return render(request, "onestop/counter/result.html", _context(
        request, agency, dossier=dossier, status_label=DossierStatus(dossier.status).label,
        received_display=format_moment(dossier.received_at), due_display=format_moment(dossier.due_at),
        forms=_form_links(dossier), primary_form=OUTCOME_FORM.get(DossierStatus(dossier.status)),
        supplement_items=(last.data.get("items") or []) if last else [],
        reason=(last.data.get("reason") or "") if last else "",
    ))


@login_required
@require_http_methods(["GET", "POST"])
def counter_waiting(request, uuid):
    """A dossier waiting for reception (online, or back after a supplement request): accept, ask once, refuse."""
    agency = _counter_agency(request)
    dossier = _visible_dossier(request, str(uuid))
    error = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "accept":
                reception.dossier_accept(actor=request.user, dossier=dossier, papers=_papers_from(request))
            elif action == "supplement":
                reception.dossier_request_supplement_online(actor=request.user, dossier=dossier,
                                                            reason=request.POST.get("reason", ""),
                                                            items=request.POST.get("items", ""))
            elif action == "refuse":
                reception.dossier_reject_online_submission(actor=request.user, dossier=dossier,
                                                           reason=request.POST.get("reason", ""))
            else:
                raise DomainError("invalid_action", "Hãy chọn Tiếp nhận, Yêu cầu bổ sung hoặc Từ chối.")
        except DomainError as exc:
            error = exc
            dossier.refresh_from_db()
        else:
            return redirect("onestop:counter_result", uuid=dossier.uuid)
    papers = reception.papers_of(dossier.procedure_version)
    files = list(DossierFile.objects.filter(dossier=dossier).exclude(role=FileRole.FORM).order_by("created_at"))
    have = {f.required_paper_id for f in files}
    rows = [{"paper": p, "files": [f for f in files if f.required_paper_id == p.pk], "present": p.pk in have}
            for p in papers]
    status = (error.status if 400 <= error.status < 500 else 400) if error else 200
    return render(request, "onestop/counter/waiting.html", _context(
        request, agency, dossier=dossier, rows=rows, error=error, forms=_form_links(dossier),
        status_label=DossierStatus(dossier.status).label, values=request.POST if error else {},
        can_request_supplement=dossier.status == DossierStatus.SUBMITTED,
    ), status=status)


@login_required
@require_GET
def dossier_form_pdf(request, ref: str, form_code: str):
    """An issued form (Form 01, 02, 03...) of a dossier the user may see, opened in the browser."""
    dossier = _visible_dossier(request, ref)
    try:
        record = reception.dossier_form_file(dossier=dossier, form_code=form_code)
    except DomainError as error:
        raise Http404(error.message) from None
    return dossier_file_response(record)


@login_required
@require_GET
def dossier_file(request, file_uuid):
    """A stored scan or form, after checking the user may see its dossier (404 otherwise)."""
    try:
        record = dossier_file_for(user=request.user, file_uuid=file_uuid)
    except (NotFound, PermissionDeniedError) as error:
        raise Http404(error.message) from None
    return dossier_file_response(record, download=request.GET.get("tai_ve") == "1")
