"""Field rules shared by models, forms, the API and the importer: one copy of each rule."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NIP_RE = re.compile(r"^\d{18}$")
UNIT_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
REGION_CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
# PPPK numbers carry "21" where a PNS number carries the appointment month (BKN practice).
PPPK_MONTH_MARKER = 21


# Separators people type or paste between the groups: spaces of every width (a NBSP comes with
# text copied from a web page or a Word letter), tabs, dots, dashes and invisible joiners.
NIP_SEPARATORS = str.maketrans(
    "", "", " .-\u00a0\u2007\u202f\t\u2010\u2011\u2012\u2013\u200b\u2060\ufeff"
)
# "NIP. 19750315 200501 1 002" is how a NIP is printed under a signature.
NIP_LABEL_RE = re.compile(r"^nip\s*[.:]?\s*", re.IGNORECASE)
# What Excel shows when an 18-digit NIP became a number: the last digits are already lost.
NIP_AS_NUMBER_RE = re.compile(r"^\d(?:[.,]\d+)?[eE]\+?\d+$")


def normalise_nip(value: object) -> str:
    """Return a NIP as typed, pasted or printed, reduced to its digits; the one normaliser.

    Accepts the product's own display ("19750315 200501 1 002"), dots or dashes between the
    groups, surrounding spaces (NBSP too), a "NIP." label and Excel's leading apostrophe. Leaves
    the length to `parse_nip`. Refuses, with a message saying what to do, digits of other
    scripts (they look right and are not) and a NIP that Excel turned into a number (its last
    digits are gone and cannot be recovered).
    """
    if value.__class__ is str and len(value) == 18 and value.isascii() and value.isdigit():
        return value  # the usual case, on the import's hot path: nothing to normalise
    as_number = isinstance(value, str) and NIP_AS_NUMBER_RE.match(value.strip())
    if isinstance(value, float) or as_number:
        raise ValidationError(
            _(
                "This NIP was turned into a number and its last digits are lost. Format the NIP "
                "column as Text and type the NIP again."
            ),
            code="nip_number",
        )
    text = "" if value is None else str(value)
    text = NIP_LABEL_RE.sub("", text.strip().lstrip("'\u2018\u2019"))
    text = text.translate(NIP_SEPARATORS)
    if not text.isascii() and any(ch.isdigit() and not ("0" <= ch <= "9") for ch in text):
        raise ValidationError(
            _(
                "NIP must be written with the digits 0-9 only; it contains digits of another "
                "script (for example Arabic-Indic or full-width digits)."
            ),
            code="nip_digits",
        )
    return text


@dataclass(frozen=True)
class NipParts:
    birth_date: dt.date
    appointment_year: int
    appointment_month: int | None  # None for a PPPK number, whose month digits are the marker
    sex: str  # "m" or "f"
    sequence: int


def parse_nip(value: str, *, pppk: bool = False) -> NipParts:
    """Split an 18-digit NIP into its parts, or raise ValidationError saying what is wrong.

    Layout: birth date YYYYMMDD, appointment YYYYMM, sex (1 male, 2 female), sequence (3 digits).
    """
    nip = normalise_nip(value)
    if not NIP_RE.match(nip):
        raise ValidationError(_("NIP must be exactly 18 digits."), code="nip_format")
    try:
        birth = dt.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise ValidationError(
            _("NIP digits 1-8 must be a real birth date (YYYYMMDD)."), code="nip_birth_date"
        ) from None
    year, month = int(nip[8:12]), int(nip[12:14])
    if pppk and month == PPPK_MONTH_MARKER:
        appointment_month = None
    elif 1 <= month <= 12:
        appointment_month = month
    else:
        raise ValidationError(
            _("NIP digits 9-14 must be the appointment year and month (YYYYMM)."),
            code="nip_appointment",
        )
    if appointment_month is None:
        too_early = year <= birth.year
    else:
        too_early = (year, appointment_month) <= (birth.year, birth.month)
    if too_early or year < 1945:
        raise ValidationError(
            _("The appointment date in the NIP must come after the birth date."),
            code="nip_appointment_order",
        )
    if nip[14] not in "12":
        raise ValidationError(_("NIP digit 15 must be 1 (male) or 2 (female)."), code="nip_sex")
    sequence = int(nip[15:18])
    if sequence == 0:
        raise ValidationError(_("NIP sequence (digits 16-18) cannot be 000."), code="nip_sequence")
    return NipParts(birth, year, appointment_month, "m" if nip[14] == "1" else "f", sequence)


def validate_nip(value: str) -> None:
    """Validate a PNS or PPPK NIP (the PPPK month marker is accepted)."""
    parse_nip(value, pppk=True)


def validate_unit_code(value: str) -> None:
    if not UNIT_CODE_RE.match(value or ""):
        raise ValidationError(
            _("Code may hold letters, digits, dot, dash and underscore, up to 40 characters."),
            code="unit_code",
        )


def validate_region_code(value: str) -> None:
    if not REGION_CODE_RE.match(value or ""):
        raise ValidationError(
            _("Region code must look like 35, 35.73, 35.73.01 or 35.73.01.1001."),
            code="region_code",
        )
