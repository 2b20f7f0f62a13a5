"""The cascade health rules with concrete numbers: each rule fires on the data that breaks it
and not on the near miss beside it (docs/analytics-health.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import translation

from kinerja.analytics import health_rules as rules

POLICY = rules.health_policy(2026)
SMART = POLICY["smart"]


def test_the_policy_in_force_is_the_version_of_the_years_first_day():
    assert rules.health_policy(2026)["smart"]["max_fold"] == 3
    # A year before the first version reads the first.
    assert rules.health_policy(2000) == rules.health_policy(2023)


# 1. Cut-off goals ----------------------------------------------------------------------------


def test_an_agency_goal_under_no_regional_goal_is_cut_off_with_what_hangs_below_it():
    goals = [
        (1, None, "mission", None),
        (2, 1, "objective", None),
        (3, 2, "target", None),
        (10, 3, "agency_objective", 7),  # under the RPJMD: fine
        (11, 10, "agency_target", 7),
        (20, None, "agency_objective", 7),  # under nothing
        (21, 20, "agency_target", 7),
        (30, 99, "agency_target", 7),  # its parent is gone
    ]
    assert rules.cut_off_goals(goals) == {20: 20, 21: 20, 30: 30}


# 2. The manual --------------------------------------------------------------------------------

REQUIRED = POLICY["manual"]["required"]
COMPLETE = {
    "measure_unit": "persen",
    "baseline": D("50"),
    "data_source": "Dapodik",
    "producer": "Dinas Pendidikan",
    "unit_id": 4,
}


def test_the_manual_lists_every_missing_field_in_the_policys_order():
    indicator = {**COMPLETE, "baseline": None, "data_source": " ", "producer": ""}
    assert rules.manual_gaps(indicator, has_target=False, required=REQUIRED) == [
        "baseline",
        "target",
        "data_source",
        "producer",
    ]
    assert rules.manual_gaps(COMPLETE, has_target=True, required=REQUIRED) == []


def test_a_baseline_of_zero_is_a_baseline():
    indicator = {**COMPLETE, "baseline": D("0")}
    assert rules.manual_gaps(indicator, has_target=True, required=REQUIRED) == []


def test_an_agencys_indicator_is_produced_by_the_agency_the_provinces_must_name_one():
    agency = {**COMPLETE, "producer": ""}
    province = {**agency, "unit_id": None}
    kw = {"has_target": True, "required": REQUIRED, "producer_defaults_to_agency": True}
    assert rules.manual_gaps(agency, **kw) == []
    assert rules.manual_gaps(province, **kw) == ["producer"]


# 3. Deadlines and due sub-periods -------------------------------------------------------------

QUARTERS = [
    (1, dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    (2, dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
    (3, dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
    (4, dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
]
MONTHS = [
    (m, dt.date(2026, m, 1), (dt.date(2026, m + 1, 1) if m < 12 else dt.date(2027, 1, 1)))
    for m in range(1, 13)
]
MONTHS = [(m, s, e - dt.timedelta(days=1)) for m, s, e in MONTHS]


@pytest.mark.parametrize(
    ("frequency", "subs", "due"),
    [
        ("quarterly", QUARTERS, [1, 2, 3, 4]),
        ("semester", QUARTERS, [2, 4]),
        ("annual", QUARTERS, [4]),
        ("monthly", QUARTERS, [1, 2, 3, 4]),
        ("quarterly", MONTHS, [3, 6, 9, 12]),
        ("monthly", MONTHS, list(range(1, 13))),
    ],
)
def test_the_sub_periods_an_indicator_owes_follow_its_reporting_frequency(frequency, subs, due):
    assert rules.due_sub_periods(frequency, subs) == due


def test_the_deadline_is_the_last_day_plus_the_evaluation_days_plus_grace():
    assert rules.deadline(dt.date(2026, 3, 31), days=10, grace=0) == dt.date(2026, 4, 10)
    assert rules.deadline(dt.date(2026, 3, 31), days=10, grace=5) == dt.date(2026, 4, 15)


# 5. Duplicates --------------------------------------------------------------------------------

DUP = POLICY["duplicate"]


def test_a_typo_is_a_duplicate_a_longer_name_is_not():
    items = [
        (1, "Persentase sekolah terakreditasi", ""),
        (2, "Persentase sekolah terakreditas", ""),  # 98.4
        (3, "Jumlah peserta pelatihan", ""),
        (4, "Jumlah peserta pelatihan teknis", ""),  # 87.3: another measure
    ]
    assert rules.duplicate_pairs(items, policy=DUP) == [(1, 2, "name", 98.4)]


def test_the_name_threshold_is_inclusive():
    items = [
        (1, "Persentase sekolah terakreditasi", ""),
        (2, "Persentase sekolah yang terakreditasi", ""),  # 92.75
    ]
    assert rules.duplicate_pairs(items, policy={**DUP, "name_min_score": 92.75})
    assert not rules.duplicate_pairs(items, policy={**DUP, "name_min_score": 92.76})


def test_a_swapped_code_or_year_names_another_thing():
    items = [
        (1, "Persentase SMA terakreditasi A", ""),  # 96.7 with the next, but SMA is not SMK
        (2, "Persentase SMK terakreditasi A", ""),
        (3, "Capaian target tahun 2025", ""),
        (4, "Capaian target tahun 2026", ""),
    ]
    assert rules.duplicate_pairs(items, policy=DUP) == []


def test_two_names_with_one_definition_are_duplicates():
    definition = "Jumlah satuan pendidikan menengah yang memperoleh akreditasi dibagi jumlahnya"
    items = [
        (5, "Persentase akreditasi SMA", definition),
        (6, "Rasio sekolah menengah bermutu", definition + "."),
        (7, "Rasio guru bersertifikat", "Terlalu pendek"),
    ]
    assert rules.duplicate_pairs(items, policy=DUP) == [(5, 6, "definition", 100.0)]


# 6. SMART-C -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Meningkatnya kualitas pendidikan", "vague"),
        ("Terlaksananya koordinasi perencanaan", "vague"),
        ("Akreditasi", "short"),
        ("Meningkatnya persentase sekolah terakreditasi", None),  # the measure is named
        ("Pertumbuhan ekonomi", None),
        ("Indeks Pembangunan Manusia", None),
    ],
)
def test_specific_a_name_must_say_what_is_measured(name, reason):
    found = rules.vague_name(name, policy=SMART)
    assert (found or {}).get("reason") == reason


def test_measurable_needs_a_unit_a_formula_for_a_derived_unit_and_a_number():
    units = SMART["formula_units"]
    percent = {"measure_unit": "persen", "formula": "", "data_type": "decimal"}
    count = {"measure_unit": "orang", "formula": "", "data_type": "integer"}
    value = {"shape": "value"}
    assert rules.measurable_gaps(percent, value, formula_units=units) == ["formula"]
    assert (
        rules.measurable_gaps({**percent, "formula": "a/b x 100"}, value, formula_units=units) == []
    )
    assert rules.measurable_gaps(count, value, formula_units=units) == []
    assert rules.measurable_gaps(count, {"shape": "qualitative"}, formula_units=units) == [
        "quantitative_target"
    ]
    assert rules.measurable_gaps({**count, "measure_unit": ""}, value, formula_units=units) == [
        "measure_unit"
    ]


def _achievable(target, baseline, polarity="higher_is_better", unit="orang"):
    return rules.unachievable(
        required=D(target),
        baseline=D(baseline),
        polarity=polarity,
        measure_unit=unit,
        policy=SMART,
    )


def test_achievable_three_times_the_baseline_passes_three_point_one_does_not():
    assert _achievable("30", "10") is None  # 3.0x
    found = _achievable("31", "10")  # 3.1x
    assert found == {
        "reason": "fold",
        "target": "31",
        "baseline": "10",
        "fold": "3.1",
        "max": "3",
    }


def test_achievable_lower_is_better_a_third_of_the_baseline_passes_less_does_not():
    assert _achievable("10", "30", "lower_is_better") is None  # 30 / 10 = 3.0
    assert _achievable("9.6", "30", "lower_is_better")["fold"] == "3.13"


def test_achievable_a_percentage_above_100_is_out_of_reach():
    assert _achievable("100", "90", unit="persen") is None
    assert _achievable("100.5", "90", unit="persen")["reason"] == "percent"


def test_achievable_needs_a_positive_baseline_to_compare():
    assert _achievable("500", "0") is None


def test_required_value_of_a_range_is_the_bound_one_must_reach():
    target = {"shape": "range", "value": None, "low": D("60"), "high": D("85")}
    assert rules.required_value(target, "higher_is_better") == D("60")
    assert rules.required_value(target, "lower_is_better") == D("85")
    assert rules.required_value({"shape": "qualitative"}, "higher_is_better") is None


def test_challenging_below_the_baseline_fails_equal_passes():
    kw = {"baseline": D("50"), "polarity": "higher_is_better"}
    assert rules.not_challenging(required=D("50"), **kw) is None
    assert rules.not_challenging(required=D("49.99"), **kw) == {
        "target": "49.99",
        "baseline": "50",
        "polarity": "higher_is_better",
    }
    low = {"baseline": D("5"), "polarity": "lower_is_better"}
    assert rules.not_challenging(required=D("5"), **low) is None
    assert rules.not_challenging(required=D("5.01"), **low)["target"] == "5.01"


def test_time_bound_a_target_and_its_sub_period_values_when_reported_in_the_year():
    assert rules.time_bound_gaps(target=None, reporting_frequency="annual", values=0) == ["target"]
    target = {"shape": "value"}
    assert rules.time_bound_gaps(target=target, reporting_frequency="quarterly", values=0) == [
        "sub_period_values"
    ]
    assert rules.time_bound_gaps(target=target, reporting_frequency="quarterly", values=4) == []
    assert rules.time_bound_gaps(target=target, reporting_frequency="annual", values=0) == []


# 7. Key indicators ----------------------------------------------------------------------------

IKU = POLICY["iku"]


def test_iku_more_than_two_changes_between_two_years_is_too_often():
    sets = [(2023, 2023, ["A", "B", "C"]), (2024, 2026, ["A", "D", "E"])]
    assert rules.iku_changes(sets, year=2026, policy=IKU) == [
        {"year": 2024, "changes": 4, "added": ["D", "E"], "removed": ["B", "C"], "max": 2}
    ]


def test_iku_one_replacement_is_allowed():
    sets = [(2023, 2023, ["A", "B", "C"]), (2024, 2026, ["A", "B", "D"])]  # 2 changes
    assert rules.iku_changes(sets, year=2026, policy=IKU) == []


def test_iku_compares_by_name_so_a_new_row_of_the_same_indicator_is_no_change():
    sets = [(2023, 2023, ["Indeks  Kepuasan", "B"]), (2024, 2026, ["indeks kepuasan", "B"])]
    assert rules.iku_changes(sets, year=2026, policy=IKU) == []


def test_iku_a_new_five_year_plan_starts_afresh():
    sets = [(2019, 2024, ["A", "B", "C"]), (2025, 2029, ["D", "E", "F"])]
    assert rules.iku_changes(sets, year=2026, policy=IKU) == []
    # Without the reset the same change is a finding.
    assert rules.iku_changes(sets, year=2026, policy={**IKU, "new_plan_resets": False})


def test_iku_only_the_lookback_years_are_read():
    sets = [(2018, 2018, ["A", "B", "C"]), (2019, 2019, ["X", "Y", "Z"])]
    assert rules.iku_changes(sets, year=2026, policy=IKU) == []  # 2019 is 8 years back
    assert rules.iku_changes(sets, year=2020, policy=IKU)[0]["year"] == 2019


# Messages -------------------------------------------------------------------------------------


def test_messages_speak_indonesian_by_default_and_english_on_request():
    params = {"subs": [["quarterly", 1, "2026-01-01"]], "deadline": "2026-04-10"}
    text = rules.message("realisation_missing", params)
    assert "Triwulan 1" in text and "10 April 2026" in text
    with translation.override("en"):
        text = rules.message("realisation_missing", params)
        assert text == "No submitted realisation for Quarter 1 (deadline 10 April 2026)."
