"""The demo's programme and its events, from the published facts in
``data/refreshment_2023.json``: the 2023 "Refreshment Manajemen Pemerintah" in Malang (11-13
January 2023), its four published sessions with their speakers, and the seven sessions whose
subject was never published, kept as sessions marked not published with neutral titles and no
speaker (nothing is invented about them). The times are a plausible schedule of three days, not a
published one. The organiser is the province's BPSDM (the Setda's Biro Organisasi where an
instansi has no BPSDM). A second edition in the current year stays planned. Participants are
enrolled by a later step.

Everything goes through the services, as the system (audited like any write)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.scope import Action, Grant, Scope
from kinerja.organisations.models import OrgUnit, Region

from .models import Event, Programme, Session, SessionSpeaker, Speaker, TrainingNotice
from .services import events as svc

DATA = Path(__file__).resolve().parent / "data" / "refreshment_2023.json"
BPSDM_NAME = "Badan Pengembangan Sumber Daya Manusia"
FALLBACK_NAME = "Biro Organisasi"
# A plausible schedule (day index, start, end), local time; the four published sessions take
# the slots of ``PUBLISHED_SLOTS`` in the order of the file.
SLOTS = [
    (0, "08:30", "10:45"),
    (0, "11:00", "12:30"),
    (0, "13:30", "15:00"),
    (0, "15:15", "16:45"),
    (1, "08:00", "10:15"),
    (1, "10:30", "12:00"),
    (1, "13:00", "14:30"),
    (1, "15:00", "16:30"),
    (2, "08:00", "09:30"),
    (2, "09:45", "11:15"),
    (2, "13:00", "14:30"),
]
PUBLISHED_SLOTS = (0, 4, 6, 9)


def load_facts() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def system_scope(instansi_id: int) -> Scope:
    return Scope(instansi_id=instansi_id, grants=(Grant(actions=Action.ALL),))


def organiser_unit(instansi) -> OrgUnit | None:
    """The BPSDM agency, else the Setda's Biro Organisasi, else the first agency."""
    units = OrgUnit.objects.filter(instansi=instansi)
    return (
        units.filter(parent__isnull=True, name=BPSDM_NAME).first()
        or units.filter(name=FALLBACK_NAME).first()
        or units.filter(parent__isnull=True).order_by("sort_key", "pk").first()
    )


def _at(day: dt.date, hhmm: str) -> dt.datetime:
    hour, minute = (int(p) for p in hhmm.split(":"))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def build(instansi) -> dict[str, int]:
    """Create the programme, the 2023 event (finished, timetable version 1) and the planned
    edition of the current year; return counts."""
    facts = load_facts()
    scope = system_scope(instansi.pk)
    unit = organiser_unit(instansi)
    if unit is None:
        return {"events": 0, "sessions": 0, "speakers": 0}
    spec = facts["programme"]
    programme = Programme.objects.filter(instansi=instansi, name=spec["name"]).first()
    if programme is None:
        programme = svc.programme_create(
            actor=None, scope=scope, name=spec["name"], purpose=spec["purpose"], organiser_unit=unit
        )
    info = facts["event"]
    region = (
        info["venue_region_code"]
        if Region.objects.filter(code=info["venue_region_code"]).exists()
        else ""
    )
    opened = info["opened_by"]
    event = svc.event_create(
        actor=None,
        scope=scope,
        programme=programme,
        title=info["title"],
        description="\n".join(f"- {d}" for d in facts.get("directives", [])),
        venue=info["venue_city"],
        venue_region=region,
        starts_on=info["start_date"],
        ends_on=info["end_date"],
        organiser_unit=unit,
        training_type="penyegaran-manajemen",
        audience_kinds=["jpt_pratama"],
        audience_eselons=["II.a", "II.b"],
        audience_note=info["audience"][:250],
        planned_sessions=info["planned_sessions"],
        capacity=info["participants_count"],
        opened_by=f"{opened['name']}, {opened['position']}",
    )
    speakers = 0
    published = dict(zip(PUBLISHED_SLOTS, facts["sessions"], strict=True))
    for i, (day, start, end) in enumerate(SLOTS):
        date = event.starts_on + dt.timedelta(days=day)
        known = published.get(i)
        chosen = []
        if known is not None:
            for person in known["speakers"]:
                speaker = Speaker.objects.filter(
                    instansi=instansi, name=person["name"], organisation=person["organisation"]
                ).first()
                if speaker is None:
                    speaker = svc.speaker_create(
                        actor=None,
                        scope=scope,
                        name=person["name"],
                        position=person.get("position", ""),
                        organisation=person["organisation"],
                        bio=person.get("note", ""),
                    )
                    speakers += 1
                chosen.append(speaker)
        svc.session_create(
            actor=None,
            scope=scope,
            event=event,
            title=known["title"] if known else f"Sesi {i + 1} (materi tidak dipublikasikan)",
            starts_at=_at(date, start),
            ends_at=_at(date, end),
            room="Ruang Utama",
            published=known is not None,
            speakers=chosen,
        )
    svc.timetable_publish(
        actor=None, scope=scope, event=event, note=_("Timetable as held in January 2023.")
    )
    for status in ("nomination", "running", "finished"):
        svc.event_set_status(actor=None, scope=scope, event=event, status=status)
    today = timezone.localdate()
    starts = today + dt.timedelta(days=30)
    svc.event_create(
        actor=None,
        scope=scope,
        programme=programme,
        title=f"{spec['name']} Tahun {starts.year + (1 if starts.year == 2023 else 0)}",
        venue=info["venue_city"],
        venue_region=region,
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=2),
        organiser_unit=unit,
        training_type="penyegaran-manajemen",
        audience_kinds=["jpt_pratama"],
        audience_eselons=["II.a", "II.b"],
        audience_note=info["audience"][:250],
        planned_sessions=info["planned_sessions"],
    )
    return {"events": 2, "sessions": len(SLOTS), "speakers": speakers}


def demo_events_run(ctx) -> str:
    """The programme and its two events; keep what is there."""
    instansi = ctx.instansi
    name = load_facts()["programme"]["name"]
    existing = Event.objects.filter(instansi=instansi, programme__name=name).count()
    if existing:
        return _("kept: %(n)d training events already (use --reset to rebuild)") % {"n": existing}
    counts = build(instansi)
    return _("%(events)d training events, %(sessions)d sessions, %(speakers)d speakers") % counts


def demo_events_wipe(ctx) -> str:
    """Remove the programme's events, their sessions and the speakers (their audit events
    stay). Enrolments are removed by their own step, which is wiped first."""
    instansi = ctx.instansi
    name = load_facts()["programme"]["name"]
    events = Event.objects.filter(instansi=instansi, programme__name=name)
    TrainingNotice.objects.filter(event__in=events).delete()
    SessionSpeaker.objects.filter(session__event__in=events).delete()
    Session.objects.filter(event__in=events).delete()
    count = events.delete()[1].get("training.Event", 0)
    names = [p["name"] for s in load_facts()["sessions"] for p in s["speakers"]]
    Speaker.objects.filter(instansi=instansi, name__in=names, session_links__isnull=True).delete()
    Programme.objects.filter(instansi=instansi, name=name, events__isnull=True).delete()
    return _("removed %(n)d training events") % {"n": count}
