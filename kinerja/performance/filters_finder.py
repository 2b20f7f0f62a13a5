"""The filters of the collaboration finder's candidate list, shared by its page and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.filters import IdFilter

from .filters import YearFilter
from .models import CandidateStatus, CollaborationCandidate


class ScoreField(forms.DecimalField):
    def __init__(self, *args, **kwargs):
        kwargs.update(min_value=0, max_value=1, max_digits=5, decimal_places=4)
        super().__init__(*args, **kwargs)


class ScoreFilter(django_filters.NumberFilter):
    field_class = ScoreField


class CandidateFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CandidateStatus.choices, label=_("Status"))
    unit = IdFilter(method="filter_unit", label=_("Agency (either side)"))
    min_score = ScoreFilter(field_name="score", lookup_expr="gte", label=_("Minimum score"))
    year = YearFilter(field_name="year", label=_("Year"))

    class Meta:
        model = CollaborationCandidate
        fields = ["status", "unit", "min_score", "year"]

    def filter_unit(self, queryset, name, value):
        return queryset.filter(Q(unit_a_id=value) | Q(unit_b_id=value))
