"""Early warning: the projection of a target to the year's end and its flags, as pure functions
of numbers (no database), so anyone can check them by hand. docs/analytics-warning.md gives
each rule with a worked example; `kinerja/analytics/tests/test_warning_rules.py` holds them.

A projection starts from the **verified** realisations so far (the official figures, as the
roll-ups count them) and extends them along what was agreed for the rest of the year, never a
straight line when something was agreed. It depends on the indicator's aggregation:

- **cumulative** (a flow: the year is the sum): the *pace* achieved so far against the planned
  share of the year's work in the sub-periods reported, carried over the shares not yet
  reported: ``P = R / W``, where ``R`` is the sum realised and ``W`` the planned share of the
  reported sub-periods. The shares come from the PK's action plan (the mean schedule weight of
  the target's actions per sub-period) when it has one, else from the sub-period targets, else
  even shares (the last resort, said as such).
- **last value** (a level: the year is the latest value): the *trend* of the last values
  against the plan's path: the gap between the latest value and the path, moved on by the
  change of the gap between the last two reported values per sub-period, to the last
  sub-period. The path is the sub-period targets; else, with an action plan and a baseline,
  the baseline moving to the target as the action plan's weights accumulate; else the year's
  target held all year.
- **average** (the year is the mean of the sub-periods): the *mean gap* so far to the
  sub-period targets (else the year's target) carried on the remaining targets.

The projected value is then rated with the project's own `achievement.evaluate` (polarity,
range, cap, floor, zero-target rule). A target with no verified realisation yet is *not
projectable*, never 0; so is a qualitative target and a target of 0 left to the evaluator.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from kinerja.performance.achievement import AchievementRules, Result, TargetSpec, evaluate
from kinerja.performance.choices import Aggregation

ZERO = Decimal(0)
ONE = Decimal(1)
TWO = Decimal(2)


class Basis(StrEnum):
    """What the rest of the year was projected along."""

    ACTION_PLAN = "action_plan"  # the PK action plan's schedule weights
    SUB_PERIOD_TARGETS = "sub_period_targets"  # the sub-period targets (TargetValue)
    BASELINE_PATH = "baseline_path"  # the baseline moving to the target with the weights
    YEAR_TARGET = "year_target"  # the year's target held all year (a level)
    EVEN = "even"  # even shares: nothing agreed says otherwise


class Method(StrEnum):
    PACE = "pace"  # cumulative
    TREND = "trend"  # last value
    MEAN = "mean"  # average


class NotProjectable(StrEnum):
    QUALITATIVE = "qualitative"
    NO_REALISATION = "no_realisation"
    ZERO_TARGET_RATED = "zero_target_rated"


class Status(StrEnum):
    """A target's warning status, worst first."""

    AT_RISK = "at_risk"
    SILENT = "silent"
    NOT_PROJECTABLE = "not_projectable"
    ON_TRACK = "on_track"


@dataclass(frozen=True)
class ProjectionInput:
    """One target as numbers. ``numbers`` are the sub-periods the target runs over, in order
    (the year's, or those an employee plan's dates cover); ``realised`` the verified values by
    sub-period number; ``sub_targets`` the sub-period targets; ``weights`` the action plan's
    weight per sub-period (any scale: they are read as shares of their sum)."""

    polarity: str
    aggregation: str
    target: TargetSpec
    numbers: Sequence[int]
    realised: Mapping[int, Decimal] = field(default_factory=dict)
    sub_targets: Mapping[int, TargetSpec] = field(default_factory=dict)
    weights: Mapping[int, Decimal] = field(default_factory=dict)
    baseline: Decimal | None = None
    cap: Decimal | None = None
    zero_rule: str | None = None


@dataclass(frozen=True)
class Step:
    """One sub-period of a projection: its planned value (a share of the year's target for a
    cumulative indicator, the path's level otherwise), the verified value, or the projected one
    where nothing is verified yet."""

    number: int
    planned: Decimal | None
    realised: Decimal | None
    projected: Decimal | None


@dataclass(frozen=True)
class Projection:
    """The projected year's value (exact) and its achievement, or why there is none."""

    value: Decimal | None = None
    result: Result | None = None
    basis: Basis | None = None
    method: Method | None = None
    through: int | None = None  # the latest sub-period with a verified value
    reason: NotProjectable | None = None
    steps: tuple[Step, ...] = ()

    @property
    def projectable(self) -> bool:
        return self.reason is None

    @property
    def percent(self) -> Decimal | None:
        return self.result.percent if self.result is not None else None


def _mid(spec: TargetSpec) -> Decimal:
    """A value target's value, a range's midpoint."""
    if spec.value is not None:
        return spec.value
    return (spec.low + spec.high) / TWO


def _complete(inp: ProjectionInput) -> bool:
    return bool(inp.numbers) and all(n in inp.sub_targets for n in inp.numbers)


def _weights(inp: ProjectionInput) -> dict[int, Decimal] | None:
    weights = {n: Decimal(inp.weights.get(n, ZERO)) for n in inp.numbers}
    return weights if sum(weights.values(), ZERO) > 0 else None


def shares(inp: ProjectionInput) -> tuple[dict[int, Decimal], Basis]:
    """The planned share of the year's work per sub-period (summing to 1) and its basis: the
    action plan's weights, else the sub-period targets, else even shares."""
    weights = _weights(inp)
    if weights is not None:
        total = sum(weights.values(), ZERO)
        return {n: w / total for n, w in weights.items()}, Basis.ACTION_PLAN
    if _complete(inp):
        mids = {n: _mid(inp.sub_targets[n]) for n in inp.numbers}
        total = sum(mids.values(), ZERO)
        if total > 0 and all(m >= 0 for m in mids.values()):
            return {n: m / total for n, m in mids.items()}, Basis.SUB_PERIOD_TARGETS
    even = ONE / len(inp.numbers)
    return {n: even for n in inp.numbers}, Basis.EVEN


def path(inp: ProjectionInput) -> tuple[dict[int, Decimal], Basis]:
    """The planned level per sub-period of a level (last value, average): the sub-period
    targets; else (last value only) the baseline moving to the target as the action plan's
    weights accumulate; else the year's target held all year."""
    if _complete(inp):
        return {n: _mid(inp.sub_targets[n]) for n in inp.numbers}, Basis.SUB_PERIOD_TARGETS
    year = _mid(inp.target)
    weights = _weights(inp)
    by_baseline = weights is not None and inp.baseline is not None
    if inp.aggregation == Aggregation.LAST_VALUE and by_baseline:
        total = sum(weights.values(), ZERO)
        baseline = Decimal(inp.baseline)
        done, levels = ZERO, {}
        for n in inp.numbers:
            done += weights[n]
            levels[n] = baseline + (year - baseline) * done / total
        return levels, Basis.BASELINE_PATH
    return {n: year for n in inp.numbers}, Basis.YEAR_TARGET


def _non_negative(inp: ProjectionInput) -> bool:
    """A quantity never seen below 0 (the target and every value) is not projected below 0."""
    known = [_mid(inp.target), *inp.realised.values()]
    return all(Decimal(v) >= 0 for v in known)


def _cumulative(inp: ProjectionInput, reported: list[int]):
    share, basis = shares(inp)
    year = _mid(inp.target)
    realised = sum((Decimal(inp.realised[n]) for n in reported), ZERO)
    done = sum((share[n] for n in reported), ZERO)
    # Pace: what was realised per unit of planned share; nothing planned yet: the rest as planned.
    pace = realised / done if done > 0 else year
    steps = tuple(
        Step(
            n,
            year * share[n],
            Decimal(inp.realised[n]) if n in inp.realised else None,
            None if n in inp.realised else pace * share[n],
        )
        for n in inp.numbers
    )
    value = realised + sum((s.projected for s in steps if s.projected is not None), ZERO)
    return value, basis, Method.PACE, steps


def _last_value(inp: ProjectionInput, reported: list[int]):
    levels, basis = path(inp)
    position = {n: i for i, n in enumerate(inp.numbers)}
    last = reported[-1]
    gap = Decimal(inp.realised[last]) - levels[last]
    slope = ZERO
    if len(reported) > 1:
        before = reported[-2]
        gap_before = Decimal(inp.realised[before]) - levels[before]
        slope = (gap - gap_before) / (position[last] - position[before])
    floor = _non_negative(inp)
    steps = []
    for n in inp.numbers:
        projected = None
        if n not in inp.realised and position[n] > position[last]:
            projected = levels[n] + gap + slope * (position[n] - position[last])
            if floor and projected < 0:
                projected = ZERO
        value = Decimal(inp.realised[n]) if n in inp.realised else None
        steps.append(Step(n, levels[n], value, projected))
    final = steps[-1]
    value = final.realised if final.realised is not None else final.projected
    return value, basis, Method.TREND, tuple(steps)


def _average(inp: ProjectionInput, reported: list[int]):
    levels, basis = path(inp)
    gap = sum((Decimal(inp.realised[n]) - levels[n] for n in reported), ZERO) / len(reported)
    floor = _non_negative(inp)
    steps = []
    for n in inp.numbers:
        if n in inp.realised:
            steps.append(Step(n, levels[n], Decimal(inp.realised[n]), None))
            continue
        projected = levels[n] + gap
        if floor and projected < 0:
            projected = ZERO
        steps.append(Step(n, levels[n], None, projected))
    values = [s.realised if s.realised is not None else s.projected for s in steps]
    return sum(values, ZERO) / len(values), basis, Method.MEAN, tuple(steps)


METHODS = {
    Aggregation.CUMULATIVE: _cumulative,
    Aggregation.LAST_VALUE: _last_value,
    Aggregation.AVERAGE: _average,
}


def project(inp: ProjectionInput, rules: AchievementRules) -> Projection:
    """Project the target to the year's end and rate the projected value under ``rules``."""
    if inp.target.qualitative:
        return Projection(reason=NotProjectable.QUALITATIVE)
    reported = [n for n in inp.numbers if inp.realised.get(n) is not None]
    if not reported:
        return Projection(reason=NotProjectable.NO_REALISATION)
    try:
        method = METHODS[inp.aggregation]
    except KeyError:
        raise ValueError(f"unknown aggregation {inp.aggregation!r}") from None
    value, basis, how, steps = method(inp, reported)
    result = evaluate(
        polarity=inp.polarity,
        target=inp.target,
        realisation=value,
        rules=rules,
        cap=inp.cap,
        zero_rule=inp.zero_rule,
    )
    reason = None if result.computed else NotProjectable(str(result.reason))
    return Projection(
        value=value,
        result=result,
        basis=basis,
        method=how,
        through=reported[-1],
        reason=reason,
        steps=steps,
    )


def at_risk(projection: Projection, threshold: Decimal) -> bool:
    """Whether the projected achievement falls below ``threshold`` (percent): 89.99 against 90
    is at risk, 90.00 is not. A target that cannot be projected is never "at risk" (it may be
    silent)."""
    return projection.percent is not None and projection.percent < Decimal(threshold)


def silent(due: Sequence[int], reported: Collection[int]) -> tuple[int, ...]:
    """The sub-periods ``due`` (closed, or past their evaluation deadline) for which nothing was
    reported (no realisation submitted or verified)."""
    return tuple(n for n in due if n not in reported)


def status(projection: Projection, threshold: Decimal, silent_numbers: Sequence[int]) -> Status:
    """The warning status: at risk before silent before not projectable before on track."""
    if at_risk(projection, threshold):
        return Status.AT_RISK
    if silent_numbers:
        return Status.SILENT
    if not projection.projectable:
        return Status.NOT_PROJECTABLE
    return Status.ON_TRACK
