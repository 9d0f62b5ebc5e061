"""The portal's public statistics of dossier processing (/thong-ke-ho-so/): per agency, for a dd/mm/yyyy period."""

from django import forms
from django.template.response import TemplateResponse
from django.utils import timezone

from egov.core.errors import DomainError
from egov.directory.models import Agency
from egov.portal.publicviews.common import AccessibleForm, date_field
from egov.portal.services.public_stats import public_dossier_statistics


class PublicStatsForm(AccessibleForm):
    tu_ngay = date_field("Từ ngày", required=True)
    den_ngay = date_field("Đến ngày", required=True)
    co_quan = forms.ChoiceField(label="Cơ quan", required=False, widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, data):
        super().__init__(data)
        agencies = Agency.objects.filter(is_active=True).order_by("name").values_list("code", "name")
        self.fields["co_quan"].choices = [("", "Tất cả cơ quan")] + list(agencies)
        self.fields["co_quan"].error_messages["invalid_choice"] = "Cơ quan đã chọn không có trong danh sách."

    def clean(self):
        data = super().clean()
        start, end = data.get("tu_ngay"), data.get("den_ngay")
        if start and end and start > end:
            self.add_error("den_ngay", "Đến ngày phải sau hoặc trùng Từ ngày.")
        return data


def percent_text(value) -> str:
    return "–" if value is None else f"{value:.1f}".replace(".", ",") + "%"


def public_statistics(request):
    today = timezone.localdate()
    data = request.GET if "tu_ngay" in request.GET else {
        "tu_ngay": f"{today.replace(month=1, day=1):%d/%m/%Y}", "den_ngay": f"{today:%d/%m/%Y}"}
    form = PublicStatsForm(data)
    stats, status = None, 200
    if form.is_valid():
        try:
            stats = public_dossier_statistics(date_from=form.cleaned_data["tu_ngay"],
                                              date_to=form.cleaned_data["den_ngay"],
                                              agency_code=form.cleaned_data.get("co_quan") or "")
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = 400
    else:
        status = 400
    if stats:
        for row in [*stats["rows"], stats["totals"]]:
            row["rate_text"] = percent_text(row["on_time_rate"])
    return TemplateResponse(request, "portal/statistics/public.html", {"form": form, "stats": stats},
                            status=status)
