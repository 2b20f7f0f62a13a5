"""Single-row rules in the database and multi-field rules in ``clean()``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kinerja.performance.policy import development_area_choices
from kinerja.regional.models import DevelopmentArea, Milestone, ProgressUpdate, Project
from kinerja.regional.policy import facts

pytestmark = pytest.mark.django_db


def test_area_codes_match_the_goal_tags():
    assert [a["code"] for a in facts()["areas"]] == [c for c, _n in development_area_choices()]
    assert sum(a["projects"] for a in facts()["areas"]) == 218


def test_a_negative_investment_cannot_be_stored(regional):
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=regional.projects["srrl"].pk).update(investment_rp=-1)


def test_progress_above_100_cannot_be_stored(regional):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdate.objects.create(
            project=regional.projects["toll"],
            date=dt.date(2023, 1, 1),
            percent=100.01,
            status="construction",
        )


def test_a_duplicate_project_code_cannot_be_stored(world, regional):
    srrl = regional.projects["srrl"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.create(
            instansi=world.instansi,
            code="GKS-001",
            name="Dup",
            area=srrl.area,
            category="road",
            funding="apbn",
            lead_agency=world.agency_a,
            phase="p1",
        )


def test_a_supporting_area_names_the_one_it_supports(world, regional):
    area = DevelopmentArea(
        instansi=world.instansi,
        code="selingkar-ijen",
        abbreviation="IJN",
        name="Selingkar Ijen",
        role="supporting",
    )
    with pytest.raises(ValidationError) as caught:
        area.full_clean()
    assert "supports" in caught.value.message_dict
    area.role, area.supports = "priority", regional.gks
    with pytest.raises(ValidationError):
        area.full_clean()


def test_milestone_clean_compares_with_the_start(regional):
    toll = regional.projects["toll"]
    milestone = Milestone(
        project=toll, name="X", planned_date=dt.date(2021, 1, 1), actual_date=dt.date(2021, 2, 28)
    )
    with pytest.raises(ValidationError):
        milestone.full_clean()
    milestone.actual_date = dt.date(2021, 3, 1)
    milestone.full_clean()
    assert milestone.is_late(dt.date(2030, 1, 1)) is False
    milestone.actual_date = None
    assert milestone.is_late(dt.date(2021, 1, 2)) is True
    assert milestone.is_late(dt.date(2021, 1, 1)) is False
