"""The filters of the risk register, shared by its page, its heat map, its exports and the
API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.filters import IdFilter

from .choices import MitigationStatus, ObjectKind, RiskSource, RiskStatus
from .models import Mitigation, Risk
from .policy import category_choices, risk_policy

LIVE = "live"


def _band_choices():
    return [(b.key, b.label) for b in risk_policy().bands]


def _status_choices():
    return [(LIVE, _("Open or being mitigated")), *RiskStatus.choices]


class RiskFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    year = django_filters.NumberFilter(field_name="year", label=_("Year"))
    agency = IdFilter(method="filter_agency", label=_("Agency"))
    kind = django_filters.ChoiceFilter(
        choices=ObjectKind.choices, method="filter_kind", label=_("Threatens")
    )
    target = IdFilter(field_name="target_id", label=_("Target"))
    goal = IdFilter(field_name="goal_id", label=_("Goal"))
    project = IdFilter(field_name="project_id", label=_("Strategic project"))
    band = django_filters.ChoiceFilter(
        choices=_band_choices, method="filter_band", label=_("Level band")
    )
    status = django_filters.ChoiceFilter(
        choices=_status_choices, method="filter_status", label=_("Status")
    )
    category = django_filters.ChoiceFilter(choices=category_choices, label=_("Category"))
    source = django_filters.ChoiceFilter(choices=RiskSource.choices, label=_("Source"))
    likelihood = django_filters.NumberFilter(field_name="likelihood", label=_("Likelihood"))
    impact = django_filters.NumberFilter(field_name="impact", label=_("Impact"))
    residual_likelihood = django_filters.NumberFilter(
        field_name="residual_likelihood", label=_("Residual likelihood")
    )
    residual_impact = django_filters.NumberFilter(
        field_name="residual_impact", label=_("Residual impact")
    )

    class Meta:
        model = Risk
        fields = [
            "q",
            "year",
            "agency",
            "kind",
            "band",
            "status",
            "category",
            "source",
            "likelihood",
            "impact",
            "residual_likelihood",
            "residual_impact",
        ]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(target__indicator__name__icontains=value)
            | Q(goal__name__icontains=value)
            | Q(project__name__icontains=value)
        )

    def filter_agency(self, queryset, name, value):
        return queryset.filter(unit__agency_id=value)

    def filter_kind(self, queryset, name, value):
        field = {ObjectKind.GOAL: "goal", ObjectKind.TARGET: "target"}.get(value, "project")
        return queryset.filter(**{f"{field}__isnull": False})

    def filter_band(self, queryset, name, value: str):
        band = risk_policy().band_by_key(value)
        return queryset.of_level(band.low, band.high) if band else queryset.none()

    def filter_status(self, queryset, name, value):
        if value == LIVE:
            return queryset.live()
        return queryset.filter(status=value)


class MitigationFilter(django_filters.FilterSet):
    risk = IdFilter(field_name="risk_id", label=_("Risk"))
    status = django_filters.ChoiceFilter(choices=MitigationStatus.choices, label=_("Status"))

    class Meta:
        model = Mitigation
        fields = ["risk", "status"]
