"""Permission-matrix rows of the nominations (pages and API).

Objects (``extend``): ``event_nom`` an event of the instansi open for nomination, for anyone,
with two seats for agency A and two for agency B ("x": the other instansi's event);
``nom`` a nominee of it (agency A's staff_a, agency B's staff_b; "x": the other instansi's
enrolment); ``nominee`` someone not yet enrolled (agency A's head, agency B's honorer, the
other instansi's Dewi); ``agency`` the target's agency; ``person`` and ``gap`` an employee
and a competency gap recorded for them.

Who: the organiser (``manage_training``: BPSDM, the system administrator) runs an event's
nominations anywhere in the instansi; an agency (``nominate``: its head and administrator)
nominates and withdraws its own staff; the system administrator holds every action, so it
also nominates. A gap is recorded by whoever changes people on the person's unit (BKD, the
system administrator, agency A's administrator for agency A).
"""

from __future__ import annotations

from kinerja.training.choices import ParticipantStatus
from kinerja.training.models import Competency, CompetencyGap, EventQuota, Participant
from kinerja.training.tests.factories import EventFactory, ParticipantFactory
from tests.matrix_base import NEW_NAME, SCOPED, SIGNED_IN, WIDE, Row

ORGANISERS = {"system_admin", "bpsdm"}
NOMINATORS_A = {"system_admin", "opd_head", "opd_admin"}
NOMINATORS_B = {"system_admin"}
TRAINING_PEOPLE = ORGANISERS | NOMINATORS_A
GAP_RECORDERS = {"a": {"system_admin", "bkd", "opd_admin"}, "b": {"system_admin", "bkd"}}


def extend(world, objects):
    event = EventFactory(
        instansi=world.instansi,
        organiser_unit=world.agency_a,
        status="nomination",
        audience_kinds=[],
        title="Acara Nominasi Uji",
    )
    for agency in (world.agency_a, world.agency_b):
        EventQuota.objects.create(instansi=world.instansi, event=event, agency=agency, seats=2)
    nom_a = ParticipantFactory(
        event=event, employee=world.staff_a, status=ParticipantStatus.NOMINATED, confirmed_at=None
    )
    nom_b = ParticipantFactory(
        event=event, employee=world.staff_b, status=ParticipantStatus.NOMINATED, confirmed_at=None
    )
    competency = Competency.objects.get(code="mengelola-perubahan")
    gaps = {
        key: CompetencyGap.objects.create(
            instansi=person.instansi,
            employee=person,
            competency=competency,
            year=2022,
            level=2,
            source="assessment",
        )
        for key, person in (("a", world.staff_a), ("b", world.staff_b), ("x", world.staff_x))
    }
    objects["a"].update(
        event_nom=event.pk,
        nom=nom_a.pk,
        nominee=world.head_a.pk,
        agency=world.agency_a.pk,
        person=world.staff_a.pk,
        gap=gaps["a"].pk,
    )
    objects["b"].update(
        event_nom=event.pk,
        nom=nom_b.pk,
        nominee=world.honorer_b.pk,
        agency=world.agency_b.pk,
        person=world.staff_b.pk,
        gap=gaps["b"].pk,
    )
    objects["x"].update(
        event_nom=objects["x"]["event"],
        nom=objects["x"]["participant"],
        nominee=world.staff_x.pk,
        agency=world.agency_x.pk,
        person=world.staff_x.pk,
        gap=gaps["x"].pk,
    )
    objects["-"].update(event_nom=event.pk)


def _status(objs, role):
    return Participant.objects.get(pk=objs["nom"]).status


def _enrolled(objs, role):
    return (
        Participant.objects.filter(event_id=objs["event_nom"], employee_id=objs["nominee"])
        .active()
        .count()
    )


def _seats(objs, role):
    quota = EventQuota.objects.filter(event_id=objs["event_nom"], agency_id=objs["agency"]).first()
    return quota.seats if quota else None


def _gaps(objs, role):
    return CompetencyGap.objects.filter(employee_id=objs["person"]).count()


def _const(value):
    return lambda objs, role: value


EVENT = {"pk": "event_nom"}
PAGE = {"training": True, "kwargs": EVENT}

ROWS = [
    # Pages ---------------------------------------------------------------------------------
    Row("training:event_nominations", "get", {"-": ORGANISERS, "x": set()}, **PAGE),
    Row(
        "training:nominations_confirm",
        "post",
        {"a": ORGANISERS, "b": ORGANISERS},
        data=lambda objs, role: {"participant": objs["nom"]},
        ok=(302,),
        state=_status,
        expect=_const("confirmed"),
        **PAGE,
    ),
    Row(
        "training:nominations_invite",
        "post",
        {"a": ORGANISERS, "b": ORGANISERS, "x": set()},
        data=lambda objs, role: {"employee": objs["nominee"], "reason": NEW_NAME},
        ok=(302,),
        state=_enrolled,
        expect=_const(1),
        training=True,
        kwargs={"pk": "event_nom"},
    ),
    Row(
        "training:nominations_quota",
        "post",
        {"a": ORGANISERS, "b": ORGANISERS},
        data=lambda objs, role: {"agency": objs["agency"], "seats": "5"},
        ok=(302,),
        state=_seats,
        expect=_const(5),
        **PAGE,
    ),
    Row(
        "training:nominate",
        "post",
        {"a": NOMINATORS_A, "b": NOMINATORS_B, "x": set()},
        data=lambda objs, role: {"employee": objs["nominee"], "reason": NEW_NAME},
        ok=(302,),
        state=_enrolled,
        expect=_const(1),
        training=True,
        kwargs={"pk": "event_nom"},
    ),
    Row("training:staff_lookup", "get", {"-": TRAINING_PEOPLE, "x": set()}, **PAGE),
    Row(
        "training:participant_withdraw",
        "get",
        {"a": TRAINING_PEOPLE, "b": ORGANISERS, "x": set()},
        training=True,
        kwargs={"pk": "nom"},
    ),
    Row(
        "training:participant_withdraw",
        "post",
        {"a": TRAINING_PEOPLE, "b": ORGANISERS, "x": set()},
        data={"reason": NEW_NAME},
        ok=(302,),
        state=_status,
        expect=_const("withdrawn"),
        training=True,
        kwargs={"pk": "nom"},
    ),
    Row(
        "training:our_nominees",
        "get",
        {"-": {"system_admin", "opd_head", "opd_admin"}},
        training=True,
    ),
    Row(
        "training:our_progress",
        "get",
        {"-": {"system_admin", "opd_head", "opd_admin"}},
        training=True,
    ),
    # Development needs: everyone signed in reads the gaps within their reach (their own, their
    # reports', their units'); agency B's gap shows only to the instansi-wide roles.
    Row("training:gaps", "get", {"-": SIGNED_IN}, leak_check=True, training=True),
    Row(
        "training:gaps",
        "post",
        {**GAP_RECORDERS, "x": set()},
        data=lambda objs, role: {
            "employee": objs["person"],
            "competency": Competency.objects.get(code="mengelola-perubahan").pk,
            "year": 2023,
            "level": 1,
            "source": "superior",
        },
        ok=(302,),
        state=_gaps,
        expect=_const(2),
        outside=400,
        training=True,
    ),
    Row("training:gap_staff_lookup", "get", {"-": SIGNED_IN}, training=True),
    # API -----------------------------------------------------------------------------------
    Row("api:training-participant-list", "get", {"-": SIGNED_IN}, api=True, training=True),
    Row(
        "api:training-participant-list",
        "post",
        {"a": TRAINING_PEOPLE, "b": ORGANISERS, "x": set()},
        data=lambda objs, role: {"event": objs["event_nom"], "employee": objs["nominee"]},
        api=True,
        ok=(201,),
        state=_enrolled,
        expect=_const(1),
        outside=400,
        training=True,
    ),
    Row(
        "api:training-participant-detail",
        "get",
        {**SCOPED, "x": set()},
        api=True,
        training=True,
        kwargs={"pk": "nom"},
    ),
    Row(
        "api:training-participant-confirm",
        "post",
        {"a": ORGANISERS, "b": ORGANISERS, "x": set()},
        api=True,
        state=_status,
        expect=_const("confirmed"),
        training=True,
        kwargs={"pk": "nom"},
    ),
    Row(
        "api:training-participant-withdraw",
        "post",
        {"a": TRAINING_PEOPLE, "b": ORGANISERS, "x": set()},
        data={"reason": NEW_NAME},
        api=True,
        state=_status,
        expect=_const("withdrawn"),
        training=True,
        kwargs={"pk": "nom"},
    ),
    Row(
        "api:training-event-suggestions",
        "get",
        {"-": TRAINING_PEOPLE, "x": set()},
        api=True,
        training=True,
        kwargs={"pk": "event_nom"},
    ),
    Row("api:training-competency-gap-list", "get", {"-": SIGNED_IN}, api=True, training=True),
    Row(
        "api:training-competency-gap-list",
        "post",
        {**GAP_RECORDERS, "x": set()},
        data=lambda objs, role: {
            "employee": objs["person"],
            "competency": "mengelola-perubahan",
            "year": 2023,
            "level": 1,
            "source": "superior",
        },
        api=True,
        ok=(201,),
        state=_gaps,
        expect=_const(2),
        outside=400,
        training=True,
    ),
    Row(
        "api:training-competency-gap-detail",
        "get",
        {"a": SCOPED["a"], "b": WIDE, "x": set()},
        api=True,
        training=True,
        kwargs={"pk": "gap"},
    ),
]
