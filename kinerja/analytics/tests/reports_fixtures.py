"""Fixtures of the reports and network tests: a small world built through the performance
services on the root ``world`` (Dinas Pendidikan, agency A; Dinas Kesehatan, agency B).

``lk`` (on the performance tests' ``rl``: Budi heads agency A, Adhy verifies, 2023 open in
quarters): agency A's indicator DIK-01 (last value, higher is better) has targets 78 (2021),
80 (2022), 85 (2023), 90 (2024) and 95 (2025); agency A's key-indicator set runs 2021-2025.
Verified realisations: 2022 quarter 4: 76 (95.00 %); 2023 quarter 1: 80 (supporting and
obstructing factors), quarter 2: 88 with the note "=1+1" (the year 88 / 85 = 103.53 %).
The 2023 target is shared with agency B (accepted, 30 %: A keeps 70), whose supporting result
KES-K1 (20) has no realisation. Agency A's draft 2023 agreement holds DIK-01 and the program
"Program Pendidikan SMA" (1.01.02, Rp 1,000,000,000), with one action of that program:
budget Rp 400,000,000, spending Rp 300,000,000 (75.00 % absorbed).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kinerja.accounts.scope import scope_for
from kinerja.performance import services
from kinerja.performance.services import actions as action_services
from kinerja.performance.services import collaboration as collab
from kinerja.performance.services import realisations as rs
from kinerja.performance.tests.conftest import pk, plan, scopes  # noqa: F401 - fixtures
from kinerja.performance.tests.realisation_fixtures import rl_fixture  # noqa: F401 - fixture


def verified(lk, target, number: int, period, **data):
    """Enter, submit and verify a realisation of an agency A target."""
    holder, scope = lk.holder_user, scope_for(lk.holder_user)
    sub = period.sub_periods.get(number=number)
    made = rs.realisation_create(
        actor=holder, scope=scope, target=target, sub_period=sub, data=data
    )
    made = rs.realisation_submit(actor=holder, scope=scope, realisation=made, version=made.version)
    verifier = lk.verifier_user
    return rs.realisation_verify(
        actor=verifier, scope=scope_for(verifier), realisation=made, version=made.version
    )


@pytest.fixture(name="lk")
def lk_fixture(rl, world):
    bappeda = world.users["bappeda"]
    planner = scope_for(bappeda)
    lk = rl
    lk.period_2022 = services.period_create(
        actor=bappeda, scope=planner, instansi=world.instansi, year=2022
    )
    lk.t_a_2021 = lk.target(lk.plan.ind_a, "78", 2021)
    lk.t_a_2022 = lk.target(lk.plan.ind_a, "80", 2022)
    lk.t_a_2025 = lk.target(lk.plan.ind_a, "95", 2025)
    key_set = services.key_set_create(
        actor=bappeda,
        scope=planner,
        instansi=world.instansi,
        data={
            "name": "IKU Dinas Pendidikan",
            "unit": world.agency_a,
            "first_year": 2021,
            "last_year": 2025,
        },
    )
    services.key_set_add(actor=bappeda, scope=planner, key_set=key_set, indicator=lk.plan.ind_a)
    lk.key_set = key_set

    # The shared target: agency B joins with 30 %.
    admin = world.users["opd_admin"]
    lk.collaboration = share_target(
        world,
        lk,
        lk.t_a,
        "Penurunan anak putus sekolah",
        "30",
        "KES-K1",
        "Anak sekolah yang diperiksa kesehatannya",
        "20",
    )

    # Agency A's draft 2023 agreement, its program and one action.
    agreement = services.agreement_create(
        actor=admin,
        scope=scope_for(admin),
        instansi=world.instansi,
        data={"unit": world.agency_a, "year": 2023, "agreement_date": lk.day},
    )
    agreement = services.agreement_set_targets(
        actor=admin, scope=scope_for(admin), agreement=agreement, version=agreement.version,
        targets=[lk.t_a],
    )  # fmt: skip
    agreement = services.agreement_set_programs(
        actor=admin,
        scope=scope_for(admin),
        agreement=agreement,
        version=agreement.version,
        programs=[
            {"name": "Program Pendidikan SMA", "sipd_code": "1.01.02", "budget": "1000000000"}
        ],
    )
    lk.agreement = agreement
    action_services.action_create(
        actor=admin,
        scope=scope_for(admin),
        agreement_target=agreement.targets.get(),
        data={
            "code": "1",
            "text": "Bantuan operasional SMA",
            "unit": world.division_a,
            "program_code": "1.01.02",
            "budget": "400000000",
            "spending": "300000000",
        },
    )

    # Verified realisations: 2022 and 2023.
    verified(lk, lk.t_a_2022, 4, lk.period_2022, value="76")
    verified(
        lk,
        lk.t_a,
        1,
        lk.period,
        value="80",
        supporting_factors="Dukungan komite sekolah",
        obstructing_factors="Jarak sekolah di daerah kepulauan",
    )
    verified(lk, lk.t_a, 2, lk.period, value="88", note="=1+1")
    lk.D = Decimal
    return lk


def share_target(world, lk, target, title, weight, code, name, value):
    """Agency A shares ``target``; agency B joins with ``weight`` % and its own indicator (under
    objective B), accepted by Bappeda: every step through the collaboration services."""
    admin, bappeda = world.users["opd_admin"], world.users["bappeda"]
    shared = collab.collaboration_create(
        actor=admin,
        scope=scope_for(admin),
        instansi=world.instansi,
        data={"target": target, "title": title},
    )
    member = collab.collaboration_invite(
        actor=admin,
        scope=scope_for(admin),
        collaboration=shared,
        version=shared.version,
        unit=world.agency_b,
        weight=weight,
    )
    shared.refresh_from_db()
    collab.collaboration_accept(
        actor=bappeda,
        scope=scope_for(bappeda),
        member=member,
        version=shared.version,
        data={"goal": lk.plan.objective_b, "code": code, "name": name, "value": value},
    )
    shared.refresh_from_db()
    return shared
