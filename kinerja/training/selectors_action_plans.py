"""Reads of the action plans. `action_plans_for` is the scoped read every page and the API
start from; `behaviour_summary` and `linked_targets` are the contract the impact report reads
(keep their names and shapes).

Who reads a plan: whoever reads the participant's enrolment (the person, who reads the
person's record, the organiser: `ParticipantQuerySet.within`), the plan's mentor, and the
peers invited to review it.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q

from kinerja.core.scope import Scope

from .action_plan_rules import review_due, review_window, rules_for
from .choices import ActionPlanStatus, ParticipantStatus, ReviewerRole
from .models import ActionPlan, ActionPlanLink, FollowUpReview, Participant


def action_plans_for(scope: Scope):
    """The action plans the caller may read."""
    if scope.instansi_id is None or not scope.is_authenticated:
        return ActionPlan.objects.none()
    reach = Q(participant__in=Participant.objects.within(scope).values("pk"))
    if scope.employee_id:
        reach |= Q(mentor_id=scope.employee_id)
        reach |= Q(
            pk__in=FollowUpReview.objects.filter(reviewer_id=scope.employee_id).values(
                "action_plan_id"
            )
        )
    return ActionPlan.objects.filter(reach, instansi_id=scope.instansi_id)


def counted_plans(event):
    """The plans the behaviour level counts: of the event's enrolments not withdrawn, past the
    draft and not dropped."""
    return (
        ActionPlan.objects.filter(participant__event=event)
        .exclude(participant__status=ParticipantStatus.WITHDRAWN)
        .exclude(status__in=[ActionPlanStatus.DRAFT, ActionPlanStatus.DROPPED])
    )


def plan_on_track(answers: list[str], on_track: frozenset[str]) -> bool:
    """A plan is on track at a month when MORE than half of its submitted reviews of that month
    say ahead or on track; a tie (say one of two) is not on track."""
    good = sum(1 for a in answers if a in on_track)
    return 2 * good > len(answers)


def behaviour_summary(event) -> dict[int, dict[str, Any]]:
    """Kirkpatrick's behaviour level of ``event``: per review month (3, 6, 12),
    ``due`` the plans counted (`counted_plans`) whose review of that month is due by today,
    ``reviewed`` those with at least one submitted review of the month (by anyone: self,
    mentor, peer), ``on_track`` those of them on track (`plan_on_track`) and ``share`` =
    on_track / reviewed as a Decimal percent with one decimal (None when none is reviewed)."""
    from django.utils import timezone

    rules = rules_for(event)
    today = timezone.localdate()
    plans = list(counted_plans(event).values_list("pk", flat=True))
    answers: dict[tuple[int, int], list[str]] = {}
    for plan_id, month, progress in FollowUpReview.objects.filter(
        action_plan_id__in=plans, submitted_at__isnull=False
    ).values_list("action_plan_id", "month", "progress"):
        answers.setdefault((plan_id, month), []).append(progress)
    out: dict[int, dict[str, Any]] = {}
    for month in rules.review_months:
        reviewed = [answers[(p, month)] for p in plans if (p, month) in answers]
        good = sum(1 for a in reviewed if plan_on_track(a, rules.on_track))
        share = (
            (Decimal(100) * good / len(reviewed)).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if reviewed
            else None
        )
        out[month] = {
            "due": len(plans) if review_due(event, month) <= today else 0,
            "reviewed": len(reviewed),
            "on_track": good,
            "share": share,
        }
    return out


def linked_targets(event) -> dict[int, dict[str, list[int]]]:
    """{participant id: {"agreement_targets": [AgreementTarget ids], "plan_results":
    [PlanResult ids]}} for every enrolment of ``event`` (not withdrawn) whose action plan has
    links, ids ascending."""
    out: dict[int, dict[str, list[int]]] = {}
    rows = (
        ActionPlanLink.objects.filter(action_plan__participant__event=event)
        .exclude(action_plan__participant__status=ParticipantStatus.WITHDRAWN)
        .exclude(action_plan__status=ActionPlanStatus.DROPPED)
        .values_list("action_plan__participant_id", "agreement_target_id", "plan_result_id")
        .order_by("action_plan__participant_id", "agreement_target_id", "plan_result_id")
    )
    for participant_id, target_id, result_id in rows:
        entry = out.setdefault(participant_id, {"agreement_targets": [], "plan_results": []})
        if target_id:
            entry["agreement_targets"].append(target_id)
        if result_id:
            entry["plan_results"].append(result_id)
    return out


def own_targets(employee_id: int, year: int):
    """What a participant may link: the targets of the current agreements (PK) of ``year`` they
    are the first party of, and the results of their current employee plans (SKP) of
    ``year``."""
    from kinerja.performance.models import AgreementTarget, PlanResult

    targets = (
        AgreementTarget.objects.filter(
            agreement__first_party_id=employee_id,
            agreement__year=year,
            agreement__is_current=True,
        )
        .select_related("agreement__unit", "target__indicator")
        .order_by("agreement_id", "position", "pk")
    )
    results = (
        PlanResult.objects.filter(
            plan__employee_id=employee_id, plan__period__year=year, plan__is_current=True
        )
        .select_related("plan")
        .order_by("plan__starts", "kind", "position", "pk")
    )
    return targets, results


def review_schedule(plan: ActionPlan) -> list[dict[str, Any]]:
    """Per review month: the due date, the window and the reviews (invited or given)."""
    event = plan.participant.event
    reviews = list(plan.reviews.select_related("reviewer").order_by("month", "role", "pk"))
    out = []
    for month in rules_for(event).review_months:
        opens, closes = review_window(event, month)
        out.append(
            {
                "month": month,
                "due": review_due(event, month),
                "opens": opens,
                "closes": closes,
                "reviews": [r for r in reviews if r.month == month],
            }
        )
    return out


def career_moves(participant: Participant) -> list[dict[str, Any]]:
    """The participant's posts since the event's first day: assignments that started on or
    after it (transfers, promotions) and acting assignments (Plt/Plh) in force since then,
    oldest first."""
    from kinerja.organisations.models import ActingAssignment, Assignment

    since: dt.date = participant.event.starts_on
    moves = []
    for a in Assignment.objects.filter(
        employee_id=participant.employee_id, valid_from__gte=since
    ).select_related("position", "unit"):
        moves.append(
            {
                "kind": "assignment",
                "valid_from": a.valid_from,
                "valid_to": a.valid_to,
                "position": a.position.title if a.position_id else "",
                "unit": a.unit.name if a.unit_id else "",
                "acting": "",
            }
        )
    for a in (
        ActingAssignment.objects.filter(employee_id=participant.employee_id)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=since))
        .select_related("position__unit")
    ):
        moves.append(
            {
                "kind": "acting",
                "valid_from": a.valid_from,
                "valid_to": a.valid_to,
                "position": a.position.title,
                "unit": a.position.unit.name,
                "acting": a.get_kind_display(),
            }
        )
    return sorted(moves, key=lambda m: m["valid_from"])


def reviews_asked_of(scope: Scope):
    """The peer reviews the caller is invited to, not yet given."""
    if not scope.employee_id:
        return FollowUpReview.objects.none()
    return (
        FollowUpReview.objects.filter(
            reviewer_id=scope.employee_id,
            role=ReviewerRole.PEER,
            submitted_at__isnull=True,
            instansi_id=scope.instansi_id,
        )
        .select_related("action_plan__participant__event", "action_plan__participant__employee")
        .order_by("month", "pk")
    )


def mentored_by(scope: Scope):
    if not scope.employee_id:
        return ActionPlan.objects.none()
    return (
        ActionPlan.objects.filter(mentor_id=scope.employee_id, instansi_id=scope.instansi_id)
        .select_related("participant__event", "participant__employee")
        .order_by("participant__event__starts_on", "participant__agency_name")
    )
