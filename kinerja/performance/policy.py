"""Planning policy read from ``data/``: the achievement rules, the cycle's default dates, the
RB Tematik themes, the development areas (Perpres 80/2019) and the units of measure.

Versioned files hold a list of versions with ``valid_from``; the one in force on a day is the
latest that started on or before it, so a period keeps the rules of its own year.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.text import slugify

from .achievement import AchievementRules, ZeroOutcomes

DATA = Path(__file__).resolve().parent / "data"


@functools.cache
def _versions(name: str) -> tuple[tuple[dt.date, dict[str, Any]], ...]:
    with open(DATA / name, encoding="utf-8") as handle:
        raw = json.load(handle)
    versions = [(dt.date.fromisoformat(v["valid_from"]), v) for v in raw["versions"]]
    return tuple(sorted(versions, key=lambda item: item[0]))


def _in_force(name: str, on: dt.date) -> dict[str, Any]:
    versions = _versions(name)
    chosen = versions[0]  # a day before the first version reads the first
    for valid_from, version in versions:
        if valid_from <= on:
            chosen = (valid_from, version)
    return chosen[1]


def policy_on(on: dt.date) -> dict[str, Any]:
    """Return the planning policy version in force on ``on``."""
    return _in_force("policy.json", on)


def _achievement_rules(valid_from: dt.date, version: dict[str, Any]) -> AchievementRules:
    rules = version["achievement"]
    return AchievementRules(
        cap=Decimal(str(rules["cap_percent"])),
        floor=Decimal(str(rules["floor_percent"])),
        zero_target={
            polarity: ZeroOutcomes.from_policy(values)
            for polarity, values in rules["zero_target"].items()
        },
        valid_from=valid_from,
    )


def rules_in_force(
    versions: Sequence[tuple[dt.date, dict[str, Any]]], on: dt.date
) -> AchievementRules:
    """The achievement rules of the version in force on ``on`` among ``versions`` (pairs of
    ``valid_from`` and the version's data): the latest that started on or before ``on``; a day
    before the first version reads the first."""
    ordered = sorted(versions, key=lambda item: item[0])
    chosen = ordered[0]
    for valid_from, version in ordered:
        if valid_from <= on:
            chosen = (valid_from, version)
    return _achievement_rules(*chosen)


def achievement_rules(on: dt.date) -> AchievementRules:
    """The default cap and floor (percent) and the zero-target rules in force on ``on``."""
    return rules_in_force(_versions("policy.json"), on)


def achievement_rules_for_year(year: int) -> AchievementRules:
    """The rules a period (a year) is rated under: those in force on its first day, so a
    version that starts during a year applies from the next period on."""
    return achievement_rules(dt.date(year, 1, 1))


def achievement_versions() -> tuple[dt.date, ...]:
    """The ``valid_from`` of every version of the achievement rules, oldest first."""
    return tuple(valid_from for valid_from, _version in _versions("policy.json"))


def achievement_rules_version(valid_from: dt.date) -> AchievementRules | None:
    """The version that starts on ``valid_from`` exactly (None if no version does)."""
    for start, version in _versions("policy.json"):
        if start == valid_from:
            return _achievement_rules(start, version)
    return None


@dataclass(frozen=True)
class CycleDefaults:
    frequency: str
    plans_due: dt.date
    periodic_evaluation_days: int
    annual_evaluation_due: dt.date


def cycle_defaults(year: int) -> CycleDefaults:
    """The default dates of ``year``'s cycle: plans set by, periodic evaluations (days after a
    sub-period ends), annual evaluation (in the following year)."""
    cycle = policy_on(dt.date(year, 1, 1))["cycle"]
    plans_month, plans_day = (int(x) for x in cycle["plans_due"].split("-"))
    annual_month, annual_day = (int(x) for x in cycle["annual_evaluation_due"].split("-"))
    return CycleDefaults(
        frequency=cycle["frequency"],
        plans_due=dt.date(year, plans_month, plans_day),
        periodic_evaluation_days=int(cycle["periodic_evaluation_days"]),
        annual_evaluation_due=dt.date(year + 1, annual_month, annual_day),
    )


def rb_theme_choices(on: dt.date | None = None) -> list[tuple[str, str]]:
    """The RB Tematik themes in force (code, label)."""
    version = _in_force("rb_themes.json", on or dt.date.today())
    return [(t["code"], t["label"]) for t in version["themes"]]


@functools.cache
def development_area_choices() -> tuple[tuple[str, str], ...]:
    """The development areas of Perpres 80/2019 (code, name); the code is the name's slug."""
    with open(DATA / "development_areas.json", encoding="utf-8") as handle:
        areas = json.load(handle)["areas"]
    return tuple((slugify(a["name"]), a["name"]) for a in areas)


@dataclass(frozen=True)
class MeasureUnit:
    code: str
    label: str
    allows_negative: bool


@functools.cache
def measure_units() -> dict[str, MeasureUnit]:
    """The units of measure, by code; each says whether a negative value makes sense."""
    with open(DATA / "measure_units.csv", encoding="utf-8", newline="") as handle:
        return {
            r["code"]: MeasureUnit(r["code"], r["label"], r["allows_negative"] == "true")
            for r in csv.DictReader(handle)
        }


def measure_unit_choices() -> list[tuple[str, str]]:
    return [(u.code, u.label) for u in measure_units().values()]


@dataclass(frozen=True)
class EvidenceRules:
    max_bytes: int
    types: tuple[str, ...]


def evidence_rules(on: dt.date) -> EvidenceRules:
    """The file types (``pdf``, ``jpg``...) and the size allowed for evidence on ``on``."""
    rules = _in_force("evidence.json", on)
    return EvidenceRules(max_bytes=int(rules["max_bytes"]), types=tuple(rules["types"]))
