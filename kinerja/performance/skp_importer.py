"""The import of employee plans' results and individual indicators (IKI) from the e-Kinerja
workbook (`skp_documents.EKINERJA_COLUMNS`), through `kinerja.imports`.

A row names its plan by the employee's NIP and the plan's first day (`Periode Awal`): the
employee's current plan starting that day, within the importer's reach, and a draft (the plan
services refuse anything else). ``ID RHK`` and ``ID Indikator`` are our ids, as the export
writes them: a row with them changes that result (kind, text, served result) and that
indicator's target when they differ from what is stored, and is "unchanged" otherwise; a row
without ``ID RHK`` adds a result (rows of one plan with the same kind and text share it), a
row without ``ID Indikator`` but with an indicator's name adds it with its target. Nothing is
ever removed: what the file does not mention stays. Each change is a call of the plan services
(checked and audited as on the plan's page), tried first in a rolled-back transaction so that a
refused row gets its message and nothing is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.imports import register
from kinerja.imports.columns import Column, as_text, readonly

from . import services
from .choices import PlanApproach, TargetShape
from .models import Indicator, Plan, PlanResult, Target
from .plan_selectors import plans_for
from .planning_importers import _PlanningImporter, parse_number
from .services import skp
from .skp_documents import ASPECT_LABELS, KIND_LABELS

__all__ = ["PlanResultImporter"]

KINDS = {
    **{v.casefold(): k for k, v in KIND_LABELS.items()},
    "main": "main",
    "additional": "additional",
}
ASPECTS = {**{v.casefold(): k for k, v in ASPECT_LABELS.items()}, **{k: k for k in ASPECT_LABELS}}
RANGE_MARKS = ("\u2013", ";")


def parse_id(cell: Any) -> int:
    text = as_text(cell)
    if not (text.isascii() and text.isdigit()):
        raise ValidationError(_("'%(value)s' is not an id.") % {"value": text})
    return int(text)


def parse_date(cell: Any) -> dt.date:
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    try:
        return dt.date.fromisoformat(as_text(cell))
    except ValueError:
        raise ValidationError(
            _("'%(value)s' is not a date (YYYY-MM-DD).") % {"value": as_text(cell)}
        ) from None


def _choice(mapping: dict[str, str], message: str) -> Callable[[Any], str]:
    def parse(cell: Any) -> str:
        code = mapping.get(as_text(cell).casefold())
        if code is None:
            raise ValidationError(message % {"value": as_text(cell)})
        return code

    return parse


def parse_target(cell: Any) -> dict[str, Any]:
    """A number, a range "low–high" (or "low;high"), else a qualitative expectation."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return {"shape": TargetShape.VALUE, "value": parse_number(cell)}
    text = as_text(cell)
    for mark in RANGE_MARKS:
        if mark in text:
            low, _sep, high = text.partition(mark)
            try:
                return {
                    "shape": TargetShape.RANGE,
                    "low": parse_number(low),
                    "high": parse_number(high),
                }
            except ValidationError:
                break
    try:
        return {"shape": TargetShape.VALUE, "value": parse_number(text)}
    except ValidationError:
        return {"shape": TargetShape.QUALITATIVE, "expectation": text}


def _text(cell: Any) -> str:
    text = as_text(cell)
    if len(text) > skp.TEXT_LIMIT:
        raise ValidationError(_("At most %(limit)d characters.") % {"limit": skp.TEXT_LIMIT})
    return text


def _same_target(target: Target | None, data: dict[str, Any]) -> bool:
    if target is None:
        return False
    if target.shape != data["shape"]:
        return False
    if data["shape"] == TargetShape.VALUE:
        return target.value is not None and Decimal(target.value) == data["value"]
    if data["shape"] == TargetShape.RANGE:
        return (target.low, target.high) == (data["low"], data["high"])
    return target.expectation == data["expectation"]


@register
class PlanResultImporter(_PlanningImporter):
    kind = "skp_results"
    label = gettext_lazy("Employee plans' results and indicators (e-Kinerja)")
    description = gettext_lazy(
        "Results (RHK) and individual indicators (IKI) of draft employee plans in the e-Kinerja "
        "layout, the plan named by NIP and first day. Rows with our ids change what differs; "
        "rows without add; nothing is removed."
    )
    key = ("indicator_id",)
    columns = (
        Column("result_id", parse_id, blank=True, label="ID RHK", format=gettext_lazy("id")),
        Column(
            "indicator_id", parse_id, blank=True, label="ID Indikator", format=gettext_lazy("id")
        ),
        Column("nip", as_text, required=True, label="NIP", example="198503142010011001"),
        readonly("employee_name", "Nama"),
        Column(
            "starts",
            parse_date,
            required=True,
            label="Periode Awal",
            example="2026-01-01",
            format=gettext_lazy("date (YYYY-MM-DD)"),
        ),
        readonly("ends", "Periode Akhir"),
        Column(
            "kind",
            _choice(KINDS, gettext_lazy("'%(value)s' is not Utama or Tambahan.")),
            blank=True,
            label="Jenis RHK",
            example="Utama",
        ),
        Column("text", _text, required=True, label="Rencana Hasil Kerja"),
        Column(
            "aspect",
            _choice(
                ASPECTS, gettext_lazy("'%(value)s' is not Kuantitas, Kualitas, Waktu or Biaya.")
            ),
            blank=True,
            label="Aspek",
            example="Kuantitas",
        ),
        Column("indicator", _text, blank=True, label="Indikator Kinerja Individu"),
        Column("target", parse_target, blank=True, label="Target", example=12),
        Column("measure_unit", as_text, blank=True, label="Satuan", example="dokumen"),
        Column("serves", parse_id, blank=True, label="ID RHK Atasan", format=gettext_lazy("id")),
    )
    field_columns = {
        "name": "indicator",
        "value": "target",
        "low": "target",
        "high": "target",
        "expectation": "target",
        "shape": "target",
        "target.value": "target",
        "target.low": "target",
        "target.high": "target",
        "target.expectation": "target",
        "target.shape": "target",
        "employees": "nip",
        "starts": "starts",
    }

    def row_key(self, values: dict[str, Any]):
        return values.get("indicator_id")

    def prepare(self, column: Callable[[str], list[Any]]) -> None:
        super().prepare(column)
        nips = {as_text(c) for c in column("nip") if c not in (None, "")}
        plans = (
            plans_for(self.ctx.scope)
            .filter(instansi_id=self.ctx.instansi_id, is_current=True, employee__nip__in=nips)
            .select_related("employee", "period")
        )
        self.plans = {(p.employee.nip, p.starts): p for p in plans}
        self.results = {
            r.pk: r for r in PlanResult.objects.filter(plan__in=list(self.plans.values()))
        }
        indicators = Indicator.objects.filter(result_id__in=list(self.results)).prefetch_related(
            "targets"
        )
        self.indicators = {i.pk: i for i in indicators}
        self.seen_results: dict[int, tuple[int, tuple]] = {}
        self.new_results: dict[tuple, dict[str, Any]] = {}

    def _version(self, plan_pk: int) -> int:
        return Plan.objects.values_list("version", flat=True).get(pk=plan_pk)

    def check(self, row: int, values: dict[str, Any]) -> None:
        plan = self.plans.get((values["nip"], values["starts"]))
        if plan is None:
            raise ValidationError(
                {
                    "nip": _(
                        "No current plan of NIP %(nip)s starting on %(date)s within your reach."
                    )
                    % {"nip": values["nip"], "date": values["starts"].isoformat()}
                }
            )
        kind = values.get("kind") or "main"
        fields = {"kind": kind, "text": values["text"]}
        if "serves" in self.ctx.present:
            served = values.get("serves")
            fields["serves"] = (
                PlanResult.objects.filter(pk=served, plan__instansi_id=plan.instansi_id).first()
                if served
                else None
            )
            if served and fields["serves"] is None:
                raise ValidationError({"serves": _("No result %(id)s.") % {"id": served}})
        result_ref: Callable[[], PlanResult]
        changed = False
        if values.get("result_id"):
            result = self.results.get(values["result_id"])
            if result is None or result.plan_id != plan.pk:
                raise ValidationError(
                    {"result_id": _("No result %(id)s in this plan.") % {"id": values["result_id"]}}
                )
            shown = (kind, values["text"], values.get("serves"))
            first = self.seen_results.get(result.pk)
            if first is not None and first[1] != shown:
                raise ValidationError(
                    {"text": _("This result differs from row %(row)d.") % {"row": first[0]}}
                )
            if first is None:
                self.seen_results[result.pk] = (row, shown)
                differs = {
                    k: v for k, v in fields.items() if k != "serves" and getattr(result, k) != v
                }
                if "serves" in fields:
                    served = fields["serves"]
                    if result.serves_id != (served.pk if served else None):
                        differs["serves"] = served
                if differs:
                    changed = True
                    self._call(row, "updated", self._update_result(plan.pk, result.pk, differs))

            def result_ref(pk=result.pk) -> PlanResult:
                return PlanResult.objects.select_related("plan").get(pk=pk)
        else:
            key = (plan.pk, kind, values["text"])
            holder = self.new_results.get(key)
            if holder is None:
                holder = self.new_results[key] = {"pk": None}
                changed = True
                self._call(row, "created", self._create_result(plan.pk, fields, holder))

            def result_ref(holder=holder) -> PlanResult:
                return PlanResult.objects.select_related("plan").get(pk=holder["pk"])

        self._indicator(row, values, plan, result_ref, changed)

    def _indicator(self, row, values, plan: Plan, result_ref, changed: bool) -> None:
        target = values.get("target")
        if values.get("indicator_id"):
            indicator = self.indicators.get(values["indicator_id"])
            if indicator is None or (
                values.get("result_id") and indicator.result_id != values["result_id"]
            ):
                raise ValidationError(
                    {
                        "indicator_id": _("No indicator %(id)s on this result.")
                        % {"id": values["indicator_id"]}
                    }
                )
            for name, column in (
                ("name", "indicator"),
                ("aspect", "aspect"),
                ("measure_unit", "measure_unit"),
            ):
                given = values.get(column)
                if column in self.ctx.present and given and given != getattr(indicator, name):
                    raise ValidationError(
                        {
                            column: _(
                                "An indicator's name, aspect and unit change on the plan's page "
                                "(remove it and add another)."
                            )
                        }
                    )
            if target is None or "target" not in self.ctx.present:
                if not changed:
                    self.unchanged += 1
                return
            stored = next((t for t in indicator.targets.all() if t.year == plan.period.year), None)
            if plan.approach == PlanApproach.QUALITATIVE and target["shape"] != "qualitative":
                target = {
                    "shape": TargetShape.QUALITATIVE,
                    "expectation": as_text(values["target"]),
                }
            if _same_target(stored, target):
                if not changed:
                    self.unchanged += 1
                return
            self._call(row, "updated", self._set_target(indicator.pk, plan.period.year, target))
            return
        if not values.get("indicator"):
            if not changed:
                self.unchanged += 1
            return
        data = {
            "name": values["indicator"],
            "aspect": values.get("aspect") or "",
            "measure_unit": values.get("measure_unit") or "",
            "target": target or {},
        }
        self._call(row, "created", self._add_indicator(plan.pk, result_ref, data))

    def _create_result(self, plan_pk, fields, holder) -> Callable[[], Any]:
        def call():
            plan = Plan.objects.select_related("unit").get(pk=plan_pk)
            result = skp.plan_result_add(
                **self.call_args(), plan=plan, version=plan.version, data=dict(fields)
            )
            holder["pk"] = result.pk
            return result

        return call

    def _update_result(self, plan_pk, result_pk, fields) -> Callable[[], Any]:
        def call():
            result = PlanResult.objects.select_related("plan").get(pk=result_pk)
            return skp.plan_result_update(
                **self.call_args(),
                result=result,
                version=self._version(plan_pk),
                data=dict(fields),
            )

        return call

    def _add_indicator(self, plan_pk, result_ref, data) -> Callable[[], Any]:
        def call():
            return skp.plan_indicator_add(
                **self.call_args(),
                result=result_ref(),
                version=self._version(plan_pk),
                data=dict(data),
            )

        return call

    def _set_target(self, indicator_pk, year, data) -> Callable[[], Any]:
        def call():
            indicator = Indicator.objects.get(pk=indicator_pk)
            return services.target_set(
                **self.call_args(), indicator=indicator, year=year, data=dict(data)
            )

        return call
