"""A small 2023 refreshment for the impact report's tests: agency A's head (Budi) attended and
linked one of the three targets of his 2023 PK to his action plan; the achievement is written
straight into the maintained roll-ups (`Rollup` rows), as the services would keep them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from kinerja.organisations.choices import PositionKind
from kinerja.organisations.tests.factories import EmployeeFactory, OrgUnitFactory, PositionFactory
from kinerja.performance.models import (
    Agreement,
    AgreementTarget,
    Goal,
    Indicator,
    Rollup,
    RollupKind,
    Target,
)
from kinerja.training.models import ActionPlan, ActionPlanLink
from kinerja.training.tests.factories import EventFactory, ParticipantFactory


def roll(target: Target, sub_period: int, percent) -> Rollup:
    """The target's roll-up row for a sub-period (0: the year)."""
    row, _ = Rollup.objects.update_or_create(
        kind=RollupKind.TARGET,
        object_id=target.pk,
        year=target.year,
        sub_period=sub_period,
        defaults={
            "instansi_id": target.instansi_id,
            "percent": None if percent is None else Decimal(str(percent)),
            "computed": 1 if percent is not None else 0,
            "computed_at": timezone.now(),
        },
    )
    return row


def agency_with_head(world, code: str, name: str):
    agency = OrgUnitFactory(instansi=world.instansi, code=code, name=name)
    post = PositionFactory(
        unit=agency,
        code=f"{code}-KADIS",
        title=f"Kepala {name}",
        kind=PositionKind.JPT_PRATAMA,
        eselon="II.a",
        is_head=True,
    )
    head = EmployeeFactory(unit=agency, position=post, name=f"Kepala {code}")
    return agency, post, head


class Builder:
    def __init__(self, world):
        self.world = world
        self.goal = Goal.objects.create(
            instansi=world.instansi, level="target", code="M1.T1.S1", name="Sasaran uji"
        )
        self._n = 0

    def target(self, unit, year: int, value="100", indicator=None) -> Target:
        if indicator is None:
            self._n += 1
            indicator = Indicator.objects.create(
                instansi=self.world.instansi,
                goal=self.goal,
                unit=unit,
                code=f"IND-{self._n:02d}",
                name=f"Indikator {self._n}",
                measure_unit="persen",
                control_level="outcome",
            )
        return Target.objects.create(
            instansi=self.world.instansi,
            indicator=indicator,
            year=year,
            shape="value",
            value=Decimal(value),
        )

    def agreement(self, unit, head, post, targets, year=2023) -> tuple[Agreement, list]:
        agreement = Agreement.objects.create(
            instansi=self.world.instansi,
            unit=unit,
            year=year,
            agreement_date=dt.date(year, 1, 5),
            head_post=post,
            first_party=head,
            first_party_name=head.name,
            first_party_title=post.title,
        )
        rows = [
            AgreementTarget.objects.create(
                agreement=agreement, target=t, goal=self.goal, position=i
            )
            for i, t in enumerate(targets)
        ]
        return agreement, rows


def refreshment(world):
    """The event, Budi's enrolment, his 2023 PK of three targets (the first linked to his
    action plan) and the first target's indicator in 2021 and 2022."""
    b = Builder(world)
    k = SimpleNamespace(builder=b, roll=roll)
    k.event = EventFactory(
        instansi=world.instansi,
        organiser_unit=world.agency_a,
        audience_kinds=[PositionKind.JPT_PRATAMA],
        status="finished",
    )
    k.linked = b.target(world.agency_a, 2023)
    k.other1 = b.target(world.agency_a, 2023)
    k.other2 = b.target(world.agency_a, 2023)
    k.t2021 = b.target(world.agency_a, 2021, indicator=k.linked.indicator)
    k.t2022 = b.target(world.agency_a, 2022, indicator=k.linked.indicator)
    k.agreement, k.at = b.agreement(
        world.agency_a, world.head_a, world.head_pos_a, [k.linked, k.other1, k.other2]
    )
    k.participant = ParticipantFactory(event=k.event, employee=world.head_a)
    k.plan = ActionPlan.objects.create(
        instansi=world.instansi,
        participant=k.participant,
        title="Layanan SMA satu pintu",
        change="Satu loket perizinan",
        status="approved",
    )
    ActionPlanLink.objects.create(action_plan=k.plan, agreement_target=k.at[0])
    # Earlier years' annual achievement of the linked indicator: 90 and 94.
    roll(k.t2021, 0, 90)
    roll(k.t2021, 4, 90)
    roll(k.t2022, 0, 94)
    roll(k.t2022, 4, 94)
    return k


def full_year(k) -> None:
    """2023 complete: the linked target 105, the unlinked ones 90 and 100."""
    for target, percent in ((k.linked, 105), (k.other1, 90), (k.other2, 100)):
        for quarter in (1, 2, 3, 4):
            roll(target, quarter, percent - 4 + quarter)
        roll(target, 0, percent)


def three_quarters(k) -> None:
    """2023 to the third quarter: the year rows are year to date."""
    for target, q3 in ((k.linked, 102), (k.other1, 88), (k.other2, 96)):
        roll(target, 1, q3 - 6)
        roll(target, 2, q3 - 3)
        roll(target, 3, q3)
        roll(target, 0, q3)
