"""Numbers as Indonesian documents write them: ``{{ budget|rupiah }}`` is "Rp 1.250.000.000"
(",50" only when there are cents), ``{{ 85.5|angka }}`` is "85,5"."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


def format_number(value, places: int | None = None) -> str:
    """``value`` with "." between thousands and "," before the decimals; trailing zeros of
    the decimals dropped unless ``places`` fixes them. Anything not a number: as given."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places))
        text = f"{number:,.{places}f}"
    else:
        text = f"{number.normalize():,f}" if number != number.to_integral() else f"{number:,.0f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@register.filter
def angka(value) -> str:
    return format_number(value)


@register.filter
def rupiah(value) -> str:
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    places = 0 if number == number.to_integral() else 2
    return "Rp " + format_number(number, places)
