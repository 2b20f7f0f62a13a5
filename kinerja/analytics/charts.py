"""A chart, its table and its Excel export from one description, so the three show the same
numbers (docs/analytics-dashboards.md).

A `Table` is a title, column labels, rows of values (text, whole numbers, `Decimal`s, None for
"no figure") and a chart kind. From it come:

- `echarts_option()`: the ECharts option the page's script draws (``kinerja/static/analytics/
  dashboards.js`` reads ``[{"id", "option"}]`` from a ``json_script`` block);
- the HTML table beside the chart (``analytics/partials/_chart.html`` renders ``rows``);
- `to_xlsx()`: the workbook of the same columns and rows, written through
  `kinerja.core.excel.Report` (which keeps a cell starting with "=" as text, never a formula);
- `as_dict()`: the same columns and rows for the API (decimals as strings).

The achievement bands (`band_for`) colour a row: policy data in ``data/bands.json``, versioned
by ``valid_from`` (the version in force on 1 January of the year shown).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import translation

from kinerja.core.excel import Report

DATA = Path(__file__).resolve().parent / "data"
KINDS = ("bar", "hbar", "line", "pie", "table")
NO_FIGURE = "-"  # ECharts' mark for a missing value (a gap, never a 0)


# Bands -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    code: str
    start: Decimal | None  # inclusive; None: any lower percent
    colour: str
    label_id: str
    label_en: str

    @property
    def label(self) -> str:
        lang = (translation.get_language() or "id").split("-")[0]
        return self.label_en if lang == "en" else self.label_id


@functools.cache
def _band_versions() -> tuple[tuple[dt.date, tuple[Band, ...]], ...]:
    with open(DATA / "bands.json", encoding="utf-8") as handle:
        raw = json.load(handle)
    versions = []
    for version in raw["versions"]:
        bands = tuple(
            Band(
                b["code"],
                None if b["from"] is None else Decimal(str(b["from"])),
                b["colour"],
                b["label"],
                b["label_en"],
            )
            for b in version["bands"]
        )
        starts = [b.start for b in bands]
        if starts[-1] is not None or any(s is None for s in starts[:-1]):
            raise ValueError("bands.json: only the last band takes any lower percent")
        if starts[:-1] != sorted(starts[:-1], reverse=True):
            raise ValueError("bands.json: bands go from the highest down")
        versions.append((dt.date.fromisoformat(version["valid_from"]), bands))
    return tuple(sorted(versions))


def bands_for_year(year: int) -> tuple[Band, ...]:
    """The bands in force on 1 January of ``year`` (the earliest version before any)."""
    day = dt.date(year, 1, 1)
    chosen = _band_versions()[0][1]
    for valid_from, bands in _band_versions():
        if valid_from <= day:
            chosen = bands
    return chosen


def band_for(percent: Decimal | None, year: int) -> Band | None:
    """The band of an achievement ``percent`` (None: no figure, no band)."""
    if percent is None:
        return None
    for band in bands_for_year(year):
        if band.start is None or percent >= band.start:
            return band
    return None  # pragma: no cover - the last band takes any percent


# Tables and charts -------------------------------------------------------------------------


def _number(value: Any) -> Any:
    """A value as the chart's JSON takes it: a number, or the gap mark."""
    if value is None:
        return NO_FIGURE
    if isinstance(value, Decimal):
        return float(value)
    return value


def json_safe(value: Any) -> Any:
    """Decimals as exact strings, as the API's serializers give them."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@dataclass
class Table:
    """One chart and the table behind it.

    ``category`` is the column whose values name the bars (or slices); ``series`` the columns
    plotted, one series each. With ``by_row`` (a trend) each row is a series and the columns
    after ``category`` are the points. ``links`` gives a link per row (the first cell's),
    ``colours`` a colour per row (a band), both optional.
    """

    key: str
    title: str
    columns: Sequence[str]
    rows: list[list[Any]]
    kind: str = "bar"
    category: int = 0
    series: tuple[int, ...] = (1,)
    by_row: bool = False
    unit: str = ""
    maximum: int | None = None
    links: list[str | None] = field(default_factory=list)
    colours: list[str | None] = field(default_factory=list)
    note: str = ""
    empty: str = ""
    section: str = ""  # the heading the page shows above it (when it changes)
    export_url: str = ""  # the Excel export of this table (set by the page)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown chart kind {self.kind!r}")
        width = len(self.columns)
        for row in self.rows:
            if len(row) != width:
                raise ValueError(f"{self.key}: a row has {len(row)} cells for {width} columns")

    @property
    def element_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def has_chart(self) -> bool:
        return self.kind != "table" and bool(self.rows)

    def cells(self) -> list[dict[str, Any]]:
        """The rows for the HTML table: each with its cells, link and colour."""
        out = []
        for index, row in enumerate(self.rows):
            out.append(
                {
                    "cells": row,
                    "link": self.links[index] if index < len(self.links) else None,
                    "colour": self.colours[index] if index < len(self.colours) else None,
                }
            )
        return out

    def echarts_option(self) -> dict[str, Any] | None:
        """The ECharts option drawing the table's numbers (None for a plain table)."""
        if not self.has_chart:
            return None
        value_axis: dict[str, Any] = {
            "type": "value",
            "axisLabel": {"formatter": "{value}" + self.unit},
        }
        if self.maximum is not None:
            value_axis["max"] = self.maximum
        if self.by_row:
            categories = [str(c) for c in self.columns[self.category + 1 :]]
            return {
                "animation": False,
                "tooltip": {"trigger": "axis"},
                "legend": {"type": "scroll", "bottom": 0},
                "grid": {"left": 48, "right": 16, "top": 24, "bottom": 56},
                "xAxis": {"type": "category", "data": categories},
                "yAxis": value_axis,
                "series": [
                    {
                        "name": str(row[self.category]),
                        "type": "line",
                        "connectNulls": False,
                        "data": [_number(v) for v in row[self.category + 1 :]],
                    }
                    for row in self.rows
                ],
            }
        names = [str(row[self.category]) for row in self.rows]
        if self.kind == "pie":
            column = self.series[0]
            return {
                "animation": False,
                "tooltip": {"trigger": "item"},
                "legend": {"type": "scroll", "bottom": 0},
                "series": [
                    {
                        "name": str(self.columns[column]),
                        "type": "pie",
                        "radius": ["35%", "65%"],
                        "data": [
                            {"name": name, "value": _number(row[column])}
                            for name, row in zip(names, self.rows, strict=True)
                        ],
                    }
                ],
            }
        category_axis = {
            "type": "category",
            "data": names,
            "axisLabel": {"interval": 0, "width": 140, "overflow": "truncate"},
        }
        if self.kind == "bar" and len(names) > 4:
            category_axis["axisLabel"]["rotate"] = 30
        series = []
        for column in self.series:
            data: list[Any] = []
            for index, row in enumerate(self.rows):
                colour = self.colours[index] if index < len(self.colours) else None
                value = _number(row[column])
                data.append({"value": value, "itemStyle": {"color": colour}} if colour else value)
            kind = "line" if self.kind == "line" else "bar"
            series.append(
                {
                    "name": str(self.columns[column]),
                    "type": kind,
                    "data": data,
                    "label": {
                        "show": self.kind != "line",
                        "position": "right" if self.kind == "hbar" else "top",
                    },
                }
            )
        horizontal = self.kind == "hbar"
        option = {
            "animation": False,
            "tooltip": {"trigger": "axis"},
            "grid": {
                "left": 160 if horizontal else 48,
                "right": 40,
                "top": 24,
                "bottom": 24 if horizontal else 72,
            },
            "xAxis": value_axis if horizontal else category_axis,
            "yAxis": {**category_axis, "inverse": True} if horizontal else value_axis,
            "series": series,
        }
        if len(series) > 1:
            option["legend"] = {"bottom": 0}
        return option

    def spec(self) -> dict[str, Any] | None:
        """What the page's script reads: the element to draw in and the option."""
        option = self.echarts_option()
        return None if option is None else {"id": self.element_id, "option": option}

    def as_dict(self) -> dict[str, Any]:
        """The table for the API: the same columns and rows, decimals as strings."""
        return {
            "key": self.key,
            "title": str(self.title),
            "columns": [str(c) for c in self.columns],
            "rows": json_safe(self.rows),
        }

    def report(self) -> Report:
        """The table as an export (`kinerja.core.excel.Report`)."""
        table = self

        class _TableReport(Report):
            title = str(table.title)
            columns = [str(c) for c in table.columns]
            widths = [40] + [16] * (len(table.columns) - 1)

            def rows(self):
                for row in table.rows:
                    yield [float(v) if isinstance(v, Decimal) else v for v in row]

        return _TableReport()

    def to_xlsx(self) -> bytes:
        return self.report().to_xlsx()


def chart_specs(tables: Sequence[Table]) -> list[dict[str, Any]]:
    """The specs of the tables that draw a chart, for one ``json_script`` block."""
    return [spec for spec in (t.spec() for t in tables) if spec is not None]
