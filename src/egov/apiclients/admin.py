"""Django admin for API tokens: issue (the secret is shown once, on the page that follows) and revoke."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone

from egov.apiclients import policies
from egov.apiclients.forms import TokenIssueForm
from egov.apiclients.models import ApiToken
from egov.apiclients.services import token_issue, token_revoke
from egov.core.errors import DomainError


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "agency", "scope_list", "expires_at", "last_used_at", "state"]
    list_filter = ["agency"]
    search_fields = ["name", "prefix", "agency__name", "agency__code"]
    readonly_fields = ["uuid", "agency", "name", "prefix", "scopes", "expires_at", "created_by", "created_at",
                       "revoked_at", "last_used_at"]
    fields = readonly_fields
    actions = ["revoke_selected"]

    @admin.display(description="phạm vi")
    def scope_list(self, obj):
        return ", ".join(obj.scopes or [])

    @admin.display(description="trạng thái")
    def state(self, obj):
        if obj.revoked_at is not None:
            return "Đã thu hồi"
        if obj.expires_at <= timezone.now():
            return "Hết hạn"
        return "Còn hiệu lực"

    # Access follows the app's policies, not Django model permissions: tokens belong to an agency.
    def has_module_permission(self, request):
        return policies.is_token_manager(request.user)

    def has_view_permission(self, request, obj=None):
        return policies.is_token_manager(request.user)

    def has_add_permission(self, request):
        return policies.is_token_manager(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a token is revoked, never deleted: the audit log refers to it

    def get_queryset(self, request):
        return policies.visible_to(request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Thu hồi các mã truy cập đã chọn")
    def revoke_selected(self, request, queryset):
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            try:
                token_revoke(actor=request.user, token=token)
            except DomainError as exc:
                self.message_user(request, f"{token}: {exc.message}", messages.ERROR)
            else:
                revoked += 1
        self.message_user(request, f"Đã thu hồi {revoked} mã truy cập.", messages.SUCCESS)

    def add_view(self, request, form_url="", extra_context=None):
        """Issue through the service; the page that answers the POST is the only place the secret appears."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = TokenIssueForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                token, secret = token_issue(
                    actor=request.user, agency=form.cleaned_data["agency"], name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"], expires_at=form.expires_at,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                # admin_view() marks every admin page never_cache (no-store): the secret stays out of caches.
                return TemplateResponse(
                    request, "admin/apiclients/apitoken/issued.html",
                    {**self.admin_site.each_context(request), "opts": self.opts, "token": token, "secret": secret,
                     "title": "Mã truy cập đã được cấp"},
                )
        return TemplateResponse(
            request, "admin/apiclients/apitoken/issue.html",
            {**self.admin_site.each_context(request), "opts": self.opts, "form": form,
             "title": "Cấp mã truy cập API", **(extra_context or {})},
        )
