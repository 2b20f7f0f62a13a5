"""The province summary of a year: the province's key indicators (its PK, else its IKU set, else
the regional plan's indicators) with target, realisation and achievement, the province's
achievement, how many of the year's targets stand at or above 100 % and below, and the
agencies' achievement table. Every figure is read from the maintained roll-ups.

Scope: the province's own rows are read by whoever reads planning anywhere (as the plan pages
do); the counts are whole-province figures (organisational facts, not personal data); the
agencies' table lists only the agencies within the reader's reach and says how many of the
province's agencies that is (docs/architecture.md, "Figures never pass a share off as the
whole").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from kinerja.core.scope import Scope
from kinerja.organisations.models import OrgUnit
from kinerja.performance.models import (
    Agreement,
    AgreementTarget,
    CollaborationMember,
    KeyIndicatorSet,
    Rollup,
    RollupKind,
    Target,
)
from kinerja.performance.policy import measure_units

from .reports_lkjip import (
    YEAR_ROW,
    ReportPolicy,
    agencies_within,
    goal_indicators,
    report_policy,
    target_text,
    workbook_bytes,
    write_sheet,
    year_rollups,
)


@dataclass
class ProvinceRow:
    number: int
    target_id: int
    code: str
    indicator: str
    measure_unit: str
    target: str
    realisation: Decimal | None
    percent: Decimal | None
    previous: Decimal | None
    status: str


@dataclass
class AgencyRow:
    rank: int | None
    agency_id: int
    code: str
    name: str
    percent: Decimal | None
    computed: int
    not_computed: int
    targets: int
    achieved: int
    below: int
    status: str


@dataclass
class ProvinceReport:
    year: int
    policy: ReportPolicy
    instansi_name: str
    source: str  # "agreement", "key_set", "regional" or ""
    agreement: Agreement | None
    key_set: KeyIndicatorSet | None
    rows: list[ProvinceRow]
    province_percent: Decimal | None
    province_computed: int
    province_not_computed: int
    targets: int
    achieved: int
    below: int
    not_computed: int
    agencies: list[AgencyRow]
    agencies_total: int
    generated_at: dt.datetime

    @property
    def has_data(self) -> bool:
        return self.targets > 0 or bool(self.rows)

    @property
    def agencies_within(self) -> int:
        return len(self.agencies)


def _status(percent: Decimal | None, policy: ReportPolicy) -> str:
    if percent is None:
        return "none"
    return "achieved" if percent >= policy.achieved_percent else "below"


def _percent_of(year: int):
    """The year row's achievement of the target (a subquery on the roll-ups)."""
    return Subquery(
        Rollup.objects.filter(
            kind=RollupKind.TARGET, object_id=OuterRef("pk"), year=year, sub_period=YEAR_ROW
        ).values("percent")[:1],
        output_field=DecimalField(max_digits=7, decimal_places=2),
    )


def counted_targets(instansi_id: int, year: int):
    """The targets the province counts for the year: every target of the goal tree (RPJMD,
    Renstra, PK) once, the members' supporting results left out (as the roll-up counts)."""
    supporting = CollaborationMember.objects.filter(
        collaboration__instansi_id=instansi_id, supporting_target__isnull=False
    ).values("supporting_target_id")
    return (
        Target.objects.filter(indicator_id__in=goal_indicators(instansi_id), year=year)
        .exclude(pk__in=supporting)
        .order_by()
    )


def _province_targets(instansi_id: int, year: int):
    """The province's own table: the governor's current PK, else its IKU set covering the
    year, else the regional plan's indicators' targets."""
    agreement = Agreement.objects.filter(
        instansi_id=instansi_id, unit__isnull=True, year=year, is_current=True
    ).first()
    key_set = (
        KeyIndicatorSet.objects.filter(
            instansi_id=instansi_id, unit__isnull=True, first_year__lte=year, last_year__gte=year
        )
        .order_by("-status", "-first_year")
        .first()
    )
    if agreement is not None:
        rows = (
            AgreementTarget.objects.filter(agreement=agreement)
            .select_related("target__indicator")
            .order_by("position", "pk")
        )
        return "agreement", agreement, key_set, [(r.target, r.display) for r in rows]
    if key_set is not None:
        targets = (
            Target.objects.filter(indicator__key_sets=key_set, year=year, instansi_id=instansi_id)
            .select_related("indicator")
            .order_by("indicator__code")
        )
        return "key_set", None, key_set, [(t, t.display) for t in targets]
    targets = (
        Target.objects.filter(
            indicator_id__in=goal_indicators(instansi_id, unit__isnull=True), year=year
        )
        .select_related("indicator")
        .order_by("indicator__code")
    )
    found = [(t, t.display) for t in targets]
    return ("regional" if found else ""), None, None, found


def province_report(scope: Scope, year: int, *, instansi_name: str = "") -> ProvinceReport:
    """The province summary of ``year`` for the caller (see the module docstring)."""
    instansi_id = scope.instansi_id
    policy = report_policy(year)
    source, agreement, key_set, table = _province_targets(instansi_id, year)
    previous_targets = dict(
        Target.objects.filter(
            indicator_id__in=[t.indicator_id for t, _d in table], year=year - 1
        ).values_list("indicator_id", "pk")
    )
    rollups = year_rollups(
        RollupKind.TARGET, [t.pk for t, _d in table] + list(previous_targets.values())
    )
    units = measure_units()
    rows = []
    for number, (target, display) in enumerate(table, start=1):
        own = rollups.get((target.pk, year))
        before = rollups.get((previous_targets.get(target.indicator_id), year - 1))
        unit = units.get(target.indicator.measure_unit)
        percent = own.percent if own else None
        rows.append(
            ProvinceRow(
                number=number,
                target_id=target.pk,
                code=target.indicator.code,
                indicator=target.indicator.name,
                measure_unit=unit.label if unit else target.indicator.measure_unit,
                target=display,
                realisation=own.realisation if own else None,
                percent=percent,
                previous=before.percent if before else None,
                status=_status(percent, policy),
            )
        )
    province = Rollup.objects.filter(
        kind=RollupKind.PROVINCE, object_id=instansi_id, year=year, sub_period=YEAR_ROW
    ).first()
    # The counts over every target the province counts: one query.
    limit = policy.achieved_percent
    counts = (
        counted_targets(instansi_id, year)
        .annotate(p=_percent_of(year))
        .aggregate(
            total=Count("pk"),
            achieved=Count("pk", filter=Q(p__gte=limit)),
            below=Count("pk", filter=Q(p__lt=limit)),
        )
    )
    agencies = _agency_rows(scope, year, policy)
    total = OrgUnit.objects.filter(instansi_id=instansi_id, parent__isnull=True).count()
    return ProvinceReport(
        year=year,
        policy=policy,
        instansi_name=instansi_name,
        source=source,
        agreement=agreement,
        key_set=key_set,
        rows=rows,
        province_percent=province.percent if province else None,
        province_computed=province.computed if province else 0,
        province_not_computed=province.not_computed if province else 0,
        targets=counts["total"],
        achieved=counts["achieved"],
        below=counts["below"],
        not_computed=counts["total"] - counts["achieved"] - counts["below"],
        agencies=agencies,
        agencies_total=total,
        generated_at=dt.datetime.now(dt.UTC),
    )


def _agency_rows(scope: Scope, year: int, policy: ReportPolicy) -> list[AgencyRow]:
    """The agencies within reach, ranked by their year's achievement (those without a figure
    last, in the official order): three queries."""
    agencies = list(agencies_within(scope).values_list("pk", "code", "name"))
    ids = [a[0] for a in agencies]
    rollups = {
        r.object_id: r
        for r in Rollup.objects.filter(
            kind=RollupKind.AGENCY, object_id__in=ids, year=year, sub_period=YEAR_ROW
        )
    }
    limit = policy.achieved_percent
    counts = {
        r["indicator__unit_id"]: r
        for r in Target.objects.filter(
            indicator_id__in=goal_indicators(scope.instansi_id, unit_id__in=ids), year=year
        )
        .annotate(p=_percent_of(year))
        .values("indicator__unit_id")
        .annotate(
            total=Count("pk"),
            achieved=Count("pk", filter=Q(p__gte=limit)),
            below=Count("pk", filter=Q(p__lt=limit)),
        )
        .order_by()
    }
    rows = []
    for order, (pk, code, name) in enumerate(agencies):
        row = rollups.get(pk)
        count = counts.get(pk, {})
        percent = row.percent if row else None
        rows.append(
            (
                (percent is None, -(percent or 0), order),
                AgencyRow(
                    rank=None,
                    agency_id=pk,
                    code=code,
                    name=name,
                    percent=percent,
                    computed=row.computed if row else 0,
                    not_computed=row.not_computed if row else 0,
                    targets=count.get("total", 0),
                    achieved=count.get("achieved", 0),
                    below=count.get("below", 0),
                    status=_status(percent, policy),
                ),
            )
        )
    rows.sort(key=lambda pair: pair[0])
    out = [row for _key, row in rows]
    rank = 0
    for row in out:
        if row.percent is not None:
            rank += 1
            row.rank = rank
    return out


def province_data(report: ProvinceReport) -> dict[str, Any]:
    """The summary as plain data (the API and the workbook)."""
    return {
        "year": report.year,
        "source": report.source,
        "province": {
            "percent": report.province_percent,
            "computed": report.province_computed,
            "not_computed": report.province_not_computed,
        },
        "counts": {
            "targets": report.targets,
            "achieved": report.achieved,
            "below": report.below,
            "not_computed": report.not_computed,
            "achieved_from_percent": report.policy.achieved_percent,
        },
        "key_indicators": [
            {
                "number": r.number,
                "target_id": r.target_id,
                "code": r.code,
                "indicator": r.indicator,
                "measure_unit": r.measure_unit,
                "target": r.target,
                "realisation": r.realisation,
                "percent": r.percent,
                "previous_year_percent": r.previous,
                "status": r.status,
            }
            for r in report.rows
        ],
        "agencies_total": report.agencies_total,
        "agencies": [
            {
                "rank": a.rank,
                "id": a.agency_id,
                "code": a.code,
                "name": a.name,
                "percent": a.percent,
                "computed": a.computed,
                "not_computed": a.not_computed,
                "targets": a.targets,
                "achieved": a.achieved,
                "below": a.below,
                "status": a.status,
            }
            for a in report.agencies
        ],
    }


def province_workbook(report: ProvinceReport) -> bytes:
    """The summary's tables, one sheet each: the key indicators, the agencies, the counts."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    title = _("Province summary %(year)d: %(name)s") % {
        "year": report.year,
        "name": report.instansi_name,
    }
    write_sheet(
        wb,
        _("Key indicators"),
        [title],
        [
            _("No."),
            _("Indicator code"),
            _("Indicator"),
            _("Unit of measure"),
            _("Target"),
            _("Realisation"),
            _("Achievement (%)"),
            _("Achievement the year before (%)"),
        ],
        [
            (
                r.number,
                r.code,
                r.indicator,
                r.measure_unit,
                r.target,
                r.realisation,
                r.percent,
                r.previous,
            )
            for r in report.rows
        ],
        widths=(5, 12, 50, 14),
    )
    write_sheet(
        wb,
        _("Agencies"),
        [
            title,
            _("Agencies within your access: %(n)d of %(total)d.")
            % {"n": report.agencies_within, "total": report.agencies_total},
        ],
        [
            _("Rank"),
            _("Code"),
            _("Agency"),
            _("Achievement (%)"),
            _("Targets with a figure"),
            _("Targets without a figure"),
            _("Own targets"),
            _("At or above 100 %"),
            _("Below 100 %"),
        ],
        [
            (
                a.rank,
                a.code,
                a.name,
                a.percent,
                a.computed,
                a.not_computed,
                a.targets,
                a.achieved,
                a.below,
            )
            for a in report.agencies
        ],
        widths=(6, 12, 40),
    )
    write_sheet(
        wb,
        _("Summary"),
        [title],
        [_("Figure"), _("Value")],
        [
            (_("Province achievement (%)"), report.province_percent),
            (_("Targets of the year"), report.targets),
            (_("At or above 100 %"), report.achieved),
            (_("Below 100 %"), report.below),
            (_("Not measured"), report.not_computed),
        ],
        widths=(40, 20),
    )
    return workbook_bytes(wb)


__all__ = [
    "ProvinceReport",
    "counted_targets",
    "province_data",
    "province_report",
    "province_workbook",
    "target_text",
]
