"""The load_demo step after the employee plans: the evaluations of the demo's first year (2023,
evaluated end to end) and the current year's periodic evaluations so far.

First the agencies' own figures: every target of a current performance agreement (PK) is
realised and verified in each closed quarter, so an agency has an achievement (a head of
agency's results rating, the unit's predikat). Then every approved or signed current plan of a
year is rated for each closed quarter it covers (the periodic evaluation) and, for 2023, each
employee once for the year (the annual evaluation, on their last plan of the year, combining
the year's plans as the policy weighs them):

- the results rating is the one suggested by the plan's achievement (the agency's for a head
  of agency) under the year's rules; a qualitative plan's is the evaluator's; about three in a
  hundred are overridden, each with a written reason;
- the behaviour rating follows the employee's conduct through the year (mostly as expected,
  some above, a few below), with feedback on the values that stood out;
- the predikat comes from the policy matrix;
- 2023's evaluations are final; the current year's last closed quarter still has a few drafts.

At 80,330 staff that is about 470,000 evaluations: the rows are built in memory by the rules'
own pure functions (`evaluation_rules`) and written in bulk with one audit event each
(`record_many`), as the plans step does.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from bisect import insort
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any
from unittest import mock

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from kinerja.accounts.models import User
from kinerja.accounts.roles import Role
from kinerja.audit.services import record_many
from kinerja.core.bulk import insert_rows
from kinerja.core.scope import Action, Grant, Scope
from kinerja.organisations.models import OrgUnit

from . import aggregates
from .choices import DataType, PlanApproach, TargetShape
from .curve_rules import UnitPredikat, breaches, curve_rules_for_year
from .demo_agencies import first_year
from .demo_plans import write_realisations
from .evaluation_rules import (
    Predikat,
    Rating,
    combine_percents,
    evaluation_rules_for_year,
    predikat,
    suggested_rating,
)
from .models import (
    AgreementTarget,
    Evaluation,
    EvaluationBehaviour,
    EvaluationInput,
    EvaluationKind,
    EvaluationResultFeedback,
    EvaluationSource,
    EvaluationStatus,
    Objection,
    Period,
    Plan,
    PlanResult,
    PlanStatus,
    PredikatDistribution,
    Realisation,
    RealisationStatus,
    Rollup,
    RollupKind,
    SubPeriod,
    Target,
    TargetValue,
)
from .models import UnitPredikat as UnitPredikatModel
from .parties import target_parties
from .policy import DATA
from .selectors_unit_predikat import plan_is_head, suggestion
from .services import check_numbers, objections
from .services.skp import berakhlak
from .services.unit_predikat import (
    distribution_finalise,
    unit_predikat_open,
    unit_predikat_recommend,
    unit_predikat_set,
)

DEMO_FILE = DATA / "demo_evaluations.json"
EVALUATED = (PlanStatus.APPROVED, PlanStatus.SIGNED)
EVALUATION_FIELDS = (
    "instansi_id",
    "plan_id",
    "kind",
    "sub_period",
    "status",
    "achievement",
    "source",
    "suggested_rating",
    "results_rating",
    "override_reason",
    "behaviour_rating",
    "predikat",
    "finalised_by_id",
    "finalised_at",
    "version",
)


def load_spec() -> dict[str, Any]:
    with open(DEMO_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def _draw(rng: random.Random, shares: dict[str, float]) -> str:
    """above / below expectation with the shares given, as expected otherwise."""
    draw = rng.random()
    if draw < shares[Rating.ABOVE]:
        return Rating.ABOVE.value
    if draw < shares[Rating.ABOVE] + shares[Rating.BELOW]:
        return Rating.BELOW.value
    return Rating.AS_EXPECTED.value


class _Builder:
    def __init__(self, ctx, spec: dict[str, Any]):
        self.ctx = ctx
        self.instansi = ctx.instansi
        self.spec = spec
        self.today = timezone.localdate()
        self.values = [v["code"] for v in berakhlak()]
        self.users = dict(
            User.objects.filter(employee__instansi=self.instansi).values_list("employee_id", "pk")
        )
        self.units = {
            u.pk: u
            for u in OrgUnit.objects.filter(instansi=self.instansi).only(
                "pk", "path", "parent_id", "name"
            )
        }
        self.counts = defaultdict(int)

    def rng(self, *parts: Any) -> random.Random:
        return random.Random("|".join(str(p) for p in ("evaluation", *parts)))

    # The agencies' own figures ----------------------------------------------------------------

    def agency_realisations(self, year: int, subs: list[SubPeriod]) -> None:
        """Every current agreement's target of ``year``, realised and verified in each of
        ``subs`` (closed quarters) where it has a quarter's target; then its roll-ups."""
        if not subs:
            return
        targets = list(
            Target.objects.filter(
                pk__in=AgreementTarget.objects.filter(
                    agreement__instansi=self.instansi,
                    agreement__year=year,
                    agreement__is_current=True,
                ).values("target_id"),
            )
            .exclude(realisations__isnull=False)
            .select_related("indicator")
            .order_by("indicator__code", "pk")
        )
        self.realise_agency_targets(targets, year, subs)

    def realise_agency_targets(self, targets: list[Target], year: int, subs: list[SubPeriod]):
        """Realise and verify ``targets`` (of ``year``, with their indicators) in each of
        ``subs`` where a target has the sub-period's value; then refresh their roll-ups."""
        quarter_targets = {
            (v.target_id, v.sub_period_id): v
            for v in TargetValue.objects.filter(target__in=targets, sub_period__in=subs)
        }
        low, high = self.spec["agency_realisation_factor"]
        rows, audit = [], []
        for target in targets:
            rng = self.rng(target.indicator.code, year, "agency")
            for sub in subs:
                goal = quarter_targets.get((target.pk, sub.pk))
                if goal is None and target.shape != TargetShape.QUALITATIVE:
                    continue
                value, outcome = None, ""
                if target.shape == TargetShape.QUALITATIVE:
                    outcome = self.spec["result_feedback"][0]
                else:
                    value = self._agency_value(target, goal, Decimal(rng.randint(low, high)) / 100)
                holder, verifier = target_parties(target, sub.ends)
                done = _at(min(sub.ends + dt.timedelta(days=5), self.today), 9)
                rows.append(
                    (
                        self.instansi.pk, target.pk, sub.pk, value, outcome, "", "", "",
                        RealisationStatus.VERIFIED, holder, verifier, done, done, None, "", 3,
                    )
                )  # fmt: skip
                audit.append((target, sub))
        ids = write_realisations(
            self.instansi.pk,
            rows,
            [
                (
                    f"{target.indicator.code} {sub.number}",
                    target.indicator.unit_id,
                    getattr(self.units.get(target.indicator.unit_id), "path", ""),
                    sub,
                    RealisationStatus.VERIFIED,
                )
                for target, sub in audit
            ],
        )
        self.counts["agency_realisations"] += len(ids)
        aggregates.refresh_targets({t.pk for t in targets})

    def _agency_value(self, target: Target, goal: TargetValue, factor: Decimal) -> Decimal:
        if target.shape == TargetShape.RANGE:
            # Mostly inside the range, sometimes just outside it.
            span = goal.high - goal.low
            share = (factor - Decimal("0.88")) / Decimal("0.24")  # 0 to 1
            value = goal.low - span * Decimal("0.2") + span * Decimal("1.4") * share
        else:
            value = goal.value * factor
        if target.indicator.data_type == DataType.INTEGER:
            value = value.to_integral_value()
        else:
            value = value.quantize(Decimal("0.01"))
        try:
            check_numbers(target.indicator, {"value": value})
        except ValidationError:
            value = goal.value if goal.value is not None else goal.low
        return value

    # Employee evaluations ---------------------------------------------------------------------

    def year(self, year: int, *, evaluated: bool) -> None:
        """Rate the year's closed quarters; a year ``evaluated`` end to end also once for the
        year, with each agency's predikat set per quarter and for the year and its staff's
        predikat finalised against the curve."""
        period = Period.objects.filter(instansi=self.instansi, year=year).first()
        if period is None:
            return
        rules = evaluation_rules_for_year(year)
        subs = [
            s
            for s in SubPeriod.objects.filter(period=period).order_by("number")
            if s.ends < self.today
        ]
        self.agency_realisations(year, subs)
        if Evaluation.objects.filter(plan__period=period).exists():
            return
        plans = list(
            Plan.objects.filter(period=period, is_current=True, status__in=EVALUATED)
            .select_related("employee", "position", "unit")
            .order_by("employee__nip", "starts", "pk")
        )
        percents: dict[tuple[str, int, int], Decimal | None] = {}
        for kind, object_id, sub, percent in Rollup.objects.filter(
            instansi=self.instansi,
            year=year,
            kind__in=(RollupKind.PLAN, RollupKind.AGENCY),
        ).values_list("kind", "object_id", "sub_period", "percent"):
            percents[(kind, object_id, sub)] = percent
        first_results = dict(
            PlanResult.objects.filter(plan__period=period, plan__is_current=True)
            .order_by("plan_id", "-pk")
            .values_list("plan_id", "pk")
        )
        of_employee: dict[int, list[Plan]] = defaultdict(list)
        by_agency: dict[int, list[Plan]] = defaultdict(list)
        for plan in plans:
            of_employee[plan.employee_id].append(plan)
            by_agency[self.agency_of(plan.unit_id)].append(plan)
        numbers = [s.number for s in subs] + ([0] if evaluated else [])
        curve = _Curve(self, period, numbers) if evaluated else None
        last = subs[-1] if subs else None
        for agency in tqdm(
            sorted(by_agency, key=lambda pk: self.units[pk].path),
            desc=_("evaluations %(year)d") % {"year": year},
            unit=" agency",
            disable=not self.ctx.progress,
        ):
            rows: list[list[Any]] = []
            extras: list[tuple[Plan, int | None]] = []
            for plan in by_agency[agency]:
                mine = of_employee[plan.employee_id]
                conduct = _draw(self.rng(plan.employee.nip, year), self.spec["behaviour"])
                for sub in subs:
                    if sub.ends < plan.starts or sub.starts > plan.ends:
                        continue
                    draft = (
                        not evaluated
                        and sub == last
                        and self.rng(plan.employee.nip, year, sub.number, "draft").random()
                        < self.spec["drafts_last_quarter"]
                    )
                    percent, source = self.achievement(plan, year, sub.number, percents)
                    rows.append(
                        self.evaluation(
                            rules, plan, EvaluationKind.PERIODIC, sub.number, percent, source,
                            conduct, finalised=None if draft else sub.ends + dt.timedelta(days=8),
                        )
                    )  # fmt: skip
                    extras.append((plan, None))
                if evaluated and plan is mine[-1]:  # one annual evaluation, on the last plan
                    percent, source = self.achievement(plan, year, 0, percents)
                    if len(mine) > 1 and source == EvaluationSource.PLAN:
                        parts = [
                            (percents.get((RollupKind.PLAN, p.pk, 0)), (p.ends - p.starts).days + 1)
                            for p in mine
                        ]
                        percent, source = combine_percents(rules, parts), EvaluationSource.PLANS
                    rows.append(
                        self.evaluation(
                            rules, plan, EvaluationKind.ANNUAL, 0, percent, source, conduct,
                            finalised=dt.date(year + 1, 1, 25),
                        )
                    )  # fmt: skip
                    extras.append((plan, first_results.get(plan.pk)))
            if curve is not None:
                curve.fit(agency, rules, rows, extras)
            self.write(rows, extras)
        if curve is not None:
            curve.settle()

    def agency_of(self, unit_id: int) -> int:
        unit = self.units[unit_id]
        while unit.parent_id is not None:
            unit = self.units[unit.parent_id]
        return unit.pk

    def is_head(self, plan: Plan) -> bool:
        return bool(plan.position.is_head) and plan.unit.parent_id is None

    def achievement(self, plan: Plan, year: int, sub: int, percents) -> tuple[Any, str]:
        """As `services.evaluation.achievement_of`, from the roll-ups read once."""
        if self.is_head(plan):
            return percents.get((RollupKind.AGENCY, plan.unit_id, sub)), EvaluationSource.AGENCY
        if plan.approach == PlanApproach.QUALITATIVE:
            return None, EvaluationSource.EVALUATOR
        return percents.get((RollupKind.PLAN, plan.pk, sub)), EvaluationSource.PLAN

    def evaluation(self, rules, plan, kind, number, percent, source, conduct, finalised):
        rng = self.rng(plan.employee.nip, plan.starts, kind, number)
        suggestion = suggested_rating(rules, percent) or ""
        reason = ""
        if source == EvaluationSource.AGENCY and suggestion:
            results = suggestion
        elif not suggestion:
            results = _draw(rng, self.spec["qualitative_results"])
        elif rng.random() < self.spec["override_share"]:
            others = [r for r in Rating.values if r != suggestion]
            results = rng.choice(others)
            reason = rng.choice(self.spec["override_reasons"])
        else:
            results = suggestion
        final = finalised is not None
        return [
            self.instansi.pk, plan.pk, kind, number,
            EvaluationStatus.FINAL if final else EvaluationStatus.DRAFT,
            percent, source, suggestion, results, reason, conduct,
            predikat(rules, results, conduct),
            self.users.get(plan.evaluator_id) if final else None,
            _at(min(finalised, self.today)) if final else None,
            4 if final else 3,
        ]  # fmt: skip

    def write(self, rows: list[list[Any]], extras: list[tuple[Plan, int | None]]) -> None:
        if not rows:
            return
        ids = insert_rows(Evaluation, EVALUATION_FIELDS, rows, return_ids=True)
        self.counts["evaluations"] += len(ids)
        behaviours, feedback = [], []
        for pk, row, (plan, result) in zip(ids, rows, extras, strict=True):
            conduct = row[10]
            rng = self.rng(plan.employee.nip, plan.starts, row[2], row[3], "values")
            if conduct != Rating.AS_EXPECTED:
                for code in rng.sample(self.values, 2):
                    text = rng.choice(self.spec["value_feedback"][conduct])
                    behaviours.append((pk, code, conduct, text))
            if result is not None:
                feedback.append((pk, result, rng.choice(self.spec["result_feedback"])))
        insert_rows(
            EvaluationBehaviour, ("evaluation_id", "value", "rating", "feedback"), behaviours
        )
        insert_rows(EvaluationResultFeedback, ("evaluation_id", "result_id", "feedback"), feedback)
        self.counts["overrides"] += sum(1 for row in rows if row[9])
        record_many(
            actor=None,
            action="evaluation.open",
            instansi_id=self.instansi.pk,
            reason="load_demo",
            entries=(
                {
                    "target_type": "performance.evaluation",
                    "target_id": pk,
                    "target_repr": f"{plan.employee.nip} {row[2]} {row[3]}",
                    "unit_id": plan.unit_id,
                    "unit_path": self.units[plan.unit_id].path,
                    "changes": {
                        name: [None, str(value) if isinstance(value, Decimal) else value]
                        for name, value in zip(EVALUATION_FIELDS[4:12], row[4:12], strict=True)
                    },
                }
                for pk, row, (plan, _result) in zip(ids, rows, extras, strict=True)
            ),
        )


ORDER = [p.value for p in Predikat]  # best first
# Where a rating pair sits in the rows the builder makes.
SUGGESTED, RESULTS, REASON, BEHAVIOUR, PREDIKAT = 7, 8, 9, 10, 11


class _Curve:
    """The agencies' predikat of a year evaluated end to end, and their staff's predikat kept
    within its curve as an evaluator who knows the curve rates (one agency's year excepted: its
    head accepts the breach with a justification).

    Before the rows are written: each agency's predikat per quarter and for the year is the
    suggested one (the action plans' progress, the PK achievement; the leader sets one year a
    step lower, with a reason), and the ratings of the staff it counts are moved, one person at
    a time, until `curve_rules.breaches` finds nothing (an override of the suggestion names the
    curve as its reason). After: the agencies' predikat go through the services (open,
    recommendations for the year, set by the governor, the distribution finalised by the
    agency's head), which check the curve again on the rows as stored."""

    def __init__(self, builder: _Builder, period: Period, numbers: list[int]):
        self.b = builder
        self.period = period
        self.numbers = numbers
        self.curve = curve_rules_for_year(period.year)
        self.matrix = evaluation_rules_for_year(period.year).matrix
        self.chosen: dict[tuple[int, int], tuple[str, str, str]] = {}
        # Chosen on the way, the first in the tree's order: the agency whose leader sets the
        # year's predikat a step below an istimewa suggestion, and the one whose head accepts
        # a breach of the curve.
        self.lowered: int | None = None
        self.breach: int | None = None

    def predikat(self, agency: int, number: int) -> tuple[str, str, str]:
        """(suggested, set, reason) of the agency's predikat for ``number``."""
        key = (agency, number)
        if key not in self.chosen:
            unit = self.b.units[agency]
            suggested, _basis = suggestion(unit, self.period, number)
            chosen, reason = suggested or UnitPredikat.BAIK.value, ""
            if number == 0 and self.lowered is None and suggested == UnitPredikat.ISTIMEWA:
                self.lowered = agency
                chosen = UnitPredikat.BAIK.value
                reason = self.b.spec["unit_predikat"]["lowered_reason"]
            self.chosen[key] = (suggested, chosen, reason)
        return self.chosen[key]

    def fit(self, agency: int, rules, rows: list[list[Any]], extras) -> None:
        for number in self.numbers:
            members = [
                row
                for row, (plan, _result) in zip(rows, extras, strict=True)
                if row[3] == number and not self.heads_agency(plan, agency)
            ]
            if not members:
                continue
            chosen = self.predikat(agency, number)[1]
            if number == 0 and self.breach is None and len(members) >= 10:
                counts = Counter(row[PREDIKAT] for row in members)
                if breaches(self.curve, chosen, {p: counts.get(p, 0) for p in ORDER}):
                    # Kept as rated: the head accepts the breach with a justification.
                    self.breach = agency
                    continue
            self.keep_curve(chosen, members)

    @staticmethod
    def heads_agency(plan: Plan, agency: int) -> bool:
        return plan.unit_id == agency and plan_is_head(plan)

    def keep_curve(self, unit_predikat: str, members: list[list[Any]]) -> None:
        """Move ratings until the curve of ``unit_predikat`` holds: for the first breach, as
        many people as it lacks or exceeds at once (one when that would break another limit),
        from the nearest band, the best of a band moving up and the weakest down."""

        def merit(row: list[Any]) -> tuple[Decimal, int]:
            return (row[5] if row[5] is not None else Decimal(100), row[1])

        bands = {p: sorted((r for r in members if r[PREDIKAT] == p), key=merit) for p in ORDER}
        for _step in range(len(members) + 1):
            counts = Counter({p: len(rows) for p, rows in bands.items()})
            found = breaches(self.curve, unit_predikat, {p: counts[p] for p in ORDER})
            if not found:
                return
            breach = found[0]
            move = self.move(unit_predikat, counts, breach, abs(breach.count - breach.limit))
            if move is None:
                return  # nothing helps: the finalisation will say so
            source, target, n = move
            pool = bands[source]
            if ORDER.index(target) < ORDER.index(source):  # up: the best of the band
                moved, bands[source] = pool[-n:], pool[:-n]
            else:
                moved, bands[source] = pool[:n], pool[n:]
            for row in moved:
                self.rate(row, target)
                insort(bands[target], row, key=merit)

    def move(
        self, unit_predikat: str, counts: Counter, breach, n: int
    ) -> tuple[str, str, int] | None:
        """A move (from band, to band, how many: ``n``, or else one) that mends ``breach``
        without breaking a limit it keeps, the nearest band first."""
        bands = breach.band.split("+")
        now = {(b.band, b.kind) for b in breaches(self.curve, unit_predikat, counts)}

        def worse_after(source: str, target: str, k: int) -> bool:
            after = Counter(counts)
            after[source] -= k
            after[target] += k
            then = breaches(self.curve, unit_predikat, {p: after[p] for p in ORDER})
            return any((b.band, b.kind) not in now for b in then)

        if breach.kind == "max":
            sources = [b for b in bands if counts[b]]
            targets = [p for p in ORDER if p not in bands]
        else:
            sources = [p for p in ORDER if p not in bands and counts[p]]
            targets = bands
        options = sorted(
            ((s, t) for s in sources for t in targets),
            key=lambda st: (abs(ORDER.index(st[0]) - ORDER.index(st[1])), ORDER.index(st[1])),
        )
        for k in dict.fromkeys((max(n, 1), 1)):
            for source, target in options:
                if counts[source] >= k and not worse_after(source, target, k):
                    return source, target, k
        return None

    def rate(self, row: list[Any], target: str) -> None:
        """The rating pair of ``target`` in the matrix nearest to the row's: the fewest
        ratings changed, the behaviour rating kept when it can be."""
        pairs = [
            (results, behaviour)
            for results, cells in self.matrix.items()
            for behaviour, cell in cells.items()
            if cell == target
        ]
        results, behaviour = min(
            pairs,
            key=lambda pair: (
                (pair[0] != row[RESULTS]) + (pair[1] != row[BEHAVIOUR]),
                pair[1] != row[BEHAVIOUR],
            ),
        )
        if results != row[RESULTS]:
            row[RESULTS] = results
            overrides = bool(row[SUGGESTED]) and results != row[SUGGESTED]
            row[REASON] = self.b.spec["curve_reason"] if overrides else ""
        row[BEHAVIOUR] = behaviour
        row[PREDIKAT] = target

    def settle(self) -> None:
        """The agencies' predikat through the services: opened, recommended (the year),
        set by the leadership and finalised by the agency's head."""
        b = self.b
        system = Scope(instansi_id=b.instansi.pk, grants=(Grant(actions=Action.ALL),))
        users = {
            u.username: u
            for u in User.objects.filter(username__in=("gubernur", "bappeda", "bkd", "inspektorat"))
        }
        leader = Scope(
            instansi_id=b.instansi.pk,
            grants=(Grant(actions=Action.ALL),),
            roles=frozenset({Role.LEADERSHIP}),
        )
        advisers = [
            (Role.BAPPEDA, users.get("bappeda")),
            (Role.BKD, users.get("bkd")),
            (Role.INSPEKTORAT, users.get("inspektorat")),
        ]
        spec = b.spec["unit_predikat"]
        for (agency, number), (suggested, chosen, reason) in sorted(
            self.chosen.items(), key=lambda item: (b.units[item[0][0]].path, item[0][1])
        ):
            unit = b.units[agency]
            up = unit_predikat_open(
                actor=None, scope=system, unit=unit, period=self.period, sub_period=number
            )
            if number == 0:
                for role, user in advisers:
                    up = unit_predikat_recommend(
                        actor=user,
                        scope=Scope(
                            instansi_id=b.instansi.pk,
                            grants=(Grant(actions=Action.ALL),),
                            roles=frozenset({role}),
                        ),
                        unit_predikat=up,
                        version=up.version,
                        predikat=suggested or chosen,
                        note=spec["recommendation_notes"][role],
                    )
            up = unit_predikat_set(
                actor=users.get("gubernur"),
                scope=leader,
                unit_predikat=up,
                version=up.version,
                predikat=chosen,
                reason=reason,
            )
            justification = spec["breach_justification"] if agency == self.breach else ""
            distribution_finalise(
                actor=None,
                scope=system,
                unit_predikat=up,
                version=up.version,
                justification=justification,
            )
            b.counts["unit_predikat"] += 1


class _Objections:
    """Two objections to 2023's annual ratings, filed and decided through the services at
    their dates in early 2024 (the services' clock is set to them): the demo employee's, whose
    superior changes the rating, and a colleague's rated below expectation, upheld."""

    def __init__(self, builder: _Builder, year: int):
        self.b = builder
        self.year = year
        self.spec = builder.spec["objections"]

    def candidates(self) -> list[Evaluation]:
        annual = Evaluation.objects.filter(
            plan__period__year=self.year,
            kind=EvaluationKind.ANNUAL,
            status=EvaluationStatus.FINAL,
            plan__evaluator_superior__isnull=False,
        ).select_related("plan__period", "plan__unit", "plan__employee")
        demo = User.objects.filter(username=self.spec["employee"]).first()
        mine = annual.filter(plan__employee_id=getattr(demo, "employee_id", None)).first()
        if mine is None:
            mine = annual.filter(predikat=Predikat.BAIK).order_by("plan__employee__nip").first()
        if mine is None:
            return []
        other = (
            annual.filter(
                plan__unit__path__startswith=self.b.units[self.b.agency_of(mine.plan.unit_id)].path
            )
            .filter(predikat=Predikat.BUTUH_PERBAIKAN)
            .exclude(pk=mine.pk)
            .order_by("plan__employee__nip")
            .first()
        )
        return [e for e in (mine, other) if e is not None]

    def run(self) -> None:
        users = {
            u.employee_id: u
            for u in User.objects.filter(employee__instansi=self.b.instansi, employee__isnull=False)
        }
        for evaluation, (change, spec) in zip(
            self.candidates(),
            ((True, self.spec["changed"]), (False, self.spec["upheld"])),
            strict=False,
        ):
            plan = evaluation.plan
            filed = dt.datetime.combine(
                evaluation.finalised_at.date() + dt.timedelta(days=spec["filed_after_days"]),
                dt.time(9),
                tzinfo=dt.UTC,
            )
            with mock.patch.object(objections, "_now", return_value=filed):
                objection = objections.objection_file(
                    actor=users.get(plan.employee_id),
                    scope=Scope(instansi_id=self.b.instansi.pk, employee_id=plan.employee_id),
                    evaluation=evaluation,
                    reasons=spec["reasons"],
                    evidence=spec["evidence"],
                )
            decided = filed + dt.timedelta(days=spec["decided_after_days"])
            superior = plan.evaluator_superior_id
            with mock.patch.object(objections, "_now", return_value=decided):
                objections.objection_decide(
                    actor=users.get(superior),
                    scope=Scope(instansi_id=self.b.instansi.pk, employee_id=superior),
                    objection=objection,
                    version=objection.version,
                    decision=objections.CHANGE if change else objections.UPHOLD,
                    reason=spec["decision"],
                    results_rating=Rating.ABOVE.value if change else None,
                    behaviour_rating=Rating.ABOVE.value if change else None,
                )
            self.b.counts["objections"] += 1


def demo_evaluations_run(ctx) -> str:
    """The evaluations of the first year and the current year's periodic ones; keep what is
    there."""
    instansi = ctx.instansi
    existing = Evaluation.objects.filter(instansi=instansi).count()
    if existing:
        return _("kept: %(n)d evaluations already (use --reset to rebuild)") % {"n": existing}
    builder = _Builder(ctx, load_spec())
    first = first_year()
    current = max(first, timezone.localdate().year)
    for year in sorted({first, current}):
        builder.year(year, evaluated=year != current)
    if first != current:
        _Objections(builder, first).run()
    return _(
        "%(evaluations)d evaluations (%(overrides)d overriding the suggested rating), "
        "%(unit_predikat)d unit predikat with their distribution final, %(objections)d "
        "objections decided, "
        "%(agency_realisations)d realisations of agency targets"
    ) % {
        "evaluations": builder.counts["evaluations"],
        "overrides": builder.counts["overrides"],
        "unit_predikat": builder.counts["unit_predikat"],
        "objections": builder.counts["objections"],
        "agency_realisations": builder.counts["agency_realisations"],
    }


def demo_evaluations_wipe(ctx) -> str:
    """Remove the instansi's evaluations and the agencies' realisations this step entered
    (their audit events stay); the roll-ups are rebuilt by the plans step's next run."""
    Objection.objects.filter(instansi=ctx.instansi).delete()
    EvaluationInput.objects.filter(evaluation__instansi=ctx.instansi).delete()
    PredikatDistribution.objects.filter(unit_predikat__instansi=ctx.instansi).delete()
    UnitPredikatModel.objects.filter(instansi=ctx.instansi).delete()
    evaluations = Evaluation.objects.filter(instansi=ctx.instansi)
    removed = evaluations.count()
    evaluations.delete()
    Realisation.objects.filter(
        instansi=ctx.instansi, target__indicator__result__isnull=True
    ).delete()
    return _("removed %(n)d evaluations") % {"n": removed}
