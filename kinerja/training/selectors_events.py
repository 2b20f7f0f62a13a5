"""Reads of the events capability: what a caller may see of programmes, events, sessions and
speakers (always from ``.within(scope)``), the timetable's snapshot and its difference from the
published version, the days of an event, and a participant's own events and notices."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.scope import Scope

from .choices import ParticipantStatus
from .models import (
    Event,
    Participant,
    Programme,
    Session,
    SessionSpeaker,
    Speaker,
    TimetableVersion,
    TrainingNotice,
)
from .querysets import organises


def hidden_title() -> str:
    return _("Session (title not yet published)")


# Scoped reads ------------------------------------------------------------------------------


def programmes_for(scope: Scope) -> QuerySet[Programme]:
    return Programme.objects.within(scope)


def events_for(scope: Scope) -> QuerySet[Event]:
    return Event.objects.within(scope).select_related(
        "programme", "organiser_unit", "training_type", "venue_region"
    )


def sessions_for(scope: Scope) -> QuerySet[Session]:
    links = SessionSpeaker.objects.select_related("speaker").order_by("order", "pk")
    return (
        Session.objects.within(scope)
        .select_related("event")
        .prefetch_related(Prefetch("speaker_links", queryset=links), "competencies")
    )


def speakers_for(scope: Scope) -> QuerySet[Speaker]:
    return Speaker.objects.within(scope)


def shown_title(session: Session, scope: Scope) -> str:
    """The session's title as the caller may read it: an unpublished subject shows a neutral
    title to everyone but the organiser."""
    if session.published or organises(scope):
        return session.title
    return hidden_title()


def is_participant(scope: Scope, event: Event) -> bool:
    """Whether the caller is a confirmed participant of the event."""
    if not scope.employee_id:
        return False
    return Participant.objects.filter(
        event_id=event.pk, employee_id=scope.employee_id, status=ParticipantStatus.CONFIRMED
    ).exists()


def reads_materials(scope: Scope, event: Event) -> bool:
    """Materials are for the event's confirmed participants and the organiser."""
    return organises(scope) or is_participant(scope, event)


def event_days(event: Event) -> list[dt.date]:
    return [event.starts_on + dt.timedelta(days=i) for i in range(event.days)]


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def sessions_on(sessions, day: dt.date) -> list[Session]:
    return [s for s in sessions if local_day(s.starts_at) == day]


# The timetable: snapshot and difference ------------------------------------------------------


def snapshot(event: Event) -> list[dict[str, Any]]:
    """The event's sessions as a published version keeps them: id, title, whether the subject
    is published, local start and end, room, JP and the speakers in order."""
    links = SessionSpeaker.objects.select_related("speaker").order_by("order", "pk")
    sessions = (
        Session.objects.filter(event_id=event.pk)
        .prefetch_related(Prefetch("speaker_links", queryset=links))
        .order_by("starts_at", "pk")
    )
    return [
        {
            "id": s.pk,
            "title": s.title,
            "published": s.published,
            "starts_at": timezone.localtime(s.starts_at).isoformat(),
            "ends_at": timezone.localtime(s.ends_at).isoformat(),
            "room": s.room,
            "jp": str(s.jp),
            "speakers": [link.speaker_id for link in s.speaker_links.all()],
            "speaker_names": [link.speaker.name for link in s.speaker_links.all()],
        }
        for s in sessions
    ]


def timetable_diff(before: list[dict], after: list[dict]) -> list[dict[str, Any]]:
    """What changed from one snapshot to the next, one entry per session and kind: ``added``,
    ``removed``, ``moved`` (start, end or room), ``retitled`` (title or whether it is
    published) and ``speakers`` (who speaks, or their order)."""
    old = {row["id"]: row for row in before}
    new = {row["id"]: row for row in after}
    changes: list[dict[str, Any]] = []
    for row in after:
        if row["id"] not in old:
            changes.append({"kind": "added", "session": row["id"], "title": row["title"]})
    for row in before:
        if row["id"] not in new:
            changes.append({"kind": "removed", "session": row["id"], "title": row["title"]})
    for sid, row in new.items():
        was = old.get(sid)
        if was is None:
            continue
        place = ("starts_at", "ends_at", "room")
        if any(was.get(k) != row.get(k) for k in place):
            changes.append(
                {
                    "kind": "moved",
                    "session": sid,
                    "title": row["title"],
                    "before": {k: was.get(k) for k in place},
                    "after": {k: row.get(k) for k in place},
                }
            )
        if (was["title"], was["published"]) != (row["title"], row["published"]):
            changes.append(
                {
                    "kind": "retitled",
                    "session": sid,
                    "title": row["title"],
                    "before": was["title"],
                    "after": row["title"],
                }
            )
        if was.get("speakers") != row.get("speakers"):
            changes.append(
                {
                    "kind": "speakers",
                    "session": sid,
                    "title": row["title"],
                    "before": was.get("speaker_names", []),
                    "after": row.get("speaker_names", []),
                }
            )
    return changes


def latest_version(event: Event) -> TimetableVersion | None:
    return TimetableVersion.objects.filter(event_id=event.pk).order_by("-number").first()


def pending_changes(event: Event) -> list[dict[str, Any]]:
    """The difference between the sessions as they are and the last published version (every
    session counts as added before the first publication)."""
    last = latest_version(event)
    return timetable_diff(last.sessions if last else [], snapshot(event))


def timetable_changed(event: Event) -> bool:
    """Published, then edited: "changed, not yet published"."""
    return event.timetable_version > 0 and bool(pending_changes(event))


def change_label(kind: str) -> str:
    labels = {
        "added": _("Added"),
        "removed": _("Removed"),
        "moved": _("Moved"),
        "retitled": _("Retitled"),
        "speakers": _("Speakers changed"),
    }
    return str(labels.get(kind, kind))


def session_warnings(event: Event) -> list[str]:
    """Warnings that do not refuse a write: more sessions than planned."""
    count = Session.objects.filter(event_id=event.pk).count()
    if event.planned_sessions and count > event.planned_sessions:
        return [
            _("The event has %(count)d sessions; %(planned)d were planned.")
            % {"count": count, "planned": event.planned_sessions}
        ]
    return []


# A participant's own ------------------------------------------------------------------------


def my_enrolments(scope: Scope) -> QuerySet[Participant]:
    """The caller's own enrolments (not withdrawn), newest event first."""
    if not scope.employee_id:
        return Participant.objects.none()
    return (
        Participant.objects.within(scope)
        .filter(employee_id=scope.employee_id)
        .exclude(status=ParticipantStatus.WITHDRAWN)
        .select_related("event", "event__programme")
        .order_by("-event__starts_on", "pk")
    )


def my_notices(scope: Scope) -> QuerySet[TrainingNotice]:
    if not scope.employee_id:
        return TrainingNotice.objects.none()
    return TrainingNotice.objects.filter(
        instansi_id=scope.instansi_id, employee_id=scope.employee_id
    ).select_related("event", "version")


def published_rows(version: TimetableVersion | None, scope: Scope) -> list[dict[str, Any]]:
    """The rows of a published version as the caller may read them (neutral titles for an
    unpublished subject, except for the organiser)."""
    if version is None:
        return []
    rows = []
    for row in version.sessions:
        shown = dict(row)
        if not row.get("published", True) and not organises(scope):
            shown["title"] = hidden_title()
        shown["starts"] = dt.datetime.fromisoformat(row["starts_at"])
        shown["ends"] = dt.datetime.fromisoformat(row["ends_at"])
        rows.append(shown)
    return rows
