"""Realisations to and from a workbook: the importer (registered with `kinerja.imports`),
keyed by indicator code, year and sub-period number, and the export of a list in the
importer's layout, so an exported file imports again unchanged."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core.excel import Report
from kinerja.imports import register
from kinerja.imports.base import Importer
from kinerja.imports.columns import Column, as_text, readonly, text

from . import aggregates
from .models import Indicator, Realisation, SubPeriod, Target
from .services import _number
from .services import realisations as services

__all__ = ["RealisationImporter", "RealisationReport"]

TEXT_FIELDS = ("outcome", "supporting_factors", "obstructing_factors", "note")


def whole_number(cell: Any) -> int:
    value = as_text(cell)
    if not (value.isascii() and value.isdigit() and len(value) <= 4):
        raise ValidationError(_("Give a whole number."))
    return int(value)


def _text_column(name: str, label: str, help: Any) -> Column:
    return Column(name=name, parse=text(), blank=True, label=label, help=help)


@register
class RealisationImporter(Importer):
    kind = "realisations"
    label = gettext_lazy("Realisations")
    description = gettext_lazy(
        "A target's realisation for one sub-period, matched by the indicator's code, the year "
        "and the sub-period's number (the month or the quarter). A new one is entered as a "
        "draft; a draft or returned one is changed. A row the same as what is stored is left "
        "alone, so an exported list imports again unchanged."
    )
    key = ("indicator_code", "year", "sub_period")
    columns = (
        Column(
            name="indicator_code",
            parse=text(),
            required=True,
            label="Kode Indikator",
            example="DIK-01",
            help=gettext_lazy("The indicator's code"),
        ),
        Column(
            name="year",
            parse=whole_number,
            required=True,
            label="Tahun",
            example=2026,
            help=gettext_lazy("The target's year"),
        ),
        Column(
            name="sub_period",
            parse=whole_number,
            required=True,
            label="Subperiode",
            example=1,
            help=gettext_lazy("The number of the month or quarter in the year"),
        ),
        Column(
            name="value",
            parse=text(),
            blank=True,
            label="Realisasi",
            example="85.5",
            help=gettext_lazy("The value achieved (empty for a qualitative target)"),
        ),
        _text_column(
            "outcome",
            "Uraian Capaian",
            gettext_lazy("The outcome achieved, for a qualitative target"),
        ),
        _text_column("supporting_factors", "Faktor Pendukung", gettext_lazy("Supporting factors")),
        _text_column(
            "obstructing_factors", "Faktor Penghambat", gettext_lazy("Obstructing factors")
        ),
        _text_column("note", "Catatan", gettext_lazy("Note")),
        readonly("indicator_name", "Nama Indikator"),
        readonly("status", "Status"),
    )
    field_columns = {"target": "indicator_code", "sub_period": "sub_period"}

    def row_key(self, values: dict[str, Any]) -> Hashable | None:
        code, year, number = values["indicator_code"], values["year"], values["sub_period"]
        return None if None in (code, year, number) else (code.lower(), year, number)

    def prepare(self, column: Callable[[str], list[Any]]) -> None:
        instansi = self.ctx.instansi_id
        self.indicators = {
            code.lower(): pk
            for pk, code in Indicator.objects.filter(instansi_id=instansi).values_list("pk", "code")
        }
        years = {whole_number(c) for c in column("year") if as_text(c or "").isdigit()}
        self.targets = {
            (t.indicator_id, t.year): t
            for t in Target.objects.filter(instansi_id=instansi, year__in=years).select_related(
                "indicator__unit"
            )
        }
        self.sub_periods = {
            (s.period.year, s.number): s
            for s in SubPeriod.objects.filter(
                instansi_id=instansi, period__year__in=years
            ).select_related("period")
        }
        self.existing = {
            (r.target_id, r.sub_period_id): r
            for r in Realisation.objects.filter(instansi_id=instansi, target__year__in=years)
        }
        self.creates: list[tuple[Target, SubPeriod, dict[str, Any]]] = []
        self.updates: list[tuple[Realisation, dict[str, Any]]] = []
        self.unchanged = 0

    def _data(self, values: dict[str, Any]) -> dict[str, Any]:
        present = self.ctx.present
        data = {f: values[f] or "" for f in TEXT_FIELDS if f in present}
        if "value" in present:
            data["value"] = values["value"]
        return data

    @staticmethod
    def _same(realisation: Realisation, data: dict[str, Any]) -> bool:
        for field, given in data.items():
            if field == "value":
                number = _number(given, "value")
                if number != realisation.value:
                    return False
            elif (given or "").strip() != getattr(realisation, field):
                return False
        return True

    def check(self, row: int, values: dict[str, Any]) -> None:
        code, year, number = values["indicator_code"], values["year"], values["sub_period"]
        indicator = self.indicators.get(code.lower())
        if indicator is None:
            raise ValidationError(
                {"indicator_code": _("No indicator with the code %(code)s.") % {"code": code}}
            )
        target = self.targets.get((indicator, year))
        if target is None:
            raise ValidationError(
                {
                    "year": _("The indicator %(code)s has no target for %(year)d.")
                    % {"code": code, "year": year}
                }
            )
        sub_period = self.sub_periods.get((year, number))
        if sub_period is None:
            raise ValidationError(
                {
                    "sub_period": _("The year %(year)d has no sub-period %(n)d.")
                    % {"year": year, "n": number}
                }
            )
        data = self._data(values)
        existing = self.existing.get((target.pk, sub_period.pk))
        if existing is not None and self._same(existing, data):
            self.unchanged += 1
            return
        try:
            services.realisation_check(
                scope=self.ctx.scope,
                target=target,
                sub_period=sub_period,
                data=data,
                realisation=existing,
                on=self.ctx.today,
            )
        except PermissionDenied as exc:
            raise ValidationError({"indicator_code": str(exc)}) from None
        if existing is None:
            self.creates.append((target, sub_period, data))
        else:
            self.updates.append((existing, data))

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.creates),
            "updated": len(self.updates),
            "unchanged": self.unchanged,
        }

    def write(self) -> None:
        # Through the services: each realisation is checked again and audited as its own
        # event (realisation.create or realisation.update), beside the import's summary.
        # Drafts and returned realisations do not count in the achievement roll-ups; the batch
        # refreshes once, at the end, whatever a service touches.
        call = {"actor": self.ctx.actor, "scope": self.ctx.scope, "on": self.ctx.today}
        with aggregates.batch():
            for target, sub_period, data in self.creates:
                services.realisation_create(**call, target=target, sub_period=sub_period, data=data)
            for realisation, data in self.updates:
                services.realisation_update(
                    **call, realisation=realisation, version=realisation.version, data=data
                )


class RealisationReport(Report):
    """Realisations in the importer's layout: the same headers, the value as the importer
    reads it (a plain decimal number), so the file imports again unchanged."""

    title = gettext_lazy("Realisations")
    columns = tuple(column.header for column in RealisationImporter.columns)
    widths = (16, 8, 12, 14, 40, 30, 30, 30, 40, 14)

    def __init__(self, queryset: QuerySet) -> None:
        self.queryset = queryset

    def rows(self) -> Iterator[tuple]:
        statuses = dict(Realisation._meta.get_field("status").flatchoices)
        rows = self.queryset.order_by(
            "target__indicator__code", "target__year", "sub_period__number", "pk"
        ).values_list(
            "target__indicator__code",
            "target__year",
            "sub_period__number",
            "value",
            "outcome",
            "supporting_factors",
            "obstructing_factors",
            "note",
            "target__indicator__name",
            "status",
        )
        for code, year, number, value, *texts, name, status in rows.iterator():
            shown = f"{Decimal(value).normalize():f}" if value is not None else ""
            yield (code, year, number, shown, *texts, name, str(statuses.get(status, status)))
