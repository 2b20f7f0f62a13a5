"""Admin for the registry: read-only. The admin site is for system administrators only (see
config.urls). Every change goes through the pages, the API, the imports or a command, which call
the audited services; an admin form would write around them (a unit moved here kept its
subtree's paths under the old agency and left no audit event)."""

from django.contrib import admin

from kinerja.core.admin import ReadOnlyAdmin

from .models import (
    ActingAssignment,
    Assignment,
    Employee,
    Instansi,
    OrgUnit,
    Position,
    Region,
    ReportingLine,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(Instansi)
class InstansiAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "region", "is_synthetic")
    search_fields = ("code", "name")


@admin.register(OrgUnit)
class OrgUnitAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to", "is_synthetic")
    list_filter = ("kind", "instansi", "is_synthetic")
    search_fields = ("code", "name")
    raw_id_fields = ("parent", "agency", "region", "predecessors")
    readonly_fields = ("path", "depth", "agency")
    list_select_related = ("parent",)


@admin.register(Position)
class PositionAdmin(ReadOnlyAdmin):
    list_display = ("code", "title", "kind", "eselon", "unit", "is_head", "is_active")
    list_filter = ("kind", "eselon", "is_head", "is_active")
    search_fields = ("code", "title")
    raw_id_fields = ("unit", "reports_to")
    list_select_related = ("unit",)


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    raw_id_fields = ("position", "unit")


@admin.register(Employee)
class EmployeeAdmin(ReadOnlyAdmin):
    list_display = ("nip", "name", "status", "unit", "position", "is_active")
    list_filter = ("status", "is_active", "is_synthetic")
    search_fields = ("nip", "name")
    raw_id_fields = ("unit", "position")
    list_select_related = ("unit", "position")
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("employee", "unit", "position", "valid_from", "valid_to")
    raw_id_fields = ("employee", "position", "unit")
    list_select_related = ("employee", "unit", "position")


@admin.register(ReportingLine)
class ReportingLineAdmin(ReadOnlyAdmin):
    list_display = ("position", "reports_to", "valid_from", "valid_to")
    search_fields = ("position__code", "position__title", "reports_to__code")
    raw_id_fields = ("position", "reports_to")
    list_select_related = ("position", "reports_to")


@admin.register(ActingAssignment)
class ActingAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("employee", "kind", "position", "decree_number", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("employee__name", "position__title", "decree_number")
    raw_id_fields = ("employee", "position")
    list_select_related = ("employee", "position")
