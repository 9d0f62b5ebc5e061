from django.contrib import admin

from egov.feedback.models import SlaRule


@admin.register(SlaRule)
class SlaRuleAdmin(admin.ModelAdmin):
    """Administrators set SLA(kind, step) here; without a row the defaults of feedback/conf.py apply."""

    list_display = ("kind", "step", "working_days", "basis")
