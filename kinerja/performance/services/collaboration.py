"""Writes of collaborations (shared targets across agencies): atomic, checked, audited.

The lead unit's planners (manage_plans over it) start the collaboration, invite units and set
the weights; only the planners of an invited unit (its agency administrator, Bappeda) accept
or decline for it. Accepting makes the member's supporting result (an indicator and a target
of the member's plan) through the planning services, in the same transaction. The lead's
share plus the accepted members' weights always make 100 percent."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record
from kinerja.core.scope import Action, Scope
from kinerja.organisations.models import Instansi, OrgUnit

from .. import aggregates
from ..models import (
    Collaboration,
    CollaborationMember,
    CollaborationStatus,
    Goal,
    MemberStatus,
    Target,
)
from . import (
    _instansi_wide,
    _require_unit,
    _same_instansi,
    bump_version,
    indicator_create,
    lock_version,
    target_set,
)

HUNDRED = Decimal(100)
SUPPORT_MANUAL = (
    "measure_unit",
    "data_type",
    "polarity",
    "control_level",
    "reporting_frequency",
    "aggregation",
)
SUPPORT_TARGET = ("shape", "value", "low", "high", "expectation")


def _weight(value: Any, field: str, *, allow_zero: bool = False) -> Decimal:
    """A percentage with at most two decimals: above 0 (or from 0) up to 100."""
    try:
        number = Decimal(str(value)) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        raise ValidationError({field: _("Give the weight as a percentage.")})
    low_ok = number >= 0 if allow_zero else number > 0
    if not low_ok or number > HUNDRED or number != number.quantize(Decimal("0.01")):
        raise ValidationError(
            {
                field: _("Give a weight above 0 up to 100 percent, at most 2 decimal places.")
                if not allow_zero
                else _("Give a weight from 0 to 100 percent, at most 2 decimal places.")
            }
        )
    return number


def _pct(number: Decimal) -> str:
    return f"{number.normalize():f}"


def _lock(collaboration: Collaboration, version: Any) -> Collaboration:
    """The collaboration's row, locked, if ``version`` is the one its author saw."""
    return lock_version(
        Collaboration.objects.select_for_update(),
        collaboration.pk,
        version,
        give=_("Give the version of the collaboration you saw."),
        stale=_(
            "Someone changed this collaboration after you opened it (you saw version "
            "%(seen)d, it is now at version %(now)d). Reload it and try again."
        ),
    )


_bump = bump_version


def _check_open(collaboration: Collaboration) -> None:
    if collaboration.status != CollaborationStatus.OPEN:
        raise ValidationError({"status": _("This collaboration is closed: it no longer changes.")})


def _require_lead(scope: Scope, collaboration: Collaboration) -> None:
    if not scope.can(Action.MANAGE_PLANS, collaboration.lead_unit.path):
        raise PermissionDenied(_("Only the lead unit's planners may do this."))


def _require_member(scope: Scope, member: CollaborationMember) -> None:
    if not scope.can(Action.MANAGE_PLANS, member.unit.path):
        raise PermissionDenied(
            _("Only the planners of the invited unit may accept or decline for it.")
        )


def _pending(collaboration: Collaboration, exclude: int | None = None) -> Decimal:
    qs = collaboration.members.filter(status=MemberStatus.INVITED)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return sum((m.weight for m in qs), Decimal(0))


@transaction.atomic
def collaboration_create(
    *, actor, scope: Scope, instansi: Instansi, data: dict[str, Any]
) -> Collaboration:
    """Share ``target``: its indicator's agency leads (manage_plans over it); the province's
    own target (no agency) gets the lead unit named in ``lead_unit``, by a role keeping the
    regional plan (manage_goals across the instansi). The lead's share starts at 100."""
    target = data.get("target")
    if not isinstance(target, Target):
        raise ValidationError({"target": _("Choose the target to share.")})
    _same_instansi(instansi.pk, target)
    indicator = target.indicator
    if indicator.unit_id is None:
        lead = data.get("lead_unit")
        if not isinstance(lead, OrgUnit):
            raise ValidationError(
                {"lead_unit": _("The province's target needs a lead agency: choose it.")}
            )
        _same_instansi(instansi.pk, lead)
        if lead.parent_id is not None:
            raise ValidationError({"lead_unit": _("The lead unit is an agency.")})
        _instansi_wide(scope, Action.MANAGE_GOALS)
    else:
        lead = indicator.unit
        given = data.get("lead_unit")
        if given is not None and given != lead:
            raise ValidationError(
                {"lead_unit": _("The agency whose indicator holds the target leads.")}
            )
        _require_unit(scope, Action.MANAGE_PLANS, lead)
    title = str(data.get("title") or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the collaboration a title.")})
    if len(title) > 300:
        raise ValidationError({"title": _("At most 300 characters.")})
    taken = ValidationError({"target": _("This target is already shared in a collaboration.")})
    if Collaboration.objects.filter(target=target).exists():
        raise taken
    collaboration = Collaboration(
        instansi=instansi,
        target=target,
        lead_unit=lead,
        title=title,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    try:
        with transaction.atomic():
            collaboration.save()
    except IntegrityError:
        raise taken from None
    record(
        actor=actor,
        action="collaboration.create",
        target=collaboration,
        unit=lead,
        changes={
            "target": [None, target.pk],
            "lead_unit": [None, lead.pk],
            "title": [None, title],
            "lead_weight": [None, "100"],
        },
    )
    # The lead now counts the target with its share (a province target gains an agency).
    old = {(indicator.unit_id, target.year)} if indicator.unit_id else set()
    aggregates.refresh_targets([target], agencies=old)
    return collaboration


@transaction.atomic
def collaboration_invite(
    *,
    actor,
    scope: Scope,
    collaboration: Collaboration,
    version: Any,
    unit: OrgUnit,
    weight: Any,
) -> CollaborationMember:
    """Invite an agency with its proposed weight. The weights still waiting for an answer
    must fit in the lead's share, so that each acceptance keeps the total at 100."""
    _require_lead(scope, collaboration)
    collaboration = _lock(collaboration, version)
    _check_open(collaboration)
    if not isinstance(unit, OrgUnit):
        raise ValidationError({"unit": _("Choose the agency to invite.")})
    _same_instansi(collaboration.instansi_id, unit)
    if unit.parent_id is not None:
        raise ValidationError({"unit": _("Invite an agency (a unit at the top of the tree).")})
    if unit.pk == collaboration.lead_unit_id:
        raise ValidationError({"unit": _("The lead unit is already in the collaboration.")})
    weight = _weight(weight, "weight")
    member = CollaborationMember.objects.filter(collaboration=collaboration, unit=unit).first()
    if member is not None and member.status != MemberStatus.DECLINED:
        raise ValidationError(
            {
                "unit": _("%(unit)s is already %(status)s.")
                % {"unit": unit.name, "status": member.get_status_display().lower()}
            }
        )
    free = collaboration.lead_weight - _pending(collaboration)
    if weight > free:
        raise ValidationError(
            {
                "weight": _(
                    "The lead's share has %(free)s percent left for invitations; lower the "
                    "weight or the other invitations."
                )
                % {"free": _pct(free)}
            }
        )
    before = None
    if member is None:
        member = CollaborationMember(collaboration=collaboration, unit=unit)
    else:
        before = [member.status, _pct(member.weight)]
    member.weight = weight
    member.status = MemberStatus.INVITED
    member.reason = ""
    member.invited_by = actor if getattr(actor, "pk", None) else None
    member.invited_at = timezone.now()
    member.answered_by = None
    member.answered_at = None
    member.save()
    _bump(collaboration)
    record(
        actor=actor,
        action="collaboration.invite",
        target=collaboration,
        unit=collaboration.lead_unit,
        changes={"members": [None, {str(unit.pk): [before, ["invited", _pct(weight)]]}]},
    )
    return member


def _supporting_data(shared: Target, data: dict[str, Any]) -> tuple[dict, dict]:
    """The supporting indicator (manual fields taken from the shared indicator unless given)
    and its target (the shared target's shape and numbers unless given)."""
    source = shared.indicator
    indicator = {name: data.get(name) or getattr(source, name) for name in SUPPORT_MANUAL}
    indicator.update(goal=data.get("goal"), code=data.get("code"), name=data.get("name"))
    target = {name: getattr(shared, name) for name in SUPPORT_TARGET}
    if any(data.get(name) not in (None, "") for name in SUPPORT_TARGET):
        target = {name: data.get(name) for name in SUPPORT_TARGET}
    return indicator, target


@transaction.atomic
def collaboration_accept(
    *,
    actor,
    scope: Scope,
    member: CollaborationMember,
    version: Any,
    data: dict[str, Any],
) -> CollaborationMember:
    """Accept an invitation for the member unit (manage_plans over it): its supporting result
    is made in the member's plan (``goal`` of the member agency, ``code``, ``name``, and the
    target's ``value`` or ``low``/``high`` or ``expectation``, the shared target's unless
    given) and the lead's share gives up the member's weight."""
    _require_member(scope, member)
    collaboration = _lock(member.collaboration, version)
    _check_open(collaboration)
    member = CollaborationMember.objects.select_for_update().get(pk=member.pk)
    if member.status != MemberStatus.INVITED:
        raise ValidationError(
            {
                "status": _("Only an invitation is answered: this one is %(status)s.")
                % {"status": member.get_status_display().lower()}
            }
        )
    if member.weight > collaboration.lead_weight:
        raise ValidationError(
            {
                "weight": _(
                    "The lead's share (%(lead)s percent) is below this weight: ask the lead "
                    "to set the weights again."
                )
                % {"lead": _pct(collaboration.lead_weight)}
            }
        )
    goal = data.get("goal")
    if not isinstance(goal, Goal):
        raise ValidationError({"goal": _("Choose the member's goal the result serves.")})
    if goal.unit_id != member.unit_id:
        raise ValidationError(
            {
                "goal": _("The supporting result belongs to a goal of %(unit)s.")
                % {"unit": member.unit.name}
            }
        )
    shared = Target.objects.select_related("indicator").get(pk=collaboration.target_id)
    indicator_data, target_data = _supporting_data(shared, data)
    indicator = indicator_create(
        actor=actor, scope=scope, instansi=member.unit.instansi, data=indicator_data
    )
    target = target_set(
        actor=actor, scope=scope, indicator=indicator, year=shared.year, data=target_data
    )
    member.status = MemberStatus.ACCEPTED
    member.answered_by = actor if getattr(actor, "pk", None) else None
    member.answered_at = timezone.now()
    member.supporting_target = target
    member.save(update_fields=["status", "answered_by", "answered_at", "supporting_target"])
    before = collaboration.lead_weight
    collaboration.lead_weight = before - member.weight
    _bump(collaboration, "lead_weight")
    record(
        actor=actor,
        action="collaboration.accept",
        target=collaboration,
        unit=member.unit,
        changes={
            "members": [None, {str(member.unit_id): ["invited", "accepted"]}],
            "lead_weight": [_pct(before), _pct(collaboration.lead_weight)],
            "supporting_target": [None, target.pk],
        },
    )
    aggregates.refresh_targets([collaboration.target_id, target.pk])
    return member


@transaction.atomic
def collaboration_decline(
    *, actor, scope: Scope, member: CollaborationMember, version: Any, reason: str
) -> CollaborationMember:
    """Decline an invitation for the member unit (manage_plans over it), with the reason."""
    _require_member(scope, member)
    collaboration = _lock(member.collaboration, version)
    _check_open(collaboration)
    member = CollaborationMember.objects.select_for_update().get(pk=member.pk)
    if member.status != MemberStatus.INVITED:
        raise ValidationError(
            {
                "status": _("Only an invitation is answered: this one is %(status)s.")
                % {"status": member.get_status_display().lower()}
            }
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for declining.")})
    member.status = MemberStatus.DECLINED
    member.reason = reason[:2000]
    member.answered_by = actor if getattr(actor, "pk", None) else None
    member.answered_at = timezone.now()
    member.save(update_fields=["status", "reason", "answered_by", "answered_at"])
    _bump(collaboration)
    record(
        actor=actor,
        action="collaboration.decline",
        target=collaboration,
        unit=member.unit,
        changes={"members": [None, {str(member.unit_id): ["invited", "declined"]}]},
        reason=member.reason,
    )
    return member


@transaction.atomic
def collaboration_set_weights(
    *,
    actor,
    scope: Scope,
    collaboration: Collaboration,
    version: Any,
    lead_weight: Any,
    weights: dict[int, Any],
) -> Collaboration:
    """Set the lead's share and the members' weights (``weights`` maps a member unit's id to
    its weight). Every accepted member is given; the lead's share and the accepted weights
    make exactly 100, and the invitations still open fit in the lead's share."""
    _require_lead(scope, collaboration)
    collaboration = _lock(collaboration, version)
    _check_open(collaboration)
    lead = _weight(lead_weight, "lead_weight", allow_zero=True)
    members = {
        m.unit_id: m
        for m in collaboration.members.select_related("unit").exclude(status=MemberStatus.DECLINED)
    }
    unknown = [str(k) for k in weights if k not in members]
    if unknown:
        raise ValidationError(
            {
                "weights": _("Not a member of this collaboration: %(ids)s.")
                % {"ids": ", ".join(unknown)}
            }
        )
    new = {}
    for unit_id, member in members.items():
        if unit_id in weights:
            new[unit_id] = _weight(weights[unit_id], f"weights.{unit_id}")
        elif member.status == MemberStatus.ACCEPTED:
            raise ValidationError(
                {"weights": _("Give the weight of %(unit)s.") % {"unit": member.unit.name}}
            )
        else:
            new[unit_id] = member.weight
    accepted = sum(
        (w for u, w in new.items() if members[u].status == MemberStatus.ACCEPTED), Decimal(0)
    )
    total = lead + accepted
    if total != HUNDRED:
        raise ValidationError(
            {
                "weights": _(
                    "The lead's share and the accepted members' weights add up to %(total)s "
                    "percent, not 100."
                )
                % {"total": _pct(total)}
            }
        )
    pending = sum(
        (w for u, w in new.items() if members[u].status == MemberStatus.INVITED), Decimal(0)
    )
    if pending > lead:
        raise ValidationError(
            {
                "weights": _(
                    "The open invitations (%(pending)s percent) do not fit in the lead's share "
                    "(%(lead)s percent)."
                )
                % {"pending": _pct(pending), "lead": _pct(lead)}
            }
        )
    before = {"lead": _pct(collaboration.lead_weight)}
    before.update({str(u): _pct(m.weight) for u, m in members.items()})
    changed = []
    for unit_id, weight in new.items():
        if members[unit_id].weight != weight:
            members[unit_id].weight = weight
            changed.append(members[unit_id])
    CollaborationMember.objects.bulk_update(changed, ["weight"])
    collaboration.lead_weight = lead
    _bump(collaboration, "lead_weight")
    after = {"lead": _pct(lead), **{str(u): _pct(w) for u, w in new.items()}}
    record(
        actor=actor,
        action="collaboration.weights",
        target=collaboration,
        unit=collaboration.lead_unit,
        changes={"weights": [before, after]},
    )
    aggregates.refresh_targets([collaboration.target_id])
    return collaboration


@transaction.atomic
def collaboration_set_status(
    *, actor, scope: Scope, collaboration: Collaboration, version: Any, status: str
) -> Collaboration:
    """Close a collaboration (its members and weights no longer change) or open it again."""
    _require_lead(scope, collaboration)
    collaboration = _lock(collaboration, version)
    if status not in CollaborationStatus.values:
        raise ValidationError({"status": _("Choose open or closed.")})
    before = collaboration.status
    if before == status:
        return collaboration
    collaboration.status = status
    _bump(collaboration, "status")
    record(
        actor=actor,
        action="collaboration.status",
        target=collaboration,
        unit=collaboration.lead_unit,
        changes={"status": [before, status]},
    )
    return collaboration


__all__ = [
    "collaboration_accept",
    "collaboration_create",
    "collaboration_decline",
    "collaboration_invite",
    "collaboration_set_status",
    "collaboration_set_weights",
]
