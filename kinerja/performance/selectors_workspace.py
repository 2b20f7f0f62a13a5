"""Reads of the working pages of the planning cycle (My plan, My team, My agency, the cascade).

Every read here is a fixed number of queries whatever the number of staff: counts are
aggregated in SQL (``values`` + ``annotate``), lists are cut to a page, and only the columns
shown are loaded. The loops below run over what one page shows (one employee's results, one
superior's direct reports, one page of units), never over the staff of an agency."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Substr

from kinerja.audit.freshness import kept
from kinerja.core.paths import STEP
from kinerja.core.scope import Scope
from kinerja.organisations.models import Employee, OrgUnit

from .models import (
    Goal,
    Indicator,
    Period,
    Plan,
    PlanResult,
    PlanStatus,
    Realisation,
    RealisationStatus,
    SubPeriod,
    Target,
)

__all__ = [
    "PlanSheet",
    "agency_completion_counts",
    "agency_due_counts",
    "agency_plan_completion",
    "agency_realisations_due",
    "agency_sub_units",
    "cascade_below_goal",
    "chosen_period",
    "collaboration_summary",
    "my_plans",
    "regional_goals",
    "results_below",
    "team_matrix",
    "team_plan_status",
]

PAGE = 50


def chosen_period(instansi_id: int | None, year: str | int | None) -> Period | None:
    """The period of ``year`` (digits), else the one of today's year, else the latest."""
    periods = Period.objects.filter(instansi_id=instansi_id)
    if isinstance(year, str) and year.isascii() and year.isdigit():
        found = periods.filter(year=int(year)).first()
        if found is not None:
            return found
    today = dt.date.today().year
    return periods.filter(year=today).first() or periods.order_by("-year").first()


# My plan -----------------------------------------------------------------------------------


@dataclass
class IndicatorLine:
    indicator: Indicator
    target: Target | None
    cells: list[tuple[SubPeriod, Realisation | None]] = field(default_factory=list)


@dataclass
class ResultLine:
    result: PlanResult
    indicators: list[IndicatorLine] = field(default_factory=list)


@dataclass
class PlanSheet:
    plan: Plan
    results: list[ResultLine] = field(default_factory=list)
    sub_periods: list[SubPeriod] = field(default_factory=list)


def my_plans(employee_id: int, period: Period) -> list[PlanSheet]:
    """The employee's current plans of the year, each result with its indicators (IKI), their
    targets and, per sub-period inside the plan's dates, the realisation (five queries)."""
    plans = list(
        Plan.objects.filter(employee_id=employee_id, period=period, is_current=True)
        .select_related("period", "unit")
        .order_by("starts", "pk")
    )
    if not plans:
        return []
    subs = list(SubPeriod.objects.filter(period=period).select_related("period").order_by("number"))
    results = (
        PlanResult.objects.filter(plan__in=plans)
        .only("pk", "plan_id", "kind", "text", "position", "serves_id", "serves_target_id")
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.only(
                    "pk", "result_id", "code", "name", "measure_unit", "aspect"
                )
                .order_by("pk")
                .prefetch_related(
                    Prefetch("targets", queryset=Target.objects.filter(year=period.year))
                ),
            )
        )
        .order_by("kind", "position", "pk")
    )
    sheets = {p.pk: PlanSheet(p, sub_periods=[s for s in subs if _overlaps(s, p)]) for p in plans}
    lines: list[IndicatorLine] = []
    for result in results:
        row = ResultLine(result)
        for indicator in result.indicators.all():
            targets = list(indicator.targets.all())
            line = IndicatorLine(indicator, targets[0] if targets else None)
            row.indicators.append(line)
            lines.append(line)
        sheets[result.plan_id].results.append(row)
    target_ids = [line.target.pk for line in lines if line.target is not None]
    found = {
        (r.target_id, r.sub_period_id): r
        for r in Realisation.objects.filter(target_id__in=target_ids).only(
            "pk",
            "target_id",
            "sub_period_id",
            "status",
            "value",
            "outcome",
            "return_comment",
            "version",
            "holder_id",
            "verifier_id",
        )  # fmt: skip
    }
    for sheet in sheets.values():
        for row in sheet.results:
            for line in row.indicators:
                tid = line.target.pk if line.target else None
                line.cells = [(s, found.get((tid, s.pk))) for s in sheet.sub_periods]
    return list(sheets.values())


def _overlaps(sub: SubPeriod, plan: Plan) -> bool:
    return sub.starts <= plan.ends and sub.ends >= plan.starts


# My team -----------------------------------------------------------------------------------


def team_plan_status(employee_ids: list[int], period: Period | None) -> dict[int, list[Plan]]:
    """The current plans of the year of each of ``employee_ids`` (one query)."""
    out: dict[int, list[Plan]] = defaultdict(list)
    if period is None or not employee_ids:
        return out
    for plan in (
        Plan.objects.filter(employee_id__in=employee_ids, period=period, is_current=True)
        .only("pk", "employee_id", "status", "starts", "ends", "version")
        .order_by("starts", "pk")
    ):
        out[plan.employee_id].append(plan)
    return out


@dataclass
class TeamMatrix:
    """Rows: the superior's results; columns: the reports; a cell: the report's results
    serving that row's result (directly or not)."""

    rows: list[PlanResult]
    reports: list[Employee]
    cells: dict[tuple[int, int], list[PlanResult]]

    def grid(self) -> list[tuple[PlanResult, list[list[PlanResult]]]]:
        return [
            (row, [self.cells.get((row.pk, e.pk), []) for e in self.reports]) for row in self.rows
        ]


def team_matrix(superior_id: int, reports: list[Employee], period: Period | None) -> TeamMatrix:
    """The role-result matrix of a superior's team for the year (two queries)."""
    if period is None:
        return TeamMatrix([], reports, {})
    rows = list(
        PlanResult.objects.filter(
            plan__employee_id=superior_id, plan__period=period, plan__is_current=True
        )
        .only("pk", "text", "kind", "position", "plan_id")
        .order_by("plan__starts", "kind", "position", "pk")
    )
    cells: dict[tuple[int, int], list[PlanResult]] = defaultdict(list)
    if rows and reports:
        served = (
            PlanResult.objects.filter(
                serves_id__in=[r.pk for r in rows],
                plan__employee_id__in=[e.pk for e in reports],
                plan__is_current=True,
            )
            .select_related("plan")
            .only("pk", "text", "serves_id", "serves_directly", "plan__employee_id")
            .order_by("position", "pk")
        )
        for result in served:
            cells[(result.serves_id, result.plan.employee_id)].append(result)
    return TeamMatrix(rows, reports, dict(cells))


# My agency ---------------------------------------------------------------------------------


@dataclass
class CompletionRow:
    unit: OrgUnit
    staff: int = 0
    with_plan: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def submitted(self) -> int:
        return self.by_status.get(PlanStatus.SUBMITTED, 0)

    @property
    def approved(self) -> int:
        return self.by_status.get(PlanStatus.APPROVED, 0)

    @property
    def signed(self) -> int:
        return self.by_status.get(PlanStatus.SIGNED, 0)

    @property
    def draft(self) -> int:
        return self.by_status.get(PlanStatus.DRAFT, 0)


def _branch(path_field: str, agency: OrgUnit):
    """The path of the agency's sub-unit (or the agency) a row's unit lies in."""
    return Substr(path_field, 1, len(agency.path) + STEP + 1)


def _agency_figures_scope(agency: OrgUnit) -> Scope:
    """The key of an agency's figures: the whole instansi, not the caller's reach (the view
    checks that the caller reaches the agency; every caller who does sees the same counts)."""
    return Scope(instansi_id=agency.instansi_id)


def agency_completion_counts(agency: OrgUnit, period: Period | None) -> dict[str, dict]:
    """For each branch of ``agency`` (its own units' path, or a direct sub-unit's subtree, by
    that sub-unit's path): the active staff, how many have a current plan of the year, and
    the plans by status. Three queries, each one ``GROUP BY`` over the agency's subtree."""
    staff = dict(
        Employee.objects.filter(
            instansi_id=agency.instansi_id, unit__path__startswith=agency.path, is_active=True
        )
        .annotate(branch=_branch("unit__path", agency))
        .values("branch")
        .annotate(n=Count("pk"))
        .values_list("branch", "n")
    )
    plans = (
        Plan.objects.filter(
            instansi_id=agency.instansi_id,
            unit__path__startswith=agency.path,
            period=period,
            is_current=True,
        )
        .annotate(branch=_branch("unit__path", agency))
        .order_by()
    )  # no join for the ordering
    with_plan = dict(
        plans.values("branch")
        .annotate(n=Count("employee_id", distinct=True))
        .values_list("branch", "n")
    )
    statuses: dict[str, dict[str, int]] = defaultdict(dict)
    for branch, status, n in (
        plans.values("branch", "status")
        .annotate(n=Count("pk"))
        .values_list("branch", "status", "n")
    ):
        statuses[branch][status] = n
    return {"staff": staff, "with_plan": with_plan, "statuses": dict(statuses)}


def agency_plan_completion(
    agency: OrgUnit, period: Period | None, sub_units: list[OrgUnit], *, request=None
) -> tuple[list[CompletionRow], CompletionRow]:
    """Per sub-unit of ``agency`` (``sub_units``: the page shown) and for the whole agency:
    the active staff, how many have a current plan of the year, and the plans by status.

    The counts (`agency_completion_counts`) are kept until the next audited write of the
    instansi (``kinerja.audit.freshness``): at 80,330 staff the largest agency's take tens of
    milliseconds, more than the rest of the page."""
    counts = kept(
        "agency.completion",
        lambda: agency_completion_counts(agency, period),
        scope=_agency_figures_scope(agency),
        request=request,
        parts=(agency.pk, period.pk if period else None),
    )
    staff, with_plan, statuses = counts["staff"], counts["with_plan"], counts["statuses"]
    total = CompletionRow(agency)
    total.staff = sum(staff.values())
    total.with_plan = sum(with_plan.values())
    for by in statuses.values():
        for status, n in by.items():
            total.by_status[status] = total.by_status.get(status, 0) + n
    rows = []
    for unit in sub_units:
        key = unit.path
        rows.append(
            CompletionRow(
                unit,
                staff.get(key, 0),
                with_plan.get(key, 0),
                dict(statuses.get(key, {})),
            )
        )
    return rows, total


@dataclass
class DueRow:
    sub_period: SubPeriod
    targets: int
    entered: int
    submitted: int
    verified: int
    late: bool

    @property
    def missing(self) -> int:
        return max(self.targets - self.submitted - self.verified, 0)


def agency_due_counts(agency: OrgUnit, period: Period, subs: list[SubPeriod]) -> dict[str, Any]:
    """The agency's live targets of the year (its own and its staff's current plans'
    individual indicators, not a superseded revision's) and, per sub-period of ``subs``, its
    realisations by status. Two queries."""
    live = Q(indicator__result__isnull=True) | Q(indicator__result__plan__is_current=True)
    in_agency = Q(indicator__unit__path__startswith=agency.path) & live
    targets = Target.objects.filter(
        in_agency, instansi_id=agency.instansi_id, year=period.year
    ).count()
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for sub_id, status, n in (
        Realisation.objects.filter(
            instansi_id=agency.instansi_id,
            sub_period__in=subs,
            target__in=Target.objects.filter(in_agency, year=period.year),
        )
        .values("sub_period_id", "status")
        .annotate(n=Count("pk"))
        .values_list("sub_period_id", "status", "n")
    ):
        counts[sub_id][status] = n
    return {"targets": targets, "counts": dict(counts)}


def agency_realisations_due(
    agency: OrgUnit, period: Period | None, today: dt.date, *, request=None
) -> list[DueRow]:
    """Per sub-period of the year that has started: the agency's targets of the year, how
    many realisations are entered, waiting for verification, and verified; a sub-period that
    has ended with targets still not sent is late.

    The counts (`agency_due_counts`) are kept until the next audited write of the instansi:
    at 80,330 staff the largest agency's realisations are about 350,000 rows a year, a
    second and a half to count on PostgreSQL."""
    if period is None:
        return []
    subs = list(
        SubPeriod.objects.filter(period=period, starts__lte=today)
        .select_related("period")
        .order_by("number")
    )
    figures = kept(
        "agency.due",
        lambda: agency_due_counts(agency, period, subs),
        scope=_agency_figures_scope(agency),
        request=request,
        parts=(agency.pk, period.pk, *(s.pk for s in subs)),
        on=today,
    )
    rows = []
    for sub in subs:
        by = figures["counts"].get(sub.pk, {})
        waiting = sum(by.get(s, 0) for s in RealisationStatus.awaiting())
        verified = by.get(RealisationStatus.VERIFIED, 0)
        row = DueRow(
            sub_period=sub,
            targets=figures["targets"],
            entered=sum(by.values()),
            submitted=waiting,
            verified=verified,
            late=False,
        )
        row.late = sub.ends < today and row.missing > 0
        rows.append(row)
    return rows


def agency_sub_units(agency: OrgUnit):
    """The agency itself and its direct sub-units, in the official order."""
    return OrgUnit.objects.filter(
        Q(pk=agency.pk) | Q(parent_id=agency.pk), instansi_id=agency.instansi_id
    ).only("pk", "name", "path", "parent_id", "sort_key")


# The cascade -------------------------------------------------------------------------------


@dataclass
class CascadeTarget:
    target: Target
    agreement_targets: list[Any] = field(default_factory=list)  # AgreementTarget rows
    results: list[PlanResult] = field(default_factory=list)  # heads' results serving them


@dataclass
class CascadeIndicator:
    indicator: Indicator
    targets: list[CascadeTarget] = field(default_factory=list)


@dataclass
class CascadeGoal:
    goal: Goal
    indicators: list[CascadeIndicator] = field(default_factory=list)
    children: int = 0


def regional_goals(scope: Scope) -> list[tuple[Goal, int]]:
    """The regional plan (RPJMD) in tree order, each goal with how many goals lie directly
    under it within reach (two queries)."""
    goals = list(
        Goal.objects.within(scope)
        .filter(unit__isnull=True)
        .only("pk", "level", "code", "name", "parent_id")
        .order_by("code", "pk")
    )
    below = dict(
        Goal.objects.within(scope)
        .filter(parent_id__in=[g.pk for g in goals], unit__isnull=False)
        .values("parent_id")
        .annotate(n=Count("pk"))
        .values_list("parent_id", "n")
    )
    by_parent: dict[int | None, list[Goal]] = defaultdict(list)
    for goal in goals:
        by_parent[goal.parent_id].append(goal)
    known = {g.pk for g in goals}
    out: list[tuple[Goal, int]] = []

    def walk(parent, depth):
        for goal in by_parent.get(parent, []):
            goal.depth = depth
            out.append((goal, below.get(goal.pk, 0)))
            walk(goal.pk, depth + 1)

    walk(None, 0)
    for goal in goals:  # a goal whose parent is out of reach starts its own branch
        if goal.parent_id is not None and goal.parent_id not in known:
            goal.depth = 0
            out.append((goal, below.get(goal.pk, 0)))
            walk(goal.pk, 1)
    return out


def cascade_below_goal(scope: Scope, goal: Goal, year: int | None) -> list[CascadeGoal]:
    """The agency goals directly under ``goal`` within reach, each with its indicators, their
    targets of ``year``, the agreement (PK) targets of the current agreements that carry them
    and the heads' SKP results serving those; and how many goals lie under each. Six queries
    whatever the province's size."""
    goals = list(
        Goal.objects.within(scope)
        .filter(parent=goal)
        .select_related("unit")
        .only("pk", "level", "code", "name", "parent_id", "unit__name")
        .order_by("code", "pk")
    )
    ids = [g.pk for g in goals]
    below = dict(
        Goal.objects.filter(parent_id__in=ids)
        .values("parent_id")
        .annotate(n=Count("pk"))
        .values_list("parent_id", "n")
    )
    indicators = list(
        Indicator.objects.within(scope)
        .filter(goal_id__in=ids)
        .only("pk", "goal_id", "code", "name", "measure_unit")
        .order_by("code", "pk")
    )
    targets = list(
        Target.objects.filter(indicator__in=indicators, year=year).order_by("pk")
        if year
        else Target.objects.none()
    )
    from .models import AgreementTarget

    carried = list(
        AgreementTarget.objects.filter(
            target__in=targets, agreement__is_current=True
        ).select_related("agreement")
    )
    results = list(
        PlanResult.objects.filter(serves_target__in=carried, plan__is_current=True)
        .select_related("plan__employee")
        .only("pk", "text", "serves_target_id", "plan__employee__name", "plan__status")
        .annotate(below=Count("served_by"))
        .order_by("pk")
    )
    by_at: dict[int, list[PlanResult]] = defaultdict(list)
    for result in results:
        by_at[result.serves_target_id].append(result)
    at_by_target: dict[int, list[Any]] = defaultdict(list)
    for row in carried:
        at_by_target[row.target_id].append(row)
    cascade_targets: dict[int, list[CascadeTarget]] = defaultdict(list)
    for target in targets:
        ats = at_by_target.get(target.pk, [])
        cascade_targets[target.indicator_id].append(
            CascadeTarget(target, ats, [r for at in ats for r in by_at.get(at.pk, [])])
        )
    nodes = {g.pk: CascadeGoal(g, children=below.get(g.pk, 0)) for g in goals}
    for indicator in indicators:
        nodes[indicator.goal_id].indicators.append(
            CascadeIndicator(indicator, cascade_targets.get(indicator.pk, []))
        )
    return list(nodes.values())


def results_below(plans, result: PlanResult) -> list[PlanResult]:
    """The results serving ``result`` in the plans within reach (``plans``), each with how
    many results serve it in turn (one query)."""
    return list(
        PlanResult.objects.filter(serves=result, plan__in=plans, plan__is_current=True)
        .select_related("plan__employee")
        .only(
            "pk",
            "text",
            "serves_directly",
            "plan__employee__name",
            "plan__position_title",
            "plan__status",
        )  # fmt: skip
        .annotate(below=Count("served_by"))
        .order_by("plan__employee__name", "pk")[:PAGE]
    )


def collaboration_summary(scope: Scope, year: int | None) -> dict[str, int]:
    """How many collaborations within reach, open and closed, for the year (one query)."""
    from .models import Collaboration

    rows = Collaboration.objects.within(scope)
    if year:
        rows = rows.filter(target__year=year)
    return dict(rows.values("status").annotate(n=Count("pk")).values_list("status", "n"))
