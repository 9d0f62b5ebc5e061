"""Bits the public views share: dd/mm/yyyy date fields and a form that marks its invalid fields for screen readers."""

from urllib.parse import urlencode

from django import forms

DATE_ERRORS = {"invalid": "Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy.",
               "required": "Vui lòng nhập ngày."}


def date_field(label: str, *, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, input_formats=["%d/%m/%Y"], error_messages=DATE_ERRORS,
                           widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                                         "autocomplete": "off", "class": "form-control"}))


class AccessibleForm(forms.Form):
    """Invalid fields get ``is-invalid``, ``aria-invalid`` and ``aria-describedby`` pointing at their error."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"error-{name}"


def query_without_page(request) -> str:
    """The current filters for pager links (``&`` + encoded query, without the page number)."""
    params = [(key, value) for key, values in request.GET.lists() if key != "page" for value in values]
    return "&" + urlencode(params) if params else ""
