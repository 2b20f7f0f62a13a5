"""The consequence rules with numbers: credit points periodic and annual (the worked 2.08 and
18.75, every predikat, every level, the rounding), the level read from a title, the months a
plan covers, and the TPP performance component; the policy checks on load."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kinerja.performance import consequence_rules as cr
from kinerja.performance.policy import policy_on

D = Decimal
RULES = cr.credit_rules_for_year(2023)
TPP = cr.tpp_rules_for_year(2023)


def level(code):
    return RULES.level(code)


def test_the_worked_examples():
    # 2 months of an Ahli Pertama rated baik: 2/12 x 100 % x 12.5 = 2.0833... -> 2.08.
    assert cr.credit_points(RULES, "baik", level("ahli_pertama"), 2) == D("2.08")
    # A year of sangat baik: 12/12 x 150 % x 12.5 = 18.75.
    assert cr.credit_points(RULES, "sangat_baik", level("ahli_pertama"), 12) == D("18.75")


@pytest.mark.parametrize(
    ("predikat", "annual"),
    [
        ("sangat_baik", D("18.75")),
        ("baik", D("12.50")),
        ("butuh_perbaikan", D("9.38")),  # 9.375: half up
        ("kurang", D("6.25")),
        ("sangat_kurang", D("3.13")),  # 3.125: half up
    ],
)
def test_every_predikat_for_an_ahli_pertama_year(predikat, annual):
    assert cr.credit_points(RULES, predikat, level("ahli_pertama"), 12) == annual


@pytest.mark.parametrize(
    ("code", "coefficient", "baik_year", "quarter_sangat_baik"),
    [
        ("ahli_pertama", D("12.5"), D("12.50"), D("4.69")),  # 3/12 x 1.5 x 12.5 = 4.6875
        ("ahli_muda", D("25"), D("25.00"), D("9.38")),  # 9.375
        ("ahli_madya", D("37.5"), D("37.50"), D("14.06")),  # 14.0625
        ("ahli_utama", D("50"), D("50.00"), D("18.75")),
        ("pemula", D("3.75"), D("3.75"), D("1.41")),  # 1.40625
        ("terampil", D("5"), D("5.00"), D("1.88")),  # 1.875
        ("mahir", D("12.5"), D("12.50"), D("4.69")),
        ("penyelia", D("25"), D("25.00"), D("9.38")),
    ],
)
def test_every_level(code, coefficient, baik_year, quarter_sangat_baik):
    assert level(code).coefficient == coefficient
    assert cr.credit_points(RULES, "baik", level(code), 12) == baik_year
    assert cr.credit_points(RULES, "sangat_baik", level(code), 3) == quarter_sangat_baik


def test_rounding_is_once_at_the_end():
    # 1/12 x 100 % x 12.5 = 1.041666... -> 1.04; rounding 1/12 first (0.08) would give 1.00.
    assert cr.credit_points(RULES, "baik", level("ahli_pertama"), 1) == D("1.04")
    # 5/12 x 75 % x 37.5 = 11.71875 -> 11.72.
    assert cr.credit_points(RULES, "butuh_perbaikan", level("ahli_madya"), 5) == D("11.72")
    assert cr.credit_points(RULES, "sangat_baik", level("ahli_utama"), 0) == D("0.00")
    with pytest.raises(ValueError):
        cr.credit_points(RULES, "baik", level("ahli_pertama"), 13)
    with pytest.raises(ValueError):
        cr.credit_points(RULES, "istimewa", level("ahli_pertama"), 12)


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("Pranata Komputer Ahli Pertama", "ahli_pertama"),
        ("Analis Kebijakan Ahli Muda", "ahli_muda"),
        ("Perencana Ahli Madya", "ahli_madya"),
        ("Widyaiswara Ahli Utama", "ahli_utama"),
        ("  perawat   TERAMPIL ", "terampil"),
        ("Arsiparis Mahir", "mahir"),
        ("Pranata Komputer Penyelia", "penyelia"),
        ("Pengadministrasi Perkantoran Pemula", "pemula"),
        ("Ahli Pertama", "ahli_pertama"),
        ("Dokter Ahli", None),  # no level at the end
        ("Ahli Pertama Pranata Komputer", None),  # the level is not at the end
        ("Pranata Komputer AhliPertama", None),
        ("Guru Kepenyelia", None),  # a word that merely ends with a level's name
        ("", None),
    ],
)
def test_the_level_from_the_end_of_the_title(title, code):
    found = cr.functional_level(RULES, title)
    assert (found.code if found else None) == code


def test_post_credit_points_and_their_reasons():
    args = {"position_kind": "fungsional", "predikat": "baik", "months": 2}
    ok = cr.post_credit_points(RULES, position_title="Pranata Komputer Ahli Pertama", **args)
    assert (ok.points, ok.level, ok.coefficient, ok.percent, ok.months, ok.confirmed) == (
        D("2.08"),
        "ahli_pertama",
        D("12.5"),
        D("100"),
        2,
        True,
    )
    assert ok.reason == ""
    unconfirmed = cr.post_credit_points(RULES, position_title="Perawat Terampil", **args)
    assert (unconfirmed.points, unconfirmed.confirmed) == (D("0.83"), False)  # 2/12 x 5
    no_level = cr.post_credit_points(RULES, position_title="Dokter Ahli", **args)
    assert (no_level.points, no_level.reason) == (None, cr.NO_LEVEL)
    other = cr.post_credit_points(
        RULES,
        position_kind="pelaksana",
        position_title="Analis Ahli Pertama",
        predikat="baik",
        months=2,
    )
    assert (other.points, other.reason) == (None, cr.NOT_FUNCTIONAL)
    none = cr.post_credit_points(
        RULES,
        position_kind="fungsional",
        position_title="Perencana Ahli Madya",
        predikat="",
        months=3,
    )
    assert (none.points, none.reason, none.level) == (None, cr.NO_PREDIKAT, "ahli_madya")


def test_the_months_a_plan_covers():
    year = 2024
    jan1, dec31 = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    assert cr.months_covered(jan1, dec31, year, 1, 12, 15) == 12
    assert cr.months_covered(jan1, dec31, year, 4, 6, 15) == 3
    # A plan from 1 February covers two months of the first quarter (the worked example).
    assert cr.months_covered(dt.date(2024, 2, 1), dec31, year, 1, 3, 15) == 2
    # The 15th decides: from the 15th the month counts, from the 16th it does not.
    assert cr.months_covered(dt.date(2024, 2, 15), dec31, year, 1, 3, 15) == 2
    assert cr.months_covered(dt.date(2024, 2, 16), dec31, year, 1, 3, 15) == 1
    # Two plans split on 20 May: May counts for the first only, never for both.
    first = cr.months_covered(jan1, dt.date(2024, 5, 20), year, 1, 12, 15)
    second = cr.months_covered(dt.date(2024, 5, 21), dec31, year, 1, 12, 15)
    assert (first, second) == (5, 7)
    assert cr.months_covered(dt.date(2024, 7, 1), dec31, year, 1, 3, 15) == 0


def test_sub_period_windows():
    assert cr.window_months(2024, "quarterly", 1) == (1, 3)
    assert cr.window_months(2024, "quarterly", 4) == (10, 12)
    assert cr.window_months(2024, "monthly", 7) == (7, 7)
    assert cr.window_months(2024, "quarterly", 0) == (1, 12)  # annual
    with pytest.raises(ValueError):
        cr.window_months(2024, "quarterly", 5)
    assert [cr.sub_period_of_month("quarterly", m) for m in (1, 3, 4, 12)] == [1, 1, 2, 4]
    assert cr.sub_period_of_month("monthly", 11) == 11
    with pytest.raises(ValueError):
        cr.sub_period_of_month("monthly", 13)


@pytest.mark.parametrize(
    ("predikat", "percent", "component"),
    [
        ("sangat_baik", D("100"), D("60.00")),
        ("baik", D("100"), D("60.00")),
        ("butuh_perbaikan", D("75"), D("45.00")),
        ("kurang", D("50"), D("30.00")),
        ("sangat_kurang", D("25"), D("15.00")),
    ],
)
def test_the_tpp_performance_component(predikat, percent, component):
    part = cr.tpp_performance(TPP, predikat)
    assert (part.percent, part.weight, part.component) == (percent, D("60"), component)


def test_no_predikat_gives_no_component_not_zero():
    part = cr.tpp_performance(TPP, "")
    assert (part.percent, part.weight, part.component) == (None, D("60"), None)
    assert TPP.discipline_weight == D("40")


def test_the_tpp_default_is_the_credit_percent_capped_at_100():
    for predikat, percent in RULES.percent.items():
        assert TPP.percent[predikat] == min(percent, D(100))


def test_a_region_weight_and_rounding():
    data = dict(policy_on(dt.date(2023, 1, 1))["tpp"])
    data.update(performance_weight_percent=65.5, discipline_weight_percent=34.5)
    rules = cr.TppRules.from_policy(data)
    # 75 x 65.5 / 100 = 49.125 -> 49.13 (half up).
    assert cr.tpp_performance(rules, "butuh_perbaikan").component == D("49.13")


def test_the_policy_is_checked_on_load():
    tpp = dict(policy_on(dt.date(2023, 1, 1))["tpp"])
    with pytest.raises(ValueError, match="sum to 100"):
        cr.TppRules.from_policy({**tpp, "performance_weight_percent": 70})
    with pytest.raises(ValueError, match="at most 100"):
        cr.TppRules.from_policy({**tpp, "percent_by_predikat": {**RULES.percent}})
    with pytest.raises(ValueError, match="every predikat"):
        cr.TppRules.from_policy({**tpp, "percent_by_predikat": {"baik": 100}})
    with pytest.raises(ValueError, match="1 to 28"):
        cr.TppRules.from_policy({**tpp, "plan_covers_day": 31})
    credit = dict(policy_on(dt.date(2023, 1, 1))["credit_points"])
    with pytest.raises(ValueError, match="unconfirmed"):
        cr.CreditRules.from_policy({**credit, "unconfirmed": ["guru"]})
    with pytest.raises(ValueError, match="twice"):
        cr.CreditRules.from_policy({**credit, "levels": credit["levels"] * 2})
    assert RULES.unconfirmed == {"ahli_muda", "ahli_utama", "pemula", "terampil", "mahir"} | {
        "penyelia"
    }
