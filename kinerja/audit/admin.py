from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail has no edit or delete path, not even in the admin."""

    list_display = ("sequence", "occurred_at", "actor_repr", "action", "target_repr")
    list_filter = ("action", "target_type")
    search_fields = ("target_repr", "actor_repr", "action", "request_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
