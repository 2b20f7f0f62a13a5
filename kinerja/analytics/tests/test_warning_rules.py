"""The projection and flag rules with concrete numbers (docs/analytics-warning.md, section 1):
each worked example of the docs is one test here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from kinerja.analytics.warning_rules import (
    Basis,
    Method,
    NotProjectable,
    ProjectionInput,
    Status,
    at_risk,
    project,
    silent,
    status,
)
from kinerja.performance.achievement import TargetSpec
from kinerja.performance.policy import achievement_rules

RULES = achievement_rules(dt.date(2026, 1, 1))  # cap 120, floor 0
Q = (1, 2, 3, 4)
HIGHER, LOWER = "higher_is_better", "lower_is_better"
CUM, LAST, AVG = "cumulative", "last_value", "average"


def values(*numbers):
    return {n: TargetSpec(value=D(str(v))) for n, v in zip(Q, numbers, strict=False)}


def run(**kw):
    kw.setdefault("numbers", Q)
    kw["realised"] = {n: D(str(v)) for n, v in kw.get("realised", {}).items()}
    return project(ProjectionInput(**kw), RULES)


def test_cumulative_with_uneven_quarterly_targets_projects_at_the_pace_achieved():
    # 100 a year as 10/20/30/40; 8 and 15 verified: 23 of the 30 planned to date (76.67 %),
    # so the remaining 70 are projected at that pace: 23 + 23/30 x 70 = 76.666...
    p = run(
        polarity=HIGHER,
        aggregation=CUM,
        target=TargetSpec(value=D(100)),
        sub_targets=values(10, 20, 30, 40),
        realised={1: 8, 2: 15},
    )
    assert p.basis == Basis.SUB_PERIOD_TARGETS and p.method == Method.PACE
    assert p.value.quantize(D("0.0001")) == D("76.6667")
    assert p.percent == D("76.67")
    assert p.through == 2
    assert [s.projected.quantize(D("0.01")) for s in p.steps[2:]] == [D("23.00"), D("30.67")]
    assert [s.planned for s in p.steps] == [D(10), D(20), D(30), D(40)]
    assert at_risk(p, D(90))


def test_cumulative_follows_the_action_plan_weights_before_the_sub_period_targets():
    # The PK's action plan puts 80 % of the work in the second half (10/10/40/40): 23 done
    # against 20 % of the year planned is a pace of 115, on track.
    p = run(
        polarity=HIGHER,
        aggregation=CUM,
        target=TargetSpec(value=D(100)),
        sub_targets=values(10, 20, 30, 40),
        weights={1: D(10), 2: D(10), 3: D(40), 4: D(40)},
        realised={1: 8, 2: 15},
    )
    assert p.basis == Basis.ACTION_PLAN
    assert p.value == D(115)
    assert p.percent == D("115.00")
    assert not at_risk(p, D(90))


def test_cumulative_without_anything_agreed_uses_even_shares():
    p = run(polarity=HIGHER, aggregation=CUM, target=TargetSpec(value=D(100)), realised={1: 20})
    assert p.basis == Basis.EVEN
    assert p.value == D(80) and p.percent == D("80.00")


def test_a_complete_year_projects_what_was_realised():
    p = run(
        polarity=HIGHER,
        aggregation=CUM,
        target=TargetSpec(value=D(100)),
        sub_targets=values(10, 20, 30, 40),
        realised={1: 10, 2: 20, 3: 30, 4: 35},
    )
    assert p.value == D(95) and p.percent == D("95.00")


def test_last_value_follows_the_trend_of_the_gap_to_the_plans_path():
    # Path 70/75/80/85; 68 then 71: gaps -2 and -4, widening by 2 a quarter, so the fourth
    # quarter is projected at 85 - 4 - 2 x 2 = 77: 77 / 85 = 90.59 %.
    p = run(
        polarity=HIGHER,
        aggregation=LAST,
        target=TargetSpec(value=D(85)),
        sub_targets=values(70, 75, 80, 85),
        realised={1: 68, 2: 71},
    )
    assert p.method == Method.TREND and p.basis == Basis.SUB_PERIOD_TARGETS
    assert p.value == D(77) and p.percent == D("90.59")
    assert [s.projected for s in p.steps[2:]] == [D(74), D(77)]
    assert not at_risk(p, D(90))
    # 68 then 70: gaps -2 and -5, so 85 - 5 - 3 x 2 = 74: 87.06 %, at risk.
    worse = run(
        polarity=HIGHER,
        aggregation=LAST,
        target=TargetSpec(value=D(85)),
        sub_targets=values(70, 75, 80, 85),
        realised={1: 68, 2: 70},
    )
    assert worse.value == D(74) and worse.percent == D("87.06")
    assert at_risk(worse, D(90))


def test_last_value_with_a_baseline_follows_the_action_plan_to_the_target():
    # Baseline 60, target 80, weights 25 a quarter: the path 65/70/75/80; 64 in Q1 is 1 below
    # the path, held to the end: 79, 98.75 %.
    p = run(
        polarity=HIGHER,
        aggregation=LAST,
        target=TargetSpec(value=D(80)),
        baseline=D(60),
        weights={n: D(25) for n in Q},
        realised={1: 64},
    )
    assert p.basis == Basis.BASELINE_PATH
    assert [s.planned for s in p.steps] == [D(65), D(70), D(75), D(80)]
    assert p.value == D(79) and p.percent == D("98.75")


def test_average_carries_the_mean_gap_on_the_remaining_targets():
    # Targets 80/80/90/90 (85 for the year); 70 and 72 are 10 and 8 below: a mean gap of -9,
    # so 81 and 81 are projected: (70 + 72 + 81 + 81) / 4 = 76, 89.41 %.
    p = run(
        polarity=HIGHER,
        aggregation=AVG,
        target=TargetSpec(value=D(85)),
        sub_targets=values(80, 80, 90, 90),
        realised={1: 70, 2: 72},
    )
    assert p.method == Method.MEAN
    assert p.value == D(76) and p.percent == D("89.41")
    assert at_risk(p, D(90))


def test_average_without_sub_period_targets_is_the_mean_so_far():
    p = run(
        polarity=HIGHER, aggregation=AVG, target=TargetSpec(value=D(85)), realised={1: 80, 3: 86}
    )
    assert p.basis == Basis.YEAR_TARGET
    assert p.value == D(83) and p.percent == D("97.65")


def test_lower_is_better_last_value():
    # Open unemployment 6.0/5.8/5.6/5.5 %; 6.2 then 6.2: gaps 0.2 and 0.4, so 5.5 + 0.4 + 0.2 x
    # 2 = 6.3 at the year's end: 2 - 6.3 / 5.5 = 85.45 %, at risk.
    p = run(
        polarity=LOWER,
        aggregation=LAST,
        target=TargetSpec(value=D("5.5")),
        sub_targets=values("6.0", "5.8", "5.6", "5.5"),
        realised={1: "6.2", 2: "6.2"},
    )
    assert p.value == D("6.3") and p.percent == D("85.45")
    assert at_risk(p, D(90))


def test_a_projection_never_goes_below_zero_for_a_quantity_never_below_zero():
    # Path 2 all year; 4 then 1: gaps 2 and -1, so -5 at the end, kept at 0 (lower is better:
    # 2 - 0 / 2 = 200 %, the cap 120).
    p = run(polarity=LOWER, aggregation=LAST, target=TargetSpec(value=D(2)), realised={1: 4, 2: 1})
    assert p.value == D(0) and p.percent == D("120.00")


def test_a_range_is_rated_against_the_nearer_bound():
    # Lower is better, [7, 8] months each quarter (midpoint 7.5); 8.5 and 9: a mean gap of 1.25,
    # so 8.75 and 8.75 projected; the year 8.75, above the range: 2 - 8.75 / 8 = 90.63 %.
    p = run(
        polarity=LOWER,
        aggregation=AVG,
        target=TargetSpec(low=D(7), high=D(8)),
        sub_targets={n: TargetSpec(low=D(7), high=D(8)) for n in Q},
        realised={1: "8.5", 2: 9},
    )
    assert p.value == D("8.75") and p.percent == D("90.63")
    assert p.result.against == D(8)
    assert not at_risk(p, D(90))


def test_no_realisation_yet_is_not_projectable_never_zero():
    p = run(
        polarity=HIGHER,
        aggregation=CUM,
        target=TargetSpec(value=D(100)),
        sub_targets=values(10, 20, 30, 40),
    )
    assert not p.projectable and p.reason == NotProjectable.NO_REALISATION
    assert p.percent is None and p.value is None
    assert not at_risk(p, D(90))
    assert status(p, D(90), ()) == Status.NOT_PROJECTABLE
    assert status(p, D(90), (1,)) == Status.SILENT


def test_qualitative_and_zero_target_rated_are_not_projectable():
    q = run(polarity=HIGHER, aggregation=LAST, target=TargetSpec(qualitative=True))
    assert q.reason == NotProjectable.QUALITATIVE
    z = run(
        polarity=LOWER,
        aggregation=LAST,
        target=TargetSpec(value=D(0)),
        zero_rule="evaluator",
        realised={1: 1},
    )
    assert z.reason == NotProjectable.ZERO_TARGET_RATED and z.percent is None


@pytest.mark.parametrize(
    ("realised", "percent", "flagged"), [("22.4975", "89.99", True), ("22.5", "90.00", False)]
)
def test_the_threshold_flags_89_99_and_not_90_00(realised, percent, flagged):
    p = run(
        polarity=HIGHER, aggregation=CUM, target=TargetSpec(value=D(100)), realised={1: realised}
    )
    assert p.percent == D(percent)
    assert at_risk(p, D(90)) is flagged
    assert (status(p, D(90), ()) == Status.AT_RISK) is flagged


def test_silent_names_the_due_sub_periods_without_a_report():
    assert silent((1, 2), {2}) == (1,)
    assert silent((1, 2), {1, 2}) == ()
    p = run(polarity=HIGHER, aggregation=CUM, target=TargetSpec(value=D(100)), realised={2: 50})
    # Q2 at 50 of an even 25: on track (120 %), but Q1 was never reported: silent.
    assert status(p, D(90), silent((1,), {2})) == Status.SILENT
