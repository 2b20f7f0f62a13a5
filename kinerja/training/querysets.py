"""Reusable reads of the training app. Scoping lives in `kinerja.core.querysets.ScopedQuerySet`;
training adds how its rows stand:

- programmes, events, their sessions and speakers are the instansi's: every signed-in member
  of the instansi sees the events that are out of planning (a timetable is not a secret), and
  the organiser (``manage_training``) sees them all;
- a participant is a person's enrolment: read like the person (``view_people`` on the unit
  they were enrolled from, an evaluator's reports, or their own enrolment), and by the
  organiser across the instansi.
"""

from __future__ import annotations

from django.db.models import Q

from kinerja.core.querysets import ScopedQuerySet
from kinerja.core.scope import Action, Scope

from .choices import EventStatus, ParticipantStatus


def organises(scope: Scope) -> bool:
    """Whether the caller runs training across the instansi (BPSDM, the system administrator)."""
    return scope.can_anywhere(Action.MANAGE_TRAINING)


class InstansiEventQuerySet(ScopedQuerySet):
    """Rows of the instansi's events: visible to every signed-in member once the event is out
    of planning; the organiser sees planned ones too. ``event_field`` names the path to the
    event ("" on the event itself)."""

    scope_path = None
    scope_action = Action.VIEW_ORG
    event_field = ""

    def within(self, scope: Scope, action: str | None = None):
        if scope.instansi_id is None or not scope.is_authenticated:
            return self.none()
        qs = self.filter(self.instansi_q(scope))
        if organises(scope):
            return qs
        prefix = f"{self.event_field}__" if self.event_field else ""
        return qs.exclude(**{f"{prefix}status": EventStatus.PLANNED})


class ProgrammeQuerySet(ScopedQuerySet):
    scope_path = None

    def within(self, scope: Scope, action: str | None = None):
        if scope.instansi_id is None or not scope.is_authenticated:
            return self.none()
        return self.filter(self.instansi_q(scope))


class EventQuerySet(InstansiEventQuerySet):
    def of_year(self, year: int):
        return self.filter(starts_on__year=year)


class SessionQuerySet(InstansiEventQuerySet):
    event_field = "event"

    def published(self):
        return self.filter(published=True)


class SpeakerQuerySet(ProgrammeQuerySet):
    pass


class ParticipantQuerySet(ScopedQuerySet):
    """Enrolments, read like the person enrolled (see the module docstring)."""

    scope_path = "unit__path"
    scope_post = "position_id"
    scope_action = Action.VIEW_PEOPLE
    scope_own = "employee"

    def _grants_q(self, scope: Scope, action: str) -> Q | None:
        if organises(scope):
            return None
        return super()._grants_q(scope, action)

    def active(self):
        """Enrolments that hold a seat: nominated or confirmed, not withdrawn."""
        return self.exclude(status=ParticipantStatus.WITHDRAWN)

    def confirmed(self):
        return self.filter(status=ParticipantStatus.CONFIRMED)


class DevelopmentRecordQuerySet(ScopedQuerySet):
    """Development-hours records, read like the person (``view_people`` on the unit the record
    was made from, an evaluator's reports, or the person's own records)."""

    scope_path = "unit__path"
    scope_post = "position_id"
    scope_action = Action.VIEW_PEOPLE
    scope_own = "employee"

    def of_year(self, year: int):
        return self.filter(year=year)
