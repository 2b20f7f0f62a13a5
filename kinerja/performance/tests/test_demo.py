"""The demo plan, loaded as a step of load_demo from the data file."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from kinerja.audit.models import AuditEvent
from kinerja.performance.choices import KeySetStatus
from kinerja.performance.models import Goal, Indicator, KeyIndicatorSet, Period, Target


@pytest.mark.django_db
def test_load_demo_plans_the_province_and_keeps_it_on_a_second_run():
    call_command("load_demo", staff=250, seed=1, verbosity=0)

    # three from the demo plan, the fourth (infrastructure and environment) from the agencies step
    assert Goal.objects.filter(unit__isnull=True, level="mission").count() == 4
    agencies = set(
        Goal.objects.filter(unit__isnull=False).values_list("unit__name", flat=True).distinct()
    )
    assert {"Dinas Pendidikan", "Dinas Kesehatan"} <= agencies
    assert Indicator.objects.filter(unit__isnull=True, is_key=True).count() == 7
    growth = Target.objects.get(indicator__code="IKU-P01", year=2023)
    assert (growth.shape, growth.low, growth.high) == ("range", Decimal("4.9"), Decimal("5.4"))
    assert Target.objects.filter(year=2023).count() >= 13
    assert 2023 in set(Period.objects.values_list("year", flat=True))
    sets = dict(KeyIndicatorSet.objects.values_list("name", "status"))
    assert sets["IKU Pemerintah Provinsi"] == KeySetStatus.SET
    assert AuditEvent.objects.filter(action="goal.create").count() == Goal.objects.count()

    goals = Goal.objects.count()
    call_command("load_demo", staff=250, seed=1, verbosity=0)
    assert Goal.objects.count() == goals


@pytest.mark.django_db
def test_reset_rebuilds_the_plan():
    call_command("load_demo", staff=250, seed=1, verbosity=0)
    goals = Goal.objects.count()
    call_command("load_demo", staff=250, seed=1, reset=True, verbosity=0)
    assert Goal.objects.count() == goals


@pytest.mark.django_db
def test_a_new_synthetic_province_wipes_the_plan_made_for_the_old_one():
    call_command("load_demo", staff=250, seed=1, verbosity=0)
    call_command("generate_province", staff=250, seed=2, reset=True, verbosity=0)
    assert Goal.objects.count() == 0  # its goals stood on the agencies it removed
