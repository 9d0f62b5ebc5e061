"""Admin for the procedure catalogue (and a read-only list of dossiers).

Every change goes through the catalogue services, so the same rules apply as for the API and the import
(errors beside the form) and each change is audited. A version that dossiers were received under is shown
read-only: the "copy as a new version" action makes an editable successor. New procedures come in through
the import (JSON or Excel), which carries their first version's rules.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from egov.core.errors import DomainError
from egov.onestop import catalogue as cat
from egov.onestop.models import Dossier, Field, Procedure, ProcedureVersion, ProcessStep, RequiredPaper

VERSION_FIELDS = ["implementing_agency_text", "processing_days", "processing_hours", "count_receipt_day",
                  "online_mode", "online_result", "consultation_allowed", "fees", "result_documents",
                  "legal_basis", "form_schema", "notes"]


def _rules_head(data: dict) -> dict:
    raw = {key: data.get(key) for key in VERSION_FIELDS if key != "implementing_agency_text"}
    raw["implementing_agency"] = data.get("implementing_agency_text")
    return raw


def _paper_raw(data: dict) -> dict:
    return {key: data.get(key) for key in cat.PAPER_KEYS}


def _step_raw(data: dict) -> dict:
    return {key: data.get(key) for key in cat.STEP_KEYS}


class FieldAdminForm(forms.ModelForm):
    class Meta:
        model = Field
        fields = ["code", "name"]

    def clean(self):
        data = super().clean()
        _, errors = cat.clean_field({"code": data.get("code") or "", "name": data.get("name") or ""})
        for error in errors:
            self.add_error(None, error)
        return data


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    form = FieldAdminForm
    list_display = ["code", "name"]
    search_fields = ["code", "name"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []

    def save_model(self, request, obj, form, change):
        saved, _ = cat.field_upsert(actor=request.user, code=form.cleaned_data.get("code") or obj.code,
                                    name=form.cleaned_data["name"])
        obj.pk, obj.uuid = saved.pk, saved.uuid


class ProcedureAdminForm(forms.ModelForm):
    class Meta:
        model = Procedure
        fields = ["name", "field", "level", "is_active"]

    def clean(self):
        data = super().clean()
        field = data.get("field")
        _, errors = cat.clean_procedure_head({"code": self.instance.code, "name": data.get("name") or "",
                                              "field": field.code if field else "", "level": data.get("level"),
                                              "is_active": data.get("is_active")})
        for error in errors:
            self.add_error(None, error)
        return data


class VersionLinkInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ["number", "valid_from", "valid_to", "online_mode", "processing_days", "processing_hours"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    form = ProcedureAdminForm
    list_display = ["code", "name", "field", "level", "is_active", "current_number"]
    list_filter = ["is_active", "level", "field"]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "current_version"]
    fields = ["code", "name", "field", "level", "is_active", "current_version"]
    inlines = [VersionLinkInline]

    @admin.display(description="phiên bản mới nhất")
    def current_number(self, obj: Procedure):
        return obj.current_version.number if obj.current_version_id else "—"

    def has_add_permission(self, request):
        return False  # new procedures come with their rules, through the import

    def has_delete_permission(self, request, obj=None):
        return False  # dossiers refer to procedures; stop one with "Đang áp dụng" instead

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        procedure = Procedure.objects.get(pk=obj.pk)
        stopping = procedure.is_active and not data["is_active"]
        try:
            cat.procedure_update(actor=request.user, procedure=procedure, name=data["name"], field=data["field"],
                                 level=data["level"], is_active=True if stopping else data["is_active"])
            if stopping:
                cat.procedure_deactivate(actor=request.user, procedure=procedure)
        except DomainError as error:
            messages.error(request, error.message)


class PaperForm(forms.ModelForm):
    class Meta:
        model = RequiredPaper
        fields = ["order", "name", "kind", "originals", "copies", "condition", "mandatory"]

    def clean(self):
        data = super().clean()
        if not data.get("DELETE"):
            _, errors = cat.clean_paper(_paper_raw(data))
            for error in errors:
                self.add_error(None, error)
        return data


class StepForm(forms.ModelForm):
    role = forms.ChoiceField(label="vai trò thực hiện", choices=list(cat.STEP_ROLES.items()))
    agency_kind = forms.ChoiceField(label="cấp cơ quan thực hiện", required=False,
                                    choices=[("", "Cơ quan tiếp nhận"), *cat.agency_kinds().items()])

    class Meta:
        model = ProcessStep
        fields = list(cat.STEP_KEYS)

    def clean(self):
        data = super().clean()
        if not data.get("DELETE"):
            _, errors = cat.clean_step(_step_raw(data))
            for error in errors:
                self.add_error(None, error)
        return data


def _kept(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms
            if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")]


class StepFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        head, problems = cat.clean_rules_head(_rules_head({k: getattr(self.instance, k) for k in VERSION_FIELDS}))
        steps = [cat.clean_step(_step_raw(d))[0] for d in _kept(self)]
        errors = problems or cat.rules_cross_errors(head, steps)
        if errors:
            raise ValidationError(errors)


class _FrozenWhenUsed:
    """Papers and steps of a version with dossiers are read-only, like the version itself."""

    def _editable(self, request, obj) -> bool:
        return obj is None or not cat.version_has_dossiers(obj)

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_delete_permission(request, obj)


class PaperInline(_FrozenWhenUsed, admin.TabularInline):
    model = RequiredPaper
    form = PaperForm
    extra = 0


class StepInline(_FrozenWhenUsed, admin.TabularInline):
    model = ProcessStep
    form = StepForm
    formset = StepFormSet
    extra = 0


class VersionAdminForm(forms.ModelForm):
    class Meta:
        model = ProcedureVersion
        fields = ["valid_from", "valid_to", *VERSION_FIELDS]

    def clean(self):
        data = super().clean()
        _, errors = cat.clean_rules_head(_rules_head(data))
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            errors.append("Ngày hết hiệu lực phải từ ngày có hiệu lực trở đi.")
        for error in errors:
            self.add_error(None, error)
        return data


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    form = VersionAdminForm
    list_display = ["procedure", "number", "valid_from", "valid_to", "online_mode"]
    list_filter = ["online_mode", "procedure__field"]
    search_fields = ["procedure__code", "procedure__name"]
    list_select_related = ["procedure"]
    readonly_fields = ["procedure", "number"]
    fields = ["procedure", "number", "valid_from", "valid_to", *VERSION_FIELDS]
    inlines = [PaperInline, StepInline]
    actions = ["copy_as_new_version"]

    def has_add_permission(self, request):
        return False  # a new version is a copy of one ("copy as a new version") or comes from the import

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and cat.version_has_dossiers(obj):
            return False  # dossiers were received under it: never edited in place
        return super().has_change_permission(request, obj)

    @admin.action(description="Sao chép thành phiên bản mới (hiệu lực từ hôm nay)")
    def copy_as_new_version(self, request, queryset):
        for version in queryset.select_related("procedure"):
            try:
                created = cat.procedure_version_create(
                    actor=request.user, procedure=version.procedure,
                    rules=cat.version_payload(version, with_validity=False))
            except DomainError as error:
                messages.error(request, f"{version}: {error.message}")
            else:
                messages.success(request, f"Đã tạo {created}; sửa phiên bản mới này rồi lưu.")

    def save_model(self, request, obj, form, change):
        """Saved with its papers and steps in ``save_related``, through the service, in one go."""

    def construct_change_message(self, request, form, formsets, add=False):
        return super().construct_change_message(request, form, [], add)  # the inlines were saved by the service

    def save_formset(self, request, form, formset, change):
        """Papers and steps are written by the service in ``save_related``."""

    def save_related(self, request, form, formsets, change):
        version = ProcedureVersion.objects.get(pk=form.instance.pk)
        data = form.cleaned_data
        rules = _rules_head(data)
        for formset in formsets:
            rows = sorted(_kept(formset), key=lambda d: d.get("order") or 0)
            if formset.model is RequiredPaper:
                rules["papers"] = [_paper_raw(d) for d in rows]
            elif formset.model is ProcessStep:
                rules["steps"] = [_step_raw(d) for d in rows]
        try:
            cat.procedure_version_update(actor=request.user, version=version, rules=rules,
                                         valid_from=data["valid_from"], valid_to=data.get("valid_to"))
        except DomainError as error:
            details = "; ".join(error.details) if isinstance(error.details, list) else ""
            messages.error(request, f"{error.message} {details}".strip())


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    """Read-only: dossiers change only through the one-stop services (their history is append-only)."""

    list_display = ["code", "applicant_name", "procedure", "status", "receiving_agency", "received_at", "due_at"]
    list_filter = ["status", "channel"]
    search_fields = ["code", "applicant_name"]
    list_select_related = ["procedure", "receiving_agency"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
