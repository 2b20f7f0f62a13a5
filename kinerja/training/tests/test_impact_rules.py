"""The results level's rules with concrete numbers (pure functions, no database)."""

import datetime as dt
from decimal import Decimal as D

from kinerja.training import impact_rules as rules
from kinerja.training.impact_rules import Figure, LinkedFigure

POLICY = rules.ImpactPolicy(
    valid_from=dt.date(2020, 1, 1),
    trend_years=2,
    trend_method="mean",
    untreated_minimum=3,
    default_sub_periods=4,
)
LINEAR = rules.ImpactPolicy(
    valid_from=dt.date(2020, 1, 1),
    trend_years=2,
    trend_method="linear",
    untreated_minimum=3,
    default_sub_periods=4,
)


def test_the_policy_file_gives_two_years_mean_and_three_untreated():
    policy = rules.impact_policy(2023)
    assert (policy.trend_years, policy.trend_method, policy.untreated_minimum) == (2, "mean", 3)
    assert policy.default_sub_periods == 4
    assert rules.impact_policy(1990) == policy  # before the first version: the first


def test_the_latest_quarter_counts_until_the_year_is_complete():
    # Q1 to Q3 verified; the year row is year to date (maintained from Q1 on): provisional.
    rows = {0: D("101.00"), 1: D("90.00"), 2: D("97.50"), 3: D("101.00")}
    assert rules.current_figure(rows, 4) == Figure(D("101.00"), 3, False)
    # The fourth quarter is in: the year's figure, final.
    rows[4] = D("104.00")
    rows[0] = D("105.00")
    assert rules.current_figure(rows, 4) == Figure(D("105.00"), 0, True)
    # Monthly sub-periods: month 4 is not the end of the year.
    assert rules.current_figure(rows, 12) == Figure(D("104.00"), 4, False)


def test_a_quarter_without_a_figure_is_skipped_and_no_figure_is_none():
    # A cumulative target without quarterly targets has rows without a percent.
    assert rules.current_figure({0: D("40"), 1: D("80"), 2: None}, 4) == Figure(D("80"), 1, False)
    assert rules.current_figure({0: None, 1: None}, 4) is None
    assert rules.current_figure({}, 4) is None
    # The year's row without a figure (no realisation counted) is no final figure.
    assert rules.current_figure({0: None, 4: D("90")}, 4) == Figure(D("90"), 4, False)


def test_linked_105_against_unlinked_95_is_ten_points():
    linked = [LinkedFigure(Figure(D("105"), 0, True), None)]
    unlinked = [Figure(D("90"), 0, True), Figure(D("100"), 0, True)]
    result = rules.participant_result(linked, unlinked)
    assert result["linked"] == D("105.00")
    assert result["unlinked"] == D("95.00")
    assert result["vs_unlinked"] == D("10.00")
    assert (result["linked_n"], result["unlinked_n"]) == (1, 2)
    assert result["vs_trend"] is None and result["trend_n"] == 0
    assert result["overall"] == D("98.33")  # (105 + 90 + 100) / 3
    assert result["provisional"] is False


def test_linked_against_the_trend_of_2021_and_2022():
    history = {2021: D("90"), 2022: D("94"), 2019: D("10")}  # 2019: out of the two years
    assert rules.trend(history, year=2023, policy=POLICY) == D("92")
    # The least-squares line through (2021, 90) and (2022, 94), carried to 2023: 98.
    assert rules.trend(history, year=2023, policy=LINEAR) == D("98")
    # A year after the results year never counts; none earlier: no trend.
    assert rules.trend({2023: D("80"), 2024: D("70")}, year=2023, policy=POLICY) is None
    # One earlier year is its own trend, whatever the method.
    assert rules.trend({2022: D("94")}, year=2023, policy=LINEAR) == D("94")

    linked = [
        LinkedFigure(Figure(D("105"), 0, True), D("92")),
        LinkedFigure(Figure(D("80"), 0, True), None),  # a new indicator: no trend
    ]
    result = rules.participant_result(linked, [])
    assert result["linked"] == D("92.50")
    assert result["trend"] == D("92.00")
    assert result["vs_trend"] == D("13.00")  # 105 - 92, the target with a trend only
    assert result["trend_n"] == 1
    assert result["vs_unlinked"] is None


def test_a_provisional_figure_marks_the_participant_provisional():
    linked = [LinkedFigure(Figure(D("105"), 3, False), None)]
    result = rules.participant_result(linked, [Figure(D("95"), 0, True)])
    assert result["vs_unlinked"] == D("10.00")
    assert result["provisional"] is True
    # Linked targets without any figure: nothing counted is provisional too.
    assert rules.participant_result([LinkedFigure(None, None)], [])["provisional"] is True


def test_an_skp_result_is_the_mean_of_its_indicators_final_only_when_all_are():
    both = rules.combined_figure([Figure(D("100"), 0, True), Figure(D("90"), 0, True)])
    assert both == Figure(D("95"), 0, True)
    mixed = rules.combined_figure([Figure(D("100"), 0, True), Figure(D("91"), 2, False)])
    assert mixed == Figure(D("95.5"), 2, False)
    missing = rules.combined_figure([Figure(D("100"), 0, True), None])
    assert missing == Figure(D("100"), 0, False)
    assert rules.combined_figure([None]) is None


def test_means_round_half_up_once_and_differences_come_from_exact_means():
    assert rules.mean([D("100"), D("100.01"), D("100")]) == D("100.00")  # 100.0033
    assert rules.mean([D("0.005")]) == D("0.01")
    linked = [LinkedFigure(Figure(D("100.005"), 0, True), None)]
    result = rules.participant_result(linked, [Figure(D("90.004"), 0, True)])
    assert result["vs_unlinked"] == D("10.00")  # 10.001, not 100.01 - 90.00
    assert rules.mean_difference([D("10"), None, D("-4")]) == {"mean": D("3.00"), "n": 2}


def test_the_untreated_group_is_compared_when_it_exists():
    treated = [D("100"), D("104"), None]
    # All attended (the 2023 refreshment): no untreated group.
    none = rules.group_comparison(treated, [], untreated_total=0, policy=POLICY)
    assert none["state"] == rules.NO_UNTREATED
    assert (none["treated"], none["treated_n"], none["difference"]) == (D("102.00"), 2, None)
    # Two heads stayed away: too few to show their mean.
    few = rules.group_comparison(treated, [D("90"), D("96")], untreated_total=2, policy=POLICY)
    assert few["state"] == rules.TOO_FEW and few["untreated"] is None
    # Four stayed away, three with a figure: 102 against 93, +9.
    group = rules.group_comparison(
        treated, [D("90"), D("96"), D("93"), None], untreated_total=4, policy=POLICY
    )
    assert group["state"] == rules.COMPARED
    assert (group["untreated"], group["untreated_n"], group["difference"]) == (
        D("93.00"),
        3,
        D("9.00"),
    )
