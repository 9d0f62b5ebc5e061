"""Accounts in Django admin, narrowed by the accounts policies (an agency administrator sees his agency)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from egov.accounts.forms import UserChangeForm, UserCreationForm
from egov.accounts.models import User
from egov.accounts.policies import can_manage_user, users_visible_to


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ("username", "full_name", "role", "email", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_superuser")
    search_fields = ("username", "full_name", "email", "phone")
    ordering = ("username",)
    readonly_fields = ("uuid", "last_login", "date_joined", "is_staff")
    fieldsets = (
        (None, {"fields": ("username", "password", "uuid")}),
        ("Thông tin cá nhân", {"fields": ("full_name", "first_name", "last_name", "email", "phone")}),
        ("Vai trò và quyền", {"fields": ("role", "is_active", "is_staff", "is_superuser", "groups",
                                         "user_permissions")}),
        ("Thời điểm", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "email", "role", "password1",
                                                  "password2")}),
    )

    def get_queryset(self, request):
        return users_visible_to(request.user, super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_manage_user(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, never deleted: the audit log points at them.
        return False
