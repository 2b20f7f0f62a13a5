"""The evaluation rules (pure functions of the policy): every cell of the predikat matrix, each
threshold of the suggested rating at its boundary, the annual combination of plans."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from kinerja.performance.evaluation_rules import (
    EvaluationRules,
    combine_percents,
    combine_ratings,
    evaluation_rules,
    evaluation_rules_for_year,
    predikat,
    suggested_rating,
)

RULES = evaluation_rules_for_year(2023)
ABOVE, AS, BELOW = "above_expectation", "as_expected", "below_expectation"


@pytest.mark.parametrize(
    ("results", "behaviour", "expected"),
    [
        (ABOVE, BELOW, "kurang"),
        (ABOVE, AS, "baik"),
        (ABOVE, ABOVE, "sangat_baik"),
        (AS, BELOW, "kurang"),
        (AS, AS, "baik"),
        (AS, ABOVE, "baik"),
        (BELOW, BELOW, "sangat_kurang"),
        (BELOW, AS, "butuh_perbaikan"),
        (BELOW, ABOVE, "butuh_perbaikan"),
    ],
)
def test_every_cell_of_the_predikat_matrix(results, behaviour, expected):
    assert predikat(RULES, results, behaviour) == expected


def test_the_matrix_has_nine_cells_and_refuses_an_unknown_rating():
    assert sum(len(row) for row in RULES.matrix.values()) == 9
    with pytest.raises(ValueError):
        predikat(RULES, "excellent", AS)


@pytest.mark.parametrize(
    ("percent", "expected"),
    [
        ("0", BELOW),
        ("79.99", BELOW),
        ("80", AS),  # the lower threshold belongs to "as expected"
        ("100", AS),
        ("110", AS),  # the upper threshold too
        ("110.01", ABOVE),
        ("120", ABOVE),
    ],
)
def test_the_suggested_rating_at_each_threshold(percent, expected):
    assert (RULES.below_under, RULES.above_over) == (Decimal(80), Decimal(110))
    assert suggested_rating(RULES, Decimal(percent)) == expected


def test_no_percent_no_suggestion():
    assert suggested_rating(RULES, None) is None


def test_a_day_before_the_first_version_reads_the_first():
    assert evaluation_rules(dt.date(2020, 6, 1)) == RULES


def test_annual_combination_weighs_each_plan_by_its_days():
    # Jan-Jun 2023 (181 days) at 90 %, Jul-Dec (184 days) at 120 %:
    # (90 x 181 + 120 x 184) / 365 = 38370 / 365 = 105.12...
    assert combine_percents(RULES, [(Decimal(90), 181), (Decimal(120), 184)]) == Decimal("105.12")
    # Equal weights (the other policy setting): (90 + 120) / 2 = 105.
    equal = dataclasses.replace(RULES, annual_weighting="equal")
    assert combine_percents(equal, [(Decimal(90), 181), (Decimal(120), 184)]) == Decimal("105.00")
    # A plan without a percent is left out; none at all gives none.
    assert combine_percents(RULES, [(None, 100), (Decimal(75), 265)]) == Decimal("75.00")
    assert combine_percents(RULES, [(None, 100)]) is None
    with pytest.raises(ValueError):
        combine_percents(RULES, [(Decimal(90), 0)])


def test_annual_combination_of_ratings_by_score_and_days():
    # 31 days above (3) and 334 days below (1): (93 + 334) / 365 = 1.17 -> below.
    assert combine_ratings(RULES, [(ABOVE, 31), (BELOW, 334)]) == BELOW
    # 200 days above, 165 days below: (600 + 165) / 365 = 2.10 -> as expected.
    assert combine_ratings(RULES, [(ABOVE, 200), (BELOW, 165)]) == AS
    # 3 days above and 1 day as expected: (9 + 2) / 4 = 2.75 -> above.
    assert combine_ratings(RULES, [(ABOVE, 3), (AS, 1)]) == ABOVE
    # Exactly half way (2.5) rounds up: 1 day above, 1 day as expected.
    assert combine_ratings(RULES, [(ABOVE, 1), (AS, 1)]) == ABOVE
    assert combine_ratings(RULES, []) is None


def test_bad_policy_data_is_refused():
    good = {
        "ratings": [ABOVE, AS, BELOW],
        "predikat_matrix": {r: dict(row) for r, row in RULES.matrix.items()},
        "suggestion": {"above_when_over_percent": 110, "below_when_under_percent": 80},
        "annual_weighting": "days",
    }
    assert EvaluationRules.from_policy(good) == RULES
    missing = {**good, "predikat_matrix": {**good["predikat_matrix"], AS: {ABOVE: "baik"}}}
    with pytest.raises(ValueError):
        EvaluationRules.from_policy(missing)
    with pytest.raises(ValueError):
        EvaluationRules.from_policy(
            {**good, "suggestion": {"above_when_over_percent": 70, "below_when_under_percent": 80}}
        )
    with pytest.raises(ValueError):
        EvaluationRules.from_policy({**good, "annual_weighting": "months"})
