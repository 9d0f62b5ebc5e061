"""The citizen's pages: procedures, the online submission, his dossiers (status, messages, supplements,
results, withdrawal, rating)."""

import contextlib
import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from egov.core.errors import DomainError
from egov.eservices import policies, selectors
from egov.eservices.forms import (
    RatingForm,
    SubmissionForm,
    SupplementForm,
    WithdrawForm,
    paper_field_name,
    schema_form_class,
)
from egov.eservices.models import CitizenProfile
from egov.eservices.services import dossier_submit_online, dossier_supplement_online
from egov.eservices.views.common import add_domain_error, citizen_required, error_page
from egov.onestop.catalogue import duration_text, fee_text
from egov.onestop.files import dossier_file_response
from egov.onestop.models import DossierFile, OnlineMode, Rating
from egov.onestop.processing import dossier_withdraw
from egov.onestop.returns import rating_submit
from egov.onestop.status import NATIONAL_CODE, DossierStatus

PAGE_SIZE = 20


def home(request):
    """Procedures citizens can choose from, searchable with or without diacritics."""
    q = (request.GET.get("q") or "").strip()[:200]
    show_all = request.GET.get("tat_ca") == "1"
    procedures = selectors.procedures_for_citizens(q=q, online_only=not show_all)
    page = Paginator(procedures, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "eservices/citizen/home.html", {"page": page, "q": q, "show_all": show_all})


def _procedure_context(procedure, version) -> dict:
    return {
        "procedure": procedure, "version": version,
        "fees": [fee_text(fee) for fee in version.fees or []],
        "duration": duration_text(version.processing_days, version.processing_hours),
        "papers": list(version.papers.all()),
        "online": selectors.is_online(version),
        "online_full": version.online_mode == OnlineMode.FULL,
    }


def procedure_detail(request, code: str):
    try:
        procedure, version = selectors.procedure_for_citizen(code)
    except DomainError as exc:
        return error_page(request, exc, title="Không tìm thấy thủ tục")
    return render(request, "eservices/citizen/procedure.html", _procedure_context(procedure, version))


@citizen_required
def submit(request, code: str):
    """The online declaration of the procedure, the papers to upload, and where to send them."""
    try:
        procedure, version = selectors.procedure_for_citizen(code)
    except DomainError as exc:
        return error_page(request, exc, title="Không tìm thấy thủ tục")
    if not selectors.is_online(version):
        return render(request, "eservices/error.html", {
            "title": "Thủ tục chưa nộp trực tuyến được",
            "message": f"Thủ tục “{procedure.name}” chưa cung cấp dịch vụ công trực tuyến; vui lòng nộp hồ sơ trực "
                       "tiếp tại Bộ phận Một cửa hoặc qua bưu chính.",
        }, status=409)
    user = request.user
    profile = CitizenProfile.objects.filter(user=user).first()
    papers = selectors.submit_papers(version)
    agencies = selectors.receiving_agencies(procedure, version)
    declaration_class = schema_form_class(version.form_schema)
    post = request.POST if request.method == "POST" else None
    declaration = declaration_class(post, prefix="tk")
    form = SubmissionForm(post, request.FILES if post else None, papers=papers, agencies=agencies, initial={
        "applicant_phone": user.phone, "applicant_email": user.email,
        "applicant_address": profile.address if profile else "",
    })
    if post is not None:
        declaration_ok = declaration.is_valid()
        if form.is_valid() and declaration_ok:
            data = form.cleaned_data
            try:
                dossier = dossier_submit_online(
                    citizen=user, procedure_code=procedure.code,
                    form_data=declaration.json_data(),
                    papers={str(paper.uuid): data.get(paper_field_name(paper)) for paper in papers
                            if data.get(paper_field_name(paper))},
                    receiving_agency_code=data.get("agency") or None,
                    applicant={"phone": data["applicant_phone"], "email": data["applicant_email"],
                               "address": data["applicant_address"]},
                )
            except DomainError as exc:
                field = None
                wrong = (exc.details or {}).get("papers") if isinstance(exc.details, dict) else None
                if wrong and len(wrong) == 1:
                    field = next((paper_field_name(p) for p in papers if str(p.uuid) == wrong[0]), None)
                add_domain_error(form, exc, field)
            else:
                messages.success(request, "Đã nộp hồ sơ trực tuyến. Hồ sơ đang chờ Bộ phận Một cửa tiếp nhận; "
                                          "ông/bà sẽ nhận được mã hồ sơ khi hồ sơ được tiếp nhận.")
                return redirect("eservices:dossier", dossier_uuid=dossier.uuid)
    context = _procedure_context(procedure, version)
    context.update({"form": form, "declaration": declaration, "profile": profile,
                    "single_agency": agencies[0] if len(agencies) == 1 else None})
    return render(request, "eservices/citizen/submit.html", context,
                  status=400 if (form.errors or declaration.errors) else 200)


@citizen_required
def dossier_list(request):
    page = Paginator(selectors.citizen_dossiers(request.user), PAGE_SIZE).get_page(request.GET.get("trang"))
    for dossier in page:
        dossier.national_code = NATIONAL_CODE[DossierStatus(dossier.status)]
    return render(request, "eservices/citizen/dossiers.html", {"page": page})


def _dossier_or_404(request, dossier_uuid):
    return selectors.citizen_dossier(request.user, dossier_uuid)


def _detail_context(request, dossier) -> dict:
    user = request.user
    rated = Rating.objects.filter(dossier=dossier).exists()
    results = list(selectors.dossier_result_files(dossier)) if policies.can_download_result(user, dossier) else []
    supplement_request = selectors.dossier_last_request(dossier) if policies.can_supplement(user, dossier) else None
    items = (supplement_request.data or {}).get("items") if supplement_request else None
    return {
        "dossier": dossier,
        "national_code": NATIONAL_CODE[DossierStatus(dossier.status)],
        "events": selectors.dossier_public_events(dossier),
        "own_files": selectors.dossier_own_files(dossier),
        "issued_forms": selectors.dossier_issued_forms(dossier),
        "supplement_request": supplement_request,
        "supplement_items": items if isinstance(items, list) else [],
        "can_supplement": policies.can_supplement(user, dossier),
        "can_withdraw": policies.can_withdraw(user, dossier),
        "can_rate": policies.can_rate(user, dossier, already_rated=rated),
        "rated": rated,
        "results": results,
        "online_result": dossier.procedure_version.online_result,
        "supplement_form": SupplementForm(),
        "withdraw_form": WithdrawForm(),
        "rating_form": RatingForm(),
        "declaration": _declaration_rows(dossier),
    }


def _declaration_rows(dossier) -> list[tuple[str, object]]:
    """The declaration as the citizen typed it, labelled by the version's schema; dates as dd/mm/yyyy."""
    schema = {item.get("name"): item for item in dossier.procedure_version.form_schema or [] if isinstance(item, dict)}
    rows = []
    for name, value in (dossier.form_data or {}).items():
        item = schema.get(name, {})
        if item.get("type") == "date" and isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        rows.append((item.get("label") or name, value))
    return rows


def _render_detail(request, dossier, status: int = 200, **overrides):
    context = _detail_context(request, dossier)
    context.update(overrides)
    return render(request, "eservices/citizen/dossier.html", context, status=status)


@citizen_required
def dossier_detail(request, dossier_uuid):
    try:
        dossier = _dossier_or_404(request, dossier_uuid)
    except DomainError as exc:
        return error_page(request, exc, title="Không tìm thấy hồ sơ")
    return _render_detail(request, dossier)


@citizen_required
@require_POST
def dossier_supplement(request, dossier_uuid):
    try:
        dossier = _dossier_or_404(request, dossier_uuid)
    except DomainError as exc:
        return error_page(request, exc, title="Không tìm thấy hồ sơ")
    form = SupplementForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            dossier_supplement_online(citizen=request.user, dossier=dossier, files=form.cleaned_data["files"],
                                      note=form.cleaned_data["note"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Đã gửi hồ sơ bổ sung.")
            return redirect("eservices:dossier", dossier_uuid=dossier.uuid)
    return _render_detail(request, dossier, status=400, supplement_form=form, failed_form=form)


@citizen_required
@require_POST
def dossier_withdraw_view(request, dossier_uuid):
    try:
        dossier = _dossier_or_404(request, dossier_uuid)
    except DomainError as exc:
        return error_page(request, exc, title="Không tìm thấy hồ sơ")
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            if not policies.can_withdraw(request.user, dossier):
                raise DomainError("illegal_transition", "Hồ sơ đã kết thúc, không thể rút.", status=409)
            dossier_withdraw(dossier=dossier, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Đã rút hồ sơ.")
            return redirect("eservices:dossier", dossier_uuid=dossier.uuid)
    return _render_detail(request, dossier, status=400, withdraw_form=form, failed_form=form)


@citizen_required
@require_POST
def dossier_rate(request, dossier_uuid):
    try:
        dossier = _dossier_or_404(request, dossier_uuid)
    except DomainError as exc:
        return error_page(request, exc, title="Không tìm thấy hồ sơ")
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            rating_submit(dossier=dossier, actor=request.user, answers=form.answers(),
                          overall=form.cleaned_data["overall"], comment=form.cleaned_data["comment"], source="online")
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Cảm ơn ông/bà đã đánh giá.")
            return redirect("eservices:dossier", dossier_uuid=dossier.uuid)
    return _render_detail(request, dossier, status=400, rating_form=form, failed_form=form)


@citizen_required
def file_download(request, dossier_uuid, file_uuid):
    """A file of the citizen's own dossier: what he sent, the slips issued to him, and the result once the
    dossier is finished and the procedure returns results online. Anything else is "not found"."""
    try:
        dossier = _dossier_or_404(request, dossier_uuid)
        record = DossierFile.objects.filter(dossier=dossier, uuid=file_uuid).first()
        if record is None or not policies.can_download_file(request.user, dossier, record):
            raise DomainError("file_not_found", "Không tìm thấy tệp hoặc tệp chưa được phép tải về.", status=404)
        return dossier_file_response(record, download=True)
    except DomainError as exc:
        return error_page(request, exc, title="Không tải được tệp")
