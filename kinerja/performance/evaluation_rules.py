"""The rules of the employee evaluation (PermenPAN-RB 6/2022) as pure functions of policy data,
with no database access: the rating scale, the predikat matrix, the results rating suggested
from an achievement percent, and the annual combination of several plans.

The rules are versioned with the rest of the planning policy (``data/policy.json``, key
``evaluation``): a year is rated under the version in force on its first day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from .policy import policy_on

CENT = Decimal("0.01")


class Rating(models.TextChoices):
    """The scale of both the results and the behaviour rating."""

    ABOVE = "above_expectation", _("Above expectation")
    AS_EXPECTED = "as_expected", _("As expected")
    BELOW = "below_expectation", _("Below expectation")


class Predikat(models.TextChoices):
    """An employee's performance predikat (PermenPAN-RB 6/2022)."""

    SANGAT_BAIK = "sangat_baik", _("Very good (Sangat Baik)")
    BAIK = "baik", _("Good (Baik)")
    BUTUH_PERBAIKAN = "butuh_perbaikan", _("Needs improvement (Butuh Perbaikan)")
    KURANG = "kurang", _("Poor / misconduct (Kurang/Misconduct)")
    SANGAT_KURANG = "sangat_kurang", _("Very poor (Sangat Kurang)")


# The order used to combine ratings: a score per rating.
SCORE = {Rating.BELOW.value: 1, Rating.AS_EXPECTED.value: 2, Rating.ABOVE.value: 3}
BY_SCORE = {score: rating for rating, score in SCORE.items()}


@dataclass(frozen=True)
class EvaluationRules:
    """One version of the evaluation rules.

    ``matrix[results][behaviour]`` is the predikat. A suggested results rating is above
    expectation when the achievement is over ``above_over`` percent, below expectation when it
    is under ``below_under`` percent, and as expected from ``below_under`` to ``above_over``
    inclusive. ``annual_weighting`` is ``days`` (each plan weighs by the days it covers) or
    ``equal``."""

    matrix: Mapping[str, Mapping[str, str]]
    above_over: Decimal
    below_under: Decimal
    annual_weighting: str

    @classmethod
    def from_policy(cls, data: Mapping[str, Any]) -> EvaluationRules:
        matrix = {r: dict(row) for r, row in data["predikat_matrix"].items()}
        ratings = set(data["ratings"])
        if set(matrix) != ratings or any(set(row) != ratings for row in matrix.values()):
            raise ValueError("the predikat matrix needs a cell for every pair of ratings")
        if any(cell not in Predikat.values for row in matrix.values() for cell in row.values()):
            raise ValueError("a predikat matrix cell is not a predikat")
        suggestion = data["suggestion"]
        rules = cls(
            matrix=matrix,
            above_over=Decimal(str(suggestion["above_when_over_percent"])),
            below_under=Decimal(str(suggestion["below_when_under_percent"])),
            annual_weighting=data["annual_weighting"],
        )
        if rules.below_under > rules.above_over:
            raise ValueError("the 'below' threshold is above the 'above' threshold")
        if rules.annual_weighting not in ("days", "equal"):
            raise ValueError("annual_weighting is 'days' or 'equal'")
        return rules


def evaluation_rules(on: dt.date) -> EvaluationRules:
    """The evaluation rules in force on ``on``."""
    return EvaluationRules.from_policy(policy_on(on)["evaluation"])


def evaluation_rules_for_year(year: int) -> EvaluationRules:
    """The rules a year is rated under: those in force on its first day."""
    return evaluation_rules(dt.date(year, 1, 1))


def predikat(rules: EvaluationRules, results: str, behaviour: str) -> str:
    """The predikat of a results rating and a behaviour rating, from the matrix."""
    try:
        return rules.matrix[results][behaviour]
    except KeyError:
        raise ValueError(f"not a rating pair: {results!r}, {behaviour!r}") from None


def suggested_rating(rules: EvaluationRules, percent: Decimal | None) -> str | None:
    """The results rating suggested by an achievement ``percent``; None without one."""
    if percent is None:
        return None
    if percent > rules.above_over:
        return Rating.ABOVE.value
    if percent < rules.below_under:
        return Rating.BELOW.value
    return Rating.AS_EXPECTED.value


def _weights(rules: EvaluationRules, days: Iterable[int]) -> list[Decimal]:
    days = list(days)
    if any(d <= 0 for d in days):
        raise ValueError("a plan covers at least one day")
    if rules.annual_weighting == "equal":
        return [Decimal(1)] * len(days)
    return [Decimal(d) for d in days]


def combine_percents(
    rules: EvaluationRules, parts: Iterable[tuple[Decimal | None, int]]
) -> Decimal | None:
    """The annual achievement of several plans, each ``(percent, days covered)``: their mean
    weighted as the policy says, to 0.01. A plan without a percent is left out; None when no
    plan has one."""
    known = [(p, d) for p, d in parts if p is not None]
    if not known:
        return None
    weights = _weights(rules, (d for _p, d in known))
    total = sum(p * w for (p, _d), w in zip(known, weights, strict=True))
    return (total / sum(weights)).quantize(CENT, rounding=ROUND_HALF_UP)


def combine_ratings(rules: EvaluationRules, parts: Iterable[tuple[str, int]]) -> str | None:
    """The annual rating of several plans rated without a percent (qualitative), each
    ``(rating, days covered)``: the weighted mean of their scores (below 1, as expected 2,
    above 3) rounded half up to a rating. None when there is none."""
    parts = list(parts)
    if not parts:
        return None
    weights = _weights(rules, (d for _r, d in parts))
    total = sum(Decimal(SCORE[r]) * w for (r, _d), w in zip(parts, weights, strict=True))
    score = (total / sum(weights)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return BY_SCORE[int(score)]
