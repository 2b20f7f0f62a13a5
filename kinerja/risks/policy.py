"""The risk register's policy as pure functions: the likelihood and impact scales, the level
(likelihood x impact) and its band, the categories, and the early-warning rules (likelihood
from how far the projection falls below the threshold, impact from the target's weight).

The numbers come from ``data/risk_policy.json``, versioned by ``valid_from`` (the version in
force on the day the risk is assessed); none is written here."""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone, translation

DATA = Path(__file__).resolve().parent / "data" / "risk_policy.json"

# The weights of a target, as the early-warning impact rule names them.
PROVINCE_KEY, KEY, AGREEMENT, OTHER = (
    "province_key_indicator",
    "key_indicator",
    "agreement_target",
    "other",
)
WEIGHTS = (PROVINCE_KEY, KEY, AGREEMENT, OTHER)


def entry_label(entry: dict[str, Any]) -> str:
    """The entry's label in the active language (Indonesian unless English is asked for)."""
    lang = (translation.get_language() or "id").split("-")[0]
    return str(entry.get(lang) or entry["id"])


@dataclass(frozen=True)
class Band:
    key: str
    low: int  # the lowest level of the band
    high: int  # the highest level of the band
    color: str
    labels: dict[str, str]

    @property
    def label(self) -> str:
        return entry_label(self.labels)


@dataclass(frozen=True)
class RiskPolicy:
    valid_from: dt.date
    scale_max: int
    likelihood: tuple[dict[str, Any], ...]
    impact: tuple[dict[str, Any], ...]
    bands: tuple[Band, ...]
    treatment_required_from: str
    categories: tuple[dict[str, Any], ...]
    warning_category: str
    likelihood_by_shortfall: tuple[tuple[Decimal, int], ...]
    impact_by_weight: dict[str, int]

    # Levels ----------------------------------------------------------------------------

    @property
    def scale(self) -> range:
        return range(1, self.scale_max + 1)

    def level(self, likelihood: int, impact: int) -> int:
        """The risk level: likelihood x impact (4 x 5 = 20)."""
        return int(likelihood) * int(impact)

    def band(self, level: int | None) -> Band | None:
        """The band holding ``level`` (20: very high); None for no level."""
        if level is None:
            return None
        for band in self.bands:
            if band.low <= level <= band.high:
                return band
        return None

    def band_by_key(self, key: str) -> Band | None:
        return next((b for b in self.bands if b.key == key), None)

    def needs_treatment(self, level: int | None) -> bool:
        """Whether a risk of ``level`` is above the appetite: it needs a mitigation."""
        floor = self.band_by_key(self.treatment_required_from)
        return level is not None and floor is not None and level >= floor.low

    def likelihood_label(self, value: int | None) -> str:
        return next((entry_label(e) for e in self.likelihood if e["value"] == value), "")

    def impact_label(self, value: int | None) -> str:
        return next((entry_label(e) for e in self.impact if e["value"] == value), "")

    # Categories ------------------------------------------------------------------------

    def category_keys(self) -> list[str]:
        return [c["key"] for c in self.categories]

    def category_choices(self) -> list[tuple[str, str]]:
        return [(c["key"], entry_label(c)) for c in self.categories]

    def category_label(self, key: str) -> str:
        return next((entry_label(c) for c in self.categories if c["key"] == key), key)

    # Early warning ---------------------------------------------------------------------

    def likelihood_from_shortfall(self, projected: Decimal, threshold: Decimal) -> int:
        """The likelihood of a target projected at ``projected`` percent against a threshold of
        ``threshold`` percent: the rule of the largest shortfall (threshold - projection, in
        points) it reaches (72 against 90: 18 points, from 10: likelihood 4)."""
        shortfall = Decimal(threshold) - Decimal(projected)
        chosen = self.likelihood_by_shortfall[0][1]
        for points, likelihood in self.likelihood_by_shortfall:
            if shortfall >= points:
                chosen = likelihood
        return chosen

    def impact_from_weight(self, weight: str) -> int:
        """The impact of a target of ``weight`` (a key indicator of the province: 5)."""
        return self.impact_by_weight[weight]


def _policy(raw: dict[str, Any]) -> RiskPolicy:
    bands = tuple(
        Band(
            key=b["key"],
            low=int(b["min"]),
            high=int(b["max"]),
            color=b["color"],
            labels={"id": b["id"], "en": b["en"]},
        )
        for b in raw["bands"]
    )
    warning = raw["early_warning"]
    policy = RiskPolicy(
        valid_from=dt.date.fromisoformat(raw["valid_from"]),
        scale_max=int(raw["scale_max"]),
        likelihood=tuple(raw["likelihood"]),
        impact=tuple(raw["impact"]),
        bands=bands,
        treatment_required_from=raw["treatment_required_from"],
        categories=tuple(raw["categories"]),
        warning_category=warning["category"],
        likelihood_by_shortfall=tuple(
            (Decimal(str(r["from_points"])), int(r["likelihood"]))
            for r in sorted(warning["likelihood_by_shortfall"], key=lambda r: r["from_points"])
        ),
        impact_by_weight={k: int(v) for k, v in warning["impact"].items()},
    )
    _check(policy)
    return policy


def _check(policy: RiskPolicy) -> None:
    """Refuse a version whose bands leave a level out or overlap, or whose rules leave the
    scale."""
    top = policy.scale_max * policy.scale_max
    covered = [level for band in policy.bands for level in range(band.low, band.high + 1)]
    if sorted(covered) != list(range(1, top + 1)):
        raise ValueError(f"risk_policy.json: the bands must cover 1..{top} once")
    values = [e["value"] for e in policy.likelihood] + [e["value"] for e in policy.impact]
    rules = [v for _p, v in policy.likelihood_by_shortfall] + list(policy.impact_by_weight.values())
    if any(not 1 <= int(v) <= policy.scale_max for v in values + rules):
        raise ValueError("risk_policy.json: a value outside the scale")
    if set(policy.impact_by_weight) != set(WEIGHTS):
        raise ValueError("risk_policy.json: the impact rule names every weight")
    if policy.warning_category not in policy.category_keys():
        raise ValueError("risk_policy.json: the early warning's category is not a category")
    if policy.band_by_key(policy.treatment_required_from) is None:
        raise ValueError("risk_policy.json: treatment_required_from is not a band")


@functools.cache
def _versions() -> tuple[RiskPolicy, ...]:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    return tuple(sorted((_policy(v) for v in raw["versions"]), key=lambda v: v.valid_from))


def risk_policy(day: dt.date | None = None) -> RiskPolicy:
    """The version in force on ``day`` (today when left out; a day before the first reads the
    first)."""
    day = day or timezone.localdate()
    versions = _versions()
    chosen = versions[0]
    for version in versions:
        if version.valid_from <= day:
            chosen = version
    return chosen


def category_choices() -> list[tuple[str, str]]:
    """Every category any version names (the model's choices), labelled by today's version."""
    seen: dict[str, str] = {}
    for version in _versions():
        for key, label in version.category_choices():
            seen.setdefault(key, label)
    return list(seen.items())
