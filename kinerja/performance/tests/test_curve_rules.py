"""The distribution curve and the suggested unit predikat as pure functions: every rule of SE
MenPAN-RB 03/2023 just inside, at and just outside its bound, for units of 0, 1, 3, 10 and 11
staff; the rounding and the "at least one" settings; the suggestion bands at their thresholds.
No database."""

from __future__ import annotations

import copy
import dataclasses
from decimal import Decimal

import pytest
from django.utils import translation

from kinerja.performance.curve_rules import (
    CurveRules,
    breaches,
    curve_rules_for_year,
    limits,
    room,
    share,
    suggest_annual,
    suggest_periodic,
)
from kinerja.performance.policy import policy_on

D = Decimal
RULES = curve_rules_for_year(2024)
SB, B, BP, K, SK = "sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"


def broken(unit, **counts):
    """The breaches of a distribution as ``(band, kind, limit, count)``."""
    return [(x.band, x.kind, x.limit, x.count) for x in breaches(RULES, unit, counts)]


def with_curve(**changes):
    data = copy.deepcopy(policy_on(__import__("datetime").date(2024, 1, 1))["evaluation"])
    data["curve"].update(changes)
    return CurveRules.from_policy(data)


# Rounding -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("percent", "staff", "half_up", "down", "up"),
    [
        (70, 3, 2, 2, 3),  # 2.1
        (60, 3, 2, 1, 2),  # 1.8
        (10, 3, 0, 0, 1),  # 0.3
        (10, 15, 2, 1, 2),  # 1.5: half up
        (10, 25, 3, 2, 3),  # 2.5
        (70, 10, 7, 7, 7),  # exact
        (70, 11, 8, 7, 8),  # 7.7
        (60, 11, 7, 6, 7),  # 6.6
        (10, 11, 1, 1, 2),  # 1.1
        (70, 1, 1, 0, 1),  # 0.7
        (60, 1, 1, 0, 1),  # 0.6
        (10, 1, 0, 0, 1),  # 0.1
        (70, 0, 0, 0, 0),
        (0, 10, 0, 0, 0),
    ],
)
def test_a_percent_of_the_staff_as_people(percent, staff, half_up, down, up):
    assert share(RULES, D(percent), staff) == half_up
    assert share(with_curve(rounding="down"), D(percent), staff) == down
    assert share(with_curve(rounding="up"), D(percent), staff) == up


# Istimewa: at most 70 % sangat baik ----------------------------------------------------------


@pytest.mark.parametrize(
    ("staff", "most"),
    [(0, 0), (1, 1), (3, 2), (10, 7), (11, 8)],
)
def test_istimewa_at_most_70_percent_sangat_baik(staff, most):
    assert limits(RULES, "istimewa", staff)[SB] == (0, most)
    assert broken("istimewa", sangat_baik=most, baik=staff - most) == []
    if most:
        assert broken("istimewa", sangat_baik=most - 1, baik=staff - most + 1) == []
    if most < staff:
        assert broken("istimewa", sangat_baik=most + 1, baik=staff - most - 1) == [
            (SB, "max", most, most + 1)
        ]


def test_istimewa_leaves_the_other_bands_free():
    assert broken("istimewa", kurang=5, sangat_kurang=5) == []
    assert limits(RULES, "istimewa", 10)[SK] == (0, 10)


# Baik: at most 70 % baik, at least one butuh perbaikan and/or kurang --------------------------


@pytest.mark.parametrize(("staff", "most"), [(1, 1), (3, 2), (10, 7), (11, 8)])
def test_baik_at_most_70_percent_baik(staff, most):
    assert limits(RULES, "baik", staff)[B] == (0, most)
    rest = staff - most  # the others: kurang, so the "at least one" holds when there is one
    if rest:
        assert broken("baik", baik=most, kurang=rest) == []
        assert broken("baik", baik=most - 1, kurang=rest + 1) == []
    if staff >= 2:
        left = staff - most - 1  # three staff: no one is left for the "at least one"
        also = [] if left else [("butuh_perbaikan+kurang", "min", 1, 0)]
        assert broken("baik", baik=most + 1, kurang=left) == [(B, "max", most, most + 1), *also]


def test_baik_needs_at_least_one_butuh_perbaikan_or_kurang():
    assert limits(RULES, "baik", 10)["butuh_perbaikan+kurang"] == (1, 10)
    assert broken("baik", sangat_baik=3, baik=7) == [("butuh_perbaikan+kurang", "min", 1, 0)]
    assert broken("baik", sangat_baik=3, baik=6, kurang=1) == []
    assert broken("baik", sangat_baik=3, baik=6, butuh_perbaikan=1) == []
    # Sangat kurang is not "butuh perbaikan and/or kurang".
    assert broken("baik", sangat_baik=3, baik=6, sangat_kurang=1) == [
        ("butuh_perbaikan+kurang", "min", 1, 0)
    ]
    # Three staff: two baik and one kurang keep it; two baik and one sangat baik do not.
    assert broken("baik", baik=2, kurang=1) == []
    assert broken("baik", baik=2, sangat_baik=1) == [("butuh_perbaikan+kurang", "min", 1, 0)]


def test_baik_in_a_unit_of_one_and_the_smallest_unit_setting():
    # Read literally, the single employee of a baik unit must be butuh perbaikan or kurang.
    assert broken("baik", baik=1) == [("butuh_perbaikan+kurang", "min", 1, 0)]
    assert broken("baik", kurang=1) == []
    # An instansi may apply the "at least one" from two staff on.
    from_two = with_curve(at_least_one_min_staff=2)
    assert breaches(from_two, "baik", {B: 1}) == []
    assert limits(from_two, "baik", 1)["butuh_perbaikan+kurang"] == (0, 1)
    assert limits(from_two, "baik", 2)["butuh_perbaikan+kurang"] == (1, 2)


# Butuh perbaikan: at least 60 % butuh perbaikan, at most 10 % sangat baik --------------------


@pytest.mark.parametrize(
    ("staff", "least", "most_sb"),
    [(1, 1, 0), (3, 2, 0), (10, 6, 1), (11, 7, 1)],
)
def test_butuh_perbaikan_curve(staff, least, most_sb):
    got = limits(RULES, "butuh_perbaikan", staff)
    assert (got[BP], got[SB]) == ((least, staff), (0, most_sb))
    assert broken("butuh_perbaikan", butuh_perbaikan=least, baik=staff - least) == []
    assert broken("butuh_perbaikan", butuh_perbaikan=least - 1, baik=staff - least + 1) == [
        (BP, "min", least, least - 1)
    ]
    if least < staff:
        assert broken("butuh_perbaikan", butuh_perbaikan=least + 1, baik=staff - least - 1) == []
    rest = staff - least
    if rest:
        expected = [] if most_sb >= 1 else [(SB, "max", 0, 1)]
        assert broken("butuh_perbaikan", butuh_perbaikan=least, sangat_baik=1, baik=rest - 1) == (
            expected
        )


def test_butuh_perbaikan_sangat_baik_over_10_percent():
    assert broken("butuh_perbaikan", butuh_perbaikan=6, sangat_baik=1, baik=3) == []
    assert broken("butuh_perbaikan", butuh_perbaikan=6, sangat_baik=2, baik=2) == [
        (SB, "max", 1, 2)
    ]
    assert broken("butuh_perbaikan", butuh_perbaikan=7, sangat_baik=2, baik=2) == [
        (SB, "max", 1, 2)
    ]


# Kurang: at least 60 % kurang and 10 % butuh perbaikan, at most 10 % sangat baik -------------


@pytest.mark.parametrize(
    ("staff", "least_k", "least_bp", "most_sb"),
    [(1, 1, 0, 0), (3, 2, 0, 0), (10, 6, 1, 1), (11, 7, 1, 1)],
)
def test_kurang_curve(staff, least_k, least_bp, most_sb):
    got = limits(RULES, "kurang", staff)
    assert (got[K], got[BP], got[SB]) == ((least_k, staff), (least_bp, staff), (0, most_sb))
    rest = staff - least_k - least_bp
    assert broken("kurang", kurang=least_k, butuh_perbaikan=least_bp, baik=rest) == []
    assert broken("kurang", kurang=least_k - 1, butuh_perbaikan=least_bp, baik=rest + 1) == [
        (K, "min", least_k, least_k - 1)
    ]
    if least_bp:
        assert broken("kurang", kurang=least_k, butuh_perbaikan=0, baik=rest + 1) == [
            (BP, "min", 1, 0)
        ]


def test_kurang_sangat_baik_at_most_10_percent():
    assert broken("kurang", kurang=6, butuh_perbaikan=1, sangat_baik=1, baik=2) == []
    assert broken("kurang", kurang=6, butuh_perbaikan=1, sangat_baik=2, baik=1) == [
        (SB, "max", 1, 2)
    ]
    assert broken("kurang", kurang=2, sangat_baik=1) == [(SB, "max", 0, 1)]  # 0.3 -> 0


def test_a_minimum_that_rounds_to_zero_is_a_policy_setting():
    # Three staff of a kurang unit: 10 % butuh perbaikan is 0.3 people.
    assert limits(RULES, "kurang", 3)[BP] == (0, 3)  # default: the minimum is 0
    assert broken("kurang", kurang=3) == []
    one = with_curve(zero_minimum="one")
    assert limits(one, "kurang", 3)[BP] == (1, 3)
    assert [(x.band, x.kind) for x in breaches(one, "kurang", {K: 3})] == [(BP, "min")]
    assert breaches(one, "kurang", {K: 2, BP: 1}) == []
    # "one" never raises a minimum of a 0 % rule nor one of an empty unit.
    assert limits(one, "sangat_kurang", 0)[SK] == (0, 0)
    # A unit of one under "one": the curve cannot be met (60 % kurang and 10 % butuh
    # perbaikan each need the single employee): a breach either way, kept with a justification.
    assert breaches(one, "kurang", {K: 1}) and breaches(one, "kurang", {BP: 1})


# Sangat kurang: at least 60 % sangat kurang, 10 % kurang + butuh perbaikan, no sangat baik ---


@pytest.mark.parametrize(
    ("staff", "least_sk", "least_group"),
    [(1, 1, 0), (3, 2, 0), (10, 6, 1), (11, 7, 1)],
)
def test_sangat_kurang_curve(staff, least_sk, least_group):
    got = limits(RULES, "sangat_kurang", staff)
    assert (got[SK], got["kurang+butuh_perbaikan"], got[SB]) == (
        (least_sk, staff),
        (least_group, staff),
        (0, 0),
    )
    rest = staff - least_sk - least_group
    assert broken("sangat_kurang", sangat_kurang=least_sk, kurang=least_group, baik=rest) == []
    assert (
        broken("sangat_kurang", sangat_kurang=least_sk, butuh_perbaikan=least_group, baik=rest)
        == []
    )
    assert broken(
        "sangat_kurang", sangat_kurang=least_sk - 1, kurang=least_group, baik=rest + 1
    ) == [(SK, "min", least_sk, least_sk - 1)]
    if least_group:
        assert broken("sangat_kurang", sangat_kurang=least_sk, baik=rest + 1) == [
            ("kurang+butuh_perbaikan", "min", 1, 0)
        ]


def test_sangat_kurang_allows_no_sangat_baik():
    assert broken("sangat_kurang", sangat_kurang=6, kurang=1, baik=3) == []
    assert broken("sangat_kurang", sangat_kurang=6, kurang=1, baik=2, sangat_baik=1) == [
        (SB, "max", 0, 1)
    ]


def test_the_group_counts_kurang_and_butuh_perbaikan_together():
    assert broken("sangat_kurang", sangat_kurang=6, kurang=0, butuh_perbaikan=1, baik=3) == []
    assert broken("sangat_kurang", sangat_kurang=7, kurang=2, butuh_perbaikan=2) == []


# An empty unit, several breaches, messages ----------------------------------------------------


@pytest.mark.parametrize("unit", ["istimewa", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"])
def test_an_empty_unit_breaks_nothing(unit):
    assert breaches(RULES, unit, {}) == []
    assert all(limit == (0, 0) for limit in limits(RULES, unit, 0).values())


def test_several_breaches_at_once_with_their_messages():
    found = breaches(RULES, "kurang", {SB: 2, B: 8})
    assert [(x.band, x.kind, x.limit, x.count) for x in found] == [
        (SB, "max", 1, 2),
        (BP, "min", 1, 0),
        (K, "min", 6, 0),
    ]
    with translation.override("en"):
        assert found[0].message == "Very good (Sangat Baik): at most 1 of 10 staff, there are 2."
        assert found[2].message == (
            "Poor / misconduct (Kurang/Misconduct): at least 6 of 10 staff are needed, there are 0."
        )
        assert breaches(RULES, "sangat_kurang", {SK: 10})[0].message.startswith(
            "Poor / misconduct (Kurang/Misconduct) + Needs improvement"
        )
    assert found[0].as_dict()["limit"] == 1


def test_bad_counts_are_refused():
    with pytest.raises(ValueError):
        breaches(RULES, "baik", {"luar_biasa": 1})
    with pytest.raises(ValueError):
        breaches(RULES, "baik", {B: -1})
    with pytest.raises(ValueError):
        limits(RULES, "luar_biasa", 3)


# The room left while the curve fills ---------------------------------------------------------


def test_room_per_band_while_the_curve_fills():
    # A kurang unit of ten, four rated so far: one sangat baik, three kurang.
    rows = {r.band: r for r in room(RULES, "kurang", {SB: 1, K: 3})}
    # The staff so far is 4: 60 % = 2.4 -> 2 kurang needed (met), 10 % = 0.4 -> 0.
    assert (rows[K].count, rows[K].min, rows[K].max, rows[K].needed) == (3, 2, 4, 0)
    assert (rows[SB].count, rows[SB].max, rows[SB].room) == (1, 0, -1)
    ten = {r.band: r for r in room(RULES, "kurang", {SB: 1, K: 3, B: 6})}
    assert (ten[K].needed, ten[BP].needed, ten[SB].room, ten[B].room) == (3, 1, 0, 4)
    assert ten[K].as_dict() == {
        "band": K,
        "count": 3,
        "min": 6,
        "max": 10,
        "room": 7,
        "needed": 3,
    }
    group = {r.band: r for r in room(RULES, "sangat_kurang", {SK: 6, K: 1, BP: 2, B: 1})}
    assert group["kurang+butuh_perbaikan"].count == 3


# The suggested unit predikat -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("progress", "expected"),
    [
        ("120.00", "istimewa"),
        ("100.01", "istimewa"),
        ("100.00", "baik"),  # on target, not over it
        ("90.01", "baik"),
        ("90.00", "butuh_perbaikan"),
        ("75.01", "butuh_perbaikan"),
        ("75.00", "kurang"),
        ("0.00", "kurang"),
    ],
)
def test_periodic_suggestion_bands(progress, expected):
    assert suggest_periodic(RULES, D(progress), D("0")) == expected


@pytest.mark.parametrize(
    ("no_progress", "expected"),
    [("50.00", "istimewa"), ("50.01", "sangat_kurang"), ("100", "sangat_kurang")],
)
def test_most_actions_without_progress_is_sangat_kurang(no_progress, expected):
    assert suggest_periodic(RULES, D("101"), D(no_progress)) == expected


def test_no_suggestion_without_numbers():
    assert suggest_periodic(RULES, None, D("80")) is None
    assert suggest_annual(RULES, None, "above_expectation") is None


@pytest.mark.parametrize(
    ("achievement", "expected"),
    [
        ("100.01", "istimewa"),
        ("100.00", "baik"),
        ("90.01", "baik"),
        ("90.00", "butuh_perbaikan"),
        ("75.01", "butuh_perbaikan"),
        ("75.00", "kurang"),
        ("50.01", "kurang"),
        ("50.00", "sangat_kurang"),
        ("0", "sangat_kurang"),
    ],
)
def test_annual_suggestion_bands(achievement, expected):
    assert suggest_annual(RULES, D(achievement), "as_expected") == expected
    assert suggest_annual(RULES, D(achievement)) == expected  # no expectation: as expected


@pytest.mark.parametrize(
    ("achievement", "expectation", "expected"),
    [
        ("95", "above_expectation", "istimewa"),
        ("95", "below_expectation", "butuh_perbaikan"),
        ("110", "above_expectation", "istimewa"),  # the top stays the top
        ("40", "below_expectation", "sangat_kurang"),  # the bottom stays the bottom
        ("40", "above_expectation", "kurang"),
        ("80", "below_expectation", "kurang"),
    ],
)
def test_the_expectation_moves_the_annual_suggestion_one_step(achievement, expectation, expected):
    assert suggest_annual(RULES, D(achievement), expectation) == expected


# Loading the policy ---------------------------------------------------------------------------


def _policy():
    return copy.deepcopy(policy_on(__import__("datetime").date(2024, 1, 1))["evaluation"])


@pytest.mark.parametrize(
    "spoil",
    [
        lambda d: d["curve"]["rules"].pop("baik"),
        lambda d: d["curve"]["rules"]["baik"].append({"bands": ["luar_biasa"], "min_count": 1}),
        lambda d: d["curve"].update(rounding="bankers"),
        lambda d: d["curve"].update(zero_minimum="two"),
        lambda d: d["unit_predikat"]["annual"]["bands"][-1].update(over_percent=0),
        lambda d: d["unit_predikat"]["annual"]["bands"].reverse(),
        lambda d: d["unit_predikat"]["annual"]["expectation_steps"].pop("as_expected"),
    ],
)
def test_a_broken_policy_is_refused(spoil):
    data = _policy()
    spoil(data)
    with pytest.raises(ValueError):
        CurveRules.from_policy(data)


def test_the_2023_version_is_the_regulation():
    assert RULES.valid_from.isoformat() == "2023-01-01"
    assert (RULES.rounding, RULES.zero_minimum, RULES.at_least_one_min_staff) == (
        "half_up",
        "zero",
        1,
    )
    assert dataclasses.asdict(RULES.curves["sangat_kurang"][1])["bands"] == (K, BP)
