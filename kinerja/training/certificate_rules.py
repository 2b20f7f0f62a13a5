"""The certificate rules as pure functions (no database access).

A participant earns a certificate when the lesson hours (JP) they attended reach the training
type's share of the event's planned JP (``min_attendance_percent``, 90 by default) and, where the
type asks for it (``post_test_required``), the post-test was taken (a knowledge score entered).
The share is compared exactly (``attended * 100 >= minimum * planned``): 19.8 of 22 JP is 90.0%
and passes, 19.79 (89.95%) does not. The shown share is cut, never rounded up, to the policy's
decimals, so a share below the minimum never reads as the minimum.

The number format and the signing rules are policy data (``data/certificates.json``),
versioned by ``valid_from``: a certificate takes the version in force on the event's first day.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
HUNDRED = Decimal(100)


@functools.cache
def _versions() -> tuple[tuple[dt.date, dict[str, Any]], ...]:
    with open(DATA / "certificates.json", encoding="utf-8") as handle:
        raw = json.load(handle)
    versions = [(dt.date.fromisoformat(v["valid_from"]), v) for v in raw["versions"]]
    return tuple(sorted(versions, key=lambda item: item[0]))


def policy_on(on: dt.date) -> dict[str, Any]:
    """The certificate policy in force on ``on`` (the first version before any)."""
    chosen = _versions()[0][1]
    for valid_from, version in _versions():
        if valid_from <= on:
            chosen = version
    return chosen


@dataclass(frozen=True)
class Eligibility:
    """Whether a participant meets the rules, with the numbers behind the answer."""

    planned_jp: Decimal
    attended_jp: Decimal
    min_percent: Decimal
    post_test_required: bool
    post_test_taken: bool
    percent_decimals: int = 1
    failures: tuple[str, ...] = field(default=())  # "attendance", "post_test"

    @property
    def eligible(self) -> bool:
        return not self.failures

    @property
    def percent(self) -> Decimal:
        """The share attended, cut (not rounded) to the policy's decimals."""
        if not self.planned_jp:
            return Decimal(0)
        exact = self.attended_jp * HUNDRED / self.planned_jp
        step = Decimal(1).scaleb(-self.percent_decimals)
        return exact.quantize(step, rounding=ROUND_DOWN)


def assess(
    *,
    planned_jp: Decimal,
    attended_jp: Decimal,
    min_percent: Decimal,
    post_test_required: bool,
    post_test_taken: bool,
    percent_decimals: int = 1,
) -> Eligibility:
    """Apply the rules. An event with no planned JP cannot be attended to the share."""
    planned_jp, attended_jp = Decimal(planned_jp), Decimal(attended_jp)
    failures = []
    if planned_jp <= 0 or attended_jp * HUNDRED < Decimal(min_percent) * planned_jp:
        failures.append("attendance")
    if post_test_required and not post_test_taken:
        failures.append("post_test")
    return Eligibility(
        planned_jp=planned_jp,
        attended_jp=attended_jp,
        min_percent=Decimal(min_percent),
        post_test_required=post_test_required,
        post_test_taken=post_test_taken,
        percent_decimals=percent_decimals,
        failures=tuple(failures),
    )


def organiser_code(code: str, max_length: int) -> str:
    """The organiser's part of the number: the unit code in upper case, letters and digits
    only; a longer one keeps its first ``max_length`` characters."""
    cleaned = re.sub(r"[^A-Z0-9]+", "", str(code or "").upper())
    return (cleaned or "ORG")[:max_length]


def certificate_number(*, policy: dict[str, Any], organiser: str, year: int, sequence: int) -> str:
    """``STTPP/BPSDM/2023/0001``: prefix, organiser, year and the yearly sequence."""
    digits = int(policy["sequence_digits"])
    org = organiser_code(organiser, int(policy["organiser_max_length"]))
    return f"{policy['number_prefix']}/{org}/{year}/{sequence:0{digits}d}"
