"""Reads around the employee plan (SKP): the cascade tree under a result, a result's
dialogue, and the reports a superior may give a result to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from kinerja.core.scope import Scope
from kinerja.organisations.selectors import direct_reports

from .models import Plan, PlanDialogue, PlanResult
from .plan_selectors import plans_for

MAX_DEPTH = 12


@dataclass
class Node:
    result: PlanResult
    depth: int
    children: list[Node] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        plan = self.result.plan
        return {
            "result": self.result.pk,
            "text": self.result.text,
            "kind": self.result.kind,
            "serves_directly": self.result.serves_directly,
            "plan": plan.pk,
            "employee": plan.employee_id,
            "employee_name": plan.employee.display_name,
            "status": plan.status,
            "children": [c.as_dict() for c in self.children],
        }


def cascade_tree(result: PlanResult, scope: Scope) -> Node:
    """``result`` and every result of a current plan within the caller's reach that serves it,
    directly or through others: one query per level."""
    root = Node(result=result, depth=0)
    reach = plans_for(scope).filter(is_current=True).values("pk")
    frontier = {result.pk: root}
    seen = {result.pk}
    depth = 0
    while frontier and depth < MAX_DEPTH:
        depth += 1
        rows = (
            PlanResult.objects.filter(serves_id__in=list(frontier), plan_id__in=reach)
            .exclude(pk__in=seen)
            .select_related("plan__employee")
            .order_by("plan__employee__name", "kind", "position", "pk")
        )
        nxt: dict[int, Node] = {}
        for row in rows:
            node = Node(result=row, depth=depth)
            frontier[row.serves_id].children.append(node)
            nxt[row.pk] = node
            seen.add(row.pk)
        frontier = nxt
    return root


def flatten(node: Node) -> list[Node]:
    out = [node]
    for child in node.children:
        out.extend(flatten(child))
    return out


def result_within(scope: Scope, pk: int) -> PlanResult | None:
    return (
        PlanResult.objects.filter(pk=pk, plan__in=plans_for(scope).values("pk"))
        .select_related("plan__employee", "plan__unit", "plan__period")
        .first()
    )


def dialogue_of(result: PlanResult) -> QuerySet[PlanDialogue]:
    return PlanDialogue.objects.filter(result=result).order_by("on", "pk")


def cascade_candidates(plan: Plan) -> list[dict[str, Any]]:
    """The owner's direct reports on a day inside the plan (today if inside, else its first
    day), each with their current plan overlapping it, if any."""
    today = timezone.localdate()
    on: dt.date = today if plan.starts <= today <= plan.ends else plan.starts
    reports = direct_reports(plan.employee_id, on)
    ids = [r.employee.pk for r in reports]
    plans: dict[int, Plan] = {}
    for other in Plan.objects.filter(
        employee_id__in=ids, is_current=True, starts__lte=plan.ends, ends__gte=plan.starts
    ).order_by("starts"):
        plans.setdefault(other.employee_id, other)
    return [{"employee": r.employee, "plan": plans.get(r.employee.pk)} for r in reports]
