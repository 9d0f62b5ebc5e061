"""The public search of the legal documents library (/van-ban-phap-luat/)."""

from django import forms
from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from egov.portal.publicviews.common import AccessibleForm, date_field, query_without_page
from egov.portal.services.legal_search import LegalFilters, legal_documents_search, legal_filter_choices

PAGE_SIZE = 20


class LegalSearchForm(AccessibleForm):
    q = forms.CharField(label="Từ khóa (trích yếu, nội dung)", required=False, max_length=200,
                        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}))
    so_ky_hieu = forms.CharField(label="Số, ký hiệu", required=False, max_length=50,
                                 widget=forms.TextInput(attrs={"class": "form-control",
                                                               "placeholder": "ví dụ 15/2026/QĐ-UBND"}))
    loai = forms.ChoiceField(label="Loại văn bản", required=False,
                             widget=forms.Select(attrs={"class": "form-select"}))
    co_quan = forms.ChoiceField(label="Cơ quan ban hành", required=False,
                                widget=forms.Select(attrs={"class": "form-select"}))
    linh_vuc = forms.ChoiceField(label="Lĩnh vực", required=False, widget=forms.Select(attrs={"class": "form-select"}))
    tu_ngay = date_field("Ban hành từ ngày")
    den_ngay = date_field("Đến ngày")

    def __init__(self, data, *, choices: dict):
        super().__init__(data)
        for name, key, label in (("loai", "document_types", "Tất cả loại"), ("co_quan", "issuers", "Tất cả cơ quan"),
                                 ("linh_vuc", "fields", "Tất cả lĩnh vực")):
            self.fields[name].choices = [("", label)] + [(value, value) for value in choices[key]]
            self.fields[name].error_messages["invalid_choice"] = "Giá trị đã chọn không có trong danh sách."

    def clean(self):
        data = super().clean()
        start, end = data.get("tu_ngay"), data.get("den_ngay")
        if start and end and start > end:
            self.add_error("den_ngay", "Đến ngày phải sau hoặc trùng Từ ngày.")
        return data

    def filters(self) -> LegalFilters:
        data = self.cleaned_data
        return LegalFilters(q=data.get("q") or "", number=data.get("so_ky_hieu") or "",
                            document_type=data.get("loai") or "", issuer=data.get("co_quan") or "",
                            field=data.get("linh_vuc") or "", date_from=data.get("tu_ngay"),
                            date_to=data.get("den_ngay"))


def legal_search(request):
    form = LegalSearchForm(request.GET or None, choices=legal_filter_choices())
    status = 200
    if not request.GET:
        results = legal_documents_search(LegalFilters())
    elif form.is_valid():
        results = legal_documents_search(form.filters())
    else:
        results, status = legal_documents_search(LegalFilters()).none(), 400
    page_obj = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "portal/legal/search.html", {
        "form": form, "page_obj": page_obj, "results": page_obj.object_list, "searched": bool(request.GET),
        "extra_query": query_without_page(request)}, status=status)
