"""Importers of planning data (Excel/CSV through `kinerja.imports`): indicators with their
manual, keyed by code, and targets, keyed by indicator code and year, with their sub-period
values.

Planning files are small (an agency's Renstra holds tens of indicators, a province's a few
thousand), and every planning write has its rules and its audit event in the services. So these
importers do not write in bulk: ``check`` parses a row against lookups loaded once and plans a
service call; ``finish`` runs every planned call in a transaction that is then rolled back, each
in its own savepoint, so that a row the services refuse gets its message (with the column it
names) and nothing is written; ``write`` runs the calls again for real, inside the engine's
transaction. A row that changes nothing plans no call (an export imports again as "unchanged").

A column absent from the file keeps what is stored; an empty cell of a present column clears
the value where it may be blank. The sub-period columns only ever set values: a row whose
sub-period cells are all empty leaves the stored ones alone (the target service itself drops
them when the year's target changes, as they no longer fit).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.imports import ImportContext, Importer, RowError, register
from kinerja.imports.columns import Column, as_text, for_field, readonly
from kinerja.organisations.models import Instansi

from . import aggregates, services
from .choices import TargetShape
from .models import Goal, Indicator, Target, TargetValue

__all__ = ["IndicatorImporter", "TargetImporter", "SUB_PERIOD_COLUMNS", "parse_number"]

# A year has at most 12 sub-periods (monthly); the file has a column for each.
SUB_PERIOD_COLUMNS = tuple(f"p{n}" for n in range(1, 13))
RANGE_SEPARATOR = ";"


class _Rollback(Exception):
    pass


def parse_number(cell: Any) -> Decimal:
    """A number from Excel, or text with "." or "," as the decimal mark ("87,5"; with a comma,
    dots are thousands: "1.250,5")."""
    if isinstance(cell, bool):
        raise ValidationError(_("'%(value)s' is not a number.") % {"value": as_text(cell)})
    if isinstance(cell, int | float):
        text = repr(cell) if isinstance(cell, float) else str(cell)
    else:
        text = as_text(cell).replace(" ", "").replace("\u00a0", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError(_("'%(value)s' is not a number.") % {"value": as_text(cell)})
    return value


def parse_year(cell: Any) -> int:
    text = as_text(cell)
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise ValidationError(_("'%(value)s' is not a year.") % {"value": text})
    return int(text)


def parse_sub_period(cell: Any) -> Decimal | dict[str, Decimal]:
    """A sub-period's value, or a range's bounds as "low;high"."""
    text = cell if cell.__class__ is str else None
    if text is not None and RANGE_SEPARATOR in text:
        low, _sep, high = text.partition(RANGE_SEPARATOR)
        return {"low": parse_number(low), "high": parse_number(high)}
    return parse_number(cell)


def _number_column(name: str, label: str, help: Any, example: Any = "") -> Column:
    return Column(
        name=name,
        parse=parse_number,
        blank=True,
        help=help,
        example=example,
        format=gettext_lazy("number (85 or 87.5 or 87,5)"),
        label=label,
    )


class _PlanningImporter(Importer):
    """Plans one service call per changed row; ``finish`` tries them all (rolled back)."""

    def prepare(self, column: Callable[[str], list[Any]]) -> None:
        self.instansi = Instansi.objects.get(pk=self.ctx.instansi_id)
        self.calls: list[
            tuple[int, str, Callable[[], Any]]
        ] = []  # (row, "created"|"updated", call)
        self.unchanged = 0

    def _call(self, row: int, kind: str, call: Callable[[], Any]) -> None:
        self.calls.append((row, kind, call))

    def service_errors(self, row: int, exc: Exception) -> list[RowError]:
        if isinstance(exc, PermissionDenied):
            return [RowError(row, "", str(exc) or _("You may not change the plans of this unit."))]
        return self.errors_from(row, exc)

    def finish(self) -> list[RowError]:
        errors: list[RowError] = []
        if not self.calls:
            return errors
        try:
            # A dry run, rolled back: the achievement roll-ups are not refreshed.
            with transaction.atomic(), aggregates.batch(refresh=False):
                for row, _kind, call in self.calls:
                    try:
                        with transaction.atomic():
                            call()
                    except (ValidationError, PermissionDenied) as exc:
                        errors.extend(self.service_errors(row, exc))
                raise _Rollback
        except _Rollback:
            pass
        return errors

    def counts(self) -> dict[str, int]:
        kinds = [kind for _row, kind, _call in self.calls]
        return {
            "created": kinds.count("created"),
            "updated": kinds.count("updated"),
            "unchanged": self.unchanged,
        }

    def write(self) -> None:
        # The achievement roll-ups of every target touched are refreshed once, at the end.
        with aggregates.batch():
            for _row, _kind, call in self.calls:
                call()

    def call_args(self) -> dict[str, Any]:
        return {"actor": self.ctx.actor, "scope": self.ctx.scope}


TEXT_FIELDS = ("definition", "purpose", "formula", "data_source", "producer")
CHOICE_FIELDS = (
    "measure_unit",
    "data_type",
    "polarity",
    "control_level",
    "reporting_frequency",
    "aggregation",
)
NUMBER_FIELDS = ("baseline", "cap_percent")
INDICATOR_COLUMNS = (
    "name",
    *TEXT_FIELDS,
    *CHOICE_FIELDS,
    *NUMBER_FIELDS,
    "baseline_year",
    "is_key",
)


@register
class IndicatorImporter(_PlanningImporter):
    kind = "indicators"
    label = gettext_lazy("Indicators")
    description = gettext_lazy(
        "Performance indicators with their manual, matched by code. A new indicator names the "
        "code of the goal it measures; the columns left out keep what is stored."
    )
    key = ("code",)
    columns = (
        for_field(Indicator, "code", label="Kode Indikator", required=True, example="DIK-01"),
        Column(
            name="goal_code",
            parse=for_field(Goal, "code").parse,
            blank=True,
            help=gettext_lazy("Code of the goal the indicator measures (needed for a new one)"),
            example="DIK.T1.S1",
            format=for_field(Goal, "code").format,
            label="Kode Sasaran",
        ),
        readonly("unit_name", "Perangkat Daerah", help=gettext_lazy("The goal's agency")),
        for_field(Indicator, "name", label="Nama Indikator", required=False, blank=False),
        for_field(Indicator, "definition", label="Definisi"),
        for_field(Indicator, "purpose", label="Tujuan"),
        for_field(Indicator, "measure_unit", label="Satuan", required=False, example="persen"),
        for_field(Indicator, "data_type", label="Tipe Data", required=False),
        for_field(Indicator, "polarity", label="Polaritas", required=False),
        for_field(Indicator, "control_level", label="Tingkat Kendali", required=False),
        for_field(Indicator, "formula", label="Formula"),
        for_field(Indicator, "data_source", label="Sumber Data"),
        for_field(Indicator, "producer", label="Produsen Data"),
        for_field(Indicator, "reporting_frequency", label="Frekuensi Pelaporan", required=False),
        for_field(Indicator, "aggregation", label="Agregasi", required=False),
        _number_column("baseline", "Baseline", gettext_lazy("baseline")),
        Column(
            name="baseline_year",
            parse=parse_year,
            blank=True,
            help=gettext_lazy("baseline year"),
            format=gettext_lazy("year"),
            label="Tahun Baseline",
        ),
        _number_column("cap_percent", "Batas Capaian (%)", gettext_lazy("achievement cap (%)")),
        for_field(Indicator, "is_key", label="IKU", required=False, blank=False),
    )
    field_columns = {"goal": "goal_code", "template": "code"}

    @classmethod
    def example_row(cls, ctx: ImportContext | None) -> dict[str, Any]:
        row = super().example_row(ctx)
        row.update(
            name="Angka partisipasi kasar SMA",
            data_type="decimal",
            polarity="higher_is_better",
            control_level="outcome",
            reporting_frequency="quarterly",
            aggregation="last_value",
            is_key=_("no"),
        )
        if ctx is not None:
            goal = (
                Goal.objects.within(ctx.scope)
                .filter(instansi_id=ctx.instansi_id, unit__isnull=False)
                .order_by("code")
                .first()
            )
            if goal is not None:
                row["goal_code"] = goal.code
        return row

    def prepare(self, column: Callable[[str], list[Any]]) -> None:
        super().prepare(column)
        scope, instansi_id = self.ctx.scope, self.ctx.instansi_id
        self.goals = {g.code: g for g in Goal.objects.within(scope).filter(instansi_id=instansi_id)}
        visible = Indicator.objects.within(scope).filter(instansi_id=instansi_id)
        self.existing = {i.code: i for i in visible.select_related("goal")}
        codes = [c for c in column("code") if c not in (None, "")]
        texts = {as_text(c) for c in codes}
        self.taken = set(
            Indicator.objects.filter(instansi_id=instansi_id, code__in=texts)
            .exclude(pk__in=[i.pk for i in self.existing.values()])
            .values_list("code", flat=True)
        )

    def check(self, row: int, values: dict[str, Any]) -> None:
        present = self.ctx.present
        code = values["code"]
        errors: dict[str, list[str]] = {}
        if code in self.taken:
            errors["code"] = [_("This code is already in use in the instansi; choose another.")]
        goal = None
        if values.get("goal_code"):
            goal = self.goals.get(values["goal_code"])
            if goal is None:
                errors["goal_code"] = [
                    _("Unknown goal code '%(code)s'.") % {"code": values["goal_code"]}
                ]
        before = self.existing.get(code)
        if before is None and goal is None and not errors:
            errors["goal_code"] = [_("A new indicator needs the code of its goal.")]
        if errors:
            raise ValidationError(errors)
        data: dict[str, Any] = {}
        for name in INDICATOR_COLUMNS:
            if name not in present:
                continue
            value = values[name]
            if value is None and name in (*TEXT_FIELDS, "name"):
                value = ""
            data[name] = value
        if goal is not None:
            data["goal"] = goal
        if before is None:
            data["code"] = code
            self._call(row, "created", self._create(data))
            return
        changed = {
            name: value
            for name, value in data.items()
            if (getattr(before, "goal_id" if name == "goal" else name) != value)
            and not (name == "goal" and before.goal_id == value.pk)
        }
        if not changed:
            self.unchanged += 1
            return
        self._call(row, "updated", self._update(before.pk, changed))

    def _create(self, data: dict[str, Any]) -> Callable[[], Any]:
        def call():
            return services.indicator_create(
                **self.call_args(), instansi=self.instansi, data=dict(data)
            )

        return call

    def _update(self, pk: int, data: dict[str, Any]) -> Callable[[], Any]:
        def call():
            indicator = Indicator.objects.select_related("goal", "unit").get(pk=pk)
            return services.indicator_update(
                **self.call_args(), indicator=indicator, data=dict(data)
            )

        return call


@register
class TargetImporter(_PlanningImporter):
    kind = "targets"
    label = gettext_lazy("Targets")
    description = gettext_lazy(
        "Indicators' targets for a year (a value, a range or a qualitative expectation), "
        "matched by indicator code and year, with the values of the year's sub-periods "
        "(a range's as low;high)."
    )
    key = ("indicator_code", "year")
    columns = (
        for_field(
            Indicator,
            "code",
            column="indicator_code",
            label="Kode Indikator",
            required=True,
            example="DIK-01",
        ),
        readonly("indicator_name", "Nama Indikator"),
        readonly("measure_unit", "Satuan"),
        Column(
            name="year",
            parse=parse_year,
            required=True,
            help=gettext_lazy("year"),
            example="2026",
            format=gettext_lazy("year"),
            label="Tahun",
        ),
        for_field(Target, "shape", label="Bentuk Target", required=True, example="value"),
        _number_column("value", "Target", gettext_lazy("the value (a value target)"), "85"),
        _number_column("low", "Batas Bawah", gettext_lazy("the low bound (a range)")),
        _number_column("high", "Batas Atas", gettext_lazy("the high bound (a range)")),
        for_field(Target, "expectation", label="Ekspektasi"),
        *(
            Column(
                name=name,
                parse=parse_sub_period,
                blank=True,
                help=gettext_lazy("the value of this sub-period of the year"),
                format=gettext_lazy("number; a range as low;high"),
                label=f"Sub-periode {n}",
            )
            for n, name in enumerate(SUB_PERIOD_COLUMNS, start=1)
        ),
    )
    field_columns = {"indicator": "indicator_code", "values": ""}

    @classmethod
    def example_row(cls, ctx: ImportContext | None) -> dict[str, Any]:
        row = super().example_row(ctx)
        if ctx is not None:
            indicator = (
                Indicator.objects.within(ctx.scope)
                .filter(instansi_id=ctx.instansi_id)
                .order_by("code")
                .first()
            )
            if indicator is not None:
                row.update(indicator_code=indicator.code, indicator_name=indicator.name)
        return row

    def prepare(self, column: Callable[[str], list[Any]]) -> None:
        super().prepare(column)
        scope, instansi_id = self.ctx.scope, self.ctx.instansi_id
        self.indicators = {
            i.code: i
            for i in Indicator.objects.within(scope)
            .filter(instansi_id=instansi_id)
            .select_related("goal", "unit")
        }
        targets = Target.objects.filter(indicator__in=list(self.indicators.values()))
        self.targets = {(t.indicator_id, t.year): t for t in targets}
        self.values: dict[int, dict[int, tuple]] = {}
        for v in TargetValue.objects.filter(target__in=list(self.targets.values())).values(
            "target_id", "sub_period__number", "value", "low", "high"
        ):
            self.values.setdefault(v["target_id"], {})[v["sub_period__number"]] = (
                v["value"],
                v["low"],
                v["high"],
            )

    def errors_from(self, row: int, exc: ValidationError) -> list[RowError]:
        errors = super().errors_from(row, exc)
        out = []
        for error in errors:
            column = error.column
            if column.startswith("values."):
                column = f"p{column.split('.', 1)[1]}"
            out.append(RowError(error.row, column, error.message, error.value))
        return out

    def check(self, row: int, values: dict[str, Any]) -> None:
        present = self.ctx.present
        code, year = values["indicator_code"], values["year"]
        indicator = self.indicators.get(code)
        if indicator is None:
            raise ValidationError(
                {"indicator_code": _("Unknown indicator code '%(code)s'.") % {"code": code}}
            )
        before = self.targets.get((indicator.pk, year))
        data = {
            name: getattr(before, name) if before is not None else None
            for name in ("value", "low", "high")
        }
        data["expectation"] = before.expectation if before is not None else ""
        data["shape"] = values["shape"]
        for name in ("value", "low", "high", "expectation"):
            if name in present:
                data[name] = values[name] if values[name] is not None else None
        if data["expectation"] is None:
            data["expectation"] = ""
        # What a shape does not use is dropped (a value target has no bounds, and so on).
        if data["shape"] == TargetShape.VALUE:
            data.update(low=None, high=None, expectation="")
        elif data["shape"] == TargetShape.RANGE:
            data.update(value=None, expectation="")
        else:
            data.update(value=None, low=None, high=None)
        sub = {
            int(name[1:]): values[name]
            for name in SUB_PERIOD_COLUMNS
            if name in present and values[name] is not None
        }
        target_changes = before is None or any(
            getattr(before, name) != data[name] for name in services.TARGET_FIELDS
        )
        stored = self.values.get(before.pk, {}) if before is not None else {}
        values_change = bool(sub) and (target_changes or not self._same(sub, stored))
        if not target_changes and not values_change:
            self.unchanged += 1
            return
        kind = "created" if before is None else "updated"
        sub_values = sub if values_change else None
        self._call(row, kind, self._set(indicator.pk, year, data, target_changes, sub_values))

    @staticmethod
    def _same(sub: dict[int, Any], stored: dict[int, tuple]) -> bool:
        if sorted(sub) != sorted(stored):
            return False
        for number, given in sub.items():
            value, low, high = stored[number]
            if isinstance(given, dict):
                if (given["low"], given["high"]) != (low, high):
                    return False
            elif given != value:
                return False
        return True

    def _set(
        self,
        indicator_pk: int,
        year: int,
        data: dict[str, Any],
        set_target: bool,
        sub: dict[int, Any] | None,
    ) -> Callable[[], Any]:
        def call():
            indicator = Indicator.objects.select_related("goal", "unit").get(pk=indicator_pk)
            args = self.call_args()
            if set_target:
                target = services.target_set(
                    **args, indicator=indicator, year=year, data=dict(data)
                )
            else:
                target = Target.objects.select_related("indicator__goal", "indicator__unit").get(
                    indicator=indicator, year=year
                )
            if sub is not None:
                services.target_set_values(**args, target=target, values=dict(sub))
            return target

        return call
