"""Rupiah amounts as the project office writes them: "Rp 36,4 T" (trillions), "Rp 66,7 M"
(billions, miliar) in Indonesian; the full figure with thousand separators on request."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()

TRILLION = Decimal(10**12)
BILLION = Decimal(10**9)


@register.filter
def rupiah_short(value) -> str:
    """Rp in trillions (T) from a trillion up, else in billions; "–" when not known."""
    if value in (None, ""):
        return "–"
    amount = Decimal(value)
    if abs(amount) >= TRILLION:
        return _("Rp %(n)s T") % {"n": number_format(amount / TRILLION, 1, force_grouping=True)}
    return _("Rp %(n)s bn") % {"n": number_format(amount / BILLION, 1, force_grouping=True)}


@register.filter
def rupiah(value) -> str:
    """The full amount with thousand separators; "–" when not known."""
    if value in (None, ""):
        return "–"
    return "Rp " + number_format(int(value), 0, force_grouping=True)
