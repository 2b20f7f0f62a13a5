"""The load_demo step after the demo plan: the rest of the regional plan (RPJMD), a strategic
plan (Renstra) for every agency with 2 to 4 indicators, their targets for the demo's first
year (2023) and the current year with the sub-period values of those (open) years, and the
performance agreements (PK): the governor's and one per agency head, all signed for 2023; for
the current year most signed, a few still draft, submitted or approved, and one revised after
signing, with its reason. From ``data/demo_agencies.json``; every row is written through the
services, so it has its audit event.

The work grows with the number of agencies, not with the staff: the reporting lines are read
once per agreement. Later steps find the agreements with ordinary queries
(``Agreement.objects.filter(instansi=..., year=..., is_current=True)``).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from kinerja.core.scope import Action, Grant, Scope
from kinerja.organisations.models import OrgUnit

from . import aggregates, services
from .choices import Aggregation, AgreementStatus, DataType, GoalLevel, Polarity, TargetShape
from .demo import DEMO_FILE as PLAN_FILE
from .models import (
    Agreement,
    AgreementProgram,
    AgreementTarget,
    Goal,
    Indicator,
    Period,
    SubPeriod,
    Target,
    TargetValue,
)
from .policy import DATA

DEMO_FILE = DATA / "demo_agencies.json"
CENT = Decimal("0.01")
MILLION = Decimal(1_000_000)


def first_year() -> int:
    """The demo's first year (the year of the refreshment, 2023), from the demo plan."""
    with open(PLAN_FILE, encoding="utf-8") as handle:
        return int(json.load(handle)["periods"]["first_year"])


def _round(number: float | Decimal, integer: bool) -> Decimal:
    step = Decimal(1) if integer else CENT
    return Decimal(str(number)).quantize(step, rounding=ROUND_HALF_UP)


def sub_period_values(target: Target, indicator: Indicator, count: int) -> dict[int, Any]:
    """Values for the ``count`` sub-periods of a year that make the year's target under the
    indicator's aggregation: a range in every sub-period; a running total split 20/25/25/30
    (the rest in the last); an average flat; a last value rising (or falling, when lower is
    better) to the year's value."""
    if target.shape == TargetShape.RANGE:
        return {n: {"low": target.low, "high": target.high} for n in range(1, count + 1)}
    integer = indicator.data_type == DataType.INTEGER
    value = target.value
    if indicator.aggregation == Aggregation.AVERAGE:
        return dict.fromkeys(range(1, count + 1), value)
    if indicator.aggregation == Aggregation.CUMULATIVE:
        shares = (
            [Decimal(1) / count] * count
            if count != 4
            else [Decimal(s) for s in ["0.2", "0.25", "0.25", "0.3"]]
        )
        parts = [_round(value * share, integer) for share in shares[:-1]]
        return {n: v for n, v in enumerate([*parts, value - sum(parts, Decimal(0))], start=1)}
    sign = -1 if indicator.polarity == Polarity.LOWER_IS_BETTER else 1
    out = {}
    for n in range(1, count + 1):
        factor = 1 - sign * Decimal("0.03") * (count - n) / max(1, count // 4)
        out[n] = value if n == count else _round(value * factor, integer)
    return out


class _Builder:
    def __init__(self, ctx, spec: dict[str, Any]):
        self.ctx = ctx
        self.instansi = ctx.instansi
        self.spec = spec
        self.call = {
            "actor": None,
            "scope": Scope(instansi_id=self.instansi.pk, grants=(Grant(actions=Action.ALL),)),
        }
        self.first = first_year()
        self.current = max(self.first, timezone.localdate().year)
        self.years = sorted({self.first, self.current})
        self.counts = {"goals": 0, "indicators": 0, "targets": 0, "values": 0}
        self.agreements = {"signed": 0, "open": 0, "revised": 0}
        self.skipped: list[str] = []
        by_name: dict[str, str] = {}
        by_kind: dict[str, str] = {}
        for key, sector in spec["sectors"].items():
            by_name.update(dict.fromkeys(sector.get("agencies", ()), key))
            by_kind.update(dict.fromkeys(sector.get("kinds", ()), key))
        self.by_name, self.by_kind = by_name, by_kind

    def rng(self, *parts: Any) -> random.Random:
        return random.Random("-".join(str(p) for p in (self.ctx.seed, *parts)))

    def sector(self, unit: OrgUnit) -> dict[str, Any]:
        key = self.by_name.get(unit.name) or self.by_kind.get(unit.kind) or "governance"
        return self.spec["sectors"][key]

    # The plan --------------------------------------------------------------------------------

    def regional(self) -> None:
        codes = dict(Goal.objects.filter(instansi=self.instansi).values_list("code", "pk"))
        levels = {0: GoalLevel.MISSION, 1: GoalLevel.OBJECTIVE, 2: GoalLevel.TARGET}
        for entry in self.spec["regional"]:
            if entry["code"] in codes:
                continue
            parent = Goal.objects.get(pk=codes[entry["parent"]]) if entry.get("parent") else None
            goal = services.goal_create(
                **self.call,
                instansi=self.instansi,
                data={"level": levels[entry["code"].count(".")], "code": entry["code"],
                      "name": entry["name"], "parent": parent, "unit": None},
                development_areas=entry.get("development_areas"),
            )  # fmt: skip
            codes[goal.code] = goal.pk
            self.counts["goals"] += 1

    def indicator(self, unit: OrgUnit, goal: Goal, raw: dict[str, Any], code: str, key: bool):
        short = unit.short_name or unit.name
        data = {
            "goal": goal,
            "code": code,
            "name": raw["name"].format(short=short)[:500],
            "measure_unit": raw["measure_unit"],
            "polarity": raw["polarity"],
            "control_level": raw["control_level"],
            "data_source": raw.get("data_source", ""),
            "data_type": raw.get("data_type", DataType.DECIMAL),
            "aggregation": raw.get("aggregation", Aggregation.LAST_VALUE),
            "is_key": key,
        }
        rng = self.rng(unit.code, code)
        integer = data["data_type"] == DataType.INTEGER
        if "range" in raw:
            base = None
        else:
            base = raw["base"] + rng.uniform(-raw["spread"] / 2, raw["spread"] / 2)
            data["baseline"] = _round(base - raw["step"], integer)
            data["baseline_year"] = self.first - 1
        indicator = services.indicator_create(**self.call, instansi=self.instansi, data=data)
        self.counts["indicators"] += 1
        for year in self.years:
            if base is None:
                low, high = raw["range"]
                target = {"shape": TargetShape.RANGE, "low": Decimal(low), "high": Decimal(high)}
            else:
                value = base + raw["step"] * (year - self.first)
                if data["measure_unit"] == "persen":
                    value = min(value, 99.5)
                target = {"shape": TargetShape.VALUE, "value": _round(max(value, 0.1), integer)}
            services.target_set(**self.call, indicator=indicator, year=year, data=target)
            self.counts["targets"] += 1

    def renstra(self, units: list[OrgUnit]) -> None:
        """An objective and a target for each agency without a Renstra yet, with the
        sector's indicators and the common ones; agencies the demo plan covers get the
        common indicators under their first target."""
        under = dict(Goal.objects.filter(instansi=self.instansi).values_list("code", "pk"))
        planned = {
            g.unit_id: g
            for g in Goal.objects.filter(
                instansi=self.instansi, level=GoalLevel.AGENCY_TARGET
            ).order_by("-code")
        }
        common = self.spec["common_indicators"]
        for unit in tqdm(units, desc="renstra", unit=" agency", disable=not self.ctx.progress):
            short = unit.short_name or unit.name
            goal = planned.get(unit.pk)
            raws: list[dict[str, Any]] = list(common)
            if goal is None:
                sector = self.sector(unit)
                objective = services.goal_create(
                    **self.call,
                    instansi=self.instansi,
                    data={"level": GoalLevel.AGENCY_OBJECTIVE, "code": f"{unit.code}.T1",
                          "name": sector["objective"].format(short=short)[:500],
                          "parent": Goal.objects.get(pk=under[sector["under"]]), "unit": unit},
                )  # fmt: skip
                goal = services.goal_create(
                    **self.call,
                    instansi=self.instansi,
                    data={"level": GoalLevel.AGENCY_TARGET, "code": f"{unit.code}.T1.S1",
                          "name": sector["target"].format(short=short)[:500],
                          "parent": objective, "unit": unit},
                )  # fmt: skip
                self.counts["goals"] += 2
                raws = [*sector["indicators"], *common][:4]
            for n, raw in enumerate(raws, start=1):
                key = n == 1 and not Indicator.objects.filter(unit=unit, is_key=True).exists()
                code = f"{'IKU-' if key else ''}{unit.code}-{n:02d}"
                self.indicator(unit, goal, raw, code, key)

    def values(self) -> None:
        """Sub-period values for every target of an open year that has none yet."""
        periods = {
            p.year: SubPeriod.objects.filter(period=p).count()
            for p in Period.objects.filter(instansi=self.instansi)
        }
        targets = (
            Target.objects.filter(instansi=self.instansi, year__in=periods)
            .exclude(shape=TargetShape.QUALITATIVE)
            .exclude(pk__in=TargetValue.objects.values("target_id"))
            .select_related("indicator__goal", "indicator__unit")
            .order_by("indicator__code", "year")
        )
        for target in tqdm(list(targets), desc="sub-period targets", disable=not self.ctx.progress):
            values = sub_period_values(target, target.indicator, periods[target.year])
            services.target_set_values(**self.call, target=target, values=values)
            self.counts["values"] += 1

    # The agreements ----------------------------------------------------------------------------

    def programs(self, unit: OrgUnit, year: int, factor: Decimal = Decimal(1)) -> list[dict]:
        sector = self.sector(unit)
        rows = [self.spec["common_program"], *sector["programs"]]
        rng = self.rng(unit.code, year, "budget")
        out = []
        for row in rows:
            low, high = row["budget"]
            millions = Decimal(int(rng.uniform(low, high) * 1000))  # billions to millions
            out.append(
                {
                    "name": row["name"],
                    "sipd_code": f"{sector['urusan']}.{row['sipd']}",
                    "budget": (millions * MILLION * factor).quantize(MILLION),
                }
            )
        return out

    def sign(self, agreement: Agreement, targets, programs, stop: str = "signed") -> Agreement:
        """Fill a draft with ``targets`` and ``programs`` and take it up to ``stop``."""
        agreement = services.agreement_set_targets(
            **self.call, agreement=agreement, version=agreement.version, targets=targets
        )
        if programs:
            agreement = services.agreement_set_programs(
                **self.call, agreement=agreement, version=agreement.version, programs=programs
            )
        steps = (
            (AgreementStatus.DRAFT, services.agreement_submit),
            (AgreementStatus.SUBMITTED, services.agreement_approve),
            (AgreementStatus.APPROVED, services.agreement_sign),
        )
        for status, step in steps:
            if stop == status:
                break
            agreement = step(**self.call, agreement=agreement, version=agreement.version)
        return agreement

    def agreement(self, unit: OrgUnit | None, year: int, stop: str, programs) -> Agreement | None:
        on = dt.date.fromisoformat(f"{year}-{self.spec['agreement_day']}")
        governor = self.spec["governor"]
        party = "first_party" if unit is None else "second_party"
        try:
            agreement = services.agreement_create(
                **self.call,
                instansi=self.instansi,
                data={"unit": unit, "year": year, "agreement_date": on,
                      f"{party}_name": governor["name"], f"{party}_title": governor["title"]},
            )  # fmt: skip
        except ValidationError:
            # Nobody holds or acts in the head post on that day: no agreement to make.
            self.skipped.append(f"{unit.name if unit else '-'} {year}")
            return None
        targets = list(services.eligible_targets(agreement).order_by("indicator__code"))
        agreement = self.sign(agreement, targets, programs, stop)
        self.agreements["signed" if stop == AgreementStatus.SIGNED else "open"] += 1
        return agreement

    def year_agreements(self, units: list[OrgUnit], year: int) -> None:
        stops = {u.pk: AgreementStatus.SIGNED for u in units}
        revise = None
        if year == self.current and year != self.first:
            plan = self.spec["current_year"]
            order = self.rng(year, "statuses").sample(units, len(units))
            for status in (
                AgreementStatus.DRAFT,
                AgreementStatus.SUBMITTED,
                AgreementStatus.APPROVED,
            ):
                for _n in range(plan[status]):
                    if order:
                        stops[order.pop().pk] = status
            revise = order.pop() if order else None
        budgets: dict[str, Decimal] = {}
        for unit in tqdm(units, desc=f"PK {year}", unit=" PK", disable=not self.ctx.progress):
            programs = self.programs(unit, year)
            agreement = self.agreement(unit, year, stops[unit.pk], programs)
            if agreement is None:
                continue
            if unit == revise:
                programs = self.revise(agreement, unit, year)
            for row in programs:
                budgets[row["name"]] = budgets.get(row["name"], Decimal(0)) + row["budget"]
        # The governor's agreement: the province's key indicators, and its programs with the
        # agencies' budgets (their current revision's) added up.
        programs = [
            {"name": name, "budget": total, "note": _("Sum over the agencies' agreements")}
            for name, total in sorted(budgets.items())
        ]
        self.agreement(None, year, AgreementStatus.SIGNED, programs)

    def revise(self, agreement: Agreement, unit: OrgUnit, year: int) -> list[dict]:
        """Revise the signed agreement for the budget change and sign the revision; return
        its programs."""
        plan = self.spec["current_year"]["revised"]
        new = services.agreement_revise(
            **self.call, agreement=agreement, version=agreement.version, reason=plan["reason"]
        )
        programs = self.programs(unit, year, Decimal(str(plan["budget_factor"])))
        targets = [r.target for r in new.targets.select_related("target").order_by("position")]
        self.sign(new, targets, programs)
        self.agreements["revised"] += 1
        return programs


def agencies(instansi) -> list[OrgUnit]:
    """The agencies (OPD, on top of the tree: a Renstra belongs to one), in tree order; their
    heads sign with the governor. The bureaus stand inside the Sekretariat Daerah and share
    its plan."""
    return list(
        OrgUnit.objects.filter(instansi=instansi, parent__isnull=True).order_by("sort_key", "pk")
    )


@aggregates.batched
def demo_agencies_run(ctx) -> str:
    """Plan every agency and make the agreements once; keep what is there."""
    instansi = ctx.instansi
    existing = Agreement.objects.filter(instansi=instansi).count()
    if existing:
        return _("kept: %(n)d agreements already (use --reset to rebuild)") % {"n": existing}
    with open(DEMO_FILE, encoding="utf-8") as handle:
        spec = json.load(handle)
    builder = _Builder(ctx, spec)
    units = agencies(instansi)
    builder.regional()
    builder.renstra(units)
    builder.values()
    for year in sorted({builder.first, builder.current}):
        builder.year_agreements(units, year)
    if builder.skipped:
        ctx.notes.append(
            _("Demo agreements: no head in post for %(list)s.")
            % {"list": ", ".join(builder.skipped)}
        )
    return _(
        "%(agencies)d agencies: %(goals)d goals, %(indicators)d indicators, %(targets)d "
        "targets, %(values)d sub-period splits; agreements %(signed)d signed, %(open)d not yet "
        "signed, %(revised)d revised (years %(first)d and %(current)d)"
    ) % {
        "agencies": len(units),
        **builder.counts,
        **builder.agreements,
        "first": builder.first,
        "current": builder.current,
    }


def demo_agencies_wipe(ctx) -> str:
    """Remove the instansi's agreements, newest revision first (a revision keeps the one it
    revises); the planning step's wipe removes the goals, indicators and targets."""
    instansi = ctx.instansi
    rows = Agreement.objects.filter(instansi=instansi)
    AgreementTarget.objects.filter(agreement__instansi=instansi).delete()
    AgreementProgram.objects.filter(agreement__instansi=instansi).delete()
    removed = 0
    for revision in sorted(set(rows.values_list("revision", flat=True)), reverse=True):
        n, _x = rows.filter(revision=revision).delete()
        removed += n
    return _("removed %(n)d agreements") % {"n": removed}
