"""Excel exports of the register and of the heat map's table (through `kinerja.core.excel`,
which keeps formulas out of the cells)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core.excel import Report

from .choices import ObjectKind, RiskSource, RiskStatus
from .models import Risk
from .policy import risk_policy


def threatened_label(risk: Risk) -> str:
    if risk.target_id:
        return f"{risk.target.indicator.code} {risk.target.indicator.name} ({risk.target.year})"
    if risk.project_id:
        return str(risk.project)
    return str(risk.goal)


def kind_label(risk: Risk) -> str:
    return str(ObjectKind(risk.kind).label)


class RiskRegisterReport(Report):
    """One row per risk, as the register lists them (highest level first)."""

    title = gettext_lazy("Risk register")
    columns = (
        gettext_lazy("No."),
        gettext_lazy("Risk"),
        gettext_lazy("Category"),
        gettext_lazy("Threatens"),
        gettext_lazy("Object"),
        gettext_lazy("Agency"),
        gettext_lazy("Owning unit"),
        gettext_lazy("Year"),
        gettext_lazy("Cause"),
        gettext_lazy("Impact (consequence)"),
        gettext_lazy("Likelihood"),
        gettext_lazy("Impact"),
        gettext_lazy("Risk level"),
        gettext_lazy("Band"),
        gettext_lazy("Residual level"),
        gettext_lazy("Residual band"),
        gettext_lazy("Status"),
        gettext_lazy("Risk owner"),
        gettext_lazy("Source"),
        gettext_lazy("Projected achievement (%)"),
        gettext_lazy("Threshold (%)"),
        gettext_lazy("Active mitigations"),
        gettext_lazy("Identified on"),
        gettext_lazy("Next review"),
        gettext_lazy("Closed on"),
    )
    widths = (6, 50, 22, 14, 50, 30, 30, 8, 40, 40, 10, 10, 10, 14, 10, 14, 16, 30, 16, 12, 12, 10)

    def __init__(self, risks: QuerySet[Risk]):
        self.risks = risks

    def rows(self) -> Iterable[Sequence[Any]]:
        for number, risk in enumerate(self.risks.iterator(chunk_size=2000), start=1):
            policy = risk_policy(risk.identified_on)
            band = policy.band(risk.level)
            residual = policy.band(risk.residual_level)
            agency = risk.unit.agency if risk.unit_id and risk.unit.agency_id else risk.unit
            yield (
                number,
                risk.title,
                policy.category_label(risk.category),
                kind_label(risk),
                threatened_label(risk),
                agency.name if agency else _("Province"),
                risk.unit.name if risk.unit_id else _("Province"),
                risk.year,
                risk.cause,
                risk.impact_description,
                risk.likelihood,
                risk.impact,
                risk.level,
                band.label if band else "",
                risk.residual_level,
                residual.label if residual else "",
                str(RiskStatus(risk.status).label),
                str(risk.owner or ""),
                str(RiskSource(risk.source).label),
                float(risk.projected_percent) if risk.projected_percent is not None else None,
                float(risk.threshold_percent) if risk.threshold_percent is not None else None,
                getattr(risk, "active_mitigations", None),
                risk.identified_on,
                risk.review_on,
                risk.closed_on,
            )


class HeatmapReport(Report):
    """The heat map's table: one row per likelihood (highest first), a column per impact,
    the count of risks in each cell, and the totals."""

    title = gettext_lazy("Risk heat map")

    def __init__(self, matrix: dict[str, Any]):
        self.matrix = matrix

    @property
    def columns(self):
        return [
            _("Likelihood \\ impact"),
            *[f"{c['impact']} \u2013 {c['label']}" for c in self.matrix["columns"]],
            _("Total"),
        ]

    def rows(self) -> Iterable[Sequence[Any]]:
        for row in self.matrix["rows"]:
            yield (
                f"{row['likelihood']} \u2013 {row['label']}",
                *[cell["count"] for cell in row["cells"]],
                row["total"],
            )
        yield (
            _("Total"),
            *[c["total"] for c in self.matrix["columns"]],
            self.matrix["total"],
        )
        yield ()
        yield (_("Band"), _("Levels"), _("Risks"))
        for entry in self.matrix["bands"]:
            band = entry["band"]
            yield (band.label, f"{band.low}\u2013{band.high}", entry["count"])
