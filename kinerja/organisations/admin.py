"""Admin for the registry. The admin site is for system administrators only (see config.urls);
day-to-day changes go through the pages and the API, which call the audited services."""

from django.contrib import admin

from .models import Assignment, Employee, Instansi, OrgUnit, Position, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(Instansi)
class InstansiAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "region", "is_synthetic")
    search_fields = ("code", "name")


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to", "is_synthetic")
    list_filter = ("kind", "instansi", "is_synthetic")
    search_fields = ("code", "name")
    raw_id_fields = ("parent", "agency", "region", "predecessors")
    readonly_fields = ("path", "depth", "agency")
    list_select_related = ("parent",)


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "kind", "eselon", "unit", "is_head", "is_active")
    list_filter = ("kind", "eselon", "is_head", "is_active")
    search_fields = ("code", "title")
    raw_id_fields = ("unit", "reports_to")
    list_select_related = ("unit",)


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    raw_id_fields = ("position", "unit")


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ("nip", "name", "status", "unit", "position", "is_active")
    list_filter = ("status", "is_active", "is_synthetic")
    search_fields = ("nip", "name")
    raw_id_fields = ("unit", "position")
    list_select_related = ("unit", "position")
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("employee", "unit", "position", "start_date", "end_date")
    raw_id_fields = ("employee", "position", "unit")
    list_select_related = ("employee", "unit", "position")
