"""Back-office pages of the procedure catalogue (/can-bo/mot-cua/thu-tuc/): list, detail with every version,
import and export. Thin views over ``onestop.catalogue`` and ``onestop.catalogue_io``: officials read,
catalogue managers import and stop procedures; a DomainError comes back as an alert on the same page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from egov.accounts.policies import can_access_backoffice
from egov.core.errors import DomainError, NotFound
from egov.onestop import catalogue as cat
from egov.onestop.catalogue_io import (
    MAX_IMPORT_BYTES,
    XLSX_CONTENT_TYPE,
    catalogue_export_json,
    catalogue_export_xlsx,
    catalogue_import,
)
from egov.onestop.models import Field, Procedure, ProcedureVersion
from egov.onestop.policies import can_manage_catalogue

PAGE_SIZE = 30


def _base_template():
    """The back-office layout when it exists, else the bare site layout."""
    return select_template(["backoffice/base.html", "base.html"])


def _require_official(request) -> None:
    if not can_access_backoffice(request.user):
        raise PermissionDenied("Trang dành cho cán bộ, công chức.")


def _is_manager(user) -> bool:
    return getattr(user, "is_authenticated", False) and can_manage_catalogue(user)


def _context(request, **extra) -> dict:
    return {"base_template": _base_template(), "is_manager": _is_manager(request.user), **extra}


@login_required
@require_GET
def catalogue_list(request):
    """Search and filter the catalogue; managers may also list procedures no longer in use."""
    _require_official(request)
    q = request.GET.get("q", "")[:200]
    field_code = request.GET.get("linh_vuc", "")
    level = request.GET.get("cap", "")
    mode = request.GET.get("truc_tuyen", "")
    show_inactive = request.GET.get("ngung") == "1" and _is_manager(request.user)
    qs = Procedure.objects.select_related("field", "current_version")
    qs = qs.filter(is_active=False) if show_inactive else qs.filter(is_active=True)
    if field_code:
        qs = qs.filter(field__code=field_code)
    if level in cat.LEVEL_LABELS:
        qs = qs.filter(level=level)
    if mode in cat.ONLINE_MODE_LABELS:
        qs = qs.filter(current_version__online_mode=mode)
    qs = cat.procedures_search(qs, q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("trang"))
    rows = [{
        "procedure": p,
        "duration": cat.duration_text(p.current_version.processing_days, p.current_version.processing_hours)
        if p.current_version else "",
        "online_mode": p.current_version.get_online_mode_display() if p.current_version else "",
        "online_code": p.current_version.online_mode if p.current_version else "",
    } for p in page.object_list]
    query = request.GET.copy()
    query.pop("trang", None)
    return render(request, "onestop/catalogue/list.html", _context(
        request, rows=rows, page=page, q=q, field_code=field_code, level=level, mode=mode,
        show_inactive=show_inactive, fields=Field.objects.order_by("name"), levels=cat.LEVEL_LABELS,
        modes=cat.ONLINE_MODE_LABELS, query=query.urlencode(),
    ))


def _procedure_or_404(code: str) -> Procedure:
    try:
        return cat.procedure_by_code(code)
    except NotFound as error:
        raise Http404(error.message) from None


def _version_view(version: ProcedureVersion) -> dict:
    today = cat.local_today()
    return {
        "version": version,
        "duration": cat.duration_text(version.processing_days, version.processing_hours),
        "fees": [cat.fee_text(f) for f in version.fees if isinstance(f, dict)],
        "papers": list(version.papers.all()),
        "steps": [{"step": s, "role": cat.STEP_ROLES.get(s.role, s.role),
                   "time": cat.duration_text(s.allotted_days, s.allotted_hours),
                   "agency_kind": cat.agency_kinds().get(s.agency_kind, "") if s.agency_kind else ""}
                  for s in version.steps.all()],
        "form_fields": [{**f, "type_label": cat.FORM_FIELD_TYPES.get(f.get("type", "text"), "")}
                        for f in version.form_schema if isinstance(f, dict)],
        "in_force": version.valid_from <= today and (version.valid_to is None or version.valid_to >= today),
        "in_use": cat.version_has_dossiers(version),
    }


@login_required
@require_GET
def catalogue_detail(request, code: str):
    """One procedure: the version in force (or the one asked for) and the list of all versions."""
    _require_official(request)
    procedure = _procedure_or_404(code)
    versions = list(procedure.versions.prefetch_related("papers", "steps").order_by("-number"))
    wanted = request.GET.get("phien_ban", "")
    chosen = next((v for v in versions if str(v.number) == wanted), None) if wanted else None
    if chosen is None:
        current = cat.procedure_current_version(procedure)
        chosen = next((v for v in versions if current and v.pk == current.pk), versions[0] if versions else None)
    return render(request, "onestop/catalogue/detail.html", _context(
        request, procedure=procedure, versions=versions, view=_version_view(chosen) if chosen else None,
    ))


@login_required
@require_POST
def catalogue_deactivate(request, code: str):
    """Stop a procedure (no new dossiers); dossiers already received keep their version."""
    _require_official(request)
    procedure = _procedure_or_404(code)
    try:
        cat.procedure_deactivate(actor=request.user, procedure=procedure)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã ngừng áp dụng thủ tục {procedure.code}.")
    return redirect("onestop:catalogue_detail", code=procedure.code)


@login_required
@require_http_methods(["GET", "POST"])
def catalogue_transfer(request):
    """Import (managers) and export (every official) page."""
    _require_official(request)
    context = _context(request, max_mb=MAX_IMPORT_BYTES // (1024 * 1024), report=None, errors=None)
    if request.method == "GET":
        return render(request, "onestop/catalogue/transfer.html", context)
    if not context["is_manager"]:
        raise PermissionDenied("Bạn không có quyền nhập danh mục thủ tục hành chính.")
    upload = request.FILES.get("file")
    dry_run = request.POST.get("dry_run") == "1"
    status = 200
    try:
        if upload is None:
            raise DomainError("file_required", "Chưa chọn tệp để nhập.")
        if upload.size > MAX_IMPORT_BYTES:
            raise DomainError("file_too_large", f"Tệp quá lớn (tối đa {context['max_mb']} MB).")
        context["report"] = catalogue_import(actor=request.user, data=upload.read(), dry_run=dry_run)
    except DomainError as error:
        context["error"] = error.message if not error.details else "Tệp không hợp lệ, chưa nhập phần nào."
        context["errors"] = error.details or []
        status = error.status if 400 <= error.status < 500 else 400
    return render(request, "onestop/catalogue/transfer.html", context, status=status)


@login_required
@require_GET
def catalogue_download(request, fmt: str):
    """The whole catalogue, every version, as JSON or Excel."""
    _require_official(request)
    stamp = timezone.localtime().strftime("%Y%m%d")
    if fmt == "xlsx":
        response = HttpResponse(catalogue_export_xlsx(), content_type=XLSX_CONTENT_TYPE)
    elif fmt == "json":
        response = HttpResponse(catalogue_export_json(), content_type="application/json; charset=utf-8")
    else:
        raise Http404("Định dạng xuất phải là json hoặc xlsx.")
    response["Content-Disposition"] = f'attachment; filename="danh-muc-thu-tuc-{stamp}.{fmt}"'
    return response


# Mounted at /can-bo/mot-cua/thu-tuc/ by onestop/urls.py; fixed paths come before the procedure code.
urlpatterns = [
    path("", catalogue_list, name="catalogue_list"),
    path("nhap-xuat/", catalogue_transfer, name="catalogue_transfer"),
    path("xuat.<str:fmt>", catalogue_download, name="catalogue_download"),
    path("<str:code>/", catalogue_detail, name="catalogue_detail"),
    path("<str:code>/ngung-ap-dung/", catalogue_deactivate, name="catalogue_deactivate"),
]
