"""Admin for overrides and office hours. Every save and delete goes through the services, so the rules
are checked (errors shown beside the form) and the audit entry is written."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from egov.core.errors import DomainError
from egov.workdays import services
from egov.workdays.models import CalendarOverride, OfficeHours

_OVERRIDE_FIELD_BY_CODE = {
    "override_exists": "date",
    "override_redundant": "date",
    "out_of_range": "date",
    "reason_required": "reason",
    "decision_required": "decision",
    "invalid_kind": "kind",
}
_HOURS_FIELD_BY_CODE = {
    "office_hours_exist": "valid_from",
    "out_of_range": "valid_from",
    "invalid_cutoff": "receipt_cutoff",
}


class _ServiceValidatedForm(forms.ModelForm):
    field_by_code: dict[str, str] = {}

    def _run(self, check) -> None:
        try:
            check()
        except DomainError as exc:
            self.add_error(self.field_by_code.get(exc.code), ValidationError(exc.message, code=exc.code))


class CalendarOverrideForm(_ServiceValidatedForm):
    field_by_code = _OVERRIDE_FIELD_BY_CODE

    class Meta:
        model = CalendarOverride
        fields = ["date", "kind", "reason", "decision", "decision_date"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            self._run(lambda: services.override_validate(
                date=data["date"], kind=data["kind"], reason=data["reason"], decision=data["decision"],
                instance=self.instance,
            ))
        return data


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    form = CalendarOverrideForm
    list_display = ["date_display", "kind", "reason", "decision", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["reason", "decision"]
    date_hierarchy = "date"
    ordering = ["-date"]

    @admin.display(description="ngày", ordering="date")
    def date_display(self, obj: CalendarOverride) -> str:
        return f"{obj.date:%d/%m/%Y}"

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in CalendarOverrideForm.Meta.fields}
        if change:
            saved = services.override_update(actor=request.user, override=obj, **data)
        else:
            saved = services.override_create(actor=request.user, **data)
        obj.pk, obj.uuid = saved.pk, saved.uuid

    def delete_model(self, request, obj):
        services.override_delete(actor=request.user, override=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.override_delete(actor=request.user, override=obj)


class OfficeHoursForm(_ServiceValidatedForm):
    field_by_code = _HOURS_FIELD_BY_CODE

    class Meta:
        model = OfficeHours
        fields = ["agency", "valid_from", *services.HOURS_FIELDS, "decision"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            agency = data.get("agency", self.instance.agency)  # read-only (absent) when changing a row
            self._run(lambda: services.office_hours_validate(
                agency=agency, valid_from=data["valid_from"], instance=self.instance,
                **{name: data[name] for name in services.HOURS_FIELDS},
            ))
        return data


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin):
    form = OfficeHoursForm
    list_display = ["agency_display", "valid_from", "morning_start", "morning_end", "afternoon_start",
                    "afternoon_end", "receipt_cutoff"]
    list_select_related = ["agency"]
    raw_id_fields = ["agency"]

    @admin.display(description="cơ quan", ordering="agency__name")
    def agency_display(self, obj: OfficeHours) -> str:
        return obj.agency.name if obj.agency_id else "Mặc định của tỉnh"

    def get_readonly_fields(self, request, obj=None):
        # Moving a row to another agency would silently change two agencies' deadlines: add a new row instead.
        return ["agency"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        times = {name: form.cleaned_data[name] for name in services.HOURS_FIELDS}
        if change:
            saved = services.office_hours_update(
                actor=request.user, office_hours=obj, valid_from=form.cleaned_data["valid_from"],
                decision=form.cleaned_data["decision"], **times,
            )
        else:
            saved = services.office_hours_create(
                actor=request.user, agency=form.cleaned_data.get("agency"),
                valid_from=form.cleaned_data["valid_from"], decision=form.cleaned_data["decision"], **times,
            )
        obj.pk, obj.uuid = saved.pk, saved.uuid

    def delete_model(self, request, obj):
        services.office_hours_delete(actor=request.user, office_hours=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.office_hours_delete(actor=request.user, office_hours=obj)
