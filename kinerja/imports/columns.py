"""Columns of an import file and the parsers that turn a cell into a value.

A parser takes one non-empty cell (a str from CSV, a str, float, bool or date from Excel) and
returns the typed value or raises ``ValidationError``. Parsers built by `for_field` take their
rules from a model field (length, choices, validators), so an import checks a value exactly as
the forms and the API do, without a second copy of the rule and without ``full_clean`` per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

Parser = Callable[[Any], Any]

_TRUE = {"1", "true", "yes", "y", "ya", "benar", "x"}
_FALSE = {"0", "false", "no", "n", "tidak", "t", "salah"}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
# A CSV export writes "'" before a text that a spreadsheet would run as a formula
# (kinerja.core.excel); the import takes it off again, so the export round-trips.
ESCAPED = frozenset("=+-@")


@dataclass(frozen=True)
class Column:
    """One column an importer understands.

    ``name`` is the field the importer reads; ``label`` is the header the export and the
    template write (Indonesian, not translated, so that a file travels between users of either
    language). A header matches by the label, the name or one of ``aliases``, in any case.

    ``required``: the header must be present. ``blank``: a cell of a present column may be
    empty (it clears the value, or takes the documented default); otherwise an empty cell is an
    error. A column absent from the file keeps what is stored. ``readonly`` columns are written
    by the export for reading (a unit's name beside its code) and ignored on import.
    """

    name: str
    parse: Parser | None
    required: bool = False
    blank: bool = False
    help: Any = ""
    example: Any = ""
    format: Any = ""
    allowed: Sequence[str] = field(default_factory=tuple)
    label: str = ""
    aliases: Sequence[str] = field(default_factory=tuple)
    readonly: bool = False

    @property
    def value_required(self) -> bool:
        return not self.blank

    @property
    def header(self) -> str:
        """Return the header the export and the template write."""
        return self.label or self.name

    def spellings(self) -> list[str]:
        """Return every header that names this column (to be folded by the engine)."""
        return [self.name, self.header, *self.aliases]


def readonly(name: str, label: str, *, help: Any = "", example: Any = "") -> Column:
    """Return a column the export writes for reading and the import accepts and ignores."""
    return Column(
        name=name,
        parse=None,
        blank=True,
        help=help,
        example=example,
        format=gettext_lazy("for reading only; ignored on import"),
        label=label,
        readonly=True,
    )


def fold_header(header: str) -> str:
    """Return a header folded for matching: case and spacing do not matter."""
    return "_".join(str(header).split()).casefold()


def as_text(cell: Any) -> str:
    """Return a cell as text: whole numbers without ".0", dates as YYYY-MM-DD."""
    if cell.__class__ is str:
        return cell.strip()
    if isinstance(cell, bool):
        return "1" if cell else "0"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell).strip()


def _run(validators: Sequence[Callable[[Any], None]], value: Any) -> None:
    for validator in validators:
        validator(value)


def text(validators: Iterable[Callable] = ()) -> Parser:
    """Return a parser for free text, checked by ``validators`` (which hold the length rule).

    A value within the limit of a MaxLengthValidator passes it, so that validator is only
    called (to raise its own message) when the value is too long: a cheap ``len`` per cell.
    """
    checks = tuple(v for v in validators if not isinstance(v, MaxLengthValidator))
    limits = [v for v in validators if isinstance(v, MaxLengthValidator)]
    limit = min((v.limit_value for v in limits), default=None)

    def parse(cell: Any) -> str:
        value = cell.strip() if cell.__class__ is str else as_text(cell)
        if value[:1] == "'" and value[1:2] in ESCAPED:
            value = value[1:]  # the apostrophe an export puts before "=", "+", "-" or "@"
        if limit is not None and len(value) > limit:
            _run(limits, value)
        if checks:
            _run(checks, value)
        return value

    return parse


def choice(choices: Iterable[tuple[Any, Any]], aliases: dict[str, str] | None = None) -> Parser:
    """Return a parser that accepts a choice's value, or its label in any language and case."""
    pairs = list(choices)
    values = ", ".join(str(value) for value, _label in pairs)
    lookup: dict[str, Any] = {}

    def build() -> None:
        # Labels are lazy; reading them in every language waits for the first row.
        for value, _label in pairs:
            lookup[_fold(str(value))] = value
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for value, label in pairs:
                    lookup.setdefault(_fold(str(label)), value)
        for spelling, value in (aliases or {}).items():
            lookup[_fold(spelling)] = value

    def parse(cell: Any) -> Any:
        if not lookup:
            build()
        value = lookup.get(_fold(as_text(cell)))
        if value is None:
            raise ValidationError(
                _("'%(value)s' is not one of: %(allowed)s.")
                % {"value": as_text(cell), "allowed": values}
            )
        return value

    return parse


def _fold(text_: str) -> str:
    return text_.strip().casefold().replace("-", "_").replace(" ", "_")


def date(cell: Any) -> dt.date:
    """Parse an Excel date or a text date (YYYY-MM-DD or DD/MM/YYYY)."""
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    value = as_text(cell)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValidationError(
        _("'%(value)s' is not a date; write YYYY-MM-DD or DD/MM/YYYY.") % {"value": value}
    )


def boolean(cell: Any) -> bool:
    """Parse yes/no, ya/tidak, true/false, 1/0."""
    if isinstance(cell, bool):
        return cell
    value = as_text(cell).casefold()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValidationError(_("'%(value)s' is not yes or no.") % {"value": as_text(cell)})


def for_field(
    model: type[models.Model],
    name: str,
    *,
    column: str | None = None,
    required: bool | None = None,
    blank: bool | None = None,
    label: str = "",
    headers: Sequence[str] = (),
    help: Any = "",
    example: Any = "",
    aliases: dict[str, str] | None = None,
    validators: Iterable[Callable] | None = None,
) -> Column:
    """Return a Column whose parser applies the rules of ``model``'s field ``name``.

    Choices, length and the field's validators come from the model; ``validators`` replaces the
    field's own when a multi-field rule elsewhere already checks the value (the NIP). ``blank``
    (may a present cell be empty) defaults to the field's own; ``aliases`` are other spellings
    of a choice, ``headers`` other spellings of the column's header.
    """
    f = model._meta.get_field(name)
    required = not f.blank if required is None else required
    blank = f.blank if blank is None else blank
    checks = tuple(f.validators if validators is None else validators)
    allowed: tuple[str, ...] = ()
    fmt: Any = ""
    if f.choices:
        parser = choice(f.flatchoices, aliases)
        allowed = tuple(str(v) for v, _label in f.flatchoices)
        fmt = gettext_lazy("one of the allowed values")
    elif isinstance(f, models.BooleanField):
        parser = boolean
        fmt = gettext_lazy("yes / no")
    elif isinstance(f, models.DateField):
        parser = date
        fmt = gettext_lazy("date, YYYY-MM-DD or DD/MM/YYYY")
    else:
        parser = text(checks)
        if f.max_length:
            fmt = format_lazy(gettext_lazy("text, at most {n} characters"), n=f.max_length)
        else:
            fmt = gettext_lazy("text")
    return Column(
        name=column or name,
        parse=parser,
        required=required,
        blank=blank,
        help=help or f.verbose_name,
        example=example,
        format=fmt,
        allowed=allowed,
        label=label,
        aliases=tuple(headers),
    )
