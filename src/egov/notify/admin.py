from django.contrib import admin

from egov.notify.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "created_at", "read_at")
    search_fields = ("title", "recipient__username")
    readonly_fields = ("uuid", "created_at", "updated_at")
