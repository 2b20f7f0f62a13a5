"""Writes of the events capability: programmes, events (details, quotas, status), speakers,
sessions with their speakers, competencies and materials, and the publication of the timetable
with its notices. Atomic, checked and audited: bad input raises a ValidationError naming the
field and writes nothing; a caller who is not the organiser (``manage_training``: BPSDM, the
system administrator) gets PermissionDenied.

Rules:
- an event's status only moves forward, one step at a time (planned > open for nomination >
  running > finished > evaluated); it starts running only with a published timetable;
- a finished (or evaluated) event is not edited any more: its details, quotas, sessions and
  timetable are refused; only its status moves on;
- a session lies within one day of the event (local time, Asia/Jakarta) and ends after it
  starts; a speaker is not booked in two sessions at overlapping times (touching is fine);
- more sessions than planned is a warning (``session.warnings``), not a refusal;
- JP defaults to the minutes / 45 rounded down to half a lesson hour (policy data), editable;
- the timetable's publication snapshots the sessions as version n+1 with the difference from
  version n; from the second version on, the confirmed participants and the speakers of the
  changed sessions get a notice and, when they have an address, an e-mail after the commit.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.scope import scope_for
from kinerja.audit.services import record
from kinerja.core.scope import Scope
from kinerja.organisations.models import OrgUnit, Region

from ..choices import EventStatus, ParticipantStatus
from ..models import (
    Competency,
    Event,
    EventQuota,
    Participant,
    Programme,
    Session,
    SessionMaterial,
    SessionSpeaker,
    Speaker,
    TimetableVersion,
    TrainingNotice,
    TrainingType,
)
from ..policy_events import event_rules
from ..querysets import organises
from ..selectors_events import change_label, latest_version, snapshot, timetable_diff

TEXT_LIMIT = 5000
CLOSED = (EventStatus.FINISHED, EventStatus.EVALUATED)
EVENT_FIELDS = (
    "programme",
    "title",
    "description",
    "venue",
    "venue_region",
    "starts_on",
    "ends_on",
    "organiser_unit",
    "training_type",
    "audience_kinds",
    "audience_eselons",
    "audience_note",
    "planned_sessions",
    "capacity",
    "opened_by",
)
SESSION_FIELDS = ("title", "objectives", "starts_at", "ends_at", "room", "jp", "published")
SPEAKER_FIELDS = ("name", "position", "organisation", "bio", "email")


# Who may ----------------------------------------------------------------------------------


def _scope(actor, scope: Scope | None) -> Scope:
    return scope if scope is not None else scope_for(actor)


def _require_organiser(scope: Scope, instansi_id: int) -> None:
    if scope.instansi_id != instansi_id or not organises(scope):
        raise PermissionDenied(_("Only the training organiser may do this."))


def _require_open(event: Event) -> None:
    if event.status in CLOSED:
        raise ValidationError(
            _("The event is %(status)s: it can no longer be changed, except its status.")
            % {"status": EventStatus(event.status).label}
        )


# Shared checks ----------------------------------------------------------------------------


def _text(value: Any, field: str, *, required: str | None = None, limit: int = 250) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: required})
    if len(text) > limit:
        raise ValidationError({field: _("At most %(limit)d characters.") % {"limit": limit}})
    return text


def _audit(actor, action: str, target, changes: dict, reason: str = "") -> None:
    record(actor=actor, action=action, target=target, changes=changes, reason=reason)


def _changes(before: dict, after: dict) -> dict:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def _values(obj, fields: Iterable[str]) -> dict:
    out = {}
    for name in fields:
        field = obj._meta.get_field(name)
        out[name] = getattr(obj, field.attname)
    return out


# Programmes -------------------------------------------------------------------------------


def _programme_fields(instansi_id: int, data: dict, programme: Programme | None) -> dict:
    out = {}
    if "name" in data or programme is None:
        out["name"] = _text(data.get("name"), "name", required=_("Give the programme a name."))
        clash = Programme.objects.filter(instansi_id=instansi_id, name__iexact=out["name"])
        if programme is not None:
            clash = clash.exclude(pk=programme.pk)
        if clash.exists():
            raise ValidationError({"name": _("A programme of this name exists already.")})
    if "purpose" in data:
        out["purpose"] = _text(data.get("purpose"), "purpose", limit=TEXT_LIMIT)
    if "organiser_unit" in data:
        out["organiser_unit"] = _unit(instansi_id, data.get("organiser_unit"), "organiser_unit")
    return out


@transaction.atomic
def programme_create(*, actor, scope: Scope | None = None, **data) -> Programme:
    scope = _scope(actor, scope)
    _require_organiser(scope, scope.instansi_id)
    fields = _programme_fields(scope.instansi_id, data, None)
    programme = Programme.objects.create(instansi_id=scope.instansi_id, **fields)
    _audit(actor, "training.programme_create", programme, _values(programme, fields))
    return programme


@transaction.atomic
def programme_update(*, actor, programme: Programme, scope: Scope | None = None, **data):
    scope = _scope(actor, scope)
    _require_organiser(scope, programme.instansi_id)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    fields = _programme_fields(programme.instansi_id, data, programme)
    before = _values(programme, fields)
    for name, value in fields.items():
        setattr(programme, name, value)
    programme.save()
    changes = _changes(before, _values(programme, fields))
    if changes:
        _audit(actor, "training.programme_update", programme, changes)
    return programme


# Events -----------------------------------------------------------------------------------


def _unit(instansi_id: int, value: Any, field: str, *, top: bool = False) -> OrgUnit | None:
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, OrgUnit) else value
    unit = OrgUnit.objects.filter(instansi_id=instansi_id, pk=pk).first() if pk else None
    if unit is None or (top and unit.parent_id is not None):
        message = _("Choose an agency of the instansi.") if top else _("No such unit.")
        raise ValidationError({field: message})
    return unit


def _date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise ValidationError({field: _("Give a date as YYYY-MM-DD.")}) from None


def _choices_list(value: Any, field: str) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [v for v in (p.strip() for p in value.split(",")) if v]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationError({field: _("Give a list of codes.")})
    return [v.strip()[:20] for v in value if v.strip()]


def _event_fields(instansi_id: int, data: dict, event: Event | None) -> dict:
    out: dict[str, Any] = {}
    creating = event is None
    if "programme" in data or creating:
        value = data.get("programme")
        pk = value.pk if isinstance(value, Programme) else value
        programme = Programme.objects.filter(instansi_id=instansi_id, pk=pk).first() if pk else None
        if programme is None:
            raise ValidationError({"programme": _("Choose a programme.")})
        out["programme"] = programme
    if "title" in data or creating:
        out["title"] = _text(data.get("title"), "title", required=_("Give the event a title."))
    for name, limit in (("description", TEXT_LIMIT), ("venue", 250), ("audience_note", 250)):
        if name in data:
            out[name] = _text(data.get(name), name, limit=limit)
    if "opened_by" in data:
        out["opened_by"] = _text(data.get("opened_by"), "opened_by", limit=200)
    if "venue_region" in data:
        code = data.get("venue_region")
        code = code.code if isinstance(code, Region) else str(code or "").strip()
        region = Region.objects.filter(code=code).first() if code else None
        if code and region is None:
            raise ValidationError(
                {"venue_region": _("No region has the Kemendagri code %(code)s.") % {"code": code}}
            )
        out["venue_region"] = region
    if "starts_on" in data or creating:
        out["starts_on"] = _date(data.get("starts_on"), "starts_on")
    if "ends_on" in data or creating:
        out["ends_on"] = _date(data.get("ends_on"), "ends_on")
    starts = out.get("starts_on", event.starts_on if event else None)
    ends = out.get("ends_on", event.ends_on if event else None)
    if starts and ends and ends < starts:
        raise ValidationError({"ends_on": _("The last day cannot precede the first.")})
    if starts and ends and (ends - starts).days > 366:
        raise ValidationError({"ends_on": _("An event lasts at most a year.")})
    if "organiser_unit" in data or creating:
        unit = _unit(instansi_id, data.get("organiser_unit"), "organiser_unit")
        if unit is None:
            raise ValidationError({"organiser_unit": _("Choose the organiser unit.")})
        out["organiser_unit"] = unit
    if "training_type" in data or creating:
        value = data.get("training_type")
        if isinstance(value, TrainingType):
            kind = value
        else:
            kind = TrainingType.objects.filter(code=value).first() if value else None
            if kind is None and str(value or "").isdigit():
                kind = TrainingType.objects.filter(pk=int(value)).first()
        if kind is None:
            raise ValidationError({"training_type": _("Choose a training type.")})
        out["training_type"] = kind
    for name in ("audience_kinds", "audience_eselons"):
        if name in data:
            out[name] = _choices_list(data.get(name), name)
    if "planned_sessions" in data:
        out["planned_sessions"] = _count(data.get("planned_sessions"), "planned_sessions", 500)
    if "capacity" in data:
        value = data.get("capacity")
        out["capacity"] = None if value in (None, "") else _count(value, "capacity", 100000)
    return out


def _count(value: Any, field: str, limit: int) -> int:
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Give a whole number.")}) from None
    if number < 0 or number > limit:
        raise ValidationError({field: _("Give a number from 0 to %(limit)d.") % {"limit": limit}})
    return number


@transaction.atomic
def event_create(*, actor, scope: Scope | None = None, quotas=None, **data) -> Event:
    """Create an event, planned, with its quotas when given (``{agency: seats}``)."""
    scope = _scope(actor, scope)
    _require_organiser(scope, scope.instansi_id)
    fields = _event_fields(scope.instansi_id, data, None)
    event = Event.objects.create(instansi_id=scope.instansi_id, **fields)
    _audit(actor, "training.event_create", event, _values(event, fields))
    if quotas:
        event_set_quotas(actor=actor, scope=scope, event=event, quotas=quotas)
    return event


@transaction.atomic
def event_update(*, actor, event: Event, scope: Scope | None = None, **data) -> Event:
    """Change an event's details (not its status: `event_set_status`)."""
    scope = _scope(actor, scope)
    _require_organiser(scope, event.instansi_id)
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require_open(event)
    fields = _event_fields(event.instansi_id, data, event)
    if "starts_on" in fields or "ends_on" in fields:
        first = fields.get("starts_on", event.starts_on)
        last = fields.get("ends_on", event.ends_on)
        outside = [
            s
            for s in Session.objects.filter(event_id=event.pk)
            if not first <= timezone.localtime(s.starts_at).date() <= last
        ]
        if outside:
            raise ValidationError(
                {
                    "starts_on": _(
                        "%(count)d sessions would fall outside the new dates; move them first."
                    )
                    % {"count": len(outside)}
                }
            )
    before = _values(event, fields)
    for name, value in fields.items():
        setattr(event, name, value)
    changes = _changes(before, _values(event, fields))
    if changes:
        event.version += 1
        event.save()
        _audit(actor, "training.event_update", event, changes)
    return event


@transaction.atomic
def event_set_quotas(*, actor, event: Event, quotas, scope: Scope | None = None) -> Event:
    """Replace the event's quotas with ``{agency (unit or id): seats}``; an agency with 0 seats
    loses its quota. The sum may not exceed the event's seats when these are set."""
    scope = _scope(actor, scope)
    _require_organiser(scope, event.instansi_id)
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require_open(event)
    wanted: dict[int, int] = {}
    for agency, seats in dict(quotas).items():
        unit = _unit(event.instansi_id, agency, "quotas", top=True)
        wanted[unit.pk] = _count(seats, "quotas", 10000)
    wanted = {k: v for k, v in wanted.items() if v}
    total = sum(wanted.values())
    if event.capacity is not None and total > event.capacity:
        raise ValidationError(
            {
                "quotas": _("The quotas add up to %(total)d seats; the event has %(seats)d.")
                % {"total": total, "seats": event.capacity}
            }
        )
    before = dict(EventQuota.objects.filter(event=event).values_list("agency_id", "seats"))
    if before == wanted:
        return event
    EventQuota.objects.filter(event=event).exclude(agency_id__in=wanted).delete()
    for agency_id, seats in wanted.items():
        EventQuota.objects.update_or_create(
            event=event,
            agency_id=agency_id,
            defaults={"seats": seats, "instansi_id": event.instansi_id},
        )
    _audit(
        actor,
        "training.event_quotas",
        event,
        {
            "quotas": [
                {str(k): v for k, v in before.items()},
                {str(k): v for k, v in wanted.items()},
            ]
        },
    )
    return event


@transaction.atomic
def event_set_status(
    *, actor, event: Event, status: str, scope: Scope | None = None, reason: str = ""
) -> Event:
    """Move the event one step forward in its life; never back, never skipping a step."""
    scope = _scope(actor, scope)
    _require_organiser(scope, event.instansi_id)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if status not in EventStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    current = EventStatus.rank(event.status)
    if EventStatus.rank(status) != current + 1:
        nxt = EventStatus.values[current + 1] if current + 1 < len(EventStatus.values) else None
        if nxt is None:
            message = _("The event is evaluated: its status does not change any more.")
        else:
            message = _("From %(now)s the event can only move to %(next)s.") % {
                "now": EventStatus(event.status).label,
                "next": EventStatus(nxt).label,
            }
        raise ValidationError({"status": message})
    if status == EventStatus.RUNNING and event.timetable_version == 0:
        raise ValidationError({"status": _("Publish the timetable before the event runs.")})
    before = event.status
    event.status = status
    event.version += 1
    event.save(update_fields=["status", "version", "updated_at"])
    _audit(actor, "training.event_status", event, {"status": [before, status]}, reason=reason)
    if status == EventStatus.FINISHED:
        # Closing the event enters its lesson hours in each confirmed participant's
        # development-hours ledger (time present only; idempotent per enrolment).
        from .ledger import record_from_event

        for participant in event.participants.filter(status=ParticipantStatus.CONFIRMED):
            record_from_event(participant, actor=actor)
    return event


# Speakers ---------------------------------------------------------------------------------


def _speaker_fields(data: dict, creating: bool) -> dict:
    out = {}
    if "name" in data or creating:
        out["name"] = _text(
            data.get("name"), "name", required=_("Give the speaker's name."), limit=200
        )
    for name in ("position", "organisation"):
        if name in data:
            out[name] = _text(data.get(name), name)
    if "bio" in data:
        out["bio"] = _text(data.get("bio"), "bio", limit=TEXT_LIMIT)
    if "email" in data:
        email = _text(data.get("email"), "email", limit=254)
        if email:
            from django.core.validators import validate_email

            try:
                validate_email(email)
            except ValidationError:
                raise ValidationError({"email": _("Give a valid e-mail address.")}) from None
        out["email"] = email
    return out


@transaction.atomic
def speaker_create(*, actor, scope: Scope | None = None, **data) -> Speaker:
    """An external speaker needs no account: a name is enough."""
    scope = _scope(actor, scope)
    _require_organiser(scope, scope.instansi_id)
    fields = _speaker_fields(data, True)
    speaker = Speaker.objects.create(instansi_id=scope.instansi_id, **fields)
    _audit(actor, "training.speaker_create", speaker, fields)
    return speaker


@transaction.atomic
def speaker_update(*, actor, speaker: Speaker, scope: Scope | None = None, **data) -> Speaker:
    scope = _scope(actor, scope)
    _require_organiser(scope, speaker.instansi_id)
    speaker = Speaker.objects.select_for_update().get(pk=speaker.pk)
    fields = _speaker_fields(data, False)
    before = _values(speaker, fields)
    for name, value in fields.items():
        setattr(speaker, name, value)
    changes = _changes(before, fields)
    if changes:
        speaker.save()
        _audit(actor, "training.speaker_update", speaker, changes)
    return speaker


# Sessions ---------------------------------------------------------------------------------


def _moment(value: Any, field: str) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError({field: _("Give a date and time.")}) from None
    if not isinstance(value, dt.datetime):
        raise ValidationError({field: _("Give a date and time.")})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _jp(value: Any) -> Decimal:
    try:
        jp = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {"jp": _("Give the lesson hours as a number, such as 2 or 2.5.")}
        ) from None
    if jp < 0 or jp > 100:
        raise ValidationError({"jp": _("Give the lesson hours from 0 to 100.")})
    return jp


def _speakers(instansi_id: int, value: Any) -> list[Speaker]:
    if value is None:
        return []
    ids = [v.pk if isinstance(v, Speaker) else v for v in value]
    try:
        ids = [int(v) for v in ids]
    except (TypeError, ValueError):
        raise ValidationError({"speakers": _("No such speaker.")}) from None
    if len(set(ids)) != len(ids):
        raise ValidationError({"speakers": _("A speaker is named twice.")})
    found = Speaker.objects.in_bulk([i for i in ids])
    if any(i not in found or found[i].instansi_id != instansi_id for i in ids):
        raise ValidationError({"speakers": _("No such speaker.")})
    return [found[i] for i in ids]


def _competencies(value: Any) -> list[Competency]:
    if value is None:
        return []
    out = []
    for item in value:
        if isinstance(item, Competency):
            out.append(item)
            continue
        found = Competency.objects.filter(code=str(item)).first()
        if found is None and str(item).isdigit():
            found = Competency.objects.filter(pk=int(item)).first()
        if found is None:
            raise ValidationError(
                {
                    "competencies": _("“%(code)s” is not in the competency dictionary.")
                    % {"code": item}
                }
            )
        out.append(found)
    return out


def _check_session(event: Event, starts: dt.datetime, ends: dt.datetime) -> None:
    if ends <= starts:
        raise ValidationError({"ends_at": _("A session must end after it starts.")})
    first, last = timezone.localtime(starts).date(), timezone.localtime(ends).date()
    if first != last:
        raise ValidationError({"ends_at": _("A session starts and ends on the same day.")})
    if not event.starts_on <= first <= event.ends_on:
        raise ValidationError(
            {
                "starts_at": _(
                    "The session falls outside the event's days (%(first)s to %(last)s)."
                )
                % {"first": event.starts_on.isoformat(), "last": event.ends_on.isoformat()}
            }
        )


def _check_speakers_free(
    speakers: list[Speaker], starts: dt.datetime, ends: dt.datetime, session_id: int | None
) -> None:
    """No speaker speaks in two sessions at overlapping times (one ending as the other starts
    is fine)."""
    if not speakers:
        return
    clash = (
        SessionSpeaker.objects.filter(
            speaker__in=speakers, session__starts_at__lt=ends, session__ends_at__gt=starts
        )
        .exclude(session_id=session_id)
        .select_related("speaker", "session")
        .order_by("session__starts_at")
        .first()
    )
    if clash is not None:
        local = timezone.localtime(clash.session.starts_at)
        raise ValidationError(
            {
                "speakers": _("%(speaker)s already speaks at that time: “%(session)s”, %(when)s.")
                % {
                    "speaker": clash.speaker.name,
                    "session": clash.session.title,
                    "when": local.strftime("%Y-%m-%d %H:%M"),
                }
            }
        )


def _set_links(session: Session, speakers: list[Speaker] | None, competencies) -> None:
    if speakers is not None:
        SessionSpeaker.objects.filter(session=session).delete()
        SessionSpeaker.objects.bulk_create(
            SessionSpeaker(session=session, speaker=s, order=i) for i, s in enumerate(speakers)
        )
    if competencies is not None:
        session.competencies.set(competencies)


def _session_view(session: Session) -> dict:
    out = _values(session, SESSION_FIELDS)
    out["speakers"] = list(
        SessionSpeaker.objects.filter(session=session)
        .order_by("order")
        .values_list("speaker_id", flat=True)
    )
    out["competencies"] = sorted(session.competencies.values_list("code", flat=True))
    return out


@transaction.atomic
def session_create(
    *,
    actor,
    event: Event,
    scope: Scope | None = None,
    speakers=None,
    competencies=None,
    **data,
) -> Session:
    """Add a session; ``session.warnings`` lists what does not refuse it (more sessions than
    planned)."""
    from ..selectors_events import session_warnings

    scope = _scope(actor, scope)
    _require_organiser(scope, event.instansi_id)
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require_open(event)
    title = _text(data.get("title"), "title", required=_("Give the session a title."), limit=300)
    starts = _moment(data.get("starts_at"), "starts_at")
    ends = _moment(data.get("ends_at"), "ends_at")
    _check_session(event, starts, ends)
    chosen = _speakers(event.instansi_id, speakers)
    _check_speakers_free(chosen, starts, ends, None)
    tags = _competencies(competencies)
    rules = event_rules(event.starts_on)
    jp = data.get("jp")
    jp = (
        rules.default_jp(int((ends - starts).total_seconds() // 60))
        if jp in (None, "")
        else _jp(jp)
    )
    session = Session.objects.create(
        instansi_id=event.instansi_id,
        event=event,
        title=title,
        objectives=_text(data.get("objectives"), "objectives", limit=TEXT_LIMIT),
        starts_at=starts,
        ends_at=ends,
        room=_text(data.get("room"), "room", limit=120),
        jp=jp,
        published=bool(data.get("published", True)),
    )
    _set_links(session, chosen, tags)
    _audit(actor, "training.session_create", session, _session_view(session))
    session.warnings = session_warnings(event)
    return session


@transaction.atomic
def session_update(
    *,
    actor,
    session: Session,
    scope: Scope | None = None,
    speakers=None,
    competencies=None,
    **data,
) -> Session:
    """Change a session; ``speakers`` and ``competencies``, when given, replace the lists (the
    speakers in the order given). A change after publication leaves the timetable "changed,
    not yet published" until the organiser publishes again."""
    from ..selectors_events import session_warnings

    scope = _scope(actor, scope)
    _require_organiser(scope, session.instansi_id)
    session = Session.objects.select_for_update().select_related("event").get(pk=session.pk)
    event = session.event
    _require_open(event)
    before = _session_view(session)
    if "title" in data:
        session.title = _text(
            data["title"], "title", required=_("Give the session a title."), limit=300
        )
    if "objectives" in data:
        session.objectives = _text(data["objectives"], "objectives", limit=TEXT_LIMIT)
    if "room" in data:
        session.room = _text(data["room"], "room", limit=120)
    if "published" in data:
        session.published = bool(data["published"])
    if "starts_at" in data:
        session.starts_at = _moment(data["starts_at"], "starts_at")
    if "ends_at" in data:
        session.ends_at = _moment(data["ends_at"], "ends_at")
    _check_session(event, session.starts_at, session.ends_at)
    chosen = _speakers(event.instansi_id, speakers) if speakers is not None else None
    current = chosen if chosen is not None else list(session.speakers.all())
    _check_speakers_free(current, session.starts_at, session.ends_at, session.pk)
    if data.get("jp") not in (None, ""):
        session.jp = _jp(data["jp"])
    elif "jp" in data:  # cleared: back to the default from the length
        session.jp = event_rules(event.starts_on).default_jp(session.minutes)
    session.save()
    _set_links(session, chosen, _competencies(competencies) if competencies is not None else None)
    changes = _changes(before, _session_view(session))
    if changes:
        _audit(actor, "training.session_update", session, changes)
    session.warnings = session_warnings(event)
    return session


@transaction.atomic
def session_delete(*, actor, session: Session, scope: Scope | None = None) -> None:
    scope = _scope(actor, scope)
    _require_organiser(scope, session.instansi_id)
    session = Session.objects.select_for_update().select_related("event").get(pk=session.pk)
    _require_open(session.event)
    if session.attendances.exists():
        raise ValidationError(_("The session has attendance recorded; it cannot be deleted."))
    view = _session_view(session)
    _audit(actor, "training.session_delete", session, {k: [v, None] for k, v in view.items()})
    session.delete()


# Materials --------------------------------------------------------------------------------

EXTENSIONS = {"pdf": "pdf", "pptx": "pptx", "docx": "docx", "xlsx": "xlsx"}


def detect_material_type(content: bytes) -> str | None:
    """The type of a file read from its first bytes (and, for an Office file, the names inside
    the zip): ``pdf``, ``pptx``, ``docx``, ``xlsx`` or None."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        for prefix, kind in (("ppt/", "pptx"), ("word/", "docx"), ("xl/", "xlsx")):
            if any(n.startswith(prefix) for n in names):
                return kind
    return None


@transaction.atomic
def material_add(
    *, actor, session: Session, upload, title: str = "", scope: Scope | None = None
) -> SessionMaterial:
    """Attach a file to a session: PDF, PPTX, DOCX or XLSX (read from its content, which must
    match its name), up to the policy's size. Allowed in any status: handouts often come after
    the session."""
    scope = _scope(actor, scope)
    _require_organiser(scope, session.instansi_id)
    if upload is None:
        raise ValidationError({"file": _("Choose a file.")})
    rules = event_rules(session.event.starts_on)
    name = PurePath(getattr(upload, "name", "") or "").name[:200]
    if upload.size > rules.material_max_bytes:
        raise ValidationError(
            {
                "file": _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "size": f"{upload.size / 1048576:.1f}",
                    "limit": f"{rules.material_max_bytes / 1048576:g}",
                }
            }
        )
    content = b"".join(upload.chunks())
    upload.seek(0)
    found = detect_material_type(content)
    claimed = EXTENSIONS.get(PurePath(name).suffix.lower().lstrip("."))
    if found is None or found not in rules.material_types or claimed != found:
        raise ValidationError(
            {
                "file": _(
                    "“%(name)s” is a file of the wrong type: its content is not what its name "
                    "says, or the type is not allowed. Upload a %(allowed)s file."
                )
                % {"name": name, "allowed": ", ".join(t.upper() for t in rules.material_types)}
            }
        )
    material = SessionMaterial(
        instansi_id=session.instansi_id,
        session=session,
        title=_text(title or name, "title", limit=250) or name,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    material.file.save(name, upload, save=False)
    material.save()
    _audit(
        actor,
        "training.material_add",
        material,
        {"session": session.pk, "title": material.title, "size": upload.size, "type": found},
    )
    return material


@transaction.atomic
def material_remove(*, actor, material: SessionMaterial, scope: Scope | None = None) -> None:
    """Remove a session's material (a wrong file, an outdated version): the row and, once the
    transaction commits, its file. The audit event keeps its title, size and session."""
    scope = _scope(actor, scope)
    material = SessionMaterial.objects.select_for_update().get(pk=material.pk)
    _require_organiser(scope, material.instansi_id)
    storage, name = material.file.storage, material.file.name
    size = material.file.size if name and storage.exists(name) else None
    _audit(
        actor,
        "training.material_remove",
        material,
        {"session": [material.session_id, None], "title": [material.title, None], "size": size},
    )
    material.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# The timetable ----------------------------------------------------------------------------


def _summary(changes: list[dict]) -> str:
    lines = []
    for change in changes:
        lines.append(f"- {change_label(change['kind'])}: {change['title']}")
    return "\n".join(lines)


@transaction.atomic
def timetable_publish(
    *, actor, event: Event, note: str = "", scope: Scope | None = None
) -> TimetableVersion:
    """Publish the sessions as they stand as the next version, with the difference from the
    last. From the second version on, tell the confirmed participants (all of them: everyone
    attends every session) and the speakers of the changed sessions (before or after the
    change), in the app and by e-mail after the commit."""
    scope = _scope(actor, scope)
    _require_organiser(scope, event.instansi_id)
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require_open(event)
    note = _text(note, "note", limit=TEXT_LIMIT)
    last = latest_version(event)
    sessions = snapshot(event)
    if not sessions:
        raise ValidationError(_("The timetable has no session to publish."))
    changes = timetable_diff(last.sessions if last else [], sessions)
    if last is not None and not changes:
        raise ValidationError(
            _("Nothing changed since version %(number)d.") % {"number": last.number}
        )
    number = (last.number if last else 0) + 1
    version = TimetableVersion.objects.create(
        instansi_id=event.instansi_id,
        event=event,
        number=number,
        published_at=timezone.now(),
        published_by=actor if getattr(actor, "pk", None) else None,
        sessions=sessions,
        changes=changes,
        note=note,
    )
    event.timetable_version = number
    event.save(update_fields=["timetable_version", "updated_at"])
    notices = 0
    if last is not None:
        notices = _notify(event, version, last.sessions, sessions, changes)
    _audit(
        actor,
        "training.timetable_publish",
        event,
        {"timetable_version": [number - 1, number], "changes": len(changes), "notices": notices},
        reason=note,
    )
    return version


def _notify(event, version, before, after, changes) -> int:
    changed = {c["session"] for c in changes}
    speaker_ids: set[int] = set()
    for row in [*before, *after]:
        if row["id"] in changed:
            speaker_ids.update(row.get("speakers", []))
    text = _("The timetable of “%(event)s” changed (version %(number)d):\n%(summary)s") % {
        "event": event.title,
        "number": version.number,
        "summary": _summary(changes),
    }
    if version.note:
        text += "\n" + version.note
    participants = list(
        Participant.objects.filter(event=event, status=ParticipantStatus.CONFIRMED)
        .select_related("employee")
        .order_by("pk")
    )
    speakers = list(Speaker.objects.filter(pk__in=speaker_ids).order_by("pk"))
    rows = [
        TrainingNotice(
            instansi_id=event.instansi_id,
            event=event,
            version=version,
            employee=p.employee,
            text=text,
        )
        for p in participants
    ] + [
        TrainingNotice(
            instansi_id=event.instansi_id, event=event, version=version, speaker=s, text=text
        )
        for s in speakers
    ]
    TrainingNotice.objects.bulk_create(rows)
    addresses = sorted(
        {p.employee.email for p in participants if p.employee.email}
        | {s.email for s in speakers if s.email}
    )
    subject = _("Timetable changed: %(event)s") % {"event": event.title}
    if addresses:

        def send():
            for address in addresses:
                send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True)

        transaction.on_commit(send)
    return len(rows)


@transaction.atomic
def notice_mark_read(
    *, actor, notice: TrainingNotice, scope: Scope | None = None
) -> TrainingNotice:
    """The recipient marks a notice read (not audited: it changes nothing of the event)."""
    scope = _scope(actor, scope)
    if not scope.employee_id or notice.employee_id != scope.employee_id:
        raise PermissionDenied(_("Only the recipient may mark a notice read."))
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at", "updated_at"])
    return notice
