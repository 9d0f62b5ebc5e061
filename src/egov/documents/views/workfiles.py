"""Back-office pages of work files (/can-bo/van-ban/ho-so/): the yearly file list with its approval, a file
with its index and actions (open, add or remove documents, close, hand over), the index in Excel and PDF, and
the files due for hand-over to the archive.

Thin: every change goes through ``services.workfiles``; a DomainError comes back on the page as a Vietnamese
message with its 4xx status, never a 500.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from egov.accounts.roles import Role
from egov.core.errors import DomainError, NotFound
from egov.documents import selectors_reports as sel
from egov.documents.models import RetentionPeriod, WorkFileStatus
from egov.documents.policies.incoming import incoming_visible_to
from egov.documents.policies.outgoing import outgoing_visible_to
from egov.documents.policies.workfiles import (
    can_approve_file_list,
    can_edit_workfile,
    can_manage_workfiles,
)
from egov.documents.reports import excel, pdf
from egov.documents.services import workfiles as svc

PAGE_SIZE = 50
STATUS_BADGES = {WorkFileStatus.PLANNED: "secondary", WorkFileStatus.OPEN: "primary",
                 WorkFileStatus.CLOSED: "dark", WorkFileStatus.ARCHIVED: "success"}


def _staff(request) -> None:
    if not (request.user.is_superuser or request.user.role != Role.CITIZEN):
        raise PermissionDenied("Trang dành cho cán bộ, công chức.")


def _page(request, template: str, context: dict, status: int = 200):
    return render(request, template, {"base_template": "backoffice/base.html", **context}, status=status)


def _error(request, error: DomainError, back: str):
    return _page(request, "documents/workfiles/error.html", {"error": error.message, "back": back},
                 status=error.status)


def _agency(request):
    return sel.report_agency(request.user, request.GET.get("co_quan", ""))


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
@require_GET
def workfile_list(request):
    """The yearly file list of the user's agency (filter by year and status), or the files due for hand-over."""
    _staff(request)
    try:
        agency = _agency(request)
    except DomainError as error:
        return _error(request, error, reverse("backoffice:home"))
    today = timezone.localdate()
    year = _int(request.GET.get("nam"), today.year)
    status = request.GET.get("trang_thai") or ""
    due = request.GET.get("tab") == "nop-luu"
    if due:
        rows = sel.workfiles_due_for_handover(agency=agency, today=today)
    else:
        rows = sel.workfiles_for(request.user, agency=agency, year=year,
                                 status=status if status in WorkFileStatus.values else "")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    for work_file in page.object_list:
        work_file.code = svc.workfile_code(work_file)
        work_file.badge = STATUS_BADGES.get(work_file.status, "secondary")
    pending = (not due) and any(f.approved_at is None for f in page.object_list)
    return _page(request, "documents/workfiles/list.html", {
        "agency": agency, "page": page, "year": year, "years": range(today.year + 1, today.year - 6, -1),
        "status": status, "statuses": WorkFileStatus.choices, "due": due,
        "can_manage": can_manage_workfiles(request.user, agency),
        "can_approve": pending and can_approve_file_list(request.user, agency),
    })


def _create_context(request, agency, data=None, error=""):
    return {"agency": agency, "data": data or {"nam": timezone.localdate().year}, "error": error,
            "retentions": RetentionPeriod.objects.all(), "units": agency.units.filter(is_active=True)}


@login_required
@require_http_methods(["GET", "POST"])
def workfile_create(request):
    """A new file of the list: heading, notation (01.TCCB), title, retention, creating unit."""
    _staff(request)
    try:
        agency = _agency(request)
    except DomainError as error:
        return _error(request, error, reverse("documents:workfile_list"))
    if not can_manage_workfiles(request.user, agency):
        raise PermissionDenied("Chỉ văn thư, lãnh đạo hoặc quản trị cơ quan mới lập được danh mục hồ sơ.")
    if request.method == "GET":
        return _page(request, "documents/workfiles/create.html", _create_context(request, agency))
    data = request.POST
    try:
        work_file = svc.workfile_create(
            actor=request.user, agency=agency, year=data.get("nam"), notation=data.get("ky_hieu", ""),
            title=data.get("tieu_de", ""), heading=data.get("de_muc", ""), retention=data.get("thoi_han", ""),
            unit=data.get("don_vi") or None, description=data.get("ghi_chu", ""))
    except DomainError as error:
        return _page(request, "documents/workfiles/create.html",
                     _create_context(request, agency, data, error.message), status=error.status)
    if data.get("mo_ngay"):
        try:
            svc.workfile_open(actor=request.user, work_file=work_file)
        except DomainError as error:
            messages.error(request, error.message)
    messages.success(request, f"Đã thêm hồ sơ {work_file.notation} vào danh mục năm {work_file.year}.")
    return redirect("documents:workfile_detail", ref=work_file.uuid)


@login_required
@require_POST
def workfile_list_approve(request):
    _staff(request)
    back = reverse("documents:workfile_list")
    try:
        year = request.POST.get("nam", "")
        count = svc.file_list_approve(actor=request.user, year=year)
    except DomainError as error:
        return _error(request, error, back)
    messages.success(request, f"Đã duyệt danh mục hồ sơ năm {year}: {count} hồ sơ.")
    return redirect(f"{back}?nam={year}")


def _work_file(request, ref):
    try:
        return sel.workfile_for(request.user, ref)
    except NotFound as error:
        raise Http404(error.message) from None


def _candidates(request, work_file) -> list[dict]:
    """Documents of the agency matching the search box, to add to an open file (at most 20)."""
    query = (request.GET.get("tim") or "").strip()[:100]
    if not query or work_file.status != WorkFileStatus.OPEN:
        return []
    found = []
    condition = Q(number_notation__icontains=query) | Q(summary__icontains=query)
    for visible, kind in ((incoming_visible_to, "den"), (outgoing_visible_to, "di")):
        qs = visible(request.user).filter(condition, agency=work_file.agency)
        for doc in qs.order_by("-created_at")[:10]:
            found.append({"kind": kind, "uuid": doc.uuid, "label": doc.number_notation or "(chưa có số)",
                          "summary": doc.summary, "date": doc.issued_date,
                          "direction": "Văn bản đến" if kind == "den" else "Văn bản đi"})
    return found


@login_required
@require_GET
def workfile_detail(request, ref):
    _staff(request)
    work_file = _work_file(request, ref)
    index = sel.workfile_index(work_file)
    editable = can_edit_workfile(request.user, work_file)
    return _page(request, "documents/workfiles/detail.html", {
        "work_file": work_file, "index": index, "editable": editable,
        "can_manage": can_manage_workfiles(request.user, work_file.agency),
        "badge": STATUS_BADGES.get(work_file.status, "secondary"), "query": request.GET.get("tim", ""),
        "candidates": _candidates(request, work_file) if editable else [],
        "retentions": RetentionPeriod.objects.all(), "today": timezone.localdate(),
        "archivable": svc.retention_allows_archive(work_file.retention),
    })


ACTIONS = {"mo": "open", "them": "add", "bo": "remove", "dong": "close", "nop-luu": "hand_over"}


@login_required
@require_POST
def workfile_action(request, ref, action):
    """One action on a file; the same services as the API."""
    _staff(request)
    work_file = _work_file(request, ref)
    back = reverse("documents:workfile_detail", kwargs={"ref": work_file.uuid})
    data, user = request.POST, request.user
    doc = {"incoming": data.get("van_ban")} if data.get("loai") == "den" else {"outgoing": data.get("van_ban")}
    try:
        if action == "mo":
            svc.workfile_open(actor=user, work_file=work_file,
                              start_date=sel.parse_day(data["ngay"], label="Ngày mở") if data.get("ngay") else None)
            done = "Đã mở hồ sơ."
        elif action == "them":
            item = svc.workfile_document_add(actor=user, work_file=work_file, **doc)
            done = f"Đã đưa văn bản vào hồ sơ, số thứ tự {item.ordinal}."
        elif action == "bo":
            svc.workfile_document_remove(actor=user, work_file=work_file, **doc)
            done = "Đã bỏ văn bản khỏi hồ sơ."
        elif action == "dong":
            svc.workfile_close(actor=user, work_file=work_file, retention=data.get("thoi_han") or None,
                               end_date=sel.parse_day(data["ngay"], label="Ngày kết thúc") if data.get("ngay")
                               else None)
            done = "Đã đóng hồ sơ."
        elif action == "nop-luu":
            svc.workfile_hand_over(actor=user, work_file=work_file)
            done = "Đã nộp lưu hồ sơ vào lưu trữ cơ quan."
        else:
            raise Http404("Không có thao tác này.")
    except DomainError as error:
        return _error(request, error, back)
    messages.success(request, done)
    return redirect(back)


@login_required
@require_GET
def workfile_index_excel(request, ref):
    _staff(request)
    index = sel.workfile_index(_work_file(request, ref))
    response = HttpResponse(excel.index_workbook(index), content_type=excel.XLSX)
    response["Content-Disposition"] = f'attachment; filename="muc-luc-{index.code}.xlsx"'
    return response


@login_required
@require_GET
def workfile_index_pdf(request, ref):
    _staff(request)
    index = sel.workfile_index(_work_file(request, ref))
    response = HttpResponse(pdf.index_pdf(index), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="muc-luc-{index.code}.pdf"'
    return response
