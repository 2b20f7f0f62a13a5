"""Fixtures of the dashboards' tests, imported by ``test_dashboards*.py`` (the app's
``conftest.py`` already gives the planning tests' ``plan``, ``pk``, ``scopes`` and ``rl``).

The dashboards' world (``dash``): agency A (Dinas Pendidikan) shares its 2023 target DIK-01
(85 %) with agency B (Dinas Kesehatan, weight 30, supporting result KES-K1 with no
realisation); verified in quarter 1: DIK-01 85 (100.00), KES-01 56 of 70 (80.00), the
province's key indicator IKU-01 9 of 9.5 (94.74). The roll-ups the services keep then read:
agency A 100.00, agency B (80 x 100 + 100 x 30) / 130 = 84.62, the province
(100 + 80 + 94.74) / 3 = 91.58. Every figure goes through the performance services and
`aggregates.refresh_targets`, as the realisation pages do.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kinerja.accounts.scope import scope_for
from kinerja.performance import aggregates
from kinerja.performance import services as perf
from kinerja.performance.choices import Aggregation, ControlLevel, GoalLevel, Polarity, TagKind
from kinerja.performance.models import GoalTag, Realisation
from kinerja.performance.services import realisations as rs
from kinerja.performance.tests.test_collaboration import accept, c, invite  # noqa: F401

D = Decimal


def verify(rl, target, number, value):
    """Enter, submit and verify a realisation of an agency A target through the services."""
    holder, scope = rl.holder_user, scope_for(rl.holder_user)
    sub = rl.period.sub_periods.get(number=number)
    made = rs.realisation_create(
        actor=holder, scope=scope, target=target, sub_period=sub, data={"value": value}
    )
    made = rs.realisation_submit(actor=holder, scope=scope, realisation=made, version=made.version)
    return rs.realisation_verify(
        actor=rl.verifier_user,
        scope=scope_for(rl.verifier_user),
        realisation=made,
        version=made.version,
    )


def verified_row(world, period, target, number, value):
    """A verified realisation of a target whose holder is not in the fixture (agency B's, the
    province's), written as the planning tests do and refreshed like a verify."""
    Realisation.objects.create(
        instansi=world.instansi,
        target=target,
        sub_period=period.sub_periods.get(number=number),
        value=D(value),
        status="verified",
    )
    aggregates.refresh_targets([target])


@pytest.fixture
def dash(c, rl, scopes):  # noqa: F811
    world = c.world
    member = invite(c, scopes, world.agency_b, "30", 1)
    accept(c, member, c.scope_b, 2)
    verify(rl, c.t_a, 1, "85")  # 85 / 85: 100.00
    verified_row(world, rl.period, c.t_b, 1, "56")  # 56 / 70: 80.00
    verified_row(world, rl.period, c.t_iku, 1, "9")  # 9 / 9.5: 94.74
    # Agency B's objective serves poverty reduction (an RB Tematik theme).
    GoalTag.objects.create(goal=c.plan.objective_b, kind=TagKind.RB_THEME, code="kemiskinan")
    c.rl = rl
    return c


def add_agency(world, scopes, plan, n: int, period, value: str = "50"):
    """Another agency with a Renstra objective, one indicator, its 2023 target (100) and a
    verified quarter-1 realisation of ``value``: more rows of every kind the province reads."""
    from kinerja.organisations.tests.factories import OrgUnitFactory

    bappeda, scope = world.users["bappeda"], scopes["bappeda"]
    agency = OrgUnitFactory(instansi=world.instansi, code=f"AG{n:02d}", name=f"Badan Uji {n}")
    goal = perf.goal_create(
        actor=bappeda,
        scope=scope,
        instansi=world.instansi,
        data={
            "level": GoalLevel.AGENCY_OBJECTIVE,
            "code": f"AG{n:02d}.T1",
            "name": f"Tujuan uji {n}",
            "parent": plan.target,
            "unit": agency,
        },
    )
    indicator = perf.indicator_create(
        actor=bappeda,
        scope=scope,
        instansi=world.instansi,
        data={
            "goal": goal,
            "code": f"AG{n:02d}-01",
            "name": f"Indikator uji {n}",
            "measure_unit": "persen",
            "control_level": ControlLevel.OUTCOME,
            "polarity": Polarity.HIGHER_IS_BETTER,
            "aggregation": Aggregation.LAST_VALUE,
            "is_key": True,
        },
    )
    target = perf.target_set(
        actor=bappeda,
        scope=scope,
        indicator=indicator,
        year=2023,
        data={"shape": "value", "value": "100"},
    )
    verified_row(world, period, target, 1, value)
    return agency, indicator, target
