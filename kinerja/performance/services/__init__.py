"""Every write of performance planning: atomic, checked, audited. Bad input raises a
ValidationError naming the field, and writes nothing."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kinerja.audit.services import diff, record
from kinerja.core.scope import Action, Scope
from kinerja.organisations.models import Instansi, OrgUnit, Position
from kinerja.organisations.selectors import holders_of, superior_of_post

from .. import aggregates
from ..choices import (
    Aggregation,
    AgreementStatus,
    DataType,
    Frequency,
    GoalLevel,
    KeySetStatus,
    SubPeriodStatus,
    TagKind,
    TargetShape,
)
from ..models import (
    Agreement,
    AgreementProgram,
    AgreementTarget,
    Goal,
    GoalTag,
    Indicator,
    IndicatorTemplate,
    KeyIndicatorSet,
    KeyIndicatorSetItem,
    LateEntryWindow,
    Period,
    SubPeriod,
    Target,
    TargetValue,
)
from ..policy import cycle_defaults, development_area_choices, measure_units, rb_theme_choices

FIRST_YEAR, LAST_YEAR = 2000, 2100
PERIOD_FIELDS = (
    "year",
    "frequency",
    "plans_due",
    "periodic_evaluation_days",
    "annual_evaluation_due",
)
GOAL_FIELDS = ("parent", "level", "code", "name", "description", "unit")
MANUAL_FIELDS = (
    "name",
    "definition",
    "purpose",
    "measure_unit",
    "data_type",
    "polarity",
    "control_level",
    "formula",
    "data_source",
    "reporting_frequency",
    "aggregation",
)
TEMPLATE_FIELDS = (*MANUAL_FIELDS, "position_kind")
INDICATOR_FIELDS = (
    *MANUAL_FIELDS,
    "goal",
    "template",
    "code",
    "producer",
    "baseline",
    "baseline_year",
    "cap_percent",
    "zero_target_rule",
    "is_key",
)
TARGET_FIELDS = ("shape", "value", "low", "high", "expectation")


def _snapshot(obj, fields) -> dict[str, Any]:
    out = {}
    for name in fields:
        field = obj._meta.get_field(name)
        out[name] = getattr(obj, field.attname)
    return out


def _instansi_wide(scope: Scope, action: str) -> None:
    if scope.paths_for(action) is not None:
        raise PermissionDenied(_("Only a role across the whole instansi may do this."))


def _require_unit(scope: Scope, action: str, unit: OrgUnit | None) -> None:
    """The action on ``unit``; on the province's own rows (no unit) an instansi-wide grant."""
    if unit is None:
        _instansi_wide(scope, action)
    elif not scope.can(action, unit.path):
        raise PermissionDenied(_("You may not change the plans of this unit."))


def _same_instansi(instansi_id: int, *objs) -> None:
    for obj in objs:
        if obj is not None and obj.instansi_id != instansi_id:
            raise ValidationError(_("%(obj)s belongs to another instansi.") % {"obj": obj})


def _check_year(year: Any, field: str = "year") -> None:
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            {
                field: _("Give a year from %(first)d to %(last)d.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            }
        )


# Periods -----------------------------------------------------------------------------------


def sub_period_dates(year: int, frequency: str) -> list[tuple[int, dt.date, dt.date]]:
    """Return (number, first day, last day) of each sub-period of ``year``."""
    months = 1 if frequency == Frequency.MONTHLY else 3
    out = []
    for number, first_month in enumerate(range(1, 13, months), start=1):
        last_month = first_month + months - 1
        last_day = calendar.monthrange(year, last_month)[1]
        out.append((number, dt.date(year, first_month, 1), dt.date(year, last_month, last_day)))
    return out


def _make_sub_periods(period: Period) -> None:
    SubPeriod.objects.bulk_create(
        SubPeriod(instansi_id=period.instansi_id, period=period, number=n, starts=first, ends=last)
        for n, first, last in sub_period_dates(period.year, period.frequency)
    )


def _check_period(period: Period) -> None:
    if period.frequency not in Frequency.values:
        raise ValidationError({"frequency": _("Choose monthly or quarterly sub-periods.")})
    if period.plans_due and period.plans_due.year not in (period.year - 1, period.year):
        raise ValidationError({"plans_due": _("Plans are set in the year or the year before it.")})
    if period.annual_evaluation_due and period.annual_evaluation_due.year <= period.year:
        raise ValidationError(
            {"annual_evaluation_due": _("The annual evaluation falls after the year ends.")}
        )
    if not 0 <= (period.periodic_evaluation_days or 0) <= 90:
        raise ValidationError(
            {"periodic_evaluation_days": _("Give from 0 to 90 days after a sub-period ends.")}
        )


@transaction.atomic
def period_create(
    *, actor, scope: Scope, instansi: Instansi, year: int, data: dict[str, Any] | None = None
) -> Period:
    """Open ``year`` for the instansi with its sub-periods; unset settings take the policy's
    defaults for that year."""
    _instansi_wide(scope, Action.MANAGE_PERIODS)
    _check_year(year)
    if Period.objects.filter(instansi=instansi, year=year).exists():
        raise ValidationError({"year": _("The year %(year)d is already open.") % {"year": year}})
    defaults = cycle_defaults(year)
    data = {k: v for k, v in (data or {}).items() if k in PERIOD_FIELDS and v is not None}
    period = Period(
        instansi=instansi,
        year=year,
        frequency=data.get("frequency", defaults.frequency),
        plans_due=data.get("plans_due", defaults.plans_due),
        periodic_evaluation_days=data.get(
            "periodic_evaluation_days", defaults.periodic_evaluation_days
        ),
        annual_evaluation_due=data.get("annual_evaluation_due", defaults.annual_evaluation_due),
    )
    _check_period(period)
    period.save()
    _make_sub_periods(period)
    record(
        actor=actor,
        action="period.create",
        target=period,
        changes=diff({}, _snapshot(period, PERIOD_FIELDS)),
    )
    return period


@transaction.atomic
def period_update(
    *, actor, scope: Scope, period: Period, data: dict[str, Any], reason: str = ""
) -> Period:
    """Change a year's settings. A new split of the year remakes its sub-periods, which is
    refused once a sub-period is closed or holds targets."""
    _instansi_wide(scope, Action.MANAGE_PERIODS)
    before = _snapshot(period, PERIOD_FIELDS)
    for key in ("frequency", "plans_due", "periodic_evaluation_days", "annual_evaluation_due"):
        if key in data and data[key] is not None:
            setattr(period, key, data[key])
    _check_period(period)
    if period.frequency != before["frequency"]:
        subs = SubPeriod.objects.filter(period=period)
        if subs.filter(status=SubPeriodStatus.CLOSED).exists():
            raise ValidationError(
                {
                    "frequency": _(
                        "A sub-period of this year is closed: the split can no longer change."
                    )
                }
            )
        if TargetValue.objects.filter(sub_period__period=period).exists():
            raise ValidationError(
                {
                    "frequency": _(
                        "Targets are set per sub-period of this year: the split can "
                        "no longer change."
                    )
                }
            )
        LateEntryWindow.objects.filter(sub_period__period=period).delete()
        subs.delete()
        _make_sub_periods(period)
    period.save()
    record(
        actor=actor,
        action="period.update",
        target=period,
        changes=diff(before, _snapshot(period, PERIOD_FIELDS)),
        reason=reason,
    )
    return period


@transaction.atomic
def sub_period_set_status(
    *, actor, scope: Scope, sub_period: SubPeriod, status: str, reason: str = ""
) -> SubPeriod:
    """Open or close a sub-period for entries."""
    _instansi_wide(scope, Action.MANAGE_PERIODS)
    if status not in SubPeriodStatus.values:
        raise ValidationError({"status": _("Choose open or closed.")})
    before = sub_period.status
    if before == status:
        return sub_period
    sub_period.status = status
    sub_period.save(update_fields=["status", "updated_at"])
    record(
        actor=actor,
        action="sub_period.open" if status == SubPeriodStatus.OPEN else "sub_period.close",
        target=sub_period,
        changes={"status": [before, status]},
        reason=reason,
    )
    return sub_period


@transaction.atomic
def late_entry_open(
    *,
    actor,
    scope: Scope,
    unit: OrgUnit,
    sub_period: SubPeriod,
    opens: dt.date,
    closes: dt.date,
    reason: str,
) -> LateEntryWindow:
    """Let ``unit`` (and its sub-units) enter data for a sub-period from ``opens`` to
    ``closes`` (both days included)."""
    if not scope.can(Action.MANAGE_PERIODS, unit.path):
        raise PermissionDenied(_("You may not open late entry for this unit."))
    _same_instansi(sub_period.instansi_id, unit)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the late entry.")})
    if closes < opens:
        raise ValidationError({"closes": _("The window cannot close before it opens.")})
    if opens <= sub_period.ends:
        raise ValidationError(
            {
                "opens": _("A late-entry window opens after the sub-period ends (%(day)s).")
                % {"day": sub_period.ends.isoformat()}
            }
        )
    if (closes - opens).days > 90:
        raise ValidationError({"closes": _("A late-entry window lasts at most 90 days.")})
    window = LateEntryWindow(
        instansi_id=sub_period.instansi_id,
        unit=unit,
        sub_period=sub_period,
        opens=opens,
        closes=closes,
        reason=reason.strip(),
    )
    window.full_clean()
    window.save()
    record(
        actor=actor,
        action="late_entry.open",
        target=window,
        changes={
            "sub_period": [None, sub_period.pk],
            "opens": [None, opens.isoformat()],
            "closes": [None, closes.isoformat()],
        },
        reason=window.reason,
    )
    return window


# Goals -------------------------------------------------------------------------------------


def _check_goal(goal: Goal) -> None:
    if goal.level not in GoalLevel.values:
        raise ValidationError({"level": _("Choose the level of the goal.")})
    if not (goal.code or "").strip():
        raise ValidationError({"code": _("Give the goal a code.")})
    if not (goal.name or "").strip():
        raise ValidationError({"name": _("Give the goal a name.")})
    # A cycle first: a goal under itself or one of its own sub-goals.
    seen = {goal.pk} if goal.pk else set()
    node = goal.parent
    while node is not None:
        if node.pk in seen:
            raise ValidationError(
                {"parent": _("A goal cannot be placed under itself or one of its sub-goals.")}
            )
        seen.add(node.pk)
        node = node.parent
    wanted = GoalLevel.parent_level(goal.level)
    parent = goal.parent
    if wanted is None and parent is not None:
        raise ValidationError({"parent": _("A mission stands at the top of the tree.")})
    if wanted is not None and (parent is None or parent.level != wanted):
        raise ValidationError(
            {
                "parent": _(
                    "A goal of level “%(level)s” belongs under a goal of level “%(parent)s”."
                )
                % {"level": GoalLevel(goal.level).label, "parent": GoalLevel(wanted).label}
            }
        )
    if goal.level in GoalLevel.regional():
        if goal.unit_id is not None:
            raise ValidationError(
                {"unit": _("A goal of the regional plan (RPJMD) belongs to no agency.")}
            )
        return
    if goal.unit is None or goal.unit.parent_id is not None:
        raise ValidationError(
            {
                "unit": _(
                    "A strategic-plan (Renstra) goal belongs to an agency (a unit at the top "
                    "of the tree)."
                )
            }
        )
    if parent.unit_id is not None and parent.unit_id != goal.unit_id:
        raise ValidationError(
            {"unit": _("A strategic target belongs to the agency of its strategic objective.")}
        )


def _goal_action(goal: Goal) -> str:
    return Action.MANAGE_GOALS if goal.level in GoalLevel.regional() else Action.MANAGE_PLANS


def _set_tags(goal: Goal, rb_themes: Iterable[str] | None, areas: Iterable[str] | None) -> dict:
    changes = {}
    for kind, codes, allowed, field in (
        (TagKind.RB_THEME, rb_themes, dict(rb_theme_choices()), "rb_themes"),
        (TagKind.DEVELOPMENT_AREA, areas, dict(development_area_choices()), "development_areas"),
    ):
        if codes is None:
            continue
        codes = sorted(set(codes))
        unknown = [c for c in codes if c not in allowed]
        if unknown:
            raise ValidationError(
                {field: _("Unknown code: %(codes)s.") % {"codes": ", ".join(unknown)}}
            )
        before = sorted(goal.tags.filter(kind=kind).values_list("code", flat=True))
        if before != codes:
            goal.tags.filter(kind=kind).delete()
            GoalTag.objects.bulk_create(GoalTag(goal=goal, kind=kind, code=c) for c in codes)
            changes[field] = [before, codes]
    return changes


@transaction.atomic
def goal_create(
    *,
    actor,
    scope: Scope,
    instansi: Instansi,
    data: dict[str, Any],
    rb_themes: Iterable[str] | None = None,
    development_areas: Iterable[str] | None = None,
) -> Goal:
    """Add a goal to the tree: the regional plan's (manage_goals across the instansi) or an
    agency's Renstra goal (manage_plans on the agency)."""
    goal = Goal(instansi=instansi, **{k: v for k, v in data.items() if k in GOAL_FIELDS})
    _same_instansi(instansi.pk, goal.parent, goal.unit)
    _check_goal(goal)
    _require_unit(scope, _goal_action(goal), goal.unit)
    goal.full_clean()
    goal.save()
    tags = _set_tags(goal, rb_themes, development_areas)
    record(
        actor=actor,
        action="goal.create",
        target=goal,
        changes={**diff({}, _snapshot(goal, GOAL_FIELDS)), **tags},
    )
    return goal


@transaction.atomic
def goal_update(
    *,
    actor,
    scope: Scope,
    goal: Goal,
    data: dict[str, Any],
    rb_themes: Iterable[str] | None = None,
    development_areas: Iterable[str] | None = None,
    reason: str = "",
) -> Goal:
    """Change a goal; a new parent moves it with its sub-goals (never under one of them)."""
    _require_unit(scope, _goal_action(goal), goal.unit)
    before = _snapshot(goal, GOAL_FIELDS)
    for key, value in data.items():
        if key in GOAL_FIELDS:
            setattr(goal, key, value)
    _same_instansi(goal.instansi_id, goal.parent, goal.unit)
    _check_goal(goal)
    _require_unit(scope, _goal_action(goal), goal.unit)
    moved = goal.unit_id != before["unit"] and goal.level == GoalLevel.AGENCY_OBJECTIVE
    if moved and goal.children.exclude(unit_id=goal.unit_id).exists():
        raise ValidationError(
            {"unit": _("Its strategic targets belong to the other agency: move them first.")}
        )
    goal.full_clean()
    goal.save()
    if goal.unit_id != before["unit"]:
        Indicator.objects.filter(goal=goal).update(unit=goal.unit)
        _refresh_indicators(
            list(Indicator.objects.filter(goal=goal).values_list("pk", flat=True)), before["unit"]
        )
    tags = _set_tags(goal, rb_themes, development_areas)
    record(
        actor=actor,
        action="goal.update",
        target=goal,
        changes={**diff(before, _snapshot(goal, GOAL_FIELDS)), **tags},
        reason=reason,
    )
    return goal


# Indicators --------------------------------------------------------------------------------


def _refresh_indicators(indicator_ids: list[int], old_unit: int | None) -> None:
    """Refresh the achievement roll-ups of the indicators' targets (their rule, direction or
    agency changed), and of the agency that counted them before."""
    targets = list(Target.objects.filter(indicator_id__in=indicator_ids).values_list("pk", "year"))
    agencies = {(old_unit, year) for _pk, year in targets} if old_unit else set()
    aggregates.refresh_targets([pk for pk, _y in targets], agencies=agencies)


def _check_manual(obj) -> None:
    if not (obj.name or "").strip():
        raise ValidationError({"name": _("Give the indicator a name.")})
    if obj.measure_unit not in measure_units():
        raise ValidationError({"measure_unit": _("Choose a unit of measure from the list.")})


@transaction.atomic
def template_create(
    *, actor, scope: Scope, instansi: Instansi, data: dict[str, Any]
) -> IndicatorTemplate:
    """Add an entry to the indicator library (manage_goals across the instansi)."""
    _instansi_wide(scope, Action.MANAGE_GOALS)
    template = IndicatorTemplate(
        instansi=instansi, **{k: v for k, v in data.items() if k in TEMPLATE_FIELDS}
    )
    _check_manual(template)
    template.full_clean()
    template.save()
    record(
        actor=actor,
        action="indicator_template.create",
        target=template,
        changes=diff({}, _snapshot(template, TEMPLATE_FIELDS)),
    )
    return template


@transaction.atomic
def template_update(
    *, actor, scope: Scope, template: IndicatorTemplate, data: dict[str, Any]
) -> IndicatorTemplate:
    _instansi_wide(scope, Action.MANAGE_GOALS)
    before = _snapshot(template, TEMPLATE_FIELDS)
    for key, value in data.items():
        if key in TEMPLATE_FIELDS:
            setattr(template, key, value)
    _check_manual(template)
    template.full_clean()
    template.save()
    record(
        actor=actor,
        action="indicator_template.update",
        target=template,
        changes=diff(before, _snapshot(template, TEMPLATE_FIELDS)),
    )
    return template


def _check_indicator(indicator: Indicator) -> None:
    _check_manual(indicator)
    if not (indicator.code or "").strip():
        raise ValidationError({"code": _("Give the indicator a code.")})
    if indicator.cap_percent is not None and indicator.cap_percent < 100:
        raise ValidationError(
            {
                "cap_percent": _(
                    "An achievement cap cannot be below 100 percent; leave it empty for the "
                    "policy's default."
                )
            }
        )
    if indicator.baseline is not None:
        check_numbers(indicator, {"baseline": indicator.baseline})
    if indicator.baseline_year is not None:
        _check_year(indicator.baseline_year, "baseline_year")
    if indicator.data_type == DataType.QUALITATIVE and indicator.baseline is not None:
        raise ValidationError({"baseline": _("A qualitative indicator has no numeric baseline.")})


@transaction.atomic
def indicator_create(*, actor, scope: Scope, instansi: Instansi, data: dict[str, Any]) -> Indicator:
    """Add an indicator to a goal; it belongs to the goal's agency (none for the RPJMD's).
    A library entry given as ``template`` fills the manual fields left out."""
    fields = {k: v for k, v in data.items() if k in INDICATOR_FIELDS}
    template = fields.get("template")
    if template is not None:
        _same_instansi(instansi.pk, template)
        for name in MANUAL_FIELDS:
            if fields.get(name) in (None, ""):
                fields[name] = getattr(template, name)
    indicator = Indicator(instansi=instansi, **fields)
    goal = indicator.goal
    if goal is None:
        raise ValidationError({"goal": _("Choose the goal the indicator measures.")})
    _same_instansi(instansi.pk, goal)
    indicator.unit = goal.unit
    _require_unit(scope, _goal_action(goal), goal.unit)
    _check_indicator(indicator)
    indicator.full_clean()
    indicator.save()
    record(
        actor=actor,
        action="indicator.create",
        target=indicator,
        unit=indicator.unit,
        changes=diff({}, _snapshot(indicator, INDICATOR_FIELDS)),
    )
    return indicator


@transaction.atomic
def indicator_update(
    *, actor, scope: Scope, indicator: Indicator, data: dict[str, Any], reason: str = ""
) -> Indicator:
    if indicator.result_id is not None:
        raise ValidationError(_("An individual indicator (IKI) is changed through its plan."))
    _require_unit(scope, _goal_action(indicator.goal), indicator.unit)
    before = _snapshot(indicator, INDICATOR_FIELDS)
    before_unit = indicator.unit_id
    for key, value in data.items():
        if key in INDICATOR_FIELDS:
            setattr(indicator, key, value)
    _same_instansi(indicator.instansi_id, indicator.goal, indicator.template)
    indicator.unit = indicator.goal.unit
    _require_unit(scope, _goal_action(indicator.goal), indicator.unit)
    _check_indicator(indicator)
    changed_kind = any(
        before[k] != getattr(indicator, k) for k in ("data_type", "measure_unit", "aggregation")
    )
    if changed_kind and indicator.targets.exists():
        raise ValidationError(
            _(
                "The indicator has targets: its data type, unit of measure and aggregation can "
                "no longer change."
            )
        )
    indicator.full_clean()
    indicator.save()
    record(
        actor=actor,
        action="indicator.update",
        target=indicator,
        unit=indicator.unit,
        changes=diff(before, _snapshot(indicator, INDICATOR_FIELDS)),
        reason=reason,
    )
    _refresh_indicators([indicator.pk], before_unit)
    return indicator


# Targets -----------------------------------------------------------------------------------


def _require_indicator(scope: Scope, indicator: Indicator) -> None:
    """Who sets an indicator's targets: its goal's keepers; for an individual indicator (IKI)
    of an employee plan, who may change that plan's draft."""
    if indicator.result_id is not None:
        from .skp import require_iki_write  # the plan's rule; skp imports this module

        require_iki_write(scope, indicator)
        return
    _require_unit(scope, _goal_action(indicator.goal), indicator.unit)


def _number(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        number = None
    if number is None or not number.is_finite() or abs(number) >= Decimal(10) ** 16:
        raise ValidationError({field: _("Give a number.")})
    if number.as_tuple().exponent < -4:
        raise ValidationError({field: _("Give at most four decimals.")})
    return number


def check_numbers(indicator: Indicator, numbers: dict[str, Decimal | None]) -> None:
    """Refuse a negative number where the unit of measure forbids it, and a fraction for a
    whole-number indicator. ``numbers`` maps a field name to its value."""
    unit = measure_units()[indicator.measure_unit]
    for field, number in numbers.items():
        if number is None:
            continue
        if number < 0 and not unit.allows_negative:
            raise ValidationError(
                {
                    field: _("The unit of measure “%(unit)s” allows no negative value.")
                    % {"unit": unit.label}
                }
            )
        if indicator.data_type == DataType.INTEGER and number != number.to_integral_value():
            raise ValidationError({field: _("This indicator counts in whole numbers.")})


def clean_target(indicator: Indicator, data: dict[str, Any]) -> dict[str, Any]:
    """Return the target's shape and numbers from ``data``, or raise naming the field."""
    shape = data.get("shape") or (
        TargetShape.QUALITATIVE
        if indicator.data_type == DataType.QUALITATIVE
        else TargetShape.VALUE
    )
    if shape not in TargetShape.values:
        raise ValidationError({"shape": _("Choose a value, a range or a qualitative target.")})
    if indicator.data_type == DataType.QUALITATIVE and shape != TargetShape.QUALITATIVE:
        raise ValidationError(
            {"shape": _("A qualitative indicator takes a qualitative target (no number).")}
        )
    if indicator.data_type != DataType.QUALITATIVE and shape == TargetShape.QUALITATIVE:
        raise ValidationError(
            {"shape": _("A quantitative indicator takes a value or a range as its target.")}
        )
    value = _number(data.get("value"), "value")
    low = _number(data.get("low"), "low")
    high = _number(data.get("high"), "high")
    expectation = (data.get("expectation") or "").strip()
    if shape == TargetShape.VALUE:
        if value is None:
            raise ValidationError({"value": _("A quantitative target needs a value.")})
        low = high = None
        expectation = ""
    elif shape == TargetShape.RANGE:
        if low is None:
            raise ValidationError({"low": _("A range needs its low bound.")})
        if high is None:
            raise ValidationError({"high": _("A range needs its high bound.")})
        if low > high:
            raise ValidationError(
                {
                    "low": _("The low bound (%(low)s) is above the high bound (%(high)s).")
                    % {"low": f"{low:f}", "high": f"{high:f}"}
                }
            )
        value = None
        expectation = ""
    else:
        if not expectation:
            raise ValidationError(
                {"expectation": _("A qualitative target needs the expectation described.")}
            )
        value = low = high = None
    check_numbers(indicator, {"value": value, "low": low, "high": high})
    return {"shape": shape, "value": value, "low": low, "high": high, "expectation": expectation}


@transaction.atomic
def target_set(
    *,
    actor,
    scope: Scope,
    indicator: Indicator,
    year: int,
    data: dict[str, Any],
    reason: str = "",
) -> Target:
    """Set (create or replace) the indicator's target for ``year``. Replacing the shape drops
    the sub-period values, which no longer fit."""
    _require_indicator(scope, indicator)
    _check_year(year)
    clean = clean_target(indicator, data)
    target = Target.objects.select_for_update().filter(indicator=indicator, year=year).first()
    before = _snapshot(target, TARGET_FIELDS) if target else {}
    if target is None:
        target = Target(instansi_id=indicator.instansi_id, indicator=indicator, year=year)
    for key, value in clean.items():
        setattr(target, key, value)
    target.full_clean(exclude=["indicator"])
    target.save()
    dropped = 0
    if before and before != _snapshot(target, TARGET_FIELDS):
        dropped, _x = TargetValue.objects.filter(target=target).delete()
    changes = diff(before, _snapshot(target, TARGET_FIELDS))
    if dropped:
        changes["sub_period_values"] = ["set", None]
    record(
        actor=actor,
        action="target.update" if before else "target.create",
        target=target,
        unit=indicator.unit,
        changes={"year": [None, year], **changes} if not before else changes,
        reason=reason,
    )
    aggregates.refresh_targets([target])
    return target


def _aggregate(values: list[Decimal], aggregation: str) -> Decimal:
    if aggregation == Aggregation.CUMULATIVE:
        return sum(values, Decimal(0))
    if aggregation == Aggregation.AVERAGE:
        return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.0001"))
    return values[-1]


AGGREGATION_MESSAGES = {
    Aggregation.CUMULATIVE: gettext_noop(
        "The sub-period values add up to %(got)s, not the year's %(want)s (cumulative)."
    ),
    Aggregation.AVERAGE: gettext_noop(
        "The sub-period values average %(got)s, not the year's %(want)s."
    ),
    Aggregation.LAST_VALUE: gettext_noop(
        "The last sub-period's value is %(got)s, not the year's %(want)s."
    ),
}


@transaction.atomic
def target_set_values(
    *, actor, scope: Scope, target: Target, values: dict[int, Any], reason: str = ""
) -> Target:
    """Set the target's value for every sub-period of its year: ``values`` maps a
    sub-period's number to a number (a value target) or to ``{"low": .., "high": ..}`` (a
    range). They must make the year's target under the indicator's aggregation."""
    indicator = target.indicator
    _require_indicator(scope, indicator)
    if target.shape == TargetShape.QUALITATIVE:
        raise ValidationError({"values": _("A qualitative target has no numbers per sub-period.")})
    period = Period.objects.filter(instansi_id=target.instansi_id, year=target.year).first()
    if period is None:
        raise ValidationError(
            {"values": _("The year %(year)d is not open: open it first.") % {"year": target.year}}
        )
    subs = list(SubPeriod.objects.filter(period=period).order_by("number"))
    numbers = [s.number for s in subs]
    given = sorted(values)
    if given != numbers:
        raise ValidationError(
            {
                "values": _("Give a value for each of the %(count)d sub-periods (1 to %(count)d).")
                % {"count": len(numbers)}
            }
        )
    rows = []
    for sub in subs:
        raw = values[sub.number]
        field = f"values.{sub.number}"
        if target.shape == TargetShape.RANGE:
            if not isinstance(raw, dict):
                raise ValidationError({field: _("Give the low and high bound.")})
            low, high = _number(raw.get("low"), field), _number(raw.get("high"), field)
            if low is None or high is None:
                raise ValidationError({field: _("Give the low and high bound.")})
            if low > high:
                raise ValidationError(
                    {
                        field: _("The low bound (%(low)s) is above the high bound (%(high)s).")
                        % {"low": f"{low:f}", "high": f"{high:f}"}
                    }
                )
            check_numbers(indicator, {field: low})
            check_numbers(indicator, {field: high})
            rows.append(TargetValue(target=target, sub_period=sub, low=low, high=high))
        else:
            value = _number(raw, field)
            if value is None:
                raise ValidationError({field: _("A quantitative target needs a value.")})
            check_numbers(indicator, {field: value})
            rows.append(TargetValue(target=target, sub_period=sub, value=value))
    pairs = (
        [("low", [r.low for r in rows], target.low), ("high", [r.high for r in rows], target.high)]
        if target.shape == TargetShape.RANGE
        else [("value", [r.value for r in rows], target.value)]
    )
    for _name, got_values, want in pairs:
        got = _aggregate(got_values, indicator.aggregation)
        if got.quantize(Decimal("0.01")) != want.quantize(Decimal("0.01")):
            raise ValidationError(
                {
                    "values": _(AGGREGATION_MESSAGES[indicator.aggregation])
                    % {"got": f"{got.normalize():f}", "want": f"{want.normalize():f}"}
                }
            )
    before = {
        str(v.sub_period.number): [str(v.value), str(v.low), str(v.high)]
        for v in TargetValue.objects.filter(target=target).select_related("sub_period")
    }
    TargetValue.objects.filter(target=target).delete()
    TargetValue.objects.bulk_create(rows)
    after = {str(r.sub_period.number): [str(r.value), str(r.low), str(r.high)] for r in rows}
    record(
        actor=actor,
        action="target.values",
        target=target,
        unit=indicator.unit,
        changes={"values": [before or None, after]},
        reason=reason,
    )
    aggregates.refresh_targets([target])
    return target


# Key indicator (IKU) sets ------------------------------------------------------------------


@transaction.atomic
def key_set_create(
    *, actor, scope: Scope, instansi: Instansi, data: dict[str, Any]
) -> KeyIndicatorSet:
    """Start the key-indicator set of the province (no unit) or of an agency for a plan's
    years."""
    unit = data.get("unit")
    _same_instansi(instansi.pk, unit)
    _require_unit(scope, Action.MANAGE_GOALS if unit is None else Action.MANAGE_PLANS, unit)
    if unit is not None and unit.parent_id is not None:
        raise ValidationError({"unit": _("A key-indicator set belongs to an agency.")})
    first, last = data.get("first_year"), data.get("last_year")
    _check_year(first, "first_year")
    _check_year(last, "last_year")
    if last < first or last - first > 9:
        raise ValidationError(
            {"last_year": _("The plan's last year is from its first year to nine years on.")}
        )
    if not (data.get("name") or "").strip():
        raise ValidationError({"name": _("Give the set a name.")})
    overlap = KeyIndicatorSet.objects.filter(
        instansi=instansi, unit=unit, first_year__lte=last, last_year__gte=first
    )
    if overlap.exists():
        raise ValidationError(
            {"first_year": _("Another key-indicator set of this owner covers these years.")}
        )
    key_set = KeyIndicatorSet(
        instansi=instansi,
        unit=unit,
        name=data["name"].strip(),
        first_year=first,
        last_year=last,
        decree_number=(data.get("decree_number") or "").strip(),
    )
    key_set.full_clean()
    key_set.save()
    record(
        actor=actor,
        action="key_set.create",
        target=key_set,
        changes={"name": [None, key_set.name], "years": [None, [first, last]]},
    )
    return key_set


def _key_set_action(key_set: KeyIndicatorSet) -> str:
    return Action.MANAGE_GOALS if key_set.unit_id is None else Action.MANAGE_PLANS


@transaction.atomic
def key_set_add(
    *, actor, scope: Scope, key_set: KeyIndicatorSet, indicator: Indicator
) -> KeyIndicatorSet:
    """Add a key indicator (IKU) of the set's owner to a draft set."""
    _require_unit(scope, _key_set_action(key_set), key_set.unit)
    _same_instansi(key_set.instansi_id, indicator)
    if key_set.status != KeySetStatus.DRAFT:
        raise ValidationError(_("The set is already set (ditetapkan): it no longer changes."))
    if not indicator.is_key:
        raise ValidationError(
            {"indicator": _("%(code)s is not a key indicator (IKU).") % {"code": indicator.code}}
        )
    if indicator.unit_id != key_set.unit_id:
        raise ValidationError(
            {"indicator": _("%(code)s belongs to another owner's plan.") % {"code": indicator.code}}
        )
    if key_set.items.filter(indicator=indicator).exists():
        raise ValidationError(
            {"indicator": _("%(code)s is already in the set.") % {"code": indicator.code}}
        )
    position = key_set.items.count() + 1
    KeyIndicatorSetItem.objects.create(key_set=key_set, indicator=indicator, position=position)
    record(
        actor=actor,
        action="key_set.add",
        target=key_set,
        unit=key_set.unit,
        changes={"indicators": [None, indicator.code]},
    )
    return key_set


def key_set_missing(key_set: KeyIndicatorSet) -> list[tuple[str, int]]:
    """Return (indicator code, year) for each year of the set an indicator has no target."""
    items = list(key_set.items.select_related("indicator").order_by("position", "pk"))
    have = set(
        Target.objects.filter(
            indicator__in=[i.indicator_id for i in items],
            year__gte=key_set.first_year,
            year__lte=key_set.last_year,
        ).values_list("indicator_id", "year")
    )
    return [
        (item.indicator.code, year)
        for item in items
        for year in key_set.years
        if (item.indicator_id, year) not in have
    ]


@transaction.atomic
def key_set_finalise(
    *, actor, scope: Scope, key_set: KeyIndicatorSet, decree_number: str = ""
) -> KeyIndicatorSet:
    """Set (tetapkan) the set: it needs indicators, and a target for every year of the plan."""
    _require_unit(scope, _key_set_action(key_set), key_set.unit)
    if key_set.status != KeySetStatus.DRAFT:
        raise ValidationError(_("The set is already set (ditetapkan)."))
    if not key_set.items.exists():
        raise ValidationError({"indicators": _("Add the key indicators first.")})
    missing = key_set_missing(key_set)
    if missing:
        shown = ", ".join(f"{code} {year}" for code, year in missing[:10])
        more = len(missing) - 10
        raise ValidationError(
            {
                "indicators": _("Targets are missing for: %(list)s%(more)s.")
                % {"list": shown, "more": _(" and %(n)d more") % {"n": more} if more > 0 else ""}
            }
        )
    before = key_set.status
    key_set.status = KeySetStatus.SET
    if decree_number.strip():
        key_set.decree_number = decree_number.strip()
    key_set.save(update_fields=["status", "decree_number", "updated_at"])
    record(
        actor=actor,
        action="key_set.finalise",
        target=key_set,
        unit=key_set.unit,
        changes={"status": [before, key_set.status]},
    )
    return key_set


@transaction.atomic
def key_set_remove(
    *, actor, scope: Scope, key_set: KeyIndicatorSet, indicator: Indicator
) -> KeyIndicatorSet:
    """Take an indicator out of a draft set."""
    _require_unit(scope, _key_set_action(key_set), key_set.unit)
    if key_set.status != KeySetStatus.DRAFT:
        raise ValidationError(_("The set is already set (ditetapkan): it no longer changes."))
    deleted, _x = key_set.items.filter(indicator=indicator).delete()
    if not deleted:
        raise ValidationError(
            {"indicator": _("%(code)s is not in the set.") % {"code": indicator.code}}
        )
    record(
        actor=actor,
        action="key_set.remove",
        target=key_set,
        unit=key_set.unit,
        changes={"indicators": [indicator.code, None]},
    )
    return key_set


@transaction.atomic
def key_set_update(
    *, actor, scope: Scope, key_set: KeyIndicatorSet, data: dict[str, Any]
) -> KeyIndicatorSet:
    """Change a draft set's name, decree number or years (its owner never changes)."""
    _require_unit(scope, _key_set_action(key_set), key_set.unit)
    if key_set.status != KeySetStatus.DRAFT:
        raise ValidationError(_("The set is already set (ditetapkan): it no longer changes."))
    before = {
        "name": key_set.name,
        "decree_number": key_set.decree_number,
        "first_year": key_set.first_year,
        "last_year": key_set.last_year,
    }
    first = data.get("first_year", key_set.first_year)
    last = data.get("last_year", key_set.last_year)
    _check_year(first, "first_year")
    _check_year(last, "last_year")
    if last < first or last - first > 9:
        raise ValidationError(
            {"last_year": _("The plan's last year is from its first year to nine years on.")}
        )
    name = (data.get("name", key_set.name) or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the set a name.")})
    overlap = KeyIndicatorSet.objects.filter(
        instansi_id=key_set.instansi_id,
        unit_id=key_set.unit_id,
        first_year__lte=last,
        last_year__gte=first,
    ).exclude(pk=key_set.pk)
    if overlap.exists():
        raise ValidationError(
            {"first_year": _("Another key-indicator set of this owner covers these years.")}
        )
    key_set.name = name
    key_set.first_year, key_set.last_year = first, last
    if "decree_number" in data:
        key_set.decree_number = (data.get("decree_number") or "").strip()
    key_set.full_clean()
    key_set.save()
    after = {
        "name": key_set.name,
        "decree_number": key_set.decree_number,
        "first_year": key_set.first_year,
        "last_year": key_set.last_year,
    }
    record(
        actor=actor,
        action="key_set.update",
        target=key_set,
        unit=key_set.unit,
        changes=diff(before, after),
    )
    return key_set


# Performance agreements (Perjanjian Kinerja) -----------------------------------------------


class Conflict(ValidationError):
    """A write based on a version of the row that someone else has changed since: the API
    answers 409, a page shows the message and the current row."""

    is_conflict = True


PARTY_FIELDS = ("name", "nip", "title")
AGREEMENT_FIELDS = (
    "status",
    "agreement_date",
    "head_post",
    "first_party",
    "first_party_name",
    "first_party_nip",
    "first_party_title",
    "second_party",
    "second_party_name",
    "second_party_nip",
    "second_party_title",
)
BUDGET_LIMIT = Decimal("10") ** 16  # rupiah; the column holds 16 digits before the point


def _agreement_action(unit: OrgUnit | None) -> str:
    """The province's agreement is kept by whoever keeps the regional plan; a unit's by who
    keeps its plans (its agency administrator, Bappeda)."""
    return Action.MANAGE_GOALS if unit is None else Action.MANAGE_PLANS


def _holder_title(holder, position: Position) -> str:
    prefix = {"plt": "Plt. ", "plh": "Plh. "}.get(holder.acting, "")
    return f"{prefix}{position.title}"


def _given_party(data: dict[str, Any], side: str) -> dict[str, str]:
    return {
        f"{side}_{key}": str(data.get(f"{side}_{key}") or "").strip()[: 300 if key != "nip" else 18]
        for key in PARTY_FIELDS
    }


def head_post_on(unit: OrgUnit, on: dt.date) -> Position | None:
    """The head post of ``unit`` in force on ``on``."""
    posts = Position.objects.filter(unit=unit, is_head=True).order_by("-valid_from", "pk")
    for post in posts:
        if (post.valid_from is None or post.valid_from <= on) and (
            post.valid_to is None or post.valid_to >= on
        ):
            return post
    return None


def agreement_parties(
    unit: OrgUnit | None, on: dt.date, data: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The parties of an agreement dated ``on``, read from the reporting lines of that day.

    A unit's first party holds (or acts in) its head post, the second is the one above them
    up the lines; when nobody is (the head of an agency), ``data`` names the second party
    (``second_party_name``, ``_nip``, ``_title``: the governor). The province's agreement
    names its first party (the governor) in ``data``; it has no second party unless given."""
    data = data or {}
    if unit is None:
        first = _given_party(data, "first_party")
        if not first["first_party_name"]:
            raise ValidationError({"first_party_name": _("Name the governor (the first party).")})
        if not first["first_party_title"]:
            raise ValidationError({"first_party_title": _("Give the first party's title.")})
        return {
            "head_post": None,
            "first_party": None,
            **first,
            "second_party": None,
            **_given_party(data, "second_party"),
        }
    post = head_post_on(unit, on)
    if post is None:
        raise ValidationError(
            {
                "unit": _(
                    "%(unit)s has no head post on %(date)s: an agreement is made by the head "
                    "of a unit."
                )
                % {"unit": unit.name, "date": on.isoformat()}
            }
        )
    holders = holders_of(post, on)
    if not holders:
        raise ValidationError(
            {
                "agreement_date": _(
                    "Nobody holds or acts in the post %(post)s on %(date)s: appoint an acting "
                    "official or choose another date."
                )
                % {"post": post.title, "date": on.isoformat()}
            }
        )
    first = holders[0]
    out = {
        "head_post": post,
        "first_party": first.employee,
        "first_party_name": first.employee.display_name[:300],
        "first_party_nip": first.employee.nip or "",
        "first_party_title": _holder_title(first, post)[:300],
    }
    boss = superior_of_post(post, on, skip=first.employee.pk)
    if boss is None:
        given = _given_party(data, "second_party")
        if not given["second_party_name"] or not given["second_party_title"]:
            raise ValidationError(
                {
                    "second_party_name": _(
                        "The post %(post)s reports to nobody on %(date)s: name the second "
                        "party and their title (for the head of an agency, the governor)."
                    )
                    % {"post": post.title, "date": on.isoformat()}
                }
            )
        return {**out, "second_party": None, **given}
    boss_post = Position.objects.get(pk=boss.position_id)
    return {
        **out,
        "second_party": boss.employee,
        "second_party_name": boss.employee.display_name[:300],
        "second_party_nip": boss.employee.nip or "",
        "second_party_title": _holder_title(boss, boss_post)[:300],
    }


def _check_agreement_date(year: int, on: Any) -> None:
    if not isinstance(on, dt.date):
        raise ValidationError({"agreement_date": _("Give the date of the agreement.")})
    if on.year not in (year - 1, year):
        raise ValidationError(
            {
                "agreement_date": _(
                    "An agreement for %(year)d is dated in %(year)d or in %(before)d."
                )
                % {"year": year, "before": year - 1}
            }
        )


def lock_version(rows, pk: int, version: Any, *, give: str, stale: str):
    """Row ``pk`` of ``rows`` (a ``select_for_update`` queryset), locked, if ``version`` is the one
    its author saw: the optimistic lock of every versioned planning document. ``give`` is the
    message for a missing version, ``stale`` the conflict's (with ``%(seen)d`` and ``%(now)d``).
    """
    locked = rows.get(pk=pk)
    if not isinstance(version, int) or isinstance(version, bool):
        raise ValidationError({"version": give})
    if version != locked.version:
        raise Conflict({"version": stale % {"seen": version, "now": locked.version}})
    return locked


def bump_version(obj, *fields: str) -> None:
    """Save ``fields`` of a versioned document with its next version."""
    obj.version += 1
    obj.save(update_fields=[*fields, "version", "updated_at"])


def _lock(agreement: Agreement, version: Any) -> Agreement:
    """The agreement's row, locked, if ``version`` is the one its author saw."""
    return lock_version(
        Agreement.objects.select_for_update(),
        agreement.pk,
        version,
        give=_("Give the version of the agreement you saw."),
        stale=_(
            "Someone changed this agreement after you opened it (you saw version "
            "%(seen)d, it is now at version %(now)d). Reload it and make your change "
            "again."
        ),
    )


def _check_draft(agreement: Agreement) -> None:
    if agreement.status == AgreementStatus.SIGNED:
        raise ValidationError(
            _(
                "This agreement is signed and no longer changes. To change it, start a "
                "revision and give the reason for it."
            )
        )
    if agreement.status != AgreementStatus.DRAFT:
        raise ValidationError(
            _("Only a draft agreement is edited: this one is %(status)s.")
            % {"status": agreement.get_status_display().lower()}
        )


_bump = bump_version


@transaction.atomic
def agreement_create(*, actor, scope: Scope, instansi: Instansi, data: dict[str, Any]) -> Agreement:
    """Start the draft agreement of a unit (or of the province, no unit) for a year, its
    parties read from the reporting lines on its date."""
    unit = data.get("unit")
    _same_instansi(instansi.pk, unit)
    _require_unit(scope, _agreement_action(unit), unit)
    year = data.get("year")
    _check_year(year)
    on = data.get("agreement_date")
    _check_agreement_date(year, on)
    taken = ValidationError(
        {
            "year": _(
                "This owner already has an agreement for %(year)d: open it, or revise it "
                "once signed."
            )
            % {"year": year}
        }
    )
    current = Agreement.objects.filter(instansi=instansi, unit=unit, year=year, is_current=True)
    if current.exists():
        raise taken
    agreement = Agreement(
        instansi=instansi,
        unit=unit,
        year=year,
        agreement_date=on,
        **agreement_parties(unit, on, data),
    )
    try:
        # Two drafts started at the same moment: the database's one-current-agreement
        # constraint refuses the second, which gets the same message as above.
        with transaction.atomic():
            agreement.save()
    except IntegrityError:
        raise taken from None
    record(
        actor=actor,
        action="agreement.create",
        target=agreement,
        unit=unit,
        changes={"year": [None, year], **diff({}, _snapshot(agreement, AGREEMENT_FIELDS))},
    )
    return agreement


@transaction.atomic
def agreement_update(
    *, actor, scope: Scope, agreement: Agreement, version: Any, data: dict[str, Any]
) -> Agreement:
    """Change a draft's date (its parties are read again for the new date) or the parties
    that are named by hand (the governor, a second party above the lines)."""
    _require_unit(scope, _agreement_action(agreement.unit), agreement.unit)
    agreement = _lock(agreement, version)
    _check_draft(agreement)
    before = _snapshot(agreement, AGREEMENT_FIELDS)
    on = data.get("agreement_date") or agreement.agreement_date
    _check_agreement_date(agreement.year, on)
    given = {
        f"{side}_{key}": data.get(f"{side}_{key}", getattr(agreement, f"{side}_{key}"))
        for side in ("first_party", "second_party")
        for key in PARTY_FIELDS
    }
    agreement.agreement_date = on
    for key, value in agreement_parties(agreement.unit, on, given).items():
        setattr(agreement, key, value)
    _bump(agreement, *AGREEMENT_FIELDS)
    record(
        actor=actor,
        action="agreement.update",
        target=agreement,
        unit=agreement.unit,
        changes=diff(before, _snapshot(agreement, AGREEMENT_FIELDS)),
    )
    return agreement


def eligible_targets(agreement: Agreement):
    """The targets an agreement may hold: the owner's targets of its year; for the province,
    those of the indicators in the province's key-indicator set covering the year."""
    targets = Target.objects.filter(instansi_id=agreement.instansi_id, year=agreement.year)
    if agreement.unit_id is not None:
        return targets.filter(indicator__unit_id=agreement.unit_id, indicator__goal__isnull=False)
    in_set = KeyIndicatorSetItem.objects.filter(
        key_set__instansi_id=agreement.instansi_id,
        key_set__unit__isnull=True,
        key_set__first_year__lte=agreement.year,
        key_set__last_year__gte=agreement.year,
    ).values("indicator_id")
    return targets.filter(indicator__unit__isnull=True, indicator_id__in=in_set)


@transaction.atomic
def agreement_set_targets(
    *, actor, scope: Scope, agreement: Agreement, version: Any, targets: list[Target]
) -> Agreement:
    """Replace the draft's targets, in the order given, each with the goal it serves."""
    _require_unit(scope, _agreement_action(agreement.unit), agreement.unit)
    agreement = _lock(agreement, version)
    _check_draft(agreement)
    allowed = set(eligible_targets(agreement).values_list("pk", flat=True))
    seen: set[int] = set()
    for i, target in enumerate(targets):
        if target.pk in seen:
            raise ValidationError(
                {f"targets.{i}": _("%(target)s is listed twice.") % {"target": target}}
            )
        seen.add(target.pk)
        if target.pk not in allowed:
            raise ValidationError(
                {
                    f"targets.{i}": (
                        _(
                            "%(target)s is not a target of the province's key indicators "
                            "(IKU) for %(year)d."
                        )
                        if agreement.unit_id is None
                        else _("%(target)s is not a target of this unit for %(year)d.")
                    )
                    % {"target": target, "year": agreement.year}
                }
            )
    before = list(agreement.targets.order_by("position", "pk").values_list("target_id", flat=True))
    # Rows of targets kept stay (with their action plan); a removed target with actions is
    # refused rather than dropping its plan.
    kept = {row.target_id: row for row in agreement.targets.all()}
    removed = [row for tid, row in kept.items() if tid not in seen]
    for row in removed:
        if row.actions.exists():
            raise ValidationError(
                {
                    "targets": _(
                        "%(target)s has an action plan: remove its actions before removing "
                        "the target."
                    )
                    % {"target": row.target}
                }
            )
    AgreementTarget.objects.filter(pk__in=[row.pk for row in removed]).delete()
    rows = Target.objects.select_related("indicator").in_bulk([t.pk for t in targets])
    AgreementTarget.objects.bulk_create(
        AgreementTarget(
            agreement=agreement,
            target_id=t.pk,
            goal_id=rows[t.pk].indicator.goal_id,
            position=i + 1,
        )
        for i, t in enumerate(targets)
        if t.pk not in kept
    )
    for i, t in enumerate(targets):
        row = kept.get(t.pk)
        if row is not None and row.position != i + 1:
            row.position = i + 1
            row.save(update_fields=["position"])
    _bump(agreement)
    record(
        actor=actor,
        action="agreement.targets",
        target=agreement,
        unit=agreement.unit,
        changes={"targets": [before or None, [t.pk for t in targets]]},
    )
    return agreement


def _clean_programs(programs: list[dict[str, Any]]) -> list[AgreementProgram]:
    out = []
    for i, row in enumerate(programs):
        name = str(row.get("name") or "").strip()
        if not name:
            raise ValidationError({f"programs.{i}.name": _("Give the program's name.")})
        if len(name) > 500:
            raise ValidationError({f"programs.{i}.name": _("At most 500 characters.")})
        budget = _number(row.get("budget"), f"programs.{i}.budget")
        if budget is None:
            raise ValidationError({f"programs.{i}.budget": _("Give the budget in rupiah.")})
        if budget < 0 or budget >= BUDGET_LIMIT or budget != budget.quantize(Decimal("0.01")):
            raise ValidationError(
                {
                    f"programs.{i}.budget": _(
                        "Give a budget from 0 to below 10^16 rupiah, at most 2 decimal places."
                    )
                }
            )
        sipd = str(row.get("sipd_code") or "").strip()
        note = str(row.get("note") or "").strip()
        if len(sipd) > 60:
            raise ValidationError({f"programs.{i}.sipd_code": _("At most 60 characters.")})
        if len(note) > 500:
            raise ValidationError({f"programs.{i}.note": _("At most 500 characters.")})
        out.append(
            AgreementProgram(position=i + 1, name=name, sipd_code=sipd, budget=budget, note=note)
        )
    return out


@transaction.atomic
def agreement_set_programs(
    *, actor, scope: Scope, agreement: Agreement, version: Any, programs: list[dict[str, Any]]
) -> Agreement:
    """Replace the draft's program and budget table (rows of name, SIPD code, budget, note)."""
    _require_unit(scope, _agreement_action(agreement.unit), agreement.unit)
    agreement = _lock(agreement, version)
    _check_draft(agreement)
    rows = _clean_programs(programs)
    before = [[p.name, f"{p.budget:f}"] for p in agreement.programs.order_by("position", "pk")]
    agreement.programs.all().delete()
    for row in rows:
        row.agreement = agreement
    AgreementProgram.objects.bulk_create(rows)
    _bump(agreement)
    record(
        actor=actor,
        action="agreement.programs",
        target=agreement,
        unit=agreement.unit,
        changes={"programs": [before or None, [[r.name, f"{r.budget:f}"] for r in rows]]},
    )
    return agreement


def _step(
    agreement: Agreement, version: Any, want: str, to: str, message: str
) -> tuple[Agreement, str]:
    agreement = _lock(agreement, version)
    if agreement.status == AgreementStatus.SIGNED:
        _check_draft(agreement)
    if agreement.status != want:
        raise ValidationError(
            {"status": _(message) % {"status": agreement.get_status_display().lower()}}
        )
    before = agreement.status
    agreement.status = to
    return agreement, before


@transaction.atomic
def agreement_submit(*, actor, scope: Scope, agreement: Agreement, version: Any) -> Agreement:
    """Send a draft for approval: it needs at least one target."""
    _require_unit(scope, _agreement_action(agreement.unit), agreement.unit)
    agreement, before = _step(
        agreement,
        version,
        AgreementStatus.DRAFT,
        AgreementStatus.SUBMITTED,
        gettext_noop("Only a draft is submitted: this agreement is %(status)s."),
    )
    if not agreement.targets.exists():
        raise ValidationError({"targets": _("Add at least one target before submitting.")})
    _bump(agreement, "status")
    record(
        actor=actor,
        action="agreement.submit",
        target=agreement,
        unit=agreement.unit,
        changes={"status": [before, agreement.status]},
    )
    return agreement


def _require_second_side(scope: Scope, agreement: Agreement) -> None:
    """Approving and signing is the second party's side: a role that keeps the unit's plans
    (manage_plans over it) or Bappeda; for the province, who keeps the regional plan."""
    unit = agreement.unit
    if unit is None:
        _instansi_wide(scope, Action.MANAGE_GOALS)
    elif not scope.can(Action.MANAGE_PLANS, unit.path):
        raise PermissionDenied(_("You may not approve or sign this unit's agreement."))


@transaction.atomic
def agreement_approve(*, actor, scope: Scope, agreement: Agreement, version: Any) -> Agreement:
    """Approve a submitted agreement (the second party's side)."""
    _require_second_side(scope, agreement)
    agreement, before = _step(
        agreement,
        version,
        AgreementStatus.SUBMITTED,
        AgreementStatus.APPROVED,
        gettext_noop("Only a submitted agreement is approved: this one is %(status)s."),
    )
    _bump(agreement, "status")
    record(
        actor=actor,
        action="agreement.approve",
        target=agreement,
        unit=agreement.unit,
        changes={"status": [before, agreement.status]},
    )
    return agreement


@transaction.atomic
def agreement_sign(*, actor, scope: Scope, agreement: Agreement, version: Any) -> Agreement:
    """Sign an approved agreement: its targets' shapes and values are copied into it (a
    later change of a target leaves the signed agreement as it was) and it no longer
    changes."""
    _require_second_side(scope, agreement)
    agreement, before = _step(
        agreement,
        version,
        AgreementStatus.APPROVED,
        AgreementStatus.SIGNED,
        gettext_noop("Only an approved agreement is signed: this one is %(status)s."),
    )
    rows = list(agreement.targets.select_related("target__indicator", "goal"))
    for row in rows:
        target, indicator = row.target, row.target.indicator
        row.goal_name = row.goal.name
        row.indicator_name = indicator.name
        row.measure_unit = indicator.measure_unit
        for key in ("shape", "value", "low", "high", "expectation"):
            setattr(row, key, getattr(target, key))
    AgreementTarget.objects.bulk_update(
        rows,
        [
            "goal_name",
            "indicator_name",
            "measure_unit",
            "shape",
            "value",
            "low",
            "high",
            "expectation",
        ],
    )
    agreement.signed_at = timezone.now()
    _bump(agreement, "status", "signed_at")
    record(
        actor=actor,
        action="agreement.sign",
        target=agreement,
        unit=agreement.unit,
        changes={"status": [before, agreement.status], "targets": [None, len(rows)]},
    )
    return agreement


@transaction.atomic
def agreement_revise(
    *, actor, scope: Scope, agreement: Agreement, version: Any, reason: str
) -> Agreement:
    """Start revision n+1 of a signed agreement: a draft copy of its parties, targets and
    programs, which becomes the current one; the signed revision stays as it was."""
    _require_unit(scope, _agreement_action(agreement.unit), agreement.unit)
    old = _lock(agreement, version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the revision.")})
    if old.status != AgreementStatus.SIGNED:
        raise ValidationError(
            {"status": _("Only a signed agreement is revised: change the draft instead.")}
        )
    if not old.is_current:
        raise ValidationError(
            {"status": _("A later revision of this agreement exists: revise that one.")}
        )
    old.is_current = False
    _bump(old, "is_current")
    new = Agreement.objects.create(
        instansi_id=old.instansi_id,
        unit=old.unit,
        year=old.year,
        revision=old.revision + 1,
        previous=old,
        revision_reason=reason[:2000],
        **{name: getattr(old, name) for name in AGREEMENT_FIELDS if name != "status"},
    )
    AgreementTarget.objects.bulk_create(
        AgreementTarget(
            agreement=new, target_id=r.target_id, goal_id=r.goal_id, position=r.position
        )
        for r in old.targets.all()
    )
    AgreementProgram.objects.bulk_create(
        AgreementProgram(
            agreement=new,
            position=p.position,
            name=p.name,
            sipd_code=p.sipd_code,
            budget=p.budget,
            note=p.note,
        )
        for p in old.programs.all()
    )
    from .actions import actions_copy  # the action plan follows its agreement

    actions_copy(old, new)
    record(
        actor=actor,
        action="agreement.revise",
        target=new,
        unit=new.unit,
        changes={"revision": [old.revision, new.revision]},
        reason=reason,
    )
    return new
