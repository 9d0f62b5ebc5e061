"""Back-office pages of the directory (/can-bo/danh-ba/): thin views over selectors, policies and services."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from egov.core.errors import DomainError
from egov.directory import policies
from egov.directory.excel import export_directory, import_directory
from egov.directory.excel.exporter import SHEETS
from egov.directory.excel.layout import MAX_FILE_BYTES
from egov.directory.models import AgencyKind, Unit
from egov.directory.selectors import (
    agency_ancestor_ids,
    agency_by_code,
    agency_predecessor_links,
    agency_successor_links,
    agency_tree,
    flatten_tree,
    fold_text,
    text_matches,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_SHEETS = {"co-quan": ("agencies",), "phong-ban": ("units",), "can-bo": ("officials",)}
OFFICIALS_PER_PAGE = 50


def _require_official(request) -> None:
    if not policies.can_view_directory(request.user):
        raise PermissionDenied("Danh bạ dành cho cán bộ, công chức.")


@login_required
@require_GET
def agency_list(request):
    """The agency tree; with a query or a kind, a flat list of matches."""
    _require_official(request)
    query = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("loai", "")
    show_history = request.GET.get("lich_su") == "1"
    visible = policies.agencies_visible_to(request.user)
    counts = dict(
        policies.officials_visible_to(request.user).filter(is_active=True).values("agency")
        .annotate(n=Count("id")).values_list("agency", "n")
    )
    context = {
        "section": "agencies", "query": query, "kind": kind, "show_history": show_history,
        "kinds": AgencyKind.choices, "can_import": policies.can_import(request.user),
    }
    if query or kind in AgencyKind.values:
        agencies = visible if show_history else visible.filter(is_active=True)
        if kind in AgencyKind.values:
            agencies = agencies.filter(kind=kind)
        results = [a for a in agencies if not query or text_matches(query, a.name, a.code, a.abbreviation,
                                                                  a.code_qcvn102 or "", a.code_qd20 or "",
                                                                  a.admin_unit_code)]
        context["results"] = sorted(results, key=lambda a: fold_text(a.name))
    else:
        context["nodes"] = flatten_tree(agency_tree(queryset=visible, include_inactive=show_history))
        for node in context["nodes"]:
            node.agency.official_count = counts.get(node.agency.pk, 0)
    return render(request, "directory/agency_list.html", context)


@login_required
@require_GET
def agency_detail(request, code: str):
    _require_official(request)
    visible = policies.agencies_visible_to(request.user)
    agency = agency_by_code(code, queryset=visible)
    if agency is None:
        raise Http404("Không tìm thấy cơ quan.")
    ancestors = list(visible.filter(pk__in=agency_ancestor_ids(agency.pk)))
    ancestors.sort(key=lambda a: agency_ancestor_ids(agency.pk).index(a.pk), reverse=True)
    units = list(Unit.objects.filter(agency=agency).select_related("parent"))
    officials = (policies.officials_visible_to(request.user).filter(agency=agency)
                 .order_by("-is_active", "position__rank", "user__full_name"))
    return render(request, "directory/agency_detail.html", {
        "section": "agencies",
        "agency": agency,
        "ancestors": ancestors,
        "children": visible.filter(parent=agency).order_by("-is_active", "name"),
        "units": _unit_rows(units),
        "officials": officials,
        "predecessors": agency_predecessor_links(agency),
        "successors": agency_successor_links(agency),
        "name_history": agency.name_history.all(),
        "can_manage": policies.can_manage_agency(request.user, agency),
    })


def _unit_rows(units: list[Unit]) -> list[tuple[Unit, int]]:
    """Units in tree order with their depth, for an indented list."""
    children: dict[int | None, list[Unit]] = {}
    ids = {u.pk for u in units}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        children.setdefault(parent, []).append(unit)
    rows: list[tuple[Unit, int]] = []

    def walk(parent_id, depth):
        for unit in sorted(children.get(parent_id, []), key=lambda u: (not u.is_active, u.name)):
            rows.append((unit, depth))
            if depth < 10:
                walk(unit.pk, depth + 1)

    walk(None, 0)
    return rows


@login_required
@require_GET
def official_list(request):
    """The officials' phone book, searchable by name, account, phone or e-mail, and by agency."""
    _require_official(request)
    query = request.GET.get("q", "").strip()[:100]
    agency_code = request.GET.get("co_quan", "").strip()
    officials = policies.officials_visible_to(request.user).order_by("agency__name", "position__rank",
                                                                    "user__full_name")
    agency = None
    if agency_code:
        agency = agency_by_code(agency_code, queryset=policies.agencies_visible_to(request.user))
        officials = officials.filter(agency=agency) if agency else officials.none()
    if query:
        # Matched in Python to fold Vietnamese marks the same way on every database: a province's directory
        # holds thousands of officials, not millions.
        ids = [o.pk for o in officials if text_matches(query, o.user.full_name, o.user.username, o.phone, o.email,
                                                  o.agency.name, o.unit.name if o.unit_id else "")]
        officials = officials.filter(pk__in=ids)
    page = Paginator(officials, OFFICIALS_PER_PAGE).get_page(request.GET.get("trang"))
    return render(request, "directory/official_list.html", {
        "section": "officials", "page": page, "query": query, "agency": agency, "agency_code": agency_code,
    })


class ImportForm(forms.Form):
    file = forms.FileField(label="Tệp Excel (.xlsx)")
    dry_run = forms.BooleanField(label="Chỉ kiểm tra tệp, chưa ghi dữ liệu", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(f"Tệp quá lớn (tối đa {MAX_FILE_BYTES // (1024 * 1024)} MB).")
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request):
    """Upload a workbook; show every bad row in Vietnamese, or what was imported."""
    _require_official(request)
    if not policies.can_import(request.user):
        raise PermissionDenied("Chỉ quản trị hệ thống và quản trị cơ quan được nhập danh bạ.")
    errors, error_message, report = [], "", None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = import_directory(actor=request.user, source=form.cleaned_data["file"],
                                          dry_run=form.cleaned_data["dry_run"])
            except DomainError as exc:
                error_message = exc.message
                errors = exc.details or []
            else:
                if not report.dry_run:
                    messages.success(request, f"Đã nhập danh bạ. {report.summary()}")
                    return redirect("directory:import")
    else:
        form = ImportForm()
    return render(request, "directory/import.html", {
        "section": "agencies", "form": form, "errors": errors, "error_message": error_message, "report": report,
    }, status=400 if (error_message or form.errors) else 200)


@login_required
@require_GET
def export_view(request):
    """Download the directory as .xlsx (what the user may see), ready to edit and import back."""
    _require_official(request)
    part = request.GET.get("trang", "")
    sheets = EXPORT_SHEETS.get(part, SHEETS)
    data = export_directory(actor=request.user, sheets=sheets)
    today = timezone.localdate()
    suffix = f"-{part}" if part in EXPORT_SHEETS else ""
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="danh-ba{suffix}-{today:%d-%m-%Y}.xlsx"'
    return response
