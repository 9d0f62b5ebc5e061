"""Managers' statistics page (/can-bo/mot-cua/thong-ke/) and its Excel download. Thin views over
``onestop.statistics`` (the numbers and who may see them) and ``onestop.stats_excel`` (the workbook).

The filter is a GET form (dd/mm/yyyy dates, agency, procedure, grouping), so a table can be bookmarked and the
"Tải Excel" link carries the same filters. Bad input comes back as a Vietnamese form error with status 400.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import select_template
from django.urls import path
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from egov.core.errors import DomainError, PermissionDeniedError
from egov.onestop.statistics import (
    GROUPS,
    dossier_statistics,
    statistics_agencies,
    statistics_procedures,
    statistics_scope,
)
from egov.onestop.stats_excel import statistics_filename, statistics_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_ERRORS = {"required": "Vui lòng nhập ngày.", "invalid": "Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy."}


class StatisticsForm(forms.Form):
    tu_ngay = forms.DateField(label="Từ ngày", input_formats=["%d/%m/%Y"], error_messages=DATE_ERRORS,
                              widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                                            "autocomplete": "off", "class": "form-control"}))
    den_ngay = forms.DateField(label="Đến ngày", input_formats=["%d/%m/%Y"], error_messages=DATE_ERRORS,
                               widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                                             "autocomplete": "off", "class": "form-control"}))
    co_quan = forms.ChoiceField(label="Cơ quan", required=False,
                                error_messages={"invalid_choice": "Cơ quan đã chọn không có trong danh sách."},
                                widget=forms.Select(attrs={"class": "form-select"}))
    thu_tuc = forms.ChoiceField(label="Thủ tục", required=False,
                                error_messages={"invalid_choice": "Thủ tục đã chọn không có trong danh sách."},
                                widget=forms.Select(attrs={"class": "form-select"}))
    nhom_theo = forms.ChoiceField(label="Nhóm theo", required=False, choices=list(GROUPS.items()),
                                  error_messages={"invalid_choice": "Cách nhóm đã chọn không hợp lệ."},
                                  widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, data, *, agencies, procedures, all_label):
        super().__init__(data)
        self.fields["co_quan"].choices = [("", all_label)] + [(a.code, a.name) for a in agencies]
        self.fields["thu_tuc"].choices = [("", "Tất cả thủ tục")] + [
            (p.code, f"{p.code} – {p.name[:120]}") for p in procedures
        ]

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"error-{name}"

    def clean(self):
        data = super().clean()
        start, end = data.get("tu_ngay"), data.get("den_ngay")
        if start and end and start > end:
            self.add_error("den_ngay", "Đến ngày phải sau hoặc trùng Từ ngày.")
        return data


def _defaults() -> dict:
    today = timezone.localdate()
    return {"tu_ngay": f"{today.replace(month=1, day=1):%d/%m/%Y}", "den_ngay": f"{today:%d/%m/%Y}",
            "nhom_theo": "agency"}


def _form(request):
    """The bound form (defaults when the page is opened without filters) and the viewer's scope."""
    try:
        scope = statistics_scope(request.user)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from None
    data = request.GET.copy() if "tu_ngay" in request.GET or "den_ngay" in request.GET else _defaults()
    all_label = "Tất cả cơ quan" if scope.agency_ids is None else f"Tất cả ({scope.label})"
    return StatisticsForm(data, agencies=statistics_agencies(scope), procedures=statistics_procedures(),
                          all_label=all_label)


def _statistics(request, form):
    data = form.cleaned_data
    return dossier_statistics(user=request.user, date_from=data["tu_ngay"], date_to=data["den_ngay"],
                              agency=data.get("co_quan") or None, procedure=data.get("thu_tuc") or None,
                              group_by=data.get("nhom_theo") or "agency")


NUMBER_COLUMNS = ("received", "resolved", "early", "on_time", "late", "in_progress", "refused", "withdrawn",
                  "returned")


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _percent(value) -> str:
    return "–" if value is None else f"{value:.1f}".replace(".", ",") + "%"


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _cells(row) -> list[tuple[str, str, str]]:
    """(column, text, extra CSS class) of a row's figures, formatted the Vietnamese way (1.234; 45,6%)."""
    cells = [(name, _number(getattr(row, name)), " text-danger" if name == "late" and row.late else "")
             for name in NUMBER_COLUMNS]
    cells.append(("online_share", _percent(row.online_share), ""))
    cells.append(("on_time_rate", _percent(row.on_time_rate), ""))
    return cells


def _labels(row, group_by: str) -> list[str]:
    return {
        "agency": lambda: [row.agency_name],
        "procedure": lambda: [f"{row.procedure_code} {_short(row.procedure_name)}"],
        "agency_procedure": lambda: [row.agency_name, f"{row.procedure_code} {_short(row.procedure_name, 100)}"],
        "month": lambda: [f"{row.month:%m/%Y}"],
    }[group_by]()


def _tds(cells) -> str:
    return "".join(f'<td class="text-end{css}" data-col="{column}">{text}</td>' for column, text, css in cells)


def _row_html(number: int, key: str, labels: list[str], cells) -> str:
    tds = "".join(f"<td>{escape(text)}</td>" for text in labels)
    return f'<tr data-key="{escape(key)}"><td>{number}</td>{tds}{_tds(cells)}</tr>'


def _table(stats) -> dict:
    """The table body as HTML, built once here: a province-wide table by agency and procedure has over a thousand
    rows, too slow for the template engine. Labels are escaped; figures are digits, dots, commas and signs."""
    body = "\n".join(_row_html(number, row.key, _labels(row, stats.group_by), _cells(row))
                      for number, row in enumerate(stats.rows, start=1))
    span = 3 if stats.group_by == "agency_procedure" else 2
    footer = (f'<tr class="fw-bold table-light" data-key="total"><td colspan="{span}">Tổng cộng</td>'
              f"{_tds(_cells(stats.totals))}</tr>")
    return {"body": mark_safe(body), "totals": mark_safe(footer)}  # noqa: S308


def _base_template() -> str:
    return select_template(["backoffice/base.html", "base.html"]).template.name


@login_required
@require_GET
def statistics_page(request):
    form = _form(request)
    stats, error, status = None, "", 200
    if form.is_valid():
        try:
            stats = _statistics(request, form)
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from None
        except DomainError as exc:
            error, status = exc.message, exc.status
    else:
        status = 400
    query = request.GET.urlencode() if stats is not None and request.GET else ""
    if stats is not None and not query:
        query = "&".join(f"{key}={value}" for key, value in _defaults().items())
    return render(request, "onestop/stats/statistics.html", {
        "base_template": _base_template(), "form": form, "stats": stats, "error": error, "query": query,
        "as_of": timezone.localtime(), "table": _table(stats) if stats is not None else None,
    }, status=status)


@login_required
@require_GET
def statistics_excel(request):
    form = _form(request)
    if not form.is_valid():
        return render(request, "onestop/stats/statistics.html", {
            "base_template": _base_template(), "form": form, "stats": None, "error": "", "query": "",
            "as_of": timezone.localtime(),
        }, status=400)
    try:
        stats = _statistics(request, form)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        return render(request, "onestop/stats/statistics.html", {
            "base_template": _base_template(), "form": form, "stats": None, "error": exc.message, "query": "",
            "as_of": timezone.localtime(),
        }, status=exc.status)
    response = HttpResponse(statistics_workbook(stats), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{statistics_filename(stats)}"'
    return response


urlpatterns = [
    path("", statistics_page, name="statistics"),
    path("excel/", statistics_excel, name="statistics_excel"),
]
