"""API shapes of the collaboration finder's candidates."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kinerja.organisations.api.serializers import UnitBriefSerializer
from kinerja.performance.models import CandidateStatus, CollaborationCandidate

from . import IndicatorBriefSerializer, choice_field
from .collaboration import AgencyField

CandidateStatusField = choice_field(CandidateStatus.choices, "CollaborationCandidateStatus")


class CandidateSerializer(serializers.ModelSerializer):
    indicator_a = IndicatorBriefSerializer(read_only=True)
    indicator_b = IndicatorBriefSerializer(read_only=True)
    unit_a = UnitBriefSerializer(read_only=True)
    unit_b = UnitBriefSerializer(read_only=True)
    status = CandidateStatusField(read_only=True)
    terms = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("The shared stems (and pairs of stems) that weigh most in the score."),
    )

    class Meta:
        model = CollaborationCandidate
        fields = [
            "id",
            "year",
            "indicator_a",
            "unit_a",
            "indicator_b",
            "unit_b",
            "score",
            "terms",
            "status",
            "reason",
            "decided_at",
            "collaboration",
            "created_at",
        ]
        read_only_fields = fields


class CandidateAcceptSerializer(serializers.Serializer):
    lead_unit = AgencyField(
        brief=UnitBriefSerializer,
        help_text=_("The agency that leads (id or code): one of the candidate's two agencies."),
    )
    weight = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        help_text=_("The other agency's contribution weight in percent (the policy's default)."),
    )
    title = serializers.CharField(
        max_length=300,
        required=False,
        help_text=_("The collaboration's title (the lead indicator's name)."),
    )


class CandidateDismissSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text=_("Why the pair is dismissed."))


class FinderRunSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=2000, max_value=2100, help_text=_("The year whose indicators are compared.")
    )


class FinderRunResultSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    indicators = serializers.IntegerField()
    scored = serializers.IntegerField()
    proposed = serializers.IntegerField()
    updated = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    decided = serializers.IntegerField()
    together = serializers.IntegerField()
    standard = serializers.IntegerField()
    self_named = serializers.IntegerField()
    threshold = serializers.FloatField()
    seconds = serializers.FloatField()
