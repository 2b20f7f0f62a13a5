"""The fixture of the early-warning tests (``wr``): the year 2026 in quarters, Q1 and Q2
closed, and targets whose projections the tests state in numbers. Written straight (the
planning rules are not under test here; the projection reads what they would have stored).

| code | owner | aggregation | target | verified | projection |
|---|---|---|---|---|---|
| W-A1 | agency A (PK) | cumulative | 100 as 10/20/30/40 | 8, 15 | 76.67 %, at risk |
| W-A2 | agency A | last value | 85 along 70/75/80/85 | 68, 71 | 90.59 %, on track |
| W-A3 | agency A (PK; actions 10/10/40/40) | cumulative | 100 as 10/20/30/40 | 8, 15 | 115.00 % |
| W-B1 | agency B | cumulative | 100 (no sub-period targets) | 10 | 40.00 %, at risk |
| W-B2 | agency B | last value | 50 | none | silent (Q1, Q2) |
| W-P1 | the province (RPJMD) | average | 85 as 80/80/90/90 | 70, 72 | 89.41 %, at risk |
| W-SA | Siti's SKP (Bidang SMA, agency A) | cumulative | 12 as 3/3/3/3 | 1 | 33.33 %, at risk |
| W-SB | Rina's SKP (agency B) | cumulative | 12 as 3/3/3/3 | 1 | 33.33 %, at risk |
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.utils import timezone

from kinerja.organisations.tests.lines import hold
from kinerja.performance.models import (
    Agreement,
    AgreementTarget,
    Goal,
    Indicator,
    Period,
    Plan,
    PlanResult,
    Realisation,
    SubPeriod,
    Target,
    TargetValue,
)
from kinerja.performance.models.actions import Action, ActionSchedule

YEAR = 2026
TODAY = dt.date(2026, 7, 20)  # Q1 and Q2 closed, Q3 open


@pytest.fixture(name="wr")
def wr_fixture(world):
    w = world
    k = SimpleNamespace(world=w)
    inst = w.instansi
    hold(w.head_a, w.head_pos_a, dt.date(2024, 1, 1))
    k.period = Period.objects.create(
        instansi=inst,
        year=YEAR,
        plans_due=dt.date(YEAR, 1, 31),
        periodic_evaluation_days=10,
        annual_evaluation_due=dt.date(YEAR + 1, 1, 31),
    )
    k.q = {}
    for n, (first, last) in enumerate(
        [((1, 1), (3, 31)), ((4, 1), (6, 30)), ((7, 1), (9, 30)), ((10, 1), (12, 31))], 1
    ):
        k.q[n] = SubPeriod.objects.create(
            instansi=inst,
            period=k.period,
            number=n,
            starts=dt.date(YEAR, *first),
            ends=dt.date(YEAR, *last),
            status="closed" if n <= 2 else "open",
        )
    goal = None
    for level in ("mission", "objective", "target"):
        goal = Goal.objects.create(
            instansi=inst, level=level, code=f"WR-{level}", name=level, parent=goal
        )
    k.rpjmd = goal
    k.goal_a = Goal.objects.create(
        instansi=inst,
        level="agency_objective",
        code="WR-GA",
        name="A",
        parent=goal,
        unit=w.agency_a,
    )
    k.goal_b = Goal.objects.create(
        instansi=inst,
        level="agency_objective",
        code="WR-GB",
        name="B",
        parent=goal,
        unit=w.agency_b,
    )

    def target(code, goal, unit, aggregation, value, subs=(), realised=(), **extra):
        indicator = Indicator.objects.create(
            instansi=inst,
            goal=goal,
            unit=unit,
            code=code,
            name=f"Indikator {code}",
            measure_unit="persen",
            control_level="outcome",
            aggregation=aggregation,
            **extra,
        )
        return _target(k, indicator, value, subs, realised)

    k.a1 = target("W-A1", k.goal_a, w.agency_a, "cumulative", 100, (10, 20, 30, 40), (8, 15))
    k.a2 = target("W-A2", k.goal_a, w.agency_a, "last_value", 85, (70, 75, 80, 85), (68, 71))
    k.a3 = target("W-A3", k.goal_a, w.agency_a, "cumulative", 100, (10, 20, 30, 40), (8, 15))
    k.b1 = target("W-B1", k.goal_b, w.agency_b, "cumulative", 100, (), (10,))
    k.b2 = target("W-B2", k.goal_b, w.agency_b, "last_value", 50)
    k.p1 = target("W-P1", k.rpjmd, None, "average", 85, (80, 80, 90, 90), (70, 72))
    # Agency A's PK: W-A1 and W-A3, the latter with an action plan putting 80 % in H2.
    k.agreement = Agreement.objects.create(
        instansi=inst,
        unit=w.agency_a,
        year=YEAR,
        agreement_date=dt.date(YEAR, 1, 5),
        first_party_name="Budi Santoso",
        first_party_title="Kepala Dinas Pendidikan",
    )
    for position, t in enumerate((k.a1, k.a3)):
        row = AgreementTarget.objects.create(
            agreement=k.agreement, target=t, goal=k.goal_a, position=position
        )
        if t is k.a3:
            for code, weights in (("1", (10, 10, 40, 40)), ("2", (10, 10, 40, 40))):
                action = Action.objects.create(
                    instansi=inst,
                    agreement=k.agreement,
                    agreement_target=row,
                    code=code,
                    text="Aksi",
                    unit=w.agency_a,
                )
                for n, weight in enumerate(weights, 1):
                    ActionSchedule.objects.create(action=action, sub_period=k.q[n], weight=weight)

    def skp(code, employee, unit):
        plan = Plan.objects.create(
            instansi=inst,
            employee=employee,
            position=employee.position or w.staff_pos_a,
            position_title="Analis",
            position_kind="pelaksana",
            unit=unit,
            period=k.period,
            starts=dt.date(YEAR, 1, 1),
            ends=dt.date(YEAR, 12, 31),
        )
        result = PlanResult.objects.create(plan=plan, text="Hasil")
        indicator = Indicator.objects.create(
            instansi=inst,
            result=result,
            unit=unit,
            code=code,
            name=f"IKI {code}",
            measure_unit="dokumen",
            control_level="output",
            aggregation="cumulative",
        )
        return plan, _target(k, indicator, 12, (3, 3, 3, 3), (1,))

    from kinerja.organisations.tests.factories import PositionFactory

    w.staff_b.position = PositionFactory(unit=w.agency_b, code="DINKES-ANALIS")
    w.staff_b.save()
    k.plan_a, k.sa = skp("W-SA", w.staff_a, w.division_a)
    k.plan_b, k.sb = skp("W-SB", w.staff_b, w.agency_b)
    return k


def _target(k, indicator, value, subs, realised):
    t = Target.objects.create(
        instansi=indicator.instansi, indicator=indicator, year=YEAR, shape="value", value=value
    )
    for n, v in enumerate(subs, 1):
        TargetValue.objects.create(target=t, sub_period=k.q[n], value=D(str(v)))
    for n, v in enumerate(realised, 1):
        Realisation.objects.create(
            instansi=indicator.instansi,
            target=t,
            sub_period=k.q[n],
            value=D(str(v)),
            status="verified",
            verified_at=timezone.now(),
        )
    return t
