"""Achievement (capaian) per the policy: both polarities, the range shape at and beyond each
bound, the cap and the floor, zero targets (the policy's rule and each indicator rule),
qualitative targets, aggregation over sub-periods with and without missing ones, the year's
achievement on both bases, and the rules versioned per period. Pure functions: no database."""

import datetime as dt
from decimal import Decimal as D

import pytest

from kinerja.performance import policy
from kinerja.performance.achievement import (
    AchievementRules,
    Basis,
    Bound,
    NotComputed,
    Outcome,
    TargetSpec,
    ZeroOutcomes,
    achievement,
    aggregate,
    aggregate_targets,
    evaluate,
    year_achievement,
)
from kinerja.performance.choices import Aggregation, Polarity, ZeroTargetRule
from kinerja.performance.policy import (
    achievement_rules,
    achievement_rules_for_year,
    achievement_rules_version,
    achievement_versions,
    rules_in_force,
)

HIGHER, LOWER = Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER
CUMULATIVE, LAST, AVERAGE = Aggregation.CUMULATIVE, Aggregation.LAST_VALUE, Aggregation.AVERAGE
CAP = D(120)
RULES = achievement_rules(dt.date(2023, 6, 1))


def value(v):
    return TargetSpec(value=D(v))


def span(low, high):
    return TargetSpec(low=D(low), high=D(high))


def pct(polarity, target, realisation, **kw):
    return evaluate(
        polarity=polarity, target=target, realisation=D(realisation), rules=RULES, **kw
    ).percent


# One realisation against one target -------------------------------------------------------


@pytest.mark.parametrize(
    ("polarity", "target", "realisation", "expected"),
    [
        (HIGHER, D(80), D(60), D("75.00")),  # 60 / 80
        (HIGHER, D(80), D(92), D("115.00")),
        (HIGHER, D(80), D(100), D("120.00")),  # 125 capped at 120
        (HIGHER, D(3), D(2), D("66.67")),  # 66.666... rounded half up
        (LOWER, D(10), D(8), D("120.00")),  # (2 - 0.8) = 120
        (LOWER, D(10), D("8.5"), D("115.00")),
        (LOWER, D(10), D(12), D("80.00")),  # (2 - 1.2)
        (LOWER, D(10), D(25), D("0.00")),  # (2 - 2.5) = -50, floored at 0
    ],
)
def test_value_targets(polarity, target, realisation, expected):
    got = achievement(realisation=realisation, polarity=polarity, target=target, cap=CAP)
    assert got == expected


@pytest.mark.parametrize(
    ("polarity", "low", "high", "realisation", "expected"),
    [
        # Higher is better [80, 90]: inside 100; above against 90, below against 80.
        (HIGHER, D(80), D(90), D(85), D("100.00")),
        (HIGHER, D(80), D(90), D(80), D("100.00")),  # at the low bound
        (HIGHER, D(80), D(90), D(90), D("100.00")),  # at the high bound
        (HIGHER, D(80), D(90), D(92), D("102.22")),  # 92 / 90 (the regulation's example)
        (HIGHER, D(80), D(90), D(72), D("90.00")),  # 72 / 80
        (HIGHER, D(80), D(90), D(79), D("98.75")),
        # Lower is better [7, 8] months: below (better) against 7, above (worse) against 8.
        (LOWER, D(7), D(8), D("6.5"), D("107.14")),  # (2 - 6.5/7): the regulation's example
        (LOWER, D(7), D(8), D(6), D("114.29")),
        (LOWER, D(7), D(8), D(9), D("87.50")),  # not 112.5: the bug of dividing by high
        (LOWER, D(7), D(8), D(7), D("100.00")),
        (LOWER, D(7), D(8), D(8), D("100.00")),
        (LOWER, D(7), D(8), D(12), D("50.00")),  # (2 - 12/8)
    ],
)
def test_range_targets(polarity, low, high, realisation, expected):
    got = achievement(realisation=realisation, polarity=polarity, low=low, high=high, cap=CAP)
    assert got == expected


def test_a_range_answer_names_the_bound_it_used():
    below = evaluate(polarity=LOWER, target=span(7, 8), realisation=D("6.5"), rules=RULES)
    above = evaluate(polarity=LOWER, target=span(7, 8), realisation=D(9), rules=RULES)
    inside = evaluate(polarity=LOWER, target=span(7, 8), realisation=D("7.5"), rules=RULES)
    assert (below.against, above.against, inside.against) == (D(7), D(8), None)


def test_the_cap_and_the_floor_say_what_they_cut():
    capped = evaluate(polarity=HIGHER, target=value(80), realisation=D(100), rules=RULES)
    assert (capped.percent, capped.unbounded, capped.limited_by) == (
        D("120.00"),
        D("125.00"),
        Bound.CAP,
    )
    floored = evaluate(polarity=LOWER, target=value(10), realisation=D(25), rules=RULES)
    assert (floored.percent, floored.unbounded, floored.limited_by) == (
        D("0.00"),
        D("-50.00"),
        Bound.FLOOR,
    )
    plain = evaluate(polarity=HIGHER, target=value(80), realisation=D(92), rules=RULES)
    assert (plain.percent, plain.unbounded, plain.limited_by) == (D("115.00"), D("115.00"), None)


def test_the_cap_of_the_indicator_replaces_the_default():
    assert achievement(realisation=D(150), polarity=HIGHER, target=D(100), cap=D(110)) == D(
        "110.00"
    )
    assert achievement(realisation=D(150), polarity=HIGHER, target=D(100), cap=D(200)) == D(
        "150.00"
    )
    assert pct(HIGHER, value(100), 150) == D("120.00")  # the policy's 120
    assert pct(HIGHER, value(100), 150, cap=D(130)) == D("130.00")


def test_a_cap_below_100_is_refused():
    with pytest.raises(ValueError, match="below 100"):
        pct(HIGHER, value(100), 150, cap=D(99))


def test_a_range_needs_ordered_bounds_and_a_target_one_shape():
    with pytest.raises(ValueError):
        achievement(realisation=D(1), polarity=HIGHER, low=D(9), high=D(8), cap=CAP)
    with pytest.raises(ValueError):
        TargetSpec(value=D(1), low=D(1), high=D(2))
    with pytest.raises(ValueError):
        TargetSpec(low=D(1))
    with pytest.raises(ValueError):
        TargetSpec(value=D(1), qualitative=True)


def test_an_unknown_polarity_is_refused():
    with pytest.raises(ValueError, match="polarity"):
        evaluate(polarity="sideways", target=value(1), realisation=D(1), rules=RULES)


# Zero targets -----------------------------------------------------------------------------


def test_zero_target_follows_the_policy_rule():
    rules = achievement_rules(dt.date(2026, 6, 1))
    assert rules.cap == D(120)
    assert rules.zero_target[LOWER] == ZeroOutcomes(equal=D(100), better=D(0), worse=D(0))
    kw = {"cap": rules.cap, "zero_target": rules.zero_target, "target": D(0)}
    assert achievement(realisation=D(0), polarity=LOWER, **kw) == D("100.00")
    assert achievement(realisation=D(3), polarity=LOWER, **kw) == D("0.00")
    assert achievement(realisation=D(0), polarity=HIGHER, **kw) == D("100.00")
    assert achievement(realisation=D(5), polarity=HIGHER, **kw) == D("0.00")
    # A policy entry as written in policy.json is read the same way.
    legacy = {LOWER: {"equal": 100, "other": 40}}
    assert achievement(
        realisation=D(3), polarity=LOWER, target=D(0), cap=CAP, zero_target=legacy
    ) == D("40.00")


@pytest.mark.parametrize(
    ("rule", "polarity", "realisation", "expected"),
    [
        # exact: only a realisation of 0 counts.
        (ZeroTargetRule.EXACT, HIGHER, 0, D("100.00")),
        (ZeroTargetRule.EXACT, HIGHER, 5, D("0.00")),
        (ZeroTargetRule.EXACT, LOWER, -1, D("0.00")),
        # not_worse: 0 or better is full achievement (zero findings, or fewer).
        (ZeroTargetRule.NOT_WORSE, HIGHER, 5, D("100.00")),
        (ZeroTargetRule.NOT_WORSE, HIGHER, -1, D("0.00")),
        (ZeroTargetRule.NOT_WORSE, LOWER, 0, D("100.00")),
        (ZeroTargetRule.NOT_WORSE, LOWER, -2, D("100.00")),
        (ZeroTargetRule.NOT_WORSE, LOWER, 3, D("0.00")),
        # better_capped: better than 0 earns the cap.
        (ZeroTargetRule.BETTER_CAPPED, HIGHER, 5, D("120.00")),
        (ZeroTargetRule.BETTER_CAPPED, LOWER, -1, D("120.00")),
        (ZeroTargetRule.BETTER_CAPPED, LOWER, 0, D("100.00")),
        (ZeroTargetRule.BETTER_CAPPED, LOWER, 1, D("0.00")),
    ],
)
def test_an_indicator_zero_target_rule_replaces_the_policy(rule, polarity, realisation, expected):
    assert pct(polarity, value(0), realisation, zero_rule=rule) == expected


def test_better_capped_earns_the_indicator_cap_and_floor_rules_read_the_policy_floor():
    assert pct(HIGHER, value(0), 5, zero_rule=ZeroTargetRule.BETTER_CAPPED, cap=D(150)) == D(
        "150.00"
    )
    rules = AchievementRules(cap=D(120), floor=D(10), zero_target=RULES.zero_target)
    result = evaluate(
        polarity=HIGHER,
        target=value(0),
        realisation=D(5),
        rules=rules,
        zero_rule=ZeroTargetRule.EXACT,
    )
    assert result.percent == D("10.00")
    assert result.zero_target


def test_a_zero_target_left_to_the_evaluator_is_not_computed():
    result = evaluate(
        polarity=LOWER,
        target=value(0),
        realisation=D(2),
        rules=RULES,
        zero_rule=ZeroTargetRule.EVALUATOR,
    )
    assert result.outcome == Outcome.NOT_COMPUTED
    assert result.reason == NotComputed.ZERO_TARGET_RATED
    assert result.percent is None
    # A target other than 0 is computed whatever the zero-target rule.
    assert pct(LOWER, value(4), 2, zero_rule=ZeroTargetRule.EVALUATOR) == D("120.00")  # 150 capped


def test_a_range_with_a_bound_at_zero_uses_the_zero_rule_on_that_side_only():
    # Lower is better [0, 2] (e.g. findings): below 0 meets the zero rule, above 2 the formula.
    assert pct(LOWER, span(0, 2), 3) == D("50.00")  # (2 - 3/2)
    assert pct(LOWER, span(0, 2), 1) == D("100.00")
    assert pct(LOWER, span(0, 2), -1) == D("0.00")  # the policy's "other"
    assert pct(LOWER, span(0, 2), -1, zero_rule=ZeroTargetRule.NOT_WORSE) == D("100.00")


# Qualitative and missing ------------------------------------------------------------------


def test_a_qualitative_target_is_rated_not_computed():
    result = evaluate(
        polarity=HIGHER, target=TargetSpec(qualitative=True), realisation=D(5), rules=RULES
    )
    assert (result.outcome, result.reason, result.percent) == (
        Outcome.NOT_COMPUTED,
        NotComputed.QUALITATIVE,
        None,
    )
    assert not result.computed


def test_no_realisation_is_not_computed():
    result = evaluate(polarity=HIGHER, target=value(10), realisation=None, rules=RULES)
    assert (result.outcome, result.reason) == (Outcome.NOT_COMPUTED, NotComputed.NO_REALISATION)


# Aggregation over sub-periods ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "how", "expected"),
    [
        ([D(10), D(20), D(30), D(15)], CUMULATIVE, D(75)),
        ([D(10), D(20), None, D(15)], CUMULATIVE, D(45)),  # not reported adds nothing
        ([D(10), D(20), D(30), D(15)], LAST, D(15)),
        ([D(10), D(20), D(30), None], LAST, D(30)),  # the latest reported
        ([D(10), D(20), D(30), D(20)], AVERAGE, D(20)),
        ([D(10), D(20), D(30), D(15)], AVERAGE, D("18.75")),
        ([D(10), D(20), D(30), None], CUMULATIVE, D(60)),
        ([D(10), D(20), D(30), None], AVERAGE, D(20)),
        ([D(10), D(20), None, D(15)], AVERAGE, D(15)),  # 45 / 3 reported, not 45 / 4
        ([D("-1.5"), D("0.5")], CUMULATIVE, D(-1)),
        ([None, None], CUMULATIVE, None),
        ([None, None], AVERAGE, None),
    ],
)
def test_aggregate(values, how, expected):
    assert aggregate(values, how) == expected


def test_an_average_keeps_its_precision_until_the_formula():
    third = aggregate([D(1), D(1), D(2)], AVERAGE)
    assert third.quantize(D("0.0001")) == D("1.3333")
    assert pct(HIGHER, value(1), third) == D("120.00")  # 133.33 capped
    assert pct(HIGHER, value(2), third) == D("66.67")


def test_aggregate_refuses_an_unknown_aggregation():
    with pytest.raises(ValueError, match="aggregation"):
        aggregate([D(1)], "median")


def test_aggregate_targets_by_shape():
    assert aggregate_targets([value(25)] * 4, CUMULATIVE) == value(100)
    assert aggregate_targets([span(7, 8), span(6, 8)], CUMULATIVE) == span(13, 16)
    assert aggregate_targets([span(7, 8), span(6, 9)], AVERAGE) == span("6.5", "8.5")
    assert aggregate_targets([span(7, 8), span(6, 9)], LAST) == span(6, 9)
    assert aggregate_targets([TargetSpec(qualitative=True)] * 2, LAST).qualitative
    with pytest.raises(ValueError, match="one shape"):
        aggregate_targets([value(1), span(1, 2)], LAST)


# The year's achievement ---------------------------------------------------------------------


def year(polarity, how, realisations, targets=None, target=None, **kw):
    return year_achievement(
        polarity=polarity,
        aggregation=how,
        realisations=[None if r is None else D(r) for r in realisations],
        sub_period_targets=targets,
        target=target,
        rules=RULES,
        **kw,
    )


def test_a_cumulative_year_sums_targets_and_realisations_then_applies_the_formula():
    got = year(HIGHER, CUMULATIVE, [30, 20, 25, 30], [value(25)] * 4)
    assert (got.target, got.realisation, got.result.percent) == (value(100), D(105), D("105.00"))
    assert got.complete and got.missing == () and got.reported == (1, 2, 3, 4)
    assert [s.result.percent for s in got.sub_periods] == [
        D("120.00"),
        D("80.00"),
        D("100.00"),
        D("120.00"),
    ]


def test_a_missing_sub_period_counts_against_the_year_but_not_to_date():
    realisations = [30, 20, 25, None]
    on_year = year(HIGHER, CUMULATIVE, realisations, [value(25)] * 4)
    assert (on_year.target, on_year.realisation, on_year.result.percent) == (
        value(100),
        D(75),
        D("75.00"),
    )
    assert on_year.missing == (4,) and not on_year.complete
    assert on_year.sub_periods[3].result.reason == NotComputed.NO_REALISATION
    to_date = year(HIGHER, CUMULATIVE, realisations, [value(25)] * 4, basis=Basis.TO_DATE)
    assert (to_date.target, to_date.result.percent) == (value(75), D("100.00"))


def test_a_last_value_year_reads_the_latest_reported_quarter():
    # An unemployment rate, lower is better, quarterly targets falling to 5.5.
    targets = [value("6.0"), value("5.8"), value("5.6"), value("5.5")]
    on_year = year(LOWER, LAST, ["6.1", "5.7", "5.4", None], targets)
    assert (on_year.target, on_year.realisation) == (value("5.5"), D("5.4"))
    assert on_year.result.percent == D("101.82")  # (2 - 5.4/5.5)
    to_date = year(LOWER, LAST, ["6.1", "5.7", "5.4", None], targets, basis="to_date")
    assert to_date.target == value("5.6")
    assert to_date.result.percent == D("103.57")  # (2 - 5.4/5.6)
    assert [s.result.percent for s in on_year.sub_periods[:3]] == [
        D("98.33"),  # (2 - 6.1/6.0)
        D("101.72"),  # (2 - 5.7/5.8)
        D("103.57"),
    ]


def test_an_average_year_divides_by_the_quarters_reported():
    targets = [value(80), value(80), value(90), value(90)]
    on_year = year(HIGHER, AVERAGE, [78, 82, None, 95], targets)
    assert (on_year.target, on_year.realisation, on_year.result.percent) == (
        value(85),
        D(85),
        D("100.00"),
    )
    to_date = year(HIGHER, AVERAGE, [78, 82, None, 95], targets, basis=Basis.TO_DATE)
    assert to_date.result.percent == D("102.00")  # 85 / ((80 + 80 + 90) / 3)


def test_a_year_target_with_sub_period_realisations():
    got = year(HIGHER, CUMULATIVE, [20, 30, 25, 30], target=value(100))
    assert (got.realisation, got.result.percent, got.sub_periods) == (D(105), D("105.00"), ())
    with pytest.raises(ValueError, match="to date"):
        year(HIGHER, CUMULATIVE, [20, 30], target=value(100), basis=Basis.TO_DATE)


def test_a_range_year_aggregates_both_bounds():
    got = year(LOWER, AVERAGE, ["6.5", 9, "7.5", 8], [span(7, 8)] * 4)
    assert (got.target, got.realisation, got.result.percent) == (span(7, 8), D("7.75"), D(100))
    assert [s.result.percent for s in got.sub_periods] == [
        D("107.14"),
        D("87.50"),
        D("100.00"),
        D("100.00"),
    ]
    cumulative = year(LOWER, CUMULATIVE, [8, 9], [span(7, 8)] * 2)
    assert cumulative.target == span(14, 16)
    assert cumulative.result.percent == D("93.75")  # 17 above 16: (2 - 17/16)


def test_a_qualitative_year_and_an_empty_year_are_not_computed():
    qualitative = year(HIGHER, LAST, [None, None], [TargetSpec(qualitative=True)] * 2)
    assert qualitative.result.reason == NotComputed.QUALITATIVE
    empty = year(HIGHER, CUMULATIVE, [None] * 4, [value(25)] * 4)
    assert empty.result.reason == NotComputed.NO_REALISATION
    assert empty.missing == (1, 2, 3, 4) and empty.target == value(100)


def test_a_year_refuses_inconsistent_input():
    with pytest.raises(ValueError, match="one target per sub-period"):
        year(HIGHER, CUMULATIVE, [1, 2, 3], [value(1)] * 2)
    with pytest.raises(ValueError, match="either"):
        year(HIGHER, CUMULATIVE, [1], [value(1)], target=value(1))
    with pytest.raises(ValueError, match="aggregation"):
        year(HIGHER, "median", [1], [value(1)])


def test_the_year_uses_the_indicator_cap_and_zero_rule():
    got = year(HIGHER, CUMULATIVE, [60, 80], [value(50)] * 2, cap=D(150))
    assert got.result.percent == D("140.00")
    zero = year(LOWER, CUMULATIVE, [0, 0], [value(0)] * 2, zero_rule=ZeroTargetRule.EVALUATOR)
    assert zero.result.reason == NotComputed.ZERO_TARGET_RATED


# Versions of the rules --------------------------------------------------------------------

FILE_2023 = {
    "achievement": {
        "cap_percent": 120,
        "floor_percent": 0,
        "zero_target": {
            "higher_is_better": {"equal": 100, "other": 0},
            "lower_is_better": {"equal": 100, "other": 0},
        },
    }
}
LATER = {
    "achievement": {
        "cap_percent": 150,
        "floor_percent": 0,
        "zero_target": {
            "higher_is_better": {"equal": 100, "better": "cap", "worse": 0},
            "lower_is_better": {"equal": 100, "other": 50},
        },
    }
}


def _with_2025(valid_from=dt.date(2025, 1, 1)):
    return ((dt.date(2023, 1, 1), FILE_2023), (valid_from, LATER))


def test_the_2023_policy_file_holds_the_default_rules():
    assert dt.date(2023, 1, 1) in achievement_versions()
    assert list(achievement_versions()) == sorted(achievement_versions())
    rules = achievement_rules_version(dt.date(2023, 1, 1))
    assert (rules.cap, rules.floor, rules.valid_from) == (D(120), D(0), dt.date(2023, 1, 1))
    assert achievement_rules_version(dt.date(2023, 1, 2)) is None


def test_a_version_from_2025_does_not_change_a_2023_computation():
    versions = _with_2025()
    r2023 = rules_in_force(versions, dt.date(2023, 1, 1))
    r2024 = rules_in_force(versions, dt.date(2024, 12, 31))
    r2025 = rules_in_force(versions, dt.date(2025, 1, 1))
    assert (r2023.valid_from, r2024.valid_from, r2025.valid_from) == (
        dt.date(2023, 1, 1),
        dt.date(2023, 1, 1),
        dt.date(2025, 1, 1),
    )

    def both(**kw):
        return [evaluate(rules=rules, **kw).percent for rules in (r2023, r2025)]

    assert both(polarity=HIGHER, target=value(100), realisation=D(140)) == [
        D("120.00"),
        D("140.00"),
    ]
    assert both(polarity=LOWER, target=value(0), realisation=D(3)) == [D("0.00"), D("50.00")]
    assert both(polarity=HIGHER, target=value(0), realisation=D(3)) == [D("0.00"), D("150.00")]
    # A day before the first version reads the first.
    assert rules_in_force(versions, dt.date(2020, 1, 1)).cap == D(120)


def test_a_period_keeps_the_rules_in_force_on_its_first_day(monkeypatch):
    monkeypatch.setattr(policy, "_versions", lambda name: _with_2025(dt.date(2025, 7, 1)))
    assert achievement_rules_for_year(2023).cap == D(120)
    # A version starting mid-2025 applies from the 2026 period on.
    assert achievement_rules_for_year(2025).cap == D(120)
    assert achievement_rules(dt.date(2025, 7, 1)).cap == D(150)
    assert achievement_rules_for_year(2026).cap == D(150)
    assert achievement_versions() == (dt.date(2023, 1, 1), dt.date(2025, 7, 1))
    assert achievement_rules_version(dt.date(2025, 7, 1)).cap == D(150)
    rules = achievement_rules_for_year(2023)
    assert (
        pct(HIGHER, value(100), 140)
        == evaluate(polarity=HIGHER, target=value(100), realisation=D(140), rules=rules).percent
    )
