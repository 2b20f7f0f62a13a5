from django.contrib import admin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Jobs are written by the import engine; the admin only reads them."""

    list_display = (
        "pk",
        "kind",
        "original_name",
        "status",
        "total_rows",
        "created_by",
        "created_at",
    )
    list_filter = ("kind", "status", "dry_run")
    search_fields = ("original_name",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
