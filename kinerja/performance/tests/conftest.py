"""Fixtures of the planning tests: a small plan on the root ``world`` (two agencies).

The regional plan: mission M1 > objective M1.T1 > target M1.T1.S1; agency A's (Dinas
Pendidikan) Renstra objective and target under it, with an indicator; the same for agency B.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from kinerja.accounts.scope import scope_for
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
