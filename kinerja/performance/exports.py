"""Excel (and CSV) exports of planning data: the goal tree, the indicators and their targets,
the indicator library, the agreements.

The indicators and targets are written in their importers' layout (`importers`): the same
columns under the same headers, values as the importer reads them (choices by their codes,
yes/no in the current language, numbers as numbers), so an exported file imports again
unchanged. The goal tree, the library and the agreements are reports for reading.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kinerja.core.excel import Report

from .models import TargetValue
from .planning_importers import SUB_PERIOD_COLUMNS, IndicatorImporter, TargetImporter

__all__ = [
    "AgreementReport",
    "GoalReport",
    "IndicatorReport",
    "TargetReport",
    "TemplateReport",
]


def number(value: Decimal | None) -> float | int | None:
    """A stored number as Excel holds it (its shortest form reads back the same)."""
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def yes_no(value: bool) -> str:
    return gettext("yes") if value else gettext("no")


class GoalReport(Report):
    """The goal tree, one goal a row in tree order: code, level, name, parent's code, agency."""

    title = _("Goals")
    columns = ("Kode", "Tingkat", "Nama", "Kode Induk", "Perangkat Daerah", "Deskripsi")
    widths = (16, 22, 60, 16, 36, 50)

    def __init__(self, queryset: QuerySet) -> None:
        self.queryset = queryset

    def rows(self) -> Iterator[tuple]:
        goals = list(self.queryset.select_related("parent", "unit").order_by("code"))
        children = defaultdict(list)
        for goal in goals:
            children[goal.parent_id].append(goal)
        known = {g.pk for g in goals}
        roots = [g for g in goals if g.parent_id is None or g.parent_id not in known]
        stack = list(reversed(roots))
        while stack:
            goal = stack.pop()
            yield (
                goal.code,
                goal.get_level_display(),
                goal.name,
                goal.parent.code if goal.parent_id else "",
                goal.unit.name if goal.unit_id else "",
                goal.description,
            )
            stack.extend(reversed(children[goal.pk]))


class IndicatorReport(Report):
    """The indicators with their manual, in the indicator importer's layout."""

    title = _("Indicators")
    columns = tuple(c.header for c in IndicatorImporter.columns)
    widths = (14, 14, 30, 50, 40, 30, 12, 12, 18, 14, 30, 24, 24, 12, 12, 10, 10, 10, 6)

    def __init__(self, queryset: QuerySet) -> None:
        self.queryset = queryset

    def rows(self) -> Iterator[tuple]:
        for i in self.queryset.select_related("goal", "unit").order_by("code"):
            yield (
                i.code,
                i.goal.code,
                i.unit.name if i.unit_id else "",
                i.name,
                i.definition,
                i.purpose,
                i.measure_unit,
                i.data_type,
                i.polarity,
                i.control_level,
                i.formula,
                i.data_source,
                i.producer,
                i.reporting_frequency,
                i.aggregation,
                number(i.baseline),
                i.baseline_year,
                number(i.cap_percent),
                yes_no(i.is_key),
            )


class TargetReport(Report):
    """The targets with their sub-period values, in the target importer's layout."""

    title = _("Targets")
    columns = tuple(c.header for c in TargetImporter.columns)
    widths = (14, 40, 12, 8, 12, 10, 10, 10, 30)

    def __init__(self, queryset: QuerySet) -> None:
        self.queryset = queryset

    def rows(self) -> Iterator[tuple]:
        targets = list(
            self.queryset.select_related("indicator").order_by("indicator__code", "year")
        )
        values: dict[int, dict[int, TargetValue]] = defaultdict(dict)
        for v in TargetValue.objects.filter(target__in=targets).select_related("sub_period"):
            values[v.target_id][v.sub_period.number] = v
        for t in targets:
            subs = []
            for n in range(1, len(SUB_PERIOD_COLUMNS) + 1):
                v = values[t.pk].get(n)
                if v is None:
                    subs.append(None)
                elif v.low is not None:
                    subs.append(f"{number(v.low)};{number(v.high)}")
                else:
                    subs.append(number(v.value))
            yield (
                t.indicator.code,
                t.indicator.name,
                t.indicator.measure_unit,
                t.year,
                t.shape,
                number(t.value),
                number(t.low),
                number(t.high),
                t.expectation,
                *subs,
            )


class TemplateReport(Report):
    """The indicator library."""

    title = _("Indicator library")
    columns = (
        "Nama",
        "Jenis Jabatan",
        "Satuan",
        "Tipe Data",
        "Polaritas",
        "Tingkat Kendali",
        "Definisi",
        "Tujuan",
        "Formula",
        "Sumber Data",
        "Frekuensi Pelaporan",
        "Agregasi",
    )
    widths = (50, 18, 12, 12, 18, 14, 40, 30, 30, 24, 14, 12)

    def __init__(self, queryset: QuerySet) -> None:
        self.queryset = queryset

    def rows(self) -> Iterator[tuple]:
        for t in self.queryset.order_by("position_kind", "name", "pk"):
            yield (
                t.name,
                t.get_position_kind_display(),
                t.measure_unit,
                t.data_type,
                t.polarity,
                t.control_level,
                t.definition,
                t.purpose,
                t.formula,
                t.data_source,
                t.reporting_frequency,
                t.aggregation,
            )


class AgreementReport(Report):
    """The agreements: owner, year, revision, status, date, parties, targets and budget."""

    title = _("Performance agreements")
    columns = (
        "Tahun",
        "Kode Unit",
        "Unit",
        "Revisi",
        "Status",
        "Tanggal",
        "Pihak Pertama",
        "NIP Pihak Pertama",
        "Jabatan Pihak Pertama",
        "Pihak Kedua",
        "NIP Pihak Kedua",
        "Jabatan Pihak Kedua",
        "Jumlah Target",
        "Total Anggaran (Rp)",
    )
    widths = (8, 14, 36, 8, 14, 14, 30, 20, 36, 30, 20, 36, 10, 20)

    def __init__(self, queryset: QuerySet) -> None:
        self.queryset = queryset

    def rows(self) -> Iterator[tuple]:
        rows = self.queryset.select_related("unit").annotate(
            target_count=Count("targets", distinct=True),
        )
        budgets = dict(
            self.queryset.values("pk")
            .annotate(total=Sum("programs__budget"))
            .values_list("pk", "total")
        )
        for a in rows:
            yield (
                a.year,
                a.unit.code if a.unit_id else "",
                a.unit.name if a.unit_id else gettext("Province"),
                a.revision,
                a.get_status_display(),
                a.agreement_date,
                a.first_party_name,
                a.first_party_nip,
                a.first_party_title,
                a.second_party_name,
                a.second_party_nip,
                a.second_party_title,
                a.target_count,
                number(budgets.get(a.pk) or Decimal(0)),
            )
