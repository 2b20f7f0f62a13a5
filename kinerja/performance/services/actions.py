"""Every write of the action plan (rencana aksi) under a performance agreement: atomic,
checked, audited, version-locked. The plan of a draft agreement changes; a signed agreement's
plan changes only through a revision (its actions are copied to the new draft). Progress is
entered on the current revision, inside an open sub-period or a late-entry window of the
action's responsible unit."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import diff, record
from kinerja.core.scope import Action as Perm
from kinerja.core.scope import Scope
from kinerja.organisations.models import OrgUnit

from ..models import (
    MAX_ACTION_DEPTH,
    Action,
    ActionProgress,
    ActionSchedule,
    Agreement,
    AgreementTarget,
    Period,
    SubPeriod,
    funding_source_choices,
)
from ..selectors import can_enter
from . import (
    BUDGET_LIMIT,
    Conflict,
    _agreement_action,
    _check_draft,
    _require_unit,
    _snapshot,
    lock_version,
)

ACTION_FIELDS = (
    "parent",
    "code",
    "position",
    "text",
    "unit",
    "program_code",
    "activity_code",
    "sub_activity_code",
    "budget",
    "spending",
    "funding_source",
)
# SIPD nomenclature (Permendagri 90/2019, Kepmendagri 050-5889/2021): urusan.bidang.program,
# then .kegiatan (a digit and two), then .sub-kegiatan (two); e.g. 1.01.02.2.01.01. An urusan
# or bidang shared by several is written X.
SIPD_FORMATS = {
    "program_code": (re.compile(r"[0-9X]\.[0-9X]{2}\.[0-9]{2}"), "X.XX.XX"),
    "activity_code": (re.compile(r"[0-9X]\.[0-9X]{2}\.[0-9]{2}\.[0-9]\.[0-9]{2}"), "X.XX.XX.X.XX"),
    "sub_activity_code": (
        re.compile(r"[0-9X]\.[0-9X]{2}\.[0-9]{2}\.[0-9]\.[0-9]{2}\.[0-9]{2}"),
        "X.XX.XX.X.XX.XX",
    ),
}
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


# Checks ------------------------------------------------------------------------------------


def _plan_action(agreement: Agreement) -> str:
    return _agreement_action(agreement.unit)


def _lock_agreement(agreement: Agreement) -> Agreement:
    """The agreement's row, locked (a sign or revise of it waits for the write, or the write
    for it), and still a draft."""
    locked = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=agreement.pk)
    )
    try:
        _check_draft(locked)
    except ValidationError as exc:
        raise ValidationError({"agreement": exc.messages}) from None
    return locked


def _lock_action(action: Action, version: Any) -> Action:
    return lock_version(
        Action.objects.select_for_update(),
        action.pk,
        version,
        give=_("Give the version of the action you saw."),
        stale=_(
            "Someone changed this action after you opened it (you saw version "
            "%(seen)d, it is now at version %(now)d). Reload it and make your change "
            "again."
        ),
    )


def _money(value: Any, field: str) -> Decimal:
    if value is None or value == "":
        return Decimal(0)
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        number = None
    if (
        number is None
        or not number.is_finite()
        or number < 0
        or number >= BUDGET_LIMIT
        or number != number.quantize(CENT)
    ):
        raise ValidationError(
            {field: _("Give an amount from 0 to below 10^16 rupiah, at most 2 decimal places.")}
        )
    return number


def _percent(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        number = None
    if value is None or value == "" or number is None or not number.is_finite():
        raise ValidationError({field: _("Give a percentage from 0 to 100.")})
    if not 0 <= number <= HUNDRED or number != number.quantize(CENT):
        raise ValidationError(
            {field: _("Give a percentage from 0 to 100, at most 2 decimal places.")}
        )
    return number


def _text(data: dict[str, Any], field: str, limit: int, *, required: bool = False) -> str:
    value = str(data.get(field) or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > limit:
        raise ValidationError({field: _("At most %(limit)d characters.") % {"limit": limit}})
    return value


def check_sipd(codes: dict[str, str]) -> None:
    """Refuse a SIPD code of the wrong shape, or an activity outside its program (a
    sub-activity outside its activity)."""
    for field, (pattern, shape) in SIPD_FORMATS.items():
        code = codes.get(field, "")
        if code and not pattern.fullmatch(code):
            raise ValidationError(
                {
                    field: _("Write the SIPD code as %(shape)s, e.g. %(example)s.")
                    % {"shape": shape, "example": "1.01.02.2.01.01"[: len(shape)]}
                }
            )
    program, activity, sub = (codes.get(f, "") for f in SIPD_FORMATS)
    if program and activity and not activity.startswith(program + "."):
        raise ValidationError(
            {
                "activity_code": _("The activity %(code)s is not under the program %(program)s.")
                % {"code": activity, "program": program}
            }
        )
    if activity and sub and not sub.startswith(activity + "."):
        raise ValidationError(
            {
                "sub_activity_code": _(
                    "The sub-activity %(code)s is not under the activity %(activity)s."
                )
                % {"code": sub, "activity": activity}
            }
        )


def _in_agreement_unit(agreement: Agreement, unit: OrgUnit) -> bool:
    if unit.instansi_id != agreement.instansi_id:
        return False
    return agreement.unit_id is None or unit.path.startswith(agreement.unit.path)


def _clean_action(action: Action, agreement: Agreement, data: dict[str, Any]) -> None:
    """Set the fields of ``action`` from ``data`` (the keys given), checked."""
    if "code" in data or action.pk is None:
        action.code = _text(data, "code", 40, required=True)
    if "text" in data or action.pk is None:
        action.text = _text(data, "text", 1000, required=True)
    if "position" in data:
        position = data.get("position") or 0
        if not isinstance(position, int) or isinstance(position, bool) or not 0 <= position < 2**15:
            raise ValidationError({"position": _("Give a whole number from 0.")})
        action.position = position
    if "unit" in data or action.pk is None:
        unit = data.get("unit")
        if not isinstance(unit, OrgUnit):
            raise ValidationError({"unit": _("Choose the responsible unit.")})
        if not _in_agreement_unit(agreement, unit):
            raise ValidationError(
                {
                    "unit": _("The responsible unit is %(unit)s or one of its sub-units.")
                    % {"unit": agreement.unit.name if agreement.unit_id else _("the instansi")}
                }
            )
        action.unit = unit
    if "parent" in data or action.pk is None:
        parent = data.get("parent")
        if parent is None:
            action.parent, action.level = None, 1
        else:
            if not isinstance(parent, Action) or parent.agreement_id != agreement.pk:
                raise ValidationError({"parent": _("The parent is an action of this agreement.")})
            if parent.agreement_target_id != action.agreement_target_id:
                raise ValidationError(
                    {"parent": _("The parent action serves another target of the agreement.")}
                )
            if parent.level >= MAX_ACTION_DEPTH:
                raise ValidationError(
                    {
                        "parent": _("An action plan has at most %(n)d levels.")
                        % {"n": MAX_ACTION_DEPTH}
                    }
                )
            if action.pk is not None:
                ancestor = parent
                while ancestor is not None:
                    if ancestor.pk == action.pk:
                        raise ValidationError({"parent": _("An action cannot be under itself.")})
                    ancestor = ancestor.parent
                if _depth_below(action) + parent.level + 1 > MAX_ACTION_DEPTH:
                    raise ValidationError(
                        {
                            "parent": _("An action plan has at most %(n)d levels.")
                            % {"n": MAX_ACTION_DEPTH}
                        }
                    )
            action.parent, action.level = parent, parent.level + 1
    codes = {}
    for field in SIPD_FORMATS:
        if field in data:
            setattr(action, field, _text(data, field, 40))
        codes[field] = getattr(action, field)
    check_sipd(codes)
    for field in ("budget", "spending"):
        if field in data:
            setattr(action, field, _money(data.get(field), field))
    if "funding_source" in data:
        source = str(data.get("funding_source") or "")
        if source and source not in dict(funding_source_choices()):
            raise ValidationError({"funding_source": _("Choose a funding source from the list.")})
        action.funding_source = source
    clash = Action.objects.filter(agreement=agreement, code=action.code).exclude(pk=action.pk)
    if clash.exists():
        raise ValidationError(
            {"code": _("This agreement already has an action %(code)s.") % {"code": action.code}}
        )


def _depth_below(action: Action) -> int:
    """How many levels of sub-actions hang under ``action`` (0 for none)."""
    depth, level = 0, [action.pk]
    while True:
        level = list(Action.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        if not level:
            return depth
        depth += 1


def _relevel(action: Action) -> None:
    """After a move: the levels of the sub-actions follow their parent's."""
    parents, level = [action.pk], action.level
    while parents:
        level += 1
        children = Action.objects.filter(parent_id__in=parents)
        children.update(level=level)
        parents = list(children.values_list("pk", flat=True))


def period_of(agreement: Agreement) -> Period:
    period = Period.objects.filter(instansi_id=agreement.instansi_id, year=agreement.year).first()
    if period is None:
        raise ValidationError(
            {
                "schedule": _("The year %(year)d has no period yet: set up the period first.")
                % {"year": agreement.year}
            }
        )
    return period


def clean_schedule(agreement: Agreement, rows: list[dict[str, Any]]) -> list[ActionSchedule]:
    """The rows of a schedule (``sub_period``: the number of the month or quarter,
    ``planned_output``, ``weight``), checked: each sub-period once, weights summing to 100.
    No rows: no schedule yet."""
    if not rows:
        return []
    sub_periods = {s.number: s for s in period_of(agreement).sub_periods.all()}
    out, total = [], Decimal(0)
    seen: set[int] = set()
    for i, row in enumerate(rows):
        number = row.get("sub_period")
        if isinstance(number, SubPeriod):
            number = number.number if number.pk in {s.pk for s in sub_periods.values()} else None
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = None
        if number not in sub_periods:
            raise ValidationError(
                {
                    f"schedule.{i}.sub_period": _("Give a sub-period from 1 to %(n)d.")
                    % {"n": len(sub_periods)}
                }
            )
        if number in seen:
            raise ValidationError(
                {f"schedule.{i}.sub_period": _("Sub-period %(n)d is listed twice.") % {"n": number}}
            )
        seen.add(number)
        weight = _percent(row.get("weight"), f"schedule.{i}.weight")
        total += weight
        out.append(
            ActionSchedule(
                sub_period=sub_periods[number],
                planned_output=_text(row, "planned_output", 500),
                weight=weight,
            )
        )
    if total != HUNDRED:
        raise ValidationError(
            {
                "schedule": _(
                    "The weights of an action's schedule sum to 100: these sum to %(total)s."
                )
                % {"total": f"{total.normalize():f}"}
            }
        )
    return out


def _schedule_snapshot(action: Action) -> list[list[Any]] | None:
    rows = action.schedule.order_by("sub_period__number").values_list(
        "sub_period__number", "weight"
    )
    return [[n, f"{w.normalize():f}"] for n, w in rows] or None


def _write_schedule(action: Action, rows: list[ActionSchedule]) -> None:
    action.schedule.all().delete()
    for row in rows:
        row.action = action
    ActionSchedule.objects.bulk_create(rows)


# Writes ------------------------------------------------------------------------------------


@transaction.atomic
def action_create(
    *,
    actor,
    scope: Scope,
    agreement_target: AgreementTarget,
    data: dict[str, Any],
    schedule: list[dict[str, Any]] | None = None,
) -> Action:
    """Add an action (under ``data["parent"]`` or at the top) to a target of a draft
    agreement, with its schedule when given."""
    agreement = agreement_target.agreement
    _require_unit(scope, _plan_action(agreement), agreement.unit)
    agreement = _lock_agreement(agreement)
    action = Action(
        instansi_id=agreement.instansi_id,
        agreement=agreement,
        agreement_target=agreement_target,
    )
    _clean_action(action, agreement, data)
    rows = clean_schedule(agreement, schedule or [])
    action.save()
    _write_schedule(action, rows)
    record(
        actor=actor,
        action="action.create",
        target=action,
        unit=agreement.unit,
        changes={
            **diff({}, _snapshot(action, ACTION_FIELDS)),
            "agreement": [None, agreement.pk],
            "schedule": [None, _schedule_snapshot(action)],
        },
    )
    return action


@transaction.atomic
def action_update(
    *,
    actor,
    scope: Scope,
    action: Action,
    version: Any,
    data: dict[str, Any],
    schedule: list[dict[str, Any]] | None = None,
) -> Action:
    """Change an action of a draft agreement (the keys of ``data`` given) and, when
    ``schedule`` is given, replace its schedule."""
    agreement = action.agreement
    _require_unit(scope, _plan_action(agreement), agreement.unit)
    agreement = _lock_agreement(agreement)
    action = _lock_action(action, version)
    before = _snapshot(action, ACTION_FIELDS)
    before_schedule = _schedule_snapshot(action)
    old_level = action.level
    _clean_action(action, agreement, data)
    rows = clean_schedule(agreement, schedule) if schedule is not None else None
    action.version += 1
    action.save()
    if action.level != old_level:
        _relevel(action)
    changes = diff(before, _snapshot(action, ACTION_FIELDS))
    if rows is not None:
        _write_schedule(action, rows)
        after_schedule = _schedule_snapshot(action)
        if after_schedule != before_schedule:
            changes["schedule"] = [before_schedule, after_schedule]
    record(actor=actor, action="action.update", target=action, unit=agreement.unit, changes=changes)
    return action


@transaction.atomic
def action_set_schedule(
    *, actor, scope: Scope, action: Action, version: Any, schedule: list[dict[str, Any]]
) -> Action:
    """Replace an action's schedule: its weights sum to 100."""
    return action_update(
        actor=actor, scope=scope, action=action, version=version, data={}, schedule=schedule
    )


@transaction.atomic
def action_delete(*, actor, scope: Scope, action: Action, version: Any) -> None:
    """Remove an action of a draft agreement, with its sub-actions, schedule and progress."""
    agreement = action.agreement
    _require_unit(scope, _plan_action(agreement), agreement.unit)
    agreement = _lock_agreement(agreement)
    action = _lock_action(action, version)
    before = _snapshot(action, ACTION_FIELDS)
    record(
        actor=actor,
        action="action.delete",
        target=action,
        unit=agreement.unit,
        changes=diff(before, {}),
    )
    action.delete()


def may_enter_progress(scope: Scope, action: Action) -> bool:
    """Progress is entered by who keeps the plans of the action's responsible unit."""
    return scope.can(Perm.MANAGE_PLANS, action.unit.path)


@transaction.atomic
def action_progress_enter(
    *,
    actor,
    scope: Scope,
    action: Action,
    sub_period: SubPeriod,
    data: dict[str, Any],
    version: Any = None,
    on: dt.date | None = None,
) -> ActionProgress:
    """Enter (or correct) an action's progress for a sub-period: ``progress`` (percent of
    that sub-period's plan done), ``note``, ``evidence_url``. A correction names the
    ``version`` of the entry it saw."""
    on = on or timezone.localdate()
    if not may_enter_progress(scope, action):
        raise PermissionDenied(_("You may not enter the progress of this unit's actions."))
    action = (
        Action.objects.select_for_update(of=("self",))
        .select_related("agreement", "unit")
        .get(pk=action.pk)
    )
    if not action.agreement.is_current:
        raise ValidationError(
            _("A later revision of this agreement exists: enter progress on that one.")
        )
    plan = action.schedule.filter(sub_period_id=sub_period.pk).first()
    if plan is None or plan.weight == 0:
        raise ValidationError(
            {"sub_period": _("This action plans nothing for %(sub)s.") % {"sub": sub_period.label}}
        )
    if not can_enter(unit=action.unit, sub_period=sub_period, on=on):
        raise ValidationError(
            {
                "sub_period": _("%(sub)s is closed and no late-entry window of the unit is open.")
                % {"sub": sub_period.label}
            }
        )
    progress = _percent(data.get("progress"), "progress")
    note = _text(data, "note", 5000)
    link = _text(data, "evidence_url", 500)
    if link and not re.match(r"https?://\S+$", link):
        raise ValidationError({"evidence_url": _("Give a web address (http:// or https://).")})
    row = (
        ActionProgress.objects.select_for_update(of=("self",))
        .filter(action=action, sub_period_id=sub_period.pk)
        .order_by("pk")
        .first()
    )
    before: dict[str, Any] = {}
    if row is None:
        row = ActionProgress(action=action, sub_period=sub_period)
    else:
        if version is not None and version != row.version:
            raise Conflict(
                {"version": _("Someone entered this progress after you opened it: reload it.")}
            )
        before = {
            "progress": f"{row.progress:f}",
            "note": row.note,
            "evidence_url": row.evidence_url,
        }
        row.version += 1
    row.progress, row.note, row.evidence_url = progress, note, link
    row.save()
    record(
        actor=actor,
        action="action.progress",
        target=action,
        unit=action.unit,
        changes={
            "sub_period": [None, sub_period.number],
            **diff(before, {"progress": f"{progress:f}", "note": note, "evidence_url": link}),
        },
    )
    return row


# The revision hook ---------------------------------------------------------------------------


def actions_copy(old: Agreement, new: Agreement) -> int:
    """Copy the action plan of ``old`` (with schedules and progress) to its revision ``new``,
    whose targets are copies of the old ones: called by ``agreement_revise``. Returns the
    number of actions copied."""
    targets = dict(new.targets.values_list("target_id", "pk"))
    old_targets = dict(old.targets.values_list("pk", "target_id"))
    actions = list(old.actions.order_by("level", "pk"))
    if not actions:
        return 0
    new_ids: dict[int, int] = {}
    for level in range(1, MAX_ACTION_DEPTH + 1):
        batch = [a for a in actions if a.level == level]
        copies = []
        for a in batch:
            copy = Action(
                instansi_id=a.instansi_id,
                agreement=new,
                agreement_target_id=targets[old_targets[a.agreement_target_id]],
                parent_id=new_ids.get(a.parent_id),
                level=a.level,
                **{f: getattr(a, f) for f in ACTION_FIELDS if f not in ("parent", "unit")},
                unit_id=a.unit_id,
            )
            copies.append(copy)
        Action.objects.bulk_create(copies)
        for a, copy in zip(batch, copies, strict=True):
            new_ids[a.pk] = copy.pk
    ActionSchedule.objects.bulk_create(
        ActionSchedule(
            action_id=new_ids[s.action_id],
            sub_period_id=s.sub_period_id,
            planned_output=s.planned_output,
            weight=s.weight,
        )
        for s in ActionSchedule.objects.filter(action__agreement=old)
    )
    ActionProgress.objects.bulk_create(
        ActionProgress(
            action_id=new_ids[p.action_id],
            sub_period_id=p.sub_period_id,
            progress=p.progress,
            note=p.note,
            evidence_url=p.evidence_url,
        )
        for p in ActionProgress.objects.filter(action__agreement=old)
    )
    return len(actions)
