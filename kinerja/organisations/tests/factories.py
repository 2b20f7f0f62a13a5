import datetime as dt

import factory

from kinerja.organisations import services
from kinerja.organisations.choices import EmployeeStatus, PositionKind, UnitKind
from kinerja.organisations.models import Employee, Instansi, OrgUnit, Position, Region
from kinerja.organisations.nip import make_nip


def _nip(n: int) -> str:
    return make_nip(dt.date(1985, 3, 14), dt.date(2005 + n // 999 % 20, 1, 1), "m", n % 999 + 1)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "35"
    name = "Jawa Timur"
    level = "province"


class InstansiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instansi
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"instansi-{n}")
    name = factory.Sequence(lambda n: f"Pemerintah Daerah {n}")
    kind = "province"
    region = factory.SubFactory(RegionFactory)


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    instansi = factory.SubFactory(InstansiFactory)
    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    kind = factory.LazyAttribute(
        lambda o: UnitKind.DINAS if o.parent is None else UnitKind.DIVISION
    )
    parent = None
    valid_from = dt.date(2020, 1, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        unit = model_class(*args, **kwargs)
        unit.save()
        services._place(unit)
        return unit


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    unit = factory.SubFactory(OrgUnitFactory)
    instansi = factory.LazyAttribute(lambda o: o.unit.instansi)
    code = factory.Sequence(lambda n: f"P{n:05d}")
    title = factory.Sequence(lambda n: f"Analis {n}")
    kind = PositionKind.PELAKSANA


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    unit = factory.SubFactory(OrgUnitFactory)
    instansi = factory.LazyAttribute(lambda o: o.unit.instansi)
    name = factory.Faker("name", locale="id_ID")
    status = EmployeeStatus.PNS
    sex = "m"
    birth_date = dt.date(1985, 3, 14)
    nip = factory.Sequence(_nip)
