"""The training app's foundation: its reference data, and who reads events and enrolments."""

import pytest

from kinerja.accounts.scope import scope_for
from kinerja.training.models import Competency, Event, Participant, TrainingType
from kinerja.training.reference import load_reference
from kinerja.training.tests.factories import EventFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def test_the_migration_loads_the_competency_dictionary_and_the_training_types():
    kinds = list(Competency.objects.values_list("kind", flat=True))
    assert kinds.count("managerial") == 8
    assert kinds.count("socio_cultural") == 1
    refresher = TrainingType.objects.get(code="penyegaran-manajemen")
    assert (refresher.route, refresher.accredited, str(refresher.min_attendance_percent)) == (
        "classical",
        False,
        "90.00",
    )
    assert set(TrainingType.objects.filter(leadership=True).values_list("code", flat=True)) == {
        "pkn-ii",
        "pka",
        "pkp",
    }


def test_loading_the_reference_again_adds_nothing_and_keeps_an_edit():
    TrainingType.objects.filter(code="seminar").update(min_attendance_percent=75)
    assert load_reference(Competency, TrainingType) == (0, 0)
    assert TrainingType.objects.get(code="seminar").min_attendance_percent == 75


def test_a_planned_event_is_seen_by_the_organiser_only(world):
    planned = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a, status="planned")
    running = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a)
    EventFactory(instansi=world.other_instansi, organiser_unit=world.agency_x)

    def seen(role):
        return set(Event.objects.within(scope_for(world.users[role])))

    assert seen("bpsdm") == {planned, running}
    assert seen("employee") == {running}
    assert seen("opd_admin") == {running}


def test_an_enrolment_is_read_like_the_person(world):
    event = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a)
    part_a = ParticipantFactory(event=event, employee=world.staff_a)
    part_b = ParticipantFactory(event=event, employee=world.staff_b)
    assert part_a.agency == world.agency_a and part_a.unit_name == "Bidang SMA"

    def seen(role):
        return set(Participant.objects.within(scope_for(world.users[role])))

    assert seen("bpsdm") == {part_a, part_b}
    assert seen("bkd") == {part_a, part_b}
    assert seen("opd_admin") == {part_a}  # agency A's administrator: not agency B's enrolment
    assert seen("employee") == {part_a}  # staff_a: their own
    assert seen("evaluator") == set()  # holds no post: reaches nobody
