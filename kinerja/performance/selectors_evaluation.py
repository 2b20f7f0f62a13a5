"""Reads of the evaluation pages: the caller's own evaluations, the plans the caller rates in a
sub-period or a year (with the suggestion each would get), and the overrides of the suggested
rating across agencies. Everything is scoped through ``plans_for`` (as the API) and reads a
fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from kinerja.core.scope import Action, Scope
from kinerja.organisations.choices import UnitKind

from .evaluation_rules import evaluation_rules_for_year, suggested_rating
from .models import (
    Evaluation,
    EvaluationKind,
    EvaluationResultFeedback,
    Objection,
    Period,
    Plan,
    PlanStatus,
    Rollup,
    RollupKind,
    SubPeriod,
)
from .plan_selectors import plans_for, reaches_every_plan

# The roles that read the evaluations across agencies (their overrides, later the objections).
OVERSIGHT_ROLES = frozenset({"system_admin", "leadership", "bkd", "inspektorat"})
EVALUATED = (PlanStatus.APPROVED, PlanStatus.SIGNED)
ANNUAL = "annual"
# Plain strings: a choices member hashes by its name, not its value.
PLAN, AGENCY = RollupKind.PLAN.value, RollupKind.AGENCY.value


def reads_oversight(scope: Scope) -> bool:
    return bool(scope.instansi_id and scope.roles & OVERSIGHT_ROLES)


def evaluations_for(scope: Scope) -> QuerySet[Evaluation]:
    """The evaluations the caller sees: those of the plans within reach (as the API); for an
    instansi-wide reader, the instansi's, with no subquery over 160,000 plans."""
    if reaches_every_plan(scope):
        return Evaluation.objects.filter(instansi_id=scope.instansi_id)
    return Evaluation.objects.filter(plan__in=plans_for(scope))


def objections_for(scope: Scope) -> QuerySet[Objection]:
    """The objections the caller sees: those of the evaluations within reach."""
    if reaches_every_plan(scope):
        return Objection.objects.filter(instansi_id=scope.instansi_id)
    return Objection.objects.filter(evaluation__plan__in=plans_for(scope))


def rates_for_agency_q(scope: Scope) -> Q:
    """The plans whose evaluator was named by hand (an agency's head) that the caller rates by
    acting for the agency: the personnel office across the instansi, or who keeps the unit's
    plans (``skp.acts_for_agency``)."""
    hand = Q(evaluator_id__isnull=True)
    if scope.paths_for(Action.CHANGE_PEOPLE) is None:
        return hand
    return hand & scope.unit_q(Action.MANAGE_PLANS, "unit__path")


def rates_anything(scope: Scope) -> bool:
    """Whether the caller may have plans to rate (the nav entry): reports, or a role acting
    for an agency."""
    return bool(
        (scope.employee_id and scope.has_reports)
        or scope.paths_for(Action.CHANGE_PEOPLE) is None
        or scope.can_anywhere(Action.MANAGE_PLANS)
    )


# My evaluation -----------------------------------------------------------------------------


def my_evaluations(scope: Scope, period: Period | None) -> list[Evaluation]:
    """The caller's own evaluations of the year, periodic then annual, with the behaviour
    ratings and the feedback on results (four queries)."""
    if not scope.employee_id or period is None:
        return []
    return list(
        Evaluation.objects.filter(plan__employee_id=scope.employee_id, plan__period=period)
        .select_related("plan__period", "plan__unit")
        .prefetch_related(
            "behaviours",
            "objections",
            Prefetch(
                "feedback",
                queryset=EvaluationResultFeedback.objects.select_related("result").order_by(
                    "result__kind", "result__position", "pk"
                ),
            ),
        )
        .order_by("plan__starts", "plan_id", "-kind", "sub_period")
    )


# My team's evaluations ---------------------------------------------------------------------


@dataclass(frozen=True)
class When:
    """What is rated: a sub-period (``number``) or the year (``number`` 0)."""

    kind: str
    number: int
    sub_period: SubPeriod | None = None

    @property
    def key(self) -> str:
        return ANNUAL if self.kind == EvaluationKind.ANNUAL else str(self.number)


def chosen_when(period: Period | None, wanted: str, today: dt.date) -> tuple[When | None, list]:
    """The sub-period or year asked for (``wanted``: a number or ``annual``), else the one
    being rated now: the last sub-period that has ended, the first before any has, the year
    once all have. Also every choice, in order."""
    if period is None:
        return None, []
    subs = list(period.sub_periods.order_by("number"))
    choices = [When(EvaluationKind.PERIODIC, s.number, s) for s in subs]
    choices.append(When(EvaluationKind.ANNUAL, 0))
    for choice in choices:
        if choice.key == wanted:
            return choice, choices
    ended = [c for c in choices[:-1] if c.sub_period.ends < today]
    if subs and len(ended) == len(subs):
        return choices[-1], choices
    return (ended[-1] if ended else choices[0]), choices


def team_plans(scope: Scope, period: Period, when: When, state: str = "") -> QuerySet[Plan]:
    """The approved or signed plans of the year that the caller rates, covering ``when``:
    those the caller evaluates by the reporting lines, and those whose evaluator was named by
    hand where the caller acts for the agency. ``state``: ``todo`` (not opened), ``draft`` or
    ``final``."""
    # The plans the caller evaluates are within reach by definition (``plans_for``'s own
    # rule): only the hand-named ones need the subquery of what the caller reaches, so the
    # head of a 30,000-staff agency does not read the agency's plans to find their twenty.
    mine = Q(evaluator_id=scope.employee_id) if scope.employee_id else Q(pk__in=[])
    by_hand = rates_for_agency_q(scope)
    if not reaches_every_plan(scope):
        by_hand &= Q(pk__in=plans_for(scope).values("pk"))
    plans = Plan.objects.filter(
        mine | by_hand,
        instansi_id=scope.instansi_id,
        period=period,
        is_current=True,
        status__in=EVALUATED,
    )
    if when.sub_period is not None:
        plans = plans.filter(starts__lte=when.sub_period.ends, ends__gte=when.sub_period.starts)
    evaluation = Evaluation.objects.filter(
        plan=OuterRef("pk"), kind=when.kind, sub_period=when.number
    )
    if state == "todo":
        plans = plans.filter(~Exists(evaluation))
    elif state in ("draft", "final"):
        plans = plans.filter(Exists(evaluation.filter(status=state)))
    return plans


@dataclass
class TeamRow:
    plan: Plan
    evaluation: Evaluation | None
    achievement: Decimal | None
    suggestion: str

    @property
    def suggestion_label(self) -> str:
        from .evaluation_rules import Rating

        return Rating(self.suggestion).label if self.suggestion else ""


def _is_head(plan: Plan) -> bool:
    return bool(plan.position.is_head) and plan.unit.kind in UnitKind.agency_kinds()


def team_rows(plans: list[Plan], period: Period, when: When) -> list[TeamRow]:
    """A page of plans with their evaluation of ``when`` and, before one is opened, the
    achievement it would start from (the plan's roll-up, or the agency's for its head) and the
    suggested rating: two queries for the page."""
    evaluations = {
        e.plan_id: e
        for e in Evaluation.objects.filter(
            plan__in=[p.pk for p in plans], kind=when.kind, sub_period=when.number
        )
    }
    heads = {p.pk for p in plans if _is_head(p)}
    wanted = Q(kind=PLAN, object_id__in=[p.pk for p in plans if p.pk not in heads])
    agencies = [p.unit_id for p in plans if p.pk in heads]
    if agencies:
        wanted |= Q(kind=AGENCY, object_id__in=agencies)
    percents = {
        (kind, object_id): percent
        for kind, object_id, percent in Rollup.objects.filter(
            wanted, year=period.year, sub_period=when.number
        ).values_list("kind", "object_id", "percent")
    }
    rules = evaluation_rules_for_year(period.year)
    rows = []
    for plan in plans:
        evaluation = evaluations.get(plan.pk)
        if evaluation is not None:
            percent, suggestion = evaluation.achievement, evaluation.suggested_rating
        else:
            key = (AGENCY, plan.unit_id) if plan.pk in heads else (PLAN, plan.pk)
            percent = percents.get(key)
            suggestion = suggested_rating(rules, percent) or ""
        rows.append(TeamRow(plan, evaluation, percent, suggestion))
    return rows


# Across agencies ---------------------------------------------------------------------------


def overrides(
    scope: Scope,
    *,
    agency_path: str | None = None,
    year: int | None = None,
    kind: str = "",
    status: str = "",
) -> QuerySet[Evaluation]:
    """The evaluations within reach whose results rating overrides the suggested one (with
    the reason), newest first."""
    rows = evaluations_for(scope).exclude(override_reason="")
    if agency_path:
        rows = rows.filter(plan__unit__path__startswith=agency_path)
    if year:
        rows = rows.filter(plan__period__year=year)
    if kind in EvaluationKind.values:
        rows = rows.filter(kind=kind)
    if status in ("draft", "final"):
        rows = rows.filter(status=status)
    return rows.select_related("plan__employee", "plan__unit", "plan__period").order_by("-pk")
