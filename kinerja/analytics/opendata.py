"""The open-data export of the indicators and their achievements (CSV and JSON), following the
four principles of Satu Data Indonesia (Perpres 39/2019):

- **data standard**: one row per target and period (the year, then each sub-period with a
  verified figure), with fixed field names and types, decimals with a point, ISO dates;
- **metadata**: the JSON carries a metadata block (title, publisher, licence, update time,
  the field dictionary with each field's type and definition); the CSV has a header row and the
  same dictionary is served in the JSON;
- **interoperability**: plain CSV (UTF-8) and JSON, the same fields in both;
- **reference codes**: the Kemendagri region code of the producing agency (its own region,
  else the instansi's: 35 for Jawa Timur, 35.78 for Surabaya), the agency's code, the
  indicator's and the goal's codes, the unit of measure's code.

Only the goal tree's indicators (RPJMD, Renstra, PK: they measure a goal) are exported, never
an employee's plan (SKP) or anything personal. The rows are those the caller reads
(`Target.objects.within(scope)`: the province's own rows and the agencies within reach).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.core.excel import FORMULA_PREFIXES, Report
from kinerja.core.scope import Scope
from kinerja.organisations.models import Instansi
from kinerja.performance.choices import Aggregation, Polarity
from kinerja.performance.models import Rollup, RollupKind, SubPeriod, Target
from kinerja.performance.policy import measure_units

from .reports_lkjip import DATA, goal_indicators, number_text

# (name, type, definition): the field dictionary, in column order.
FIELDS: tuple[tuple[str, str, Any], ...] = (
    ("indicator_code", "string", _("The indicator's code, unique in the instansi.")),
    ("indicator_name", "string", _("The indicator's name.")),
    ("definition", "string", _("The indicator's definition from its manual.")),
    ("measure_unit", "string", _("The code of the unit of measure.")),
    ("measure_unit_label", "string", _("The unit of measure as written.")),
    ("polarity", "string", _("higher_is_better or lower_is_better.")),
    (
        "aggregation",
        "string",
        _("How the sub-periods make the year: cumulative, last_value or average."),
    ),
    ("is_key", "boolean", _("Whether the indicator is a key indicator (IKU).")),
    ("plan_level", "string", _("rpjmd (the province's own) or renstra (an agency's).")),
    ("year", "integer", _("The year of the target.")),
    ("sub_period", "integer", _("0 for the whole year, else the number of the month or quarter.")),
    ("period_start", "date", _("The first day of the period (ISO 8601).")),
    ("period_end", "date", _("The last day of the period (ISO 8601).")),
    (
        "target",
        "number",
        _("The target's value for the period (empty for a range or a qualitative target)."),
    ),
    ("target_low", "number", _("A range target's low bound.")),
    ("target_high", "number", _("A range target's high bound.")),
    ("realisation", "number", _("The verified realisation, aggregated for the year.")),
    (
        "achievement_percent",
        "number",
        _("The achievement in percent (SAKIP formulas), empty when not computed."),
    ),
    (
        "not_computed_reason",
        "string",
        _(
            "Why no achievement: qualitative, zero_target_rated, no_realisation, "
            "no_sub_period_target."
        ),
    ),
    (
        "producer_code",
        "string",
        _("The code of the producing agency (empty for the province's own)."),
    ),
    ("producer_name", "string", _("The producing agency, or the instansi for the province's own.")),
    ("data_source", "string", _("The data source named in the indicator's manual.")),
    ("data_producer", "string", _("The data producer named in the indicator's manual.")),
    ("region_code", "string", _("The Kemendagri code of the producer's region (35, 35.78).")),
    ("goal_code", "string", _("The code of the goal the indicator measures.")),
    ("goal_name", "string", _("The goal the indicator measures.")),
    ("updated_at", "datetime", _("When the achievement was last computed (ISO 8601).")),
)
COLUMNS = tuple(name for name, _type, _definition in FIELDS)


@functools.cache
def _metadata_versions() -> tuple[dict, ...]:
    with open(DATA / "open_data.json", encoding="utf-8") as handle:
        return tuple(sorted(json.load(handle)["versions"], key=lambda v: v["valid_from"]))


def metadata_policy(on: dt.date) -> dict:
    chosen = _metadata_versions()[0]
    for version in _metadata_versions():
        if version["valid_from"] <= on.isoformat():
            chosen = version
    return chosen


class _Echo:
    """A file-like object whose ``write`` returns its line (for streaming csv)."""

    def write(self, value: str) -> str:
        return value


def _iso(value) -> str:
    return "" if value is None else value.isoformat()


def _num(value) -> Decimal | None:
    """A number as exact as stored, without trailing zeros or an exponent."""
    return None if value is None else Decimal(number_text(value))


def _json_number(value: Any) -> Any:
    """A decimal as a JSON number: an integer when whole, else a float (four decimals at most
    are stored, well within a double's exact digits for the figures exported)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    return value


def _csv_text(value: Any) -> str:
    """A CSV cell: numbers as written, booleans as true/false, text that a spreadsheet would
    run as a formula prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal | int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class OpenDataExport(Report):
    """The rows of the export for one caller and year (see the module docstring)."""

    columns = COLUMNS
    title = "open-data"

    def __init__(self, scope: Scope, year: int) -> None:
        self.scope = scope
        self.year = year
        self.instansi = Instansi.objects.select_related("region").get(pk=scope.instansi_id)

    def targets(self):
        return (
            Target.objects.within(self.scope)
            .filter(year=self.year, indicator_id__in=goal_indicators(self.scope.instansi_id))
            .select_related("indicator__goal", "indicator__unit__region")
            .order_by("indicator__code", "pk")
        )

    def records(self) -> Iterator[dict[str, Any]]:
        """One dict a row: the year's row and each sub-period's, from the roll-ups. Three
        queries whatever the number of rows."""
        targets = list(self.targets())
        rollups: dict[int, list[Rollup]] = {}
        for row in Rollup.objects.filter(
            kind=RollupKind.TARGET, object_id__in=[t.pk for t in targets], year=self.year
        ).order_by("object_id", "sub_period"):
            rollups.setdefault(row.object_id, []).append(row)
        subs = {
            s.number: s
            for s in SubPeriod.objects.filter(
                instansi_id=self.scope.instansi_id, period__year=self.year
            )
        }
        starts = min((s.starts for s in subs.values()), default=dt.date(self.year, 1, 1))
        ends = max((s.ends for s in subs.values()), default=dt.date(self.year, 12, 31))
        units = measure_units()
        region = self.instansi.region.code if self.instansi.region_id else ""
        for target in targets:
            indicator = target.indicator
            agency = indicator.unit
            unit = units.get(indicator.measure_unit)
            base = {
                "indicator_code": indicator.code,
                "indicator_name": indicator.name,
                "definition": indicator.definition,
                "measure_unit": indicator.measure_unit,
                "measure_unit_label": unit.label if unit else indicator.measure_unit,
                "polarity": Polarity(indicator.polarity).value,
                "aggregation": Aggregation(indicator.aggregation).value,
                "is_key": indicator.is_key,
                "plan_level": "renstra" if agency is not None else "rpjmd",
                "year": target.year,
                "producer_code": agency.code if agency else "",
                "producer_name": agency.name if agency else self.instansi.name,
                "data_source": indicator.data_source,
                "data_producer": indicator.producer,
                "region_code": agency.region.code
                if agency is not None and agency.region_id
                else region,
                "goal_code": indicator.goal.code,
                "goal_name": indicator.goal.name,
            }
            rows = rollups.get(target.pk) or [None]
            for row in rows:
                number = row.sub_period if row is not None else 0
                sub = subs.get(number)
                record = dict(base)
                record.update(
                    sub_period=number,
                    period_start=_iso(sub.starts if sub and number else starts),
                    period_end=_iso(sub.ends if sub and number else ends),
                )
                if row is not None:
                    record.update(
                        target=_num(row.target_value),
                        target_low=_num(row.target_low),
                        target_high=_num(row.target_high),
                        realisation=_num(row.realisation),
                        achievement_percent=_num(row.percent) if row.percent is not None else None,
                        not_computed_reason=row.reason,
                        updated_at=timezone.localtime(row.computed_at).isoformat(
                            timespec="seconds"
                        ),
                    )
                else:  # no roll-up yet: the year's target as set, nothing realised
                    record.update(
                        target=_num(target.value),
                        target_low=_num(target.low),
                        target_high=_num(target.high),
                        realisation=None,
                        achievement_percent=None,
                        not_computed_reason="qualitative"
                        if target.shape == "qualitative"
                        else "no_realisation",
                        updated_at="",
                    )
                yield record

    def rows(self) -> Iterator[tuple]:
        for record in self.records():
            yield tuple(record[name] for name in COLUMNS)

    def to_csv(self) -> Iterator[str]:
        """The header row, then one line a row (UTF-8 with a BOM so that Excel reads it)."""
        buffer = _Echo()
        writer = csv.writer(buffer)
        yield "\ufeff" + writer.writerow(COLUMNS)
        for row in self.rows():
            yield writer.writerow([_csv_text(value) for value in row])

    def metadata(self) -> dict[str, Any]:
        today = timezone.localdate()
        policy = metadata_policy(today)
        return {
            "title": f"{policy['title']} {self.year} \u2013 {self.instansi.name}",
            "title_en": f"{policy['title_en']} {self.year} \u2013 {self.instansi.name}",
            "publisher": self.instansi.name,
            "publisher_region_code": self.instansi.region.code if self.instansi.region_id else "",
            "standard": policy["standard"],
            "licence": policy["licence"],
            "licence_url": policy["licence_url"],
            "region_reference": policy["region_reference"],
            "unit_reference": policy["unit_reference"],
            "frequency": policy["frequency"],
            "year": self.year,
            "updated_at": timezone.localtime().isoformat(timespec="seconds"),
            "scope": "within the reader's access",
            "fields": [
                {"name": name, "type": kind, "definition": str(definition)}
                for name, kind, definition in FIELDS
            ],
        }

    def to_json(self) -> dict[str, Any]:
        data = [{k: _json_number(v) for k, v in r.items()} for r in self.records()]
        meta = self.metadata()
        meta["rows"] = len(data)
        return {"metadata": meta, "data": data}
