"""factory_boy factories of the training app. A participant copies the employee's post, unit
and agency as the enrolment service does."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from kinerja.core import paths
from kinerja.organisations.models import OrgUnit
from kinerja.training.choices import ParticipantStatus
from kinerja.training.models import (
    Event,
    Participant,
    Programme,
    Session,
    SessionSpeaker,
    Speaker,
    TrainingType,
)

WIB = dt.timezone(dt.timedelta(hours=7))


class TrainingTypeFactory(factory.django.DjangoModelFactory):
    """The seeded type of the 2023 refreshment (a test that flushed tables gets it back)."""

    class Meta:
        model = TrainingType
        django_get_or_create = ("code",)

    code = "penyegaran-manajemen"
    name = "Penyegaran Manajemen Pemerintahan (non-akreditasi)"
    route = "classical"
    min_attendance_percent = Decimal("90")
    post_test_required = True


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("instansi", "name")

    name = "Refreshment Manajemen Pemerintah"


class EventFactory(factory.django.DjangoModelFactory):
    """An event of three days from 11 January 2023 (the 2023 refreshment's dates)."""

    class Meta:
        model = Event

    programme = factory.SubFactory(ProgrammeFactory, instansi=factory.SelfAttribute("..instansi"))
    title = factory.Sequence(lambda n: f"Refreshment Manajemen Pemerintah {2023 + n}")
    venue = "Malang"
    starts_on = dt.date(2023, 1, 11)
    ends_on = dt.date(2023, 1, 13)
    training_type = factory.SubFactory(TrainingTypeFactory)
    audience_kinds = factory.LazyFunction(lambda: ["jpt_pratama"])
    planned_sessions = 11
    status = "running"


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Narasumber {n}")
    organisation = "KemenPAN-RB"


class SessionFactory(factory.django.DjangoModelFactory):
    """A session of 90 minutes (2 JP) on the event's first day, from 08:00 WIB."""

    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    instansi = factory.SelfAttribute("event.instansi")
    title = factory.Sequence(lambda n: f"Sesi {n}")
    starts_at = factory.LazyAttribute(
        lambda o: dt.datetime.combine(o.event.starts_on, dt.time(8, 0), WIB)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=90))
    jp = Decimal("2")
    room = "Ruang Utama"

    @factory.post_generation
    def speakers(self, create, extracted, **kwargs):
        for i, speaker in enumerate(extracted or ()):
            SessionSpeaker.objects.create(session=self, speaker=speaker, order=i)


def _agency_of(unit: OrgUnit) -> OrgUnit:
    """The unit at the top of the unit's tree."""
    return OrgUnit.objects.get(pk=paths.ids(unit.path)[0])


class ParticipantFactory(factory.django.DjangoModelFactory):
    """A confirmed enrolment with the employee's post and unit copied."""

    class Meta:
        model = Participant

    event = factory.SubFactory(EventFactory)
    instansi = factory.SelfAttribute("event.instansi")
    status = ParticipantStatus.CONFIRMED
    position = factory.LazyAttribute(lambda o: o.employee.position)
    position_title = factory.LazyAttribute(
        lambda o: o.employee.position.title if o.employee.position_id else ""
    )
    position_kind = factory.LazyAttribute(
        lambda o: o.employee.position.kind if o.employee.position_id else ""
    )
    eselon = factory.LazyAttribute(
        lambda o: o.employee.position.eselon if o.employee.position_id else ""
    )
    unit = factory.LazyAttribute(lambda o: o.employee.unit)
    unit_name = factory.LazyAttribute(lambda o: o.employee.unit.name)
    agency = factory.LazyAttribute(lambda o: _agency_of(o.employee.unit))
    agency_name = factory.LazyAttribute(lambda o: _agency_of(o.employee.unit).name)
    nominated_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)


class DevelopmentRecordFactory(factory.django.DjangoModelFactory):
    """An entered record of 10 JP of technical training in 2023, placed where the employee
    stands."""

    class Meta:
        model = "training.DevelopmentRecord"

    employee = None
    instansi = factory.LazyAttribute(lambda o: o.employee.instansi)
    year = 2023
    training_type = factory.LazyFunction(lambda: TrainingType.objects.get(code="teknis"))
    route = "classical"
    title = factory.Sequence(lambda n: f"Pelatihan Teknis {n}")
    organiser = "BPSDM Provinsi"
    starts_on = dt.date(2023, 3, 1)
    ends_on = dt.date(2023, 3, 2)
    hours = Decimal("10")
    quantity = factory.LazyAttribute(lambda o: o.hours)
    quantity_unit = "jp"
    conversion_version = dt.date(2017, 3, 30)
    source = "entered"
    unit = factory.LazyAttribute(lambda o: o.employee.unit)
    agency = factory.LazyAttribute(lambda o: _agency_of(o.employee.unit))
    position = factory.LazyAttribute(lambda o: o.employee.position)
