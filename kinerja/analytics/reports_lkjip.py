"""The yearly performance report of an agency in the structure of the LKjIP (Laporan Kinerja
Instansi Pemerintah, PermenPAN-RB 53/2014): the executive summary, the Renstra and the PK, the
performance table (target, realisation and achievement per indicator, compared with earlier
years and with the Renstra's medium-term target, the supporting and obstructing factors of the
realisations and the efficiency of the budget), the budget realisation and the PK as annex.

Every figure of achievement is read from the maintained roll-ups (`Rollup`, kinds ``target``
and ``agency``, the year's row), so the report says what the plan pages and the dashboards say;
nothing is computed again here. A fixed number of queries whatever the agency's size.
docs/analytics-reports.md describes the choices.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core.scope import Action, Scope
from kinerja.organisations.models import OrgUnit
from kinerja.performance.choices import AgreementStatus, Frequency, TargetShape
from kinerja.performance.models import (
    Action as PlanAction,
)
from kinerja.performance.models import (
    Agreement,
    AgreementProgram,
    AgreementTarget,
    Collaboration,
    CollaborationMember,
    Goal,
    Indicator,
    KeyIndicatorSet,
    MemberStatus,
    Period,
    Realisation,
    RealisationStatus,
    Rollup,
    RollupKind,
    Target,
)
from kinerja.performance.policy import measure_units

DATA = Path(__file__).resolve().parent / "data"
YEAR_ROW = 0
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


# Policy and shared helpers ------------------------------------------------------------------


@dataclass(frozen=True)
class ReportPolicy:
    prior_years: int
    achieved_percent: Decimal
    source: str


@functools.cache
def _versions() -> tuple[dict, ...]:
    with open(DATA / "reports.json", encoding="utf-8") as handle:
        versions = json.load(handle)["versions"]
    return tuple(sorted(versions, key=lambda v: v["valid_from"]))


def report_policy(year: int) -> ReportPolicy:
    """The policy in force on 1 January of ``year`` (the earliest version before that)."""
    day = dt.date(year, 1, 1).isoformat()
    chosen = _versions()[0]
    for version in _versions():
        if version["valid_from"] <= day:
            chosen = version
    return ReportPolicy(
        prior_years=int(chosen["prior_years"]),
        achieved_percent=Decimal(chosen["achieved_percent"]),
        source=chosen["source"],
    )


class YearError(ValueError):
    """A year parameter that is not a year."""


def parse_year(value: Any) -> int | None:
    """``value`` as a year (1900 to 2999), None when empty; anything else raises `YearError`
    with the message to show."""
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit() and 1900 <= int(text) <= 2999):
        raise YearError(
            _("“%(value)s” is not a year: give four digits, such as 2023.") % {"value": text[:20]}
        )
    return int(text)


def default_year(instansi_id: int | None) -> int:
    """Today's year when the instansi has a period for it, else its latest period's year, else
    today's year."""
    today = dt.date.today().year
    years = list(
        Period.objects.filter(instansi_id=instansi_id)
        .order_by("-year")
        .values_list("year", flat=True)
    )
    if today in years or not years:
        return today
    return years[0]


def period_years(instansi_id: int | None) -> list[int]:
    return list(
        Period.objects.filter(instansi_id=instansi_id)
        .order_by("-year")
        .values_list("year", flat=True)
    )


def may_read_reports(scope: Scope) -> bool:
    """The readers of the reports: whoever reads planning somewhere (the same readers as the
    plan pages; each report then shows only what their reach holds)."""
    return scope.can_anywhere(Action.VIEW_PLANNING)


def agencies_within(scope: Scope):
    """The agencies (top units) whose plans the caller reads, in the official order."""
    return (
        OrgUnit.objects.within(scope, Action.VIEW_PLANNING)
        .filter(parent__isnull=True)
        .order_by("sort_key", "name")
    )


def agency_for(scope: Scope, pk: int) -> OrgUnit:
    """The agency ``pk`` if the caller reads its plans; else "not found"."""
    found = agencies_within(scope).select_related("region").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def goal_indicators(instansi_id: int | None, **filters):
    """The goal tree's indicators (RPJMD, Renstra, PK: they measure a goal; an employee's
    indicator measures a result) as a subquery of keys: targets are then read through their
    indicator's index, never by scanning the year's hundreds of thousands of SKP targets."""
    return Indicator.objects.filter(
        instansi_id=instansi_id, goal__isnull=False, result__isnull=True, **filters
    ).values("pk")


def pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def number_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    value = Decimal(value)
    return f"{value.normalize():f}" if value != value.to_integral() else f"{value:.0f}"


def target_text(shape: str, value, low, high, expectation: str = "") -> str:
    """A target as the plan pages write it: 85, 60–85, or the expectation."""
    if shape == TargetShape.RANGE:
        return f"{number_text(low)}\u2013{number_text(high)}"
    if shape == TargetShape.QUALITATIVE:
        return expectation
    return number_text(value)


def rollup_text(row: Rollup | None) -> str:
    """The target a roll-up row met, as text (its bounds for a range)."""
    if row is None:
        return ""
    if row.target_low is not None and row.target_high is not None:
        return f"{number_text(row.target_low)}\u2013{number_text(row.target_high)}"
    return number_text(row.target_value)


REASONS = {
    "qualitative": gettext_lazy("qualitative target: described, not computed"),
    "zero_target_rated": gettext_lazy("zero target: rated by the zero-target rule"),
    "no_realisation": gettext_lazy("no verified realisation yet"),
    "no_sub_period_target": gettext_lazy("no sub-period target"),
}


def reason_text(reason: str) -> Any:
    return REASONS.get(reason, reason)


def year_rollups(kind: str, ids) -> dict[int, Rollup]:
    """The year's roll-up rows of ``kind`` for the objects ``ids`` (all their years), by
    (object id, year): one query."""
    rows = Rollup.objects.filter(kind=kind, object_id__in=list(ids), sub_period=YEAR_ROW)
    return {(r.object_id, r.year): r for r in rows}


# The report --------------------------------------------------------------------------------


@dataclass
class YearFigure:
    year: int
    target: str
    realisation: Decimal | None
    percent: Decimal | None


@dataclass
class Factor:
    sub_period: str
    supporting: str
    obstructing: str
    note: str


@dataclass
class PerformanceRow:
    number: int
    target_id: int
    indicator_id: int
    code: str
    indicator: str
    goal: str
    measure_unit: str
    polarity: Any
    is_key: bool
    target: str
    realisation: Decimal | None
    percent: Decimal | None
    reason: Any
    history: list[YearFigure]
    medium_term: YearFigure | None
    benchmark: None = None
    factors: list[Factor] = field(default_factory=list)
    budget: Decimal = Decimal(0)
    spending: Decimal = Decimal(0)
    absorption: Decimal | None = None
    efficiency: Decimal | None = None
    status: str = "none"  # achieved, below, none

    @property
    def supporting(self) -> str:
        return "; ".join(f"{f.sub_period}: {f.supporting}" for f in self.factors if f.supporting)

    @property
    def obstructing(self) -> str:
        return "; ".join(f"{f.sub_period}: {f.obstructing}" for f in self.factors if f.obstructing)

    @property
    def notes(self) -> str:
        return "; ".join(f"{f.sub_period}: {f.note}" for f in self.factors if f.note)


@dataclass
class BudgetRow:
    name: str
    code: str
    pk_budget: Decimal | None
    budget: Decimal
    spending: Decimal
    absorption: Decimal | None


@dataclass
class SharedRow:
    title: str
    code: str
    indicator: str
    lead: str
    role: str
    weight: Decimal
    target: str
    realisation: Decimal | None
    percent: Decimal | None
    collaboration_id: int
    role_code: str = "member"


@dataclass
class LkjipReport:
    agency: OrgUnit
    year: int
    policy: ReportPolicy
    agreement: Agreement | None
    key_set: KeyIndicatorSet | None
    medium_term_year: int | None
    goals: list[dict]
    rows: list[PerformanceRow]
    budget_rows: list[BudgetRow]
    shared: list[SharedRow]
    agency_percent: Decimal | None
    agency_computed: int
    agency_not_computed: int
    programs: list[AgreementProgram]
    prior_years: list[int]
    generated_at: dt.datetime

    @property
    def achieved(self) -> int:
        return sum(1 for r in self.rows if r.status == "achieved")

    @property
    def below(self) -> int:
        return sum(1 for r in self.rows if r.status == "below")

    @property
    def not_measured(self) -> int:
        return sum(1 for r in self.rows if r.status == "none")

    @property
    def has_data(self) -> bool:
        return bool(self.rows or self.shared)

    @property
    def budget_total(self) -> Decimal:
        return sum((r.budget for r in self.budget_rows), Decimal(0))

    @property
    def spending_total(self) -> Decimal:
        return sum((r.spending for r in self.budget_rows), Decimal(0))

    @property
    def pk_budget_total(self) -> Decimal:
        return sum((p.budget for p in self.programs), Decimal(0))

    @property
    def absorption_total(self) -> Decimal | None:
        return _share(self.spending_total, self.budget_total)

    @property
    def below_rows(self) -> list[PerformanceRow]:
        return [r for r in self.rows if r.status == "below"]

    @property
    def achieved_rows(self) -> list[PerformanceRow]:
        return [r for r in self.rows if r.status == "achieved"]


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    return pct(Decimal(part) * HUNDRED / Decimal(whole)) if whole else None


def _sub_period_label(frequency: str, number: int, starts: dt.date) -> str:
    if frequency == Frequency.QUARTERLY:
        return _("Quarter %(n)d") % {"n": number}
    return starts.strftime("%m/%Y")


def _status(percent: Decimal | None, policy: ReportPolicy) -> str:
    if percent is None:
        return "none"
    return "achieved" if percent >= policy.achieved_percent else "below"


def current_agreement(agency: OrgUnit, year: int) -> Agreement | None:
    return Agreement.objects.filter(
        instansi_id=agency.instansi_id, unit=agency, year=year, is_current=True
    ).first()


def _key_set(agency: OrgUnit, year: int) -> KeyIndicatorSet | None:
    return (
        KeyIndicatorSet.objects.filter(
            instansi_id=agency.instansi_id, unit=agency, first_year__lte=year, last_year__gte=year
        )
        .order_by("-status", "-first_year")  # a set one (``set``) before a draft
        .first()
    )


def _table_targets(agency: OrgUnit, year: int, agreement: Agreement | None) -> list[tuple]:
    """The rows of the performance table, in order: the PK's targets (their signed copy) when
    the agency has a current agreement for the year, else every target of its Renstra for the
    year. (target, goal name, target text as agreed)."""
    if agreement is not None:
        rows = (
            AgreementTarget.objects.filter(agreement=agreement)
            .select_related("target__indicator", "goal")
            .order_by("position", "pk")
        )
        return [
            (
                r.target,
                r.goal_name or r.goal.name,
                r.display,
                r.indicator_name or r.target.indicator.name,
            )
            for r in rows
        ]
    targets = (
        Target.objects.filter(
            indicator_id__in=goal_indicators(agency.instansi_id, unit=agency), year=year
        )
        .select_related("indicator__goal")
        .order_by("indicator__goal__code", "indicator__code")
    )
    return [(t, t.indicator.goal.name, t.display, t.indicator.name) for t in targets]


def lkjip_report(agency: OrgUnit, year: int) -> LkjipReport:
    """The LKjIP of ``agency`` for ``year`` (see the module docstring)."""
    policy = report_policy(year)
    agreement = current_agreement(agency, year)
    key_set = _key_set(agency, year)
    table = _table_targets(agency, year, agreement)
    indicator_ids = {t.indicator_id for t, *_rest in table}
    first_prior = year - policy.prior_years
    # Every target of the table's indicators from the first prior year on: the earlier years
    # and the medium-term (the plan's last year) in one query, with their year rows in one more.
    others = list(
        Target.objects.filter(indicator_id__in=indicator_ids, year__gte=first_prior).values_list(
            "pk", "indicator_id", "year", "shape", "value", "low", "high", "expectation"
        )
    )
    rollups = year_rollups(RollupKind.TARGET, [o[0] for o in others])
    by_indicator: dict[int, dict[int, tuple]] = defaultdict(dict)
    for other in others:
        by_indicator[other[1]][other[2]] = other
    medium_year = key_set.last_year if key_set is not None else None
    units = measure_units()

    table_ids = [t.pk for t, *_rest in table]
    factors = _factors(table_ids)
    money = _action_money(agreement)

    rows: list[PerformanceRow] = []
    for number, (target, goal_name, display, indicator_name) in enumerate(table, start=1):
        indicator = target.indicator
        own = rollups.get((target.pk, year))
        history = []
        for past in range(first_prior, year):
            found = by_indicator[indicator.pk].get(past)
            if found is None:
                continue
            row = rollups.get((found[0], past))
            history.append(
                YearFigure(
                    past,
                    target_text(*found[3:8]),
                    row.realisation if row else None,
                    row.percent if row else None,
                )
            )
        later = by_indicator[indicator.pk]
        last = medium_year if medium_year in later else max(later) if later else None
        medium = None
        if last is not None and last >= year:
            found = later[last]
            medium = YearFigure(last, target_text(*found[3:8]), None, None)
        budget, spending = money.get(target.pk, (Decimal(0), Decimal(0)))
        percent = own.percent if own else None
        absorption = _share(spending, budget)
        efficiency = (
            pct(percent / absorption * HUNDRED) if percent is not None and absorption else None
        )
        unit = units.get(indicator.measure_unit)
        rows.append(
            PerformanceRow(
                number=number,
                target_id=target.pk,
                indicator_id=indicator.pk,
                code=indicator.code,
                indicator=indicator_name,
                goal=goal_name,
                measure_unit=unit.label if unit else indicator.measure_unit,
                polarity=indicator.get_polarity_display(),
                is_key=indicator.is_key,
                target=display,
                realisation=own.realisation if own else None,
                percent=percent,
                reason=reason_text(own.reason) if own and own.reason else "",
                history=history,
                medium_term=medium,
                factors=factors.get(target.pk, []),
                budget=budget,
                spending=spending,
                absorption=absorption,
                efficiency=efficiency,
                status=_status(percent, policy),
            )
        )
    agency_row = Rollup.objects.filter(
        kind=RollupKind.AGENCY, object_id=agency.pk, year=year, sub_period=YEAR_ROW
    ).first()
    programs = list(AgreementProgram.objects.filter(agreement=agreement)) if agreement else []
    return LkjipReport(
        agency=agency,
        year=year,
        policy=policy,
        agreement=agreement,
        key_set=key_set,
        medium_term_year=medium_year,
        goals=_goals(agency),
        rows=rows,
        budget_rows=_budget_rows(agreement, programs),
        shared=_shared(agency, year),
        agency_percent=agency_row.percent if agency_row else None,
        agency_computed=agency_row.computed if agency_row else 0,
        agency_not_computed=agency_row.not_computed if agency_row else 0,
        programs=programs,
        # The earlier years that hold a target of the table's indicators (a column of years
        # before the plans were kept would be empty).
        prior_years=sorted({h.year for r in rows for h in r.history}),
        generated_at=dt.datetime.now(dt.UTC),
    )


def _factors(target_ids: list[int]) -> dict[int, list[Factor]]:
    """The factors and notes of the verified realisations (the official ones, those the
    roll-ups count), by target, in sub-period order: one query."""
    found: dict[int, list[Factor]] = defaultdict(list)
    rows = (
        Realisation.objects.filter(target_id__in=target_ids, status=RealisationStatus.VERIFIED)
        .order_by("target_id", "sub_period__number")
        .values_list(
            "target_id",
            "sub_period__number",
            "sub_period__starts",
            "sub_period__period__frequency",
            "supporting_factors",
            "obstructing_factors",
            "note",
        )
    )
    for target_id, number, starts, frequency, supporting, obstructing, note in rows:
        if supporting or obstructing or note:
            found[target_id].append(
                Factor(_sub_period_label(frequency, number, starts), supporting, obstructing, note)
            )
    return found


def _leaf_actions(agreement: Agreement | None):
    """The agreement's actions that have no sub-actions: an action with sub-actions is
    measured by its leaves, so its own budget is not added a second time."""
    if agreement is None:
        return PlanAction.objects.none()
    return PlanAction.objects.filter(agreement=agreement).annotate(n=Count("children")).filter(n=0)


def _action_money(agreement: Agreement | None) -> dict[int, tuple[Decimal, Decimal]]:
    """The leaf actions' budget and spending per target of the agreement: one query."""
    if agreement is None:
        return {}
    leaves = _leaf_actions(agreement).values_list("pk", flat=True)
    rows = (
        PlanAction.objects.filter(pk__in=leaves)
        .values("agreement_target__target_id")
        .annotate(budget=Sum("budget"), spending=Sum("spending"))
        .order_by()
    )
    return {
        r["agreement_target__target_id"]: (r["budget"] or Decimal(0), r["spending"] or Decimal(0))
        for r in rows
    }


def _budget_rows(agreement: Agreement | None, programs: list[AgreementProgram]) -> list[BudgetRow]:
    """The budget realisation by program: the PK's program budget beside the leaf actions'
    budget ceiling and spending tagged with the program's SIPD code; actions with another
    code or none on a row of their own."""
    if agreement is None:
        return []
    leaves = _leaf_actions(agreement).values_list("pk", flat=True)
    money = {
        r["program_code"]: (r["budget"] or Decimal(0), r["spending"] or Decimal(0))
        for r in PlanAction.objects.filter(pk__in=leaves)
        .values("program_code")
        .annotate(budget=Sum("budget"), spending=Sum("spending"))
        .order_by()
    }
    rows = []
    for program in programs:
        budget, spending = (
            money.pop(program.sipd_code, (Decimal(0), Decimal(0)))
            if program.sipd_code
            else (Decimal(0), Decimal(0))
        )
        rows.append(
            BudgetRow(
                program.name,
                program.sipd_code,
                program.budget,
                budget,
                spending,
                _share(spending, budget),
            )
        )
    for code, (budget, spending) in sorted(money.items()):
        name = (
            _("Actions tagged with program %(code)s") % {"code": code}
            if code
            else _("Actions without a program code")
        )
        rows.append(BudgetRow(name, code, None, budget, spending, _share(spending, budget)))
    return rows


def _goals(agency: OrgUnit) -> list[dict]:
    """The agency's Renstra: its objectives and targets with their indicators: one query for
    the goals, one for the indicators."""
    goals = list(
        Goal.objects.filter(instansi_id=agency.instansi_id, unit=agency)
        .select_related("parent")
        .order_by("code")
    )
    indicators = defaultdict(list)
    for goal_id, code, name in (
        Indicator.objects.filter(goal__in=goals)
        .order_by("code")
        .values_list("goal_id", "code", "name")
    ):
        indicators[goal_id].append(f"{code} {name}")
    return [
        {
            "code": g.code,
            "name": g.name,
            "level": g.get_level_display(),
            "parent": f"{g.parent.code} {g.parent.name}" if g.parent_id else "",
            "indicators": indicators.get(g.pk, []),
        }
        for g in goals
    ]


def _shared(agency: OrgUnit, year: int) -> list[SharedRow]:
    """The shared targets of the year the agency counts: those it leads (the lead's share) and
    those it joined (its weight), each with the shared target's year row."""
    led = Collaboration.objects.filter(
        instansi_id=agency.instansi_id, lead_unit=agency, target__year=year
    )
    joined = CollaborationMember.objects.filter(
        collaboration__instansi_id=agency.instansi_id,
        unit=agency,
        status=MemberStatus.ACCEPTED,
        collaboration__target__year=year,
    ).values_list("collaboration_id", "weight")
    weights = dict(joined)
    collaborations = list(
        Collaboration.objects.filter(Q(pk__in=led.values("pk")) | Q(pk__in=list(weights)))
        .select_related("target__indicator", "lead_unit")
        .order_by("title", "pk")
    )
    rollups = year_rollups(RollupKind.TARGET, [c.target_id for c in collaborations])
    rows = []
    for c in collaborations:
        row = rollups.get((c.target_id, year))
        lead = c.lead_unit_id == agency.pk
        t = c.target
        rows.append(
            SharedRow(
                title=c.title,
                code=t.indicator.code,
                indicator=t.indicator.name,
                lead=c.lead_unit.name,
                role=_("lead") if lead else _("member"),
                weight=c.lead_weight if lead else weights[c.pk],
                target=t.display,
                realisation=row.realisation if row else None,
                percent=row.percent if row else None,
                collaboration_id=c.pk,
                role_code="lead" if lead else "member",
            )
        )
    return rows


def agreement_status_label(agreement: Agreement | None) -> str:
    if agreement is None:
        return _("no agreement for the year")
    return str(AgreementStatus(agreement.status).label)


# The report's table as data (the API, the workbook) ----------------------------------------


def report_data(report: LkjipReport) -> dict[str, Any]:
    """The report as plain data: what the API answers and the workbook writes."""
    agreement = report.agreement
    return {
        "agency": {"id": report.agency.pk, "code": report.agency.code, "name": report.agency.name},
        "year": report.year,
        "agreement": None
        if agreement is None
        else {
            "id": agreement.pk,
            "status": agreement.status,
            "revision": agreement.revision,
            "date": agreement.agreement_date.isoformat(),
            "first_party": agreement.first_party_name,
            "second_party": agreement.second_party_name,
        },
        "summary": {
            "agency_percent": report.agency_percent,
            "agency_computed": report.agency_computed,
            "agency_not_computed": report.agency_not_computed,
            "indicators": len(report.rows),
            "achieved": report.achieved,
            "below": report.below,
            "not_measured": report.not_measured,
            "budget": report.budget_total,
            "spending": report.spending_total,
            "absorption": report.absorption_total,
            "pk_budget": report.pk_budget_total,
        },
        "medium_term_year": report.medium_term_year,
        "national_benchmark": None,
        "rows": [
            {
                "number": r.number,
                "target_id": r.target_id,
                "indicator_id": r.indicator_id,
                "code": r.code,
                "indicator": r.indicator,
                "goal": r.goal,
                "measure_unit": r.measure_unit,
                "polarity": str(r.polarity),
                "is_key": r.is_key,
                "target": r.target,
                "realisation": r.realisation,
                "percent": r.percent,
                "status": r.status,
                "not_computed_reason": str(r.reason),
                "prior_years": [
                    {
                        "year": h.year,
                        "target": h.target,
                        "realisation": h.realisation,
                        "percent": h.percent,
                    }
                    for h in r.history
                ],
                "medium_term": None
                if r.medium_term is None
                else {"year": r.medium_term.year, "target": r.medium_term.target},
                "national_benchmark": None,
                "supporting_factors": r.supporting,
                "obstructing_factors": r.obstructing,
                "notes": r.notes,
                "budget": r.budget,
                "spending": r.spending,
                "absorption": r.absorption,
                "efficiency": r.efficiency,
            }
            for r in report.rows
        ],
        "budget": [
            {
                "program": b.name,
                "sipd_code": b.code,
                "pk_budget": b.pk_budget,
                "budget": b.budget,
                "spending": b.spending,
                "absorption": b.absorption,
            }
            for b in report.budget_rows
        ],
        "shared_targets": [
            {
                "collaboration_id": s.collaboration_id,
                "title": s.title,
                "code": s.code,
                "indicator": s.indicator,
                "lead": s.lead,
                "role": s.role_code,
                "weight": s.weight,
                "target": s.target,
                "realisation": s.realisation,
                "percent": s.percent,
            }
            for s in report.shared
        ],
    }


def as_json(value: Any) -> Any:
    """Decimals as strings (exact, as the API's serializers give them), lazy text as text."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: as_json(v) for key, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


# Workbooks ----------------------------------------------------------------------------------


def cell(ws, value: Any, bold: bool = False):
    """A write-only cell: decimals as numbers, dates as dates in the page's language, and text
    that a spreadsheet would run as a formula kept as text (``=1+1`` stays ``=1+1``)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from kinerja.core.excel import FORMULA_PREFIXES, xlsx_date_format

    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    if not (value is None or isinstance(value, bool | int | float | Decimal | dt.date)):
        value = str(value)
    c = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        c.data_type = "s"
    if isinstance(value, dt.date):
        c.number_format = xlsx_date_format(with_time=isinstance(value, dt.datetime))
    if bold:
        c.font = Font(bold=True)
    return c


def write_sheet(wb, title: str, heading: list[str], headers: list[Any], rows, widths=()) -> None:
    """One sheet: heading lines (bold), an empty line, the bold header row, the rows."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title=str(title)[:31])
    for index in range(len(headers)):
        width = widths[index] if index < len(widths) else 16
        ws.column_dimensions[get_column_letter(index + 1)].width = width
    for line in heading:
        ws.append([cell(ws, line, bold=True)])
    if heading:
        ws.append([])
    ws.append([cell(ws, h, bold=True) for h in headers])
    for row in rows:
        ws.append([cell(ws, v) for v in row])


def workbook_bytes(wb) -> bytes:
    import io

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def lkjip_workbook(report: LkjipReport) -> bytes:
    """The report's tables, one sheet each: the performance table, the budget, the shared
    targets and the summary."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    title = _("Performance report %(year)d: %(agency)s") % {
        "year": report.year,
        "agency": report.agency.name,
    }
    prior = report.prior_years
    headers = [
        _("No."),
        _("Goal"),
        _("Indicator code"),
        _("Indicator"),
        _("Unit of measure"),
        _("Target"),
        _("Realisation"),
        _("Achievement (%)"),
        _("Not computed because"),
    ]
    for year in prior:
        headers += [
            _("Target %(year)d") % {"year": year},
            _("Realisation %(year)d") % {"year": year},
            _("Achievement %(year)d (%%)") % {"year": year},
        ]
    headers += [
        _("Medium-term target (Renstra)"),
        _("Medium-term year"),
        _("National benchmark"),
        _("Supporting factors"),
        _("Obstructing factors"),
        _("Notes"),
        _("Action budget (Rp)"),
        _("Spending (Rp)"),
        _("Absorption (%)"),
        _("Efficiency (achievement / absorption)"),
    ]

    def performance_rows():
        for r in report.rows:
            history = {h.year: h for h in r.history}
            row = [
                r.number,
                r.goal,
                r.code,
                r.indicator,
                r.measure_unit,
                r.target,
                r.realisation,
                r.percent,
                r.reason,
            ]
            for year in prior:
                h = history.get(year)
                row += [h.target, h.realisation, h.percent] if h else [None, None, None]
            row += [
                r.medium_term.target if r.medium_term else None,
                r.medium_term.year if r.medium_term else None,
                None,
                r.supporting,
                r.obstructing,
                r.notes,
                r.budget,
                r.spending,
                r.absorption,
                r.efficiency,
            ]
            yield row

    write_sheet(
        wb,
        _("Performance"),
        [title, _("Achievement from the maintained roll-ups; no national benchmark is recorded.")],
        headers,
        performance_rows(),
        widths=(5, 30, 12, 40),
    )
    write_sheet(
        wb,
        _("Budget"),
        [title],
        [
            _("Program"),
            _("SIPD code"),
            _("PK budget (Rp)"),
            _("Action budget (Rp)"),
            _("Spending (Rp)"),
            _("Absorption (%)"),
        ],
        [
            (b.name, b.code, b.pk_budget, b.budget, b.spending, b.absorption)
            for b in report.budget_rows
        ]
        + [
            (
                _("Total"),
                "",
                report.pk_budget_total,
                report.budget_total,
                report.spending_total,
                report.absorption_total,
            )
        ],
        widths=(40, 16, 18, 18, 18, 14),
    )
    write_sheet(
        wb,
        _("Shared targets"),
        [title],
        [
            _("Collaboration"),
            _("Indicator code"),
            _("Indicator"),
            _("Lead"),
            _("Role"),
            _("Weight (%)"),
            _("Target"),
            _("Realisation"),
            _("Achievement (%)"),
        ],
        [
            (
                s.title,
                s.code,
                s.indicator,
                s.lead,
                s.role,
                s.weight,
                s.target,
                s.realisation,
                s.percent,
            )
            for s in report.shared
        ],
        widths=(30, 12, 40, 30),
    )
    write_sheet(
        wb,
        _("Summary"),
        [title],
        [_("Figure"), _("Value")],
        [
            (_("Agency achievement (%)"), report.agency_percent),
            (_("Targets with a figure"), report.agency_computed),
            (_("Targets without a figure"), report.agency_not_computed),
            (_("Indicators in the table"), len(report.rows)),
            (_("At or above 100 %"), report.achieved),
            (_("Below 100 %"), report.below),
            (_("Not measured"), report.not_measured),
            (_("Performance agreement"), agreement_status_label(report.agreement)),
        ],
        widths=(40, 20),
    )
    return workbook_bytes(wb)
