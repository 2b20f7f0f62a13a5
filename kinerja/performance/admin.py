"""Admin for performance planning: read-only, like the registry's. Every change goes through
the pages or the API, which call the audited services with their rules."""

from django.contrib import admin

from kinerja.core.admin import ReadOnlyAdmin

from .models import (
    Collaboration,
    CollaborationCandidate,
    CollaborationMember,
    Evidence,
    Goal,
    Indicator,
    IndicatorTemplate,
    KeyIndicatorSet,
    LateEntryWindow,
    Period,
    Plan,
    Realisation,
    Rollup,
    SubPeriod,
    Target,
)


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ("year", "instansi", "frequency", "plans_due", "annual_evaluation_due")
    list_filter = ("frequency",)


@admin.register(SubPeriod)
class SubPeriodAdmin(ReadOnlyAdmin):
    list_display = ("period", "number", "starts", "ends", "status")
    list_filter = ("status",)


@admin.register(LateEntryWindow)
class LateEntryWindowAdmin(ReadOnlyAdmin):
    list_display = ("unit", "sub_period", "opens", "closes")


@admin.register(Goal)
class GoalAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "level", "unit")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(IndicatorTemplate)
class IndicatorTemplateAdmin(ReadOnlyAdmin):
    list_display = ("name", "position_kind", "measure_unit", "polarity")
    list_filter = ("position_kind",)
    search_fields = ("name",)


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "unit", "measure_unit", "polarity", "is_key")
    list_filter = ("is_key", "polarity", "control_level", "zero_target_rule")
    search_fields = ("code", "name")


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "year", "shape", "value", "low", "high")
    list_filter = ("shape", "year")


@admin.register(KeyIndicatorSet)
class KeyIndicatorSetAdmin(ReadOnlyAdmin):
    list_display = ("name", "unit", "first_year", "last_year", "status")


@admin.register(Realisation)
class RealisationAdmin(ReadOnlyAdmin):
    list_display = ("target", "sub_period", "value", "status", "version")
    list_filter = ("status",)


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("realisation", "kind", "label", "file_type", "size")
    list_filter = ("kind",)


# Collaborations ------------------------------------------------------------------------------


class CollaborationMemberInline(admin.TabularInline):
    model = CollaborationMember
    fields = ("unit", "weight", "status", "reason", "answered_at", "supporting_target")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Collaboration)
class CollaborationAdmin(ReadOnlyAdmin):
    list_display = ("title", "lead_unit", "target", "lead_weight", "status")
    list_filter = ("status",)
    search_fields = ("title",)
    inlines = (CollaborationMemberInline,)


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("employee", "unit", "starts", "ends", "status", "revision", "is_current")
    list_filter = ("status", "approach", "is_current")
    search_fields = ("employee__name", "employee__nip", "evaluator_name")


@admin.register(Rollup)
class RollupAdmin(ReadOnlyAdmin):
    list_display = (
        "kind",
        "object_id",
        "year",
        "sub_period",
        "percent",
        "computed",
        "not_computed",
        "computed_at",
    )
    list_filter = ("kind", "year")
    search_fields = ("=object_id",)


# Collaboration finder --------------------------------------------------------------------------


@admin.register(CollaborationCandidate)
class CollaborationCandidateAdmin(ReadOnlyAdmin):
    list_display = ("score", "indicator_a", "unit_a", "indicator_b", "unit_b", "year", "status")
    list_filter = ("status", "year")
    list_select_related = ("indicator_a", "indicator_b", "unit_a", "unit_b")
