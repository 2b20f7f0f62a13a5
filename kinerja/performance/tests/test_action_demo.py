"""The demo's action plans: 2 to 4 actions under each target, schedules summing to 100, a
draft's through the services and a signed agreement's in bulk, both audited; the step runs
after the plan's."""

from __future__ import annotations

from decimal import Decimal as D

from django.db.models import Sum

from kinerja.audit.models import AuditEvent
from kinerja.core.registry import demo_steps
from kinerja.performance import services
from kinerja.performance.demo_actions import demo_actions
from kinerja.performance.models import Action

from . import test_actions as base
from .test_agreements import call

ap = base.ap  # the fixture


def _check(world, agreement):
    actions = Action.objects.filter(agreement=agreement)
    assert 2 <= actions.count() <= 4
    for action in actions:
        assert action.schedule.aggregate(s=Sum("weight"))["s"] == D(100)
        assert action.schedule.count() == 4 and action.budget > 0
        assert action.sub_activity_code.startswith(action.activity_code + ".")
    events = AuditEvent.objects.filter(action="action.create").count()
    assert events == actions.count()
    assert demo_actions(world.instansi, 2023) == 0  # a plan is there: kept


def test_a_drafts_plan_through_the_services(ap, world):
    assert demo_actions(world.instansi, 2023) >= 2
    _check(world, ap.agreement)


def test_a_signed_agreements_plan_in_bulk(ap, world):
    agreement = call(ap, services.agreement_submit, ap.agreement)
    agreement = call(ap, services.agreement_approve, agreement, user="bappeda")
    agreement = call(ap, services.agreement_sign, agreement, user="bappeda")
    assert demo_actions(world.instansi, 2023) >= 2
    _check(world, agreement)


def test_the_step_runs_after_the_plan():
    labels = [s.label for s in demo_steps()]
    assert labels.index("action_plans") > labels.index("planning")
