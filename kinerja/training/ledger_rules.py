"""The rules of the development-hours ledger, read from ``data/development_hours.json``.

The file holds versions with ``valid_from``; the one in force on a day is the latest that
started on or before it (a day before the first reads the first). A record is converted under
the version in force on its first day and keeps that version's ``valid_from``; a year's
minimum, the statuses it applies to and the forecast's allowance are those of the version in
force on 1 January of the year.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

DATA = Path(__file__).resolve().parent / "data"
FILE = "development_hours.json"

# The units a quantity may be given in; the factor of each is policy data.
UNIT_LABELS: dict[str, Any] = {
    "jp": _("lesson hours (JP)"),
    "seminar_day": _("seminar days"),
    "coaching_session": _("coaching sessions"),
    "mentoring_session": _("mentoring sessions"),
    "benchmarking_day": _("benchmarking visit days"),
}
JP = "jp"


@dataclass(frozen=True)
class LedgerRules:
    valid_from: dt.date
    minimum_jp: Decimal
    applies_to: tuple[str, ...]
    weekly_allowance_jp: Decimal
    units: dict[str, Decimal]

    def convert(self, quantity: Decimal, unit: str) -> Decimal:
        """Lesson hours (JP) of ``quantity`` of ``unit``, to two decimals."""
        return (Decimal(quantity) * self.units[unit]).quantize(Decimal("0.01"))


@functools.cache
def _versions(name: str = FILE) -> tuple[LedgerRules, ...]:
    raw = json.loads((DATA / name).read_text(encoding="utf-8"))
    out = [_rules(version) for version in raw["versions"]]
    return tuple(sorted(out, key=lambda r: r.valid_from))


def _rules(version: dict[str, Any]) -> LedgerRules:
    return LedgerRules(
        valid_from=dt.date.fromisoformat(version["valid_from"]),
        minimum_jp=Decimal(str(version["minimum_jp"])),
        applies_to=tuple(version["applies_to"]),
        weekly_allowance_jp=Decimal(str(version.get("weekly_allowance_jp", "0"))),
        units={key: Decimal(str(value)) for key, value in version["units"].items()},
    )


def rules_on(day: dt.date) -> LedgerRules:
    """The version in force on ``day``."""
    versions = _versions()
    chosen = versions[0]
    for rules in versions:
        if rules.valid_from <= day:
            chosen = rules
    return chosen


def rules_for_year(year: int) -> LedgerRules:
    """The minimum, the statuses and the allowance a year is held to: 1 January's version."""
    return rules_on(dt.date(year, 1, 1))


def rules_version(valid_from: dt.date | None) -> LedgerRules | None:
    """The version that starts on ``valid_from`` exactly (None if none does)."""
    for rules in _versions():
        if rules.valid_from == valid_from:
            return rules
    return None


def unit_label(unit: str) -> Any:
    return UNIT_LABELS.get(unit, unit)


def weeks_left(on: dt.date, year: int) -> int:
    """Whole weeks left in ``year`` after ``on`` (0 once the year is over, all 52 before it)."""
    end = dt.date(year, 12, 31)
    if on > end:
        return 0
    start = max(on, dt.date(year, 1, 1) - dt.timedelta(days=1))
    return (end - start).days // 7


def reachable(
    *, total: Decimal, enrolled: Decimal, minimum: Decimal, weeks: int, weekly: Decimal
) -> bool:
    """Whether a person at ``total`` JP can still reach ``minimum`` this year: what the future
    sessions of the events they are enrolled in give (``enrolled``) plus the allowance of
    ``weekly`` JP for each whole week left."""
    return total + enrolled + weekly * weeks >= minimum
