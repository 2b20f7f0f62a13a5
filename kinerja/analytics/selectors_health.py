"""The cascade health report: who may read it, which agencies, and the findings of the seven
checks for a year (docs/analytics-health.md).

Every check reads its rows in one or two grouped queries for all the agencies asked for at
once, never a query per row: at province size (61 agencies, ~5,000 agency indicators,
~400,000 SKP targets, 80,000 plans) the report is about a dozen queries. The two SKP-level
checks stay in the database: the results that serve nothing are one filtered query, and the
plans that reach no PK target are one query around a recursive common table expression that
walks the chain of results up from the results serving a PK target (see `_reached_plans`).
The report is kept until the next audited write of the instansi (`kinerja.audit.freshness`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone

from kinerja.audit.freshness import kept
from kinerja.core.scope import Scope
from kinerja.organisations.models import OrgUnit
from kinerja.performance.models import (
    AgreementTarget,
    Goal,
    Indicator,
    KeyIndicatorSet,
    KeyIndicatorSetItem,
    Period,
    Plan,
    PlanResult,
    Realisation,
    SubPeriod,
    Target,
)

from . import health_rules as rules
from .health_rules import CHECK_CODES, Finding

# Who reads the report: these roles across the instansi (every agency and the province's own
# plan); a head of agency or an agency administrator their own agency (a grant on it).
WIDE_ROLES = frozenset({"leadership", "bappeda", "inspektorat", "system_admin"})
AGENCY_ROLES = frozenset({"opd_head", "opd_admin"})
PROVINCE = 0  # the "agency" id under which the province's own plan (RPJMD) is listed


def may_read_health(scope: Scope) -> bool:
    """Bappeda, leadership, the inspectorate and the system administrator; a head of agency
    and an agency administrator (for their own agency)."""
    if not scope.instansi_id or not scope.is_authenticated:
        return False
    return bool(scope.roles & WIDE_ROLES) or bool(_agency_paths(scope))


def reads_all(scope: Scope) -> bool:
    return bool(scope.instansi_id) and bool(scope.roles & WIDE_ROLES)


def _agency_paths(scope: Scope) -> set[str]:
    return {
        g.unit_path
        for g in scope.grants
        if g.role in AGENCY_ROLES and g.unit_path is not None and not g.by_posts
    }


def agencies_for(scope: Scope):
    """The agencies whose health the caller reads, in the official order."""
    if not may_read_health(scope):
        return OrgUnit.objects.none()
    qs = OrgUnit.objects.filter(instansi_id=scope.instansi_id, parent__isnull=True)
    if not reads_all(scope):
        qs = qs.filter(path__in=sorted(_agency_paths(scope)))
    return qs.only("pk", "name", "code", "path", "sort_key", "instansi_id").order_by(
        "sort_key", "name"
    )


def years_for(instansi_id: int | None) -> list[int]:
    return list(
        Period.objects.filter(instansi_id=instansi_id)
        .order_by("-year")
        .values_list("year", flat=True)
    )


def chosen_year(instansi_id: int | None, wanted: str | None) -> int | None:
    """The year asked for (digits, a period of the instansi), else today's, else the latest."""
    years = years_for(instansi_id)
    if wanted and wanted.isascii() and wanted.isdigit() and int(wanted) in years:
        return int(wanted)
    today = timezone.localdate().year
    if today in years:
        return today
    return years[0] if years else None


# The report --------------------------------------------------------------------------------


@dataclass
class HealthReport:
    year: int
    findings: list[Finding] = field(default_factory=list)

    def for_agency(self, agency_id: int | None) -> list[Finding]:
        return [f for f in self.findings if (f.agency_id or PROVINCE) == (agency_id or PROVINCE)]

    def counts(self) -> dict[int, dict[str, int]]:
        """Per agency id (PROVINCE for the province's own plan): the findings per check."""
        out: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(CHECK_CODES, 0))
        for f in self.findings:
            out[f.agency_id or PROVINCE][f.check] += 1
        return {k: dict(v) for k, v in out.items()}


def health_report(
    scope: Scope, year: int, *, agency: OrgUnit | None = None, request=None
) -> HealthReport:
    """The report of ``year`` as ``scope`` may read it: every agency and the province for an
    instansi-wide reader, else the reader's agencies; with ``agency`` (or PROVINCE as its id)
    only that one. Kept until the next audited write."""
    instansi_id = scope.instansi_id
    if reads_all(scope) and agency is None:
        ids: tuple[int, ...] | None = None
    elif agency is not None:
        ids = (agency.pk,)
    else:
        ids = tuple(agencies_for(scope).values_list("pk", flat=True))
    if reads_all(scope):
        # One report for the whole instansi serves every wide reader and every agency page.
        report = kept(
            "analytics.health",
            lambda: compute_report(instansi_id, year),
            scope=Scope(instansi_id=instansi_id),
            request=request,
            parts=(year,),
        )
        if ids is None:
            return report
        return HealthReport(year=year, findings=[f for a in ids for f in report.for_agency(a)])
    return kept(
        "analytics.health",
        lambda: compute_report(instansi_id, year, agency_ids=ids),
        scope=Scope(instansi_id=instansi_id),
        request=request,
        parts=(year, *ids) if ids else (year, "none"),
    )


def compute_report(
    instansi_id: int, year: int, *, agency_ids: Iterable[int] | None = None, today=None
) -> HealthReport:
    """Run the seven checks for ``year`` over ``agency_ids`` (None: every agency and the
    province's own plan)."""
    ctx = _Context(instansi_id, year, agency_ids, today or timezone.localdate())
    findings: list[Finding] = []
    for check in (
        check_orphans,
        check_manual,
        check_realisations,
        check_plans,
        check_duplicates,
        check_smart,
        check_iku,
    ):
        findings.extend(check(ctx))
    findings.sort(key=lambda f: (rules.SEVERITY_ORDER.get(f.severity, 9), f.kind, f.label))
    return HealthReport(year=year, findings=findings)


class _Context:
    """What the checks share: the year, the policy, the agencies asked for, and the
    indicators and goals read once."""

    def __init__(self, instansi_id, year, agency_ids, today):
        self.instansi_id = instansi_id
        self.year = year
        self.today = today
        self.policy = rules.health_policy(year)
        self.agency_ids = None if agency_ids is None else [a for a in agency_ids if a]
        self.province = agency_ids is None or PROVINCE in agency_ids
        self.period = Period.objects.filter(instansi_id=instansi_id, year=year).first()
        self._indicators = None
        self._goals = None

    def severity(self, kind: str) -> str:
        return self.policy["severity"].get(kind, "medium")

    def agency_q(self, path: str) -> Q:
        """Rows of the agencies asked for (``path`` leads to the row's unit), and the
        province's own (no unit) when it is asked for."""
        if self.agency_ids is None:
            return Q()
        q = Q(**{f"{path}__agency_id__in": self.agency_ids})
        if self.province:
            q |= Q(**{f"{path}__isnull": True})
        return q

    def goals(self) -> dict[int, dict[str, Any]]:
        if self._goals is None:
            self._goals = {
                g["pk"]: g
                for g in Goal.objects.filter(instansi_id=self.instansi_id).values(
                    "pk", "parent_id", "level", "unit_id", "unit__agency_id", "code", "name"
                )
            }
        return self._goals

    def cut_off(self) -> dict[int, int]:
        goals = self.goals()
        return rules.cut_off_goals(
            (pk, g["parent_id"], g["level"], g["unit_id"]) for pk, g in goals.items()
        )

    def indicators(self) -> list[dict[str, Any]]:
        """The goals' indicators in play in the year, each with its target of the year (or
        None): an indicator is in play when it has no target at all (new), when the year lies
        between its first and last targeted years, or when a key-indicator set covering the
        year holds it. An indicator whose targets all end before the year (or start after) is
        another plan period's."""
        if self._indicators is not None:
            return self._indicators
        year = self.year
        keyed = set(
            KeyIndicatorSetItem.objects.filter(
                key_set__instansi_id=self.instansi_id,
                key_set__first_year__lte=year,
                key_set__last_year__gte=year,
            ).values_list("indicator_id", flat=True)
        )
        rows = list(
            Indicator.objects.filter(instansi_id=self.instansi_id, result__isnull=True)
            .filter(self.agency_q("unit"))
            .annotate(first=Min("targets__year"), last=Max("targets__year"))
            .values(
                "pk",
                "code",
                "name",
                "definition",
                "measure_unit",
                "formula",
                "data_source",
                "producer",
                "baseline",
                "polarity",
                "data_type",
                "reporting_frequency",
                "goal_id",
                "unit_id",
                "unit__agency_id",
                "first",
                "last",
            )
            .order_by("code")
        )
        rows = [
            r
            for r in rows
            if r["first"] is None or r["first"] <= year <= r["last"] or r["pk"] in keyed
        ]
        targets = {
            t["indicator_id"]: t
            for t in Target.objects.filter(
                indicator__instansi_id=self.instansi_id,
                indicator__result__isnull=True,
                year=year,
            )
            .filter(self.agency_q("indicator__unit"))
            .annotate(n_values=Count("values"))
            .values("pk", "indicator_id", "shape", "value", "low", "high", "n_values")
        }
        for r in rows:
            r["agency"] = r["unit__agency_id"] or r["unit_id"]
            r["target"] = targets.get(r["pk"])
        self._indicators = rows
        return rows


class _Urls:
    """``reverse()`` once per route, then the ids put in: reversing each of 90,000 findings
    took most of the report's time."""

    MARK = 987654320

    def __init__(self) -> None:
        self._templates: dict[tuple[str, int], str] = {}

    def __call__(self, name: str, *args: int) -> str:
        template = self._templates.get((name, len(args)))
        if template is None:
            marks = [str(self.MARK + k) for k in range(len(args))]
            template = reverse(name, args=marks)
            for k, mark in enumerate(marks):
                template = template.replace(mark, f"{{{k}}}")
            self._templates[(name, len(args))] = template
        return template.format(*args)


_url = _Urls()


def _label(code: str, name: str) -> str:
    return f"{code} {name}".strip()


def _indicator_finding(ctx, kind, r, params, url=None) -> Finding:
    return Finding(
        kind=kind,
        severity=ctx.severity(kind),
        agency_id=r["agency"],
        object_type="indicator",
        object_id=r["pk"],
        label=_label(r["code"], r["name"]),
        fix_url=url or _url("performance:indicator_update", r["pk"]),
        params=params,
    )


# 1. Results that serve nothing ---------------------------------------------------------------


def check_orphans(ctx: _Context) -> list[Finding]:
    """SKP main results serving no leader's result (nor, for a head, a PK target); Renstra
    goals under no RPJMD goal (the top of each cut-off chain); PK targets of the year whose
    goal is cut off from the RPJMD."""
    out: list[Finding] = []
    skp = ctx.policy["skp"]
    if ctx.period is not None:
        results = (
            PlanResult.objects.filter(
                plan__period=ctx.period,
                plan__is_current=True,
                plan__status__in=skp["statuses"],
                kind__in=skp["result_kinds"],
                serves__isnull=True,
                serves_target__isnull=True,
            )
            .filter(ctx.agency_q("plan__unit"))
            .values_list(
                "pk",
                "text",
                "plan_id",
                "plan__employee__name",
                "plan__position__is_head",
                "plan__unit__agency_id",
            )
            .order_by("plan_id", "pk")
        )
        for pk, text, plan_id, name, is_head, agency_id in results:
            out.append(
                Finding(
                    kind="orphan_result",
                    severity=ctx.severity("orphan_result"),
                    agency_id=agency_id,
                    object_type="plan_result",
                    object_id=pk,
                    label=f"{name}: {text[:120]}",
                    fix_url=_url("performance:plan_detail", plan_id),
                    params={"head": bool(is_head)},
                )
            )
    goals = ctx.goals()
    cut = ctx.cut_off()
    below = defaultdict(int)
    for pk, top in cut.items():
        if pk != top:
            below[top] += 1
    wanted = None if ctx.agency_ids is None else set(ctx.agency_ids)
    for pk, top in cut.items():
        if pk != top:
            continue
        g = goals[pk]
        agency = g["unit__agency_id"] or g["unit_id"]
        if wanted is not None and agency not in wanted:
            continue
        out.append(
            Finding(
                kind="orphan_goal",
                severity=ctx.severity("orphan_goal"),
                agency_id=agency,
                object_type="goal",
                object_id=pk,
                label=_label(g["code"], g["name"]),
                fix_url=_url("performance:goal_update", pk),
                params={"below": below[pk]},
            )
        )
    if cut:
        rows = (
            AgreementTarget.objects.filter(
                agreement__instansi_id=ctx.instansi_id,
                agreement__year=ctx.year,
                agreement__is_current=True,
                goal_id__in=list(cut),
            )
            .filter(ctx.agency_q("agreement__unit"))
            .values_list(
                "pk",
                "agreement_id",
                "goal_id",
                "target__indicator__code",
                "target__indicator__name",
                "agreement__unit__agency_id",
            )
        )
        for pk, agreement_id, goal_id, code, name, agency_id in rows:
            g = goals[goal_id]
            out.append(
                Finding(
                    kind="orphan_agreement_target",
                    severity=ctx.severity("orphan_agreement_target"),
                    agency_id=agency_id,
                    object_type="agreement_target",
                    object_id=pk,
                    label=_label(code, name),
                    fix_url=_url("performance:agreement_detail", agreement_id),
                    params={"goal": _label(g["code"], g["name"])},
                )
            )
    return out


# 2. The indicator manual ---------------------------------------------------------------------


def check_manual(ctx: _Context) -> list[Finding]:
    """One finding per indicator in play listing the manual fields it lacks."""
    policy = ctx.policy["manual"]
    out = []
    for r in ctx.indicators():
        missing = rules.manual_gaps(
            r,
            has_target=r["target"] is not None,
            required=policy["required"],
            producer_defaults_to_agency=bool(policy.get("producer_defaults_to_agency")),
        )
        if not missing:
            continue
        url = None
        if missing == ["target"]:
            url = _url("performance:target_edit", r["pk"], ctx.year)
        out.append(_indicator_finding(ctx, "manual_incomplete", r, {"missing": missing}, url))
    return out


# 3. Realisations past their deadline ---------------------------------------------------------


def check_realisations(ctx: _Context) -> list[Finding]:
    """The targets of the year (the goals' indicators, in play) without a submitted or
    verified realisation for a sub-period they owe whose deadline has passed."""
    if ctx.period is None:
        return []
    policy = ctx.policy["realisation"]
    days = ctx.period.periodic_evaluation_days
    subs = list(
        SubPeriod.objects.filter(period=ctx.period)
        .order_by("number")
        .values_list("pk", "starts", "ends", "number")
    )
    passed = {
        pk: (number, rules.deadline(ends, days=days, grace=int(policy["grace_days"])))
        for pk, _starts, ends, number in subs
        if rules.deadline(ends, days=days, grace=int(policy["grace_days"])) < ctx.today
    }
    if not passed:
        return []
    frequency = ctx.period.frequency
    indicators = [r for r in ctx.indicators() if r["target"] is not None]
    reported = set(
        Realisation.objects.filter(
            target__indicator__instansi_id=ctx.instansi_id,
            target__year=ctx.year,
            target__indicator__result__isnull=True,
            status__in=policy["reported_statuses"],
            sub_period_id__in=list(passed),
        )
        .filter(ctx.agency_q("target__indicator__unit"))
        .values_list("target_id", "sub_period_id")
    )
    sub_rows = [(pk, starts, ends) for pk, starts, ends, _n in subs]
    labels = {pk: (frequency, number, starts.isoformat()) for pk, starts, _e, number in subs}
    out = []
    for r in indicators:
        due = [pk for pk in rules.due_sub_periods(r["reporting_frequency"], sub_rows)]
        missing = [pk for pk in due if pk in passed and (r["target"]["pk"], pk) not in reported]
        if not missing:
            continue
        last = max(passed[pk][1] for pk in missing)
        out.append(
            Finding(
                kind="realisation_missing",
                severity=ctx.severity("realisation_missing"),
                agency_id=r["agency"],
                object_type="target",
                object_id=r["target"]["pk"],
                label=_label(r["code"], r["name"]),
                fix_url=_url("performance:realisation_entry", r["target"]["pk"]),
                params={
                    "subs": [labels[pk] for pk in missing],
                    "deadline": last.isoformat(),
                },
            )
        )
    return out


# 4. Plans whose results reach no PK target ---------------------------------------------------


def _reached_plans_sql() -> str:
    """The current plans of a period with a result that leads, up the chain of results it
    serves, to a result serving a target of a PK of the plan's own agency. One query: the
    recursive part walks down from each result that serves a PK target (carrying that PK's
    agency) to every result serving it, directly or through others."""
    result = PlanResult._meta.db_table
    target = AgreementTarget._meta.db_table
    agreement = AgreementTarget._meta.get_field("agreement").related_model._meta.db_table
    unit = OrgUnit._meta.db_table
    plan = Plan._meta.db_table
    # The names are the models' own tables; every value is a parameter.
    return f"""
        WITH RECURSIVE reach(id, agency_id) AS (
            SELECT r.id, u.agency_id
            FROM {result} r
            JOIN {target} t ON t.id = r.serves_target_id
            JOIN {agreement} a ON a.id = t.agreement_id
            JOIN {unit} u ON u.id = a.unit_id
            WHERE a.instansi_id = %s AND a.year = %s
            UNION
            SELECT r.id, reach.agency_id
            FROM {result} r JOIN reach ON r.serves_id = reach.id
        )
        SELECT DISTINCT p.id
        FROM reach
        CROSS JOIN {result} r
        CROSS JOIN {plan} p
        CROSS JOIN {unit} pu
        WHERE r.id = reach.id AND p.id = r.plan_id AND pu.id = p.unit_id
          AND p.period_id = %s AND p.is_current AND reach.agency_id = pu.agency_id
    """  # noqa: S608 - CROSS JOIN keeps SQLite's order: the reached results first, each plan
    # by key (joined from the plans, SQLite scanned the unindexed walk once per result: 298 s
    # at 80,330 staff); PostgreSQL plans it freely.


def check_plans(ctx: _Context) -> list[Finding]:
    """Current plans of the year none of whose results leads to a target of the agency's PK
    (a plan with no result at all included). Two queries: the plans reached (a recursive
    query in the database), then the other plans with their result counts."""
    if ctx.period is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_reached_plans_sql(), [ctx.instansi_id, ctx.year, ctx.period.pk])
        reached = {row[0] for row in cursor.fetchall()}
    plans = (
        Plan.objects.filter(
            period=ctx.period, is_current=True, status__in=ctx.policy["skp"]["statuses"]
        )
        .filter(ctx.agency_q("unit"))
        .annotate(n_results=Count("results"))
        .values_list("pk", "employee__name", "position_title", "unit__agency_id", "n_results")
        .order_by("pk")
    )
    out = []
    for pk, name, title, agency_id, n in plans:
        if pk in reached:
            continue
        out.append(
            Finding(
                kind="plan_unreached",
                severity=ctx.severity("plan_unreached"),
                agency_id=agency_id,
                object_type="plan",
                object_id=pk,
                label=f"{name} ({title})",
                fix_url=_url("performance:plan_detail", pk),
                params={"results": n},
            )
        )
    return out


# 5. Duplicates -------------------------------------------------------------------------------


def check_duplicates(ctx: _Context) -> list[Finding]:
    """Near-duplicate indicators within one agency (and within the province's own plan): one
    finding per pair, on the later indicator, naming the earlier."""
    by_agency: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for r in ctx.indicators():
        by_agency[r["agency"]].append(r)
    policy = ctx.policy["duplicate"]
    out = []
    for rows in by_agency.values():
        index = {r["pk"]: r for r in rows}
        items = [(r["pk"], r["name"], r["definition"]) for r in rows]
        for first, second, on, score in rules.duplicate_pairs(items, policy=policy):
            a, b = index[first], index[second]
            out.append(
                _indicator_finding(
                    ctx,
                    "duplicate",
                    b,
                    {"other": _label(a["code"], a["name"]), "on": on, "score": score},
                )
            )
    return out


# 6. SMART-C ----------------------------------------------------------------------------------


def check_smart(ctx: _Context) -> list[Finding]:
    """The six SMART-C criteria per indicator in play, one finding per criterion failed."""
    policy = ctx.policy["smart"]
    cut = ctx.cut_off()
    out = []
    for r in ctx.indicators():
        target = r["target"]
        vague = rules.vague_name(r["name"], policy=policy)
        if vague:
            out.append(_indicator_finding(ctx, "smart_specific", r, vague))
        missing = rules.measurable_gaps(r, target, formula_units=policy["formula_units"])
        if missing:
            finding = _indicator_finding(ctx, "smart_measurable", r, {"missing": missing})
            if missing == ["formula"]:
                # Only the formula is missing: the indicator is measurable once it is written.
                finding.severity = ctx.severity("smart_measurable_formula")
            out.append(finding)
        required = rules.required_value(target, r["polarity"]) if target else None
        far = rules.unachievable(
            required=required,
            baseline=r["baseline"],
            polarity=r["polarity"],
            measure_unit=r["measure_unit"],
            policy=policy,
        )
        target_url = _url("performance:target_edit", r["pk"], ctx.year)
        if far:
            out.append(_indicator_finding(ctx, "smart_achievable", r, far, target_url))
        if r["goal_id"] in cut:
            goal = ctx.goals().get(cut[r["goal_id"]])
            url = _url("performance:goal_update", goal["pk"]) if goal else None
            out.append(_indicator_finding(ctx, "smart_relevant", r, {}, url))
        gaps = rules.time_bound_gaps(
            target=target,
            reporting_frequency=r["reporting_frequency"],
            values=target["n_values"] if target else 0,
        )
        if gaps:
            params = {"missing": gaps}
            out.append(_indicator_finding(ctx, "smart_time_bound", r, params, target_url))
        low = rules.not_challenging(
            required=required, baseline=r["baseline"], polarity=r["polarity"]
        )
        if low:
            out.append(_indicator_finding(ctx, "smart_challenging", r, low, target_url))
    return out


# 7. Key indicators changed too often ---------------------------------------------------------


def check_iku(ctx: _Context) -> list[Finding]:
    """An owner's key-indicator sets (set ones; the drafts when none is set) compared between
    consecutive years."""
    policy = ctx.policy["iku"]
    sets = list(
        KeyIndicatorSet.objects.filter(instansi_id=ctx.instansi_id, first_year__lte=ctx.year)
        .filter(ctx.agency_q("unit"))
        .values("pk", "unit_id", "unit__agency_id", "first_year", "last_year", "status", "name")
    )
    names = defaultdict(list)
    for set_id, name in KeyIndicatorSetItem.objects.filter(
        key_set_id__in=[s["pk"] for s in sets]
    ).values_list("key_set_id", "indicator__name"):
        names[set_id].append(name)
    by_owner = defaultdict(list)
    for s in sets:
        by_owner[s["unit__agency_id"] or s["unit_id"]].append(s)
    out = []
    for owner, owned in by_owner.items():
        chosen = [s for s in owned if s["status"] in policy["statuses"]] or owned
        for change in rules.iku_changes(
            [(s["first_year"], s["last_year"], names[s["pk"]]) for s in chosen],
            year=ctx.year,
            policy=policy,
        ):
            latest = max(
                (s for s in chosen if s["first_year"] <= change["year"] <= s["last_year"]),
                key=lambda s: s["first_year"],
            )
            out.append(
                Finding(
                    kind="iku_churn",
                    severity=ctx.severity("iku_churn"),
                    agency_id=owner,
                    object_type="key_set",
                    object_id=latest["pk"],
                    label=f"{latest['name']} {latest['first_year']}\u2013{latest['last_year']}",
                    fix_url=_url("performance:key_set_list") + f"#key-set-{latest['pk']}",
                    params=change,
                )
            )
    return out
