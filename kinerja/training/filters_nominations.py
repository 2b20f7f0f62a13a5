"""The FilterSet of the enrolments, shared by the organiser's page and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from kinerja.core.filters import IdFilter

from .choices import ParticipantStatus
from .models import Participant


class ParticipantFilter(django_filters.FilterSet):
    event = IdFilter(field_name="event_id", label=_("event"))
    agency = IdFilter(field_name="agency_id", label=_("agency"))
    status = django_filters.ChoiceFilter(choices=ParticipantStatus.choices, label=_("status"))

    class Meta:
        model = Participant
        fields = ["event", "agency", "status"]
