"""Achievement (capaian) of a realisation against a target, in percent: a pure function.

Higher is better: realisation / target x 100. Lower is better: (2 - realisation / target) x 100
(PermenPAN-RB 8/2021 annex). A range is a target *shape*, not a polarity: inside [low, high]
the achievement is 100; outside, the indicator's own formula against the nearer bound. So a
lower-is-better range [7, 8] months gives 107.14 for 6.5 and 87.5 for 9 (dividing 9 by the
upper bound with the higher-is-better formula would give 112.5: a known bug of public code).
A target of 0 follows the policy's zero-target rule. The result is kept between the floor and
the cap (the indicator's own cap, else the policy default) and rounded to two decimals.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .choices import Polarity

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def _formula(realisation: Decimal, target: Decimal, polarity: str, zero: dict) -> Decimal:
    if target == 0:
        rule = zero[polarity]
        return rule["equal"] if realisation == 0 else rule["other"]
    ratio = realisation / target
    if polarity == Polarity.LOWER_IS_BETTER:
        return (2 - ratio) * HUNDRED
    return ratio * HUNDRED


def achievement(
    *,
    realisation: Decimal,
    polarity: str,
    target: Decimal | None = None,
    low: Decimal | None = None,
    high: Decimal | None = None,
    cap: Decimal,
    floor: Decimal = Decimal(0),
    zero_target: dict[str, dict[str, Decimal]] | None = None,
) -> Decimal:
    """Return the achievement of ``realisation`` in percent, two decimals.

    Give either ``target`` (a value) or ``low`` and ``high`` (a range, low <= high).
    ``zero_target`` maps a polarity to ``{"equal": .., "other": ..}``: the achievement when the
    target (or the nearer bound) is 0 and the realisation equals it, or not.
    """
    zero = zero_target or {
        Polarity.HIGHER_IS_BETTER: {"equal": HUNDRED, "other": Decimal(0)},
        Polarity.LOWER_IS_BETTER: {"equal": HUNDRED, "other": Decimal(0)},
    }
    realisation = Decimal(realisation)
    if target is not None:
        value = _formula(realisation, Decimal(target), polarity, zero)
    else:
        if low is None or high is None:
            raise ValueError("a range needs both bounds")
        low, high = Decimal(low), Decimal(high)
        if low > high:
            raise ValueError("a range's low bound is above its high bound")
        if low <= realisation <= high:
            value = HUNDRED
        else:
            nearer = low if realisation < low else high
            value = _formula(realisation, nearer, polarity, zero)
    value = max(Decimal(floor), min(Decimal(cap), value))
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
