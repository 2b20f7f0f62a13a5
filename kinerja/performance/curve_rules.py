"""The unit's predikat and the distribution curve of its employees' predikat (SE MenPAN-RB
03/2023) as pure functions of policy data, with no database access.

- `UnitPredikat`: the five predikat of a unit (istimewa ... sangat kurang).
- `CurveRules.from_policy`: one version of the rules (``policy.json``, ``evaluation.curve`` and
  ``evaluation.unit_predikat``), read with `curve_rules_for_year`.
- `limits`: per band (or group of bands) the least and the most staff the curve allows.
- `breaches`: what a distribution of counts breaks, each with its message.
- `room`: per band the count, the limits and the room left, while the curve fills.
- `suggest_periodic` / `suggest_annual`: the unit predikat suggested from numbers (a policy
  choice: the regulation gives no numbers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .evaluation_rules import Predikat, Rating
from .policy import policy_on

HUNDRED = Decimal(100)
ROUNDINGS = {"half_up": ROUND_HALF_UP, "down": ROUND_FLOOR, "up": ROUND_CEILING}
ZERO_MINIMUM = ("zero", "one")  # a minimum that rounds to 0 stays 0, or becomes 1
BANDS = tuple(Predikat.values)  # the employee predikat, best first


class UnitPredikat(models.TextChoices):
    """The predikat of a unit's performance (SE MenPAN-RB 03/2023), best first."""

    ISTIMEWA = "istimewa", gettext_lazy("Outstanding (Istimewa)")
    BAIK = "baik", gettext_lazy("Good (Baik)")
    BUTUH_PERBAIKAN = "butuh_perbaikan", gettext_lazy("Needs improvement (Butuh Perbaikan)")
    KURANG = "kurang", gettext_lazy("Poor (Kurang)")
    SANGAT_KURANG = "sangat_kurang", gettext_lazy("Very poor (Sangat Kurang)")


ORDER = tuple(UnitPredikat.values)  # best first: a step up is one place to the left


@dataclass(frozen=True)
class CurveRule:
    """One rule of a curve: the staff in ``bands`` (one band or a group) are at least
    ``min_percent`` / at most ``max_percent`` of the unit's staff, or at least ``min_count``."""

    bands: tuple[str, ...]
    min_percent: Decimal | None = None
    max_percent: Decimal | None = None
    min_count: int | None = None

    @property
    def key(self) -> str:
        """The band's code, or a group's codes joined with ``+``."""
        return "+".join(self.bands)


@dataclass(frozen=True)
class Band:
    """A suggestion band: ``predikat`` when the percent is over ``over`` (None: any percent)."""

    predikat: str
    over: Decimal | None


@dataclass(frozen=True)
class CurveRules:
    """One version of the curve and unit-predikat rules."""

    curves: Mapping[str, tuple[CurveRule, ...]]
    rounding: str
    zero_minimum: str
    at_least_one_min_staff: int
    periodic_bands: tuple[Band, ...]
    no_progress_predikat: str
    no_progress_over: Decimal
    annual_bands: tuple[Band, ...]
    expectation_steps: Mapping[str, int]
    valid_from: dt.date | None = None

    @classmethod
    def from_policy(cls, data: Mapping[str, Any], valid_from: dt.date | None = None) -> CurveRules:
        curve = data["curve"]
        curves = {}
        for unit_predikat, rules in curve["rules"].items():
            if unit_predikat not in ORDER:
                raise ValueError(f"{unit_predikat!r} is not a unit predikat")
            parsed = []
            for rule in rules:
                bands = tuple(rule["bands"])
                if not bands or any(b not in BANDS for b in bands):
                    raise ValueError(f"a curve rule names an unknown predikat: {bands!r}")
                parsed.append(
                    CurveRule(
                        bands=bands,
                        min_percent=_dec(rule.get("min_percent")),
                        max_percent=_dec(rule.get("max_percent")),
                        min_count=rule.get("min_count"),
                    )
                )
            curves[unit_predikat] = tuple(parsed)
        if set(curves) != set(ORDER):
            raise ValueError("the curve needs the rules of every unit predikat")
        if curve["rounding"] not in ROUNDINGS:
            raise ValueError("rounding is half_up, down or up")
        if curve["zero_minimum"] not in ZERO_MINIMUM:
            raise ValueError("zero_minimum is 'zero' or 'one'")
        suggestion = data["unit_predikat"]
        periodic, annual = suggestion["periodic"], suggestion["annual"]
        steps = {k: int(v) for k, v in annual["expectation_steps"].items()}
        if set(steps) != set(Rating.values):
            raise ValueError("expectation_steps needs a step for every rating")
        return cls(
            curves=curves,
            rounding=curve["rounding"],
            zero_minimum=curve["zero_minimum"],
            at_least_one_min_staff=int(curve["at_least_one_min_staff"]),
            periodic_bands=_bands(periodic["bands"]),
            no_progress_predikat=periodic["no_progress"]["predikat"],
            no_progress_over=Decimal(str(periodic["no_progress"]["over_percent"])),
            annual_bands=_bands(annual["bands"]),
            expectation_steps=steps,
            valid_from=valid_from,
        )


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _bands(raw: Sequence[Mapping[str, Any]]) -> tuple[Band, ...]:
    bands = tuple(Band(b["predikat"], _dec(b.get("over_percent"))) for b in raw)
    if not bands or bands[-1].over is not None:
        raise ValueError("the last suggestion band takes any percent (no over_percent)")
    if any(b.predikat not in ORDER for b in bands):
        raise ValueError("a suggestion band names an unknown unit predikat")
    overs = [b.over for b in bands[:-1]]
    if any(o is None for o in overs) or overs != sorted(overs, reverse=True):
        raise ValueError("the suggestion bands go from the highest threshold down")
    return bands


def curve_rules(on: dt.date) -> CurveRules:
    """The rules in force on ``on``."""
    version = policy_on(on)
    return CurveRules.from_policy(
        version["evaluation"], dt.date.fromisoformat(version["valid_from"])
    )


def curve_rules_for_year(year: int) -> CurveRules:
    """The rules a year is rated under: those in force on its first day."""
    return curve_rules(dt.date(year, 1, 1))


# The curve --------------------------------------------------------------------------------


def share(rules: CurveRules, percent: Decimal, staff: int) -> int:
    """``percent`` of ``staff`` as a number of people, rounded as the policy says (half up by
    default: 70 % of 3 = 2.1 -> 2, 60 % of 3 = 1.8 -> 2, 10 % of 3 = 0.3 -> 0)."""
    exact = Decimal(staff) * percent / HUNDRED
    return int(exact.quantize(Decimal(1), rounding=ROUNDINGS[rules.rounding]))


def _rule_limits(rules: CurveRules, rule: CurveRule, staff: int) -> tuple[int, int]:
    low, high = 0, staff
    if rule.min_percent is not None:
        least = share(rules, rule.min_percent, staff)
        if least == 0 and rule.min_percent > 0 and staff > 0 and rules.zero_minimum == "one":
            least = 1
        low = max(low, least)
    if rule.min_count is not None and staff >= rules.at_least_one_min_staff:
        low = max(low, rule.min_count)
    if rule.max_percent is not None:
        high = min(high, share(rules, rule.max_percent, staff))
    return min(low, staff), high


def limits(rules: CurveRules, unit_predikat: str, staff: int) -> dict[str, tuple[int, int]]:
    """Per band, and per group of bands a rule names together (``kurang+butuh_perbaikan``),
    the least and the most staff the curve of ``unit_predikat`` allows in a unit of
    ``staff``: every band appears, ``(0, staff)`` where no rule limits it."""
    if unit_predikat not in rules.curves:
        raise ValueError(f"not a unit predikat: {unit_predikat!r}")
    if staff < 0:
        raise ValueError("staff is not negative")
    out: dict[str, tuple[int, int]] = {band: (0, staff) for band in BANDS}
    for rule in rules.curves[unit_predikat]:
        low, high = _rule_limits(rules, rule, staff)
        old_low, old_high = out.get(rule.key, (0, staff))
        out[rule.key] = (max(low, old_low), min(high, old_high))
    return out


def _count(counts: Mapping[str, int], key: str) -> int:
    return sum(int(counts.get(band, 0)) for band in key.split("+"))


def _label(key: str) -> str:
    return " + ".join(str(Predikat(band).label) for band in key.split("+"))


@dataclass(frozen=True)
class Breach:
    """A band (or group) with fewer staff than the curve's least (``kind`` ``min``) or more
    than its most (``max``)."""

    band: str
    kind: str
    limit: int
    count: int
    staff: int

    @property
    def message(self) -> str:
        values = {"band": _label(self.band), "limit": self.limit, "count": self.count}
        values["staff"] = self.staff
        if self.kind == "min":
            return (
                _(
                    "%(band)s: at least %(limit)d of %(staff)d staff are needed, there are "
                    "%(count)d."
                )
                % values
            )
        return _("%(band)s: at most %(limit)d of %(staff)d staff, there are %(count)d.") % values

    def as_dict(self) -> dict[str, Any]:
        return {
            "band": self.band,
            "kind": self.kind,
            "limit": self.limit,
            "count": self.count,
            "staff": self.staff,
            "message": self.message,
        }


def staff_of(counts: Mapping[str, int]) -> int:
    """The staff of a distribution: the sum of its counts per band."""
    unknown = set(counts) - set(BANDS)
    if unknown:
        raise ValueError(f"not a predikat: {sorted(unknown)!r}")
    if any(int(n) < 0 for n in counts.values()):
        raise ValueError("a count is not negative")
    return sum(int(n) for n in counts.values())


def breaches(rules: CurveRules, unit_predikat: str, counts: Mapping[str, int]) -> list[Breach]:
    """What the distribution ``counts`` (predikat -> staff) breaks of the curve of
    ``unit_predikat``: each band or group under its least or over its most, in the order of
    the policy's rules. An empty list: the curve is kept."""
    staff = staff_of(counts)
    out = []
    for key, (low, high) in limits(rules, unit_predikat, staff).items():
        n = _count(counts, key)
        if n < low:
            out.append(Breach(key, "min", low, n, staff))
        elif n > high:
            out.append(Breach(key, "max", high, n, staff))
    return out


@dataclass(frozen=True)
class Room:
    """One band (or group) while the curve fills: its count, its limits, how many more it may
    take (``room``, negative when over) and how many it still needs (``needed``)."""

    band: str
    count: int
    min: int
    max: int

    @property
    def room(self) -> int:
        return self.max - self.count

    @property
    def needed(self) -> int:
        return max(0, self.min - self.count)

    def as_dict(self) -> dict[str, Any]:
        return {
            "band": self.band,
            "count": self.count,
            "min": self.min,
            "max": self.max,
            "room": self.room,
            "needed": self.needed,
        }


def room(rules: CurveRules, unit_predikat: str, counts: Mapping[str, int]) -> list[Room]:
    """Per band (best first, then the groups), what a page shows while the curve fills."""
    staff = staff_of(counts)
    return [
        Room(key, _count(counts, key), low, high)
        for key, (low, high) in limits(rules, unit_predikat, staff).items()
    ]


# The suggested unit predikat ----------------------------------------------------------------


def _by_bands(bands: Sequence[Band], percent: Decimal) -> str:
    for band in bands:
        if band.over is None or percent > band.over:
            return band.predikat
    return bands[-1].predikat  # pragma: no cover - the last band takes any percent


def suggest_periodic(
    rules: CurveRules, progress: Decimal | None, no_progress: Decimal | None = None
) -> str | None:
    """The unit predikat suggested for a sub-period from its action plans: ``progress``, the
    actions' progress against what was planned to date (percent, over 100 when ahead), and
    ``no_progress``, the share of the actions planned to date that show none (percent). When
    most show none (over the policy's share) the policy's predikat (sangat kurang); else the
    bands of ``progress``. None without a progress."""
    if progress is None:
        return None
    if no_progress is not None and no_progress > rules.no_progress_over:
        return rules.no_progress_predikat
    return _by_bands(rules.periodic_bands, progress)


def suggest_annual(
    rules: CurveRules, achievement: Decimal | None, expectation: str | None = None
) -> str | None:
    """The unit predikat suggested for a year: the bands of the PK ``achievement`` (percent),
    moved by the unit's delivery against the expectation (``expectation``, a rating: by
    default one step up when above, one down when below, kept within the scale). None without
    an achievement."""
    if achievement is None:
        return None
    base = ORDER.index(_by_bands(rules.annual_bands, achievement))
    step = rules.expectation_steps.get(expectation or Rating.AS_EXPECTED.value, 0)
    return ORDER[min(max(base - step, 0), len(ORDER) - 1)]
