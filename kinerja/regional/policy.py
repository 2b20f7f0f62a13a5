"""The regional app's facts and working lists, read from ``data/``.

``perpres80.json`` holds the published facts of Perpres 80/2019 with their sources;
``policy.json`` the project office's lists (categories, readiness and prioritisation
criteria), versioned by ``valid_from`` like the planning policy.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


@functools.cache
def facts() -> dict[str, Any]:
    """Return the published facts of Perpres 80/2019 (``data/perpres80.json``)."""
    with open(DATA / "perpres80.json", encoding="utf-8") as handle:
        return json.load(handle)


@functools.cache
def _versions() -> tuple[tuple[dt.date, dict[str, Any]], ...]:
    with open(DATA / "policy.json", encoding="utf-8") as handle:
        raw = json.load(handle)
    versions = [(dt.date.fromisoformat(v["valid_from"]), v) for v in raw["versions"]]
    return tuple(sorted(versions, key=lambda item: item[0]))


def policy_on(on: dt.date | None = None) -> dict[str, Any]:
    """Return the version of the working lists in force on ``on`` (today when left out)."""
    on = on or dt.date.today()
    chosen = _versions()[0][1]
    for valid_from, version in _versions():
        if valid_from <= on:
            chosen = version
    return chosen


def category_choices() -> list[tuple[str, str]]:
    """The project categories (code, label) in force."""
    return [(c["code"], c["label"]) for c in policy_on()["categories"]]


def readiness_choices() -> list[tuple[str, str]]:
    """The readiness criteria (code, label) in force."""
    return [(c["code"], c["label"]) for c in policy_on()["readiness_criteria"]]


def prioritisation_choices() -> list[tuple[str, str]]:
    """The prioritisation criteria (code, label) in force."""
    return [(c["code"], c["label"]) for c in policy_on()["prioritisation_criteria"]]


def area_facts() -> list[dict[str, Any]]:
    """The five areas in the regulation's order."""
    return list(facts()["areas"])
