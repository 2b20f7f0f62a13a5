"""Early warning: the reads behind its pages, API, e-mail and home card.

`project_targets` turns a queryset of targets into warning rows in a fixed number of queries
(the facts of the roll-ups: targets, sub-period targets, verified realisations; then the
targets' owners, the sub-periods, the action plans' weights, the realisations' steps and the
current agreements), whatever the number of targets. The lists:

- **plan targets** (`goal_rows`): the targets of the goal tree in reach (the province's RPJMD
  targets for the instansi-wide readers, the agencies' PK and Renstra targets), projected live
  (a few thousand at province size) and kept until the next audited write (`audit.freshness`);
- **staff targets** (`staff_flags`): the employee plans' (SKP) targets, 400,000 at province
  size, flagged by `scan` (nightly and before each digest) into `TargetWarning`; a page reads a
  page of flags and re-projects its rows live;
- **own targets** (`own_rows`): the caller's own current plans, live.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.audit.freshness import data_version, kept
from kinerja.audit.services import record
from kinerja.core.scope import Action, Scope
from kinerja.performance.aggregates import load_facts
from kinerja.performance.choices import SubPeriodStatus, TargetShape
from kinerja.performance.models import (
    AgreementTarget,
    Period,
    Plan,
    Realisation,
    RealisationStatus,
    SubPeriod,
    Target,
)
from kinerja.performance.models.actions import Action as PlanAction
from kinerja.performance.models.actions import ActionSchedule
from kinerja.performance.policy import achievement_rules_for_year

from .models import TargetWarning, WarningStatus
from .warning_rules import (
    Basis,
    Method,
    NotProjectable,
    Projection,
    ProjectionInput,
    Status,
    project,
    silent,
    status,
)

DATA = Path(__file__).resolve().parent / "data"
REPORTED = (RealisationStatus.SUBMITTED, RealisationStatus.RESUBMITTED, RealisationStatus.VERIFIED)
SCAN_CHUNK = 5000
ORDER = {Status.AT_RISK: 0, Status.SILENT: 1, Status.NOT_PROJECTABLE: 2, Status.ON_TRACK: 3}
FLAGGED = (Status.AT_RISK, Status.SILENT)

STATUS_LABELS = {
    Status.AT_RISK: _("At risk"),
    Status.SILENT: _("Silent"),
    Status.NOT_PROJECTABLE: _("Not projectable"),
    Status.ON_TRACK: _("On track"),
}
BASIS_LABELS = {
    Basis.ACTION_PLAN: _("the action plan's weights"),
    Basis.SUB_PERIOD_TARGETS: _("the sub-period targets"),
    Basis.BASELINE_PATH: _("the baseline to the target, as the action plan's weights"),
    Basis.YEAR_TARGET: _("the year's target held all year"),
    Basis.EVEN: _("even shares (nothing agreed per sub-period)"),
}
METHOD_LABELS = {
    Method.PACE: _("pace so far against the planned share"),
    Method.TREND: _("trend of the last values against the path"),
    Method.MEAN: _("mean gap so far carried on the remaining targets"),
}
REASON_LABELS = {
    NotProjectable.QUALITATIVE: _("qualitative target (rated by the evaluator)"),
    NotProjectable.NO_REALISATION: _("no verified realisation yet"),
    NotProjectable.ZERO_TARGET_RATED: _("target of 0 rated by the evaluator"),
}
KIND_LABELS = {
    "province": _("Province (RPJMD)"),
    "agency": _("Agency (PK/Renstra)"),
    "skp": _("Employee plan (SKP)"),
}


# Policy --------------------------------------------------------------------------------------


@functools.cache
def _versions() -> tuple[tuple[dt.date, dict[str, Any]], ...]:
    with open(DATA / "warning.json", encoding="utf-8") as handle:
        raw = json.load(handle)
    versions = [(dt.date.fromisoformat(v["valid_from"]), v) for v in raw["versions"]]
    return tuple(sorted(versions, key=lambda item: item[0]))


def policy_for_year(year: int) -> dict[str, Any]:
    """The early-warning policy a year is judged under: the version in force on its first
    day (a year before the first version reads the first)."""
    first = dt.date(year, 1, 1)
    chosen = _versions()[0][1]
    for valid_from, version in _versions():
        if valid_from <= first:
            chosen = version
    return chosen


def threshold_for(year: int) -> Decimal:
    """The threshold of the year (percent): below it a projected achievement is at risk."""
    return Decimal(str(policy_for_year(year)["threshold_percent"]))


# Who reads -----------------------------------------------------------------------------------


def may_read(scope: Scope) -> bool:
    """The warning list: whoever reads plans somewhere, and an employee (their own plan)."""
    return scope.can_anywhere(Action.VIEW_PLANNING) or bool(scope.employee_id)


def reads_staff(scope: Scope) -> bool:
    """The staff targets' list: whoever reads plans somewhere (a unit, posts or everywhere)."""
    return scope.can_anywhere(Action.VIEW_PLANNING)


def is_wide(scope: Scope) -> bool:
    return scope.paths_for(Action.VIEW_PLANNING) is None


def years(scope: Scope) -> list[int]:
    return list(
        Period.objects.filter(instansi_id=scope.instansi_id)
        .order_by("-year")
        .values_list("year", flat=True)
    )


def default_year(known: list[int], today: dt.date | None = None) -> int:
    """This year when it has a period, else the latest year that has one."""
    today = today or timezone.localdate()
    if today.year in known or not known:
        return today.year
    return known[0]


# Rows ----------------------------------------------------------------------------------------


@dataclass
class WarningRow:
    """One target of a warning list, with its owner, last update and projection."""

    target_id: int
    year: int
    code: str
    name: str
    measure_unit: str
    target_display: str
    kind: str  # province, agency, skp
    owner: str
    unit_name: str
    agency_id: int | None
    agency_name: str
    plan_id: int | None
    agreement_id: int | None
    last_update: dt.datetime | None
    projection: Projection
    status: Status
    silent: tuple[int, ...]
    threshold: Decimal
    labels: dict[int, str] = field(default_factory=dict)  # sub-period number -> its label

    @property
    def percent(self) -> Decimal | None:
        return self.projection.percent

    @property
    def flagged(self) -> bool:
        return self.status in FLAGGED

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def basis_label(self) -> str:
        basis = self.projection.basis
        return str(BASIS_LABELS[basis]) if basis else ""

    @property
    def method_label(self) -> str:
        method = self.projection.method
        return str(METHOD_LABELS[method]) if method else ""

    @property
    def reason_label(self) -> str:
        reason = self.projection.reason
        return str(REASON_LABELS.get(reason, reason)) if reason else ""

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def silent_labels(self) -> list[str]:
        return [self.labels.get(n, str(n)) for n in self.silent]

    def sort_key(self) -> tuple:
        percent = self.percent if self.percent is not None else Decimal(10**6)
        return (ORDER[self.status], percent, self.agency_name, self.owner, self.code)


def _display(shape: str, value, low, high, expectation: str) -> str:
    if shape == TargetShape.VALUE:
        return f"{value.normalize():f}"
    if shape == TargetShape.RANGE:
        return f"{low.normalize():f}\u2013{high.normalize():f}"
    return expectation


META = (
    "pk",
    "indicator__code",
    "indicator__name",
    "indicator__measure_unit",
    "indicator__baseline",
    "indicator__unit__name",
    "indicator__unit__agency_id",
    "indicator__unit__agency__name",
    "indicator__result__plan__employee__name",
    "indicator__result__plan__starts",
    "indicator__result__plan__ends",
    "shape",
    "value",
    "low",
    "high",
    "expectation",
)


def project_targets(targets: QuerySet, *, today: dt.date | None = None) -> list[WarningRow]:
    """The warning rows of queryset ``targets`` (already scoped by the caller), in a fixed
    number of queries: the roll-ups' facts (3), the owners (1), the sub-periods (1), the
    action plans' weights (1), the realisations' steps (1) and the current agreements (1)."""
    today = today or timezone.localdate()
    facts = load_facts(targets)
    if not facts:
        return []
    ids = targets.order_by().values("pk")
    meta = {row[0]: row for row in Target.objects.filter(pk__in=ids).order_by().values_list(*META)}
    instansis = {f.instansi_id for f in facts.values()}
    years_ = {f.year for f in facts.values()}
    subs: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for inst, year, number, starts, ends, state, days in (
        SubPeriod.objects.filter(instansi_id__in=instansis, period__year__in=years_)
        .order_by("number")
        .values_list(
            "instansi_id",
            "period__year",
            "number",
            "starts",
            "ends",
            "status",
            "period__periodic_evaluation_days",
        )
    ):
        subs[(inst, year)].append((number, starts, ends, state, days))
    weights: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    # Leaf actions of the target's row in the current PK: each action's weights sum to 100, so
    # their sum per sub-period is the mean schedule times the number of actions.
    # Three plain reads by key (the actions of the targets' rows, which of them are parents,
    # the leaves' schedules): joined in one statement with the anti-join on the children,
    # PostgreSQL planned it over stale statistics for minutes in the demo's transaction.
    action_target = dict(
        PlanAction.objects.filter(
            agreement__is_current=True, agreement_target__target_id__in=list(facts)
        )
        .order_by()
        .values_list("pk", "agreement_target__target_id")
    )
    parents = set(
        PlanAction.objects.filter(parent_id__in=list(action_target))
        .order_by()
        .values_list("parent_id", flat=True)
    )
    leaves = [pk for pk in action_target if pk not in parents]
    for action_id, number, weight in (
        ActionSchedule.objects.filter(action_id__in=leaves)
        .order_by()
        .values_list("action_id", "sub_period__number", "weight")
    ):
        weights[action_target[action_id]][number] += weight
    reported: dict[int, set[int]] = defaultdict(set)
    last: dict[int, dt.datetime] = {}
    for target_id, number, state, updated in (
        Realisation.objects.filter(target_id__in=ids)
        .order_by()
        .values_list("target_id", "sub_period__number", "status", "updated_at")
    ):
        if state in REPORTED:
            reported[target_id].add(number)
        if target_id not in last or updated > last[target_id]:
            last[target_id] = updated
    agreements = dict(
        AgreementTarget.objects.filter(target_id__in=ids, agreement__is_current=True)
        .order_by("target_id", "-agreement__unit_id")
        .values_list("target_id", "agreement_id")
    )
    rules: dict[int, Any] = {}
    thresholds: dict[int, Decimal] = {}
    rows = []
    for pk, fact in facts.items():
        (
            _pk, code, name, measure, baseline, unit_name, agency_id, agency_name,
            employee, plan_starts, plan_ends, shape, value, low, high, expectation,
        ) = meta[pk]  # fmt: skip
        periods = subs.get((fact.instansi_id, fact.year), [])
        if plan_starts is not None:  # an employee plan covers its own dates only
            periods = [p for p in periods if p[1] <= plan_ends and p[2] >= plan_starts]
        numbers = [p[0] for p in periods]
        due = [
            n
            for n, _starts, ends, state, days in periods
            if state == SubPeriodStatus.CLOSED or ends + dt.timedelta(days=days) < today
        ]
        if fact.year not in rules:
            rules[fact.year] = achievement_rules_for_year(fact.year)
            thresholds[fact.year] = threshold_for(fact.year)
        projection = (
            project(
                ProjectionInput(
                    polarity=fact.polarity,
                    aggregation=fact.aggregation,
                    target=fact.spec,
                    numbers=numbers,
                    realised={n: v for n, v in fact.realised.items() if v is not None},
                    sub_targets=fact.sub_targets,
                    weights=dict(weights.get(pk, {})),
                    baseline=baseline,
                    cap=fact.cap,
                    zero_rule=fact.zero_rule,
                ),
                rules[fact.year],
            )
            if numbers
            else Projection(reason=NotProjectable.NO_REALISATION)
        )
        quiet = silent(due, reported.get(pk, set()))
        if fact.plan_id is not None:
            kind, owner = "skp", employee or ""
        elif fact.unit_id is None:
            kind, owner = "province", str(_("Province"))
        else:
            kind, owner = "agency", agency_name or unit_name or ""
        rows.append(
            WarningRow(
                target_id=pk,
                year=fact.year,
                code=code,
                name=name,
                measure_unit=measure,
                target_display=_display(shape, value, low, high, expectation),
                kind=kind,
                owner=owner,
                unit_name=unit_name or "",
                agency_id=agency_id,
                agency_name=agency_name or "",
                plan_id=fact.plan_id,
                agreement_id=agreements.get(pk),
                last_update=last.get(pk),
                projection=projection,
                status=status(projection, thresholds[fact.year], quiet),
                silent=quiet,
                threshold=thresholds[fact.year],
            )
        )
    rows.sort(key=WarningRow.sort_key)
    return rows


def sub_period_labels(instansi_id: int, year: int) -> dict[int, str]:
    """The year's sub-periods' labels ("Triwulan 1", "03/2026") by number (one query)."""
    return {
        sp.number: str(sp.label)
        for sp in SubPeriod.objects.filter(instansi_id=instansi_id, period__year=year)
        .select_related("period")
        .order_by("number")
    }


# Lists ---------------------------------------------------------------------------------------


def plan_targets(scope: Scope, year: int, agency: int | None = None) -> QuerySet:
    """The goal tree's targets of ``year`` in reach: the province's RPJMD targets for the
    instansi-wide readers, the agencies' PK and Renstra targets within the caller's units."""
    qs = Target.objects.within(scope).filter(year=year, indicator__result__isnull=True)
    if not is_wide(scope):
        qs = qs.filter(indicator__unit__isnull=False)
    if agency:
        qs = qs.filter(indicator__unit__agency_id=agency)
    return qs


def goal_rows(
    scope: Scope, year: int, *, agency: int | None = None, request=None, today=None
) -> list[WarningRow]:
    """Every goal-tree target of ``year`` in reach with its projection, kept until the next
    audited write of the instansi (the day is part of the key: sub-periods fall due). The
    instansi-wide readers reach the same targets, so they share one computation."""
    if is_wide(scope):
        rows = _instansi_goal_rows(scope.instansi_id, year, request=request, today=today)
        return [r for r in rows if r.agency_id == agency] if agency else rows
    return kept(
        "analytics.warning.goals",
        lambda: project_targets(plan_targets(scope, year, agency), today=today),
        scope=scope,
        request=request,
        parts=(year, agency or ""),
        on=today,
    )


def _instansi_goal_rows(instansi_id: int, year: int, *, request=None, today=None):
    version = data_version(instansi_id, request)
    day = (today or timezone.localdate()).isoformat()
    key = f"kinerja:analytics.warning.instansi:{instansi_id}:{year}:{day}:{version}"
    rows = cache.get(key)
    if rows is None:
        targets = Target.objects.filter(
            instansi_id=instansi_id, year=year, indicator__result__isnull=True
        )
        rows = project_targets(targets, today=today)
        cache.set(key, rows, getattr(settings, "KINERJA_FIGURES_CACHE_SECONDS", 600))
    return rows


def own_rows(scope: Scope, year: int, *, today=None) -> list[WarningRow]:
    """The targets of the caller's own current plans of ``year``."""
    if not scope.employee_id:
        return []
    plans = Plan.objects.filter(
        instansi_id=scope.instansi_id,
        employee_id=scope.employee_id,
        is_current=True,
        period__year=year,
    )
    targets = Target.objects.filter(year=year, indicator__result__plan__in=plans.values("pk"))
    return project_targets(targets, today=today)


def staff_plans(scope: Scope, year: int) -> QuerySet:
    return Plan.objects.within(scope).filter(is_current=True, period__year=year)


def staff_flags(
    scope: Scope, year: int, *, agency: int | None = None, state: str | None = None
) -> QuerySet:
    """The flags (last scan) of the staff plans' targets of ``year`` in reach."""
    qs = TargetWarning.objects.filter(
        instansi_id=scope.instansi_id, year=year, target__indicator__result__isnull=False
    )
    if not is_wide(scope):
        qs = qs.filter(
            target__indicator__result__plan__in=staff_plans(scope, year).order_by().values("pk")
        )
    if agency:
        qs = qs.filter(target__indicator__unit__agency_id=agency)
    if state in WarningStatus.values:
        qs = qs.filter(status=state)
    return qs


def last_scan(instansi_id: int, year: int) -> dt.datetime | None:
    return (
        TargetWarning.objects.filter(instansi_id=instansi_id, year=year)
        .order_by("-scanned_at")
        .values_list("scanned_at", flat=True)
        .first()
    )


def target_in_reach(scope: Scope, pk: int) -> Target | None:
    """A target the caller may read the projection of: through its unit's plans (goal tree,
    or the plan's unit), an evaluator's reports' plans, or their own plan; else None."""
    target = Target.objects.filter(pk=pk, instansi_id=scope.instansi_id).first()
    if target is None:
        return None
    goal_target = Target.objects.within(scope).filter(pk=pk, indicator__result__isnull=True)
    plan_target = Target.objects.filter(
        pk=pk, indicator__result__plan__in=Plan.objects.within(scope).values("pk")
    )
    if goal_target.exists() or plan_target.exists():
        return target
    return None


# Scan ----------------------------------------------------------------------------------------


def scan(instansi_id: int, year: int, *, today: dt.date | None = None) -> int:
    """Flag the targets of ``year``: the goal tree's and the current employee plans' (SKP),
    projected in chunks of 5,000; keep the flagged ones, replacing the year's flags in one
    transaction with one audit event (``warning.scan``, by the system). Returns the number of
    flags."""
    today = today or timezone.localdate()
    now = timezone.now()
    ids = list(
        Target.objects.filter(instansi_id=instansi_id, year=year)
        .filter(Q(indicator__result__isnull=True) | Q(indicator__result__plan__is_current=True))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    flags = []
    for start in range(0, len(ids), SCAN_CHUNK):
        chunk = Target.objects.filter(pk__in=ids[start : start + SCAN_CHUNK])
        for row in project_targets(chunk, today=today):
            if row.flagged:
                flags.append(
                    TargetWarning(
                        instansi_id=instansi_id,
                        target_id=row.target_id,
                        year=year,
                        status=row.status.value,
                        percent=row.percent,
                        silent=len(row.silent),
                        scanned_at=now,
                    )
                )
    with transaction.atomic():
        TargetWarning.objects.filter(instansi_id=instansi_id, year=year).delete()
        TargetWarning.objects.bulk_create(flags, batch_size=2000)
        record(
            actor=None,
            action="warning.scan",
            instansi_id=instansi_id,
            target_type="organisations.instansi",
            target_repr=str(year),
            changes={"targets": [None, len(ids)], "flags": [None, len(flags)]},
        )
    return len(flags)


# Counts (home card, digest) ------------------------------------------------------------------


def counts(rows: Iterable[WarningRow]) -> dict[str, int]:
    out = {Status.AT_RISK.value: 0, Status.SILENT.value: 0}
    for row in rows:
        if row.status.value in out:
            out[row.status.value] += 1
    return out


def staff_counts(scope: Scope, year: int, *, agency: int | None = None) -> dict[str, int]:
    """The staff plans' flags in reach by status (one grouped query)."""
    found = dict(
        staff_flags(scope, year, agency=agency)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return {s: found.get(s, 0) for s in WarningStatus.values}


def at_risk_in_reach(scope: Scope, year: int) -> int:
    """How many targets in reach were at risk at the last scan: the goal tree's and the staff
    plans' (two counts on the flags, for the home card)."""
    goal = TargetWarning.objects.filter(
        instansi_id=scope.instansi_id,
        year=year,
        status=WarningStatus.AT_RISK,
        target__in=plan_targets(scope, year).order_by().values("pk"),
    ).count()
    return goal + staff_flags(scope, year, state=WarningStatus.AT_RISK).count()
