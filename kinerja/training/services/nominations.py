"""Writes of the nominations: development needs (competency gaps), the agencies' quotas,
nomination by an agency, invitation by the organiser, confirmation, withdrawal with a
replacement. Atomic and audited; bad input raises a ValidationError naming the field and
writes nothing; a caller without the right raises PermissionDenied.

Who:
- the organiser (``manage_training``: BPSDM, the system administrator) sets the quotas,
  invites (outside the quotas, while the event is open for nomination or running), confirms,
  and withdraws or replaces anyone;
- an agency (``nominate`` on the unit: its head, its administrator) nominates its own staff
  within its quota while the event is open for nomination, and withdraws or replaces its own
  nominees while the event is open or running;
- a competency gap is recorded by the personnel office (``change_people`` across the
  instansi: BKD), the employee's agency administrator (``change_people`` on their unit) or
  their superior on the day.

The enrolment copies the post, unit, agency, kind and eselon the rule admitted (an acting
post with ``acting`` = plt/plh); a later transfer never rewrites it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record, record_many
from kinerja.core.scope import Action, Scope
from kinerja.organisations.models import Employee, OrgUnit

from ..choices import EventStatus, NominationRoute, ParticipantStatus
from ..eligibility import Post, nomination_policy
from ..models import Competency, CompetencyGap, Event, EventQuota, GapSource, Participant
from ..querysets import organises
from ..selectors_nominations import INVITING, NOMINATING, may_nominate_in, seats_used, verdict

TEXT_LIMIT = 2000
MAX_SEATS = 999
SOURCES = ", ".join(GapSource.values)


def _now() -> dt.datetime:
    return timezone.now()


def _text(value, field: str, *, required: str | None = None, limit: int = TEXT_LIMIT) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: required})
    if len(text) > limit:
        raise ValidationError({field: _("At most %(limit)d characters.") % {"limit": limit}})
    return text


def is_organiser(scope: Scope, event: Event) -> bool:
    return scope.instansi_id == event.instansi_id and organises(scope)


def _require_organiser(scope: Scope, event: Event) -> None:
    if not is_organiser(scope, event):
        raise PermissionDenied(_("Only the organiser of the event may do this."))


def _status_label(event: Event) -> str:
    return str(EventStatus(event.status).label)


def _require_status(event: Event, allowed: Iterable[str], message: str) -> None:
    if event.status not in allowed:
        raise ValidationError({"event": message % {"status": _status_label(event)}})


# Quotas --------------------------------------------------------------------------------------


@transaction.atomic
def quota_set(*, actor, scope: Scope, event: Event, agency: OrgUnit, seats: int) -> EventQuota:
    """Set an agency's seats at the event (the organiser, before the event runs). 0 seats is a
    quota row that gives no seat; the seats cannot fall below those already taken."""
    _require_organiser(scope, event)
    if agency.instansi_id != event.instansi_id or agency.parent_id is not None:
        raise ValidationError({"agency": _("Choose an agency (a unit at the top of the tree).")})
    _require_status(
        event,
        (EventStatus.PLANNED, EventStatus.NOMINATION),
        _("Quotas are set before nominations close (the event is %(status)s)."),
    )
    if not isinstance(seats, int) or isinstance(seats, bool) or not 0 <= seats <= MAX_SEATS:
        raise ValidationError(
            {"seats": _("Give a whole number of seats from 0 to %(max)d.") % {"max": MAX_SEATS}}
        )
    used = seats_used(event, agency.pk)
    if seats < used:
        raise ValidationError(
            {
                "seats": _("%(agency)s already has %(used)d nominees; withdraw some first.")
                % {"agency": agency.name, "used": used}
            }
        )
    quota = EventQuota.objects.select_for_update().filter(event=event, agency=agency).first()
    before = quota.seats if quota else None
    if quota is None:
        quota = EventQuota.objects.create(
            instansi_id=event.instansi_id, event=event, agency=agency, seats=seats
        )
    else:
        quota.seats = seats
        quota.save(update_fields=["seats"])
    record(
        actor=actor,
        action="event_quota.set",
        target=quota,
        unit=agency,
        changes={"event": [None, event.pk], "seats": [before, seats]},
    )
    return quota


# Enrolment ---------------------------------------------------------------------------------


def _eligible_post(event: Event, employee: Employee) -> Post:
    found = verdict(event, employee)
    if not found.eligible:
        raise ValidationError({"employee": list(found.reasons)})
    return found.post


def _not_enrolled(event: Event, employee: Employee) -> None:
    if Participant.objects.filter(event=event, employee=employee).active().exists():
        raise ValidationError(
            {
                "employee": _("%(name)s is already enrolled in this event.")
                % {"name": employee.display_name}
            }
        )


def _check_quota(event: Event, post: Post) -> None:
    """The agency's quota row is locked, so two nominations cannot take its last seat."""
    quota = (
        EventQuota.objects.select_for_update().filter(event=event, agency_id=post.agency_id).first()
    )
    if quota is None or quota.seats == 0:
        raise ValidationError(
            {"employee": _("%(agency)s has no seats at this event.") % {"agency": post.agency_name}}
        )
    used = seats_used(event, post.agency_id)
    if used >= quota.seats:
        raise ValidationError(
            {
                "employee": _("Quota of %(agency)s: %(seats)d seats, %(used)d already nominated.")
                % {"agency": post.agency_name, "seats": quota.seats, "used": used}
            }
        )


def _enrol(
    *,
    actor,
    event: Event,
    employee: Employee,
    post: Post,
    route: str,
    status: str,
    reason: str,
    replaces: Participant | None = None,
) -> Participant:
    now = _now()
    participant = Participant(
        instansi_id=event.instansi_id,
        event=event,
        employee=employee,
        status=status,
        route=route,
        position_id=post.position_id,
        position_title=post.title,
        position_kind=post.kind,
        eselon=post.eselon,
        acting=post.acting,
        unit_id=post.unit_id,
        unit_name=post.unit_name,
        agency_id=post.agency_id,
        agency_name=post.agency_name,
        suggestion=reason,
        nominated_by=actor if getattr(actor, "pk", None) else None,
        nominated_at=now,
        confirmed_at=now if status == ParticipantStatus.CONFIRMED else None,
        replaces=replaces,
    )
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:
        raise ValidationError(
            {
                "employee": _("%(name)s is already enrolled in this event.")
                % {"name": employee.display_name}
            }
        ) from None
    record(
        actor=actor,
        action=f"participant.{'invite' if route == NominationRoute.INVITATION else 'nominate'}",
        target=participant,
        unit=participant.unit,
        reason=reason,
        changes={
            "event": [None, event.pk],
            "employee": [None, employee.pk],
            "status": [None, status],
            "route": [None, route],
            "position_title": [None, post.title],
            "unit_name": [None, post.unit_name],
            "acting": [None, post.acting or None],
            "replaces": [None, replaces.pk if replaces else None],
        },
    )
    return participant


@transaction.atomic
def participant_nominate(
    *, actor, scope: Scope, event: Event, employee: Employee, reason: str = ""
) -> Participant:
    """An agency nominates one of its staff, within its quota, while the event is open for
    nomination."""
    _require_status(
        event,
        NOMINATING,
        _("Nominations need the event open for nomination (it is %(status)s)."),
    )
    reason = _text(reason, "reason")
    found = verdict(event, employee)
    unit_path = found.post.unit_path if found.eligible else employee.unit.path
    if scope.instansi_id != event.instansi_id or not may_nominate_in(scope, unit_path):
        raise PermissionDenied(_("You do not nominate for this employee's agency."))
    if not found.eligible:
        raise ValidationError({"employee": list(found.reasons)})
    _not_enrolled(event, employee)
    _check_quota(event, found.post)
    return _enrol(
        actor=actor,
        event=event,
        employee=employee,
        post=found.post,
        route=NominationRoute.AGENCY,
        status=ParticipantStatus.NOMINATED,
        reason=reason,
    )


@transaction.atomic
def participant_invite(
    *, actor, scope: Scope, event: Event, employee: Employee, reason: str = ""
) -> Participant:
    """The organiser invites an eligible employee directly, outside the quotas, while the
    event is open for nomination or running; an invitation is confirmed at once."""
    _require_organiser(scope, event)
    _require_status(
        event,
        INVITING,
        _("Invitations need the event open or running (it is %(status)s)."),
    )
    reason = _text(reason, "reason")
    post = _eligible_post(event, employee)
    _not_enrolled(event, employee)
    return _enrol(
        actor=actor,
        event=event,
        employee=employee,
        post=post,
        route=NominationRoute.INVITATION,
        status=ParticipantStatus.CONFIRMED,
        reason=reason,
    )


def _confirmable(participant: Participant) -> None:
    _require_status(
        participant.event,
        INVITING,
        _("Confirmation needs the event open or running (it is %(status)s)."),
    )
    if participant.status != ParticipantStatus.NOMINATED:
        raise ValidationError(
            {
                "participant": _("Only a nominee can be confirmed (%(name)s is %(status)s).")
                % {
                    "name": participant.employee.display_name,
                    "status": ParticipantStatus(participant.status).label,
                }
            }
        )


@transaction.atomic
def participant_confirm(*, actor, scope: Scope, participant: Participant) -> Participant:
    """The organiser confirms a nominee."""
    return participants_confirm(actor=actor, scope=scope, participants=[participant])[0]


@transaction.atomic
def participants_confirm(
    *, actor, scope: Scope, participants: Iterable[Participant]
) -> list[Participant]:
    """The organiser confirms nominees in bulk: every one is checked first; one refusal
    confirms none."""
    items = list(participants)
    if not items:
        raise ValidationError({"participants": _("Choose at least one nominee.")})
    for participant in items:
        _require_organiser(scope, participant.event)
        _confirmable(participant)
    now = _now()
    ids = [p.pk for p in items]
    locked = {p.pk: p for p in Participant.objects.select_for_update().filter(pk__in=ids)}
    for participant in items:
        if locked[participant.pk].status != ParticipantStatus.NOMINATED:
            _confirmable(locked[participant.pk])
        participant.status = ParticipantStatus.CONFIRMED
        participant.confirmed_at = now
        participant.version += 1
    Participant.objects.bulk_update(items, ["status", "confirmed_at", "version"])
    record_many(
        actor=actor,
        action="participant.confirm",
        instansi_id=items[0].instansi_id,
        entries=(
            {
                "target_type": "training.participant",
                "target_id": str(p.pk),
                "target_repr": str(p)[:300],
                "unit_id": p.unit_id,
                "unit_path": p.unit.path,
                "changes": {"status": [ParticipantStatus.NOMINATED, ParticipantStatus.CONFIRMED]},
            }
            for p in items
        ),
    )
    return items


@transaction.atomic
def participant_withdraw(
    *,
    actor,
    scope: Scope,
    participant: Participant,
    reason: str,
    replacement: Employee | None = None,
) -> tuple[Participant, Participant | None]:
    """Withdraw an enrolment with a reason (the organiser, or the agency for its own
    nominee); a replacement takes the freed seat in the same call, eligibility and quota
    checked, and points back to the enrolment it replaces. Returns both."""
    event = participant.event
    organiser = is_organiser(scope, event)
    if not organiser and not (
        scope.instansi_id == event.instansi_id and may_nominate_in(scope, participant.unit.path)
    ):
        raise PermissionDenied(_("You do not nominate for this participant's agency."))
    _require_status(
        event,
        INVITING,
        _("Withdrawal needs the event open or running (it is %(status)s)."),
    )
    reason = _text(reason, "reason", required=_("Give the reason for the withdrawal."))
    current = Participant.objects.select_for_update().get(pk=participant.pk)
    if current.status == ParticipantStatus.WITHDRAWN:
        raise ValidationError({"participant": _("This enrolment is already withdrawn.")})
    before = current.status
    participant.status = ParticipantStatus.WITHDRAWN
    participant.withdrawn_at = _now()
    participant.withdrawal_reason = reason
    participant.version = current.version + 1
    participant.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "version"])
    record(
        actor=actor,
        action="participant.withdraw",
        target=participant,
        unit=participant.unit,
        reason=reason,
        changes={
            "status": [before, ParticipantStatus.WITHDRAWN],
            "replacement": [None, replacement.pk if replacement else None],
        },
    )
    if replacement is None:
        return participant, None
    if replacement.pk == participant.employee_id:
        raise ValidationError(
            {"replacement": _("The replacement must be someone other than the one withdrawn.")}
        )
    found = verdict(event, replacement)
    path = found.post.unit_path if found.eligible else replacement.unit.path
    if not organiser and not may_nominate_in(scope, path):
        raise PermissionDenied(_("You do not nominate for the replacement's agency."))
    if not found.eligible:
        raise ValidationError({"replacement": list(found.reasons)})
    try:
        _not_enrolled(event, replacement)
        route = participant.route if organiser else NominationRoute.AGENCY
        if route == NominationRoute.AGENCY:
            _check_quota(event, found.post)
    except ValidationError as exc:
        raise ValidationError({"replacement": exc.messages}) from None
    status = before if organiser else ParticipantStatus.NOMINATED
    new = _enrol(
        actor=actor,
        event=event,
        employee=replacement,
        post=found.post,
        route=route,
        status=status,
        reason=_("Replaces %(name)s: %(reason)s")
        % {"name": participant.employee.display_name, "reason": reason},
        replaces=participant,
    )
    return participant, new


# Development needs -------------------------------------------------------------------------


def may_record_gap(scope: Scope, employee: Employee, on: dt.date | None = None) -> bool:
    """BKD (``change_people`` across the instansi), the employee's agency administrator
    (``change_people`` on their unit), or their superior on the day."""
    if scope.instansi_id != employee.instansi_id:
        return False
    if scope.can(Action.CHANGE_PEOPLE, employee.unit.path):
        return True
    if scope.employee_id is None:
        return False
    from kinerja.organisations.selectors import superior_of

    boss = superior_of(employee, on or timezone.localdate())
    return boss is not None and boss.employee.pk == scope.employee_id


@transaction.atomic
def competency_gap_record(
    *,
    actor,
    scope: Scope,
    employee: Employee,
    competency: Competency,
    year: int,
    source: str,
    level: int | None = None,
    description: str = "",
    note: str = "",
) -> CompetencyGap:
    """Record a competency the employee needs to develop in ``year``: a level on the
    policy's scale (1 to 3) or a description, and where it comes from."""
    if not may_record_gap(scope, employee):
        raise PermissionDenied(_("You may not record development needs for this employee."))
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Give a year from 2000 to 2100.")})
    if source not in GapSource.values:
        raise ValidationError(
            {
                "source": _("Choose the source: %(choices)s.")
                % {"choices": ", ".join(GapSource.values)}
            }
        )
    scale = nomination_policy(dt.date(year, 1, 1))["gap_levels"]
    if level is not None and (
        not isinstance(level, int)
        or isinstance(level, bool)
        or not scale["min"] <= level <= scale["max"]
    ):
        raise ValidationError(
            {
                "level": _("The gap level runs from %(min)d to %(max)d.")
                % {"min": scale["min"], "max": scale["max"]}
            }
        )
    description = _text(description, "description", limit=500)
    note = _text(note, "note")
    if level is None and not description:
        raise ValidationError({"level": _("Give the level of the gap or describe it.")})
    if not employee.is_active:
        raise ValidationError({"employee": _("This employee is no longer in service.")})
    gap = CompetencyGap.objects.create(
        instansi_id=employee.instansi_id,
        employee=employee,
        competency=competency,
        year=year,
        level=level,
        description=description,
        source=source,
        note=note,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    record(
        actor=actor,
        action="competency_gap.record",
        target=gap,
        unit=employee.unit,
        changes={
            "employee": [None, employee.pk],
            "competency": [None, competency.code],
            "year": [None, year],
            "level": [None, level],
            "description": [None, description or None],
            "source": [None, source],
        },
    )
    return gap
