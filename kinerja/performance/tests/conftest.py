"""Fixtures of the planning tests: a small plan on the root ``world`` (two agencies).

The regional plan: mission M1 > objective M1.T1 > target M1.T1.S1; agency A's (Dinas
Pendidikan) Renstra objective and target under it, with an indicator; the same for agency B.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from kinerja.accounts.scope import scope_for
from kinerja.organisations.tests.factories import EmployeeFactory, PositionFactory
from kinerja.organisations.tests.lines import hold, line
from kinerja.performance import services
from kinerja.performance.choices import Aggregation, ControlLevel, GoalLevel, Polarity


@pytest.fixture
def scopes(world):
    """The scope of each fixture role, by name."""
    return {name: scope_for(user) for name, user in world.users.items()}


@pytest.fixture
def plan(world, scopes):
    bappeda = world.users["bappeda"]
    scope = scopes["bappeda"]

    def goal(level, code, name, parent=None, unit=None):
        return services.goal_create(
            actor=bappeda,
            scope=scope,
            instansi=world.instansi,
            data={"level": level, "code": code, "name": name, "parent": parent, "unit": unit},
        )

    p = SimpleNamespace()
    p.mission = goal(GoalLevel.MISSION, "M1", "Mewujudkan SDM unggul")
    p.objective = goal(GoalLevel.OBJECTIVE, "M1.T1", "Meningkatkan kualitas pendidikan", p.mission)
    p.target = goal(
        GoalLevel.TARGET, "M1.T1.S1", "Meningkatnya rata-rata lama sekolah", p.objective
    )
    p.objective_a = goal(
        GoalLevel.AGENCY_OBJECTIVE, "DIK.T1", "Pemerataan akses SMA", p.target, world.agency_a
    )
    p.target_a = goal(
        GoalLevel.AGENCY_TARGET, "DIK.T1.S1", "Meningkatnya APK SMA", p.objective_a, world.agency_a
    )
    p.objective_b = goal(
        GoalLevel.AGENCY_OBJECTIVE, "KES.T1", "Layanan kesehatan merata", p.target, world.agency_b
    )

    def indicator(goal, code, name, **extra):
        data = {
            "goal": goal,
            "code": code,
            "name": name,
            "measure_unit": "persen",
            "control_level": ControlLevel.OUTCOME,
            "polarity": Polarity.HIGHER_IS_BETTER,
            "aggregation": Aggregation.LAST_VALUE,
            **extra,
        }
        return services.indicator_create(
            actor=bappeda, scope=scope, instansi=world.instansi, data=data
        )

    p.indicator = indicator
    p.iku = indicator(
        p.target, "IKU-01", "Rata-rata lama sekolah", measure_unit="indeks", is_key=True
    )
    p.ind_a = indicator(p.target_a, "DIK-01", "Angka partisipasi kasar SMA", is_key=True)
    p.ind_b = indicator(p.objective_b, "KES-01", "Persentase puskesmas terakreditasi")
    return p


START = dt.date(2022, 1, 1)
DAY = dt.date(2023, 1, 5)
GOVERNOR = {
    "second_party_name": "Khofifah Indar Parawansa",
    "second_party_title": "Gubernur Jawa Timur",
}


@pytest.fixture
def pk(world, scopes, plan):
    """The fixture of the agreement tests: agency A's head (Budi) and its head of Bidang SMA
    (Hartono, reporting to Budi) hold their posts from 1 January 2022; 2023 targets for agency
    A's indicator (85 %), agency B's and the province's key indicator (IKU-01, in the
    province's set for 2021-2026)."""
    bappeda, scope = world.users["bappeda"], scopes["bappeda"]
    k = SimpleNamespace(world=world, plan=plan, day=DAY, governor=GOVERNOR)
    hold(world.head_a, world.head_pos_a, START)
    k.kabid_post = PositionFactory(
        unit=world.division_a, code="DIKBUD-SMA-KABID", title="Kepala Bidang SMA", is_head=True
    )
    k.kabid = hold(EmployeeFactory(unit=world.division_a, name="Hartono"), k.kabid_post, START)
    line(k.kabid_post, world.head_pos_a, START)

    def target(indicator, value, year=2023):
        return services.target_set(
            actor=bappeda,
            scope=scope,
            indicator=indicator,
            year=year,
            data={"shape": "value", "value": value},
        )

    k.target = target
    k.t_a = target(plan.ind_a, "85")
    k.t_a_2024 = target(plan.ind_a, "90", 2024)
    k.t_b = target(plan.ind_b, "70")
    k.t_iku = target(plan.iku, "9.5")
    k.key_set = services.key_set_create(
        actor=bappeda,
        scope=scope,
        instansi=world.instansi,
        data={"name": "IKU Provinsi", "first_year": 2021, "last_year": 2026},
    )
    services.key_set_add(actor=bappeda, scope=scope, key_set=k.key_set, indicator=plan.iku)
    return k
