"""The services' rules with concrete numbers: who may write, unknown regions and agencies,
a milestone's actual date against the project's start, progress and the project's status,
and the audit event of each write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.regional import services
from kinerja.regional.models import Project, ProjectAgency

from .conftest import PAST, project_data

pytestmark = pytest.mark.django_db


def _call(world, role):
    return {"actor": world.users[role], "scope": scope_for(world.users[role])}


def test_bappeda_creates_a_project_with_regions_collaborators_and_an_audit_event(regional):
    srrl = regional.projects["srrl"]
    assert srrl.investment_rp == 8_300_000_000_000
    assert sorted(srrl.project_regions.values_list("region__code", "role")) == [
        ("35.15", "location"),
        ("35.25", "supporting"),
        ("35.78", "location"),
    ]
    assert list(srrl.collaborations.values_list("contribution", flat=True)) == [
        "Akses layanan kesehatan"
    ]
    event = AuditEvent.objects.get(action="regional.project.create", target_id=str(srrl.pk))
    assert event.changes["investment_rp"] == [None, 8_300_000_000_000]
    assert event.changes["regions"][1] == ["35.15:location", "35.25:supporting", "35.78:location"]
    assert event.unit_id == srrl.lead_agency_id  # the lead agency's readers see its history


@pytest.mark.parametrize("role", ["opd_admin", "opd_head", "leadership", "bkd"])
def test_only_the_project_office_creates_projects(world, regional, role):
    with pytest.raises(PermissionDenied):
        services.project_create(
            **_call(world, role),
            data=project_data(regional.gks, world.agency_a, code="GKS-009"),
        )
    assert not Project.objects.filter(code="GKS-009").exists()


def test_an_unknown_region_code_is_refused_in_indonesian(world, regional):
    with pytest.raises(ValidationError) as caught:
        services.project_create(
            **_call(world, "bappeda"),
            data=project_data(regional.gks, world.agency_a, code="GKS-010"),
            regions={"35.78": "location", "35.99": "location"},
        )
    assert caught.value.message_dict == {"regions": ["Kode wilayah 35.99 tidak dikenal."]}
    assert not Project.objects.filter(code="GKS-010").exists()


def test_an_agency_of_another_instansi_or_a_division_is_not_an_agency(world, regional):
    for unit in (world.agency_x, world.division_a):
        with pytest.raises(ValidationError) as caught:
            services.project_create(
                **_call(world, "bappeda"),
                data=project_data(regional.gks, unit, code="GKS-011"),
            )
        assert "lead_agency" in caught.value.message_dict
    assert not Project.objects.filter(code="GKS-011").exists()


def test_a_negative_investment_is_refused_beside_the_field(world, regional):
    with pytest.raises(ValidationError) as caught:
        services.project_create(
            **_call(world, "bappeda"),
            data=project_data(regional.gks, world.agency_a, code="GKS-012", investment_rp=-1),
        )
    assert caught.value.message_dict["investment_rp"] == ["Nilai investasi tidak boleh negatif."]


def test_construction_needs_a_start_date(world, regional):
    with pytest.raises(ValidationError) as caught:
        services.project_create(
            **_call(world, "bappeda"),
            data=project_data(regional.gks, world.agency_a, code="GKS-013", status="construction"),
        )
    assert "start_date" in caught.value.message_dict


def test_a_milestone_actual_date_before_the_project_start_is_refused(world, regional):
    toll = regional.projects["toll"]  # started 1 March 2021
    with pytest.raises(ValidationError) as caught:
        services.milestone_add(
            **_call(world, "bappeda"),
            project=toll,
            name="Pengadaan lahan selesai",
            planned_date=dt.date(2021, 1, 1),
            actual_date=dt.date(2021, 2, 28),
        )
    assert caught.value.message_dict == {
        "actual_date": [
            "Tanggal realisasi (2021-02-28) tidak boleh mendahului mulainya proyek (2021-03-01)."
        ]
    }
    # On the start day itself it is accepted.
    done = services.milestone_add(
        **_call(world, "bappeda"),
        project=toll,
        name="Pengadaan lahan selesai",
        planned_date=dt.date(2021, 1, 1),
        actual_date=PAST,
    )
    assert done.actual_date == PAST and done.order == 3


def test_moving_the_start_after_a_reached_milestone_is_refused(world, regional):
    toll = regional.projects["toll"]  # a milestone reached on 15 July 2021
    with pytest.raises(ValidationError) as caught:
        services.project_update(
            **_call(world, "bappeda"), project=toll, data={"start_date": dt.date(2021, 8, 1)}
        )
    assert "start_date" in caught.value.message_dict
    toll.refresh_from_db()
    assert toll.start_date == PAST


def test_the_lead_agency_admin_sets_the_actual_date_only(world, regional):
    late = regional.late  # of the toll road, led by agency A
    admin = _call(world, "opd_admin")
    services.milestone_update(**admin, milestone=late, data={"actual_date": dt.date(2022, 2, 1)})
    late.refresh_from_db()
    assert late.actual_date == dt.date(2022, 2, 1)
    with pytest.raises(PermissionDenied):
        services.milestone_update(**admin, milestone=late, data={"name": "Lain"})
    with pytest.raises(ValidationError):
        services.milestone_update(
            **admin, milestone=late, data={"actual_date": dt.date(2020, 1, 1)}
        )


def test_another_agency_admin_may_not_report_on_the_project(world, regional):
    port = regional.projects["port"]  # led by agency B
    with pytest.raises(PermissionDenied):
        services.progress_add(
            **_call(world, "opd_admin"),
            project=port,
            date=dt.date(2022, 5, 1),
            percent=10,
            status="preparation",
        )


def test_progress_sets_the_project_status_when_newest(world, regional):
    toll = regional.projects["toll"]
    admin = _call(world, "opd_admin")
    services.progress_add(
        **admin, project=toll, date=dt.date(2023, 6, 30), percent="62.5", status="construction"
    )
    services.progress_add(
        **admin, project=toll, date=dt.date(2024, 3, 31), percent=100, status="finished"
    )
    older = services.progress_add(
        **admin, project=toll, date=dt.date(2023, 1, 1), percent=40, status="construction"
    )
    toll.refresh_from_db()
    assert toll.status == "finished"  # the older report does not turn it back
    assert older.percent == Decimal("40")
    event = AuditEvent.objects.filter(action="regional.progress.add").order_by("-sequence")[1]
    assert event.changes["project_status"] == ["construction", "finished"]


def test_a_finished_project_stands_at_100_percent(world, regional):
    with pytest.raises(ValidationError) as caught:
        services.progress_add(
            **_call(world, "bappeda"),
            project=regional.projects["toll"],
            date=dt.date(2024, 1, 1),
            percent="99.5",
            status="finished",
        )
    assert "percent" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.progress_add(
            **_call(world, "bappeda"),
            project=regional.projects["toll"],
            date=dt.date(2024, 1, 1),
            percent=101,
            status="construction",
        )


def test_collaborators_are_replaced_and_the_lead_is_never_its_own(world, regional):
    srrl = regional.projects["srrl"]
    services.project_set_collaborators(
        **_call(world, "bappeda"), project=srrl, collaborators=[world.agency_a, world.agency_b]
    )
    assert list(ProjectAgency.objects.filter(project=srrl).values_list("agency", flat=True)) == [
        world.agency_b.pk
    ]
    # The same set as before (agency A is the lead): nothing changed, no event.
    assert not AuditEvent.objects.filter(action="regional.project.collaborators").exists()
    services.project_set_collaborators(**_call(world, "bappeda"), project=srrl, collaborators=[])
    assert not ProjectAgency.objects.filter(project=srrl).exists()
    event = AuditEvent.objects.get(action="regional.project.collaborators")
    assert event.changes == {"collaborators": [[world.agency_b.pk], []]}


def test_an_update_that_changes_nothing_writes_no_event(world, regional):
    srrl = regional.projects["srrl"]
    before = AuditEvent.objects.filter(action="regional.project.update").count()
    services.project_update(**_call(world, "bappeda"), project=srrl, data={"name": srrl.name})
    assert AuditEvent.objects.filter(action="regional.project.update").count() == before
