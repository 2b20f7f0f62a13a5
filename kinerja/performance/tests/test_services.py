"""The planning rules, each with concrete years, dates and numbers. A refused write writes
nothing and names the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from kinerja.audit.models import AuditEvent
from kinerja.performance import selectors, services
from kinerja.performance.choices import (
    Aggregation,
    DataType,
    GoalLevel,
    KeySetStatus,
    Polarity,
    SubPeriodStatus,
    TagKind,
    TargetShape,
)
from kinerja.performance.models import Goal, Period, SubPeriod, Target, TargetValue


@pytest.fixture(autouse=True)
def _english():
    """The messages are matched in English here; the API test reads them in Indonesian."""
    with translation.override("en"):
        yield


def events(action):
    return AuditEvent.objects.filter(action=action).count()


def open_year(world, scopes, year=2026, **data):
    return services.period_create(
        actor=world.users["bappeda"],
        scope=scopes["bappeda"],
        instansi=world.instansi,
        year=year,
        data=data,
    )


def refused(field, call, *args, **kwargs):
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    assert field in info.value.message_dict, info.value.message_dict
    return " ".join(info.value.message_dict[field])


# Periods -----------------------------------------------------------------------------------


def test_a_year_takes_the_policy_defaults_and_quarters(world, scopes):
    period = open_year(world, scopes)

    assert period.frequency == "quarterly"
    assert period.plans_due == dt.date(2026, 1, 31)
    assert period.annual_evaluation_due == dt.date(2027, 1, 31)
    assert period.periodic_evaluation_days == 10
    subs = list(period.sub_periods.order_by("number").values_list("number", "starts", "ends"))
    assert subs == [
        (1, dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        (2, dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        (3, dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        (4, dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
    ]
    assert events("period.create") == 1


def test_a_monthly_year_has_twelve_months_february_included(world, scopes):
    period = open_year(world, scopes, year=2024, frequency="monthly")

    feb = period.sub_periods.get(number=2)
    assert period.sub_periods.count() == 12
    assert (feb.starts, feb.ends) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))


def test_year_rules_and_who_may_open_it(world, scopes):
    open_year(world, scopes)
    assert "already open" in refused("year", open_year, world, scopes)
    assert "2000" in refused("year", open_year, world, scopes, year=1999)
    assert "after the year" in refused(
        "annual_evaluation_due",
        open_year,
        world,
        scopes,
        year=2027,
        annual_evaluation_due=dt.date(2027, 12, 31),
    )
    with pytest.raises(PermissionDenied):
        services.period_create(
            actor=world.users["opd_admin"],
            scope=scopes["opd_admin"],
            instansi=world.instansi,
            year=2028,
        )
    # BKD may, like Bappeda and the system administrator.
    services.period_create(
        actor=world.users["bkd"], scope=scopes["bkd"], instansi=world.instansi, year=2028
    )
    assert sorted(Period.objects.values_list("year", flat=True)) == [2026, 2028]


def test_changing_the_split_remakes_sub_periods_until_one_is_closed(world, scopes):
    period = open_year(world, scopes)
    admin = {"actor": world.users["bappeda"], "scope": scopes["bappeda"]}

    services.period_update(**admin, period=period, data={"frequency": "monthly"})
    assert period.sub_periods.count() == 12

    services.sub_period_set_status(
        **admin, sub_period=period.sub_periods.get(number=1), status=SubPeriodStatus.CLOSED
    )
    assert "closed" in refused(
        "frequency",
        services.period_update,
        **admin,
        period=period,
        data={"frequency": "quarterly"},
    )
    assert SubPeriod.objects.filter(period=period).count() == 12


def test_late_entry_window_lets_one_unit_enter_a_closed_quarter(world, scopes):
    period = open_year(world, scopes)
    q1 = period.sub_periods.get(number=1)
    admin = {"actor": world.users["bappeda"], "scope": scopes["bappeda"]}
    assert selectors.can_enter(unit=world.division_a, sub_period=q1, on=dt.date(2026, 4, 7))

    services.sub_period_set_status(**admin, sub_period=q1, status=SubPeriodStatus.CLOSED)
    services.late_entry_open(
        **admin,
        unit=world.agency_a,
        sub_period=q1,
        opens=dt.date(2026, 4, 5),
        closes=dt.date(2026, 4, 10),
        reason="Data BPS terlambat",
    )

    # The window covers agency A's subtree, from the 5th to the 10th of April.
    assert selectors.can_enter(unit=world.division_a, sub_period=q1, on=dt.date(2026, 4, 7))
    assert selectors.can_enter(unit=world.agency_a, sub_period=q1, on=dt.date(2026, 4, 10))
    assert not selectors.can_enter(unit=world.agency_a, sub_period=q1, on=dt.date(2026, 4, 11))
    assert not selectors.can_enter(unit=world.agency_b, sub_period=q1, on=dt.date(2026, 4, 7))
    assert events("late_entry.open") == 1


def test_late_entry_rules(world, scopes):
    q1 = open_year(world, scopes).sub_periods.get(number=1)
    admin = {"actor": world.users["bappeda"], "scope": scopes["bappeda"]}
    base = {"unit": world.agency_a, "sub_period": q1, "reason": "Data terlambat"}

    assert "reason" in refused(
        "reason",
        services.late_entry_open,
        **admin,
        **{**base, "reason": " "},
        opens=dt.date(2026, 4, 5),
        closes=dt.date(2026, 4, 10),
    )
    assert "before it opens" in refused(
        "closes",
        services.late_entry_open,
        **admin,
        **base,
        opens=dt.date(2026, 4, 10),
        closes=dt.date(2026, 4, 5),
    )
    assert "2026-03-31" in refused(
        "opens",
        services.late_entry_open,
        **admin,
        **base,
        opens=dt.date(2026, 3, 20),
        closes=dt.date(2026, 4, 5),
    )
    with pytest.raises(PermissionDenied):
        services.late_entry_open(
            actor=world.users["opd_admin"],
            scope=scopes["opd_admin"],
            **base,
            opens=dt.date(2026, 4, 5),
            closes=dt.date(2026, 4, 10),
        )
    assert events("late_entry.open") == 0


# Goals -------------------------------------------------------------------------------------


def test_the_tree_levels_and_owners(world, scopes, plan):
    bappeda = {
        "actor": world.users["bappeda"],
        "scope": scopes["bappeda"],
        "instansi": world.instansi,
    }
    count = Goal.objects.count()

    assert "Mission" in refused(
        "parent",
        services.goal_create,
        **bappeda,
        data={"level": GoalLevel.OBJECTIVE, "code": "X1", "name": "Tanpa misi"},
    )
    assert "no agency" in refused(
        "unit",
        services.goal_create,
        **bappeda,
        data={
            "level": GoalLevel.TARGET,
            "code": "X2",
            "name": "S",
            "parent": plan.objective,
            "unit": world.agency_a,
        },
    )
    # A Renstra goal belongs to an agency, not to a division of it.
    assert "agency" in refused(
        "unit",
        services.goal_create,
        **bappeda,
        data={
            "level": GoalLevel.AGENCY_OBJECTIVE,
            "code": "X3",
            "name": "T",
            "parent": plan.target,
            "unit": world.division_a,
        },
    )
    assert "agency" in refused(
        "unit",
        services.goal_create,
        **bappeda,
        data={
            "level": GoalLevel.AGENCY_TARGET,
            "code": "X4",
            "name": "S",
            "parent": plan.objective_a,
            "unit": world.agency_b,
        },
    )
    assert Goal.objects.count() == count


def test_a_goal_cannot_move_under_its_own_sub_goal(world, scopes, plan):
    assert "under itself" in refused(
        "parent",
        services.goal_update,
        actor=world.users["bappeda"],
        scope=scopes["bappeda"],
        goal=plan.objective_a,
        data={"parent": plan.target_a},
    )
    plan.objective_a.refresh_from_db()
    assert plan.objective_a.parent_id == plan.target.pk


def test_agency_admins_keep_their_own_renstra_only(world, scopes, plan):
    admin = {
        "actor": world.users["opd_admin"],
        "scope": scopes["opd_admin"],
        "instansi": world.instansi,
    }
    goal = services.goal_create(
        **admin,
        data={
            "level": GoalLevel.AGENCY_TARGET,
            "code": "DIK.T1.S2",
            "name": "Mutu SMA",
            "parent": plan.objective_a,
            "unit": world.agency_a,
        },
    )
    assert goal.unit == world.agency_a
    with pytest.raises(PermissionDenied):
        services.goal_create(
            **admin,
            data={
                "level": GoalLevel.AGENCY_TARGET,
                "code": "KES.T1.S9",
                "name": "x",
                "parent": plan.objective_b,
                "unit": world.agency_b,
            },
        )
    with pytest.raises(PermissionDenied):  # the regional plan is Bappeda's
        services.goal_create(
            **admin, data={"level": GoalLevel.MISSION, "code": "M9", "name": "Misi lain"}
        )


def test_goal_tags_come_from_the_policy_lists(world, scopes, plan):
    bappeda = {"actor": world.users["bappeda"], "scope": scopes["bappeda"]}
    services.goal_update(
        **bappeda,
        goal=plan.target,
        data={},
        rb_themes=["kemiskinan"],
        development_areas=["gerbangkertosusila", "bromo-tengger-semeru"],
    )
    tags = sorted(plan.target.tags.values_list("kind", "code"))
    assert tags == [
        (TagKind.DEVELOPMENT_AREA, "bromo-tengger-semeru"),
        (TagKind.DEVELOPMENT_AREA, "gerbangkertosusila"),
        (TagKind.RB_THEME, "kemiskinan"),
    ]
    assert "atlantis" in refused(
        "development_areas",
        services.goal_update,
        **bappeda,
        goal=plan.target,
        data={},
        development_areas=["atlantis"],
    )
    assert plan.target.tags.count() == 3


# Indicators --------------------------------------------------------------------------------


def test_an_indicator_takes_its_goals_agency_and_library_fields(world, scopes, plan):
    bappeda = {
        "actor": world.users["bappeda"],
        "scope": scopes["bappeda"],
        "instansi": world.instansi,
    }
    template = services.template_create(
        **bappeda,
        data={
            "name": "Persentase dokumen perencanaan tepat waktu",
            "measure_unit": "persen",
            "control_level": "output",
            "position_kind": "administrator",
            "polarity": Polarity.HIGHER_IS_BETTER,
            "aggregation": Aggregation.CUMULATIVE,
        },
    )
    indicator = services.indicator_create(
        **bappeda, data={"goal": plan.target_a, "code": "DIK-09", "template": template}
    )
    assert indicator.unit == world.agency_a
    assert indicator.name == "Persentase dokumen perencanaan tepat waktu"
    assert indicator.aggregation == Aggregation.CUMULATIVE
    assert "below 100 percent" in refused(
        "cap_percent",
        services.indicator_update,
        actor=world.users["bappeda"],
        scope=scopes["bappeda"],
        indicator=indicator,
        data={"cap_percent": D(90)},
    )
    assert "unit of measure" in refused(
        "measure_unit",
        services.indicator_create,
        **bappeda,
        data={
            "goal": plan.target_a,
            "code": "DIK-10",
            "name": "x",
            "measure_unit": "kg",
            "control_level": "output",
        },
    )


# Targets -----------------------------------------------------------------------------------


def set_target(world, scopes, indicator, year=2026, **data):
    return services.target_set(
        actor=world.users["bappeda"],
        scope=scopes["bappeda"],
        indicator=indicator,
        year=year,
        data=data,
    )


def test_target_rules(world, scopes, plan):
    assert "needs a value" in refused(
        "value", set_target, world, scopes, plan.ind_a, shape=TargetShape.VALUE
    )
    assert "(90) is above the high bound (80)" in refused(
        "low", set_target, world, scopes, plan.ind_a, shape=TargetShape.RANGE, low=90, high=80
    )
    assert "negative" in refused("value", set_target, world, scopes, plan.ind_a, value=-5)
    assert "value" in refused(
        "shape",
        set_target,
        world,
        scopes,
        plan.ind_a,
        shape=TargetShape.QUALITATIVE,
        expectation="baik",
    )
    assert Target.objects.count() == 0

    growth = plan.indicator(
        plan.target, "IKU-02", "Pertumbuhan ekonomi", measure_unit="persen_pertumbuhan"
    )
    assert set_target(world, scopes, growth, value=D("-1.5")).value == D("-1.5")
    whole = plan.indicator(
        plan.target_a, "DIK-02", "Jumlah SMA baru", measure_unit="unit", data_type=DataType.INTEGER
    )
    assert "whole numbers" in refused("value", set_target, world, scopes, whole, value="2.5")
    assert set_target(world, scopes, whole, value=3).value == D(3)


def test_qualitative_targets_describe_an_expectation(world, scopes, plan):
    quality = plan.indicator(
        plan.target_a,
        "DIK-03",
        "Predikat SAKIP Dinas",
        measure_unit="predikat",
        data_type=DataType.QUALITATIVE,
    )
    assert "expectation" in refused("expectation", set_target, world, scopes, quality)
    target = set_target(world, scopes, quality, expectation="Predikat BB atau lebih baik")
    assert (target.shape, target.value) == (TargetShape.QUALITATIVE, None)


def test_a_target_is_replaced_not_doubled(world, scopes, plan):
    set_target(world, scopes, plan.ind_a, value=80)
    target = set_target(world, scopes, plan.ind_a, shape=TargetShape.RANGE, low=80, high=90)
    assert Target.objects.filter(indicator=plan.ind_a).count() == 1
    assert (target.low, target.high, target.value) == (D(80), D(90), None)
    assert [events("target.create"), events("target.update")] == [1, 1]


@pytest.mark.parametrize(
    ("aggregation", "year_value", "good", "bad", "message"),
    [
        (Aggregation.CUMULATIVE, 100, [20, 30, 25, 25], [20, 30, 25, 20], "add up to 95"),
        (Aggregation.LAST_VALUE, 80, [20, 40, 60, 80], [20, 40, 60, 75], "is 75"),
        (Aggregation.AVERAGE, 80, [70, 80, 90, 80], [70, 80, 90, 90], "average 82.5"),
    ],
)
def test_sub_period_values_make_the_year_under_the_aggregation(
    world, scopes, plan, aggregation, year_value, good, bad, message
):
    open_year(world, scopes)
    indicator = plan.indicator(plan.target_a, "DIK-05", "x", aggregation=aggregation)
    target = set_target(world, scopes, indicator, value=year_value)
    call = {"actor": world.users["opd_admin"], "scope": scopes["opd_admin"], "target": target}

    assert message in refused(
        "values", services.target_set_values, **call, values=dict(enumerate(bad, 1))
    )
    assert TargetValue.objects.count() == 0
    services.target_set_values(**call, values=dict(enumerate(good, 1)))
    assert [v.value for v in target.values.order_by("sub_period__number")] == good


def test_sub_period_values_of_a_range_and_their_limits(world, scopes, plan):
    admin = {"actor": world.users["bappeda"], "scope": scopes["bappeda"]}
    target = set_target(world, scopes, plan.ind_a, shape=TargetShape.RANGE, low=80, high=90)
    assert "not open" in refused(
        "values", services.target_set_values, **admin, target=target, values={1: 1}
    )
    open_year(world, scopes)
    ranges = {
        1: {"low": 70, "high": 75},
        2: {"low": 72, "high": 80},
        3: {"low": 75, "high": 85},
        4: {"low": 80, "high": 90},
    }
    assert "each of the 4" in refused(
        "values", services.target_set_values, **admin, target=target, values={1: ranges[1]}
    )
    assert "negative" in refused(
        "values.2",
        services.target_set_values,
        **admin,
        target=target,
        values={**ranges, 2: {"low": -1, "high": 80}},
    )
    services.target_set_values(**admin, target=target, values=ranges)  # last value: 80-90
    assert target.values.count() == 4


def test_agency_admin_sets_targets_of_its_agency_only(world, scopes, plan):
    call = {
        "actor": world.users["opd_admin"],
        "scope": scopes["opd_admin"],
        "year": 2026,
        "data": {"value": 50},
    }
    services.target_set(**call, indicator=plan.ind_a)
    with pytest.raises(PermissionDenied):
        services.target_set(**call, indicator=plan.ind_b)
    with pytest.raises(PermissionDenied):
        services.target_set(**call, indicator=plan.iku)  # the province's
    assert Target.objects.count() == 1


def test_achievement_of_a_target_uses_the_indicators_cap(world, scopes, plan):
    target = set_target(world, scopes, plan.ind_a, value=80)
    on = dt.date(2026, 12, 31)
    assert selectors.target_achievement(target=target, realisation=D(104), on=on) == D("120.00")
    services.indicator_update(
        actor=world.users["bappeda"],
        scope=scopes["bappeda"],
        indicator=plan.ind_a,
        data={"cap_percent": D(150)},
    )
    target.refresh_from_db()
    assert selectors.target_achievement(target=target, realisation=D(104), on=on) == D("130.00")


# Key indicator sets ------------------------------------------------------------------------


def test_a_key_set_needs_a_target_for_every_year(world, scopes, plan):
    bappeda = {"actor": world.users["bappeda"], "scope": scopes["bappeda"]}
    key_set = services.key_set_create(
        **bappeda,
        instansi=world.instansi,
        data={"name": "IKU Provinsi", "first_year": 2024, "last_year": 2026},
    )
    assert "not a key" in refused(
        "indicator", services.key_set_add, **bappeda, key_set=key_set, indicator=plan.ind_b
    )
    assert "another owner" in refused(
        "indicator", services.key_set_add, **bappeda, key_set=key_set, indicator=plan.ind_a
    )
    services.key_set_add(**bappeda, key_set=key_set, indicator=plan.iku)
    set_target(world, scopes, plan.iku, year=2024, value=D("8.2"))

    message = refused("indicators", services.key_set_finalise, **bappeda, key_set=key_set)
    assert "IKU-01 2025, IKU-01 2026" in message
    key_set.refresh_from_db()
    assert key_set.status == KeySetStatus.DRAFT

    set_target(world, scopes, plan.iku, year=2025, value=D("8.3"))
    set_target(world, scopes, plan.iku, year=2026, value=D("8.4"))
    services.key_set_finalise(**bappeda, key_set=key_set, decree_number="188/12/KPTS/2024")
    key_set.refresh_from_db()
    assert (key_set.status, key_set.decree_number) == (KeySetStatus.SET, "188/12/KPTS/2024")
    assert "overs these years" in refused(
        "first_year",
        services.key_set_create,
        **bappeda,
        instansi=world.instansi,
        data={"name": "IKU lain", "first_year": 2026, "last_year": 2028},
    )
