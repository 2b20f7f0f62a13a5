"""The consequences of a final evaluation as pure functions of policy data, with no database
access: the credit points (angka kredit) of a functional post, periodic and annual
(PermenPAN-RB 1/2023; Peraturan BKN 3/2023), and the performance component of the regional
allowance (TPP) for a month.

The rules are versioned with the rest of the policy (``data/policy.json``, keys
``credit_points`` and ``tpp``): a year is computed under the version in force on its first day.

Rounding: every figure is computed exactly and rounded once, at the end, to 0.01 half up.
2 months of an Ahli Pertama rated baik: 2/12 x 100 % x 12.5 = 2.0833... -> 2.08; a year of
sangat baik: 12/12 x 150 % x 12.5 = 18.75.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .evaluation_rules import Predikat
from .policy import policy_on

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
MONTHS_A_YEAR = 12
FUNCTIONAL = "fungsional"  # PositionKind.FUNGSIONAL (organisations.choices); no import needed

# Why a final evaluation earns no credit points.
NOT_FUNCTIONAL = "not_functional"
NO_LEVEL = "no_level"
NO_PREDIKAT = "no_predikat"


def _percents(data: Mapping[str, Any], key: str) -> dict[str, Decimal]:
    table = {p: Decimal(str(v)) for p, v in data[key].items()}
    if set(table) != set(Predikat.values):
        raise ValueError(f"{key} needs a percent for every predikat, and only for them")
    if any(v < 0 for v in table.values()):
        raise ValueError(f"{key}: a percent is not negative")
    return table


def _reference_day(data: Mapping[str, Any]) -> int:
    day = int(data["plan_covers_day"])
    if not 1 <= day <= 28:
        raise ValueError("plan_covers_day is a day every month has (1 to 28)")
    return day


@dataclass(frozen=True)
class Level:
    code: str
    title_ends_with: str
    coefficient: Decimal


@dataclass(frozen=True)
class CreditRules:
    """One version of the credit-point rules: the percent of each predikat, the levels (each
    read from the end of a post's title, with its coefficient), the levels whose coefficient
    is not confirmed, and the day of a month a plan must cover for the month to count."""

    percent: Mapping[str, Decimal]
    levels: tuple[Level, ...]
    unconfirmed: frozenset[str]
    plan_covers_day: int

    @classmethod
    def from_policy(cls, data: Mapping[str, Any]) -> CreditRules:
        levels = tuple(
            Level(
                code=row["code"],
                title_ends_with=" ".join(row["title_ends_with"].split()),
                coefficient=Decimal(str(row["coefficient"])),
            )
            for row in data["levels"]
        )
        codes = [level.code for level in levels]
        if len(set(codes)) != len(codes):
            raise ValueError("a level is listed twice")
        if any(level.coefficient <= 0 or not level.title_ends_with for level in levels):
            raise ValueError("a level needs a title ending and a positive coefficient")
        unconfirmed = frozenset(data.get("unconfirmed", ()))
        if not unconfirmed <= set(codes):
            raise ValueError("an unconfirmed level is not a level")
        return cls(
            percent=_percents(data, "percent_by_predikat"),
            levels=levels,
            unconfirmed=unconfirmed,
            plan_covers_day=_reference_day(data),
        )

    def level(self, code: str) -> Level:
        for level in self.levels:
            if level.code == code:
                return level
        raise ValueError(f"not a level: {code!r}")


def credit_rules(on: dt.date) -> CreditRules:
    return CreditRules.from_policy(policy_on(on)["credit_points"])


def credit_rules_for_year(year: int) -> CreditRules:
    """The rules a year's credit points are computed under: those in force on its first day."""
    return credit_rules(dt.date(year, 1, 1))


def functional_level(rules: CreditRules, title: str) -> Level | None:
    """The level a functional post's title ends with ("Pranata Komputer Ahli Pertama" ->
    ahli_pertama), case and spacing aside; the longest ending wins. None when the title ends
    with no level of the table: such a post earns no credit points (reported as ``no_level``)."""
    words = " ".join((title or "").split()).casefold()
    found = None
    for level in rules.levels:
        ending = level.title_ends_with.casefold()
        if (words == ending or words.endswith(" " + ending)) and (
            found is None or len(ending) > len(found.title_ends_with)
        ):
            found = level
    return found


def window_months(year: int, frequency: str, sub_period: int | None) -> tuple[int, int]:
    """The first and last month of a sub-period (``monthly`` or ``quarterly``), or of the year
    when ``sub_period`` is None or 0 (an annual evaluation)."""
    if not sub_period:
        return 1, 12
    size = 1 if frequency == "monthly" else 3
    if not 1 <= sub_period <= MONTHS_A_YEAR // size:
        raise ValueError(f"the year has no sub-period {sub_period}")
    first = (sub_period - 1) * size + 1
    return first, first + size - 1


def sub_period_of_month(frequency: str, month: int) -> int:
    """The number of the sub-period that holds ``month`` (1 to 12)."""
    if not 1 <= month <= MONTHS_A_YEAR:
        raise ValueError("a month is 1 to 12")
    return month if frequency == "monthly" else (month - 1) // 3 + 1


def month_day(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def months_covered(
    starts: dt.date, ends: dt.date, year: int, first_month: int, last_month: int, day: int
) -> int:
    """How many months from ``first_month`` to ``last_month`` of ``year`` count for a plan of
    ``starts``..``ends``: those whose ``day`` (the 15th by default) the plan covers. Two plans
    of one employee that do not overlap never count the same month."""
    return sum(
        1
        for month in range(first_month, last_month + 1)
        if starts <= month_day(year, month, day) <= ends
    )


@dataclass(frozen=True)
class CreditPoints:
    """The credit points of one evaluation, with their inputs. ``points`` is None with a
    ``reason`` (``not_functional``, ``no_level``, ``no_predikat``)."""

    points: Decimal | None
    level: str = ""
    coefficient: Decimal | None = None
    percent: Decimal | None = None
    months: int = 0
    confirmed: bool = True
    reason: str = ""


def credit_points(rules: CreditRules, predikat: str, level: Level, months: int) -> Decimal:
    """months / 12 x the predikat's percent x the level's coefficient, to 0.01 half up."""
    if not 0 <= months <= MONTHS_A_YEAR:
        raise ValueError("0 to 12 months")
    try:
        percent = rules.percent[predikat]
    except KeyError:
        raise ValueError(f"not a predikat: {predikat!r}") from None
    exact = Decimal(months) * percent * level.coefficient / (MONTHS_A_YEAR * HUNDRED)
    return exact.quantize(CENT, rounding=ROUND_HALF_UP)


def post_credit_points(
    rules: CreditRules, *, position_kind: str, position_title: str, predikat: str, months: int
) -> CreditPoints:
    """The credit points a post earns over ``months`` with ``predikat``: none for a post that
    is not functional, whose title names no level, or without a predikat (the reason says
    which)."""
    if position_kind != FUNCTIONAL:
        return CreditPoints(points=None, reason=NOT_FUNCTIONAL)
    level = functional_level(rules, position_title)
    if level is None:
        return CreditPoints(points=None, reason=NO_LEVEL)
    confirmed = level.code not in rules.unconfirmed
    if not predikat:
        return CreditPoints(
            points=None,
            level=level.code,
            coefficient=level.coefficient,
            months=months,
            confirmed=confirmed,
            reason=NO_PREDIKAT,
        )
    return CreditPoints(
        points=credit_points(rules, predikat, level, months),
        level=level.code,
        coefficient=level.coefficient,
        percent=rules.percent[predikat],
        months=months,
        confirmed=confirmed,
    )


# The regional allowance (TPP) --------------------------------------------------------------


@dataclass(frozen=True)
class TppRules:
    """One version of the TPP rules: the weights of performance and discipline (percent,
    summing to 100), the performance percent of each predikat, and the day of a month a plan
    must cover to be the month's plan."""

    performance_weight: Decimal
    discipline_weight: Decimal
    percent: Mapping[str, Decimal]
    plan_covers_day: int

    @classmethod
    def from_policy(cls, data: Mapping[str, Any]) -> TppRules:
        rules = cls(
            performance_weight=Decimal(str(data["performance_weight_percent"])),
            discipline_weight=Decimal(str(data["discipline_weight_percent"])),
            percent=_percents(data, "percent_by_predikat"),
            plan_covers_day=_reference_day(data),
        )
        if rules.performance_weight + rules.discipline_weight != HUNDRED:
            raise ValueError("the performance and discipline weights sum to 100")
        if min(rules.performance_weight, rules.discipline_weight) < 0:
            raise ValueError("a weight is not negative")
        if any(v > HUNDRED for v in rules.percent.values()):
            raise ValueError("a TPP performance percent is at most 100")
        return rules


def tpp_rules(on: dt.date) -> TppRules:
    return TppRules.from_policy(policy_on(on)["tpp"])


def tpp_rules_for_year(year: int) -> TppRules:
    return tpp_rules(dt.date(year, 1, 1))


@dataclass(frozen=True)
class TppComponent:
    """The performance component of one employee's month: the predikat's percent, the
    performance weight and their product (the share of the whole TPP the performance part
    pays), or nothing without a predikat."""

    percent: Decimal | None
    weight: Decimal
    component: Decimal | None


def tpp_performance(rules: TppRules, predikat: str | None) -> TppComponent:
    """percent(predikat) x performance weight / 100, to 0.01 half up: baik at 60 % -> 60.00,
    butuh perbaikan (75 %) -> 45.00. No predikat (no final evaluation): no component, never a
    silent 0."""
    if not predikat:
        return TppComponent(percent=None, weight=rules.performance_weight, component=None)
    try:
        percent = rules.percent[predikat]
    except KeyError:
        raise ValueError(f"not a predikat: {predikat!r}") from None
    component = (percent * rules.performance_weight / HUNDRED).quantize(
        CENT, rounding=ROUND_HALF_UP
    )
    return TppComponent(percent=percent, weight=rules.performance_weight, component=component)
