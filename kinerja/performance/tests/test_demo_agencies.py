"""The demo's agencies and agreements (PK), loaded as the step after the demo plan."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from kinerja.audit.models import AuditEvent
from kinerja.organisations.models import OrgUnit
from kinerja.performance.choices import AgreementStatus
from kinerja.performance.demo_agencies import sub_period_values
from kinerja.performance.models import (
    Agreement,
    Goal,
    Indicator,
    Target,
    TargetValue,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", staff=250, seed=1, verbosity=0)
    return OrgUnit.objects.filter(parent__isnull=True).count()


def test_the_demo_plans_every_agency_and_makes_the_agreements(demo):
    """One load (the slow part), looked at from several sides, then run again and reset."""
    _every_agency_head_signed_the_2023_agreement_and_the_governor_too(demo)
    _each_agency_has_a_renstra_with_2_to_4_indicators_and_2023_quarters(demo)
    _the_current_year_has_open_agreements_and_one_revision_with_its_reason(demo)
    _a_second_run_keeps_and_reset_rebuilds_the_same(demo)


def _every_agency_head_signed_the_2023_agreement_and_the_governor_too(demo):
    agencies = demo
    assert agencies == 52  # every agency of the demo province, the Setda included
    signed = Agreement.objects.filter(year=2023, status=AgreementStatus.SIGNED)
    assert signed.filter(unit__isnull=False).count() == agencies
    assert Agreement.objects.filter(year=2023).exclude(status=AgreementStatus.SIGNED).count() == 0
    governor = signed.get(unit__isnull=True)
    assert governor.first_party_name == "Khofifah Indar Parawansa"
    assert governor.targets.count() == 7  # the province's key indicators for 2023
    assert governor.targets.filter(shape="").count() == 0  # signed: the targets are locked
    # An agency head reports to nobody in the lines: the governor is the second party.
    dinkes = signed.get(unit__name="Dinas Kesehatan")
    assert dinkes.second_party_title == "Gubernur Jawa Timur"
    assert dinkes.first_party_id is not None and dinkes.head_post.is_head
    assert 3 <= dinkes.targets.count() <= 4
    assert dinkes.programs.count() == 2 and all(p.budget > 10**9 for p in dinkes.programs.all())
    # The governor's program table adds up the agencies' for each program.
    names = governor.programs.values_list("name", "budget")
    total = sum(
        p.budget
        for a in signed.filter(unit__isnull=False)
        for p in a.programs.all()
        if p.name == names[0][0]
    )
    assert names[0][1] == total
    signed_rows = Agreement.objects.filter(status=AgreementStatus.SIGNED).count()
    assert AuditEvent.objects.filter(action="agreement.sign").count() == signed_rows


def _each_agency_has_a_renstra_with_2_to_4_indicators_and_2023_quarters(demo):
    per_agency = dict(
        # The Renstra's: not an employee plan's IKI (with a result), not the collaborations
        # step's supporting indicators (-KOL).
        Indicator.objects.filter(unit__isnull=False, result__isnull=True)
        .exclude(code__contains="-KOL")
        .order_by()
        .values_list("unit")
        .annotate(n=Count("pk"))
    )
    assert len(per_agency) == demo
    assert set(per_agency.values()) <= {2, 3, 4}
    assert Goal.objects.filter(level="agency_target").values("unit").distinct().count() == demo
    assert Goal.objects.filter(code="M4.T1.S1", level="target").exists()
    agency_2023 = Target.objects.filter(
        year=2023, indicator__unit__isnull=False, indicator__result__isnull=True
    ).exclude(indicator__code__contains="-KOL")
    assert agency_2023.count() == sum(per_agency.values())
    # Each number is split over the four quarters of 2023 (a qualitative target has none).
    numbers = agency_2023.exclude(shape="qualitative")
    assert numbers.count() >= agency_2023.count() - 1
    assert TargetValue.objects.filter(target__in=agency_2023).count() == 4 * numbers.count()


def _the_current_year_has_open_agreements_and_one_revision_with_its_reason(demo):
    year = timezone.localdate().year
    current = Agreement.objects.filter(year=year, unit__isnull=False, is_current=True)
    counts = dict(current.order_by().values_list("status").annotate(n=Count("pk")))
    assert counts == {"draft": 2, "submitted": 2, "approved": 1, "signed": demo - 5}
    revised = Agreement.objects.get(year=year, revision=1)
    assert revised.is_signed and revised.revision_reason.startswith("Perubahan APBD")
    assert revised.previous.is_signed and not revised.previous.is_current
    old = sum(p.budget for p in revised.previous.programs.all())
    new = sum(p.budget for p in revised.programs.all())
    assert new < old and new == pytest.approx(old * Decimal("0.9"), rel=Decimal("0.001"))
    assert AuditEvent.objects.filter(action="agreement.revise").count() == 1
    # The governor's table adds up the current revisions.
    governor = Agreement.objects.get(year=year, unit__isnull=True)
    name, budget = governor.programs.values_list("name", "budget")[0]
    assert budget == sum(p.budget for a in current for p in a.programs.all() if p.name == name)


def _a_second_run_keeps_and_reset_rebuilds_the_same(demo):
    rows = Agreement.objects.count()
    assert rows == 2 * demo + 2 + 1  # two years of agencies, the governor's twice, a revision
    call_command("load_demo", staff=250, seed=1, verbosity=0)
    assert Agreement.objects.count() == rows
    call_command("load_demo", staff=250, seed=1, reset=True, verbosity=0)
    assert Agreement.objects.count() == rows
    call_command("generate_province", staff=250, seed=2, reset=True, verbosity=0)
    assert Agreement.objects.count() == 0


def test_sub_period_values_make_the_year_under_each_aggregation():
    up = Indicator(polarity="higher_is_better", aggregation="last_value", data_type="decimal")
    target = Target(shape="value", value=Decimal("80.00"))
    assert sub_period_values(target, up, 4) == {
        1: Decimal("72.80"),
        2: Decimal("75.20"),
        3: Decimal("77.60"),
        4: Decimal("80.00"),
    }
    down = Indicator(polarity="lower_is_better", aggregation="last_value", data_type="decimal")
    assert sub_period_values(Target(shape="value", value=Decimal("2")), down, 4)[1] == Decimal(
        "2.18"
    )
    count = Indicator(polarity="higher_is_better", aggregation="cumulative", data_type="integer")
    split = sub_period_values(Target(shape="value", value=Decimal("1001")), count, 4)
    assert split == {1: Decimal(200), 2: Decimal(250), 3: Decimal(250), 4: Decimal(301)}
    band = sub_period_values(Target(shape="range", low=Decimal(60), high=Decimal(85)), up, 4)
    assert band[3] == {"low": Decimal(60), "high": Decimal(85)}
