import datetime as dt

from django import forms
from django.utils import timezone

from egov.apiclients import policies
from egov.apiclients.scopes import scope_choices


class TokenIssueForm(forms.Form):
    """What an administrator chooses when issuing a token; the service re-checks every rule."""

    agency = forms.ModelChoiceField(label="Cơ quan", queryset=None)
    name = forms.CharField(label="Tên hệ thống sử dụng", max_length=100,
                           help_text="Ví dụ: Cổng dịch vụ công tỉnh, Hệ thống một cửa huyện")
    scopes = forms.MultipleChoiceField(label="Phạm vi", choices=scope_choices, widget=forms.CheckboxSelectMultiple)
    days = forms.IntegerField(label="Hiệu lực (ngày)", min_value=1, max_value=366, initial=90,
                              help_text="Tối đa 366 ngày; hết hạn thì cấp mã mới.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = policies.manageable_agencies(user).order_by("name")

    @property
    def expires_at(self) -> dt.datetime:
        return timezone.now() + dt.timedelta(days=self.cleaned_data["days"])
