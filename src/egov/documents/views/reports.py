"""Registers and reports of documents (/can-bo/van-ban/so/): the incoming and outgoing registers for a period
on screen, in Excel and in PDF, and the handling statistics per unit with the share of documents issued
electronically. GET forms with dd/mm/yyyy dates, so a table can be bookmarked and the download links carry the
same filters; bad input is a Vietnamese message with its 4xx status."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from egov.accounts.roles import Role
from egov.core.errors import DomainError
from egov.documents import selectors_reports as sel
from egov.documents.models import Direction
from egov.documents.policies.workfiles import can_export_registers
from egov.documents.reports import excel, pdf

PAGE_SIZE = 50
DIRECTIONS = {"den": Direction.INCOMING, "di": Direction.OUTGOING}


def _staff(request) -> None:
    if not (request.user.is_superuser or request.user.role != Role.CITIZEN):
        raise PermissionDenied("Trang dành cho cán bộ, công chức.")


def _page(request, template: str, context: dict, status: int = 200):
    return render(request, template, {"base_template": "backoffice/base.html", **context}, status=status)


def _filters(request) -> dict:
    today = timezone.localdate()
    return {
        "so": request.GET.get("so") if request.GET.get("so") in DIRECTIONS else "den",
        "so_van_ban": (request.GET.get("so_van_ban") or "").strip(),
        "tu_ngay": (request.GET.get("tu_ngay") or f"{today.replace(day=1):%d/%m/%Y}").strip(),
        "den_ngay": (request.GET.get("den_ngay") or f"{today:%d/%m/%Y}").strip(),
        "co_quan": (request.GET.get("co_quan") or "").strip(),
    }


def _register(request, filters: dict, *, export: bool) -> sel.Register:
    agency = sel.report_agency(request.user, filters["co_quan"])
    direction = DIRECTIONS[filters["so"]]
    start = sel.parse_day(filters["tu_ngay"], label="Từ ngày")
    end = sel.parse_day(filters["den_ngay"], label="Đến ngày")
    register = sel.register_pick(agency, direction, filters["so_van_ban"]) if filters["so_van_ban"] else None
    return sel.register_for(request.user, agency=agency, direction=direction, start=start, end=end,
                            register=register, export=export)


def _query(filters: dict) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in filters.items() if v})


@login_required
@require_GET
def registers(request):
    """The register of the chosen direction and period, 50 documents a page."""
    _staff(request)
    filters = _filters(request)
    context = {"filters": filters, "query": _query(filters), "register": None, "error": "", "registers": []}
    status = 200
    try:
        agency = sel.report_agency(request.user, filters["co_quan"])
        context["agency"] = agency
        context["registers"] = list(sel.registers_of(agency, DIRECTIONS[filters["so"]]))
        context["can_export"] = can_export_registers(request.user, agency)
        register = _register(request, filters, export=False)
        page = Paginator(register.queryset, PAGE_SIZE).get_page(request.GET.get("trang"))
        context.update(register=register, page=page, rows=list(register.rows(page.object_list)),
                       keys=sel.register_keys(register.direction))
    except DomainError as error:
        context["error"], status = error.message, error.status
    return _page(request, "documents/reports/registers.html", context, status=status)


def _download(request, build, ext: str, content_type: str):
    _staff(request)
    filters = _filters(request)
    try:
        register = _register(request, filters, export=True)
        content = build(register)
    except DomainError as error:
        return _page(request, "documents/workfiles/error.html",
                     {"error": error.message, "back": f"{reverse('documents:registers')}?{_query(filters)}"},
                     status=error.status)
    response = HttpResponse(content, content_type=content_type)
    disposition = "attachment" if ext == "xlsx" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{excel.register_filename(register, ext)}"'
    return response


@login_required
@require_GET
def registers_excel(request):
    return _download(request, excel.register_workbook, "xlsx", excel.XLSX)


@login_required
@require_GET
def registers_pdf(request):
    return _download(request, lambda register: pdf.register_pdf(register, officer=request.user), "pdf",
                     "application/pdf")


def _statistics(request):
    filters = _filters(request)
    agency = sel.report_agency(request.user, filters["co_quan"])
    start = sel.parse_day(filters["tu_ngay"], label="Từ ngày")
    end = sel.parse_day(filters["den_ngay"], label="Đến ngày")
    stats = sel.handling_statistics(request.user, agency=agency, start=start, end=end)
    shares = sel.electronic_share(request.user, agency=agency, start=start, end=end)
    return filters, stats, shares


@login_required
@require_GET
def statistics(request):
    """Handling of incoming documents per unit (early, on time, late, in progress, overdue) and the share of
    outgoing documents issued electronically."""
    _staff(request)
    context = {"filters": _filters(request), "stats": None, "error": "", "target": sel.ELECTRONIC_TARGET}
    context["query"] = _query(context["filters"])
    status = 200
    try:
        context["filters"], context["stats"], context["shares"] = _statistics(request)
    except DomainError as error:
        context["error"], status = error.message, error.status
    return _page(request, "documents/reports/statistics.html", context, status=status)


@login_required
@require_GET
def statistics_excel(request):
    _staff(request)
    try:
        filters, stats, shares = _statistics(request)
    except DomainError as error:
        return _page(request, "documents/workfiles/error.html",
                     {"error": error.message, "back": reverse("documents:report_statistics")}, status=error.status)
    response = HttpResponse(excel.statistics_workbook(stats, shares), content_type=excel.XLSX)
    name = f"thong-ke-xu-ly-van-ban-{stats.agency.code}-{stats.start:%Y%m%d}-{stats.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
