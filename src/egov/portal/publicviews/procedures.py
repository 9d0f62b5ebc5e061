"""The public procedure catalogue of the portal (/thu-tuc-hanh-chinh/): a list by field and level with search,
and a detail page (papers, time, fees, legal basis) linking the e-services submission for online procedures.
Reads through ``egov.onestop.catalogue`` selectors (the same rules as the one-stop desk)."""

from django import forms
from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from egov.core.errors import DomainError
from egov.eservices.selectors import is_online
from egov.onestop.catalogue import duration_text, fee_text
from egov.onestop.catalogue.selectors import (
    procedure_by_code,
    procedure_current_version,
    procedures_public,
    procedures_search,
)
from egov.onestop.models import Field, ProcedureLevel
from egov.portal.publicviews.common import AccessibleForm, query_without_page

PAGE_SIZE = 20


class ProcedureFilterForm(AccessibleForm):
    q = forms.CharField(label="Tên hoặc mã thủ tục", required=False, max_length=200,
                        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}))
    linh_vuc = forms.ChoiceField(label="Lĩnh vực", required=False, widget=forms.Select(attrs={"class": "form-select"}))
    cap = forms.ChoiceField(label="Cấp thực hiện", required=False, widget=forms.Select(attrs={"class": "form-select"}),
                            choices=[("", "Tất cả các cấp"), *ProcedureLevel.choices])

    def __init__(self, data):
        super().__init__(data)
        self.fields["linh_vuc"].choices = [("", "Tất cả lĩnh vực")] + list(
            Field.objects.filter(procedures__is_active=True).distinct().order_by("name").values_list("code", "name"))
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = "Giá trị đã chọn không có trong danh sách."


def procedure_list(request):
    form = ProcedureFilterForm(request.GET or None)
    queryset, status = procedures_public(), 200
    if request.GET and form.is_valid():
        data = form.cleaned_data
        if data.get("linh_vuc"):
            queryset = queryset.filter(field__code=data["linh_vuc"])
        if data.get("cap"):
            queryset = queryset.filter(level=data["cap"])
        queryset = procedures_search(queryset, data.get("q"))
    elif request.GET:
        queryset, status = queryset.none(), 400
    if not queryset.query.order_by:
        queryset = queryset.order_by("field__name", "code")
    page_obj = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"procedure": p, "online": is_online(p.current_version)} for p in page_obj.object_list]
    return TemplateResponse(request, "portal/procedures/list.html", {
        "form": form, "page_obj": page_obj, "rows": rows, "extra_query": query_without_page(request)}, status=status)


def procedure_detail(request, code: str):
    try:
        procedure = procedure_by_code(code, queryset=procedures_public())
    except DomainError:
        procedure = None
    version = procedure_current_version(procedure) if procedure else None
    if version is None:
        return TemplateResponse(request, "portal/procedures/missing.html", {"code": code}, status=404)
    return TemplateResponse(request, "portal/procedures/detail.html", {
        "procedure": procedure, "version": version, "papers": list(version.papers.all()),
        "fees": [fee_text(fee) for fee in version.fees or []],
        "duration": duration_text(version.processing_days, version.processing_hours),
        "online": is_online(version), "steps": list(version.steps.all()),
    })
