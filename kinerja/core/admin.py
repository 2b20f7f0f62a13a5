"""Admin pieces every app uses."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """View and search only: no add, change or delete, whoever asks. Every change goes through
    the pages or the API, which call the audited services with their rules."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
