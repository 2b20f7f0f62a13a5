"""An indicator's zero-target rule: set on the indicator's page and through the API (audited),
refused when unknown, and used by the achievement of its targets instead of the policy's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from kinerja.audit.models import AuditEvent
from kinerja.performance import selectors, services
from kinerja.performance.choices import Polarity, ZeroTargetRule
from kinerja.performance.models import Indicator

ON = dt.date(2026, 12, 31)


def _target(world, scopes, indicator, **data):
    return services.target_set(
        actor=world.users["bappeda"],
        scope=scopes["bappeda"],
        indicator=indicator,
        year=2026,
        data=data,
    )


def _update(world, scopes, indicator, **data):
    return services.indicator_update(
        actor=world.users["bappeda"], scope=scopes["bappeda"], indicator=indicator, data=data
    )


def test_a_zero_target_uses_the_indicator_rule_else_the_policy(world, scopes, plan):
    target = _target(world, scopes, plan.ind_a, value=0)
    assert plan.ind_a.zero_target_rule is None
    # The policy (2023 version): 100 at 0, otherwise 0, on either side.
    assert selectors.target_achievement(target=target, realisation=D(0), on=ON) == D("100.00")
    assert selectors.target_achievement(target=target, realisation=D(4), on=ON) == D("0.00")

    _update(world, scopes, plan.ind_a, zero_target_rule=ZeroTargetRule.BETTER_CAPPED)
    target.refresh_from_db()
    assert selectors.target_achievement(target=target, realisation=D(4), on=ON) == D("120.00")
    _update(world, scopes, plan.ind_a, zero_target_rule=ZeroTargetRule.EVALUATOR)
    target.refresh_from_db()
    assert selectors.target_achievement(target=target, realisation=D(4), on=ON) is None
    event = AuditEvent.objects.filter(action="indicator.update").latest("sequence")
    assert event.changes["zero_target_rule"] == ["better_capped", "evaluator"]


def test_the_rule_leaves_a_target_other_than_zero_alone(world, scopes, plan):
    _update(world, scopes, plan.ind_a, zero_target_rule=ZeroTargetRule.EVALUATOR)
    target = _target(world, scopes, plan.ind_a, value=80)
    assert selectors.target_achievement(target=target, realisation=D(60), on=ON) == D("75.00")


def test_a_lower_is_better_range_from_zero(world, scopes, plan):
    _update(world, scopes, plan.ind_a, polarity=Polarity.LOWER_IS_BETTER)
    target = _target(world, scopes, plan.ind_a, shape="range", low=0, high=2)
    assert selectors.target_achievement(target=target, realisation=D(3), on=ON) == D("50.00")
    assert selectors.target_achievement(target=target, realisation=D(1), on=ON) == D("100.00")


def test_an_unknown_rule_is_refused(world, scopes, plan):
    with pytest.raises(ValidationError) as refused:
        _update(world, scopes, plan.ind_a, zero_target_rule="generous")
    assert "zero_target_rule" in refused.value.message_dict
    assert Indicator.objects.get(pk=plan.ind_a.pk).zero_target_rule is None


def test_the_indicator_page_sets_and_clears_the_rule(plan, world, login):
    client = login(world.users["opd_admin"])
    url = reverse("performance:indicator_update", args=[plan.ind_a.pk])
    page = client.get(url).content.decode()
    assert 'name="zero_target_rule"' in page
    assert "Dinilai oleh pejabat penilai, tidak dihitung" in page  # the evaluator's option
    ind = plan.ind_a
    form = {
        "code": ind.code,
        "name": ind.name,
        "measure_unit": ind.measure_unit,
        "data_type": ind.data_type,
        "polarity": ind.polarity,
        "control_level": ind.control_level,
        "reporting_frequency": ind.reporting_frequency,
        "aggregation": ind.aggregation,
        "zero_target_rule": "not_worse",
    }
    assert client.post(url, form).status_code == 302
    assert Indicator.objects.get(pk=ind.pk).zero_target_rule == "not_worse"
    assert client.post(url, {**form, "zero_target_rule": ""}).status_code == 302
    assert Indicator.objects.get(pk=ind.pk).zero_target_rule is None


def test_the_api_reads_and_sets_the_rule(plan, world):
    api = APIClient()
    api.force_login(world.users["opd_admin"])
    url = f"/api/v1/indicators/{plan.ind_a.pk}/"
    assert api.get(url).json()["zero_target_rule"] is None
    response = api.patch(url, {"zero_target_rule": "exact"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["zero_target_rule"] == "exact"
    assert Indicator.objects.get(pk=plan.ind_a.pk).zero_target_rule == "exact"
    response = api.patch(url, {"zero_target_rule": "generous"}, format="json")
    assert response.status_code == 400
    assert "zero_target_rule" in response.json()
    response = api.patch(url, {"zero_target_rule": None}, format="json")
    assert response.json()["zero_target_rule"] is None
