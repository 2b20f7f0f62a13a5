"""A realisation of an employee plan's individual indicator (IKI): the plan's employee enters
and submits it, the evaluator kept on the plan verifies it, and nobody else may."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kinerja.performance import parties
from kinerja.performance.services import realisations as rs
from kinerja.performance.tests.test_skp import add_indicator, add_result, create, s  # noqa: F401

ON = dt.date(2024, 4, 10)  # the 2024 quarters are open (none closed yet)


def test_the_plan_employee_enters_and_the_plans_evaluator_verifies(s):  # noqa: F811
    plan = create(s, s.siti, s.siti_scope, s.siti_user)
    result = add_result(s, plan, s.siti_scope, s.siti_user)
    indicator = add_indicator(plan, result, s.siti_scope, s.siti_user)
    target = indicator.targets.get()
    assert parties.target_parties(target, ON) == (s.siti.pk, s.kabid.pk)

    q1 = s.period.sub_periods.get(number=1)
    with pytest.raises(PermissionDenied):  # the evaluator does not enter for her
        rs.realisation_create(
            actor=s.kabid_user, scope=s.kabid_scope, target=target, sub_period=q1,
            data={"value": "3"}, on=ON,
        )  # fmt: skip
    made = rs.realisation_create(
        actor=s.siti_user, scope=s.siti_scope, target=target, sub_period=q1,
        data={"value": "3"}, on=ON,
    )  # fmt: skip
    assert (made.holder_id, made.verifier_id, made.value) == (s.siti.pk, s.kabid.pk, Decimal(3))
    made = rs.realisation_submit(
        actor=s.siti_user, scope=s.siti_scope, realisation=made, version=made.version, on=ON
    )
    with pytest.raises(PermissionDenied):  # the head is above the evaluator, not the verifier
        rs.realisation_verify(
            actor=s.head_user, scope=s.head_scope, realisation=made, version=made.version
        )
    made = rs.realisation_verify(
        actor=s.kabid_user, scope=s.kabid_scope, realisation=made, version=made.version
    )
    assert made.status == "verified"
