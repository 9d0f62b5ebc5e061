"""Django admin of the directory, for system administrators.

Saving goes through the services (validation, permissions, audit), never straight to the tables. A rule
broken on save becomes an error message on the form, not a 500. Nothing is deleted: agencies are closed,
officials deactivated. Successions and former names are written by rename/merge/split and shown read-only.
"""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect

from egov.accounts.roles import STAFF_ROLES, Role
from egov.core.errors import DomainError
from egov.directory import services
from egov.directory.models import Agency, AgencyNameHistory, AgencySuccession, Official, Position, Unit


class ServiceAdmin(admin.ModelAdmin):
    """Turns a DomainError raised by a service while saving into a message, keeping the user on the form."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def has_delete_permission(self, request, obj=None):
        return False


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["code", "name", "abbreviation", "kind", "parent", "code_qcvn102", "code_qd20", "admin_unit_code",
                  "address", "phone", "email", "valid_from", "valid_to", "is_active", "note"]

    def _clean_with(self, field_name, cleaner):
        try:
            return cleaner(self.cleaned_data.get(field_name))
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None

    def clean_code(self):
        return self._clean_with("code", services.clean_agency_code)

    def clean_code_qcvn102(self):
        return self._clean_with("code_qcvn102", services.clean_optional_qcvn102)

    def clean_code_qd20(self):
        return self._clean_with("code_qd20", services.clean_optional_qd20)


class UnitInline(admin.TabularInline):
    model = Unit
    fields = ["code", "name", "parent", "is_active"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(ServiceAdmin):
    form = AgencyForm
    list_display = ["name", "abbreviation", "kind", "parent", "code_qcvn102", "code_qd20", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code", "abbreviation", "code_qcvn102", "code_qd20", "admin_unit_code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    inlines = [UnitInline]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data.get(name) for name in form.Meta.fields if name in form.cleaned_data}
        if change:
            data.pop("code", None)
            original = Agency.objects.get(pk=obj.pk)
            saved = services.agency_update(actor=request.user, agency=original, **data)
        else:
            saved = services.agency_create(actor=request.user, **data)
        obj.pk, obj.uuid = saved.pk, saved.uuid


@admin.register(Unit)
class UnitAdmin(ServiceAdmin):
    list_display = ["name", "code", "agency", "parent", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code", "agency__name", "agency__code"]
    list_select_related = ["agency", "parent"]
    autocomplete_fields = ["agency", "parent"]
    fields = ["agency", "code", "name", "parent", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        return ["agency"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            original = Unit.objects.get(pk=obj.pk)
            saved = services.unit_update(actor=request.user, unit=original, code=data["code"], name=data["name"],
                                         parent=data.get("parent"), is_active=data.get("is_active", True))
        else:
            saved = services.unit_create(actor=request.user, agency=data["agency"], code=data["code"],
                                         name=data["name"], parent=data.get("parent"))
        obj.pk, obj.uuid = saved.pk, saved.uuid


@admin.register(Position)
class PositionAdmin(ServiceAdmin):
    list_display = ["name", "code", "rank"]
    search_fields = ["name", "code"]
    fields = ["code", "name", "rank"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            saved = services.position_update(actor=request.user, position=Position.objects.get(pk=obj.pk),
                                             name=data["name"], rank=data["rank"])
        else:
            saved = services.position_create(actor=request.user, code=data["code"], name=data["name"],
                                             rank=data["rank"])
        obj.pk, obj.uuid = saved.pk, saved.uuid


STAFF_ROLE_CHOICES = [(r.value, r.label) for r in Role if r in STAFF_ROLES]


class OfficialAddForm(forms.ModelForm):
    username = forms.CharField(label="Tên đăng nhập", max_length=150)
    full_name = forms.CharField(label="Họ và tên", max_length=150)
    role = forms.ChoiceField(label="Vai trò", choices=STAFF_ROLE_CHOICES)
    password = forms.CharField(label="Mật khẩu", required=False, widget=forms.PasswordInput,
                               help_text="Để trống: tài khoản chưa đăng nhập được cho đến khi đặt mật khẩu.")

    class Meta:
        model = Official
        fields = ["agency", "unit", "position", "phone", "email"]


class OfficialChangeForm(forms.ModelForm):
    full_name = forms.CharField(label="Họ và tên", max_length=150)
    role = forms.ChoiceField(label="Vai trò", choices=STAFF_ROLE_CHOICES)

    class Meta:
        model = Official
        fields = ["agency", "unit", "position", "phone", "email", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["full_name"].initial = self.instance.user.full_name
            self.fields["role"].initial = self.instance.user.role


@admin.register(Official)
class OfficialAdmin(ServiceAdmin):
    list_display = ["__str__", "position", "unit", "phone", "email", "is_active"]
    list_filter = ["is_active", "user__role"]
    search_fields = ["user__username", "user__full_name", "email", "phone", "agency__name", "agency__code"]
    list_select_related = ["user", "agency", "unit", "position"]
    autocomplete_fields = ["agency", "unit"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = OfficialChangeForm if obj is not None else OfficialAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["username", "full_name", "role", "password", "agency", "unit", "position", "phone", "email"]
        return ["full_name", "role", "agency", "unit", "position", "phone", "email", "is_active"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            saved = services.official_create(
                actor=request.user, username=data["username"], full_name=data["full_name"], role=data["role"],
                agency=data["agency"], unit=data.get("unit"), position=data.get("position"),
                phone=data.get("phone", ""), email=data.get("email", ""), password=data.get("password") or None,
            )
            obj.pk, obj.uuid, obj.user = saved.pk, saved.uuid, saved.user
            return
        original = Official.objects.select_related("user", "agency").get(pk=obj.pk)
        official = services.official_update(
            actor=request.user, official=original, full_name=data["full_name"], role=data["role"],
            agency=data["agency"], unit=data.get("unit"), position=data.get("position"),
            phone=data.get("phone", ""), email=data.get("email", ""),
        )
        if data.get("is_active") and not official.is_active:
            services.official_reactivate(actor=request.user, official=official)
        elif not data.get("is_active") and official.is_active:
            services.official_deactivate(actor=request.user, official=official)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AgencySuccession)
class AgencySuccessionAdmin(ReadOnlyAdmin):
    list_display = ["predecessor", "successor", "kind", "effective_date", "decision"]
    list_filter = ["kind"]
    search_fields = ["predecessor__name", "successor__name", "decision"]
    list_select_related = ["predecessor", "successor"]


@admin.register(AgencyNameHistory)
class AgencyNameHistoryAdmin(ReadOnlyAdmin):
    list_display = ["name", "abbreviation", "agency", "valid_to", "decision"]
    search_fields = ["name", "agency__name"]
    list_select_related = ["agency"]
