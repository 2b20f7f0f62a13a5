"""Reads of the unit's predikat and its distribution curve: the basis of the suggestion (action
plan progress, PK achievement), which final evaluations a unit's distribution counts, the
distribution against the curve as it fills, and whether a distribution is final (what a
change to an evaluation must respect: an objection or an audited reopening).

Who is in a unit's distribution (`members_q`): the evaluations of the period's sub-period (0:
annual) of the plans whose unit lies in the unit's subtree, except

- the plans under a sub-unit that has its own unit predikat for the same period and
  sub-period (they are in that sub-unit's distribution);
- the head of the unit itself (its post heads the unit): the head is rated with the unit above,
  so the head of a sub-unit with its own predikat counts in the parent's distribution, and the
  head of an agency in none (the agency's achievement is the head's results rating).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Prefetch, Q

from .curve_rules import (
    BANDS,
    Breach,
    Room,
    breaches,
    curve_rules_for_year,
    room,
    suggest_annual,
    suggest_periodic,
)
from .models import (
    Action,
    ActionProgress,
    ActionSchedule,
    Agreement,
    AgreementStatus,
    AgreementTarget,
    Evaluation,
    EvaluationStatus,
    Period,
    Rollup,
    RollupKind,
    UnitPredikat,
    UnitPredikatStatus,
)

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
BINDING = (AgreementStatus.APPROVED, AgreementStatus.SIGNED)


def _pct(part: Decimal, whole: Decimal) -> Decimal:
    return (part * HUNDRED / whole).quantize(CENT, rounding=ROUND_HALF_UP)


# The basis of the suggestion ------------------------------------------------------------------


@dataclass(frozen=True)
class Basis:
    progress: Decimal | None = None
    no_progress: Decimal | None = None
    actions: int | None = None
    achievement: Decimal | None = None


def periodic_basis(unit, period: Period, number: int) -> Basis:
    """The action plans' progress to sub-period ``number``: the leaf actions of the year's
    binding (approved or signed) current agreements whose responsible unit lies in ``unit``'s
    subtree and that planned weight up to that sub-period. ``progress`` is their progress
    entered for the sub-periods up to ``number`` against the weight planned to date (over 100
    when they did more than planned; a later sub-period's entries do not count, so the basis
    of a quarter never changes afterwards); ``no_progress`` the share of them with none. Four
    queries."""
    agreements = Agreement.objects.filter(
        instansi_id=period.instansi_id, year=period.year, is_current=True, status__in=BINDING
    )
    actions = Action.objects.filter(agreement__in=agreements)
    parents = set(
        actions.filter(parent__isnull=False).values_list("parent_id", flat=True).distinct()
    )
    leaves = (
        actions.filter(unit__path__startswith=unit.path)
        .exclude(pk__in=parents)
        .only("pk")
        .prefetch_related(
            Prefetch(
                "schedule",
                # No order: the models' default order joins the action, its agreement and
                # the agreement's unit, and on PostgreSQL with fresh statistics that join took
                # 20 s for a dozen actions (the sums below need no order).
                queryset=ActionSchedule.objects.only(
                    "action_id", "weight", "sub_period_id", "sub_period__number"
                )
                .select_related("sub_period")
                .order_by(),
            ),
            Prefetch(
                "progress",
                queryset=ActionProgress.objects.only(
                    "action_id", "progress", "sub_period_id"
                ).order_by(),
            ),
        )
    )
    planned_total = done_total = Decimal(0)
    counted = idle = 0
    for action in leaves:
        schedule = list(action.schedule.all())
        planned = sum((s.weight for s in schedule if s.sub_period.number <= number), Decimal(0))
        if planned <= 0:
            continue
        # Only the progress entered up to the sub-period: a later quarter's is not "to date".
        weights = {s.sub_period_id: s.weight for s in schedule if s.sub_period.number <= number}
        done = Decimal(0)
        for entry in action.progress.all():
            done += weights.get(entry.sub_period_id, Decimal(0)) * entry.progress / HUNDRED
        counted += 1
        idle += done == 0
        planned_total += planned
        done_total += done
    if not counted:
        return Basis(actions=0)
    return Basis(
        progress=_pct(done_total, planned_total),
        no_progress=_pct(Decimal(idle), Decimal(counted)),
        actions=counted,
    )


def annual_basis(unit, period: Period) -> Basis:
    """The achievement of ``unit``'s performance agreement (PK) of the year: the plain mean of
    the year rows of its current binding agreement's targets that have a figure. Three
    queries."""
    agreement = Agreement.objects.filter(
        unit=unit, year=period.year, is_current=True, status__in=BINDING
    ).first()
    if agreement is None:
        return Basis()
    targets = AgreementTarget.objects.filter(agreement=agreement).values("target_id")
    percents = list(
        Rollup.objects.filter(
            kind=RollupKind.TARGET,
            object_id__in=targets,
            year=period.year,
            sub_period=0,
            percent__isnull=False,
        ).values_list("percent", flat=True)
    )
    if not percents:
        return Basis()
    mean = sum(percents, Decimal(0)) / len(percents)
    return Basis(achievement=mean.quantize(CENT, rounding=ROUND_HALF_UP))


def suggestion(unit, period: Period, number: int, expectation: str = "") -> tuple[str, Basis]:
    """The suggested unit predikat (or "") and its basis."""
    rules = curve_rules_for_year(period.year)
    if number == 0:
        basis = annual_basis(unit, period)
        return suggest_annual(rules, basis.achievement, expectation or None) or "", basis
    basis = periodic_basis(unit, period, number)
    return suggest_periodic(rules, basis.progress, basis.no_progress) or "", basis


# Who is in a distribution ------------------------------------------------------------------


def _outermost(rows: list[tuple[int, str]]) -> list[tuple[int, str]]:
    kept: list[tuple[int, str]] = []
    for pk, path in sorted(rows, key=lambda r: len(r[1])):
        if not any(path.startswith(p) for _k, p in kept):
            kept.append((pk, path))
    return kept


def _heads(unit_ids) -> Q:
    """Plans of the post that heads the plan's own unit, for these units."""
    return Q(
        plan__unit_id__in=list(unit_ids),
        plan__position__is_head=True,
        plan__position__unit_id=F("plan__unit_id"),
    )


def members_q(unit, period_id: int, number: int) -> Q:
    """The evaluations counted in ``unit``'s distribution (see the module's docstring); one
    query for the sub-units with a predikat of their own."""
    below = UnitPredikat.objects.filter(
        period_id=period_id, sub_period=number, unit__path__startswith=unit.path
    ).exclude(unit=unit)
    outer = _outermost(list(below.values_list("unit_id", "unit__path")))
    from kinerja.organisations.models import OrgUnit

    # The subtree's units as ids (one small query): the evaluations are then found through
    # their plans' unit index, not by matching every plan's unit path.
    units = OrgUnit.objects.filter(path__startswith=unit.path)
    for _pk, path in outer:
        units = units.exclude(path__startswith=path)
    q = Q(plan__unit_id__in=list(units.values_list("pk", flat=True)))
    if outer:
        q |= _heads(pk for pk, _path in outer)
    return (q & ~_heads([unit.pk])) & Q(plan__period_id=period_id, sub_period=number)


@dataclass
class Distribution:
    """A unit's distribution of employee predikat: final evaluations per predikat, the drafts
    still open, and (once the unit predikat is set) the room per band and the breaches."""

    counts: dict[str, int]
    drafts: int
    predikat: str = ""
    rooms: list[Room] = field(default_factory=list)
    found: list[Breach] = field(default_factory=list)

    @property
    def staff(self) -> int:
        return sum(self.counts.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "predikat": self.predikat,
            "staff": self.staff,
            "drafts": self.drafts,
            "counts": self.counts,
            "room": [r.as_dict() for r in self.rooms],
            "breaches": [b.as_dict() for b in self.found],
        }


def distribution(unit, period: Period, number: int, predikat: str | None = None) -> Distribution:
    """The distribution of ``unit`` for the period's sub-period ``number`` (0: the year)
    against the curve of ``predikat`` (by default the unit predikat set, if any): three
    queries (the sub-units with a predikat of their own, the subtree's unit ids, one grouped
    count), four when the predikat is read."""
    rows = (
        Evaluation.objects.filter(members_q(unit, period.pk, number))
        .values("status", "predikat")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys(BANDS, 0)
    drafts = 0
    for row in rows:
        if row["status"] == EvaluationStatus.FINAL and row["predikat"] in counts:
            counts[row["predikat"]] += row["n"]
        else:
            drafts += row["n"]
    if predikat is None:
        predikat = (
            UnitPredikat.objects.filter(unit=unit, period=period, sub_period=number)
            .values_list("predikat", flat=True)
            .first()
        ) or ""
    out = Distribution(counts=counts, drafts=drafts, predikat=predikat)
    if predikat:
        rules = curve_rules_for_year(period.year)
        out.rooms = room(rules, predikat, counts)
        out.found = breaches(rules, predikat, counts)
    return out


def member_ids(unit, period: Period, number: int) -> list[int]:
    """The final evaluations a finalisation records (their ids, in order)."""
    return list(
        Evaluation.objects.filter(members_q(unit, period.pk, number), status=EvaluationStatus.FINAL)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# Whether a distribution is final -------------------------------------------------------------


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split(".") if p]
    return [".".join(parts[: i + 1]) + "." for i in range(len(parts))]


def covering(
    unit, period_id: int, number: int, *, head: bool = False, lock: bool = False
) -> UnitPredikat | None:
    """The unit predikat whose distribution counts the staff of ``unit`` (its head with
    ``head``) for the sub-period ``number`` of the period: the nearest at or above the unit
    (above it for its head). One query; with ``lock`` its row is locked until the
    transaction ends, so a write that adds to the distribution and its finalisation (which
    locks the same row) never cross."""
    paths = _prefixes(unit.path)
    if head:
        paths = paths[:-1]
    if not paths:
        return None
    rows = UnitPredikat.objects.filter(
        period_id=period_id, sub_period=number, unit__path__in=paths
    ).select_related("unit")
    if lock:
        rows = rows.select_for_update(of=("self",))
    return rows.order_by("-unit__depth").first()


def distribution_is_final(
    unit, period, sub_period: int, *, head: bool = False, lock: bool = False
) -> bool:
    """Whether the distribution that counts the staff of ``unit`` (its head with ``head``)
    for the period's ``sub_period`` (0: the year) is final: a change to one of their
    evaluations then goes through an objection or an audited reopening. With ``lock`` (inside
    a transaction) the unit predikat's row stays locked: its finalisation waits."""
    period_id = period if isinstance(period, int) else period.pk
    found = covering(unit, period_id, sub_period, head=head, lock=lock)
    return found is not None and found.status == UnitPredikatStatus.FINAL


def plan_is_head(plan) -> bool:
    return bool(plan.position.is_head) and plan.position.unit_id == plan.unit_id


def evaluation_is_closed(evaluation: Evaluation) -> bool:
    """Whether the distribution counting ``evaluation`` is final."""
    plan = evaluation.plan
    return distribution_is_final(
        plan.unit, plan.period_id, evaluation.sub_period, head=plan_is_head(plan)
    )


# What a head's page shows -------------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    """One unit the caller heads: its predikat for the period (None: not opened yet) and its
    distribution against the curve as it fills."""

    unit: Any
    unit_predikat: UnitPredikat | None
    distribution: Distribution


def curve_panels(employee_id: int | None, period: Period, number: int) -> list[Panel]:
    """The distribution of each unit whose head post ``employee_id`` holds or acts in today,
    for the period's sub-period ``number`` (0: the year): what the head watches while the
    evaluations are given. Four queries a unit, plus two."""
    from django.utils import timezone

    from kinerja.organisations.models import OrgUnit
    from kinerja.organisations.selectors import held_posts

    if not employee_id:
        return []
    held = held_posts(employee_id, timezone.localdate())
    units = OrgUnit.objects.filter(
        positions__pk__in=held, positions__is_head=True, instansi_id=period.instansi_id
    ).distinct()
    rows = {
        row.unit_id: row
        for row in UnitPredikat.objects.filter(unit__in=units, period=period, sub_period=number)
    }
    out = []
    for unit in units.order_by("sort_key", "pk"):
        row = rows.get(unit.pk)
        found = distribution(unit, period, number, row.predikat if row else "")
        out.append(Panel(unit, row, found))
    return out
