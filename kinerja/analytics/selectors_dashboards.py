"""The dashboards' reads: the province, an agency, a unit and the signed-in employee
(docs/analytics-dashboards.md).

Every achievement shown is a maintained roll-up row (`performance.Rollup`, kept by
`kinerja.performance.aggregates`), never a realisation: a target's row, a plan's, a unit's,
an agency's or the province's, for the year (sub-period 0) or one sub-period. A figure that has
no row is "no data" (None), never 0; a row whose ``percent`` is empty had members but none with
a figure. Each dashboard costs a fixed number of queries whatever the size of the province:
one query per kind of row, never one per row shown.

Who reads what (the views check it; `may_read_province`, `agencies_for`):

- the province: the instansi-wide readers (``view_planning`` across the instansi: leadership,
  Bappeda, BKD, BPSDM, Inspektorat, the system administrator);
- an agency or a unit: whoever holds ``view_planning`` on it through a unit grant (its head and
  administrator, and the instansi-wide readers); another agency's answers 404;
- "my dashboard": whoever has an employee record, only their own.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from kinerja.audit.freshness import kept
from kinerja.core.scope import Action, Scope
from kinerja.organisations.models import Employee, OrgUnit
from kinerja.performance.choices import Frequency, GoalLevel, TagKind, TargetShape
from kinerja.performance.models import (
    Agreement,
    AgreementTarget,
    CollaborationMember,
    Goal,
    GoalTag,
    Indicator,
    KeyIndicatorSet,
    KeyIndicatorSetItem,
    Period,
    Plan,
    PlanStatus,
    Rollup,
    RollupKind,
    SubPeriod,
    Target,
)
from kinerja.performance.policy import rb_theme_choices

from .charts import Table, band_for

YEAR = 0  # a roll-up's sub-period number for the whole year
TREND_YEARS = 4  # prior years shown in the key indicators' trend
UNIT_PLAN_LIMIT = 200  # plans listed on a unit's dashboard (the count says how many more)
CENT = Decimal("0.01")
TARGET, PLAN, UNIT, AGENCY, PROVINCE = (str(k.value) for k in RollupKind)
# The plan steps in order; "none" is a member of staff without a plan for the year.
PLAN_STEPS = (
    "none",
    PlanStatus.DRAFT,
    PlanStatus.SUBMITTED,
    PlanStatus.APPROVED,
    PlanStatus.SIGNED,
)


def no_data_message() -> str:
    return _("No data for this period yet.")


# Who reads ----------------------------------------------------------------------------------


def may_read_province(scope: Scope) -> bool:
    """The instansi-wide readers of planning (a grant across the whole instansi)."""
    return (
        scope.instansi_id is not None
        and scope.can_anywhere(Action.VIEW_PLANNING)
        and scope.paths_for(Action.VIEW_PLANNING) is None
    )


def reads_units(scope: Scope) -> bool:
    """Whoever holds ``view_planning`` through a unit grant (or across the instansi): the
    agency and unit dashboards' readers. A post grant (an evaluator's reports) is not one."""
    if scope.instansi_id is None:
        return False
    paths = scope.paths_for(Action.VIEW_PLANNING)
    return paths is None or bool(paths)


def units_for(scope: Scope):
    """The units whose dashboard the caller may open (their unit grants' subtrees)."""
    if not reads_units(scope):
        return OrgUnit.objects.none()
    return OrgUnit.objects.within(scope, Action.VIEW_PLANNING)


def agencies_for(scope: Scope):
    """The agencies (units at the top of the tree) whose dashboard the caller may open."""
    return units_for(scope).filter(parent__isnull=True)


def agency_in_reach(scope: Scope, pk: int, request=None, agencies=None) -> OrgUnit | None:
    """Agency ``pk`` if it is among ``agencies(scope)`` (default `agencies_for`: the
    dashboards' reach; the health pages pass theirs), else None; kept until the next audited
    write of the instansi (a third of a kept page's time was this lookup)."""
    agencies = agencies or agencies_for
    return kept(
        f"analytics.agency_in_reach:{agencies.__module__}",
        lambda: agencies(scope).filter(pk=pk).first(),
        scope=scope,
        request=request,
        parts=(pk,),
    )


def my_unit(scope: Scope) -> OrgUnit | None:
    """The unit of the caller's own outermost unit grant of ``view_planning``: a head's or an
    administrator's agency (None for the instansi-wide readers and those with no unit grant)."""
    paths = scope.paths_for(Action.VIEW_PLANNING)
    if not paths:
        return None
    return (
        OrgUnit.objects.filter(instansi_id=scope.instansi_id, path__in=paths)
        .order_by("depth", "sort_key", "pk")
        .first()
    )


# Filters ------------------------------------------------------------------------------------


@dataclass
class Filters:
    """The period (year) and sub-period shown, and the choices of the filter form."""

    year: int | None
    sub_period: int = YEAR
    period: Period | None = None
    years: list[int] = field(default_factory=list)
    sub_periods: list[tuple[int, str]] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        if self.year is None:
            return ""
        if self.sub_period == YEAR:
            return str(self.year)
        name = dict(self.sub_periods).get(self.sub_period, str(self.sub_period))
        return f"{name} {self.year}"

    def query(self, **extra: Any) -> str:
        """The filters as a query string (kept on every link of the dashboards)."""
        params: dict[str, Any] = {}
        if self.year is not None:
            params["year"] = self.year
        if self.sub_period:
            params["sub_period"] = self.sub_period
        params.update({k: v for k, v in extra.items() if v not in (None, "")})
        return urlencode(params)

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "sub_period": self.sub_period,
            "label": self.label,
            "years": self.years,
            "sub_periods": [{"number": n, "label": label} for n, label in self.sub_periods],
        }


def sub_period_label(frequency: str, number: int, starts: dt.date) -> str:
    if frequency == Frequency.QUARTERLY:
        return _("Quarter %(n)d") % {"n": number}
    return formats.date_format(starts, "F")


def resolve_filters(instansi_id: int | None, year: Any = None, sub_period: Any = None) -> Filters:
    """Read ``year`` and ``sub_period`` (0 or empty: the whole year) against the instansi's
    periods: two queries. A bad value is named in ``errors`` and the default shown instead:
    this year if it is open, else the latest year before it, else the latest."""
    periods = {p.year: p for p in Period.objects.filter(instansi_id=instansi_id).order_by("-year")}
    filters = Filters(year=None, years=sorted(periods, reverse=True))
    wanted: int | None = None
    if year not in (None, ""):
        try:
            wanted = int(year)
        except (TypeError, ValueError):
            filters.errors["year"] = _("The year must be a number, such as 2024.")
        else:
            if wanted not in periods:
                filters.errors["year"] = _("There is no performance year %(year)s.") % {
                    "year": wanted
                }
                wanted = None
    if wanted is None and periods:
        this_year = timezone.localdate().year
        earlier = [y for y in periods if y <= this_year]
        wanted = max(earlier) if earlier else max(periods)
    if wanted is None:
        return filters
    filters.year = wanted
    filters.period = periods[wanted]
    subs = SubPeriod.objects.filter(period=filters.period).order_by("number")
    filters.sub_periods = [
        (s.number, sub_period_label(filters.period.frequency, s.number, s.starts)) for s in subs
    ]
    if sub_period not in (None, "", "0", 0):
        try:
            number = int(sub_period)
        except (TypeError, ValueError):
            number = -1
        if number in dict(filters.sub_periods):
            filters.sub_period = number
        else:
            filters.errors["sub_period"] = _("The year %(year)s has no sub-period %(value)s.") % {
                "year": wanted,
                "value": sub_period,
            }
    return filters


# Shared pieces ------------------------------------------------------------------------------


def mean(values: list[Decimal]) -> Decimal | None:
    """The plain mean of the figures, two decimals half up (None when there is none)."""
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}"


def _plain(value: Decimal | None) -> Decimal | None:
    """A stored four-decimal figure without its trailing zeros (5.0000 reads 5, 65.6500
    65.65), never in exponent form."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _target_text(shape: str, value, low, high, expectation: str = "") -> str:
    if shape == TargetShape.RANGE:
        return f"{_number(low)}\u2013{_number(high)}"
    if shape == TargetShape.QUALITATIVE:
        return expectation
    return _number(value)


def _row_target(row: dict | None, fallback: str) -> str:
    """The target a roll-up row met (the sub-period's, aggregated), else the year's."""
    if row is None:
        return fallback
    if row["target_low"] is not None:
        return f"{_number(row['target_low'])}\u2013{_number(row['target_high'])}"
    if row["target_value"] is not None:
        return _number(row["target_value"])
    return fallback


def _band_cells(percent: Decimal | None, year: int) -> tuple[str, str | None]:
    band = band_for(percent, year)
    return (band.label, band.colour) if band else ("", None)


ROW_COLUMNS = (
    "kind",
    "object_id",
    "year",
    "sub_period",
    "percent",
    "realisation",
    "target_value",
    "target_low",
    "target_high",
    "reason",
    "computed",
    "not_computed",
)


def _rows(queryset) -> list[dict[str, Any]]:
    return list(queryset.order_by().values(*ROW_COLUMNS))


def _headline(row: dict | None) -> dict[str, Any]:
    """A roll-up's figure for the headline: ``has_row`` False means no data at all."""
    if row is None:
        return {"has_row": False, "percent": None, "computed": 0, "not_computed": 0}
    return {
        "has_row": True,
        "percent": row["percent"],
        "computed": row["computed"],
        "not_computed": row["not_computed"],
    }


@dataclass
class Dashboard:
    """What a dashboard page, its exports and its API answer show."""

    kind: str
    filters: Filters
    headline: dict[str, Any]
    tables: list[Table] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_data(self) -> bool:
        return bool(self.headline.get("has_row"))

    @property
    def message(self) -> str:
        if self.filters.year is None:
            return _("No performance year has been opened yet.")
        return "" if self.has_data else no_data_message()

    def __post_init__(self) -> None:
        self._sections = _section_names()

    def sectioned(self) -> list[Table]:
        """The tables with their headings set."""
        for table in self.tables:
            table.section = self._sections.get(table.key, "")
        return self.tables

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)

    @property
    def by_key(self) -> dict[str, Table]:
        return {t.key: t for t in self.tables}

    def as_dict(self) -> dict[str, Any]:
        from .charts import json_safe

        return {
            "kind": self.kind,
            "filters": self.filters.as_dict(),
            "has_data": self.has_data,
            "message": self.message,
            "headline": json_safe(self.headline),
            "tables": {t.key: t.as_dict() for t in self.tables},
            **json_safe({k: v for k, v in self.extra.items() if not k.startswith("_")}),
        }


def _section_names() -> dict[str, str]:
    """The heading above each table (a page shows it where the heading changes)."""
    key_indicators, goals = _("Key indicators"), _("Goals and RB Tematik themes")
    areas, plans, training = (
        _("Development areas (Perpres 80/2019)"),
        _("Staff plans"),
        _("My training"),
    )
    return {
        "key-indicators": key_indicators,
        "key-indicator-trend": key_indicators,
        "agencies": _("Agencies"),
        "goals": goals,
        "themes": goals,
        "areas": areas,
        "areas-funding": areas,
        "training": _("Training"),
        "agreement": _("Performance agreement (PK)"),
        "units": _("Units"),
        "plans": plans,
        "staff-plans": plans,
        "predikat": _("Predikat distribution"),
        "my-targets": _("My targets"),
        "my-hours": training,
        "my-events": training,
        "my-action-plans": training,
    }


def _url(name: str, *args: Any, filters: Filters) -> str:
    query = filters.query()
    return reverse(name, args=args) + (f"?{query}" if query else "")


# The province -------------------------------------------------------------------------------


def province_dashboard(scope: Scope, filters: Filters) -> Dashboard:
    """The province's dashboard: its roll-up, its key indicators with their trend, the agencies
    ranked, the goals and RB Tematik themes, the development areas and training."""
    inst = scope.instansi_id
    year, number = filters.year, filters.sub_period
    if year is None:
        return Dashboard("province", filters, _headline(None))
    row = next(
        iter(
            _rows(
                Rollup.objects.filter(kind=PROVINCE, object_id=inst, year=year, sub_period=number)
            )
        ),
        None,
    )
    dash = Dashboard("province", filters, _headline(row))
    dash.tables += _key_indicator_tables(inst, filters)
    dash.tables.append(_agency_ranking(inst, filters))
    dash.tables += _goal_and_theme_tables(inst, filters)
    dash.extra["training"] = _training(scope, year)
    dash.tables += dash.extra["training"].pop("_tables", [])
    areas = _development_areas(inst, filters)
    dash.extra["areas_available"] = areas is not None
    if areas is not None:
        dash.tables += areas
    return dash


def _key_indicator_tables(inst: int, filters: Filters) -> list[Table]:
    """The province's IKU: achievement in the period shown, and the trend (prior years, the
    year's sub-periods, the year). Four queries: the set, its items, their targets of the
    years shown, the targets' roll-up rows."""
    year, number = filters.year, filters.sub_period
    key_set = (
        KeyIndicatorSet.objects.filter(
            instansi_id=inst, unit__isnull=True, first_year__lte=year, last_year__gte=year
        )
        .order_by("-status", "-first_year", "pk")  # a set (ditetapkan) before a draft
        .first()
    )
    items = []
    if key_set is not None:
        items = list(
            KeyIndicatorSetItem.objects.filter(key_set=key_set)
            .select_related("indicator")
            .order_by("position", "pk")
        )
    indicator_ids = [i.indicator_id for i in items]
    targets = list(
        Target.objects.filter(
            indicator_id__in=indicator_ids, year__gte=year - TREND_YEARS, year__lte=year
        )
        .order_by()
        .values_list("pk", "indicator_id", "year", "shape", "value", "low", "high", "expectation")
    )
    by_indicator_year = {(t[1], t[2]): t for t in targets}
    rows = (
        _rows(
            Rollup.objects.filter(kind=TARGET, object_id__in=[t[0] for t in targets]).filter(
                Q(year=year) | Q(sub_period=YEAR)
            )
        )
        if targets
        else []
    )
    figures = {(r["object_id"], r["year"], r["sub_period"]): r for r in rows}

    achievement_rows, colours, trend_rows = [], [], []
    prior_years = [
        y
        for y in range(year - TREND_YEARS, year)
        if any((i, y) in by_indicator_year for i in indicator_ids)
    ]
    for item in items:
        ind = item.indicator
        target = by_indicator_year.get((ind.pk, year))
        fig = figures.get((target[0], year, number)) if target else None
        percent = fig["percent"] if fig else None
        band, colour = _band_cells(percent, year)
        achievement_rows.append(
            [
                ind.code,
                ind.name,
                ind.get_measure_unit_display(),
                _row_target(fig, _target_text(*target[3:])) if target else "",
                _plain(fig["realisation"]) if fig else None,
                percent,
                band,
            ]
        )
        colours.append(colour)
        trend: list[Any] = [f"{ind.code} {ind.name}"]
        for y in prior_years:
            t = by_indicator_year.get((ind.pk, y))
            r = figures.get((t[0], y, YEAR)) if t else None
            trend.append(r["percent"] if r else None)
        for n, _label in filters.sub_periods:
            r = figures.get((target[0], year, n)) if target else None
            trend.append(r["percent"] if r else None)
        r = figures.get((target[0], year, YEAR)) if target else None
        trend.append(r["percent"] if r else None)
        trend_rows.append(trend)

    achievement = Table(
        "key-indicators",
        _("Key indicators (IKU) of the province: achievement, %(period)s")
        % {"period": filters.label},
        [
            _("Code"),
            _("Indicator"),
            _("Unit of measure"),
            _("Target"),
            _("Realisation"),
            _("Achievement (%)"),
            _("Achievement band"),
        ],
        achievement_rows,
        kind="hbar",
        category=0,
        series=(5,),
        unit="%",
        colours=colours,
        empty=_("The province has no key indicator set for %(year)s.") % {"year": year}
        if key_set is None
        else no_data_message(),
    )
    trend_columns = [
        _("Indicator"),
        *[str(y) for y in prior_years],
        *[f"{label} {year}" for _n, label in filters.sub_periods],
        str(year),
    ]
    trend = Table(
        "key-indicator-trend",
        _("Key indicators (IKU): achievement (%%) over the years and the sub-periods of %(year)s")
        % {"year": year},
        trend_columns,
        trend_rows,
        kind="line",
        by_row=True,
        unit="%",
        empty=achievement.empty,
    )
    return [achievement, trend]


def _agency_ranking(inst: int, filters: Filters) -> Table:
    """The agencies ranked by their roll-up (two queries: the rows, the agencies)."""
    year, number = filters.year, filters.sub_period
    rows = {
        r["object_id"]: r
        for r in _rows(
            Rollup.objects.filter(instansi_id=inst, kind=AGENCY, year=year, sub_period=number)
        )
    }
    today = timezone.localdate()
    agencies = list(
        OrgUnit.objects.filter(instansi_id=inst, parent__isnull=True)
        .filter(
            Q(valid_from__lte=today, valid_to__isnull=True)
            | Q(valid_to__gte=today, valid_from__lte=today)
            | Q(pk__in=list(rows))
        )
        .order_by("sort_key", "pk")
        .values_list("pk", "name")
    )

    def order(agency):
        r = rows.get(agency[0])
        percent = r["percent"] if r else None
        return (percent is None, -(percent or 0), agency[1])

    table_rows, links, colours = [], [], []
    rank = 0
    for pk, name in sorted(agencies, key=order):
        r = rows.get(pk)
        percent = r["percent"] if r else None
        if percent is not None:
            rank += 1
        band, colour = _band_cells(percent, year)
        table_rows.append(
            [
                name,
                rank if percent is not None else None,
                percent,
                band,
                r["computed"] if r else None,
                (r["computed"] + r["not_computed"]) if r else None,
            ]
        )
        links.append(_url("analytics:dashboard_agency", pk, filters=filters))
        colours.append(colour)
    return Table(
        "agencies",
        _("Agencies ranked by achievement, %(period)s") % {"period": filters.label},
        [
            _("Agency"),
            _("Rank"),
            _("Achievement (%)"),
            _("Achievement band"),
            _("Targets with a figure"),
            _("Targets counted"),
        ],
        table_rows if rows else [],
        kind="hbar",
        series=(2,),
        unit="%",
        links=links,
        colours=colours,
        note=_(
            "An agency's figure is its roll-up: the weighted mean of its PK and Renstra "
            "targets, a shared target with its share. An agency without a row has no target "
            "with a figure in this period: it is listed last, with no rank."
        ),
        empty=no_data_message(),
    )


def _goal_and_theme_tables(inst: int, filters: Filters) -> list[Table]:
    """Achievement per RPJMD target (sasaran) and per RB Tematik theme: the plain mean of the
    goal-tree targets of the year under the goal (the members' supporting results of a shared
    target left out, as at the province). Four queries: the goals, the theme tags, the
    year's targets, their roll-up rows."""
    year, number = filters.year, filters.sub_period
    goals = {
        pk: (parent, level, code, name)
        for pk, parent, level, code, name in Goal.objects.filter(instansi_id=inst)
        .order_by()
        .values_list("pk", "parent_id", "level", "code", "name")
    }
    tags = defaultdict(set)
    for goal_id, code in GoalTag.objects.filter(
        goal__instansi_id=inst, kind=TagKind.RB_THEME
    ).values_list("goal_id", "code"):
        tags[goal_id].add(code)
    supporting = CollaborationMember.objects.filter(supporting_target__isnull=False).values(
        "supporting_target_id"
    )
    # Through the goals' indicators (indexed by goal), never a scan of the staff plans' targets:
    # the indicators' ids first, since given the join SQLite walked every target of the year.
    indicators = list(
        Indicator.objects.filter(goal_id__in=list(goals)).order_by().values_list("pk", flat=True)
    )
    targets = (
        Target.objects.filter(indicator_id__in=indicators, year=year)
        .exclude(pk__in=supporting)
        .order_by()
    )
    goal_of = dict(targets.values_list("pk", "indicator__goal_id"))
    percents = dict(
        Rollup.objects.filter(
            kind=TARGET,
            year=year,
            sub_period=number,
            # The ids as a list: given the subquery, SQLite walked every target row of the
            # year (10x the time at 80,330 staff than at 8,033).
            object_id__in=list(goal_of),
        )
        .order_by()
        .values_list("object_id", "percent")
    )

    def ancestors(goal_id):
        seen = []
        while goal_id is not None and goal_id in goals and goal_id not in seen:
            seen.append(goal_id)
            goal_id = goals[goal_id][0]
        return seen

    per_goal: dict[int, list] = defaultdict(list)  # RPJMD target (sasaran) -> figures
    counted_goal: dict[int, int] = defaultdict(int)
    per_theme: dict[str, list] = defaultdict(list)
    counted_theme: dict[str, int] = defaultdict(int)
    for target_id, goal_id in goal_of.items():
        chain = ancestors(goal_id)
        percent = percents.get(target_id)
        for g in chain:
            if goals[g][1] == GoalLevel.TARGET:
                counted_goal[g] += 1
                if percent is not None:
                    per_goal[g].append(percent)
                break
        themes = set().union(*(tags.get(g, set()) for g in chain)) if chain else set()
        for theme in themes:
            counted_theme[theme] += 1
            if percent is not None:
                per_theme[theme].append(percent)

    goal_rows, goal_colours = [], []
    sasaran = sorted(
        (pk for pk, g in goals.items() if g[1] == GoalLevel.TARGET), key=lambda pk: goals[pk][2]
    )
    for pk in sasaran:
        value = mean(per_goal.get(pk, []))
        band, colour = _band_cells(value, year)
        goal_rows.append(
            [goals[pk][2], goals[pk][3], value, band, len(per_goal.get(pk, [])), counted_goal[pk]]
        )
        goal_colours.append(colour)
    theme_rows, theme_colours = [], []
    for code, label in rb_theme_choices(dt.date(year, 1, 1)):
        value = mean(per_theme.get(code, []))
        band, colour = _band_cells(value, year)
        theme_rows.append([label, value, band, len(per_theme.get(code, [])), counted_theme[code]])
        theme_colours.append(colour)
    has_figures = bool(percents)
    columns_tail = [_("Targets with a figure"), _("Targets counted")]
    return [
        Table(
            "goals",
            _("RPJMD targets (sasaran): achievement, %(period)s") % {"period": filters.label},
            [_("Code"), _("Goal"), _("Achievement (%)"), _("Achievement band"), *columns_tail],
            goal_rows if has_figures else [],
            kind="hbar",
            series=(2,),
            unit="%",
            colours=goal_colours,
            note=_(
                "The plain mean of the achievement of every target of the year under the "
                "RPJMD target: its own indicators' and the agencies' Renstra and PK targets "
                "below it; a member's supporting result of a shared target is left out."
            ),
            empty=no_data_message(),
        ),
        Table(
            "themes",
            _("RB Tematik themes: achievement, %(period)s") % {"period": filters.label},
            [_("Theme"), _("Achievement (%)"), _("Achievement band"), *columns_tail],
            theme_rows if has_figures else [],
            kind="hbar",
            series=(1,),
            unit="%",
            colours=theme_colours,
            note=_(
                "The plain mean of the achievement of the targets under the goals tagged "
                "with the theme (a target counted once per theme)."
            ),
            empty=no_data_message(),
        ),
    ]


def _development_areas(inst: int, filters: Filters) -> list[Table] | None:
    """The Perpres 80/2019 areas from the regional app (None while it offers no summary)."""
    try:
        from kinerja.regional import selectors as regional
    except ImportError:
        return None
    summaries_of = getattr(regional, "area_summaries", None)
    totals_of = getattr(regional, "province_project_totals", None)
    if summaries_of is None or totals_of is None:
        return None
    summaries = list(summaries_of(instansi_id=inst))
    totals = totals_of(instansi_id=inst) or {}
    statuses: list[str] = []
    for s in summaries:
        for status in s.get("by_status") or {}:
            if status not in statuses:
                statuses.append(status)
    labels = _status_labels()
    rows, links = [], []
    for s in summaries:
        by_status = s.get("by_status") or {}
        rows.append(
            [
                s.get("name", ""),
                _role_label(s.get("role", "")),
                s.get("projects"),
                s.get("published_projects"),
                s.get("investment_rp"),
                *[by_status.get(status, 0) for status in statuses],
                s.get("late_milestones"),
            ]
        )
        links.append(_area_link(s))
    funding = totals.get("by_funding") or {}
    funding_labels = _funding_labels()
    return [
        Table(
            "areas",
            _("Development areas (Perpres 80/2019): projects by status"),
            [
                _("Area"),
                _("Role"),
                _("Projects"),
                _("Published projects"),
                _("Investment (Rp)"),
                *[labels.get(s, s) for s in statuses],
                _("Late milestones"),
            ],
            rows,
            kind="bar",
            series=tuple(range(5, 5 + len(statuses))) or (2,),
            links=links,
            note=_("Province total: %(projects)s projects, Rp %(investment)s.")
            % {
                "projects": totals.get("projects", 0),
                "investment": formats.number_format(totals.get("investment_rp") or 0, 0, True),
            },
            empty=_("No development area has been recorded yet."),
        ),
        Table(
            "areas-funding",
            _("Strategic projects by funding scheme"),
            [_("Funding scheme"), _("Projects")],
            [[funding_labels.get(k, k), v] for k, v in funding.items()],
            kind="pie",
            series=(1,),
            empty=_("No development area has been recorded yet."),
        ),
    ]


def _choices(module_attr: str) -> dict[str, str]:
    try:
        from kinerja.regional import choices as regional_choices
    except ImportError:
        return {}
    choices = getattr(regional_choices, module_attr, None)
    if choices is None:
        return {}
    return {str(value): str(label) for value, label in choices.choices}


def _status_labels() -> dict[str, str]:
    return _choices("ProjectStatus")


def _funding_labels() -> dict[str, str]:
    return _choices("Funding")


def _role_label(role: str) -> str:
    labels = _choices("AreaRole")
    return labels.get(role, role)


def _area_link(summary: dict[str, Any]) -> str | None:
    code = summary.get("code")
    if not code:
        return None
    try:
        return reverse("regional:area_detail", args=[code])
    except Exception:  # noqa: BLE001 - the area pages may not be there (yet)
        return None


def training_figures(event) -> dict[str, tuple]:
    """The event's headline per Kirkpatrick level, from the training app's own selectors:
    reaction (the mean of the sessions' overall means the report shows, once released),
    learning (the mean gain and how many had both tests), behaviour (the latest review month
    with reviews: the share on track and how many were reviewed). A level whose capability is
    not installed is left out."""
    out: dict[str, tuple] = {}
    try:
        from kinerja.training.selectors_feedback import learning_summary, reaction_summary
    except ImportError:  # pragma: no cover - the feedback capability is installed
        pass
    else:
        reaction = reaction_summary(event)
        shown = [
            s["overall"]
            for s in reaction.get("sessions") or ()
            if s.get("overall") is not None and not s.get("suppressed")
        ]
        released = reaction.get("released")
        out["reaction"] = (mean(shown) if released else None, len(shown) if released else None)
        learning = learning_summary(event)
        out["learning"] = (learning.get("mean_gain"), learning.get("n"))
    try:
        from kinerja.training.selectors_action_plans import behaviour_summary
    except ImportError:  # pragma: no cover - the action plans capability is installed
        return out
    behaviour = behaviour_summary(event)
    latest = None
    for month in sorted(behaviour):
        if (behaviour[month] or {}).get("reviewed"):
            latest = (month, behaviour[month].get("share"), behaviour[month].get("reviewed"))
    out["behaviour"] = latest or (None, None, None)
    return out


def _training(scope: Scope, year: int) -> dict[str, Any]:
    """The latest event of the year with a report: the headline of each Kirkpatrick level that
    is cheap to read (reaction, learning, behaviour), with a link to the full report (the
    results level reads every participant's targets). The figures are the event's
    aggregates (no names), so every reader of the dashboard sees them."""
    from kinerja.training.choices import EventStatus
    from kinerja.training.impact import may_read_impact
    from kinerja.training.models import Event

    event = (
        Event.objects.filter(
            instansi_id=scope.instansi_id,
            status__in=(EventStatus.RUNNING, EventStatus.FINISHED, EventStatus.EVALUATED),
            starts_on__year=year,
        )
        .order_by("-starts_on", "-pk")
        .first()
    )
    if event is None:
        return {"event": None, "_tables": []}
    from kinerja.audit.freshness import kept

    figures = kept(
        "dashboard-training", lambda: training_figures(event), scope=scope, parts=(event.pk,)
    )
    rows: list[list[Any]] = []
    if "reaction" in figures:
        value, counted = figures["reaction"]
        rows.append([_("1. Reaction: the sessions' overall mean (1 to 5)"), value, counted])
    if "learning" in figures:
        value, counted = figures["learning"]
        rows.append([_("2. Learning: mean gain, post-test − pre-test"), value, counted])
    if "behaviour" in figures:
        month, value, counted = figures["behaviour"]
        label = _("3. Behaviour: action plans on track (%)")
        if month:
            label += f" ({month} " + _("months") + ")"
        rows.append([label, value, counted])
    link = reverse("training:event_impact", args=[event.pk]) if may_read_impact(scope) else None
    table = Table(
        "training",
        _("Training impact: %(event)s") % {"event": event.title},
        [_("Level"), _("Figure"), _("Counted")],
        rows,
        kind="table",
        note=_(
            "4. Results: the participants' targets against their other targets, in the full "
            "impact report."
        ),
    )
    return {
        "event": {
            "id": event.pk,
            "title": event.title,
            "starts_on": event.starts_on,
            "ends_on": event.ends_on,
        },
        "report_url": link,
        "_tables": [table],
    }


# An agency ----------------------------------------------------------------------------------


def _children(unit: OrgUnit) -> list[OrgUnit]:
    today = timezone.localdate()
    return list(
        OrgUnit.objects.filter(parent=unit)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .order_by("sort_key", "pk")
        .only("pk", "name", "code", "kind")
    )


def _unit_table(unit: OrgUnit, filters: Filters, rows_by_unit: dict[int, dict]) -> Table:
    """The unit's own staff and each sub-unit, with its unit roll-up (one query for the rows
    and one for the sub-units, made by the caller)."""
    year = filters.year
    children = rows_by_unit.pop("_children")
    table_rows, links, colours = [], [], []
    for u, label in [(unit, _("%(unit)s (its own staff)") % {"unit": unit.name})] + [
        (c, c.name) for c in children
    ]:
        r = rows_by_unit.get(u.pk)
        percent = r["percent"] if r else None
        band, colour = _band_cells(percent, year)
        table_rows.append(
            [
                label,
                percent,
                band,
                r["computed"] if r else None,
                (r["computed"] + r["not_computed"]) if r else None,
            ]
        )
        links.append(_url("analytics:dashboard_unit", u.pk, filters=filters))
        colours.append(colour)
    return Table(
        "units",
        _("Units: their staff's plans, %(period)s") % {"period": filters.label},
        [
            _("Unit"),
            _("Achievement (%)"),
            _("Achievement band"),
            _("Plans with a figure"),
            _("Plans counted"),
        ],
        table_rows,
        kind="hbar",
        series=(1,),
        unit="%",
        links=links,
        colours=colours,
        note=_(
            "A unit's figure is the plain mean of the current plans (SKP) of the staff placed "
            "in the unit itself; each sub-unit has its own, one click down."
        ),
    )


def _unit_rows(units: list[OrgUnit], filters: Filters) -> dict[int, dict]:
    return {
        r["object_id"]: r
        for r in _rows(
            Rollup.objects.filter(
                kind=UNIT,
                object_id__in=[u.pk for u in units],
                year=filters.year,
                sub_period=filters.sub_period,
            )
        )
    }


def agency_dashboard(scope: Scope, agency: OrgUnit, filters: Filters) -> Dashboard:
    """An agency's dashboard: its roll-up, its PK, its units, its staff's plans and the
    predikat distribution against the curve."""
    year, number = filters.year, filters.sub_period
    if year is None:
        return Dashboard("agency", filters, _headline(None))
    row = next(
        iter(
            _rows(
                Rollup.objects.filter(
                    kind=AGENCY, object_id=agency.pk, year=year, sub_period=number
                )
            )
        ),
        None,
    )
    dash = Dashboard("agency", filters, _headline(row))
    agreement, pk_table = _agreement_table(agency, filters)
    dash.extra["agreement"] = (
        {
            "id": agreement.pk,
            "status": agreement.status,
            "status_label": str(agreement.get_status_display()),
            "url": agreement.get_absolute_url(),
        }
        if agreement
        else None
    )
    dash.tables.append(pk_table)
    children = _children(agency)
    rows = _unit_rows([agency, *children], filters)
    rows["_children"] = children
    dash.tables.append(_unit_table(agency, filters, rows))
    counts, found = staff_figures(scope, agency, filters)
    dash.tables.append(_plan_completion(counts, filters))
    dist_table, dist = _distribution(found, filters)
    dash.tables.append(dist_table)
    dash.extra["distribution"] = dist
    return dash


def _agreement_table(unit: OrgUnit, filters: Filters) -> tuple[Agreement | None, Table]:
    """The current agreement (PK) of the year and its targets with their roll-ups: three
    queries (the agreement, its targets, their rows)."""
    year, number = filters.year, filters.sub_period
    agreement = (
        Agreement.objects.filter(unit=unit, year=year, is_current=True)
        .order_by("-revision")
        .first()
    )
    lines = []
    if agreement is not None:
        lines = list(
            AgreementTarget.objects.filter(agreement=agreement)
            .select_related("target__indicator")
            .order_by("position", "pk")
        )
    rows = {
        (r["object_id"]): r
        for r in (
            _rows(
                Rollup.objects.filter(
                    kind=TARGET,
                    object_id__in=[line.target_id for line in lines],
                    year=year,
                    sub_period=number,
                )
            )
            if lines
            else []
        )
    }
    table_rows, colours = [], []
    for line in lines:
        target = line.target
        indicator = target.indicator
        r = rows.get(line.target_id)
        percent = r["percent"] if r else None
        band, colour = _band_cells(percent, year)
        year_target = (
            _target_text(line.shape, line.value, line.low, line.high, line.expectation)
            if line.is_locked
            else target.display
        )
        table_rows.append(
            [
                indicator.code,
                line.indicator_name or indicator.name,
                _row_target(r, year_target),
                _plain(r["realisation"]) if r else None,
                percent,
                band,
            ]
        )
        colours.append(colour)
    empty = (
        _("The agency has no performance agreement (PK) for %(year)s.") % {"year": year}
        if agreement is None
        else _("The agreement has no target yet.")
    )
    return agreement, Table(
        "agreement",
        _("Performance agreement (PK) %(year)s: achievement, %(period)s")
        % {"year": year, "period": filters.label},
        [
            _("Code"),
            _("Indicator"),
            _("Target"),
            _("Realisation"),
            _("Achievement (%)"),
            _("Achievement band"),
        ],
        table_rows,
        kind="hbar",
        series=(4,),
        unit="%",
        colours=colours,
        note=_("A target without a verified realisation in the period has no figure (—), not 0."),
        empty=empty,
    )


def plan_completion_counts(unit: OrgUnit, period: Period) -> dict[str, int]:
    """The unit's active staff (its subtree) by the status of their latest current plan of the
    year, "none" for those without one: one grouped query (a correlated read of each person's
    latest plan on the index of plans by employee and start)."""
    latest = (
        Plan.objects.filter(employee=OuterRef("pk"), period=period, is_current=True)
        .order_by("-starts", "-pk")
        .values("status")[:1]
    )
    counts = dict.fromkeys(PLAN_STEPS, 0)
    rows = (
        Employee.objects.filter(
            instansi_id=unit.instansi_id, is_active=True, unit__path__startswith=unit.path
        )
        .annotate(plan_status=Subquery(latest))
        .order_by()
        .values("plan_status")
        .annotate(n=Count("pk"))
    )
    for r in rows:
        counts[r["plan_status"] or "none"] = counts.get(r["plan_status"] or "none", 0) + r["n"]
    return counts


def staff_figures(scope: Scope, agency: OrgUnit, filters: Filters):
    """The two figures of an agency that read every member of its staff (the plans' steps and
    the predikat distribution), kept until the next audited write of the instansi
    (`kinerja.audit.freshness.kept`: one query for the data's version when kept)."""
    from kinerja.audit.freshness import kept
    from kinerja.performance.selectors_unit_predikat import distribution

    def compute():
        return (
            plan_completion_counts(agency, filters.period),
            distribution(agency, filters.period, filters.sub_period),
        )

    return kept(
        "dashboard-agency-staff",
        compute,
        scope=scope,
        parts=(agency.pk, filters.period.pk, filters.sub_period),
    )


def _plan_completion(counts: dict[str, int], filters: Filters) -> Table:
    labels = {
        "none": _("No plan for the year"),
        PlanStatus.DRAFT: _("Draft (not submitted)"),
        PlanStatus.SUBMITTED: _("Submitted, not approved"),
        PlanStatus.APPROVED: _("Approved, not signed"),
        PlanStatus.SIGNED: _("Signed"),
    }
    total = sum(counts.values())
    rows = [[labels[step], counts[step], mean_share(counts[step], total)] for step in PLAN_STEPS]
    return Table(
        "plans",
        _("Staff plans (SKP) %(year)s: how far each member of staff is") % {"year": filters.year},
        [_("Step"), _("Staff"), _("Share (%)")],
        rows if total else [],
        kind="bar",
        series=(1,),
        colours=["#d63939", "#f59f00", "#f76707", "#74b816", "#2fb344"],
        note=_(
            "The active staff of the agency and its units, each by their latest current plan "
            "of the year: %(total)s staff."
        )
        % {"total": total},
        empty=_("The agency has no active staff."),
    )


def mean_share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(CENT, rounding=ROUND_HALF_UP)


def _distribution(dist, filters: Filters) -> tuple[Table, dict[str, Any]]:
    """The predikat of the agency's staff (final evaluations of the period) against the curve
    of the agency's unit predikat, once set (`selectors_unit_predikat.distribution`: four
    queries whatever the size)."""
    from kinerja.performance.curve_rules import BANDS, UnitPredikat, curve_rules_for_year, limits
    from kinerja.performance.evaluation_rules import Predikat

    labels = dict(Predikat.choices)
    allowed = (
        limits(curve_rules_for_year(filters.year), dist.predikat, dist.staff)
        if dist.predikat
        else {}
    )
    rows = []
    for band in BANDS:
        least, most = allowed.get(band, (None, None))
        rows.append([str(labels[band]), dist.counts.get(band, 0), least, most])
    breaches = [b.message for b in dist.found]
    info = {
        "predikat": dist.predikat,
        "predikat_label": str(dict(UnitPredikat.choices).get(dist.predikat, ""))
        if dist.predikat
        else "",
        "staff": dist.staff,
        "drafts": dist.drafts,
        "breaches": breaches,
    }
    return Table(
        "predikat",
        _("Predikat of the staff against the curve, %(period)s") % {"period": filters.label},
        [_("Predikat"), _("Staff (final)"), _("Least allowed"), _("Most allowed")],
        rows if (dist.staff or dist.drafts) else [],
        kind="bar",
        series=(1,),
        note=_(
            "The final evaluations counted in the agency's distribution (a sub-unit with its own "
            "unit predikat has its own curve; the head of the agency is rated with the unit "
            "above). The limits show once the agency's unit predikat is set."
        ),
        empty=_("No evaluation of this period yet."),
    ), info


# A unit -------------------------------------------------------------------------------------


def unit_dashboard(scope: Scope, unit: OrgUnit, filters: Filters) -> Dashboard:
    """A unit's dashboard: its roll-up, its sub-units and its staff's plans, each linking to
    the plan's page."""
    year, number = filters.year, filters.sub_period
    if year is None:
        return Dashboard("unit", filters, _headline(None))
    children = _children(unit)
    rows = _unit_rows([unit, *children], filters)
    dash = Dashboard("unit", filters, _headline(rows.get(unit.pk)))
    if unit.parent_id is None:
        dash.extra["agency_url"] = _url("analytics:dashboard_agency", unit.pk, filters=filters)
    rows["_children"] = children
    dash.tables.append(_unit_table(unit, filters, rows))
    plans = Plan.objects.within(scope).filter(unit=unit, period=filters.period, is_current=True)
    total = plans.count()
    shown = list(
        plans.select_related("employee")
        .order_by("employee__name", "starts", "pk")
        .only("pk", "status", "starts", "ends", "position_title", "employee__name")[
            :UNIT_PLAN_LIMIT
        ]
    )
    figures = {
        r["object_id"]: r
        for r in (
            _rows(
                Rollup.objects.filter(
                    kind=PLAN, object_id__in=[p.pk for p in shown], year=year, sub_period=number
                )
            )
            if shown
            else []
        )
    }
    table_rows, links, colours = [], [], []
    for plan in shown:
        r = figures.get(plan.pk)
        percent = r["percent"] if r else None
        band, colour = _band_cells(percent, year)
        table_rows.append(
            [
                plan.employee.name,
                plan.position_title,
                str(plan.get_status_display()),
                percent,
                band,
                r["computed"] if r else None,
                (r["computed"] + r["not_computed"]) if r else None,
            ]
        )
        links.append(reverse("performance:plan_detail", args=[plan.pk]))
        colours.append(colour)
    note = _("A plan's figure is the plain mean of its individual indicators' (IKI) targets.")
    if total > len(shown):
        note += " " + _("The first %(shown)s of %(total)s plans, by name.") % {
            "shown": len(shown),
            "total": total,
        }
    dash.tables.append(
        Table(
            "staff-plans",
            _("The staff's plans (SKP): achievement, %(period)s") % {"period": filters.label},
            [
                _("Employee"),
                _("Post"),
                _("Status"),
                _("Achievement (%)"),
                _("Achievement band"),
                _("Indicators with a figure"),
                _("Indicators counted"),
            ],
            table_rows,
            kind="hbar",
            series=(3,),
            unit="%",
            links=links,
            colours=colours,
            note=note,
            empty=_("No member of staff of this unit has a plan for %(year)s.") % {"year": year},
        )
    )
    dash.extra["plans_total"] = total
    return dash


# The employee ---------------------------------------------------------------------------------


def my_dashboard(scope: Scope, filters: Filters) -> Dashboard:
    """The signed-in employee's targets (their latest current plan of the year, per sub-period)
    and their training (events, development hours against the minimum, action plans)."""
    year, number = filters.year, filters.sub_period
    employee = Employee.objects.get(pk=scope.employee_id)
    if year is None:
        return Dashboard("me", filters, _headline(None), extra={"employee": employee.name})
    plan = (
        Plan.objects.filter(employee=employee, period=filters.period, is_current=True)
        .order_by("-starts", "-pk")
        .first()
    )
    targets = []
    if plan is not None:
        targets = list(
            Target.objects.filter(indicator__result__plan=plan)
            .select_related("indicator")
            .order_by("indicator__code", "pk")
        )
    rows = (
        _rows(
            Rollup.objects.filter(year=year).filter(
                Q(kind=TARGET, object_id__in=[t.pk for t in targets])
                | Q(kind=PLAN, object_id=plan.pk)
            )
        )
        if plan is not None
        else []
    )
    figures = {(r["kind"], r["object_id"], r["sub_period"]): r for r in rows}
    plan_row = figures.get((PLAN, plan.pk, number)) if plan else None
    dash = Dashboard("me", filters, _headline(plan_row))
    dash.extra["employee"] = employee.name
    dash.extra["plan"] = (
        {
            "id": plan.pk,
            "url": plan.get_absolute_url(),
            "status": plan.status,
            "status_label": str(plan.get_status_display()),
            "starts": plan.starts,
            "ends": plan.ends,
        }
        if plan
        else None
    )
    table_rows, colours = [], []
    for t in targets:
        chosen = figures.get((TARGET, t.pk, number))
        cells: list[Any] = [t.indicator.name, t.display]
        for n, _label in filters.sub_periods:
            r = figures.get((TARGET, t.pk, n))
            cells.append(r["percent"] if r else None)
        r = figures.get((TARGET, t.pk, YEAR))
        cells.append(r["percent"] if r else None)
        cells.append(chosen["percent"] if chosen else None)
        table_rows.append(cells)
        colours.append(_band_cells(chosen["percent"] if chosen else None, year)[1])
    columns = [
        _("Indicator"),
        _("Target"),
        *[label for _n, label in filters.sub_periods],
        _("Year %(year)s") % {"year": year},
        _("Shown: %(period)s") % {"period": filters.label},
    ]
    dash.tables.append(
        Table(
            "my-targets",
            _("My targets: achievement (%) per sub-period"),
            columns,
            table_rows,
            kind="hbar",
            series=(len(columns) - 1,),
            unit="%",
            colours=colours,
            note=_(
                "Achievement counts verified realisations only; a sub-period without one "
                "shows no figure (—), not 0."
            ),
            empty=_("You have no plan (SKP) for %(year)s.") % {"year": year}
            if plan is None
            else _("Your plan has no indicator yet."),
        )
    )
    dash.tables += _my_training(employee, year)
    return dash


def _my_training(employee: Employee, year: int) -> list[Table]:
    """The employee's events of the year, development hours and action plans: three queries
    and the ledger's own read."""
    from kinerja.training.models import ActionPlan, Participant
    from kinerja.training.selectors_ledger import year_summary

    enrolments = list(
        Participant.objects.active()
        .filter(employee=employee, event__starts_on__year=year)
        .select_related("event")
        .order_by("event__starts_on", "pk")
    )
    summary = year_summary(employee, year)
    plans = list(
        ActionPlan.objects.filter(participant__employee=employee)
        .select_related("participant__event")
        .order_by("-participant__event__starts_on", "pk")
    )
    hours_rows = [
        [_("Development hours (JP) recorded in %(year)s") % {"year": year}, summary.total],
        [_("The yearly minimum"), summary.minimum],
        [_("Still missing"), summary.missing],
    ]
    return [
        Table(
            "my-hours",
            _("My development hours %(year)s against the minimum") % {"year": year},
            [_("Measure"), _("Lesson hours (JP)")],
            hours_rows,
            kind="bar",
            series=(1,),
            colours=["#206bc4", "#868e96", "#d63939"],
            note=_("The minimum applies to your status.")
            if summary.applies
            else _("The minimum does not apply to your status."),
        ),
        Table(
            "my-events",
            _("My training events %(year)s") % {"year": year},
            [_("Event"), _("First day"), _("Last day"), _("Status")],
            [
                [
                    p.event.title,
                    p.event.starts_on,
                    p.event.ends_on,
                    str(p.event.get_status_display()),
                ]
                for p in enrolments
            ],
            kind="table",
            links=[reverse("training:event_detail", args=[p.event_id]) for p in enrolments],
            empty=_("You have no training event in %(year)s.") % {"year": year},
        ),
        Table(
            "my-action-plans",
            _("My action plans"),
            [_("Action plan"), _("Event"), _("Status")],
            [[a.title, a.participant.event.title, str(a.get_status_display())] for a in plans],
            kind="table",
            links=[reverse("training:action_plan_mine") for _a in plans],
            empty=_("You have no action plan."),
        ),
    ]
