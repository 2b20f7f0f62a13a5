"""The reaction-feedback and test-score rules as pure functions of policy data
(``data/feedback.json``), with no database access.

- A form's results are shown only once the form is closed and released AND it holds at least
  ``min_count`` responses (5 by default); below that nothing but "too few responses" is shown.
- Answers are whole numbers on the policy's scale (1-5); a comment has at most
  ``comment_max_chars`` characters.
- A test score lies within the policy's range (0-100).

An event reads the version in force on its first day.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"

SESSION_QUESTIONS = ("relevance", "speaker", "material", "applicability")
ORGANISATION_QUESTIONS = ("venue", "facilities", "schedule")


@functools.cache
def _versions() -> tuple[tuple[dt.date, dict[str, Any]], ...]:
    raw = json.loads((DATA / "feedback.json").read_text(encoding="utf-8"))
    versions = [(dt.date.fromisoformat(v["valid_from"]), v) for v in raw["versions"]]
    return tuple(sorted(versions, key=lambda item: item[0]))


def feedback_policy(on: dt.date) -> dict[str, Any]:
    """The version in force on ``on`` (a day before the first version reads the first)."""
    versions = _versions()
    chosen = versions[0][1]
    for valid_from, version in versions:
        if valid_from <= on:
            chosen = version
    return chosen


def min_count(on: dt.date) -> int:
    value = feedback_policy(on)["min_count"]
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError("min_count is a whole number, at least 1")
    return value


def scale(on: dt.date) -> tuple[int, int]:
    policy = feedback_policy(on)
    return int(policy["scale_min"]), int(policy["scale_max"])


def score_range(on: dt.date) -> tuple[Decimal, Decimal]:
    policy = feedback_policy(on)
    return Decimal(str(policy["score_min"])), Decimal(str(policy["score_max"]))


def comment_limit(on: dt.date) -> int:
    return int(feedback_policy(on)["comment_max_chars"])


def shows_results(*, released: bool, count: int, minimum: int) -> bool:
    """Whether a form's numbers may be shown: released (which needs it closed) and at least
    ``minimum`` responses."""
    return released and count >= minimum


def mean(values: list[int] | list[Decimal]) -> Decimal | None:
    """The mean to two decimals (half up), None for no values."""
    if not values:
        return None
    total = sum(Decimal(v) for v in values)
    return (total / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
