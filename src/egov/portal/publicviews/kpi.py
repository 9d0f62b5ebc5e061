"""Back-office page of the directive information KPI (/can-bo/cong-thong-tin/chi-so/): per agency and period,
the share published within 2 working days and the list of late or missing items (``portal.kpi``)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from egov.core.errors import DomainError, PermissionDeniedError
from egov.portal import kpi
from egov.portal.publicviews.common import AccessibleForm, date_field


class KpiForm(AccessibleForm):
    tu_ngay = date_field("Ban hành từ ngày", required=True)
    den_ngay = date_field("Đến ngày", required=True)
    co_quan = forms.ChoiceField(label="Cơ quan", required=False, widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, data, *, agencies):
        super().__init__(data)
        self.agencies = {a.code: a for a in agencies}
        self.fields["co_quan"].choices = [("", "Tất cả cơ quan được xem")] + [(a.code, a.name) for a in agencies]
        self.fields["co_quan"].error_messages["invalid_choice"] = "Cơ quan đã chọn không có trong danh sách."

    def clean(self):
        data = super().clean()
        start, end = data.get("tu_ngay"), data.get("den_ngay")
        if start and end and start > end:
            self.add_error("den_ngay", "Đến ngày phải sau hoặc trùng Từ ngày.")
        return data


def _percent(value) -> str:
    return "–" if value is None else f"{value:.1f}".replace(".", ",") + "%"


@login_required
def kpi_page(request):
    try:
        agencies = kpi.kpi_agencies(request.user)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from None
    today = timezone.localdate()
    data = request.GET if "tu_ngay" in request.GET else {
        "tu_ngay": f"{today.replace(day=1):%d/%m/%Y}", "den_ngay": f"{today:%d/%m/%Y}"}
    form = KpiForm(data, agencies=agencies)
    result, status = None, 200
    if form.is_valid():
        try:
            result = kpi.directive_kpi(user=request.user, date_from=form.cleaned_data["tu_ngay"],
                                       date_to=form.cleaned_data["den_ngay"],
                                       agency=form.agencies.get(form.cleaned_data.get("co_quan") or ""))
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = 400
    else:
        status = 400
    rows = []
    if result is not None:
        rows = [{"row": row, "rate": _percent(row.rate)} for row in result.rows]
    return render(request, "portal/kpi/directive.html", {
        "form": form, "result": result, "rows": rows, "total_rate": _percent(result.totals.rate) if result else "",
        "deadline_days": kpi.DEADLINE_DAYS}, status=status)
