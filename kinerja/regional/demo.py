"""The load_demo step "regional": the five development areas of Perpres 80/2019 with their
roles, the area each supporting one supports and their member regions; the example projects
named in the press with their published investments; then synthetic projects (``synthetic``,
named "Proyek sintetis GKS-012") so that each area holds its published count (77, 26, 47, 24
and 44: 218). Across the 218 the statuses are the 2022 evaluation's (5 finished, 2 partly
operating, 14 under construction, 96 in preparation, 101 in planning), the funding schemes the
December 2019 counts (APBN 108, APBN/APBD 1, BUMN/BUMD 19, KPBU 72, private 17; those add up
to 217, so the 218th is APBD), the phases 64 P1 and 154 P2 (every project at work on the
ground is P1), and the investment adds up to Rp 294.3 T with Selingkar Ijen at its published
Rp 36.4 T and Selingkar Wilis dan Lintas Selatan at Rp 41.8 T (the other three share the rest
by the demo's assumption in ``data/demo.json``).

Each project has a lead agency by its category, collaborators (the project office at Bappeda
for the P1 projects, the investment office for KPBU, BUMN/BUMD and private ones, and a
technical partner), regions among its area's members, milestones (some late: planned before
today and not reached) and, once at work on the ground, quarterly progress updates. The
example projects serve the plan's goals tagged with their area and those goals' indicators.
The agencies involved get their duties (tupoksi) where they have none.

Seeded (``ctx.seed``), so the same seed gives the same data. The areas go through the
service; the projects (checked by the model's own rules), their milestones and progress
updates are written in bulk with one audit event per row, in bulk too (`record_many`), so the
step stays fast; the duties go through the organisations' unit service (audited)."""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record_many
from kinerja.core.scope import Action, Grant, Scope
from kinerja.organisations.models import OrgUnit, Region

from . import services
from .choices import STARTED, Funding, LandStatus, Phase, ProjectStatus, RegionRole
from .models import (
    AreaMember,
    DevelopmentArea,
    Milestone,
    ProgressUpdate,
    Project,
    ProjectAgency,
    ProjectRegion,
)
from .policy import DATA, facts, prioritisation_choices, readiness_choices

DEMO_FILE = DATA / "demo.json"
ROUND = 100_000_000  # synthetic investments in steps of Rp 100 million
PERPRES_START = dt.date(2020, 1, 1)


def load_demo() -> dict[str, Any]:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


def system_scope(instansi_id: int) -> Scope:
    return Scope(instansi_id=instansi_id, grants=(Grant(actions=Action.ALL),))


def _pool(counts: dict[str, int]) -> list[str]:
    return [value for value, n in counts.items() for _i in range(n)]


class _Builder:
    def __init__(self, instansi, seed: int):
        self.instansi = instansi
        self.rng = random.Random(f"regional-{seed}")
        self.scope = system_scope(instansi.pk)
        self.facts = facts()
        self.demo = load_demo()
        self.today = timezone.localdate()
        agencies = OrgUnit.objects.filter(instansi=instansi, parent__isnull=True).order_by(
            "sort_key", "pk"
        )
        self.by_name = {u.name: u for u in agencies}
        self.fallback = self.by_name.get(self.demo["coordinator"][0]) or agencies.first()
        self.regions = {r.code: r for r in Region.objects.all()}

    def agency(self, name: str) -> OrgUnit | None:
        return self.by_name.get(name) or self.fallback

    # Areas --------------------------------------------------------------------------------

    def areas(self) -> dict[str, DevelopmentArea]:
        made: dict[str, DevelopmentArea] = {}
        for order, spec in enumerate(self.facts["areas"], start=1):
            members = {c: spec["confirmed"] for c in spec["members"] if c in self.regions}
            made[spec["code"]] = services.area_create(
                actor=None,
                scope=self.scope,
                data={
                    "code": spec["code"],
                    "abbreviation": spec["abbreviation"],
                    "name": spec["name"],
                    "role": spec["role"],
                    "supports": made.get(spec.get("supports", "")),
                    "description": spec.get("description", ""),
                    "published_projects": spec["projects"],
                    "published_investment_rp": spec["investment_rp"],
                    "order": order,
                },
                members=members,
            )
        return made

    # Projects -----------------------------------------------------------------------------

    def specs(self) -> list[dict[str, Any]]:
        """One dict per project, area by area: the examples first, then the synthetic ones."""
        out = []
        examples = self.facts["example_projects"]
        for spec in self.facts["areas"]:
            code, abbr = spec["code"], spec["abbreviation"]
            mine = [e for e in examples if e["area"] == code]
            categories = self.demo["synthetic_categories"][code]
            for n in range(1, spec["projects"] + 1):
                if n <= len(mine):
                    e = mine[n - 1]
                    out.append(
                        {
                            "area": code,
                            "code": f"{abbr}-{n:03d}",
                            "name": e["name"],
                            "category": e["category"],
                            "funding": e.get("funding"),
                            "investment_rp": e.get("investment_rp"),
                            "regions": e.get("regions", []),
                            "synthetic": False,
                        }
                    )
                else:
                    out.append(
                        {
                            "area": code,
                            "code": f"{abbr}-{n:03d}",
                            "name": f"Proyek sintetis {abbr}-{n:03d}",
                            "category": self.rng.choice(categories),
                            "funding": None,
                            "investment_rp": "synthetic",
                            "regions": [],
                            "synthetic": True,
                        }
                    )
        return out

    def assign(self, specs: list[dict[str, Any]]) -> None:
        rng = self.rng
        statuses = _pool({s: self.facts["status_2022"][s] for s in ProjectStatus.values})
        rng.shuffle(statuses)
        # The 218th beyond the 2019 counts' 217 (see the module docstring).
        funding_counts = dict(self.facts["funding_schemes_by_project_count_2019"])
        extra = len(specs) - sum(funding_counts.values())
        if extra > 0:
            key = self.demo["extra_funding"]
            funding_counts[key] = funding_counts.get(key, 0) + extra
        for spec in specs:
            if spec["funding"]:
                funding_counts[spec["funding"]] -= 1
        fundings = _pool(funding_counts)
        rng.shuffle(fundings)
        for spec, status in zip(specs, statuses, strict=True):
            spec["status"] = status
            if not spec["funding"]:
                spec["funding"] = fundings.pop()
        p1 = self.facts["phases"]["p1"]
        started = [s for s in specs if s["status"] in STARTED]
        preparing = [s for s in specs if s["status"] == ProjectStatus.PREPARATION]
        rng.shuffle(preparing)
        chosen = {id(s) for s in started + preparing[: max(0, p1 - len(started))]}
        for spec in specs:
            spec["phase"] = Phase.P1 if id(spec) in chosen else Phase.P2
        self.investments(specs)
        readiness = [c for c, _label in readiness_choices()]
        priorities = [c for c, _label in prioritisation_choices()]
        for spec in specs:
            status = spec["status"]
            if status in STARTED:
                spec["start_date"] = PERPRES_START + dt.timedelta(days=rng.randint(0, 900))
                spec["land_status"] = LandStatus.CLEARED
                spec["readiness_met"] = list(readiness)
            elif status == ProjectStatus.PREPARATION:
                has_start = rng.random() < 0.7
                spec["start_date"] = (
                    PERPRES_START + dt.timedelta(days=rng.randint(60, 1300)) if has_start else None
                )
                spec["land_status"] = rng.choice(
                    [LandStatus.IN_PROGRESS, LandStatus.NOT_STARTED, LandStatus.CLEARED]
                )
                spec["readiness_met"] = readiness[: rng.randint(1, 4)]
            else:
                spec["start_date"] = None
                spec["land_status"] = rng.choice([LandStatus.UNKNOWN, LandStatus.NOT_STARTED])
                spec["readiness_met"] = readiness[: rng.randint(0, 1)]
            spec["priority_criteria"] = sorted(rng.sample(priorities, rng.randint(2, 3)))

    def investments(self, specs: list[dict[str, Any]]) -> None:
        """Published figures where given; the synthetic ones share the rest of their area's
        total (published, else the demo's split) in proportion to seeded weights."""
        split = self.demo["investment_split_rp"]
        for spec in self.facts["areas"]:
            code = spec["code"]
            total = spec["investment_rp"] or split[code]
            mine = [s for s in specs if s["area"] == code]
            known = sum(s["investment_rp"] or 0 for s in mine if not s["synthetic"])
            for s in mine:
                if not s["synthetic"]:
                    s["investment_rp"] = s["investment_rp"] or None
            synthetic = [s for s in mine if s["synthetic"]]
            rest = total - known
            weights = [self.rng.lognormvariate(0, 0.9) for _s in synthetic]
            scale = sum(weights)
            given = 0
            for s, w in zip(synthetic[:-1], weights[:-1], strict=True):
                s["investment_rp"] = int(rest * w / scale) // ROUND * ROUND
                given += s["investment_rp"]
            if synthetic:
                synthetic[-1]["investment_rp"] = rest - given

    def partners(self, spec: dict[str, Any], lead: OrgUnit) -> list[tuple[OrgUnit, str]]:
        out = []
        if spec["phase"] == Phase.P1:
            out.append(self.demo["coordinator"])
        if spec["funding"] in (Funding.KPBU, Funding.BUMN_BUMD, Funding.PRIVATE):
            out.append(self.demo["investment_partner"])
        partner = self.demo["partner_by_category"].get(spec["category"])
        if partner and self.rng.random() < 0.6:
            out.append(partner)
        units = []
        for name, contribution in out:
            unit = self.by_name.get(name)
            if unit is not None and unit.pk != lead.pk:
                units.append((unit, contribution))
        return units

    def project_regions(self, spec: dict[str, Any], members: list[str]) -> dict[str, str]:
        codes = [c for c in spec["regions"] if c in self.regions]
        if not codes and members:
            codes = self.rng.sample(members, min(len(members), self.rng.randint(1, 2)))
        out = dict.fromkeys(codes, RegionRole.LOCATION)
        others = [m for m in members if m not in out]
        if others and self.rng.random() < 0.4:
            out[self.rng.choice(others)] = RegionRole.SUPPORTING
        return out

    def projects(self, areas: dict[str, DevelopmentArea]) -> list[Project]:
        from kinerja.performance.models import GoalTag, Indicator

        specs = self.specs()
        self.assign(specs)
        members = {
            code: [c for c in spec["members"] if c in self.regions]
            for code, spec in ((s["code"], s) for s in self.facts["areas"])
        }
        tagged: dict[str, list] = {}
        for tag in GoalTag.objects.filter(
            goal__instansi=self.instansi, kind="development_area"
        ).select_related("goal"):
            tagged.setdefault(tag.code, []).append(tag.goal)
        indicators: dict[int, list] = {}
        goal_ids = [g.pk for goals in tagged.values() for g in goals]
        for indicator in Indicator.objects.filter(goal_id__in=goal_ids).order_by("code"):
            indicators.setdefault(indicator.goal_id, []).append(indicator)
        made: list[Project] = []
        relations = []
        for spec in specs:
            lead = self.agency(self.demo["lead_by_category"].get(spec["category"], ""))
            if lead is None:
                break  # an instansi without agencies: nothing to lead the projects
            project = Project(
                instansi=self.instansi,
                code=spec["code"],
                name=spec["name"],
                area=areas[spec["area"]],
                category=spec["category"],
                funding=spec["funding"],
                investment_rp=spec["investment_rp"],
                lead_agency=lead,
                phase=spec["phase"],
                land_status=spec["land_status"],
                readiness_met=spec["readiness_met"],
                priority_criteria=spec["priority_criteria"],
                status=spec["status"],
                start_date=spec["start_date"],
                synthetic=spec["synthetic"],
            )
            project.clean()  # the model's rules, as the services apply them
            goals = tagged.get(spec["area"], []) if not spec["synthetic"] else []
            linked = [i for g in goals for i in indicators.get(g.pk, [])[:2]]
            regions = self.project_regions(spec, members[spec["area"]])
            made.append(project)
            relations.append((regions, self.partners(spec, lead), goals, linked))
        self.write_projects(made, relations)
        return made

    def write_projects(self, made: list[Project], relations: list) -> None:
        """The projects and their regions, collaborators and plan links in bulk, with one audit
        event per project (`record_many`)."""
        Project.objects.bulk_create(made, batch_size=500)
        region_rows, partner_rows, goal_rows, indicator_rows = [], [], [], []
        goal_link = Project.goals.through
        indicator_link = Project.indicators.through
        for project, (regions, partners, goals, linked) in zip(made, relations, strict=True):
            region_rows += [
                ProjectRegion(project=project, region=self.regions[code], role=role)
                for code, role in regions.items()
            ]
            partner_rows += [
                ProjectAgency(project=project, agency=unit, contribution=text)
                for unit, text in partners
            ]
            goal_rows += [goal_link(project_id=project.pk, goal_id=g.pk) for g in goals]
            indicator_rows += [
                indicator_link(project_id=project.pk, indicator_id=i.pk) for i in linked
            ]
        ProjectRegion.objects.bulk_create(region_rows, batch_size=1000)
        ProjectAgency.objects.bulk_create(partner_rows, batch_size=1000)
        goal_link.objects.bulk_create(goal_rows, batch_size=1000)
        indicator_link.objects.bulk_create(indicator_rows, batch_size=1000)

        def entries():
            fields = services.PROJECT_FIELDS
            for project, (regions, partners, goals, linked) in zip(made, relations, strict=True):
                changes = {
                    f: [
                        None,
                        _plain(getattr(project, f"{f}_id" if f in ("area", "lead_agency") else f)),
                    ]
                    for f in fields
                }
                changes["regions"] = [None, sorted(f"{c}:{r}" for c, r in regions.items())]
                changes["collaborators"] = [None, sorted(u.pk for u, _t in partners)]
                changes["goals"] = [None, sorted(g.pk for g in goals)]
                changes["indicators"] = [None, sorted(i.pk for i in linked)]
                yield {
                    "target_type": project._meta.label_lower,
                    "target_id": str(project.pk),
                    "target_repr": str(project)[:300],
                    "unit_id": project.lead_agency.pk,
                    "unit_path": project.lead_agency.path,
                    "changes": changes,
                }

        record_many(
            actor=None,
            action="regional.project.create",
            entries=entries(),
            instansi_id=self.instansi.pk,
            reason="load_demo",
        )

    # Milestones and progress --------------------------------------------------------------

    REACHED = {
        ProjectStatus.PLANNING: (0, 0),
        ProjectStatus.PREPARATION: (1, 3),
        ProjectStatus.CONSTRUCTION: (5, 5),
        ProjectStatus.PARTLY_OPERATING: (5, 5),
        ProjectStatus.FINISHED: (6, 6),
    }

    def milestones(self, projects: list[Project]) -> tuple[int, int]:
        names = self.demo["milestones"]
        rng, today = self.rng, self.today
        milestones: list[Milestone] = []
        updates: list[ProgressUpdate] = []
        for project in projects:
            low, high = self.REACHED[project.status]
            reached = rng.randint(low, high) if project.start_date else 0
            day = project.start_date or PERPRES_START + dt.timedelta(days=rng.randint(90, 700))
            built_on = None
            for order, name in enumerate(names, start=1):
                day = day + dt.timedelta(days=rng.randint(90, 240))
                if order <= reached:
                    actual = min(day + dt.timedelta(days=rng.randint(-20, 120)), today)
                    actual = max(actual, project.start_date)
                    if order == 5:
                        built_on = actual
                    milestones.append(
                        Milestone(
                            project=project,
                            name=name,
                            planned_date=day,
                            actual_date=actual,
                            order=order,
                        )
                    )
                    day = max(day, actual)
                else:
                    if order == reached + 1:
                        # The next step: planned around today, so some are late.
                        day = max(day, today + dt.timedelta(days=rng.randint(-300, 400)))
                    milestones.append(
                        Milestone(project=project, name=name, planned_date=day, order=order)
                    )
            if built_on is not None:
                updates.extend(self.progress(project, built_on))
        Milestone.objects.bulk_create(milestones, batch_size=1000)
        ProgressUpdate.objects.bulk_create(updates, batch_size=1000)
        self.audit(milestones, updates)
        return len(milestones), len(updates)

    def progress(self, project: Project, built_on: dt.date) -> list[ProgressUpdate]:
        """Quarterly reports from the start of construction to today (at most eight)."""
        final = {
            ProjectStatus.FINISHED: Decimal(100),
            ProjectStatus.PARTLY_OPERATING: Decimal(self.rng.randint(70, 95)),
            ProjectStatus.CONSTRUCTION: Decimal(self.rng.randint(8, 85)),
        }[project.status]
        days = []
        day = built_on + dt.timedelta(days=91)
        while day <= self.today and len(days) < 8:
            days.append(day)
            day += dt.timedelta(days=91)
        if not days:
            days = [self.today]
        out = []
        for n, day in enumerate(days, start=1):
            last = n == len(days)
            percent = final if last else (final * n / len(days)).quantize(Decimal("0.01"))
            out.append(
                ProgressUpdate(
                    project=project,
                    date=day,
                    percent=percent,
                    status=project.status if last else ProjectStatus.CONSTRUCTION,
                    note=_("Quarterly report of the project office (PPMO)"),
                )
            )
        return out

    def audit(self, milestones: list[Milestone], updates: list[ProgressUpdate]) -> None:
        def entries(rows, fields):
            for row in rows:
                lead = row.project.lead_agency
                yield {
                    "target_type": row._meta.label_lower,
                    "target_id": str(row.pk),
                    "target_repr": str(row)[:300],
                    "unit_id": lead.pk,
                    "unit_path": lead.path,
                    "changes": {f: [None, _plain(getattr(row, f))] for f in fields},
                }

        record_many(
            actor=None,
            action="regional.milestone.add",
            entries=entries(milestones, ("name", "planned_date", "actual_date", "order")),
            instansi_id=self.instansi.pk,
            reason="load_demo",
        )
        record_many(
            actor=None,
            action="regional.progress.add",
            entries=entries(updates, ("date", "percent", "status")),
            instansi_id=self.instansi.pk,
            reason="load_demo",
        )

    # Duties -------------------------------------------------------------------------------

    def duties(self) -> int:
        from kinerja.organisations.services import unit_update

        involved = set(
            Project.objects.filter(instansi=self.instansi).values_list("lead_agency_id", flat=True)
        ) | set(
            ProjectAgency.objects.filter(project__instansi=self.instansi).values_list(
                "agency_id", flat=True
            )
        )
        given = 0
        for name, text in self.demo["duties"].items():
            unit = self.by_name.get(name)
            if unit is None or unit.pk not in involved or unit.duties.strip():
                continue
            unit_update(actor=None, scope=self.scope, unit=unit, data={"duties": text})
            given += 1
        return given


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@transaction.atomic
def build(instansi, *, seed: int = 2023) -> dict[str, int]:
    """Make the areas, projects, milestones and progress updates; return counts."""
    builder = _Builder(instansi, seed)
    areas = builder.areas()
    projects = builder.projects(areas)
    milestones, updates = builder.milestones(projects)
    duties = builder.duties()
    return {
        "areas": len(areas),
        "projects": len(projects),
        "synthetic": sum(1 for p in projects if p.synthetic),
        "milestones": milestones,
        "updates": updates,
        "duties": duties,
    }


def demo_regional_run(ctx) -> str:
    """The areas and projects of Perpres 80/2019; keep what is there."""
    instansi = ctx.instansi
    existing = DevelopmentArea.objects.filter(instansi=instansi).count()
    if existing:
        return _("kept: %(n)d development areas already (use --reset to rebuild)") % {"n": existing}
    counts = build(instansi, seed=getattr(ctx, "seed", 2023))
    return (
        _(
            "%(areas)d development areas, %(projects)d projects (%(synthetic)d synthetic), "
            "%(milestones)d milestones, %(updates)d progress updates, duties for %(duties)d "
            "agencies"
        )
        % counts
    )


def demo_regional_wipe(ctx) -> str:
    """Remove the instansi's areas and projects with their parts (their audit events and the
    agencies' duties stay)."""
    instansi = ctx.instansi
    projects = Project.objects.filter(instansi=instansi)
    ProgressUpdate.objects.filter(project__in=projects).delete()
    Milestone.objects.filter(project__in=projects).delete()
    ProjectAgency.objects.filter(project__in=projects).delete()
    ProjectRegion.objects.filter(project__in=projects).delete()
    count = projects.delete()[1].get("regional.Project", 0)
    areas = DevelopmentArea.objects.filter(instansi=instansi)
    AreaMember.objects.filter(area__in=areas).delete()
    areas.filter(role="supporting").delete()
    areas.delete()
    return _("removed %(n)d Perpres 80/2019 projects") % {"n": count}
