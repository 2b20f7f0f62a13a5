"""The FilterSet of development-hours records, shared by the pages, the exports and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from kinerja.core.filters import IdFilter
from kinerja.performance.filters import YearFilter

from .choices import RecordSource
from .models import DevelopmentRecord


class DevelopmentRecordFilter(django_filters.FilterSet):
    year = YearFilter(field_name="year", label=_("Year"))
    employee = IdFilter(field_name="employee_id", label=_("Employee"))
    agency = IdFilter(field_name="agency_id", label=_("Agency"))
    nip = django_filters.CharFilter(field_name="employee__nip", label=_("NIP"))
    source = django_filters.ChoiceFilter(choices=RecordSource.choices, label=_("Source"))
    training_type = django_filters.CharFilter(
        field_name="training_type__code", label=_("Training type")
    )

    class Meta:
        model = DevelopmentRecord
        fields = ["year", "employee", "agency", "nip", "source", "training_type"]
