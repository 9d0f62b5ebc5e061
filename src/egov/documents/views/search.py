"""The document search page (/can-bo/van-ban/tim-kiem/): one box over number/notation, summary, issuer and
full text, with filters, ranked hits and highlighted snippets. A GET form, so a search can be bookmarked."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from egov.accounts.decorators import official_required
from egov.documents.models import DocumentRegister, DocumentType, IncomingStatus, OutgoingStatus
from egov.documents.search_index import documents_search, user_principals
from egov.search.backends import Hit, SearchFilters

PAGE_SIZE = 20
DATE_ERRORS = {"invalid": "Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy."}
DIRECTIONS = [("", "Văn bản đến và đi"), ("incoming", "Văn bản đến"), ("outgoing", "Văn bản đi")]
STATUS_LABELS = {"incoming": dict(IncomingStatus.choices), "outgoing": dict(OutgoingStatus.choices)}


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(label=label, required=False, input_formats=["%d/%m/%Y"], error_messages=DATE_ERRORS,
                           widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                                         "autocomplete": "off", "class": "form-control"}))


class SearchForm(forms.Form):
    q = forms.CharField(label="Từ khóa", required=False, max_length=300,
                        widget=forms.TextInput(attrs={"class": "form-control", "type": "search", "autofocus": True,
                                                      "placeholder": "Số, ký hiệu, trích yếu, nội dung…"}))
    huong = forms.ChoiceField(label="Loại sổ", required=False, choices=DIRECTIONS,
                              widget=forms.Select(attrs={"class": "form-select"}))
    loai = forms.ChoiceField(label="Loại văn bản", required=False,
                             widget=forms.Select(attrs={"class": "form-select"}))
    co_quan = forms.CharField(label="Cơ quan ban hành", required=False, max_length=200,
                              widget=forms.TextInput(attrs={"class": "form-control"}))
    trang_thai = forms.ChoiceField(label="Trạng thái", required=False,
                                   widget=forms.Select(attrs={"class": "form-select"}))
    so = forms.ChoiceField(label="Sổ văn bản", required=False, widget=forms.Select(attrs={"class": "form-select"}))
    tu_ngay = _date_field("Từ ngày")
    den_ngay = _date_field("Đến ngày")

    def __init__(self, data, *, registers):
        super().__init__(data)
        self.fields["loai"].choices = [("", "Tất cả")] + [(t.code, t.name) for t in DocumentType.objects.all()]
        statuses = {**STATUS_LABELS["incoming"], **STATUS_LABELS["outgoing"]}
        self.fields["trang_thai"].choices = [("", "Tất cả")] + sorted(statuses.items(), key=lambda kv: kv[1])
        self.fields["so"].choices = [("", "Tất cả")] + [(str(r.uuid), r.name) for r in registers]

    def clean(self):
        data = super().clean()
        start, end = data.get("tu_ngay"), data.get("den_ngay")
        if start and end and start > end:
            self.add_error("den_ngay", "“Đến ngày” phải sau hoặc bằng “Từ ngày”.")
        return data

    def filters(self) -> SearchFilters:
        d = self.cleaned_data
        return SearchFilters(direction=d.get("huong") or "", type_code=d.get("loai") or "",
                             issuer=d.get("co_quan") or "", status=d.get("trang_thai") or "",
                             register=d.get("so") or "", date_from=d.get("tu_ngay"), date_to=d.get("den_ngay"))


def hit_url(hit: Hit) -> str:
    """The detail page of the hit, once the incoming/outgoing pages exist."""
    try:
        return reverse(f"documents:{hit.direction}_detail", args=[hit.uuid])
    except NoReverseMatch:
        return ""


def hit_status_label(hit: Hit) -> str:
    return STATUS_LABELS.get(hit.direction, {}).get(hit.status, hit.status)


def _registers(user):
    agency_ids = [int(p[2:]) for p in user_principals(user) if p.startswith("a:")]
    return DocumentRegister.objects.filter(agency_id__in=agency_ids).order_by("direction", "name")


@require_GET
@official_required
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, registers=_registers(request.user))
    result, rows, status, needs_input = None, [], 200, False
    if request.GET and form.is_valid() and not any(form.cleaned_data.values()):
        needs_input = True
    elif request.GET and form.is_valid():
        try:
            page = max(1, int(request.GET.get("trang", "1")))
        except ValueError:
            page = 1
        result = documents_search(user=request.user, query=form.cleaned_data["q"], filters=form.filters(),
                                  page=page, page_size=PAGE_SIZE)
        rows = [{"hit": h, "url": hit_url(h), "status_label": hit_status_label(h)} for h in result.hits]
    elif request.GET:
        status = 400
    params = {k: v for k, v in request.GET.items() if k != "trang" and v}
    return render(request, "documents/search/page.html", {
        "form": form, "result": result, "rows": rows, "query_string": urlencode(params),
        "searched": result is not None, "needs_input": needs_input,
    }, status=status)
