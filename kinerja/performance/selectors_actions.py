"""Reads of the action plan (rencana aksi): an action's weighted progress, the plan as a tree,
and an agreement's progress by target and by unit (what a unit's periodic rating reads)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from .models import Action, ActionProgress, ActionSchedule, Agreement

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def action_progress(action: Action, *, until: int | None = None) -> Decimal:
    """The weighted progress of ``action`` to date, in percent of its whole plan: for each
    sub-period of its schedule (up to number ``until`` when given), its weight times the
    percent of that sub-period's plan done. 50 % of a 40-weight quarter and 100 % of a
    25-weight one: 45. Reads the prefetched ``schedule`` and ``progress`` when present; writes
    nothing."""
    weights = {s.sub_period_id: s.weight for s in action.schedule.all()}
    total = Decimal(0)
    for row in action.progress.all():
        if until is not None and row.sub_period.number > until:
            continue
        total += weights.get(row.sub_period_id, Decimal(0)) * row.progress / HUNDRED
    return total.quantize(CENT)


def _mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, start=Decimal(0)) / len(values)).quantize(CENT)


def plan_actions(agreement: Agreement) -> list[Action]:
    """The actions of an agreement with unit, schedule and progress (four queries)."""
    return list(
        Action.objects.filter(agreement=agreement)
        .select_related("unit", "agreement_target")
        .prefetch_related(
            Prefetch(
                "schedule",
                queryset=ActionSchedule.objects.select_related("sub_period").order_by(
                    "sub_period__number"
                ),
            ),
            Prefetch(
                "progress",
                queryset=ActionProgress.objects.select_related("sub_period").order_by(
                    "sub_period__number"
                ),
            ),
        )
        .order_by("position", "code", "pk")
    )


@dataclass
class ActionNode:
    action: Action
    progress: Decimal
    children: list[ActionNode] = field(default_factory=list)


def action_tree(actions: list[Action]) -> dict[int, list[ActionNode]]:
    """The actions as trees, by the agreement target they serve (its pk)."""
    nodes = {a.pk: ActionNode(a, action_progress(a)) for a in actions}
    out: dict[int, list[ActionNode]] = defaultdict(list)
    for a in actions:
        parent = nodes.get(a.parent_id)
        if parent is not None:
            parent.children.append(nodes[a.pk])
        else:
            out[a.agreement_target_id].append(nodes[a.pk])
    return dict(out)


@dataclass(frozen=True)
class PlanProgress:
    """An agreement's action-plan progress (percent): by agreement target (pk) and by
    responsible unit (pk), each the mean of its leaf actions' weighted progress (an action
    with sub-actions is measured by them), and over the whole plan."""

    by_target: dict[int, Decimal]
    by_unit: dict[int, Decimal]
    overall: Decimal | None


def agreement_progress(agreement: Agreement, *, until: int | None = None) -> PlanProgress:
    actions = plan_actions(agreement)
    parents = {a.parent_id for a in actions if a.parent_id}
    leaves = [a for a in actions if a.pk not in parents]
    by_target: dict[int, list[Decimal]] = defaultdict(list)
    by_unit: dict[int, list[Decimal]] = defaultdict(list)
    every = []
    for a in leaves:
        value = action_progress(a, until=until)
        by_target[a.agreement_target_id].append(value)
        by_unit[a.unit_id].append(value)
        every.append(value)
    return PlanProgress(
        by_target={k: _mean(v) for k, v in by_target.items()},
        by_unit={k: _mean(v) for k, v in by_unit.items()},
        overall=_mean(every),
    )
