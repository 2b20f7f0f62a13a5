"""Reads of the regional app. Areas and projects are public regional facts: whoever may read
planning anywhere in the instansi (`view_planning`, every role with a grant) reaches all of
them, as for the province's own plan (`kinerja.performance.querysets.InstansiWideQuerySet`)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from kinerja.performance.querysets import InstansiWideQuerySet


class DevelopmentAreaQuerySet(InstansiWideQuerySet):
    def ordered(self) -> DevelopmentAreaQuerySet:
        return self.order_by("order", "pk")


class ProjectQuerySet(InstansiWideQuerySet):
    def real(self) -> ProjectQuerySet:
        return self.filter(synthetic=False)

    def involving(self, agency_id: int) -> ProjectQuerySet:
        """The projects an agency leads or joins."""
        return self.filter(Q(lead_agency_id=agency_id) | Q(collaborations__agency_id=agency_id))


class ProjectPartQuerySet(InstansiWideQuerySet):
    """Milestones and progress updates: read with their project."""

    scope_instansi = "project__instansi_id"


class MilestoneQuerySet(ProjectPartQuerySet):
    def late(self, on=None) -> MilestoneQuerySet:
        """Planned before ``on`` (today) and not reached."""
        return self.filter(actual_date__isnull=True, planned_date__lt=on or timezone.localdate())
