"""Fixtures of the risk register's tests: a small plan on the root ``world``.

The regional plan's target M1.T1.S1 with a key indicator of the province (IKU-01) and its
2026 target; agency A's (Dinas Pendidikan) Renstra target with a key indicator (DIK-01) and a
plain one (DIK-02), each with a 2026 target, the second in agency A's current PK; agency B's
(Dinas Kesehatan) goal with an indicator and its target; the other instansi's target. Written
straight: the planning rules are not under test here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from kinerja.accounts.scope import scope_for
from kinerja.performance.models import Agreement, AgreementTarget, Goal, Indicator, Target


def _goal(instansi, code, level, parent=None, unit=None):
    return Goal.objects.create(
        instansi=instansi, code=code, name=f"Sasaran {code}", level=level, parent=parent, unit=unit
    )


def _indicator(goal, code, name, *, key=False):
    return Indicator.objects.create(
        instansi=goal.instansi,
        goal=goal,
        unit=goal.unit,
        code=code,
        name=name,
        measure_unit="persen",
        control_level="outcome",
        is_key=key,
    )


def _target(indicator, value="90"):
    return Target.objects.create(
        instansi=indicator.instansi,
        indicator=indicator,
        year=2026,
        shape="value",
        value=Decimal(value),
    )


@pytest.fixture
def scopes(world):
    return {name: scope_for(user) for name, user in world.users.items()}


@pytest.fixture
def plan(world):
    p = SimpleNamespace()
    jatim = world.instansi
    p.mission = _goal(jatim, "M1", "mission")
    p.objective = _goal(jatim, "M1.T1", "objective", p.mission)
    p.regional = _goal(jatim, "M1.T1.S1", "target", p.objective)
    p.goal_a = _goal(jatim, "DIK.T1", "agency_objective", p.regional, world.agency_a)
    p.goal_b = _goal(jatim, "KES.T1", "agency_objective", p.regional, world.agency_b)
    p.iku = _indicator(p.regional, "IKU-01", "Prevalensi stunting pada balita", key=True)
    p.ind_a = _indicator(p.goal_a, "DIK-01", "Angka Partisipasi Kasar SMA/SMK", key=True)
    p.ind_a2 = _indicator(p.goal_a, "DIK-02", "Persentase lulusan SMK yang bekerja")
    p.ind_a3 = _indicator(p.goal_a, "DIK-03", "Persentase sekolah terakreditasi A")
    p.ind_b = _indicator(p.goal_b, "KES-01", "Persentase puskesmas terakreditasi")
    p.target_iku = _target(p.iku, "14")
    p.target_a = _target(p.ind_a)
    p.target_a2 = _target(p.ind_a2)
    p.target_a3 = _target(p.ind_a3)
    p.target_b = _target(p.ind_b)
    agreement = Agreement.objects.create(
        instansi=jatim,
        unit=world.agency_a,
        year=2026,
        agreement_date=dt.date(2026, 1, 31),
        first_party_name="Budi Santoso",
        first_party_title="Kepala Dinas Pendidikan",
    )
    AgreementTarget.objects.create(agreement=agreement, target=p.target_a2, goal=p.goal_a)
    other = world.other_instansi
    goal_x = _goal(other, "MLG.T1", "agency_objective", unit=world.agency_x)
    p.ind_x = _indicator(goal_x, "MLG-01", "Indeks pendidikan Kota Malang")
    p.target_x = _target(p.ind_x)
    return p


@pytest.fixture
def call(world, scopes):
    """The keyword arguments of a service call by ``role``."""

    def _call(role):
        return {"actor": world.users[role], "scope": scopes[role]}

    return _call


@pytest.fixture
def risk_data(plan):
    def _data(**extra):
        return {
            "target": plan.target_a,
            "title": "APK SMA/SMK tidak mencapai target",
            "category": "performance",
            "cause": "Anak dari keluarga miskin putus sekolah.",
            "impact_description": "Target APK tidak tercapai.",
            "likelihood": 4,
            "impact": 5,
            "identified_on": dt.date(2026, 3, 1),
            **extra,
        }

    return _data
