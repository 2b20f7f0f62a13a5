"""The load_demo step after the agreements: every employee's plan (SKP) and its realisations,
for the demo's first year (2023, complete) and the current year (in progress).

2023: a plan for every employee who holds a post in the year, from the first working day
(2 January) or the day they took up a post; about one in a hundred staff move to another unit
on 1 July (through the organisation service, audited) and so have two plans, each with its
own dates and the evaluator of its first day. A head of agency's results serve the targets of
the agency's agreement (PK), organisational then individual; everyone else's serve a result of
the evaluator's plan, down the reporting lines (acting officials evaluate for the post they
act in). Each result has one to three individual indicators (IKI: quantity, quality, time;
about one plan in twenty is qualitative), the seven expected behaviours and the annexes; all
signed, every IKI realised and verified in every quarter.

The current year: most plans signed, some still draft, submitted or approved; realisations on
the signed plans up to the last closed quarter, most verified, some returned with a comment,
some waiting for the verifier, and some entered late in a late-entry window of the unit.

At 80,330 staff that is about 160,000 plans and millions of realisations, far beyond one
service call a row. The rows are built in memory one agency at a time, checked by the
services' own pure checks (dates, indicator, target, realisation numbers) and by the same rules
for the rest (the post and the evaluator read from the reporting lines of the first day through
the organisation selectors, the served result of the evaluator's overlapping plan, the head's
agreement of the plan's year, the sub-period open or a late-entry window covering the day),
then written in bulk (`kinerja.core.bulk.insert_rows`). Every plan and every realisation gets
its audit event, appended in bulk (`kinerja.audit.services.record_many`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from kinerja.audit.services import record_many
from kinerja.core.bulk import insert_rows
from kinerja.core.scope import Action, Grant, Scope
from kinerja.organisations import services as org_services
from kinerja.organisations.choices import PositionKind
from kinerja.organisations.models import Assignment, Employee, OrgUnit, Position
from kinerja.organisations.selectors import _walk_up, holders_by_post, lines_up

from . import aggregates, services
from .choices import (
    Aspect,
    ControlLevel,
    DataType,
    Perspective,
    PlanApproach,
    ResultClassification,
    ResultKind,
    SubPeriodStatus,
    TargetShape,
)
from .demo_agencies import DEMO_FILE as AGENCIES_FILE
from .demo_agencies import first_year
from .models import (
    ActionProgress,
    ActionSchedule,
    AgreementTarget,
    Indicator,
    LateEntryWindow,
    Period,
    Plan,
    PlanBehaviour,
    PlanResult,
    PlanStatus,
    Realisation,
    RealisationStatus,
    Rollup,
    SubPeriod,
    Target,
)
from .policy import DATA
from .selectors import can_enter
from .services import realisations as realisation_services
from .services import skp

DEMO_FILE = DATA / "demo_plans.json"
ASPECTS = (Aspect.QUANTITY, Aspect.QUALITY, Aspect.TIME)
PERSPECTIVES = tuple(Perspective.values)
TEXTS = ("outcome", "supporting_factors", "obstructing_factors", "note")
REALISATION_BATCH = 10_000
MIN_DAYS = 28  # a stay in a post shorter than this takes no plan in the demo


def load_spec() -> dict[str, Any]:
    with open(DEMO_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def year_start(year: int) -> dt.date:
    """The demo plans' first day: the year's first working day after New Year (2 January)."""
    return dt.date(year, 1, 2)


@dataclass
class Segment:
    """A stay of an employee in a post within the year: one plan."""

    employee_id: int
    position_id: int
    starts: dt.date
    ends: dt.date
    evaluator: Any = None  # a Holder, or None at the top of the lines
    boss: Any = None
    plan_id: int | None = None
    result_ids: list[int] = field(default_factory=list)
    depth: int = 0


def segments(instansi, year: int, last: dt.date | None = None) -> list[Segment]:
    """The stays in a post of the instansi's staff within ``year`` (from its first working
    day), one per assignment, those shorter than MIN_DAYS left out."""
    first, end = year_start(year), last or dt.date(year, 12, 31)
    rows = (
        Assignment.objects.filter(instansi=instansi, position__isnull=False, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
        .order_by("employee_id", "valid_from", "pk")
        .values_list("employee_id", "position_id", "valid_from", "valid_to")
    )
    out = []
    for employee_id, position_id, valid_from, valid_to in rows:
        starts = max(valid_from, first)
        ends = min(valid_to or dt.date(year, 12, 31), dt.date(year, 12, 31))
        if (ends - starts).days + 1 >= MIN_DAYS:
            out.append(Segment(employee_id, position_id, starts, ends))
    return out


def read_evaluators(items: list[Segment]) -> None:
    """Set each stay's evaluator and the evaluator's superior from the reporting lines of its
    first day: the rule of `services.skp.plan_evaluator` (`superior_of` and
    `superior_of_post`), read for all stays of a day in a fixed number of queries."""
    by_day: dict[dt.date, list[Segment]] = defaultdict(list)
    for item in items:
        by_day[item.starts].append(item)
    for on, group in by_day.items():
        lines = lines_up({s.position_id for s in group}, on)
        holders = holders_by_post(set(lines.values()), on)
        for s in group:
            s.evaluator = next(_walk_up(s.position_id, lines, holders, s.employee_id), None)
            if s.evaluator is not None:
                s.boss = next(
                    _walk_up(s.evaluator.position_id, lines, holders, s.evaluator.employee.pk),
                    None,
                )


class _Builder:
    def __init__(self, ctx, spec: dict[str, Any]):
        self.ctx = ctx
        self.instansi = ctx.instansi
        self.spec = spec
        self.scope = Scope(instansi_id=self.instansi.pk, grants=(Grant(actions=Action.ALL),))
        self.call = {"actor": None, "scope": self.scope}
        with open(AGENCIES_FILE, encoding="utf-8") as handle:
            self.governor = json.load(handle)["governor"]
        self.values = [v["code"] for v in skp.berakhlak()]
        self.value_names = {v["code"]: v["name"] for v in skp.berakhlak()}
        self.posts = {
            p.pk: p
            for p in Position.objects.filter(instansi=self.instansi).only(
                "pk", "title", "kind", "unit_id", "is_head"
            )
        }
        self.units = {
            u.pk: u
            for u in OrgUnit.objects.filter(instansi=self.instansi).only(
                "pk", "name", "short_name", "path", "parent_id", "agency_id"
            )
        }
        self.counts: dict[str, int] = dict.fromkeys(
            ("plans", "results", "indicators", "realisations", "progress"), 0
        )
        # The draws are keyed by what a rebuild keeps (the NIP, the dates), not by row ids.
        # A key per person that survives a reset (ids do not): the NIP, or for staff without
        # one their name and birth date.
        self.nips = {
            pk: nip or f"{name}|{born}"
            for pk, nip, name, born in Employee.objects.filter(instansi=self.instansi).values_list(
                "pk", "nip", "name", "birth_date"
            )
        }
        self.keys: dict[int, str] = {}

    def key(self, s: Segment) -> str:
        return f"{self.nips.get(s.employee_id) or s.employee_id}-{s.starts:%m%d}"

    def rng(self, *parts: Any) -> random.Random:
        return random.Random("-".join(str(p) for p in (self.ctx.seed, "plans", *parts)))

    def agency_of(self, unit_id: int) -> int:
        unit = self.units[unit_id]
        while unit.parent_id is not None:
            unit = self.units[unit.parent_id]
        return unit.pk

    # Transfers -------------------------------------------------------------------------------

    def transfers(self, year: int) -> int:
        """Move about one in a hundred staff (not heads of units) to a post of the same kind in
        another unit of their agency on the transfer day, through the organisation service;
        none when the demo's transfers are there already."""
        day = dt.date.fromisoformat(f"{year}-{self.spec['transfer_day']}")
        if Assignment.objects.filter(instansi=self.instansi, valid_from=day).exists():
            return 0
        staff = list(
            Employee.objects.filter(
                instansi=self.instansi,
                is_active=True,
                position__is_head=False,
                position__kind__in=(PositionKind.PELAKSANA, PositionKind.FUNGSIONAL),
            )
            .order_by("pk")
            .values_list("pk", "position_id")
        )
        rng = self.rng(year, "transfers")
        count = max(1, round(len(staff) * self.spec["transfer_share"]))
        by_agency_kind: dict[tuple[int, str], list[Position]] = defaultdict(list)
        for post in self.posts.values():
            if not post.is_head:
                by_agency_kind[(self.agency_of(post.unit_id), post.kind)].append(post)
        moved = 0
        for pk, post_id in rng.sample(staff, min(count, len(staff))):
            post = self.posts[post_id]
            options = [
                p
                for p in by_agency_kind[(self.agency_of(post.unit_id), post.kind)]
                if p.unit_id != post.unit_id
            ]
            if not options:
                continue
            new = rng.choice(options)
            employee = Employee.objects.get(pk=pk)
            org_services.employee_update(
                **self.call,
                employee=employee,
                data={"position": Position.objects.get(pk=new.pk)},
                reason=_("Transfer (demo)"),
                effective=day,
            )
            moved += 1
        return moved

    # Plans -----------------------------------------------------------------------------------

    def year(self, year: int, current: bool) -> None:
        period = Period.objects.filter(instansi=self.instansi, year=year).first()
        if period is None:
            return
        subs = list(SubPeriod.objects.filter(period=period).order_by("number"))
        today = timezone.localdate()
        closed = [s for s in subs if s.ends < today]
        items = segments(self.instansi, year)
        read_evaluators(items)
        agreements = defaultdict(list)
        for row in (
            AgreementTarget.objects.filter(
                agreement__instansi=self.instansi, agreement__year=year, agreement__is_current=True
            )
            .exclude(agreement__unit__isnull=True)
            .order_by("agreement_id", "position", "pk")
            .values_list("agreement__unit_id", "pk", "target__indicator__name")
        ):
            agreements[row[0]].append((row[1], row[2]))
        by_agency: dict[int, list[Segment]] = defaultdict(list)
        for s in items:
            by_agency[self.agency_of(self.posts[s.position_id].unit_id)].append(s)
        plans_of: dict[int, list[Segment]] = defaultdict(list)
        for s in items:
            plans_of[s.employee_id].append(s)
        late_units: set[int] = set()
        desc = _("employee plans %(year)d") % {"year": year}
        for agency in tqdm(
            sorted(by_agency, key=lambda pk: self.units[pk].path),
            desc=desc,
            unit=" agency",
            disable=not self.ctx.progress,
        ):
            late_units |= self.agency(
                period, subs, closed, by_agency[agency], plans_of, agreements, current
            )
        if current:
            self.close_and_windows(closed, late_units, today)
        else:
            self.action_progress(period, subs)
            for sub in subs:
                services.sub_period_set_status(
                    **self.call,
                    sub_period=sub,
                    status=SubPeriodStatus.CLOSED,
                    reason=_("Year closed (demo)"),
                )

    def action_progress(self, period: Period, subs: list[SubPeriod]) -> None:
        """The progress of the year's action plans (the current agreements' actions) in every
        quarter they plan something for, while the quarter is open; one audit event each."""
        subs_by_pk = {s.pk: s for s in subs}
        rows, audit = [], []
        schedule = (
            ActionSchedule.objects.filter(
                action__instansi=self.instansi,
                action__agreement__year=period.year,
                action__agreement__is_current=True,
                weight__gt=0,
            )
            .exclude(action__progress__isnull=False)
            .select_related("action__unit")
            .order_by("action_id", "sub_period__number")
        )
        for planned in schedule:
            action, sub = planned.action, subs_by_pk[planned.sub_period_id]
            if not can_enter(unit=action.unit, sub_period=sub, on=sub.ends):
                raise ValidationError({"sub_period": f"{sub} is closed for {action.unit}"})
            rng = self.rng(action.unit.path, action.code, sub.number, "progress")
            progress = Decimal(rng.choice((80, 90, 100, 100, 100)))
            rows.append((action.pk, sub.pk, progress, self.spec["progress_note"]))
            audit.append((action, sub, progress))
        insert_rows(ActionProgress, ("action_id", "sub_period_id", "progress", "note"), rows)
        self.counts["progress"] += len(rows)
        record_many(
            actor=None,
            action="action.progress",
            instansi_id=self.instansi.pk,
            reason="load_demo",
            entries=(
                {
                    "target_type": "performance.action",
                    "target_id": action.pk,
                    "target_repr": str(action)[:300],
                    "unit_id": action.unit_id,
                    "unit_path": action.unit.path,
                    "changes": {
                        "sub_period": [None, sub.number],
                        "progress": [None, f"{progress:f}"],
                        "note": [None, self.spec["progress_note"]],
                    },
                }
                for action, sub, progress in audit
            ),
        )

    def close_and_windows(self, closed: list[SubPeriod], late: set[int], today: dt.date) -> None:
        """Close the ended quarters; the units with late entries get a window for the last."""
        for sub in closed:
            services.sub_period_set_status(
                **self.call, sub_period=sub, status=SubPeriodStatus.CLOSED, reason=_("Ended")
            )
        if not closed:
            return
        last = closed[-1]
        opens = max(last.ends + dt.timedelta(days=1), today - dt.timedelta(days=7))
        for unit_id in sorted(late):
            unit = OrgUnit.objects.get(pk=unit_id)
            services.late_entry_open(
                **self.call,
                unit=unit,
                sub_period=last,
                opens=opens,
                closes=opens + dt.timedelta(days=30),
                reason=self.spec["late_reason"],
            )
            # The rule of a late entry: the quarter is closed, the unit's window covers today.
            if not can_enter(unit=unit, sub_period=last, on=today):
                raise ValidationError({"sub_period": f"{last} is closed for {unit}"})

    def evaluator_plan(self, s: Segment, plans_of) -> Segment | None:
        """The evaluator's plan that covers this plan's first day (else one that overlaps)."""
        if s.evaluator is None:
            return None
        mine = plans_of.get(s.evaluator.employee.pk, [])
        for other in mine:
            if other.starts <= s.starts <= other.ends:
                return other
        for other in mine:
            if other.starts <= s.ends and other.ends >= s.starts:
                return other
        return None

    def status(self, s: Segment, current: bool) -> str:
        if not current:
            return PlanStatus.SIGNED
        share = self.spec["current_year"]
        draw = self.rng(self.key(s), "status").random()
        for status in (PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.APPROVED):
            if draw < share[status]:
                return status
            draw -= share[status]
        return PlanStatus.SIGNED

    def agency(self, period, subs, closed, items, plans_of, agreements, current) -> set[int]:
        year = period.year
        now = timezone.now()
        # The order of writing: an evaluator's plan (and results) before the plans that serve it.
        depth: dict[int, int] = {}

        def level(s: Segment, seen: int = 0) -> int:
            key = id(s)
            if key not in depth:
                above = self.evaluator_plan(s, plans_of)
                depth[key] = 0 if above is None or seen > 50 else level(above, seen + 1) + 1
            return depth[key]

        for s in items:
            s.depth = level(s)
        items.sort(key=lambda s: (s.depth, s.employee_id, s.starts))
        # Plans -------------------------------------------------------------------------------
        plan_rows, plans = [], []
        for s in items:
            post = self.posts[s.position_id]
            skp._check_dates(period, s.starts, s.ends)
            approach = (
                PlanApproach.QUALITATIVE
                if self.rng(self.key(s), "approach").random() < self.spec["qualitative_share"]
                else PlanApproach.QUANTITATIVE
            )
            status = self.status(s, current)
            fields = self.evaluator_fields(s)
            plan = Plan(
                instansi_id=self.instansi.pk,
                employee_id=s.employee_id,
                position_id=post.pk,
                position_title=post.title[:300],
                position_kind=post.kind,
                unit_id=post.unit_id,
                period_id=period.pk,
                starts=s.starts,
                ends=s.ends,
                approach=approach,
                status=status,
                signed_at=now if status == PlanStatus.SIGNED else None,
                **fields,
                **self.spec["annexes"],
            )
            plans.append(plan)
            plan_rows.append(plan)
        columns = (
            "instansi_id", "employee_id", "position_id", "position_title", "position_kind",
            "unit_id", "period_id", "starts", "ends", "approach", "status", "signed_at",
            "evaluator_id", "evaluator_name", "evaluator_nip", "evaluator_title",
            "evaluator_superior_id", "evaluator_superior_name", "evaluator_superior_nip",
            "evaluator_superior_title", "delegated_authority", "delegation_reason",
            "resources", "accountability", "consequences",
        )  # fmt: skip
        ids = insert_rows(
            Plan,
            columns,
            ([getattr(p, c) for c in columns] for p in plan_rows),
            return_ids=True,
        )
        for s, plan, pk in zip(items, plans, ids, strict=True):
            s.plan_id = plan.pk = pk
            self.keys[pk] = self.key(s)
        self.counts["plans"] += len(plans)
        # Behaviours ----------------------------------------------------------------------------
        behaviour = self.spec["behaviour"]
        insert_rows(
            PlanBehaviour,
            ("plan_id", "value", "expectation"),
            (
                (p.pk, code, behaviour.format(value=self.value_names[code]))
                for p in plans
                for code in self.values
            ),
        )
        # Results, level by level (what they serve is written first) -----------------------------
        iki: list[tuple[Plan, int, dict[str, Any], int]] = []  # (plan, result id, data, n)
        texts: dict[int, list[str]] = defaultdict(list)
        for lvl in sorted({s.depth for s in items}):
            rows, owners = [], []
            for s, plan in zip(items, plans, strict=True):
                if s.depth != lvl:
                    continue
                for result in self.results(s, plan, plans_of, agreements):
                    rows.append(result)
                    owners.append((s, plan))
            columns = (
                "plan_id", "kind", "text", "position", "serves_id", "serves_directly",
                "serves_target_id", "classification",
            )  # fmt: skip
            ids = insert_rows(
                PlanResult,
                columns,
                ([getattr(r, c) for c in columns] for r in rows),
                return_ids=True,
            )
            for (s, plan), result, pk in zip(owners, rows, ids, strict=True):
                s.result_ids.append(pk)
                texts[plan.pk].append(result.text)
                rng = self.rng(self.key(s), result.kind, result.position, "iki")
                for n, aspect in enumerate(ASPECTS[: rng.randint(1, 3)], start=1):
                    iki.append((plan, pk, self.indicator_data(plan, aspect, result.text, rng), n))
            self.counts["results"] += len(rows)
        # Indicators and their targets --------------------------------------------------------
        numbers: dict[int, int] = defaultdict(int)
        ind_rows = []
        for plan, result_id, data, _n in iki:
            numbers[plan.pk] += 1
            ind_rows.append(
                (
                    self.instansi.pk, result_id, plan.unit_id, f"SKP{plan.pk}-{numbers[plan.pk]}",
                    ControlLevel.OUTPUT, data["name"], data["aspect"], data["perspective"],
                    data["measure_unit"], data["data_type"],
                )
            )  # fmt: skip
        ind_ids = insert_rows(
            Indicator,
            (
                "instansi_id", "result_id", "unit_id", "code", "control_level", "name", "aspect",
                "perspective", "measure_unit", "data_type",
            ),
            ind_rows,
            return_ids=True,
        )  # fmt: skip
        codes: dict[int, list[str]] = defaultdict(list)
        target_rows, targets = [], []
        for (plan, _r, data, _n), row, pk in zip(iki, ind_rows, ind_ids, strict=True):
            codes[plan.pk].append(row[3])
            # Plain records for the services' pure checks (model instances cost more).
            indicator = SimpleNamespace(
                pk=pk, measure_unit=data["measure_unit"], data_type=data["data_type"]
            )
            clean = services.clean_target(indicator, data["target"])
            target = SimpleNamespace(
                pk=None,
                indicator=indicator,
                year=year,
                **{"value": None, "low": None, "high": None, "expectation": "", **clean},
            )
            target_rows.append(
                (self.instansi.pk, pk, year, target.shape, target.value, target.low,
                 target.high, target.expectation)
            )  # fmt: skip
            targets.append((plan, target, row[3].rsplit("-", 1)[1]))
        target_ids = insert_rows(
            Target,
            ("instansi_id", "indicator_id", "year", "shape", "value", "low", "high",
             "expectation"),
            target_rows,
            return_ids=True,
        )  # fmt: skip
        for (_plan, target, _code), pk in zip(targets, target_ids, strict=True):
            target.pk = pk
        self.counts["indicators"] += len(ind_ids)
        self.audit_plans(plans, texts, codes)
        # Realisations -------------------------------------------------------------------------
        subs_done = subs if not current else closed
        return self.realisations(targets, subs_done, current)

    def evaluator_fields(self, s: Segment) -> dict[str, Any]:
        ev, boss = s.evaluator, s.boss
        empty = {"evaluator_superior_id": None, "evaluator_superior_name": "",
                 "evaluator_superior_nip": "", "evaluator_superior_title": ""}  # fmt: skip
        if ev is None:
            return {
                "evaluator_id": None,
                "evaluator_name": self.governor["name"],
                "evaluator_nip": "",
                "evaluator_title": self.governor["title"],
                **empty,
                "delegated_authority": False,
                "delegation_reason": "",
            }
        post = self.posts[ev.position_id]
        delegated = post.kind not in skp.EVALUATOR_KINDS
        out = {
            "evaluator_id": ev.employee.pk,
            "evaluator_name": ev.employee.display_name[:300],
            "evaluator_nip": ev.employee.nip or "",
            "evaluator_title": services._holder_title(ev, post)[:300],
            "delegated_authority": delegated,
            "delegation_reason": _("Delegated by the personnel office (demo)") if delegated else "",
        }
        if boss is None:
            return {**out, **empty}
        boss_post = self.posts[boss.position_id]
        return {
            **out,
            "evaluator_superior_id": boss.employee.pk,
            "evaluator_superior_name": boss.employee.display_name[:300],
            "evaluator_superior_nip": boss.employee.nip or "",
            "evaluator_superior_title": services._holder_title(boss, boss_post)[:300],
        }

    def results(self, s: Segment, plan: Plan, plans_of, agreements) -> list[PlanResult]:
        post = self.posts[s.position_id]
        unit = self.units[post.unit_id]
        short = unit.short_name or unit.name
        rng = self.rng(self.key(s), "results")
        if post.is_head and unit.parent_id is None:
            phrases = self.spec["results"]["head"]
        else:
            phrases = self.spec["results"].get(post.kind, self.spec["results"]["pelaksana"])
        out = []
        targets = agreements.get(unit.pk) if post.is_head and unit.parent_id is None else None
        if targets:
            # A head of agency: a result per agreement target (three at most).
            for n, (row_id, name) in enumerate(targets[:3], start=1):
                out.append(
                    PlanResult(
                        plan=plan, kind=ResultKind.MAIN, position=n,
                        text=_("Achieved: %(target)s") % {"target": name[:400]},
                        serves_id=None, serves_directly=True, serves_target_id=row_id,
                        classification=ResultClassification.ORGANISATIONAL
                        if n == 1 else ResultClassification.INDIVIDUAL,
                    )
                )  # fmt: skip
            return out
        above = self.evaluator_plan(s, plans_of)
        served = above.result_ids if above is not None else []
        if above is not None and (above.starts > s.ends or above.ends < s.starts):
            raise ValidationError({"serves": "no overlap"})  # cannot happen: chosen overlapping
        for n in range(1, rng.randint(1, 3) + 1):
            out.append(
                PlanResult(
                    plan=plan,
                    kind=ResultKind.MAIN if n < 3 else ResultKind.ADDITIONAL,
                    position=n if n < 3 else 1,
                    text=rng.choice(phrases).format(unit=short)[:400],
                    serves_id=rng.choice(served) if served else None,
                    serves_directly=True,
                    serves_target_id=None,
                    classification="",
                )
            )
        return out

    def indicator_data(self, plan: Plan, aspect: str, what: str, rng) -> dict[str, Any]:
        what = what[0].lower() + what[1:]
        if plan.approach == PlanApproach.QUALITATIVE:
            raw = self.spec["qualitative"]
            data = {
                "name": raw["name"].format(what=what)[:500],
                "aspect": aspect,
                "measure_unit": "predikat",
                "perspective": PERSPECTIVES[0] if plan.is_jpt else "",
            }
            target = {"shape": TargetShape.QUALITATIVE, "expectation": raw["expectation"]}
        else:
            raw = self.spec["indicators"][aspect]
            low, high = raw["range"]
            data = {
                "name": raw["name"].format(what=what)[:500],
                "aspect": aspect,
                "measure_unit": raw["measure_unit"],
                "data_type": raw["data_type"],
                "perspective": rng.choice(PERSPECTIVES) if plan.is_jpt else "",
            }
            target = {"shape": TargetShape.VALUE, "value": Decimal(rng.randint(low, high))}
        data = skp._clean_indicator(plan, data)  # the service's own check, raises on bad input
        data["target"] = target
        return data

    def audit_plans(self, plans: list[Plan], texts, codes) -> None:
        record_many(
            actor=None,
            action="plan.create",
            instansi_id=self.instansi.pk,
            reason="load_demo",
            entries=(
                {
                    "target_type": "performance.plan",
                    "target_id": p.pk,
                    "target_repr": f"SKP {p.starts:%d/%m/%Y}\u2013{p.ends:%d/%m/%Y} "
                    f"{p.employee_id}",
                    "unit_id": p.unit_id,
                    "unit_path": self.units[p.unit_id].path,
                    "changes": {
                        "employee": [None, p.employee_id],
                        "status": [None, p.status],
                        "starts": [None, p.starts.isoformat()],
                        "ends": [None, p.ends.isoformat()],
                        "evaluator": [None, p.evaluator_id],
                        "results": [None, texts.get(p.pk, [])],
                        "indicators": [None, codes.get(p.pk, [])],
                        "behaviours": [None, len(self.values)],
                    },
                }
                for p in plans
            ),
        )

    # Realisations --------------------------------------------------------------------------

    def realisations(self, targets, subs: list[SubPeriod], current: bool) -> set[int]:
        """Every signed plan's IKI target in each of ``subs``: verified; in the current year
        some returned, some waiting, and in the last quarter some late (the units returned).
        Written REALISATION_BATCH targets at a time: memory stays flat in a large agency."""
        late_units: set[int] = set()
        if not subs:
            return late_units
        for start in range(0, len(targets), REALISATION_BATCH):
            late_units |= self.realisation_batch(
                targets[start : start + REALISATION_BATCH], subs, current
            )
        return late_units

    def realisation_batch(self, targets, subs: list[SubPeriod], current: bool) -> set[int]:
        spec = self.spec
        late_units: set[int] = set()
        rows, audit = [], []
        last = subs[-1]
        now = timezone.now()
        today = timezone.localdate()
        for plan, target, code in targets:
            if plan.status != PlanStatus.SIGNED:
                continue
            # The indicator's number within its plan, not its code (which holds the plan's id).
            rng = self.rng(self.keys[plan.pk], code.rsplit("-", 1)[-1], "realisations")
            for sub in subs:
                if sub.ends < plan.starts or sub.starts > plan.ends:
                    continue
                status = RealisationStatus.VERIFIED
                comment = ""
                late = False
                if current:
                    draw = rng.random()
                    share = spec["realisations"]
                    if draw < share["returned"]:
                        status, comment = RealisationStatus.RETURNED, spec["returned_comment"]
                    elif draw < share["returned"] + share["waiting"]:
                        status = RealisationStatus.SUBMITTED
                    elif sub == last and self.is_late_unit(plan.unit_id) and draw > 0.5:
                        # Entered after the quarter closed, in the unit's late-entry window.
                        status, late = RealisationStatus.SUBMITTED, True
                        late_units.add(plan.unit_id)
                data = self.realisation_data(target, sub, rng)
                # The service's own check, on a plain record (a model instance a row costs more
                # than the rest of the row's work).
                scratch = SimpleNamespace(pk=None, **dict.fromkeys(TEXTS, ""), value=None)
                realisation_services._clean(target, data, scratch)
                done = dt.datetime.combine(
                    min(sub.ends + dt.timedelta(days=5), today),
                    dt.time(9),
                    tzinfo=dt.UTC,
                )
                submitted = now if late else done
                rows.append(
                    (
                        self.instansi.pk, target.pk, sub.pk, scratch.value, scratch.outcome,
                        scratch.supporting_factors, scratch.obstructing_factors, "", status,
                        plan.employee_id, plan.evaluator_id, submitted,
                        done if status == RealisationStatus.VERIFIED else None,
                        done if status == RealisationStatus.RETURNED else None, comment,
                        2 if status == RealisationStatus.SUBMITTED else 3,
                    )
                )  # fmt: skip
                audit.append((plan, sub, status))
        ids = write_realisations(
            self.instansi.pk,
            rows,
            [
                (
                    f"{plan.pk} {sub.number}",
                    plan.unit_id,
                    self.units[plan.unit_id].path,
                    sub,
                    status,
                )
                for plan, sub, status in audit
            ],
        )
        self.counts["realisations"] += len(ids)
        return late_units

    def is_late_unit(self, unit_id: int) -> bool:
        return (
            self.rng(self.units[unit_id].path, "late").random()
            < self.spec["realisations"]["late_units"]
        )

    def realisation_data(self, target: Target, sub: SubPeriod, rng) -> dict[str, Any]:
        spec = self.spec
        base = {
            "supporting_factors": spec["supporting"],
            "obstructing_factors": spec["obstructing"] if rng.random() < 0.3 else "",
        }
        if target.shape == TargetShape.QUALITATIVE:
            return {**base, "outcome": spec["qualitative"]["outcome"]}
        factor = Decimal(rng.randint(85, 110)) / 100
        value = target.value * factor
        if target.indicator.data_type == DataType.INTEGER:
            value = value.to_integral_value()
        else:
            value = value.quantize(Decimal("0.01"))
        return {**base, "value": value}


REALISATION_COLUMNS = (
    "instansi_id", "target_id", "sub_period_id", "value", "outcome", "supporting_factors",
    "obstructing_factors", "note", "status", "holder_id", "verifier_id", "submitted_at",
    "verified_at", "returned_at", "return_comment", "version",
)  # fmt: skip


def write_realisations(instansi_id: int, rows: list[tuple], about: list[tuple]) -> list[int]:
    """Insert realisation ``rows`` (values in the order of `REALISATION_COLUMNS`) with one
    ``realisation.create`` event each; ``about`` gives each row's (label, unit id, unit path,
    sub-period, status). The new ids, in row order."""
    ids = insert_rows(Realisation, REALISATION_COLUMNS, rows, return_ids=True)
    record_many(
        actor=None,
        action="realisation.create",
        instansi_id=instansi_id,
        reason="load_demo",
        entries=(
            {
                "target_type": "performance.realisation",
                "target_id": pk,
                "target_repr": label,
                "unit_id": unit_id,
                "unit_path": unit_path,
                "changes": {"sub_period": [None, sub.pk], "status": [None, status]},
            }
            for pk, (label, unit_id, unit_path, sub, status) in zip(ids, about, strict=True)
        ),
    )
    return ids


@contextlib.contextmanager
def immediate_constraints():
    """On PostgreSQL, check the foreign keys of each bulk statement as it ends rather than all
    at the commit: millions of deferred checks queued to the end of the transaction made the
    commit at 80,330 staff slower than the step itself. The rows are written parents first, so
    every check holds when it runs."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def demo_plans_run(ctx) -> str:
    """The staff plans and realisations of the first and the current year; keep what is
    there."""
    instansi = ctx.instansi
    existing = Plan.objects.filter(instansi=instansi).count()
    if existing:
        return _("kept: %(n)d employee plans already (use --reset to rebuild)") % {"n": existing}
    builder = _Builder(ctx, load_spec())
    first = first_year()
    current = max(first, timezone.localdate().year)
    # Bulk writes: the achievement roll-ups are rebuilt once at the end, not per service call.
    with immediate_constraints(), aggregates.batch(refresh=False):
        moved = builder.transfers(first)
        for year in sorted({first, current}):
            builder.year(year, current=year == current and year != first)
    aggregates.rebuild(instansi.pk)
    return _(
        "%(plans)d employee plans, %(results)d results, %(indicators)d individual indicators, "
        "%(realisations)d realisations, %(progress)d action progress entries (years %(first)d "
        "and %(current)d; %(moved)d transfers)"
    ) % {**builder.counts, "first": first, "current": current, "moved": moved}


def demo_plans_wipe(ctx) -> str:
    """Remove the instansi's plans with their results, indicators, targets and realisations,
    and the late-entry windows; the sub-periods open again (their audit events stay)."""
    instansi = ctx.instansi
    Rollup.objects.filter(instansi=instansi).delete()  # rebuilt by the next run
    plans = Plan.objects.filter(instansi=instansi)
    indicators = Indicator.objects.filter(instansi=instansi, result__isnull=False)
    Realisation.objects.filter(target__indicator__in=indicators).delete()
    Target.objects.filter(indicator__in=indicators).delete()
    indicators.delete()
    PlanResult.objects.filter(plan__instansi=instansi).update(serves=None)
    PlanResult.objects.filter(plan__instansi=instansi).delete()
    PlanBehaviour.objects.filter(plan__instansi=instansi).delete()
    plans.update(previous=None)
    removed = plans.count()
    plans.delete()
    LateEntryWindow.objects.filter(instansi=instansi).delete()
    SubPeriod.objects.filter(instansi=instansi).update(status=SubPeriodStatus.OPEN)
    return _("removed %(n)d employee plans") % {"n": removed}
