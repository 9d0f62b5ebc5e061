"""Django admin of the portal: per-agency directive policies (which issued document types become directive
information, published at once or after approval, and whether VBQPPL go to the legal library)."""

from django.contrib import admin

from egov.portal.models import DirectivePolicy


@admin.register(DirectivePolicy)
class DirectivePolicyAdmin(admin.ModelAdmin):
    list_display = ["agency", "publish_immediately", "legal_library"]
    list_filter = ["publish_immediately", "legal_library"]
    search_fields = ["agency__name", "agency__code"]
    autocomplete_fields = ["agency"]
    filter_horizontal = ["document_types"]
