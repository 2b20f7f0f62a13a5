"""Reads of collaborations: how a shared target counts, and the role-result matrix.

Counting rule: the lead enters the realisation once, on the shared target. The target counts
in the achievement of the lead unit (with the lead's share) and of each accepted member (with
its weight); rolled up to the province it counts once. The members' supporting results serve
the shared target and are not counted again at the province."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from kinerja.organisations.models import Instansi, OrgUnit

from .models import Collaboration, CollaborationMember, MemberStatus, Target

LEAD, MEMBER = "lead", "member"


@dataclass(frozen=True)
class SharedTarget:
    """A shared target as one unit counts it: its role there and its weight (percent)."""

    target: Target
    collaboration: Collaboration
    role: str
    weight: Decimal


def shared_targets_for_unit(unit: OrgUnit, year: int) -> list[SharedTarget]:
    """The shared targets of ``year`` that count in ``unit``'s achievement: those it leads
    (with the lead's share) and those it accepted to join (with its weight)."""
    collaborations = (
        Collaboration.objects.filter(instansi_id=unit.instansi_id, target__year=year)
        .filter(Q(lead_unit=unit) | Q(members__unit=unit, members__status=MemberStatus.ACCEPTED))
        .select_related("target__indicator")
        .distinct()
        .order_by("target__indicator__code", "pk")
    )
    weights = dict(
        CollaborationMember.objects.filter(
            unit=unit, status=MemberStatus.ACCEPTED, collaboration__in=collaborations
        ).values_list("collaboration_id", "weight")
    )
    out = []
    for c in collaborations:
        if c.lead_unit_id == unit.pk:
            out.append(SharedTarget(c.target, c, LEAD, c.lead_weight))
        else:
            out.append(SharedTarget(c.target, c, MEMBER, weights[c.pk]))
    return out


def province_targets(year: int, *, instansi: Instansi | int):
    """The targets of ``year`` rolled up to the province: every target of the instansi's
    plans once, a shared target once however many units count it, and without the members'
    supporting results (they serve the shared target)."""
    instansi_id = getattr(instansi, "pk", instansi)
    supporting = CollaborationMember.objects.filter(
        collaboration__instansi_id=instansi_id, supporting_target__isnull=False
    ).values("supporting_target_id")
    return (
        Target.objects.filter(instansi_id=instansi_id, year=year)
        .exclude(pk__in=supporting)
        .select_related("indicator")
        .order_by("indicator__code", "pk")
    )


@dataclass(frozen=True)
class MatrixRow:
    """A row of the role-result matrix (Matriks Peran Hasil)."""

    unit: OrgUnit
    role: str
    weight: Decimal
    status: str
    result: Target | None


def role_result_matrix(collaboration: Collaboration) -> list[MatrixRow]:
    """The lead first (its result is the shared target), then the members that did not
    decline, each with its weight and its supporting result (none until it accepts)."""
    rows = [
        MatrixRow(
            collaboration.lead_unit,
            LEAD,
            collaboration.lead_weight,
            MemberStatus.ACCEPTED,
            collaboration.target,
        )
    ]
    members = (
        collaboration.members.exclude(status=MemberStatus.DECLINED)
        .select_related("unit", "supporting_target__indicator")
        .order_by("unit__sort_key", "unit__name", "pk")
    )
    rows.extend(MatrixRow(m.unit, MEMBER, m.weight, m.status, m.supporting_target) for m in members)
    return rows
