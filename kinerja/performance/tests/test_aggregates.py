"""Maintained achievement roll-ups (`kinerja.performance.aggregates`): a target's rows are the
achievement functions on its verified realisations; a verify and a return refresh the plan's
and the unit's rows in their own transaction; an import refreshes once; a shared target counts
once at the province; and `recompute_aggregates` gives the maintained rows again, on random
data."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.imports.engine import import_run
from kinerja.imports.readers import read_table
from kinerja.performance import aggregates, services
from kinerja.performance.achievement import TargetSpec, year_achievement
from kinerja.performance.models import Realisation, Rollup
from kinerja.performance.planning_importers import TargetImporter
from kinerja.performance.policy import achievement_rules_for_year
from kinerja.performance.services import collaboration as svc
from kinerja.performance.services import realisations as rs
from kinerja.performance.services import skp as skp_services

from .realisation_fixtures import rl_fixture  # noqa: F401 - the rl fixture
from .test_collaboration import accept, c, invite  # noqa: F401 - the c fixture
from .test_skp import add_indicator, add_result, create, s  # noqa: F401 - the s fixture

D = Decimal
ON = dt.date(2024, 4, 10)


def rows(kind, object_id, year):
    """The rows of one object: sub-period (0 the year) -> (percent, computed, not computed)."""
    return {
        r.sub_period: (r.percent, r.computed, r.not_computed)
        for r in Rollup.objects.filter(kind=kind, object_id=object_id, year=year)
    }


def verified(rl, target, number, value):
    """Enter, submit and verify a realisation of an agency A target (the rl fixture's parties)."""
    holder, scope = rl.holder_user, scope_for(rl.holder_user)
    sub = rl.period.sub_periods.get(number=number)
    made = rs.realisation_create(
        actor=holder, scope=scope, target=target, sub_period=sub, data={"value": value}
    )
    made = rs.realisation_submit(actor=holder, scope=scope, realisation=made, version=made.version)
    verifier = rl.verifier_user
    return rs.realisation_verify(
        actor=verifier, scope=scope_for(verifier), realisation=made, version=made.version
    )


def test_a_targets_rows_are_the_achievement_functions_on_its_verified_quarters(rl):
    for number, value in ((1, "80"), (2, "84"), (3, "88")):
        verified(rl, rl.t_a, number, value)
    # The fourth quarter is submitted, not verified: it does not count.
    holder, scope = rl.holder_user, scope_for(rl.holder_user)
    q4 = rs.realisation_create(
        actor=holder,
        scope=scope,
        target=rl.t_a,
        sub_period=rl.period.sub_periods.get(number=4),
        data={"value": "99"},
    )
    rs.realisation_submit(actor=holder, scope=scope, realisation=q4, version=q4.version)

    # DIK-01: 85 %, last value, higher is better; the year is 88 / 85.
    year = year_achievement(
        polarity="higher_is_better",
        aggregation="last_value",
        realisations=[D(80), D(84), D(88), None],
        rules=achievement_rules_for_year(2023),
        target=TargetSpec(value=D(85)),
    )
    assert year.result.percent == D("103.53")
    # Without sub-period targets, a last-value target holds in each quarter.
    assert rows("target", rl.t_a.pk, 2023) == {
        0: (D("103.53"), 1, 0),
        1: (D("94.12"), 1, 0),  # 80 / 85
        2: (D("98.82"), 1, 0),  # 84 / 85
        3: (D("103.53"), 1, 0),  # 88 / 85
    }
    row = Rollup.objects.get(kind="target", object_id=rl.t_a.pk, year=2023, sub_period=0)
    assert (row.realisation, row.target_value, row.reason) == (D(88), D(85), "")

    # Quarterly targets 70, 75, 80, 85: each quarter meets its own; the year is unchanged.
    bappeda = rl.world.users["bappeda"]
    services.target_set_values(
        actor=bappeda,
        scope=scope_for(bappeda),
        target=rl.t_a,
        values={1: "70", 2: "75", 3: "80", 4: "85"},
    )
    expected = {
        0: (D("103.53"), 1, 0),
        1: (D("114.29"), 1, 0),  # 80 / 70
        2: (D("112.00"), 1, 0),  # 84 / 75
        3: (D("110.00"), 1, 0),  # 88 / 80
    }
    assert rows("target", rl.t_a.pk, 2023) == expected
    # Agency A's only 2023 target; the province's three 2023 targets, one with a figure.
    assert rows("agency", rl.world.agency_a.pk, 2023) == expected
    assert rows("province", rl.world.instansi.pk, 2023)[0] == (D("103.53"), 1, 2)
    assert rows("agency", rl.world.agency_b.pk, 2023) == {0: (None, 0, 1)}

    # A lower-is-better direction changes every figure: 2 - 88 / 85 for the year.
    services.indicator_update(
        actor=bappeda,
        scope=scope_for(bappeda),
        indicator=rl.t_a.indicator,
        data={"polarity": "lower_is_better"},
    )
    assert rows("target", rl.t_a.pk, 2023)[0] == (D("96.47"), 1, 0)
    assert rows("agency", rl.world.agency_a.pk, 2023)[1] == (D("85.71"), 1, 0)  # 2 - 80 / 70


class Rollback(Exception):
    pass


def test_a_verify_refreshes_plan_and_unit_in_its_transaction_a_return_undoes_it(s):  # noqa: F811
    plan = create(s, s.siti, s.siti_scope, s.siti_user)
    result = add_result(s, plan, s.siti_scope, s.siti_user)
    reports = add_indicator(plan, result, s.siti_scope, s.siti_user).targets.get()  # 12
    visits = add_indicator(
        plan, result, s.siti_scope, s.siti_user, name="Kunjungan sekolah", target={"value": "10"}
    ).targets.get()
    q1 = s.period.sub_periods.get(number=1)

    def submitted(target, value):
        made = rs.realisation_create(
            actor=s.siti_user,
            scope=s.siti_scope,
            target=target,
            sub_period=q1,
            data={"value": value},
            on=ON,
        )
        return rs.realisation_submit(
            actor=s.siti_user, scope=s.siti_scope, realisation=made, version=made.version, on=ON
        )

    def verify(made):
        made.refresh_from_db()
        return rs.realisation_verify(
            actor=s.kabid_user, scope=s.kabid_scope, realisation=made, version=made.version
        )

    first, second = submitted(reports, "3"), submitted(visits, "8")
    # Nothing verified: each target has its year row, not computed; no quarter row.
    assert rows("plan", plan.pk, 2024) == {0: (None, 0, 2)}
    first = verify(first)
    assert rows("target", reports.pk, 2024) == {0: (D("25.00"), 1, 0), 1: (D("25.00"), 1, 0)}
    assert rows("plan", plan.pk, 2024) == {0: (D("25.00"), 1, 1), 1: (D("25.00"), 1, 1)}
    assert rows("unit", plan.unit_id, 2024) == {0: (D("25.00"), 1, 0), 1: (D("25.00"), 1, 0)}

    # The roll-ups change inside the verify's transaction, and roll back with it.
    with pytest.raises(Rollback), transaction.atomic():
        verify(second)
        assert rows("plan", plan.pk, 2024)[0] == (D("52.50"), 2, 0)  # (25 + 80) / 2
        assert rows("unit", plan.unit_id, 2024)[0] == (D("52.50"), 1, 0)
        raise Rollback
    assert rows("plan", plan.pk, 2024)[0] == (D("25.00"), 1, 1)
    second = verify(second)
    assert rows("plan", plan.pk, 2024) == {0: (D("52.50"), 2, 0), 1: (D("52.50"), 2, 0)}

    # Returned: the first target's quarter no longer counts.
    first.refresh_from_db()
    rs.realisation_return(
        actor=s.kabid_user,
        scope=s.kabid_scope,
        realisation=first,
        version=first.version,
        comment="Lampirkan bukti",
    )
    assert rows("target", reports.pk, 2024) == {0: (None, 0, 1)}
    assert rows("plan", plan.pk, 2024) == {0: (D("80.00"), 1, 1), 1: (D("80.00"), 1, 1)}
    assert rows("unit", plan.unit_id, 2024) == {0: (D("80.00"), 1, 0), 1: (D("80.00"), 1, 0)}
    maintained = aggregates.snapshot(s.world.instansi.pk)
    aggregates.rebuild(s.world.instansi.pk)
    assert aggregates.snapshot(s.world.instansi.pk) == maintained


def _xlsx(header, *lines) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for line in lines:
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_import_refreshes_the_targets_it_touched_once(rl, monkeypatch):
    verified(rl, rl.t_a, 1, "80")
    assert rows("target", rl.t_a.pk, 2023)[1] == (D("94.12"), 1, 0)  # 80 / 85
    calls = []
    real = aggregates._refresh

    def counted(targets, plans, agencies):
        calls.append(set(targets))
        return real(targets, plans, agencies)

    monkeypatch.setattr(aggregates, "_refresh", counted)
    data = _xlsx(
        ["Kode Indikator", "Tahun", "Bentuk Target", "Target", "Batas Bawah", "Batas Atas"]
        + [f"Sub-periode {n}" for n in range(1, 5)],
        ["DIK-01", 2023, "value", 85, None, None, 70, 75, 80, 85],
        ["DIK-01", 2024, "value", 95, None, None],
    )
    admin = rl.world.users["system_admin"]
    table = read_table(io.BytesIO(data), "file.xlsx")
    outcome = import_run(actor=admin, scope=scope_for(admin), importer=TargetImporter, table=table)
    assert outcome.valid, outcome.errors
    # One refresh for the whole file (the dry run refreshes nothing), of both targets.
    assert calls == [{rl.t_a.pk, rl.t_a_2024.pk}]
    assert rows("target", rl.t_a.pk, 2023)[1] == (D("114.29"), 1, 0)  # 80 / 70
    assert rows("target", rl.t_a_2024.pk, 2024) == {0: (None, 0, 1)}


def test_a_shared_target_counts_in_each_agency_by_weight_and_once_at_the_province(
    c,  # noqa: F811
    rl,
    scopes,
):
    world = c.world
    member = invite(c, scopes, world.agency_b, "30", 1)
    accept(c, member, c.scope_b, 2)  # B's supporting result KES-K1, 20, no realisation
    verified(rl, c.t_a, 1, "85")  # 85 / 85: 100
    # Agency B's head is not in the fixture: its realisation is written here, then refreshed.
    Realisation.objects.create(
        instansi=world.instansi,
        target=c.t_b,
        sub_period=rl.period.sub_periods.get(number=1),
        value=D(56),
        status="verified",
    )
    aggregates.refresh_targets([c.t_b])  # 56 / 70: 80
    assert rows("agency", world.agency_a.pk, 2023)[0] == (D("100.00"), 1, 0)  # share 70
    # B: its own target (80, weight 100), its supporting result (none) and the shared one
    # (100, weight 30): (8000 + 3000) / 130.
    assert rows("agency", world.agency_b.pk, 2023)[0] == (D("84.62"), 2, 1)
    # The province: A's (shared) target once, B's, the IKU; the supporting result left out.
    assert rows("province", world.instansi.pk, 2023)[0] == (D("90.00"), 2, 1)

    c.collab.refresh_from_db()
    svc.collaboration_set_weights(
        actor=c.admin,
        scope=c.scope_a,
        collaboration=c.collab,
        version=c.collab.version,
        lead_weight="50",
        weights={world.agency_b.pk: "50"},
    )
    assert rows("agency", world.agency_b.pk, 2023)[0] == (D("86.67"), 2, 1)  # 13000 / 150
    assert rows("agency", world.agency_a.pk, 2023)[0] == (D("100.00"), 1, 0)
    assert rows("province", world.instansi.pk, 2023)[0] == (D("90.00"), 2, 1)

    maintained = aggregates.snapshot(world.instansi.pk)
    call_command("recompute_aggregates", instansi=world.instansi.code, verbosity=0)
    assert aggregates.snapshot(world.instansi.pk) == maintained
    event = AuditEvent.objects.get(action="aggregates.recompute")
    assert event.actor_repr == "system" and event.changes["rows"][1] == len(maintained)
    # The maintained rows were right: the rebuild wrote none of them again.
    assert event.changes["written"][1] == event.changes["deleted"][1] == 0

    # Wrong rows are put right: a changed number, a missing row, a row of no target.
    province = Rollup.objects.get(
        kind="province", object_id=world.instansi.pk, year=2023, sub_period=0
    )
    Rollup.objects.filter(pk=province.pk).update(percent=D("1.00"))
    Rollup.objects.filter(kind="agency", object_id=world.agency_b.pk, year=2023).delete()
    orphan = Rollup.objects.create(
        instansi=world.instansi, kind="target", object_id=10**9, year=2023, sub_period=0,
        percent=D("50.00"), computed=1, computed_at=province.computed_at,
    )  # fmt: skip
    done = aggregates.rebuild(world.instansi.pk)
    assert aggregates.snapshot(world.instansi.pk) == maintained
    assert not Rollup.objects.filter(pk=orphan.pk).exists()
    agency_rows = len([r for r in maintained if r[1] == "agency" and r[2] == world.agency_b.pk])
    assert agency_rows >= 1
    assert (done.rows, done.written, done.deleted) == (len(maintained), 1 + agency_rows, 2)
    # From an empty table: every row written, the same rows.
    Rollup.objects.filter(instansi=world.instansi).delete()
    done = aggregates.rebuild(world.instansi.pk)
    assert (done.written, done.deleted) == (len(maintained), 0)
    assert aggregates.snapshot(world.instansi.pk) == maintained


# Random data: the maintained rows equal the rebuilt ones ----------------------------------

INDICATOR = st.fixed_dictionaries(
    {
        "iki": st.booleans(),
        "polarity": st.sampled_from(["higher_is_better", "lower_is_better"]),
        "aggregation": st.sampled_from(["cumulative", "last_value", "average"]),
        "range": st.booleans(),
        "target": st.integers(0, 40),
        "cap": st.sampled_from([None, D(150)]),
    }
)
OP = st.tuples(
    st.integers(0, 3),
    st.integers(1, 2),
    st.sampled_from(["enter", "verify", "verify", "return", "return", "flip"]),
    st.integers(0, 60),
)


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    indicators=st.lists(INDICATOR, min_size=1, max_size=4),
    ops=st.lists(OP, min_size=4, max_size=16),
)
def test_recompute_gives_the_maintained_rows_on_random_data(s, plan, indicators, ops):  # noqa: F811
    world = s.world
    bappeda = world.users["bappeda"]
    planner = scope_for(bappeda)
    with transaction.atomic():
        skp = create(s, s.siti, s.siti_scope, s.siti_user)
        result = add_result(s, skp, s.siti_scope, s.siti_user)
        targets = []  # (target, enter as, verify as)
        for n, spec in enumerate(indicators):
            number = str(spec["target"])
            shape = (
                {"shape": "range", "low": number, "high": str(spec["target"] + 5)}
                if spec["range"]
                else {"shape": "value", "value": number}
            )
            if spec["iki"]:
                indicator = add_indicator(
                    skp, result, s.siti_scope, s.siti_user, name=f"IKI {n}", target=shape
                )
                target = indicator.targets.get()
                targets.append((target, (s.siti_user, s.siti_scope), (s.kabid_user, s.kabid_scope)))
            else:
                indicator = plan.indicator(
                    plan.target_a,
                    f"H-{n}",
                    f"Indikator {n}",
                    polarity=spec["polarity"],
                    aggregation=spec["aggregation"],
                    cap_percent=spec["cap"],
                )
                target = services.target_set(
                    actor=bappeda, scope=planner, indicator=indicator, year=2024, data=shape
                )
                targets.append((target, (s.head_user, s.head_scope), (bappeda, planner)))
        for index, number, action, value in ops:
            target, (enterer, enter_scope), (verifier, verify_scope) = targets[index % len(targets)]
            sub = s.period.sub_periods.get(number=number)
            made = Realisation.objects.filter(target=target, sub_period=sub).first()
            try:
                if action == "enter":
                    call = {"actor": enterer, "scope": enter_scope, "on": ON}
                    if made is None:
                        rs.realisation_create(
                            **call, target=target, sub_period=sub, data={"value": str(value)}
                        )
                    elif made.is_editable:
                        rs.realisation_update(
                            **call, realisation=made, version=made.version, data={"value": value}
                        )
                elif action == "verify":
                    call = {"actor": enterer, "scope": enter_scope, "on": ON}
                    if made is None:
                        made = rs.realisation_create(
                            **call, target=target, sub_period=sub, data={"value": str(value)}
                        )
                    if made.is_editable:
                        made = rs.realisation_submit(**call, realisation=made, version=made.version)
                    rs.realisation_verify(
                        actor=verifier, scope=verify_scope, realisation=made, version=made.version
                    )
                elif action == "return" and made is not None:
                    rs.realisation_return(
                        actor=verifier,
                        scope=verify_scope,
                        realisation=made,
                        version=made.version,
                        comment="Perbaiki",
                    )
                elif action == "flip" and target.indicator.result_id is None:
                    indicator = target.indicator
                    indicator.refresh_from_db()
                    flipped = (
                        "lower_is_better"
                        if indicator.polarity == "higher_is_better"
                        else "higher_is_better"
                    )
                    services.indicator_update(
                        actor=bappeda,
                        scope=planner,
                        indicator=indicator,
                        data={"polarity": flipped},
                    )
            except (ValidationError, PermissionDenied):
                pass  # a step the realisation's state refuses: nothing written
        maintained = aggregates.snapshot(world.instansi.pk)
        done = aggregates.rebuild(world.instansi.pk)
        assert aggregates.snapshot(world.instansi.pk) == maintained
        assert (done.written, done.deleted) == (0, 0)  # every maintained row was right
        Rollup.objects.filter(instansi=world.instansi).delete()
        assert aggregates.rebuild(world.instansi.pk).written == len(maintained)
        assert aggregates.snapshot(world.instansi.pk) == maintained
        transaction.set_rollback(True)


def test_removing_an_indicator_drops_its_rows_and_refreshes_the_plan(s):  # noqa: F811
    plan = create(s, s.siti, s.siti_scope, s.siti_user)
    result = add_result(s, plan, s.siti_scope, s.siti_user)
    reports = add_indicator(plan, result, s.siti_scope, s.siti_user)  # 12
    visits = add_indicator(
        plan, result, s.siti_scope, s.siti_user, name="Kunjungan sekolah", target={"value": "10"}
    )
    made = rs.realisation_create(
        actor=s.siti_user,
        scope=s.siti_scope,
        target=reports.targets.get(),
        sub_period=s.period.sub_periods.get(number=1),
        data={"value": "6"},
        on=ON,
    )
    made = rs.realisation_submit(
        actor=s.siti_user, scope=s.siti_scope, realisation=made, version=made.version, on=ON
    )
    rs.realisation_verify(
        actor=s.kabid_user, scope=s.kabid_scope, realisation=made, version=made.version
    )
    assert rows("plan", plan.pk, 2024)[0] == (D("50.00"), 1, 1)  # 6 / 12; the visits not yet
    gone = visits.targets.get().pk
    plan.refresh_from_db()
    skp_services.plan_indicator_remove(
        actor=s.siti_user, scope=s.siti_scope, indicator=visits, version=plan.version
    )
    assert not Rollup.objects.filter(kind="target", object_id=gone).exists()
    assert rows("plan", plan.pk, 2024) == {0: (D("50.00"), 1, 0), 1: (D("50.00"), 1, 0)}
    assert rows("unit", plan.unit_id, 2024)[0] == (D("50.00"), 1, 0)
