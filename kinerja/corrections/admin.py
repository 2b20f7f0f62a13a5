"""Correction requests in the admin: read-only, like the registry (decisions go through the
audited services, on the pages or the API)."""

from django.contrib import admin

from kinerja.core.admin import ReadOnlyAdmin

from .models import CorrectionRequest


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(ReadOnlyAdmin):
    list_display = ("employee", "field", "status", "created_at", "decided_by", "decided_at")
    list_filter = ("status", "field")
    search_fields = ("employee__name", "employee__nip")
    raw_id_fields = ("employee",)
