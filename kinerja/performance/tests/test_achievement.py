"""Achievement (capaian) per the policy: both polarities, the range shape, the cap, zero."""

import datetime as dt
from decimal import Decimal as D

import pytest

from kinerja.performance.achievement import achievement
from kinerja.performance.choices import Polarity
from kinerja.performance.policy import achievement_rules

HIGHER, LOWER = Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER
CAP = D(120)


@pytest.mark.parametrize(
    ("polarity", "target", "realisation", "expected"),
    [
        (HIGHER, D(80), D(60), D("75.00")),  # 60 / 80
        (HIGHER, D(80), D(92), D("115.00")),
        (HIGHER, D(80), D(100), D("120.00")),  # 125 capped at 120
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
        (HIGHER, D(80), D(90), D(92), D("102.22")),
        (HIGHER, D(80), D(90), D(72), D("90.00")),
        # Lower is better [7, 8] months: below (better) against 7, above (worse) against 8.
        (LOWER, D(7), D(8), D("6.5"), D("107.14")),
        (LOWER, D(7), D(8), D(6), D("114.29")),
        (LOWER, D(7), D(8), D(9), D("87.50")),  # not 112.5: the bug of dividing by high
        (LOWER, D(7), D(8), D(8), D("100.00")),
    ],
)
def test_range_targets(polarity, low, high, realisation, expected):
    got = achievement(realisation=realisation, polarity=polarity, low=low, high=high, cap=CAP)
    assert got == expected


def test_the_cap_of_the_indicator_replaces_the_default():
    assert achievement(realisation=D(150), polarity=HIGHER, target=D(100), cap=D(110)) == D(
        "110.00"
    )
    assert achievement(realisation=D(150), polarity=HIGHER, target=D(100), cap=D(200)) == D(
        "150.00"
    )


def test_zero_target_follows_the_policy_rule():
    rules = achievement_rules(dt.date(2026, 6, 1))
    assert rules.cap == D(120)
    kw = {"cap": rules.cap, "zero_target": rules.zero_target, "target": D(0)}
    assert achievement(realisation=D(0), polarity=LOWER, **kw) == D("100.00")
    assert achievement(realisation=D(3), polarity=LOWER, **kw) == D("0.00")
    assert achievement(realisation=D(0), polarity=HIGHER, **kw) == D("100.00")


def test_a_range_needs_ordered_bounds():
    with pytest.raises(ValueError):
        achievement(realisation=D(1), polarity=HIGHER, low=D(9), high=D(8), cap=CAP)
