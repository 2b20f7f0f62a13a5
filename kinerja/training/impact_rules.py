"""The rules of the impact report's results level (Kirkpatrick's fourth), as pure functions
over numbers: which figure of a target counts (the year's once it is complete, else the latest
sub-period with a figure, marked provisional), a target's trend over earlier years, a
participant's linked and unlinked means and their differences, and the comparison with the
heads of agency who did not attend. `kinerja.training.impact` reads the numbers from the
maintained roll-ups and calls these; the rules' numbers come from ``data/impact.json``
(`impact_policy`), versioned by ``valid_from``.

Every mean is the plain mean of the figures present, rounded half up to two decimals once;
a difference is taken from the exact means and rounded the same way."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
CENT = Decimal("0.01")
YEAR = 0  # a roll-up's sub-period number for the whole year

MEAN, LINEAR = "mean", "linear"
# The states of the comparison with the untreated group.
COMPARED, NO_UNTREATED, TOO_FEW = "compared", "no_untreated", "too_few"


@dataclass(frozen=True)
class ImpactPolicy:
    valid_from: dt.date
    trend_years: int
    trend_method: str
    untreated_minimum: int
    default_sub_periods: int


@functools.cache
def _versions() -> tuple[ImpactPolicy, ...]:
    raw = json.loads((DATA / "impact.json").read_text(encoding="utf-8"))
    versions = [
        ImpactPolicy(
            valid_from=dt.date.fromisoformat(v["valid_from"]),
            trend_years=int(v["trend_years"]),
            trend_method=str(v["trend_method"]),
            untreated_minimum=int(v["untreated_minimum"]),
            default_sub_periods=int(v["default_sub_periods"]),
        )
        for v in raw["versions"]
    ]
    for version in versions:
        if version.trend_method not in (MEAN, LINEAR) or version.trend_years < 1:
            raise ValueError(f"impact.json: bad version {version}")
    return tuple(sorted(versions, key=lambda v: v.valid_from))


def impact_policy(year: int) -> ImpactPolicy:
    """The version in force on 1 January of ``year`` (a year before the first reads the
    first)."""
    versions = _versions()
    chosen = versions[0]
    for version in versions:
        if version.valid_from <= dt.date(year, 1, 1):
            chosen = version
    return chosen


def rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def exact_mean(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    return sum(present, Decimal(0)) / len(present)


def mean(values: Iterable[Decimal | None]) -> Decimal | None:
    """The plain mean of the values present, two decimals half up; None when there is none."""
    return rounded(exact_mean(values))


@dataclass(frozen=True)
class Figure:
    """A target's achievement as the report counts it: ``sub_period`` 0 for the year's
    result, else the sub-period it was read from; ``final`` once the year's result stands."""

    percent: Decimal
    sub_period: int
    final: bool

    @property
    def provisional(self) -> bool:
        return not self.final


def current_figure(rows: Mapping[int, Decimal | None], last_sub_period: int) -> Figure | None:
    """The figure of one target for its year, from its roll-up rows (sub-period number ->
    percent, None where the row has no figure).

    The year's row is maintained from the first verified sub-period on (year to date), so it
    is the year's result only once the last sub-period of the year has its row: then the
    year's figure counts, final. Until then the latest sub-period with a figure counts,
    provisional. No figure at all: None."""
    year = rows.get(YEAR)
    if year is not None and last_sub_period in rows:
        return Figure(year, YEAR, True)
    for number in sorted((n for n in rows if n != YEAR), reverse=True):
        if rows[number] is not None:
            return Figure(rows[number], number, False)
    return None


def combined_figure(figures: Sequence[Figure | None]) -> Figure | None:
    """The figure of a result measured by several targets (an SKP result and its individual
    indicators): their mean, final only when each is final, read from the latest sub-period."""
    present = [f for f in figures if f is not None]
    if not present:
        return None
    final = len(present) == len(figures) and all(f.final for f in present)
    number = YEAR if final else max(f.sub_period for f in present)
    return Figure(exact_mean(f.percent for f in present), number, final)


def trend(
    history: Mapping[int, Decimal | None], *, year: int, policy: ImpactPolicy
) -> Decimal | None:
    """A target's expected achievement in ``year`` from the annual achievements of the same
    indicator in the ``policy.trend_years`` years before (year -> percent): their mean, or
    (``linear``) the least-squares line through them carried to ``year``; a single year is its
    own trend. None without an earlier figure. Exact (not rounded)."""
    points = sorted(
        (y, p)
        for y, p in history.items()
        if p is not None and year - policy.trend_years <= y < year
    )
    if not points:
        return None
    if policy.trend_method == MEAN or len(points) == 1:
        return exact_mean(p for _y, p in points)
    n = Decimal(len(points))
    mean_x = sum((Decimal(y) for y, _p in points), Decimal(0)) / n
    mean_y = sum((p for _y, p in points), Decimal(0)) / n
    sxx = sum(((Decimal(y) - mean_x) ** 2 for y, _p in points), Decimal(0))
    sxy = sum(((Decimal(y) - mean_x) * (p - mean_y) for y, p in points), Decimal(0))
    return mean_y + sxy / sxx * (Decimal(year) - mean_x)


@dataclass(frozen=True)
class LinkedFigure:
    """A linked target (or result) of a participant: its figure and its trend."""

    figure: Figure | None
    trend: Decimal | None


def participant_result(
    linked: Sequence[LinkedFigure], unlinked: Sequence[Figure | None]
) -> dict[str, Any]:
    """One participant's results: the mean achievement of the targets linked to the action
    plan and of the unlinked ones, ``vs_unlinked`` (linked - unlinked), the trend of the linked
    targets that have one and ``vs_trend`` (their achievement - their trend, over those
    targets only), with the counts, and ``provisional`` when any figure counted is not the
    year's result."""
    linked_figures = [item.figure for item in linked if item.figure is not None]
    unlinked_figures = [f for f in unlinked if f is not None]
    linked_exact = exact_mean(f.percent for f in linked_figures)
    unlinked_exact = exact_mean(f.percent for f in unlinked_figures)
    pairs = [
        (i.figure.percent, i.trend) for i in linked if i.figure is not None and i.trend is not None
    ]
    paired_exact = exact_mean(p for p, _t in pairs)
    trend_exact = exact_mean(t for _p, t in pairs)
    counted = linked_figures + unlinked_figures
    return {
        "linked": rounded(linked_exact),
        "linked_n": len(linked_figures),
        "linked_total": len(linked),
        "unlinked": rounded(unlinked_exact),
        "unlinked_n": len(unlinked_figures),
        "vs_unlinked": _difference(linked_exact, unlinked_exact),
        "trend": rounded(trend_exact),
        "trend_n": len(pairs),
        "vs_trend": _difference(paired_exact, trend_exact),
        "overall": mean(f.percent for f in counted),
        "provisional": not counted or any(not f.final for f in counted),
    }


def _difference(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None or b is None:
        return None
    return rounded(a - b)


def mean_difference(values: Iterable[Decimal | None]) -> dict[str, Any]:
    """The mean of the participants' differences that exist, and how many there are."""
    present = [v for v in values if v is not None]
    return {"mean": mean(present), "n": len(present)}


def group_comparison(
    treated: Sequence[Decimal | None],
    untreated: Sequence[Decimal | None],
    *,
    untreated_total: int,
    policy: ImpactPolicy,
) -> dict[str, Any]:
    """The participants' overall achievement against the heads of agency of the same audience
    who did not attend (``untreated_total`` of them, ``untreated`` their figures): compared
    when at least ``policy.untreated_minimum`` of them have a figure; ``no_untreated`` when
    nobody stayed away; ``too_few`` otherwise (a group of one or two would point at a
    person, so its mean is not shown)."""
    treated_present = [v for v in treated if v is not None]
    untreated_present = [v for v in untreated if v is not None]
    result: dict[str, Any] = {
        "treated": mean(treated_present),
        "treated_n": len(treated_present),
        "untreated": None,
        "untreated_n": len(untreated_present),
        "untreated_total": untreated_total,
        "difference": None,
    }
    if untreated_total == 0:
        result["state"] = NO_UNTREATED
    elif len(untreated_present) < policy.untreated_minimum:
        result["state"] = TOO_FEW
    else:
        result["state"] = COMPARED
        result["untreated"] = mean(untreated_present)
        result["difference"] = _difference(
            exact_mean(treated_present), exact_mean(untreated_present)
        )
    return result
