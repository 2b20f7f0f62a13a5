"""The impact report of an event on Kirkpatrick's four levels (docs/training-impact.md).

- **Reaction** and **learning** come from the feedback capability
  (`selectors_feedback.reaction_summary` and `learning_summary`), **behaviour** from the
  action plans (`selectors_action_plans.behaviour_summary`). They are imported when the report
  is built; a capability that is not installed shows its level as "not available yet".
- **Results** is computed here: for each participant, the achievement of the targets linked to
  the action plan (`ActionPlanLink`: a PK target, or an SKP result through its individual
  indicators) against the unlinked targets of the same agreement or plan, and against the
  same indicators' annual achievement in the earlier years; and the participants against the
  heads of agency of the same audience who did not attend. Every figure is read from the
  maintained roll-ups (`performance.Rollup`, kind ``target``), never from realisations; the
  rules are the pure functions of `impact_rules`.

Who reads it (`may_read_impact`): the organiser (``manage_training``), leadership, BKD and
Bappeda across the instansi, and the agencies that nominate (``nominate``: the head of agency
and the agency administrator). The event's figures are aggregates of the whole event and are
shown to every reader; the rows naming a participant are only those the reader may see as a
person (`Participant.objects.within`): an agency head sees the agency's own.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q
from django.utils import timezone

from kinerja.core.scope import Action, Scope

from . import impact_rules as rules
from .choices import ActionPlanStatus, ParticipantStatus
from .models import ActionPlanLink, Event, Participant
from .querysets import organises

# Instansi-wide readers of the report besides the organiser.
READER_ROLES = frozenset({"leadership", "bkd", "bappeda"})
MONTHS = (3, 6, 12)
CHUNK = 500


def may_read_impact(scope: Scope) -> bool:
    """The organiser, leadership, BKD, Bappeda, and the agencies that nominate."""
    if not scope.instansi_id or not scope.is_authenticated:
        return False
    return (
        organises(scope) or bool(scope.roles & READER_ROLES) or scope.can_anywhere(Action.NOMINATE)
    )


def events_for(scope: Scope):
    """The events whose impact report the caller may open (none without the right)."""
    if not may_read_impact(scope):
        return Event.objects.none()
    return Event.objects.within(scope)


# The contracts of the other capabilities ----------------------------------------------------


def _reaction(event) -> dict[str, Any] | None:
    try:
        from .selectors_feedback import reaction_summary
    except ImportError:
        return None
    return reaction_summary(event)


def _learning(event) -> dict[str, Any] | None:
    try:
        from .selectors_feedback import learning_summary
    except ImportError:
        return None
    return learning_summary(event)


def _behaviour(event) -> dict[int, dict[str, Any]] | None:
    try:
        from .selectors_action_plans import behaviour_summary
    except ImportError:
        return None
    return behaviour_summary(event)


def _links(event) -> dict[int, dict[str, list[int]]]:
    """Each participant's linked PK targets and SKP results: the action plans' capability
    says which count (`linked_targets`); without it, the links of every plan not dropped."""
    try:
        from .selectors_action_plans import linked_targets
    except ImportError:
        linked_targets = None
    if linked_targets is not None:
        return {
            int(pid): {
                "agreement_targets": list(v.get("agreement_targets") or ()),
                "plan_results": list(v.get("plan_results") or ()),
            }
            for pid, v in linked_targets(event).items()
        }
    links: dict[int, dict[str, list[int]]] = defaultdict(
        lambda: {"agreement_targets": [], "plan_results": []}
    )
    rows = (
        ActionPlanLink.objects.filter(action_plan__participant__event=event)
        .exclude(action_plan__status=ActionPlanStatus.DROPPED)
        .values_list("action_plan__participant_id", "agreement_target_id", "plan_result_id")
        .order_by("pk")
    )
    for pid, at_id, pr_id in rows:
        if at_id:
            links[pid]["agreement_targets"].append(at_id)
        if pr_id:
            links[pid]["plan_results"].append(pr_id)
    return dict(links)


# Reading the roll-ups -----------------------------------------------------------------------


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ids = sorted(set(ids))
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _target_rows(target_ids: Iterable[int]) -> dict[int, dict[int, Decimal | None]]:
    """Each target's roll-up rows: sub-period number (0 the year) -> percent."""
    from kinerja.performance.models import Rollup, RollupKind

    rows: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for chunk in _chunks(target_ids):
        for object_id, sub_period, percent in (
            Rollup.objects.filter(kind=RollupKind.TARGET, object_id__in=chunk)
            .order_by()
            .values_list("object_id", "sub_period", "percent")
        ):
            rows[object_id][sub_period] = percent
    return rows


def _last_sub_periods(instansi_id: int, years: Iterable[int]) -> dict[int, int]:
    """The number of each year's last sub-period (the period's split; the policy's default
    where no period is set)."""
    from kinerja.performance.models import SubPeriod

    years = set(years)
    found = dict(
        SubPeriod.objects.filter(period__instansi_id=instansi_id, period__year__in=years)
        .order_by()
        .values("period__year")
        .annotate(last=Max("number"))
        .values_list("period__year", "last")
    )
    return {y: found.get(y) or rules.impact_policy(y).default_sub_periods for y in years}


class _Targets:
    """The targets the report reads, with their indicator and year, their figure for their
    year and their trend over the earlier years; loaded in a few queries."""

    def __init__(self, instansi_id: int):
        self.instansi_id = instansi_id
        self.info: dict[int, tuple[int, int]] = {}  # target -> (indicator, year)

    def load(self, target_ids: Iterable[int]) -> None:
        from kinerja.performance.models import Target

        missing = set(target_ids) - set(self.info)
        for chunk in _chunks(missing):
            for pk, indicator_id, year in (
                Target.objects.filter(pk__in=chunk)
                .order_by()
                .values_list("pk", "indicator_id", "year")
            ):
                self.info[pk] = (indicator_id, year)

    def compute(self) -> None:
        from kinerja.performance.models import Target

        ids = list(self.info)
        rows = _target_rows(ids)
        years = {year for _i, year in self.info.values()}
        last = _last_sub_periods(self.instansi_id, years)
        self.figures = {
            pk: rules.current_figure(rows.get(pk, {}), last[year])
            for pk, (_i, year) in self.info.items()
        }
        # The same indicators' targets of the earlier years and their annual achievement.
        indicators = {ind for ind, _y in self.info.values()}
        earliest = min(years, default=0) - max(
            (rules.impact_policy(y).trend_years for y in years), default=0
        )
        earlier: dict[int, dict[int, int]] = defaultdict(dict)  # indicator -> year -> target
        for chunk in _chunks(indicators):
            for pk, indicator_id, year in (
                Target.objects.filter(indicator_id__in=chunk, year__gte=earliest)
                .order_by()
                .values_list("pk", "indicator_id", "year")
            ):
                earlier[indicator_id][year] = pk
        wanted = {pk for by_year in earlier.values() for pk in by_year.values()}
        past_rows = _target_rows(wanted - set(ids)) | {pk: rows.get(pk, {}) for pk in ids}
        self.trends: dict[int, Decimal | None] = {}
        for pk, (indicator_id, year) in self.info.items():
            history = {
                y: past_rows.get(tpk, {}).get(rules.YEAR)
                for y, tpk in earlier[indicator_id].items()
                if y < year
            }
            self.trends[pk] = rules.trend(history, year=year, policy=rules.impact_policy(year))

    def figure(self, pk: int) -> rules.Figure | None:
        return self.figures.get(pk)


# The results level --------------------------------------------------------------------------


def _untreated(event, participants: list[Participant]) -> list[tuple[int, int | None]]:
    """The heads of agency (the head post of a top-level unit) of the event's audience (its
    kinds of post and eselon levels) who hold no seat in the event: (employee, post) pairs."""
    from kinerja.organisations.models import Employee

    taken = {p.employee_id for p in participants}
    taken |= set(
        Participant.objects.filter(event=event).active().values_list("employee_id", flat=True)
    )
    qs = Employee.objects.filter(
        instansi_id=event.instansi_id,
        is_active=True,
        position__is_head=True,
        position__unit__parent__isnull=True,  # the head of an agency, not of a bureau under it
    )
    if event.audience_kinds:
        qs = qs.filter(position__kind__in=event.audience_kinds)
    if event.audience_eselons:
        qs = qs.filter(position__eselon__in=event.audience_eselons)
    return [
        (pk, position_id)
        for pk, position_id in qs.exclude(pk__in=taken)
        .order_by("pk")
        .values_list("pk", "position_id")
    ]


def results_level(event, *, visible: set[int] | None = None) -> dict[str, Any]:
    """The results level of ``event`` (see the module docstring). ``visible``: the
    participants whose rows may be listed (None: all); the event's figures count everyone."""
    from kinerja.performance.models import Agreement, AgreementTarget, PlanResult, Target

    participants = list(
        Participant.objects.filter(event=event, status=ParticipantStatus.CONFIRMED)
        .select_related("employee")
        .order_by("agency_name", "employee__name", "pk")
    )
    links = _links(event)
    linked_at = {at for v in links.values() for at in v["agreement_targets"]}
    linked_pr = {pr for v in links.values() for pr in v["plan_results"]}

    # The agreements and plans the links belong to, with all their rows.
    at_rows = dict(
        (pk, (agreement_id, target_id))
        for pk, agreement_id, target_id in AgreementTarget.objects.filter(
            agreement__in=AgreementTarget.objects.filter(pk__in=linked_at).values("agreement_id")
        )
        .order_by()
        .values_list("pk", "agreement_id", "target_id")
    )
    by_agreement: dict[int, list[int]] = defaultdict(list)
    for pk, (agreement_id, _t) in sorted(at_rows.items()):
        by_agreement[agreement_id].append(pk)
    pr_plan = dict(
        PlanResult.objects.filter(
            plan__in=PlanResult.objects.filter(pk__in=linked_pr).values("plan_id")
        )
        .order_by()
        .values_list("pk", "plan_id")
    )
    by_plan: dict[int, list[int]] = defaultdict(list)
    for pk, plan_id in sorted(pr_plan.items()):
        by_plan[plan_id].append(pk)
    pr_targets: dict[int, list[int]] = defaultdict(list)
    for pk, result_id in (
        Target.objects.filter(indicator__result_id__in=list(pr_plan))
        .order_by("pk")
        .values_list("pk", "indicator__result_id")
    ):
        pr_targets[result_id].append(pk)

    targets = _Targets(event.instansi_id)
    targets.load(t for _a, t in at_rows.values())
    targets.load(t for ts in pr_targets.values() for t in ts)

    years = Counter(targets.info[at_rows[at][1]][1] for at in linked_at if at in at_rows)
    year = years.most_common(1)[0][0] if years else event.year

    # The untreated group's agreements of the results year.
    untreated = _untreated(event, participants)
    untreated_targets: dict[int, list[int]] = defaultdict(list)
    if untreated:
        employees = [e for e, _p in untreated]
        posts = [p for _e, p in untreated if p]
        owner: dict[int, int] = {}
        by_post = {p: e for e, p in untreated if p}
        employee_ids = set(employees)
        for pk, first_party_id, head_post_id in (
            Agreement.objects.filter(instansi_id=event.instansi_id, year=year, is_current=True)
            .filter(Q(first_party_id__in=employees) | Q(head_post_id__in=posts))
            .order_by("pk")
            .values_list("pk", "first_party_id", "head_post_id")
        ):
            holder = first_party_id if first_party_id in employee_ids else by_post.get(head_post_id)
            if holder is not None:
                owner.setdefault(holder, pk)
        agreement_of = {pk: e for e, pk in owner.items()}
        for agreement_id, target_id in (
            AgreementTarget.objects.filter(agreement_id__in=list(agreement_of))
            .order_by("pk")
            .values_list("agreement_id", "target_id")
        ):
            untreated_targets[agreement_of[agreement_id]].append(target_id)
        targets.load(t for ts in untreated_targets.values() for t in ts)

    targets.compute()

    def result_figure(pr: int) -> rules.Figure | None:
        return rules.combined_figure([targets.figure(t) for t in pr_targets.get(pr, ())])

    def result_trend(pr: int) -> Decimal | None:
        return rules.exact_mean(targets.trends.get(t) for t in pr_targets.get(pr, ()))

    rows = []
    for p in participants:
        mine = links.get(p.pk, {"agreement_targets": [], "plan_results": []})
        own_at = [at for at in mine["agreement_targets"] if at in at_rows]
        own_pr = [pr for pr in mine["plan_results"] if pr in pr_plan]
        linked = [
            rules.LinkedFigure(targets.figure(at_rows[at][1]), targets.trends.get(at_rows[at][1]))
            for at in own_at
        ] + [rules.LinkedFigure(result_figure(pr), result_trend(pr)) for pr in own_pr]
        agreements = {at_rows[at][0] for at in own_at}
        plans = {pr_plan[pr] for pr in own_pr}
        unlinked = [
            targets.figure(at_rows[at][1])
            for a in sorted(agreements)
            for at in by_agreement[a]
            if at not in own_at
        ] + [result_figure(pr) for pl in sorted(plans) for pr in by_plan[pl] if pr not in own_pr]
        result = rules.participant_result(linked, unlinked)
        if not linked:
            result["provisional"] = False  # nothing counted: no figure to mark
        rows.append(
            {
                "participant_id": p.pk,
                "name": p.employee.name,
                "position": p.position_title,
                "agency": p.agency_name,
                "has_links": bool(linked),
                **result,
            }
        )

    with_links = [r for r in rows if r["has_links"]]
    untreated_figures = [
        rules.mean(targets.figure(t).percent for t in ts if targets.figure(t) is not None)
        for ts in untreated_targets.values()
    ]
    policy = rules.impact_policy(year)
    counted = [r for r in with_links if r["linked_n"] or r["unlinked_n"]]
    return {
        "year": year,
        "participants": len(participants),
        "with_links": len(with_links),
        "linked": rules.mean_difference(r["linked"] for r in with_links),
        "unlinked": rules.mean_difference(r["unlinked"] for r in with_links),
        "trend": rules.mean_difference(r["trend"] for r in with_links),
        "vs_unlinked": rules.mean_difference(r["vs_unlinked"] for r in with_links),
        "vs_trend": rules.mean_difference(r["vs_trend"] for r in with_links),
        "comparison": rules.group_comparison(
            [r["overall"] for r in with_links],
            untreated_figures,
            untreated_total=len(untreated),
            policy=policy,
        ),
        "policy": {
            "trend_years": policy.trend_years,
            "trend_method": policy.trend_method,
            "untreated_minimum": policy.untreated_minimum,
        },
        # Provisional until every figure counted is the year's result (and while none is).
        "provisional": not counted or any(r["provisional"] for r in counted),
        "rows": [r for r in rows if visible is None or r["participant_id"] in visible],
    }


# The report ---------------------------------------------------------------------------------


def impact_report(event, *, scope: Scope | None = None) -> dict[str, Any]:
    """The four levels of ``event``. With ``scope`` the rows naming a participant are those the
    caller may see; the event's figures are the whole event's."""
    visible = None
    names: dict[int, tuple[str, str]] = {}
    participants = Participant.objects.filter(event=event)
    if scope is not None:
        participants = Participant.objects.within(scope).filter(event=event)
    for pk, name, agency in participants.values_list("pk", "employee__name", "agency_name"):
        names[pk] = (name, agency)
    if scope is not None:
        visible = set(names)

    reaction = _reaction(event)
    learning = _learning(event)
    behaviour = _behaviour(event)
    results = results_level(event, visible=visible)

    if learning is not None:
        rows = []
        for row in learning.get("participants") or ():
            pid = row.get("participant_id")
            if visible is not None and pid not in visible:
                continue
            name, agency = names.get(pid, ("", ""))
            rows.append({**row, "name": name, "agency": agency})
        learning = {
            "n": learning.get("n"),
            "mean_pre": learning.get("mean_pre"),
            "mean_post": learning.get("mean_post"),
            "mean_gain": learning.get("mean_gain"),
            "participants": rows,
        }
    if behaviour is not None:
        behaviour = {
            "months": [
                {"month": m, **(behaviour.get(m) or behaviour.get(str(m)) or {})} for m in MONTHS
            ]
        }
    return {
        "event": {
            "id": event.pk,
            "title": event.title,
            "venue": event.venue,
            "starts_on": event.starts_on,
            "ends_on": event.ends_on,
        },
        "reaction": {"available": reaction is not None, **(reaction or {})},
        "learning": {"available": learning is not None, **(learning or {})},
        "behaviour": {"available": behaviour is not None, **(behaviour or {})},
        "results": {"available": True, **results},
        "provisional": results["provisional"],
        "generated_at": timezone.now(),
    }


def impact_demo_checks(event, *, today: dt.date | None = None) -> list[str]:
    """What is wrong with the demo's impact report of ``event`` (empty when all is right):
    the four levels filled, and the provisional marks right (a figure is final only with its
    year's last sub-period in, and the report is provisional while any is not)."""
    problems: list[str] = []
    report = impact_report(event)
    reaction, learning, behaviour, results = (
        report["reaction"],
        report["learning"],
        report["behaviour"],
        report["results"],
    )
    if not reaction["available"] or not reaction.get("sessions"):
        problems.append("reaction: no sessions")
    if not learning["available"] or not learning.get("n"):
        problems.append("learning: no pre/post scores")
    if not behaviour["available"] or not any(m.get("reviewed") for m in behaviour["months"]):
        problems.append("behaviour: no follow-up reviews")
    if not results["with_links"]:
        problems.append("results: no participant has linked targets")
    if results["linked"]["n"] == 0:
        problems.append("results: no linked target has a figure")
    # The agencies' figures of the earlier years (the history step) make most heads' trend.
    if results["trend"]["n"] * 2 < results["with_links"]:
        problems.append(f"results: only {results['trend']['n']} participants have a trend")
    # Every head took a seat; one who withdrew (and was replaced) is an untreated group too
    # small to compare, never a compared one.
    if results["participants"] >= 61 and results["comparison"]["state"] not in (
        rules.NO_UNTREATED,
        rules.TOO_FEW,
    ):
        problems.append("results: every head attended, yet an untreated group was compared")
    for row in results["rows"]:
        if row["linked_n"] and row["provisional"] is False and row["linked"] is None:
            problems.append(f"results: participant {row['participant_id']} final without figure")
    today = today or timezone.localdate()
    if results["year"] >= today.year and not results["provisional"]:
        problems.append(f"results: {results['year']} is not over, yet the report is final")
    if (
        any(r["provisional"] for r in results["rows"] if r["linked_n"] or r["unlinked_n"])
        and not results["provisional"]
    ):
        problems.append("results: a participant is provisional but the report is not")
    return problems
