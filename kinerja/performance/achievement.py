"""Achievement (capaian) of a realisation against a target, in percent: pure functions of the
numbers and of the policy's rules, with no database access, so anyone can check them against
the regulation (docs/evaluation-achievement.md gives every formula with its worked examples).

Higher is better: realisation / target x 100. Lower is better: (2 - realisation / target) x 100
(PermenPAN-RB 8/2021 annex). A range is a target *shape*, not a polarity: inside [low, high]
the achievement is 100; outside, the indicator's own formula against the nearer bound. So a
lower-is-better range [7, 8] months gives 107.14 for 6.5 and 87.5 for 9 (dividing 9 by the
upper bound with the higher-is-better formula would give 112.5: a known bug of public code).
A target of 0 follows a zero-target rule (the indicator's, else the policy's). The result is
kept between the floor and the cap (the indicator's own cap, else the policy's) and rounded
half up to two decimals. A qualitative target is rated by the evaluator: the answer is a
`Result` whose outcome is "not computed", never a number standing for "no number".

Over sub-periods, `aggregate` makes the year's value as the indicator says (the sum, the last
value, the average); `year_achievement` aggregates the targets and the realisations, then
applies the formula, and gives each sub-period's own achievement beside it. A sub-period
without a realisation is *not reported*, never a zero (see `aggregate`).

The rules (`AchievementRules`) are an argument, never read here: `kinerja.performance.policy`
picks the version in force for a period, so last year's ratings keep last year's rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from .choices import Aggregation, Polarity, TargetShape, ZeroTargetRule

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
CAP = "cap"  # a zero-target outcome that stands for "the cap in force"
# The choices' values, read once: `TextChoices.values` builds a new list at each access, which
# cost a recomputation of 80,330 plans more than the formulas did.
POLARITIES = frozenset(Polarity.values)
AGGREGATIONS = frozenset(Aggregation.values)
FLOOR = "floor"  # ... for "the floor in force"


class Outcome(StrEnum):
    COMPUTED = "computed"
    NOT_COMPUTED = "not_computed"


class NotComputed(StrEnum):
    """Why an achievement has no number."""

    QUALITATIVE = "qualitative"  # the evaluator rates a qualitative target
    ZERO_TARGET_RATED = "zero_target_rated"  # a target of 0 whose rule leaves it to the evaluator
    NO_REALISATION = "no_realisation"  # nothing reported yet


class Basis(StrEnum):
    """What a year's realisations are compared with."""

    YEAR = "year"  # the whole year's target (every sub-period's): the annual evaluation
    TO_DATE = "to_date"  # the targets of the sub-periods reported so far: progress


class Bound(StrEnum):
    CAP = "cap"
    FLOOR = "floor"


@dataclass(frozen=True)
class ZeroOutcomes:
    """What a target of 0 gives: when the realisation is 0 too (``equal``), on the better side
    of 0 (above it when higher is better, below it when lower is better) and on the worse
    side. Each is a percent, `CAP` or `FLOOR`; ``rated`` leaves it to the evaluator."""

    equal: Decimal | str = HUNDRED
    better: Decimal | str = Decimal(0)
    worse: Decimal | str = Decimal(0)
    rated: bool = False

    @classmethod
    def from_policy(cls, values: Mapping[str, object]) -> ZeroOutcomes:
        """Read a policy entry: ``equal`` and either ``other`` (both sides) or ``better`` and
        ``worse``; each a number, "cap" or "floor"."""

        def read(key: str) -> Decimal | str:
            raw = values[key] if key in values else values["other"]
            return raw if raw in (CAP, FLOOR) else Decimal(str(raw))

        return cls(equal=read("equal"), better=read("better"), worse=read("worse"))


# The rules an indicator may choose instead of the policy's (`Indicator.zero_target_rule`).
NAMED_ZERO_RULES: dict[str, ZeroOutcomes] = {
    ZeroTargetRule.EXACT: ZeroOutcomes(equal=HUNDRED, better=FLOOR, worse=FLOOR),
    ZeroTargetRule.NOT_WORSE: ZeroOutcomes(equal=HUNDRED, better=HUNDRED, worse=FLOOR),
    ZeroTargetRule.BETTER_CAPPED: ZeroOutcomes(equal=HUNDRED, better=CAP, worse=FLOOR),
    ZeroTargetRule.EVALUATOR: ZeroOutcomes(rated=True),
}


@dataclass(frozen=True)
class AchievementRules:
    """One version of the policy's achievement rules: the default cap and floor (percent) and
    the default zero-target outcomes per polarity; ``valid_from`` names the version."""

    cap: Decimal
    floor: Decimal
    zero_target: Mapping[str, ZeroOutcomes]
    valid_from: dt.date | None = None


def zero_outcomes(rules: AchievementRules, polarity: str, rule: str | None) -> ZeroOutcomes:
    """The outcomes of a target of 0: the indicator's named ``rule``, else the policy's."""
    if rule:
        return NAMED_ZERO_RULES[rule]
    return rules.zero_target[polarity]


@dataclass(frozen=True)
class TargetSpec:
    """A target as numbers: a value, a range [low, high], or qualitative (no number)."""

    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    qualitative: bool = False

    def __post_init__(self):
        if self.qualitative:
            if self.value is not None or self.low is not None or self.high is not None:
                raise ValueError("a qualitative target carries no number")
            return
        if self.value is not None:
            if self.low is not None or self.high is not None:
                raise ValueError("a target is a value or a range, not both")
            object.__setattr__(self, "value", Decimal(self.value))
            return
        if self.low is None or self.high is None:
            raise ValueError("a range needs both bounds")
        low, high = Decimal(self.low), Decimal(self.high)
        if low > high:
            raise ValueError("a range's low bound is above its high bound")
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    @property
    def shape(self) -> str:
        if self.qualitative:
            return TargetShape.QUALITATIVE
        return TargetShape.VALUE if self.value is not None else TargetShape.RANGE


QUALITATIVE = TargetSpec(qualitative=True)


@dataclass(frozen=True)
class Result:
    """An achievement: ``percent`` (two decimals, between the floor and the cap) when
    computed; otherwise ``reason`` says why not. ``unbounded`` is the formula's value before
    the cap and floor (two decimals), ``limited_by`` which of them applied, ``against`` the
    value or range bound the formula used (none inside a range)."""

    outcome: Outcome
    percent: Decimal | None = None
    unbounded: Decimal | None = None
    limited_by: Bound | None = None
    against: Decimal | None = None
    reason: NotComputed | None = None
    zero_target: bool = False  # the formula met a target (or bound) of 0

    @property
    def computed(self) -> bool:
        return self.outcome == Outcome.COMPUTED


def _not_computed(reason: NotComputed, **extra) -> Result:
    return Result(outcome=Outcome.NOT_COMPUTED, reason=reason, **extra)


def _better(realisation: Decimal, reference: Decimal, polarity: str) -> bool:
    if polarity == Polarity.LOWER_IS_BETTER:
        return realisation < reference
    return realisation > reference


def _formula(realisation: Decimal, target: Decimal, polarity: str) -> Decimal:
    ratio = realisation / target
    if polarity == Polarity.LOWER_IS_BETTER:
        return (2 - ratio) * HUNDRED
    return ratio * HUNDRED


def _bounded(value: Decimal, cap: Decimal, floor: Decimal, **extra) -> Result:
    limited_by = Bound.CAP if value > cap else Bound.FLOOR if value < floor else None
    kept = max(floor, min(cap, value))
    return Result(
        outcome=Outcome.COMPUTED,
        percent=kept.quantize(CENT, rounding=ROUND_HALF_UP),
        unbounded=value.quantize(CENT, rounding=ROUND_HALF_UP),
        limited_by=limited_by,
        **extra,
    )


def _check_cap(cap: Decimal, floor: Decimal) -> None:
    if cap < HUNDRED:
        raise ValueError("an achievement cap cannot be below 100 percent")
    if floor > HUNDRED:
        raise ValueError("an achievement floor cannot be above 100 percent")


def evaluate(
    *,
    polarity: str,
    target: TargetSpec,
    realisation: Decimal | None,
    rules: AchievementRules,
    cap: Decimal | None = None,
    zero_rule: str | None = None,
) -> Result:
    """The achievement of one realisation against one target under ``rules``.

    ``cap`` is the indicator's own cap (None: the policy's); ``zero_rule`` the indicator's
    zero-target rule (a `ZeroTargetRule` value; None: the policy's for the polarity).
    """
    if polarity not in POLARITIES:
        raise ValueError(f"unknown polarity {polarity!r}")
    cap = Decimal(cap) if cap is not None else rules.cap
    floor = rules.floor
    _check_cap(cap, floor)
    if target.qualitative:
        return _not_computed(NotComputed.QUALITATIVE)
    if realisation is None:
        return _not_computed(NotComputed.NO_REALISATION)
    realisation = Decimal(realisation)
    if target.value is not None:
        against = target.value
    elif target.low <= realisation <= target.high:
        return _bounded(HUNDRED, cap, floor)
    else:
        against = target.low if realisation < target.low else target.high
    if against != 0:
        return _bounded(_formula(realisation, against, polarity), cap, floor, against=against)
    zero = zero_outcomes(rules, polarity, zero_rule)
    if zero.rated:
        return _not_computed(NotComputed.ZERO_TARGET_RATED, against=against, zero_target=True)
    if realisation == 0:
        chosen = zero.equal
    elif _better(realisation, against, polarity):
        chosen = zero.better
    else:
        chosen = zero.worse
    value = cap if chosen == CAP else floor if chosen == FLOOR else Decimal(chosen)
    return _bounded(value, cap, floor, against=against, zero_target=True)


def achievement(
    *,
    realisation: Decimal,
    polarity: str,
    target: Decimal | None = None,
    low: Decimal | None = None,
    high: Decimal | None = None,
    cap: Decimal,
    floor: Decimal = Decimal(0),
    zero_target: Mapping[str, ZeroOutcomes | Mapping[str, object]] | None = None,
) -> Decimal:
    """Return the achievement of ``realisation`` in percent, two decimals: the number alone,
    for a value (``target``) or a range (``low`` and ``high``, low <= high).

    ``zero_target`` maps a polarity to its `ZeroOutcomes` (or a policy entry, ``{"equal": ..,
    "other": ..}``); by default 100 when the realisation is 0 too, else 0.
    """
    zero = {
        polarity_: values if isinstance(values, ZeroOutcomes) else ZeroOutcomes.from_policy(values)
        for polarity_, values in (zero_target or {}).items()
    }
    for polarity_ in Polarity.values:
        zero.setdefault(polarity_, ZeroOutcomes())
    rules = AchievementRules(cap=Decimal(cap), floor=Decimal(floor), zero_target=zero)
    spec = TargetSpec(value=target) if target is not None else TargetSpec(low=low, high=high)
    return evaluate(polarity=polarity, target=spec, realisation=realisation, rules=rules).percent


# Sub-periods ---------------------------------------------------------------------------------


def aggregate(values: Sequence[Decimal | None], how: str) -> Decimal | None:
    """The year's value of sub-period ``values`` (in order; None where nothing was reported).

    A sub-period not reported is left out, never counted as 0: the regulation measures what
    was achieved and evidenced, and a 0 is itself a measurement (for a lower-is-better rate it
    would look like a perfect quarter). So ``cumulative`` sums the reported values (what is not
    reported adds nothing), ``last_value`` takes the latest reported value, ``average`` divides
    by the number of reported sub-periods. None when nothing was reported.
    """
    reported = [Decimal(v) for v in values if v is not None]
    if not reported:
        return None
    if how == Aggregation.CUMULATIVE:
        return sum(reported, Decimal(0))
    if how == Aggregation.LAST_VALUE:
        return reported[-1]
    if how == Aggregation.AVERAGE:
        return sum(reported, Decimal(0)) / len(reported)
    raise ValueError(f"unknown aggregation {how!r}")


def aggregate_targets(targets: Sequence[TargetSpec], how: str) -> TargetSpec:
    """The year's target of sub-period ``targets`` (all of one shape): a value from the values,
    a range from the low bounds and from the high bounds, each aggregated as ``how`` says."""
    if not targets:
        raise ValueError("no sub-period targets")
    shapes = {t.shape for t in targets}
    if len(shapes) > 1:
        raise ValueError("the sub-period targets are not all of one shape")
    shape = shapes.pop()
    if shape == TargetShape.QUALITATIVE:
        return QUALITATIVE
    if shape == TargetShape.VALUE:
        return TargetSpec(value=aggregate([t.value for t in targets], how))
    return TargetSpec(
        low=aggregate([t.low for t in targets], how), high=aggregate([t.high for t in targets], how)
    )


@dataclass(frozen=True)
class SubPeriodResult:
    number: int  # 1 for the first sub-period of the year
    target: TargetSpec
    realisation: Decimal | None
    result: Result


@dataclass(frozen=True)
class YearResult:
    """A year's achievement: the aggregated ``target`` and ``realisation`` and their
    ``result``; the sub-periods ``reported`` and ``missing`` (numbers from 1); each
    sub-period's own achievement when sub-period targets were given."""

    result: Result
    target: TargetSpec
    realisation: Decimal | None
    aggregation: str
    basis: Basis
    reported: tuple[int, ...]
    missing: tuple[int, ...]
    sub_periods: tuple[SubPeriodResult, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return not self.missing


def year_achievement(
    *,
    polarity: str,
    aggregation: str,
    realisations: Sequence[Decimal | None],
    rules: AchievementRules,
    target: TargetSpec | None = None,
    sub_period_targets: Sequence[TargetSpec] | None = None,
    cap: Decimal | None = None,
    zero_rule: str | None = None,
    basis: Basis | str = Basis.YEAR,
) -> YearResult:
    """Aggregate the targets and the ``realisations`` (one per sub-period, None where nothing
    was reported) as ``aggregation`` says, then apply the formula.

    Give either the year's ``target`` or ``sub_period_targets`` (one per sub-period, of one
    shape). With ``basis`` "year" the realisations meet the whole year's target; with
    "to_date" (sub-period targets only) the targets of the sub-periods reported so far, which
    is the progress a periodic evaluation reads.
    """
    basis = Basis(basis)
    if aggregation not in AGGREGATIONS:
        raise ValueError(f"unknown aggregation {aggregation!r}")
    if (target is None) == (sub_period_targets is None):
        raise ValueError("give either the year's target or the sub-period targets")
    if not realisations:
        raise ValueError("no sub-periods")
    reported = tuple(n for n, v in enumerate(realisations, 1) if v is not None)
    missing = tuple(n for n, v in enumerate(realisations, 1) if v is None)
    kw = {"polarity": polarity, "rules": rules, "cap": cap, "zero_rule": zero_rule}
    subs: tuple[SubPeriodResult, ...] = ()
    if sub_period_targets is not None:
        if len(sub_period_targets) != len(realisations):
            raise ValueError("give one target per sub-period")
        if basis == Basis.TO_DATE and reported:
            chosen = [sub_period_targets[n - 1] for n in reported]
        else:
            chosen = list(sub_period_targets)
        year_target = aggregate_targets(chosen, aggregation)
        subs = tuple(
            SubPeriodResult(n, t, r, evaluate(target=t, realisation=r, **kw))
            for n, (t, r) in enumerate(zip(sub_period_targets, realisations, strict=True), 1)
        )
    else:
        if basis == Basis.TO_DATE:
            raise ValueError("a target to date needs the sub-period targets")
        year_target = target
    realisation = aggregate(realisations, aggregation)
    return YearResult(
        result=evaluate(target=year_target, realisation=realisation, **kw),
        target=year_target,
        realisation=realisation,
        aggregation=aggregation,
        basis=basis,
        reported=reported,
        missing=missing,
        sub_periods=subs,
    )
