"""Forms of the citizens' side. The online declaration (tờ khai) is built from the procedure version's
``form_schema``, so each procedure defines its own fields without code; the same builder validates what the
service stores, whatever channel sent it."""

from decimal import Decimal

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.core.errors import DomainError
from egov.eservices.validators import normalize_cccd, normalize_phone, validate_cccd, validate_phone
from egov.onestop.returns import OVERALL_LABELS, RATING_QUESTIONS

MAX_TEXT = 500
MAX_TEXTAREA = 4000


def bootstrap(form: forms.Form) -> forms.Form:
    """Give every widget the Bootstrap class its kind needs (inputs, selects, radios, checkboxes)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    return form


class BootstrapForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


# --- accounts ------------------------------------------------------------------------------------
class RegistrationForm(BootstrapForm):
    username = forms.CharField(
        label="Tên đăng nhập", max_length=150, validators=[User.username_validator],
        help_text="Chữ cái không dấu, chữ số và các ký tự @ . + - _",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    full_name = forms.CharField(label="Họ và tên", max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    id_number = forms.CharField(label="Số định danh cá nhân (CCCD)", max_length=20, validators=[validate_cccd],
                                help_text="12 chữ số, in trên căn cước công dân",
                                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    phone = forms.CharField(label="Số điện thoại", max_length=20, validators=[validate_phone],
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    email = forms.EmailField(label="Thư điện tử", required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    address = forms.CharField(label="Địa chỉ thường trú", max_length=MAX_TEXT, required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    password1 = forms.CharField(label="Mật khẩu", strip=False,
                                help_text="Ít nhất 10 ký tự, không quá phổ biến, không toàn chữ số.",
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label="Nhập lại mật khẩu", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean_id_number(self) -> str:
        return normalize_cccd(self.cleaned_data["id_number"])

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "Hai lần nhập mật khẩu không khớp.")
        elif first:
            probe = User(username=data.get("username", ""), full_name=data.get("full_name", ""),
                         email=data.get("email", ""))
            try:
                password_validation.validate_password(first, probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class CitizenLoginForm(AuthenticationForm):
    """Django's login form (axes counts the failures); officials are sent to their own login page."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng.",
        "inactive": "Tài khoản đã bị khóa.",
        "not_citizen": "Tài khoản cán bộ, công chức đăng nhập tại trang dành cho cán bộ.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập"
        self.fields["password"].label = "Mật khẩu"
        bootstrap(self)

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.role != Role.CITIZEN or user.is_superuser:
            raise ValidationError(self.error_messages["not_citizen"], code="not_citizen")


# --- the online declaration built from form_schema -------------------------------------------------
def _schema_field(item: dict) -> forms.Field:
    kind = item.get("type") or "text"
    common = {"label": item.get("label") or item["name"], "required": bool(item.get("required")),
              "help_text": item.get("help") or ""}
    if kind == "textarea":
        return forms.CharField(max_length=MAX_TEXTAREA, widget=forms.Textarea(attrs={"rows": 3}), **common)
    if kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
    if kind == "number":
        # Text input, localized: Vietnamese write "3,2"; a number input would refuse the comma.
        return forms.DecimalField(max_digits=18, decimal_places=4, localize=True,
                                  widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    if kind == "select":
        choices = [(str(choice), str(choice)) for choice in item.get("choices") or []]
        return forms.ChoiceField(choices=[("", "— Chọn —"), *choices], **common)
    return forms.CharField(max_length=MAX_TEXT, **common)


def _json_value(value):
    """Cleaned values as JSON: dates ISO, numbers int when whole, text as typed."""
    if value is None or value == "":
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class DeclarationForm(BootstrapForm):
    def json_data(self) -> dict:
        """The cleaned answers as JSON values; empty optional answers are left out."""
        values = {name: _json_value(value) for name, value in self.cleaned_data.items()}
        return {name: value for name, value in values.items() if value is not None}


def schema_form_class(schema: list[dict]) -> type[DeclarationForm]:
    """A Django form with one field per schema item, in schema order."""
    fields = {item["name"]: _schema_field(item) for item in schema or [] if isinstance(item, dict) and item.get("name")}
    return type("ProcedureDeclarationForm", (DeclarationForm,), fields)


def form_data_validate(schema: list[dict], data: dict | None) -> dict:
    """Validate ``data`` against the procedure's declaration; DomainError naming each wrong field."""
    known = {item.get("name") for item in schema or [] if isinstance(item, dict)}
    unknown = sorted(set(data or {}) - known)
    if unknown:
        raise DomainError("invalid_form", f"Tờ khai có trường không thuộc thủ tục này: {', '.join(unknown)}.",
                          status=422)
    bound = {key: ("" if value is None else value) for key, value in (data or {}).items()}
    form = schema_form_class(schema)(data=bound)
    if not form.is_valid():
        details = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
        labels = "; ".join(f"{form.fields[name].label}: {' '.join(messages)}" for name, messages in details.items())
        raise DomainError("invalid_form", f"Tờ khai chưa hợp lệ – {labels}", status=422, details=details)
    return form.json_data()


# --- submission ----------------------------------------------------------------------------------
def paper_field_name(paper) -> str:
    return f"paper_{paper.uuid.hex}"


class SubmissionForm(BootstrapForm):
    """The applicant's contact data, the receiving agency and one upload per paper to submit."""

    applicant_phone = forms.CharField(label="Số điện thoại liên hệ", max_length=20, validators=[validate_phone],
                                      widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    applicant_email = forms.EmailField(label="Thư điện tử nhận thông báo", required=False,
                                       widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    applicant_address = forms.CharField(label="Địa chỉ liên hệ", max_length=MAX_TEXT,
                                        widget=forms.TextInput(attrs={"autocomplete": "street-address"}))

    def __init__(self, *args, papers=(), agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        agencies = list(agencies)
        if len(agencies) > 1:
            self.fields["agency"] = forms.ChoiceField(
                label="Nơi tiếp nhận hồ sơ", choices=[("", "— Chọn xã, phường hoặc cơ quan —")]
                + [(agency.code, agency.name) for agency in agencies],
                help_text="Chọn xã, phường nơi ông/bà cư trú hoặc cơ quan giải quyết thủ tục.",
            )
        self.paper_fields = []
        for paper in papers:
            name = paper_field_name(paper)
            required = paper.mandatory
            label = paper.name if required else f"{paper.name} (nếu có)"
            self.fields[name] = forms.FileField(
                label=label, required=required,
                help_text=" ".join(part for part in (paper.condition, "Tệp PDF, JPEG, PNG, DOCX hoặc XLSX.") if part),
                error_messages={"required": f"Chưa đính kèm “{paper.name}” (thành phần hồ sơ bắt buộc)."},
                widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}),
            )
            self.paper_fields.append(name)
        bootstrap(self)

    def clean_applicant_phone(self) -> str:
        return normalize_phone(self.cleaned_data["applicant_phone"])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class SupplementForm(BootstrapForm):
    files = MultipleFileField(label="Tệp bổ sung", help_text="Có thể chọn nhiều tệp PDF, JPEG, PNG, DOCX hoặc XLSX.",
                              error_messages={"required": "Chưa chọn tệp bổ sung nào."})
    note = forms.CharField(label="Ghi chú gửi cơ quan", max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(BootstrapForm):
    reason = forms.CharField(label="Lý do rút hồ sơ", max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class RatingForm(BootstrapForm):
    """NĐ 61/2018 Art. 31 questions, as the returns service defines them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, question in RATING_QUESTIONS.items():
            self.fields[key] = forms.ChoiceField(
                label=question["label"], required=question["required"], widget=forms.RadioSelect,
                choices=list(question["choices"].items()),
            )
        self.fields["overall"] = forms.TypedChoiceField(
            label="Mức độ hài lòng chung", coerce=int, widget=forms.RadioSelect,
            choices=[(value, label) for value, label in OVERALL_LABELS.items()],
        )
        self.fields["comment"] = forms.CharField(label="Góp ý thêm", max_length=2000, required=False,
                                                 widget=forms.Textarea(attrs={"rows": 2}))
        bootstrap(self)

    def answers(self) -> dict:
        return {key: self.cleaned_data.get(key) or "" for key in RATING_QUESTIONS}


class LookupForm(forms.Form):
    ma = forms.CharField(label="Mã hồ sơ", max_length=60, required=False)
