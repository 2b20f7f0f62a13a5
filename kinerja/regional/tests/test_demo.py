"""The demo step on the fixture province: the published totals hold (218 projects, 77, 26,
47, 24 and 44 per area, the 2022 statuses, the 2019 funding counts, 64 P1 and 154 P2, about
Rp 294.3 T), it is written through the services (audited), runs again without change and
wipes."""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone

from kinerja.audit.models import AuditEvent
from kinerja.regional.demo import demo_regional_run, demo_regional_wipe
from kinerja.regional.models import DevelopmentArea, Milestone, ProgressUpdate, Project

pytestmark = pytest.mark.django_db

T = 10**12


class Ctx:
    seed = 2023

    def __init__(self, instansi):
        self.instansi = instansi


@pytest.fixture
def demo(world, regions):
    world.agency_b.name = "Dinas Pekerjaan Umum Bina Marga"
    world.agency_b.save()
    ctx = Ctx(world.instansi)
    demo_regional_run(ctx)
    return ctx


def test_the_demo_holds_the_published_totals(world, demo):
    projects = Project.objects.filter(instansi=world.instansi)
    assert projects.count() == 218
    per_area = dict(Counter(projects.values_list("area__abbreviation", flat=True)))
    assert per_area == {"GKS": 77, "MDR": 26, "BTS": 47, "IJN": 24, "WLS": 44}
    assert Counter(projects.values_list("status", flat=True)) == {
        "finished": 5,
        "partly_operating": 2,
        "construction": 14,
        "preparation": 96,
        "planning": 101,
    }
    assert Counter(projects.values_list("funding", flat=True)) == {
        "apbn": 108,
        "apbn_apbd": 1,
        "bumn_bumd": 19,
        "kpbu": 72,
        "private": 17,
        "apbd": 1,
    }
    assert Counter(projects.values_list("phase", flat=True)) == {"p1": 64, "p2": 154}
    # Every project at work on the ground is P1.
    assert not projects.filter(
        status__in=["construction", "partly_operating", "finished"], phase="p2"
    ).exists()
    total = sum(p or 0 for p in projects.values_list("investment_rp", flat=True))
    assert total == 294_300_000_000_000
    by_area = Counter()
    for abbr, rp in projects.values_list("area__abbreviation", "investment_rp"):
        by_area[abbr] += rp or 0
    assert by_area["IJN"] == 36_400_000_000_000
    assert by_area["WLS"] == 41_800_000_000_000


def test_examples_are_real_and_the_rest_synthetic(world, demo):
    projects = Project.objects.filter(instansi=world.instansi)
    assert projects.filter(synthetic=False).count() == 15
    srrl = projects.get(name="Surabaya Regional Railway Line")
    assert (srrl.code, srrl.funding, srrl.investment_rp) == ("GKS-001", "kpbu", 8_300_000_000_000)
    assert projects.get(name="PLTP Ijen").investment_rp == 12 * T
    assert projects.get(name="Jalan Tol Probolinggo-Lumajang").investment_rp is None
    synthetic = projects.get(code="GKS-012")
    assert synthetic.synthetic and synthetic.name == "Proyek sintetis GKS-012"
    # The lead agency by category: the fixture's Bina Marga leads the toll roads.
    assert srrl.lead_agency == world.agency_a  # no Dinas Perhubungan here: the first agency
    assert projects.get(name="Jalan Tol Mojokerto-Gempol").lead_agency == world.agency_b


def test_areas_roles_supports_and_members(world, demo):
    areas = {a.code: a for a in DevelopmentArea.objects.filter(instansi=world.instansi)}
    assert [a.abbreviation for a in sorted(areas.values(), key=lambda a: a.order)] == [
        "GKS",
        "MDR",
        "BTS",
        "IJN",
        "WLS",
    ]
    assert areas["madura-dan-kepulauan"].supports == areas["gerbangkertosusila"]
    assert areas["selingkar-ijen"].supports == areas["bromo-tengger-semeru"]
    assert areas["gerbangkertosusila"].published_projects == 77
    gks = areas["gerbangkertosusila"].memberships.all()
    assert sorted(m.region.code for m in gks) == [
        "35.15",
        "35.16",
        "35.24",
        "35.25",
        "35.26",
        "35.76",
        "35.78",
    ]
    assert all(m.confirmed for m in gks)
    assert not any(m.confirmed for m in areas["selingkar-ijen"].memberships.all())


def test_milestones_respect_the_start_and_some_are_late(world, demo):
    today = timezone.localdate()
    milestones = Milestone.objects.filter(project__instansi=world.instansi).select_related(
        "project"
    )
    assert milestones.count() == 218 * 6
    assert not [
        m
        for m in milestones
        if m.actual_date and m.project.start_date and m.actual_date < m.project.start_date
    ]
    late = milestones.filter(actual_date__isnull=True, planned_date__lt=today).count()
    assert 10 < late < 218
    updates = ProgressUpdate.objects.filter(project__instansi=world.instansi)
    finished = updates.filter(project__status="finished").order_by("project", "-date")
    assert {u.percent for u in finished if u.status == "finished"} == {100}
    assert AuditEvent.objects.filter(action="regional.project.create").count() == 218
    assert AuditEvent.objects.filter(action="regional.milestone.add").count() == 218 * 6


def test_the_leading_agencies_get_their_duties(world, demo):
    world.agency_b.refresh_from_db()
    assert world.agency_b.duties.startswith("Melaksanakan urusan pemerintahan bidang pekerjaan")


def test_running_again_keeps_and_the_wipe_removes(world, demo):
    message = demo_regional_run(demo)
    assert "5" in message
    assert Project.objects.filter(instansi=world.instansi).count() == 218
    demo_regional_wipe(demo)
    assert not Project.objects.filter(instansi=world.instansi).exists()
    assert not DevelopmentArea.objects.filter(instansi=world.instansi).exists()
