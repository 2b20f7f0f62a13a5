"""Calendar files (iCalendar, RFC 5545) of the published timetable: per event and per
participant. Each session keeps one UID across versions (``training-session-<id>@<instansi>``)
and carries the timetable version as its SEQUENCE, so a calendar that imported version 1 updates
its entries on version 2. Times are Asia/Jakarta (WIB). A session whose subject is not published
shows a neutral title."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as IcsEvent

from .models import Event, TimetableVersion
from .selectors_events import hidden_title

JAKARTA = ZoneInfo("Asia/Jakarta")


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Kinerja//Pelatihan//ID")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Jakarta")
    return cal


def _add_version(cal: Calendar, event: Event, version: TimetableVersion, code: str) -> None:
    stamp = version.published_at
    for row in version.sessions:
        entry = IcsEvent()
        entry.add("uid", f"training-session-{row['id']}@{code}.kinerja")
        entry.add("sequence", version.number)
        entry.add("dtstamp", stamp)
        entry.add("dtstart", dt.datetime.fromisoformat(row["starts_at"]).astimezone(JAKARTA))
        entry.add("dtend", dt.datetime.fromisoformat(row["ends_at"]).astimezone(JAKARTA))
        title = row["title"] if row.get("published", True) else str(hidden_title())
        entry.add("summary", title)
        where = ", ".join(p for p in (row.get("room", ""), event.venue) if p)
        if where:
            entry.add("location", where)
        names = row.get("speaker_names") or []
        description = event.title
        if names and row.get("published", True):
            description += "\n" + ", ".join(names)
        entry.add("description", description)
        cal.add_component(entry)


def _latest(events) -> dict[int, TimetableVersion]:
    latest: dict[int, TimetableVersion] = {}
    for version in TimetableVersion.objects.filter(event__in=events).order_by("event", "number"):
        latest[version.event_id] = version
    return latest


def event_calendar(event: Event) -> bytes:
    """The event's published timetable (its latest version; empty before the first)."""
    cal = _calendar(event.title)
    version = _latest([event]).get(event.pk)
    if version is not None:
        _add_version(cal, event, version, event.instansi.code)
    return cal.to_ical()


def participant_calendar(enrolments, name: str) -> bytes:
    """The published sessions of the events a participant is enrolled in."""
    cal = _calendar(name)
    events = [p.event for p in enrolments]
    latest = _latest(events)
    for event in events:
        if event.pk in latest:
            _add_version(cal, event, latest[event.pk], event.instansi.code)
    return cal.to_ical()


def filename(stem: str) -> str:
    return f"{stem}-{timezone.localtime():%Y%m%d}.ics"
