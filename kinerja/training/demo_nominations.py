"""Demo step "training_nominations" (after the events step, which creates the 2023
refreshment): the 61 heads of agency (the JPT Pratama heading the agencies and the Setda's
bureaux) enrolled through the services as confirmed participants, each agency with the quota
its heads need (one seat; the Setda one per bureau), set by the organiser; one head withdrawn
on medical leave and replaced by the acting head (Plt) appointed for the leave, to show the
rule; and a few competency gaps from the 2022 assessment.

The services take nominations only while an event is open for nomination: the step opens the
event for the time of the step and puts its status back (the event may already be finished in
the demo's story)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext as _

from kinerja.core.scope import Action, Grant, Scope
from kinerja.organisations.models import ActingAssignment, Employee, OrgUnit
from kinerja.organisations.synthetic import agency_heads

from .choices import EventStatus, ParticipantStatus
from .models import Competency, CompetencyGap, Event, EventQuota, Participant
from .selectors_nominations import verdicts
from .services import nominations as svc

EVENT_TITLE = "Refreshment Manajemen Pemerintah Tahun 2023"
PLT_DECREE = "800/DEMO/PLT-REFRESHMENT/2023"
PLT_FROM = dt.date(2023, 1, 9)
PLT_TO = dt.date(2023, 3, 31)
GAP_NOTE = "Asesmen kompetensi manajerial 2022 (demo)"
GAPS = [  # (index among the heads, competency code, level)
    (0, "mengelola-perubahan", 2),
    (3, "pengambilan-keputusan", 1),
    (7, "mengelola-perubahan", 1),
    (12, "orientasi-pada-hasil", 2),
    (20, "kerja-sama", 1),
]
WITHDRAWAL_REASON = (
    "Menjalani perawatan medis sampai akhir Maret 2023; digantikan Plt. yang ditunjuk "
    "selama masa perawatan."
)


def _system(instansi) -> Scope:
    return Scope(instansi_id=instansi.pk, grants=(Grant(actions=Action.ALL),))


def _event(instansi) -> Event | None:
    return Event.objects.filter(instansi=instansi, title=EVENT_TITLE).first()


def _replaced(heads: list[Employee]) -> tuple[Employee, Employee] | None:
    """The head to replace and their Plt: the head of a Badan (else of any agency) whose
    agency has a secretariat headed by someone; the secretary acts for the head."""
    tops = {h.unit_id: h for h in heads if h.unit.parent_id is None}
    secretaries = (
        Employee.objects.filter(
            unit__parent_id__in=list(tops),
            unit__kind="sekretariat",
            position__is_head=True,
            is_active=True,
        )
        .annotate(
            first=Case(
                When(unit__parent__kind="badan", then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .select_related("unit", "position")
        .order_by("first", "unit__sort_key", "pk")
    )
    secretary = secretaries.first()
    if secretary is None:
        return None
    return tops[secretary.unit.parent_id], secretary


def demo_nominations_run(ctx) -> str:
    instansi = ctx.instansi
    event = _event(instansi)
    if event is None:
        return _("no event “%(title)s”: nothing nominated") % {"title": EVENT_TITLE}
    if Participant.objects.filter(event=event).exists():
        return _("kept the %(n)d enrolments") % {
            "n": Participant.objects.filter(event=event).count()
        }
    system = _system(instansi)
    heads = list(agency_heads(instansi).order_by("unit__sort_key", "pk"))
    status = event.status
    Event.objects.filter(pk=event.pk).update(status=EventStatus.NOMINATION)
    event.status = EventStatus.NOMINATION
    try:
        # The 2022 assessment's gaps.
        competencies = {c.code: c for c in Competency.objects.all()}
        for index, code, level in GAPS:
            if index < len(heads) and code in competencies:
                svc.competency_gap_record(
                    actor=None,
                    scope=system,
                    employee=heads[index],
                    competency=competencies[code],
                    year=2022,
                    source="assessment",
                    level=level,
                    note=GAP_NOTE,
                )
        # The quotas: the seats each agency's heads need.
        facts = verdicts(event, heads)
        eligible = [h for h in heads if facts[h.pk].eligible]
        need = Counter(facts[h.pk].post.agency_id for h in eligible)
        agencies = OrgUnit.objects.in_bulk(list(need))
        for agency_id, seats in sorted(need.items()):
            svc.quota_set(
                actor=None, scope=system, event=event, agency=agencies[agency_id], seats=seats
            )
        enrolled = [
            svc.participant_nominate(
                actor=None,
                scope=system,
                event=event,
                employee=head,
                reason=_("Head of agency: the audience of the refreshment"),
            )
            for head in eligible
        ]
        svc.participants_confirm(actor=None, scope=system, participants=enrolled)
        replaced = 0
        pair = _replaced(eligible)
        if pair is not None:
            from kinerja.organisations.services import acting_create

            head, secretary = pair
            acting_create(
                actor=None,
                scope=system,
                employee=secretary,
                position=head.position,
                kind="plt",
                decree_number=PLT_DECREE,
                valid_from=PLT_FROM,
                valid_to=PLT_TO,
                reason=WITHDRAWAL_REASON,
            )
            participant = next(p for p in enrolled if p.employee_id == head.pk)
            svc.participant_withdraw(
                actor=None,
                scope=system,
                participant=participant,
                reason=WITHDRAWAL_REASON,
                replacement=secretary,
            )
            replaced = 1
    finally:
        Event.objects.filter(pk=event.pk).update(status=status)
    confirmed = Participant.objects.filter(event=event, status=ParticipantStatus.CONFIRMED).count()
    return _("%(n)d heads confirmed, %(r)d replaced by an acting head, %(s)d not eligible") % {
        "n": confirmed,
        "r": replaced,
        "s": len(heads) - len(eligible),
    }


def demo_nominations_wipe(ctx) -> str:
    instansi = ctx.instansi
    if instansi is None:
        return _("nothing to remove")
    event = _event(instansi)
    count = 0
    if event is not None:
        parts = Participant.objects.filter(event=event)
        count += parts.filter(replaces__isnull=False).delete()[1].get("training.Participant", 0)
        count += parts.delete()[1].get("training.Participant", 0)
        EventQuota.objects.filter(event=event).delete()
    CompetencyGap.objects.filter(instansi=instansi, note=GAP_NOTE).delete()
    ActingAssignment.objects.filter(instansi=instansi, decree_number=PLT_DECREE).delete()
    return _("removed %(n)d enrolments") % {"n": count}
