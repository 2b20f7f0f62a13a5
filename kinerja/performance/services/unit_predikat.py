"""Writes of the unit's predikat and the finalisation of its distribution curve: atomic,
checked, audited, ``version``-locked. Bad input raises a ValidationError naming the field and
writes nothing; a stale version raises `Conflict` (the API answers 409).

Who does what (see ``docs/evaluation-curve.md``):

- **open** (with the suggestion): who sets it, or a role that keeps the unit's plans;
- **recommend**: the planning (Bappeda), staffing (BKD) and oversight (Inspektorat) roles;
- **set**: the leader one level up: whoever holds or acts in the head post of the parent unit
  on the day; for a unit at the top of the tree (an agency) the leadership role;
- **finalise** the distribution: the head of the unit (holds or acts in its head post on the
  day) or who acts for the agency (`skp.acts_for_agency`), checked against the curve; a breach
  only with a justification. The unit's evaluations of that period are then closed.

The roles are named by their codes (``kinerja.accounts.roles.Role``): performance does not
import the accounts app.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import diff, record
from kinerja.core.scope import Action, Scope
from kinerja.organisations.models import OrgUnit
from kinerja.organisations.selectors import holders_of

from .. import selectors_unit_predikat as sel
from ..curve_rules import UnitPredikat as Choice
from ..curve_rules import curve_rules_for_year, limits
from ..evaluation_rules import Rating
from ..models import (
    Period,
    PredikatDistribution,
    RecommendationSource,
    UnitPredikat,
    UnitPredikatRecommendation,
    UnitPredikatStatus,
)
from . import Conflict, _snapshot, bump_version, head_post_on, lock_version
from .skp import TEXT_LIMIT, acts_for_agency

LEADERSHIP = "leadership"
SOURCES = {
    "bappeda": RecommendationSource.PLANNING,
    "bkd": RecommendationSource.STAFFING,
    "inspektorat": RecommendationSource.OVERSIGHT,
}
FIELDS = (
    "status",
    "progress",
    "no_progress",
    "actions",
    "achievement",
    "expectation",
    "suggested",
    "predikat",
    "reason",
)


# Who may ---------------------------------------------------------------------------------


def _holders(unit: OrgUnit | None) -> set[int]:
    """Who holds or acts in the head post of ``unit`` today (employee ids)."""
    if unit is None:
        return set()
    today = timezone.localdate()
    post = head_post_on(unit, today)
    if post is None:
        return set()
    return {h.employee.pk for h in holders_of(post, today)}


def may_set(scope: Scope, unit: OrgUnit) -> bool:
    """The leader one level up: the holder of the parent unit's head post today; above an
    agency at the top of the tree, the leadership role."""
    if scope.instansi_id != unit.instansi_id:
        return False
    if unit.parent_id is None:
        return LEADERSHIP in scope.roles
    return scope.employee_id is not None and scope.employee_id in _holders(unit.parent)


def may_open(scope: Scope, unit: OrgUnit) -> bool:
    return may_set(scope, unit) or scope.can(Action.MANAGE_PLANS, unit.path)


def may_finalise(scope: Scope, unit: OrgUnit) -> bool:
    """The head of the unit today, or who acts for the agency."""
    if scope.instansi_id != unit.instansi_id:
        return False
    if scope.employee_id is not None and scope.employee_id in _holders(unit):
        return True
    return acts_for_agency(scope, unit)


def sources_of(scope: Scope) -> list[str]:
    """The recommendation sources the caller's roles speak for."""
    return [source for role, source in SOURCES.items() if role in scope.roles]


# Checks ------------------------------------------------------------------------------------


def _lock(unit_predikat: UnitPredikat, version: Any) -> UnitPredikat:
    return lock_version(
        UnitPredikat.objects.select_for_update().select_related("unit", "period"),
        unit_predikat.pk,
        version,
        give=_("Give the version of the unit predikat you saw."),
        stale=_(
            "Someone changed this unit predikat after you opened it (you saw version %(seen)d, "
            "it is now at version %(now)d). Reload it and make your change again."
        ),
    )


def _check_not_final(unit_predikat: UnitPredikat) -> None:
    if unit_predikat.status == UnitPredikatStatus.FINAL:
        raise ValidationError(
            _(
                "The distribution of this unit is final and the predikat no longer changes. A "
                "change goes through an objection or an audited reopening."
            )
        )


def _predikat(value: Any, field: str = "predikat") -> str:
    if value not in Choice.values:
        raise ValidationError(
            {
                field: _(
                    "Choose a predikat: istimewa, baik, butuh perbaikan, kurang or sangat kurang."
                )
            }
        )
    return value


def _text(value: Any, field: str) -> str:
    text = str(value or "").strip()
    if len(text) > TEXT_LIMIT:
        raise ValidationError({field: _("At most %(limit)d characters.") % {"limit": TEXT_LIMIT}})
    return text


def _name(actor) -> str:
    if getattr(actor, "pk", None) is None:
        return ""
    employee = getattr(actor, "employee", None)
    if employee is not None:
        return employee.display_name[:300]
    return (actor.get_full_name() or actor.get_username())[:300]


def _save(actor, unit_predikat: UnitPredikat, before: dict, action: str, *fields, **extra):
    bump_version(unit_predikat, *FIELDS, *fields)
    record(
        actor=actor,
        action=action,
        target=unit_predikat,
        unit=unit_predikat.unit,
        changes={**diff(before, _snapshot(unit_predikat, FIELDS)), **extra},
    )


# Writes -------------------------------------------------------------------------------------


@transaction.atomic
def unit_predikat_open(
    *,
    actor,
    scope: Scope,
    unit: OrgUnit,
    period: Period,
    sub_period: Any,
    expectation: Any = "",
) -> UnitPredikat:
    """Open the unit's predikat for a sub-period (its number) or the year (0), with the
    suggestion and its basis: the action plans' progress (periodic) or the PK achievement and
    the unit's delivery against the expectation (annual)."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if not may_open(scope, unit):
        raise PermissionDenied(
            _("Only the leader one level up or who keeps the unit's plans opens its predikat.")
        )
    if period.instansi_id != unit.instansi_id:
        raise ValidationError({"period": _("The period belongs to another instansi.")})
    numbers = set(period.sub_periods.values_list("number", flat=True))
    if (
        not isinstance(sub_period, int)
        or isinstance(sub_period, bool)
        or (sub_period != 0 and sub_period not in numbers)
    ):
        raise ValidationError(
            {"sub_period": _("Give the number of a sub-period of the year, or 0 for the year.")}
        )
    expectation = expectation or ""
    if expectation and (sub_period != 0 or expectation not in Rating.values):
        raise ValidationError(
            {
                "expectation": _(
                    "The expectation is given for the year only: above expectation, as "
                    "expected or below expectation."
                )
            }
        )
    if UnitPredikat.objects.filter(unit=unit, period=period, sub_period=sub_period).exists():
        raise ValidationError({"sub_period": _("The unit's predikat of this period is open.")})
    above = sel.covering(unit, period.pk, sub_period)
    if above is not None and above.is_final:
        raise ValidationError(
            {
                "unit": _(
                    "The distribution of %(unit)s, which counts this unit's staff, is final: "
                    "this unit gets no predikat of its own for the period."
                )
                % {"unit": above.unit.name}
            }
        )
    suggested, basis = sel.suggestion(unit, period, sub_period, expectation)
    unit_predikat = UnitPredikat.objects.create(
        instansi_id=unit.instansi_id,
        unit=unit,
        period=period,
        sub_period=sub_period,
        progress=basis.progress,
        no_progress=basis.no_progress,
        actions=basis.actions,
        achievement=basis.achievement,
        expectation=expectation,
        suggested=suggested,
    )
    record(
        actor=actor,
        action="unit_predikat.open",
        target=unit_predikat,
        unit=unit,
        changes=diff({}, _snapshot(unit_predikat, FIELDS)),
    )
    return unit_predikat


@transaction.atomic
def unit_predikat_recommend(
    *,
    actor,
    scope: Scope,
    unit_predikat: UnitPredikat,
    version: Any,
    predikat: Any,
    note: Any = "",
    source: Any = None,
) -> UnitPredikat:
    """A recommendation of the planning, staffing or oversight unit (the caller's role; a
    caller holding several names ``source``), replacing that source's earlier one."""
    mine = sources_of(scope)
    if not mine or scope.instansi_id != unit_predikat.instansi_id:
        raise PermissionDenied(
            _("Only the planning, staffing and oversight units recommend a unit predikat.")
        )
    if source in (None, ""):
        if len(mine) > 1:
            raise ValidationError({"source": _("You hold several roles: name the source.")})
        source = mine[0]
    elif source not in mine:
        raise ValidationError({"source": _("Your roles do not speak for this source.")})
    unit_predikat = _lock(unit_predikat, version)
    _check_not_final(unit_predikat)
    predikat = _predikat(predikat)
    note = _text(note, "note")
    before = _snapshot(unit_predikat, FIELDS)
    UnitPredikatRecommendation.objects.update_or_create(
        unit_predikat=unit_predikat,
        source=source,
        defaults={
            "instansi_id": unit_predikat.instansi_id,
            "predikat": predikat,
            "note": note,
            "author": actor if getattr(actor, "pk", None) else None,
            "author_name": _name(actor),
        },
    )
    _save(
        actor,
        unit_predikat,
        before,
        "unit_predikat.recommend",
        recommendation=[source, predikat, note],
    )
    return unit_predikat


@transaction.atomic
def unit_predikat_set(
    *,
    actor,
    scope: Scope,
    unit_predikat: UnitPredikat,
    version: Any,
    predikat: Any,
    reason: Any = "",
) -> UnitPredikat:
    """Set the unit's predikat (the leader one level up). Another predikat than the
    suggestion needs a written reason; it may be set again until the distribution is final."""
    if not may_set(scope, unit_predikat.unit):
        raise PermissionDenied(_("Only the leader one level up sets the unit's predikat."))
    unit_predikat = _lock(unit_predikat, version)
    _check_not_final(unit_predikat)
    predikat = _predikat(predikat)
    reason = _text(reason, "reason")
    differs = bool(unit_predikat.suggested) and predikat != unit_predikat.suggested
    if differs and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "The numbers suggest %(suggested)s: give the reason for setting another "
                    "predikat."
                )
                % {"suggested": Choice(unit_predikat.suggested).label}
            }
        )
    before = _snapshot(unit_predikat, FIELDS)
    unit_predikat.predikat = predikat
    unit_predikat.reason = reason if differs else ""
    unit_predikat.status = UnitPredikatStatus.SET
    unit_predikat.set_by = actor if getattr(actor, "pk", None) else None
    unit_predikat.set_by_name = _name(actor)
    unit_predikat.set_at = timezone.now()
    _save(actor, unit_predikat, before, "unit_predikat.set", "set_by", "set_by_name", "set_at")
    return unit_predikat


@transaction.atomic
def distribution_finalise(
    *,
    actor,
    scope: Scope,
    unit_predikat: UnitPredikat,
    version: Any,
    justification: Any = "",
) -> PredikatDistribution:
    """Finalise the unit's employee predikat against the curve of its predikat: every
    evaluation counted must be final; a breach of the curve is refused unless ``justification``
    says why it is accepted (recorded with the breaches). The counts, the limits and the
    evaluations counted are kept as they are; the unit's evaluations of the period are then
    closed."""
    if not may_finalise(scope, unit_predikat.unit):
        raise PermissionDenied(
            _("Only the head of the unit or who acts for the agency finalises its distribution.")
        )
    unit_predikat = _lock(unit_predikat, version)
    _check_not_final(unit_predikat)
    if not unit_predikat.predikat:
        raise ValidationError(
            {"predikat": _("The unit's predikat is not set yet: the curve depends on it.")}
        )
    justification = _text(justification, "justification")
    unit, period, number = unit_predikat.unit, unit_predikat.period, unit_predikat.sub_period
    found = sel.distribution(unit, period, number, unit_predikat.predikat)
    if found.drafts:
        raise ValidationError(
            {
                "evaluations": _(
                    "%(n)d evaluations counted in this unit are still drafts: finalise them first."
                )
                % {"n": found.drafts}
            }
        )
    if found.found and not justification:
        raise ValidationError(
            {
                "justification": [
                    _("The distribution breaks the curve: give a justification to accept it."),
                    *(b.message for b in found.found),
                ]
            }
        )
    rules = curve_rules_for_year(period.year)
    breached = [b.as_dict() for b in found.found]
    distribution = PredikatDistribution.objects.create(
        instansi_id=unit_predikat.instansi_id,
        unit_predikat=unit_predikat,
        predikat=unit_predikat.predikat,
        staff=found.staff,
        counts=found.counts,
        limits={k: list(v) for k, v in limits(rules, unit_predikat.predikat, found.staff).items()},
        breaches=breached,
        justification=justification if breached else "",
        evaluations=sel.member_ids(unit, period, number),
        policy_valid_from=rules.valid_from,
        finalised_by=actor if getattr(actor, "pk", None) else None,
        finalised_by_name=_name(actor),
        finalised_at=timezone.now(),
    )
    before = _snapshot(unit_predikat, FIELDS)
    unit_predikat.status = UnitPredikatStatus.FINAL
    _save(
        actor,
        unit_predikat,
        before,
        "unit_predikat.finalise",
        counts=found.counts,
        breaches=[b["message"] for b in breached],
        justification=distribution.justification,
    )
    return distribution


__all__ = [
    "Conflict",
    "distribution_finalise",
    "may_finalise",
    "may_open",
    "may_set",
    "sources_of",
    "unit_predikat_open",
    "unit_predikat_recommend",
    "unit_predikat_set",
]
