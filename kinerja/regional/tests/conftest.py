"""Fixtures of the regional tests: the East Java regions, and a small Perpres 80/2019 world on
the root fixture province (agency A "Dinas Pendidikan" leads, agency B "Dinas Kesehatan"
joins): a priority area with a supporting one and four projects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from kinerja.accounts.scope import scope_for
from kinerja.organisations import reference
from kinerja.regional import services
from kinerja.regional.models import DevelopmentArea, Milestone, Project

PAST = dt.date(2021, 3, 1)


@dataclass
class Regional:
    gks: DevelopmentArea
    mdr: DevelopmentArea
    projects: dict[str, Project] = field(default_factory=dict)
    late: Milestone | None = None


def project_data(area, agency, **over: Any) -> dict[str, Any]:
    return {
        "code": "GKS-001",
        "name": "Surabaya Regional Railway Line",
        "area": area,
        "category": "railway",
        "funding": "kpbu",
        "investment_rp": 8_300_000_000_000,
        "lead_agency": agency,
        "phase": "p1",
        "status": "planning",
        **over,
    }


@pytest.fixture
def regions(db):
    reference.load_regions()


@pytest.fixture
def bappeda_scope(world):
    return scope_for(world.users["bappeda"])


@pytest.fixture
def regional(world, regions, bappeda_scope) -> Regional:
    call = {"actor": world.users["bappeda"], "scope": bappeda_scope}
    gks = services.area_create(
        **call,
        data={
            "code": "gerbangkertosusila",
            "abbreviation": "GKS",
            "name": "Gerbangkertosusila",
            "role": "priority",
            "published_projects": 77,
            "order": 1,
        },
        members={"35.78": True, "35.15": True, "35.25": True},
    )
    mdr = services.area_create(
        **call,
        data={
            "code": "madura-dan-kepulauan",
            "abbreviation": "MDR",
            "name": "Madura dan Kepulauan",
            "role": "supporting",
            "supports": gks,
            "published_projects": 26,
            "order": 2,
        },
        members={"35.26": False, "35.27": False},
    )
    out = Regional(gks=gks, mdr=mdr)
    out.projects["srrl"] = services.project_create(
        **call,
        data=project_data(gks, world.agency_a),
        regions={"35.78": "location", "35.15": "location", "35.25": "supporting"},
        collaborators=[(world.agency_b, "Akses layanan kesehatan")],
    )
    out.projects["toll"] = services.project_create(
        **call,
        data=project_data(
            gks,
            world.agency_a,
            code="GKS-002",
            name="Jalan Tol Mojokerto-Gempol",
            category="toll_road",
            funding="apbn",
            investment_rp=4_800_000_000_000,
            status="construction",
            start_date=PAST,
        ),
        regions={"35.16": "location"},
    )
    out.projects["port"] = services.project_create(
        **call,
        data=project_data(
            mdr,
            world.agency_b,
            code="MDR-001",
            name="Pelabuhan Tanjung Bulupandan",
            category="port",
            funding="private",
            investment_rp=3_000_000_000_000,
            phase="p2",
            status="preparation",
            start_date=PAST,
        ),
        regions={"35.26": "location"},
    )
    out.projects["synthetic"] = services.project_create(
        **call,
        data=project_data(
            mdr,
            world.agency_b,
            code="MDR-002",
            name="Proyek sintetis MDR-002",
            category="airport",
            funding="bumn_bumd",
            investment_rp=None,
            phase="p2",
            synthetic=True,
        ),
    )
    out.late = services.milestone_add(
        **call,
        project=out.projects["toll"],
        name="Konstruksi dimulai",
        planned_date=dt.date(2022, 1, 10),
    )
    services.milestone_add(
        **call,
        project=out.projects["toll"],
        name="Studi kelayakan selesai",
        planned_date=dt.date(2021, 6, 1),
        actual_date=dt.date(2021, 7, 15),
    )
    return out
