"""The risk policy's numbers: the level, its band, the early-warning rules."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from kinerja.risks.policy import AGREEMENT, KEY, OTHER, PROVINCE_KEY, risk_policy

POLICY = risk_policy(dt.date(2026, 1, 1))


@pytest.mark.parametrize(
    ("likelihood", "impact", "level", "band"),
    [
        (4, 5, 20, "very_high"),
        (5, 5, 25, "very_high"),
        (4, 4, 16, "high"),
        (3, 5, 15, "high"),
        (3, 4, 12, "medium"),
        (2, 4, 8, "medium"),
        (2, 3, 6, "low"),
        (1, 4, 4, "low"),
        (1, 3, 3, "very_low"),
        (1, 1, 1, "very_low"),
    ],
)
def test_level_is_likelihood_times_impact_in_its_band(likelihood, impact, level, band):
    assert POLICY.level(likelihood, impact) == level
    assert POLICY.band(level).key == band


def test_band_labels_are_indonesian_by_default_and_english_on_request():
    with translation.override("id"):
        assert POLICY.band(20).label == "Sangat tinggi"
    with translation.override("en"):
        assert POLICY.band(20).label == "Very high"


@pytest.mark.parametrize(
    ("projected", "threshold", "likelihood"),
    [
        ("72", "90", 4),  # 18 points below: from 10 points, likely
        ("70", "90", 5),  # 20 points: almost certain
        ("80", "90", 4),  # exactly 10 points
        ("80.01", "90", 3),  # 9.99 points
        ("85", "90", 3),  # 5 points
        ("88", "90", 2),  # 2 points
    ],
)
def test_likelihood_follows_the_shortfall_below_the_threshold(projected, threshold, likelihood):
    assert POLICY.likelihood_from_shortfall(Decimal(projected), Decimal(threshold)) == likelihood


def test_impact_follows_the_targets_weight():
    assert [POLICY.impact_from_weight(w) for w in (PROVINCE_KEY, KEY, AGREEMENT, OTHER)] == [
        5,
        4,
        3,
        2,
    ]


def test_treatment_is_needed_from_the_medium_band():
    assert not POLICY.needs_treatment(7)
    assert POLICY.needs_treatment(8)


def test_a_day_before_the_first_version_reads_the_first():
    assert risk_policy(dt.date(2000, 1, 1)).valid_from == POLICY.valid_from
