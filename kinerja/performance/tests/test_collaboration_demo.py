"""The demo collaborations, a step of load_demo after the plan."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from kinerja.performance.models import Collaboration, CollaborationMember, Goal
from kinerja.performance.selectors_collaboration import province_targets, shared_targets_for_unit


@pytest.mark.django_db
def test_load_demo_shares_targets_across_agencies_and_reset_rebuilds_them():
    call_command("load_demo", staff=250, seed=1, verbosity=0)
    assert Collaboration.objects.count() == 3
    statuses = sorted(CollaborationMember.objects.values_list("status", flat=True))
    assert statuses == ["accepted", "accepted", "accepted", "declined", "invited"]
    school = Collaboration.objects.get(target__indicator__code="IKU-DINDIK-01")
    assert (school.target.year, school.lead_weight) == (2026, Decimal(50))
    social = school.members.get(unit__name="Dinas Sosial")
    assert social.supporting_target.indicator.unit == social.unit
    assert len(shared_targets_for_unit(social.unit, 2026)) == 2  # member of two
    rolled = [t.pk for t in province_targets(2026, instansi=school.instansi_id)]
    assert rolled.count(school.target_id) == 1
    assert social.supporting_target_id not in rolled
    call_command("load_demo", staff=250, seed=1, verbosity=0)
    assert Collaboration.objects.count() == 3
    call_command("load_demo", staff=250, seed=1, reset=True, verbosity=0)
    assert Collaboration.objects.count() == 3
    call_command("generate_province", staff=250, seed=2, reset=True, verbosity=0)
    assert Goal.objects.count() == 0 and Collaboration.objects.count() == 0
