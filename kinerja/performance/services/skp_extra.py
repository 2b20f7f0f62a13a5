"""Writes around the employee plan (SKP): the bulk cascade of a superior's result to many
reports' drafts, the performance dialogues and feedback on a result, and the daily work log.
Atomic, checked, audited; bad input raises a ValidationError naming the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record, record_many
from kinerja.core.scope import Action, Scope

from ..choices import ResultKind
from ..models import (
    DialogueKind,
    Period,
    Plan,
    PlanDialogue,
    PlanResult,
    PlanStatus,
    WorkLogEntry,
    WorkLogSetting,
)
from . import _instansi_wide
from .skp import TEXT_LIMIT, acts_for_agency, may_write

# Why a report was skipped by a bulk cascade.
SKIP_NO_PLAN = "no_plan"
SKIP_NOT_DRAFT = "not_draft"
SKIP_NOT_REPORT = "not_report"
SKIP_ALREADY = "already"


def skip_reasons() -> dict[str, str]:
    return {
        SKIP_NO_PLAN: _("No current plan overlapping the dates of the served result's plan."),
        SKIP_NOT_DRAFT: _("The plan is no longer a draft (submitted, approved or signed)."),
        SKIP_NOT_REPORT: _("The served result's owner is not this plan's evaluator."),
        SKIP_ALREADY: _("The plan already has a result serving this one."),
    }


def _clean_text(value: Any, field: str) -> str:
    text = str(value or "").strip()
    if len(text) > TEXT_LIMIT:
        raise ValidationError({field: _("At most %(limit)d characters.") % {"limit": TEXT_LIMIT}})
    return text


@transaction.atomic
def plan_cascade(
    *,
    actor,
    scope: Scope,
    result: PlanResult,
    employees: list[int],
    kind: str = ResultKind.MAIN,
    text: str = "",
) -> dict[str, Any]:
    """Give ``result`` (of a superior's plan) to many reports at once: in each employee's
    current draft plan whose dates overlap the result's plan and whose evaluator is the
    result's owner, add a result serving it directly (its text the served one's unless
    ``text`` is given; each may adapt it later). One transaction, bulk writes, one audit event
    per created result. Answers ``{"created": [(employee id, plan id, result id)],
    "skipped": [(employee id, reason code)]}``."""
    source_plan = Plan.objects.select_related("unit").get(pk=result.plan_id)
    if not may_write(scope, source_plan):
        raise PermissionDenied(_("Only the owner of the result gives it to their reports."))
    if not source_plan.is_current:
        raise ValidationError(
            {"result": _("A later revision of this plan exists: give its result instead.")}
        )
    if kind not in ResultKind.values:
        raise ValidationError({"kind": _("Choose a main or an additional result.")})
    text = _clean_text(text, "text") or result.text
    if not isinstance(employees, list | tuple) or not employees:
        raise ValidationError({"employees": _("Choose at least one employee.")})
    try:
        wanted = list(dict.fromkeys(int(e) for e in employees))
    except (TypeError, ValueError):
        raise ValidationError({"employees": _("Give the employees by their ids.")}) from None
    plans = list(
        Plan.objects.select_for_update(of=("self",))
        .select_related("unit", "employee")
        .filter(
            instansi_id=source_plan.instansi_id,
            employee_id__in=wanted,
            is_current=True,
            starts__lte=source_plan.ends,
            ends__gte=source_plan.starts,
        )
        .order_by("employee_id", "starts", "pk")
    )
    served = set(
        PlanResult.objects.filter(plan__in=plans, serves=result).values_list("plan_id", flat=True)
    )
    by_employee: dict[int, list[Plan]] = {}
    for plan in plans:
        by_employee.setdefault(plan.employee_id, []).append(plan)
    skipped: list[tuple[int, str]] = []
    chosen: list[Plan] = []
    for employee_id in wanted:
        found = by_employee.get(employee_id, [])
        if not found:
            skipped.append((employee_id, SKIP_NO_PLAN))
            continue
        ok = [p for p in found if p.evaluator_id == source_plan.employee_id]
        if not ok:
            skipped.append((employee_id, SKIP_NOT_REPORT))
            continue
        drafts = [p for p in ok if p.status == PlanStatus.DRAFT]
        if not drafts:
            skipped.append((employee_id, SKIP_NOT_DRAFT))
            continue
        fresh = [p for p in drafts if p.pk not in served]
        if not fresh:
            skipped.append((employee_id, SKIP_ALREADY))
            continue
        chosen.extend(fresh)
    last = dict(
        PlanResult.objects.filter(plan__in=chosen, kind=kind)
        .values("plan_id")
        .annotate(n=Max("position"))
        .values_list("plan_id", "n")
    )
    rows = PlanResult.objects.bulk_create(
        PlanResult(
            plan=plan,
            kind=kind,
            text=text,
            position=(last.get(plan.pk) or 0) + 1,
            serves=result,
            serves_directly=True,
        )
        for plan in chosen
    )
    if chosen:
        Plan.objects.filter(pk__in=[p.pk for p in chosen]).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
    record_many(
        actor=actor,
        action="plan.result_add",
        instansi_id=source_plan.instansi_id,
        entries=(
            {
                "target_type": "performance.plan",
                "target_id": plan.pk,
                "target_repr": str(plan),
                "unit_id": plan.unit_id,
                "unit_path": plan.unit.path,
                "changes": {
                    "result": [None, row.pk],
                    "kind": [None, kind],
                    "text": [None, text],
                    "serves": [None, result.pk],
                    "cascade": [None, True],
                },
            }
            for plan, row in zip(chosen, rows, strict=True)
        ),
    )
    return {
        "created": [(p.employee_id, p.pk, r.pk) for p, r in zip(chosen, rows, strict=True)],
        "skipped": skipped,
    }


# Dialogues and feedback ---------------------------------------------------------------------


def may_read_dialogue(scope: Scope, plan: Plan) -> bool:
    """The plan's employee, its evaluator and the evaluator's superior."""
    me = scope.employee_id
    return me is not None and me in (
        plan.employee_id,
        plan.evaluator_id,
        plan.evaluator_superior_id,
    )


def may_write_dialogue(scope: Scope, plan: Plan) -> bool:
    """The plan's employee and its evaluator (the evaluator's superior reads only)."""
    me = scope.employee_id
    return me is not None and me in (plan.employee_id, plan.evaluator_id)


@transaction.atomic
def dialogue_add(*, actor, scope: Scope, result: PlanResult, data: dict[str, Any]) -> PlanDialogue:
    """A dated entry (dialogue or feedback) on a result by the plan's employee or evaluator."""
    plan = Plan.objects.select_related("unit").get(pk=result.plan_id)
    if not may_write_dialogue(scope, plan):
        raise PermissionDenied(
            _("Only the plan's employee and evaluator write in its performance dialogue.")
        )
    kind = data.get("kind") or DialogueKind.DIALOGUE
    if kind not in DialogueKind.values:
        raise ValidationError({"kind": _("Choose a dialogue or feedback.")})
    text = _clean_text(data.get("text"), "text")
    if not text:
        raise ValidationError({"text": _("Write the entry.")})
    on = data.get("on") or timezone.localdate()
    if not isinstance(on, dt.date):
        raise ValidationError({"on": _("Give the date.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date lies in the future.")})
    from kinerja.organisations.models import Employee

    author = Employee.objects.get(pk=scope.employee_id)
    entry = PlanDialogue.objects.create(
        instansi_id=plan.instansi_id,
        result=result,
        kind=kind,
        on=on,
        text=text,
        author=author,
        author_name=author.display_name[:300],
    )
    record(
        actor=actor,
        action="plan.dialogue_add",
        target=plan,
        unit=plan.unit,
        changes={
            "entry": [None, entry.pk],
            "result": [None, result.pk],
            "kind": [None, kind],
            "on": [None, on.isoformat()],
            "text": [None, text],
        },
    )
    return entry


# Daily work log -----------------------------------------------------------------------------


def work_log_enabled(period: Period) -> bool:
    return WorkLogSetting.objects.filter(period=period, enabled=True).exists()


@transaction.atomic
def work_log_set(*, actor, scope: Scope, period: Period, enabled: bool) -> WorkLogSetting:
    """Turn the instansi's daily work log on or off for a year (who manages the years)."""
    _instansi_wide(scope, Action.MANAGE_PERIODS)
    setting, _created = WorkLogSetting.objects.select_for_update().get_or_create(
        period=period, defaults={"instansi_id": period.instansi_id}
    )
    before = setting.enabled
    setting.enabled = bool(enabled)
    setting.save()
    record(
        actor=actor,
        action="period.work_log",
        target=period,
        instansi_id=period.instansi_id,
        changes={"work_log": [before, setting.enabled]},
    )
    return setting


@transaction.atomic
def work_log_add(*, actor, scope: Scope, result: PlanResult, data: dict[str, Any]) -> WorkLogEntry:
    """A day's work against a result: the date inside the plan (not in the future), the
    description, optionally the output quantity and an evidence link. Refused while the
    instansi's work log is off for the plan's year."""
    plan = Plan.objects.select_related("unit", "period").get(pk=result.plan_id)
    if not (scope.employee_id == plan.employee_id or acts_for_agency(scope, plan.unit)):
        raise PermissionDenied(_("Only the plan's employee keeps its work log."))
    if not work_log_enabled(plan.period):
        raise ValidationError(
            {"on": _("The daily work log is off for %(year)d.") % {"year": plan.period.year}}
        )
    on = data.get("on")
    if not isinstance(on, dt.date):
        raise ValidationError({"on": _("Give the date.")})
    if on < plan.starts or on > plan.ends:
        raise ValidationError(
            {
                "on": _("The date lies outside the plan (%(starts)s to %(ends)s).")
                % {"starts": plan.starts.isoformat(), "ends": plan.ends.isoformat()}
            }
        )
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date lies in the future.")})
    description = _clean_text(data.get("description"), "description")
    if not description:
        raise ValidationError({"description": _("Describe the work.")})
    quantity = data.get("quantity")
    if quantity in ("", None):
        quantity = None
    else:
        try:
            quantity = Decimal(str(quantity))
        except InvalidOperation:
            raise ValidationError({"quantity": _("Give a number.")}) from None
        if quantity < 0 or quantity >= Decimal("1e10"):
            raise ValidationError({"quantity": _("Give a number from 0.")})
    evidence = str(data.get("evidence_url") or "").strip()
    if evidence:
        try:
            URLValidator(schemes=["http", "https"])(evidence)
        except ValidationError:
            raise ValidationError({"evidence_url": _("Give a web link (https://...).")}) from None
        if len(evidence) > 500:
            raise ValidationError(
                {"evidence_url": _("At most %(limit)d characters.") % {"limit": 500}}
            )
    entry = WorkLogEntry.objects.create(
        instansi_id=plan.instansi_id,
        result=result,
        on=on,
        description=description,
        quantity=quantity,
        evidence_url=evidence,
    )
    record(
        actor=actor,
        action="plan.work_log_add",
        target=plan,
        unit=plan.unit,
        changes={
            "entry": [None, entry.pk],
            "result": [None, result.pk],
            "on": [None, on.isoformat()],
            "description": [None, description],
            "quantity": [None, str(quantity) if quantity is not None else None],
            "evidence_url": [None, evidence or None],
        },
    )
    return entry


__all__ = [
    "SKIP_ALREADY",
    "SKIP_NOT_DRAFT",
    "SKIP_NOT_REPORT",
    "SKIP_NO_PLAN",
    "dialogue_add",
    "may_read_dialogue",
    "may_write_dialogue",
    "plan_cascade",
    "skip_reasons",
    "work_log_add",
    "work_log_enabled",
    "work_log_set",
]
