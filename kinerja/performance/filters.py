"""FilterSets shared by the planning pages and the API, so both filter the same way."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from kinerja.core.filters import IdFilter
from kinerja.organisations.choices import PositionKind

from .choices import AgreementStatus, ControlLevel, GoalLevel, SubPeriodStatus
from .models import (
    Agreement,
    Goal,
    Indicator,
    IndicatorTemplate,
    LateEntryWindow,
    SubPeriod,
    Target,
)
from .services import FIRST_YEAR, LAST_YEAR


class YearField(forms.IntegerField):
    default_error_messages = {"invalid": _("Give a year from 2000 to 2100.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(**kwargs)

    def clean(self, value):
        try:
            return super().clean(value)
        except forms.ValidationError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


@extend_schema_field({"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR})
class YearFilter(django_filters.NumberFilter):
    field_class = YearField


class SubPeriodFilter(django_filters.FilterSet):
    year = YearFilter(field_name="period__year", label=_("Year"))
    status = django_filters.ChoiceFilter(choices=SubPeriodStatus.choices, label=_("Status"))

    class Meta:
        model = SubPeriod
        fields = ["year", "status"]


class LateEntryWindowFilter(django_filters.FilterSet):
    year = YearFilter(field_name="sub_period__period__year", label=_("Year"))
    unit = IdFilter(field_name="unit_id", label=_("Unit"))

    class Meta:
        model = LateEntryWindow
        fields = ["year", "unit"]


class GoalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    level = django_filters.ChoiceFilter(choices=GoalLevel.choices, label=_("Level"))
    unit = IdFilter(field_name="unit_id", label=_("Agency"))
    parent = IdFilter(field_name="parent_id", label=_("Parent goal"))
    regional = django_filters.BooleanFilter(
        field_name="unit", lookup_expr="isnull", label=_("Regional plan (RPJMD) only")
    )

    class Meta:
        model = Goal
        fields = ["q", "level", "unit", "parent", "regional"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class IndicatorTemplateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    position_kind = django_filters.ChoiceFilter(
        choices=PositionKind.choices, label=_("Kind of post")
    )

    class Meta:
        model = IndicatorTemplate
        fields = ["q", "position_kind"]


class IndicatorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    goal = IdFilter(field_name="goal_id", label=_("Goal"))
    unit = IdFilter(field_name="unit_id", label=_("Agency"))
    is_key = django_filters.BooleanFilter(label=_("Key indicator (IKU)"))
    control_level = django_filters.ChoiceFilter(
        choices=ControlLevel.choices, label=_("Control level")
    )

    class Meta:
        model = Indicator
        fields = ["q", "goal", "unit", "is_key", "control_level"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class TargetFilter(django_filters.FilterSet):
    indicator = IdFilter(field_name="indicator_id", label=_("Indicator"))
    year = YearFilter(label=_("Year"))

    class Meta:
        model = Target
        fields = ["indicator", "year"]


class AgreementFilter(django_filters.FilterSet):
    year = YearFilter(label=_("Year"))
    unit = IdFilter(field_name="unit_id", label=_("Unit"))
    status = django_filters.ChoiceFilter(choices=AgreementStatus.choices, label=_("Status"))
    current = django_filters.BooleanFilter(
        field_name="is_current", label=_("Current revisions only")
    )

    class Meta:
        model = Agreement
        fields = ["year", "unit", "status", "current"]
