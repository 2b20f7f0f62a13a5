"""The FilterSet of projects, shared by the project list, its export and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.filters import IdFilter

from .choices import Funding, Phase, ProjectStatus
from .models import Project


class ProjectFilter(django_filters.FilterSet):
    area = django_filters.CharFilter(field_name="area__code", label=_("Area"))
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, label=_("Status"))
    phase = django_filters.ChoiceFilter(choices=Phase.choices, label=_("Phase"))
    funding = django_filters.ChoiceFilter(choices=Funding.choices, label=_("Funding scheme"))
    lead_agency = IdFilter(field_name="lead_agency_id", label=_("Lead agency"))
    agency = IdFilter(method="filter_agency", label=_("Agency leading or joining"))
    synthetic = django_filters.BooleanFilter(field_name="synthetic", label=_("Synthetic (demo)"))
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))

    class Meta:
        model = Project
        fields = ["area", "status", "phase", "funding", "lead_agency", "agency", "synthetic", "q"]

    def filter_agency(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(
            Q(lead_agency_id=value)
            | Q(pk__in=Project.objects.filter(collaborations__agency_id=value).values("pk"))
        )

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))
