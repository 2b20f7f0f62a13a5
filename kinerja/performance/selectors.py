"""Reads of performance planning that answer a question of the domain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from rapidfuzz import fuzz, process, utils

from kinerja.core.scope import Scope
from kinerja.organisations.models import OrgUnit

from .achievement import TargetSpec, evaluate
from .choices import TargetShape
from .models import Goal, GoalTag, Indicator, IndicatorTemplate, LateEntryWindow, SubPeriod, Target
from .policy import achievement_rules

SIMILAR_MIN_SCORE = 60  # rapidfuzz WRatio, 0-100


@dataclass(frozen=True)
class Similar:
    """An existing indicator or library entry whose name is close to a typed one."""

    kind: str  # "indicator" or "template"
    id: int
    code: str
    name: str
    score: float


def similar_indicators(*, scope: Scope, name: str, limit: int = 10) -> list[Similar]:
    """Return the indicators and library entries within reach whose names are closest to
    ``name``, best first (a score of at least 60 out of 100).

    RapidFuzz's weighted ratio scores typos, word order and a name typed in part alike, in
    compiled code: the names of a province's indicators (a few thousand, one query of two
    columns) are scored in milliseconds, and the same code runs on SQLite and PostgreSQL.
    """
    name = (name or "").strip()
    if not name:
        return []
    choices: dict[tuple[str, int], str] = {}
    codes: dict[tuple[str, int], str] = {}
    for pk, code, text in Indicator.objects.within(scope).values_list("pk", "code", "name"):
        choices[("indicator", pk)] = text
        codes[("indicator", pk)] = code
    for pk, text in IndicatorTemplate.objects.within(scope).values_list("pk", "name"):
        choices[("template", pk)] = text
        codes[("template", pk)] = ""
    found = process.extract(
        name,
        choices,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit,
        score_cutoff=SIMILAR_MIN_SCORE,
    )
    return [
        Similar(kind=key[0], id=key[1], code=codes[key], name=text, score=round(score, 1))
        for text, score, key in found
    ]


def can_enter(*, unit: OrgUnit, sub_period: SubPeriod, on: dt.date) -> bool:
    """Return whether ``unit`` may enter data for ``sub_period`` on ``on``: the sub-period is
    open, or a late-entry window of the unit or a unit above it covers the day."""
    if sub_period.is_open:
        return True
    prefixes = [unit.path[:i] for i in range(len(unit.path)) if unit.path[i - 1 : i] == "."]
    prefixes.append(unit.path)
    return (
        LateEntryWindow.objects.filter(sub_period=sub_period, unit__path__in=prefixes)
        .active_on(on)
        .exists()
    )


TREE_GOAL_FIELDS = (
    "pk",
    "instansi_id",
    "parent_id",
    "level",
    "code",
    "name",
    "unit__name",
    "unit__path",
)
TREE_INDICATOR_FIELDS = ("pk", "goal_id", "code", "name", "measure_unit", "polarity", "is_key")


@dataclass
class GoalNode:
    goal: Goal
    children: list[GoalNode] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)


def goal_tree(*, scope: Scope, unit: OrgUnit | None = None) -> list[GoalNode]:
    """Return the goal tree within reach (three queries whatever its size): the regional
    plan's missions at the top, each agency's Renstra under the RPJMD targets. With ``unit``,
    the regional plan and that agency's goals only."""
    # Only what the tree shows and its links' checks read (a unit's name and path), and the
    # tags as a list (``goal.tree_tags``): a hundred goals' querysets cost more than their rows.
    goals = (
        Goal.objects.within(scope)
        .select_related("unit")
        .only(*TREE_GOAL_FIELDS)
        .prefetch_related(
            Prefetch(
                "tags", queryset=GoalTag.objects.only("pk", "goal_id", "code"), to_attr="tree_tags"
            )
        )
    )
    if unit is not None:
        goals = goals.filter(unit__isnull=True) | goals.filter(unit=unit)
    goals = list(goals.order_by("code", "pk"))
    nodes = {g.pk: GoalNode(g) for g in goals}
    # The tree shows an indicator's code, name, unit, polarity and IKU badge: only those are
    # read (a full row is four times the fields, and the tree holds hundreds).
    indicators = (
        Indicator.objects.within(scope)
        .filter(goal_id__in=list(nodes))
        .only(*TREE_INDICATOR_FIELDS)
        .order_by("code")
    )
    for indicator in indicators:
        nodes[indicator.goal_id].indicators.append(indicator)
    roots = []
    for goal in goals:
        parent = nodes.get(goal.parent_id)
        (parent.children if parent else roots).append(nodes[goal.pk])
    return roots


def target_achievement(*, target: Target, realisation: Decimal, on: dt.date) -> Decimal | None:
    """The achievement of ``realisation`` against ``target`` in percent, with the indicator's
    cap and zero-target rule or the policy's (None when not computed: a qualitative target,
    or a target of 0 whose rule leaves it to the evaluator)."""
    if target.shape == TargetShape.QUALITATIVE:
        return None
    indicator = target.indicator
    spec = (
        TargetSpec(value=target.value)
        if target.shape == TargetShape.VALUE
        else TargetSpec(low=target.low, high=target.high)
    )
    return evaluate(
        polarity=indicator.polarity,
        target=spec,
        realisation=realisation,
        rules=achievement_rules(on),
        cap=indicator.cap_percent,
        zero_rule=indicator.zero_target_rule,
    ).percent
