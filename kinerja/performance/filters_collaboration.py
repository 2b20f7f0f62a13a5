"""The filters of the collaboration list, shared by its page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.filters import IdFilter

from .filters import YearFilter
from .models import Collaboration, CollaborationMember, CollaborationStatus


class CollaborationFilter(django_filters.FilterSet):
    year = YearFilter(field_name="target__year", label=_("Year"))
    unit = IdFilter(method="filter_unit", label=_("Unit (lead or invited)"))
    status = django_filters.ChoiceFilter(choices=CollaborationStatus.choices, label=_("Status"))

    class Meta:
        model = Collaboration
        fields = ["year", "unit", "status"]

    def filter_unit(self, queryset, name, value):
        invited = CollaborationMember.objects.filter(unit_id=value).values("collaboration_id")
        return queryset.filter(Q(lead_unit_id=value) | Q(pk__in=invited))
