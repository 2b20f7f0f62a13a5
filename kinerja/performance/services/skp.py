"""Writes of the employee plan (SKP): atomic, checked, audited, ``version``-locked like the
agreements. Bad input raises a ValidationError naming the field, and writes nothing.

Who writes: the employee their own draft; the evaluator approves and signs; a role that keeps
the unit's plans (``manage_plans`` on it: the agency administrator, Bappeda) or the personnel
office across the instansi (``change_people`` instansi-wide: BKD) may act for anyone. Only the
personnel office (or the system administrator) sets an evaluator's delegated authority."""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kinerja.audit.services import diff, record
from kinerja.core.scope import Action, Scope
from kinerja.organisations.choices import PositionKind
from kinerja.organisations.models import Employee, Instansi, Position
from kinerja.organisations.selectors import posts_on, superior_of, superior_of_post

from .. import aggregates
from ..choices import (
    Aspect,
    ControlLevel,
    DataType,
    Perspective,
    PlanApproach,
    ResultClassification,
    ResultKind,
    TargetShape,
)
from ..models import (
    AgreementTarget,
    Indicator,
    Period,
    Plan,
    PlanAction,
    PlanBehaviour,
    PlanResult,
    PlanStatus,
    SubPeriod,
    Target,
    TargetValue,
)
from ..policy import DATA, measure_units
from . import (
    _holder_title,
    _same_instansi,
    _snapshot,
    bump_version,
    lock_version,
    target_set,
)

# Posts whose holders evaluate without a delegation (PP 30/2019): JPT, administrator, pengawas.
EVALUATOR_KINDS = frozenset(
    {
        PositionKind.JPT_UTAMA,
        PositionKind.JPT_MADYA,
        PositionKind.JPT_PRATAMA,
        PositionKind.ADMINISTRATOR,
        PositionKind.PENGAWAS,
    }
)
PLAN_FIELDS = (
    "status",
    "starts",
    "ends",
    "approach",
    "evaluator",
    "evaluator_name",
    "evaluator_nip",
    "evaluator_title",
    "evaluator_superior",
    "evaluator_superior_name",
    "evaluator_superior_nip",
    "evaluator_superior_title",
    "delegated_authority",
    "delegation_reason",
    "resources",
    "accountability",
    "consequences",
)
ANNEX_FIELDS = ("resources", "accountability", "consequences")
RESULT_FIELDS = (
    "kind",
    "text",
    "serves",
    "serves_directly",
    "serves_target",
    "classification",
    "assigned_by",
)
TEXT_LIMIT = 5000


@functools.cache
def berakhlak() -> tuple[dict[str, Any], ...]:
    """The seven BerAKHLAK core values: code, name and their three expected behaviours."""
    with open(DATA / "berakhlak.json", encoding="utf-8") as handle:
        return tuple(json.load(handle)["values"])


# Who may do what ---------------------------------------------------------------------------


def acts_for_agency(scope: Scope, plan_unit) -> bool:
    """A role that keeps the unit's plans, or the personnel office across the instansi."""
    if scope.can(Action.MANAGE_PLANS, plan_unit.path):
        return True
    return scope.paths_for(Action.CHANGE_PEOPLE) is None


def may_write(scope: Scope, plan: Plan) -> bool:
    """The employee's side: the employee or who acts for the agency."""
    return scope.employee_id == plan.employee_id or acts_for_agency(scope, plan.unit)


def may_evaluate(scope: Scope, plan: Plan) -> bool:
    """The evaluator's side: the plan's evaluator or who acts for the agency."""
    return (
        plan.evaluator_id is not None and scope.employee_id == plan.evaluator_id
    ) or acts_for_agency(scope, plan.unit)


def may_delegate(scope: Scope) -> bool:
    return scope.paths_for(Action.CHANGE_PEOPLE) is None


def _require_write(scope: Scope, plan: Plan) -> None:
    if not may_write(scope, plan):
        raise PermissionDenied(_("You may not change this employee's plan."))


def _require_evaluate(scope: Scope, plan: Plan) -> None:
    if not may_evaluate(scope, plan):
        raise PermissionDenied(_("Only the plan's evaluator may approve or sign it."))


def _lock(plan: Plan, version: Any) -> Plan:
    """The plan's row, locked, if ``version`` is the one its author saw."""
    return lock_version(
        Plan.objects.select_for_update().select_related("unit", "period"),
        plan.pk,
        version,
        give=_("Give the version of the plan you saw."),
        stale=_(
            "Someone changed this plan after you opened it (you saw version "
            "%(seen)d, it is now at version %(now)d). Reload it and make your change "
            "again."
        ),
    )


def _check_draft(plan: Plan) -> None:
    if plan.status == PlanStatus.SIGNED:
        raise ValidationError(
            _(
                "This plan is signed and no longer changes. To change it, start a revision "
                "and give the reason for it."
            )
        )
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(
            _("Only a draft plan is edited: this one is %(status)s.")
            % {"status": plan.get_status_display().lower()}
        )


_bump = bump_version


def require_iki_write(scope: Scope, indicator: Indicator) -> None:
    """Who sets an individual indicator's target: who may change its plan's draft."""
    plan = Plan.objects.select_related("unit").get(results__indicators=indicator)
    _require_write(scope, plan)
    _check_draft(plan)


def skp_target_parties(target: Target) -> tuple[int, int | None] | None:
    """(holder employee id, verifier employee id) of an individual indicator's target: the
    plan's employee enters the realisation, the plan's evaluator verifies it. None for a
    target that is not an employee plan's."""
    row = (
        Plan.objects.filter(results__indicators__targets=target)
        .values_list("employee_id", "evaluator_id")
        .first()
    )
    return (row[0], row[1]) if row else None


# The plan ----------------------------------------------------------------------------------


def _text(data: dict[str, Any], field: str, limit: int = TEXT_LIMIT) -> str:
    value = str(data.get(field) or "").strip()
    if len(value) > limit:
        raise ValidationError({field: _("At most %(limit)d characters.") % {"limit": limit}})
    return value


def _check_dates(period: Period, starts: Any, ends: Any) -> None:
    if not isinstance(starts, dt.date):
        raise ValidationError({"starts": _("Give the plan's first day.")})
    if not isinstance(ends, dt.date):
        raise ValidationError({"ends": _("Give the plan's last day.")})
    for field, day in (("starts", starts), ("ends", ends)):
        if day.year != period.year:
            raise ValidationError(
                {field: _("A plan for %(year)d lies inside %(year)d.") % {"year": period.year}}
            )
    if ends < starts:
        raise ValidationError({"ends": _("The last day comes before the first day.")})


def _check_overlap(plan: Plan) -> None:
    """One employee's current plans do not overlap (a transfer ends one and starts the next)."""
    other = (
        Plan.objects.filter(
            employee_id=plan.employee_id,
            is_current=True,
            starts__lte=plan.ends,
            ends__gte=plan.starts,
        )
        .exclude(pk=plan.pk)
        .exclude(pk=plan.previous_id)
        .first()
    )
    if other is not None:
        raise ValidationError(
            {
                "starts": _(
                    "The employee already has a plan from %(starts)s to %(ends)s: plans of one "
                    "employee do not overlap."
                )
                % {"starts": other.starts.isoformat(), "ends": other.ends.isoformat()}
            }
        )


def _post_on(employee: Employee, on: dt.date) -> Position:
    post_id = posts_on([employee.pk], on).get(employee.pk)
    if post_id is None:
        raise ValidationError(
            {
                "starts": _("%(name)s holds no post on %(date)s.")
                % {"name": employee.display_name, "date": on.isoformat()}
            }
        )
    return Position.objects.select_related("unit").get(pk=post_id)


def plan_evaluator(
    employee: Employee, on: dt.date, data: dict[str, Any], delegated: bool
) -> dict[str, Any]:
    """The evaluator and the evaluator's superior of ``employee`` on ``on``, read from the
    reporting lines (acting officials count), as the plan's fields. An evaluator below the
    pengawas level needs a delegation (``delegated``); at the top of the lines (a head of
    agency) ``data`` names the evaluator (``evaluator_name``, ``_nip``, ``_title``)."""
    holder = superior_of(employee.pk, on)
    if holder is None:
        given = {
            f"evaluator_{key}": _text(data, f"evaluator_{key}", 18 if key == "nip" else 300)
            for key in ("name", "nip", "title")
        }
        if not given["evaluator_name"] or not given["evaluator_title"]:
            raise ValidationError(
                {
                    "evaluator_name": _(
                        "%(name)s reports to nobody on %(date)s: name the evaluator and their "
                        "title (for the head of an agency, the governor or the regional "
                        "secretary)."
                    )
                    % {"name": employee.display_name, "date": on.isoformat()}
                }
            )
        return {
            "evaluator": None,
            **given,
            "evaluator_superior": None,
            "evaluator_superior_name": "",
            "evaluator_superior_nip": "",
            "evaluator_superior_title": "",
        }
    post = Position.objects.get(pk=holder.position_id)
    if post.kind not in EVALUATOR_KINDS and not delegated:
        raise ValidationError(
            {
                "evaluator": _(
                    "%(name)s (%(post)s) is not at least a pengawas-level official and so "
                    "may not evaluate (PP 30/2019) unless the personnel office (BKD) delegates "
                    "the authority."
                )
                % {"name": holder.employee.display_name, "post": post.title}
            }
        )
    out = {
        "evaluator": holder.employee,
        "evaluator_name": holder.employee.display_name[:300],
        "evaluator_nip": holder.employee.nip or "",
        "evaluator_title": _holder_title(holder, post)[:300],
    }
    boss = superior_of_post(post, on, skip=holder.employee.pk)
    if boss is None:
        return {
            **out,
            "evaluator_superior": None,
            "evaluator_superior_name": "",
            "evaluator_superior_nip": "",
            "evaluator_superior_title": "",
        }
    boss_post = Position.objects.get(pk=boss.position_id)
    return {
        **out,
        "evaluator_superior": boss.employee,
        "evaluator_superior_name": boss.employee.display_name[:300],
        "evaluator_superior_nip": boss.employee.nip or "",
        "evaluator_superior_title": _holder_title(boss, boss_post)[:300],
    }


def _delegation(scope: Scope, data: dict[str, Any], plan: Plan | None) -> tuple[bool, str]:
    current = (plan.delegated_authority, plan.delegation_reason) if plan else (False, "")
    if "delegated_authority" not in data:
        return current
    flag = bool(data.get("delegated_authority"))
    reason = _text(data, "delegation_reason")
    if (flag, reason if flag else "") == current:
        return current
    if not may_delegate(scope):
        raise PermissionDenied(
            _("Only the personnel office (BKD) delegates an evaluator's authority.")
        )
    if flag and not reason:
        raise ValidationError({"delegation_reason": _("Give the reason for the delegation.")})
    return flag, reason if flag else ""


def _approach(data: dict[str, Any], default: str) -> str:
    approach = data.get("approach") or default
    if approach not in PlanApproach.values:
        raise ValidationError({"approach": _("Choose a quantitative or a qualitative approach.")})
    return approach


@transaction.atomic
def plan_create(*, actor, scope: Scope, instansi: Instansi, data: dict[str, Any]) -> Plan:
    """Start the draft plan of an employee for dates inside a year: the post and unit are the
    employee's on the first day, the evaluator is read from the lines of that day."""
    employee = data.get("employee")
    if not isinstance(employee, Employee):
        raise ValidationError({"employee": _("Choose the employee.")})
    period = data.get("period")
    if not isinstance(period, Period):
        raise ValidationError({"period": _("Choose the year.")})
    _same_instansi(instansi.pk, employee, period)
    starts = data.get("starts") or dt.date(period.year, 1, 1)
    ends = data.get("ends") or dt.date(period.year, 12, 31)
    _check_dates(period, starts, ends)
    post = _post_on(employee, starts)
    if scope.employee_id != employee.pk and not acts_for_agency(scope, post.unit):
        raise PermissionDenied(_("You may not change this employee's plan."))
    # One employee's plans are written one at a time: the overlap check then holds.
    Employee.objects.select_for_update().filter(pk=employee.pk).first()
    delegated, reason = _delegation(scope, data, None)
    plan = Plan(
        instansi=instansi,
        employee=employee,
        position=post,
        position_title=post.title[:300],
        position_kind=post.kind,
        unit=post.unit,
        period=period,
        starts=starts,
        ends=ends,
        approach=_approach(data, PlanApproach.QUANTITATIVE),
        delegated_authority=delegated,
        delegation_reason=reason,
        **{name: _text(data, name) for name in ANNEX_FIELDS},
        **plan_evaluator(employee, starts, data, delegated),
    )
    _check_overlap(plan)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise ValidationError(
            {"starts": _("The employee already has a plan starting on this day.")}
        ) from None
    record(
        actor=actor,
        action="plan.create",
        target=plan,
        unit=plan.unit,
        changes={"employee": [None, employee.pk], **diff({}, _snapshot(plan, PLAN_FIELDS))},
    )
    return plan


@transaction.atomic
def plan_update(*, actor, scope: Scope, plan: Plan, version: Any, data: dict[str, Any]) -> Plan:
    """Change a draft's dates (its evaluator is read again for the new first day; the post
    stays), approach, annexes, delegation, or the evaluator named by hand at the top."""
    _require_write(scope, plan)
    plan = _lock(plan, version)
    _check_draft(plan)
    before = _snapshot(plan, PLAN_FIELDS)
    starts = data.get("starts") or plan.starts
    ends = data.get("ends") or plan.ends
    _check_dates(plan.period, starts, ends)
    approach = _approach(data, plan.approach)
    if approach != plan.approach and Indicator.objects.filter(result__plan=plan).exists():
        raise ValidationError(
            {"approach": _("The plan has indicators: remove them to change the approach.")}
        )
    plan.delegated_authority, plan.delegation_reason = _delegation(scope, data, plan)
    plan.starts, plan.ends, plan.approach = starts, ends, approach
    for name in ANNEX_FIELDS:
        if name in data:
            setattr(plan, name, _text(data, name))
    if starts != before["starts"]:
        post = _post_on(plan.employee, starts)
        if post.pk != plan.position_id:
            raise ValidationError(
                {
                    "starts": _(
                        "On %(date)s the employee holds another post: a new post takes a new plan."
                    )
                    % {"date": starts.isoformat()}
                }
            )
    given = {
        f"evaluator_{key}": data.get(f"evaluator_{key}", getattr(plan, f"evaluator_{key}"))
        for key in ("name", "nip", "title")
    }
    for key, value in plan_evaluator(
        plan.employee, starts, given, plan.delegated_authority
    ).items():
        setattr(plan, key, value)
    Employee.objects.select_for_update().filter(pk=plan.employee_id).first()
    _check_overlap(plan)
    try:
        with transaction.atomic():
            _bump(plan, *PLAN_FIELDS)
    except IntegrityError:
        raise ValidationError(
            {"starts": _("The employee already has a plan starting on this day.")}
        ) from None
    record(
        actor=actor,
        action="plan.update",
        target=plan,
        unit=plan.unit,
        changes=diff(before, _snapshot(plan, PLAN_FIELDS)),
    )
    return plan


# Results (RHK) -----------------------------------------------------------------------------


def _check_result(plan: Plan, result: PlanResult) -> None:
    """The result's kind, text and what it serves (see the module's rules)."""
    if result.kind not in ResultKind.values:
        raise ValidationError({"kind": _("Choose a main or an additional result.")})
    result.text = (result.text or "").strip()
    if not result.text:
        raise ValidationError({"text": _("Describe the result.")})
    if len(result.text) > TEXT_LIMIT:
        raise ValidationError({"text": _("At most %(limit)d characters.") % {"limit": TEXT_LIMIT}})
    _same_instansi(plan.instansi_id, result.assigned_by, result.serves and result.serves.plan)
    if result.assigned_by is not None:
        if result.assigned_by_id == plan.employee_id:
            raise ValidationError({"assigned_by": _("An employee does not assign to themselves.")})
        if result.assigned_by_id == plan.evaluator_id:
            raise ValidationError(
                {
                    "assigned_by": _(
                        "The evaluator is the structural superior: name a team leader here, "
                        "or leave it empty."
                    )
                }
            )
    if result.serves is not None and result.serves_target is not None:
        raise ValidationError(
            {"serves": _("A result serves a superior's result or an agreement target, not both.")}
        )
    if result.serves is not None:
        _check_serves(plan, result)
    if result.serves_target is not None:
        _check_serves_target(plan, result)
    elif result.classification:
        raise ValidationError(
            {"classification": _("Only a result serving an agreement target is classified.")}
        )


def _check_serves(plan: Plan, result: PlanResult) -> None:
    served = result.serves
    owner = served.plan.employee
    allowed = {plan.evaluator_id, result.assigned_by_id} - {None}
    if owner.pk not in allowed:
        raise ValidationError(
            {
                "serves": _(
                    "“%(result)s” is a result of %(owner)s, who is neither the evaluator of "
                    "this plan nor the team leader who assigned the result."
                )
                % {"result": served.text[:80], "owner": owner.display_name}
            }
        )
    if served.plan.starts > plan.ends or served.plan.ends < plan.starts:
        raise ValidationError(
            {
                "serves": _(
                    "The served result's plan (%(starts)s to %(ends)s) does not overlap this "
                    "plan's dates."
                )
                % {"starts": served.plan.starts.isoformat(), "ends": served.plan.ends.isoformat()}
            }
        )
    # A cycle: walking up from the served result comes back to this one.
    seen: set[int] = set()
    node: PlanResult | None = served
    while node is not None and node.pk not in seen:
        if result.pk is not None and node.pk == result.pk:
            raise ValidationError(
                {"serves": _("This would make a cycle: the served result serves this one.")}
            )
        seen.add(node.pk)
        node = (
            PlanResult.objects.select_related("plan").filter(pk=node.serves_id).first()
            if node.serves_id
            else None
        )


def _check_serves_target(plan: Plan, result: PlanResult) -> None:
    row = AgreementTarget.objects.select_related("agreement").get(pk=result.serves_target_id)
    agreement = row.agreement
    if not plan.position.is_head or agreement.unit_id != plan.unit_id:
        raise ValidationError(
            {
                "serves_target": _(
                    "Only the head of a unit serves a target of the unit's agreement (PK)."
                )
            }
        )
    if agreement.year != plan.period.year:
        raise ValidationError(
            {"serves_target": _("The agreement target is not of the plan's year.")}
        )
    if result.classification not in ResultClassification.values:
        raise ValidationError(
            {"classification": _("Classify the result: organisational or individual.")}
        )


def _result_from(result: PlanResult, data: dict[str, Any]) -> None:
    for name in RESULT_FIELDS:
        if name in data:
            value = data[name]
            if name in ("text", "classification", "kind"):
                value = str(value or "").strip()
            elif name == "serves_directly":
                value = bool(value)
            setattr(result, name, value)


def _result_snapshot(result: PlanResult) -> dict[str, Any]:
    return _snapshot(result, RESULT_FIELDS)


@transaction.atomic
def plan_result_add(
    *, actor, scope: Scope, plan: Plan, version: Any, data: dict[str, Any]
) -> PlanResult:
    """Add a result (RHK) to the draft, last of its kind."""
    _require_write(scope, plan)
    plan = _lock(plan, version)
    _check_draft(plan)
    result = PlanResult(plan=plan)
    _result_from(result, data)
    _check_result(plan, result)
    last = plan.results.filter(kind=result.kind).aggregate(n=Max("position"))["n"] or 0
    result.position = last + 1
    result.save()
    _bump(plan)
    record(
        actor=actor,
        action="plan.result_add",
        target=plan,
        unit=plan.unit,
        changes={"result": [None, result.pk], **diff({}, _result_snapshot(result))},
    )
    return result


@transaction.atomic
def plan_result_update(
    *, actor, scope: Scope, result: PlanResult, version: Any, data: dict[str, Any]
) -> PlanResult:
    plan = result.plan
    _require_write(scope, plan)
    plan = _lock(plan, version)
    _check_draft(plan)
    result = PlanResult.objects.select_for_update().get(pk=result.pk)
    before = _result_snapshot(result)
    _result_from(result, data)
    _check_result(plan, result)
    result.save()
    _bump(plan)
    record(
        actor=actor,
        action="plan.result_update",
        target=plan,
        unit=plan.unit,
        changes={"result": [result.pk, result.pk], **diff(before, _result_snapshot(result))},
    )
    return result


@transaction.atomic
def plan_result_remove(*, actor, scope: Scope, result: PlanResult, version: Any) -> Plan:
    """Remove a result with its indicators and actions; one that others serve stays."""
    plan = result.plan
    _require_write(scope, plan)
    plan = _lock(plan, version)
    _check_draft(plan)
    if result.served_by.exists():
        raise ValidationError(
            {"result": _("Other results serve this one: they must serve another result first.")}
        )
    before = _result_snapshot(result)
    pk = result.pk
    targets = list(Target.objects.filter(indicator__result=result).values_list("pk", flat=True))
    result.delete()
    aggregates.refresh_targets(targets, plans=[plan.pk])
    _bump(plan)
    record(
        actor=actor,
        action="plan.result_remove",
        target=plan,
        unit=plan.unit,
        changes={"result": [pk, None], **diff(before, {})},
    )
    return plan


# Individual indicators (IKI) ---------------------------------------------------------------


def _next_code(plan: Plan) -> str:
    prefix = f"SKP{plan.pk}-"
    codes = Indicator.objects.filter(instansi_id=plan.instansi_id, code__startswith=prefix)
    used = [
        int(c[len(prefix) :])
        for c in codes.values_list("code", flat=True)
        if c[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(used, default=0) + 1}"


def _clean_indicator(plan: Plan, data: dict[str, Any]) -> dict[str, Any]:
    name = _text(data, "name", 500)
    if not name:
        raise ValidationError({"name": _("Name the indicator.")})
    aspect = data.get("aspect") or ""
    if aspect not in Aspect.values:
        raise ValidationError({"aspect": _("Choose the aspect: quantity, quality, time or cost.")})
    perspective = data.get("perspective") or ""
    if plan.is_jpt and perspective not in Perspective.values:
        raise ValidationError(
            {"perspective": _("A JPT plan groups its indicators by perspective: choose one.")}
        )
    if not plan.is_jpt and perspective:
        raise ValidationError(
            {"perspective": _("Only a JPT plan groups its indicators by perspective.")}
        )
    unit = data.get("measure_unit") or ""
    if unit not in measure_units():
        raise ValidationError({"measure_unit": _("Choose a unit of measure.")})
    if plan.approach == PlanApproach.QUALITATIVE:
        data_type = DataType.QUALITATIVE
    else:
        data_type = data.get("data_type") or DataType.DECIMAL
        if data_type not in (DataType.INTEGER, DataType.DECIMAL):
            raise ValidationError(
                {"data_type": _("A quantitative plan counts in whole or decimal numbers.")}
            )
    return {
        "name": name,
        "aspect": aspect,
        "perspective": perspective,
        "measure_unit": unit,
        "data_type": data_type,
    }


@transaction.atomic
def plan_indicator_add(
    *, actor, scope: Scope, result: PlanResult, version: Any, data: dict[str, Any]
) -> Indicator:
    """Add an individual indicator (IKI) to a result, with its target for the plan's year
    (``data["target"]``: shape, value, low, high, expectation; qualitative plans take an
    expectation). The indicator gets the code ``SKP<plan>-<n>``."""
    plan = result.plan
    _require_write(scope, plan)
    plan = _lock(plan, version)
    _check_draft(plan)
    fields = _clean_indicator(plan, data)
    indicator = Indicator(
        instansi_id=plan.instansi_id,
        result=result,
        unit=plan.unit,
        code=_next_code(plan),
        control_level=ControlLevel.OUTPUT,
        **fields,
    )
    indicator.full_clean(exclude=["goal", "result", "unit"])
    indicator.save()
    target = data.get("target") or {}
    if not isinstance(target, dict):
        raise ValidationError({"target": _("Give the indicator's target.")})
    if plan.approach == PlanApproach.QUALITATIVE:
        target = {**target, "shape": TargetShape.QUALITATIVE}
    try:
        target_set(
            actor=actor, scope=scope, indicator=indicator, year=plan.period.year, data=target
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise ValidationError({f"target.{k}": v for k, v in error.error_dict.items()}) from None
        raise
    _bump(plan)
    record(
        actor=actor,
        action="plan.indicator_add",
        target=plan,
        unit=plan.unit,
        changes={
            "indicator": [None, indicator.code],
            **diff({}, {**fields, "result": result.pk}),
        },
    )
    return indicator


@transaction.atomic
def plan_indicator_remove(*, actor, scope: Scope, indicator: Indicator, version: Any) -> Plan:
    plan = Plan.objects.get(results__indicators=indicator)
    _require_write(scope, plan)
    plan = _lock(plan, version)
    _check_draft(plan)
    code = indicator.code
    targets = list(indicator.targets.values_list("pk", flat=True))
    indicator.delete()
    aggregates.refresh_targets(targets, plans=[plan.pk])
    _bump(plan)
    record(
        actor=actor,
        action="plan.indicator_remove",
        target=plan,
        unit=plan.unit,
        changes={"indicator": [code, None]},
    )
    return plan


# Action plan, behaviours -------------------------------------------------------------------


@transaction.atomic
def plan_set_actions(
    *, actor, scope: Scope, result: PlanResult, version: Any, actions: dict[int, str]
) -> PlanResult:
    """Replace the result's action plan: ``actions`` maps a sub-period's number to what the
    employee will do in it; sub-periods outside the plan's dates take none."""
    plan = result.plan
    _require_write(scope, plan)
    plan = _lock(plan, version)
    _check_draft(plan)
    subs = {s.number: s for s in SubPeriod.objects.filter(period_id=plan.period_id)}
    rows = []
    for number in sorted(actions):
        field = f"actions.{number}"
        text = str(actions[number] or "").strip()
        if not text:
            continue
        sub = subs.get(number)
        if sub is None:
            raise ValidationError({field: _("The year has no sub-period %(n)s.") % {"n": number}})
        if sub.ends < plan.starts or sub.starts > plan.ends:
            raise ValidationError({field: _("This sub-period lies outside the plan's dates.")})
        if len(text) > TEXT_LIMIT:
            raise ValidationError(
                {field: _("At most %(limit)d characters.") % {"limit": TEXT_LIMIT}}
            )
        rows.append(PlanAction(result=result, sub_period=sub, text=text))
    before = {str(a.sub_period.number): a.text for a in result.actions.select_related("sub_period")}
    result.actions.all().delete()
    PlanAction.objects.bulk_create(rows)
    _bump(plan)
    record(
        actor=actor,
        action="plan.actions",
        target=plan,
        unit=plan.unit,
        changes={
            "result": [result.pk, result.pk],
            "actions": [before or None, {str(r.sub_period.number): r.text for r in rows}],
        },
    )
    return result


@transaction.atomic
def plan_set_behaviours(
    *, actor, scope: Scope, plan: Plan, version: Any, expectations: dict[str, str]
) -> Plan:
    """Set the superior's specific expectation per BerAKHLAK value (by its code); an empty
    text removes it. The employee's side or the evaluator may write them on a draft."""
    if not (may_write(scope, plan) or may_evaluate(scope, plan)):
        raise PermissionDenied(_("You may not change this employee's plan."))
    plan = _lock(plan, version)
    _check_draft(plan)
    codes = [v["code"] for v in berakhlak()]
    for code, text in expectations.items():
        if code not in codes:
            raise ValidationError(
                {f"behaviours.{code}": _("%(code)s is not a BerAKHLAK value.") % {"code": code}}
            )
        if len(str(text or "")) > TEXT_LIMIT:
            raise ValidationError(
                {f"behaviours.{code}": _("At most %(limit)d characters.") % {"limit": TEXT_LIMIT}}
            )
    before = dict(plan.behaviours.values_list("value", "expectation"))
    after = dict(before)
    for code, text in expectations.items():
        text = str(text or "").strip()
        if text:
            after[code] = text
        else:
            after.pop(code, None)
    plan.behaviours.all().delete()
    PlanBehaviour.objects.bulk_create(
        PlanBehaviour(plan=plan, value=code, expectation=after[code])
        for code in codes
        if code in after
    )
    _bump(plan)
    record(
        actor=actor,
        action="plan.behaviours",
        target=plan,
        unit=plan.unit,
        changes=diff(before, after),
    )
    return plan


# Steps -------------------------------------------------------------------------------------


def _step(plan: Plan, version: Any, want: str, to: str, message: str) -> tuple[Plan, str]:
    plan = _lock(plan, version)
    if plan.status == PlanStatus.SIGNED:
        _check_draft(plan)
    if plan.status != want:
        raise ValidationError(
            {"status": _(message) % {"status": plan.get_status_display().lower()}}
        )
    before = plan.status
    plan.status = to
    return plan, before


def _record_step(actor, plan: Plan, action: str, before: str, **extra) -> None:
    record(
        actor=actor,
        action=action,
        target=plan,
        unit=plan.unit,
        changes={"status": [before, plan.status], **extra},
    )


@transaction.atomic
def plan_submit(*, actor, scope: Scope, plan: Plan, version: Any) -> Plan:
    """Send a draft to the evaluator: it needs a main result, and every result an indicator."""
    _require_write(scope, plan)
    plan, before = _step(
        plan,
        version,
        PlanStatus.DRAFT,
        PlanStatus.SUBMITTED,
        gettext_noop("Only a draft is submitted: this plan is %(status)s."),
    )
    if not plan.results.filter(kind=ResultKind.MAIN).exists():
        raise ValidationError({"results": _("Add at least one main result before submitting.")})
    bare = plan.results.filter(indicators__isnull=True).first()
    if bare is not None:
        raise ValidationError(
            {"results": _("The result “%(result)s” has no indicator.") % {"result": bare.text[:80]}}
        )
    _bump(plan, "status")
    _record_step(actor, plan, "plan.submit", before)
    return plan


@transaction.atomic
def plan_return(*, actor, scope: Scope, plan: Plan, version: Any, reason: str) -> Plan:
    """The evaluator sends a submitted plan back to draft, with the reason."""
    _require_evaluate(scope, plan)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for sending the plan back.")})
    plan, before = _step(
        plan,
        version,
        PlanStatus.SUBMITTED,
        PlanStatus.DRAFT,
        gettext_noop("Only a submitted plan is sent back: this one is %(status)s."),
    )
    _bump(plan, "status")
    record(
        actor=actor,
        action="plan.return",
        target=plan,
        unit=plan.unit,
        changes={"status": [before, plan.status]},
        reason=reason[:2000],
    )
    return plan


@transaction.atomic
def plan_approve(*, actor, scope: Scope, plan: Plan, version: Any) -> Plan:
    """The evaluator approves a submitted plan."""
    _require_evaluate(scope, plan)
    plan, before = _step(
        plan,
        version,
        PlanStatus.SUBMITTED,
        PlanStatus.APPROVED,
        gettext_noop("Only a submitted plan is approved: this one is %(status)s."),
    )
    _bump(plan, "status")
    _record_step(actor, plan, "plan.approve", before)
    return plan


@transaction.atomic
def plan_sign(*, actor, scope: Scope, plan: Plan, version: Any) -> Plan:
    """Sign (set, ditetapkan) an approved plan: it no longer changes, and its results,
    indicators and targets stay as signed (a revision works on copies)."""
    _require_evaluate(scope, plan)
    plan, before = _step(
        plan,
        version,
        PlanStatus.APPROVED,
        PlanStatus.SIGNED,
        gettext_noop("Only an approved plan is signed: this one is %(status)s."),
    )
    plan.signed_at = timezone.now()
    _bump(plan, "status", "signed_at")
    _record_step(actor, plan, "plan.sign", before)
    return plan


def _copy_content(old: Plan, new: Plan) -> None:
    """Copy the results (with what they serve), indicators with their targets and values,
    actions and behaviours of ``old`` into ``new``."""
    results = list(old.results.order_by("pk"))
    mapping: dict[int, PlanResult] = {}
    for r in results:
        mapping[r.pk] = PlanResult.objects.create(
            plan=new,
            kind=r.kind,
            text=r.text,
            position=r.position,
            serves_id=r.serves_id,
            serves_directly=r.serves_directly,
            serves_target_id=r.serves_target_id,
            classification=r.classification,
            assigned_by_id=r.assigned_by_id,
        )
    PlanAction.objects.bulk_create(
        PlanAction(result=mapping[a.result_id], sub_period_id=a.sub_period_id, text=a.text)
        for a in PlanAction.objects.filter(result__plan=old)
    )
    PlanBehaviour.objects.bulk_create(
        PlanBehaviour(plan=new, value=b.value, expectation=b.expectation)
        for b in old.behaviours.all()
    )
    for n, indicator in enumerate(Indicator.objects.filter(result__plan=old).order_by("pk"), 1):
        targets = list(indicator.targets.all())
        values = list(TargetValue.objects.filter(target__indicator=indicator))
        old_result = indicator.result_id
        indicator.pk = indicator.id = None
        indicator._state.adding = True
        indicator.result = mapping[old_result]
        indicator.code = f"SKP{new.pk}-{n}"
        indicator.save()
        by_target: dict[int, Target] = {}
        for target in targets:
            old_pk = target.pk
            target.pk = target.id = None
            target._state.adding = True
            target.indicator = indicator
            target.save()
            by_target[old_pk] = target
        TargetValue.objects.bulk_create(
            TargetValue(
                target=by_target[v.target_id],
                sub_period_id=v.sub_period_id,
                value=v.value,
                low=v.low,
                high=v.high,
            )
            for v in values
        )


@transaction.atomic
def plan_revise(*, actor, scope: Scope, plan: Plan, version: Any, reason: str) -> Plan:
    """Start revision n+1 of a signed plan: a draft copy of its content, which becomes the
    current one; the signed revision stays as it was, readable."""
    _require_write(scope, plan)
    old = _lock(plan, version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the revision.")})
    if old.status != PlanStatus.SIGNED:
        raise ValidationError(
            {"status": _("Only a signed plan is revised: change the draft instead.")}
        )
    if not old.is_current:
        raise ValidationError(
            {"status": _("A later revision of this plan exists: revise that one.")}
        )
    old.is_current = False
    _bump(old, "is_current")
    copied = {
        name: getattr(old, name)
        for name in (
            *PLAN_FIELDS,
            "employee",
            "position",
            "position_title",
            "position_kind",
            "unit",
            "period",
        )
        if name != "status"
    }
    new = Plan.objects.create(
        instansi_id=old.instansi_id,
        revision=old.revision + 1,
        previous=old,
        revision_reason=reason[:2000],
        **copied,
    )
    _copy_content(old, new)
    aggregates.refresh_targets(
        Target.objects.filter(indicator__result__plan=new).values_list("pk", flat=True),
        plans=[old.pk, new.pk],
    )
    record(
        actor=actor,
        action="plan.revise",
        target=new,
        unit=new.unit,
        changes={"revision": [old.revision, new.revision]},
        reason=reason,
    )
    return new


__all__ = [
    "EVALUATOR_KINDS",
    "acts_for_agency",
    "berakhlak",
    "may_delegate",
    "may_evaluate",
    "may_write",
    "plan_approve",
    "plan_create",
    "plan_evaluator",
    "plan_indicator_add",
    "plan_indicator_remove",
    "plan_result_add",
    "plan_result_remove",
    "plan_result_update",
    "plan_return",
    "plan_revise",
    "plan_set_actions",
    "plan_set_behaviours",
    "plan_sign",
    "plan_submit",
    "plan_update",
    "require_iki_write",
    "skp_target_parties",
]
