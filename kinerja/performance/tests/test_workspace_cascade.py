"""The cascade page: the regional plan, then (a level at a time) the agency goals with their
indicators, PK targets and the heads' SKP results, then the results below them; scoped and
a fixed number of queries per level."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.performance import services
from kinerja.performance.tests.conftest import scope_for

from .test_skp import add_result, create, head_plan, s  # noqa: F401 (the fixture)


def _cascade(s, plan):  # noqa: F811
    bappeda, scope = s.world.users["bappeda"], scope_for(s.world.users["bappeda"])
    agreement = services.agreement_create(
        actor=bappeda, scope=scope, instansi=s.world.instansi,
        data={
            "unit": s.world.agency_a, "year": 2024, "agreement_date": dt.date(2024, 1, 5),
            "second_party_name": "Gubernur", "second_party_title": "Gubernur Jawa Timur",
        },
    )  # fmt: skip
    target = services.target_set(
        actor=bappeda, scope=scope, indicator=plan.ind_a, year=2024, data={"value": "87"}
    )
    services.agreement_set_targets(
        actor=bappeda, scope=scope, agreement=agreement, version=agreement.version,
        targets=[target],
    )  # fmt: skip
    row = agreement.targets.get()
    head = head_plan(s)
    head_result = add_result(
        s, head, s.head_scope, s.head_user, text="Meningkatnya APK SMA provinsi",
        serves_target=row, classification="organisational",
    )  # fmt: skip
    kabid = create(s, s.kabid, s.kabid_scope, s.kabid_user)
    kabid_result = add_result(
        s, kabid, s.kabid_scope, s.kabid_user, text="Bertambahnya ruang kelas SMA",
        serves=head_result,
    )  # fmt: skip
    return agreement, head_result, kabid_result


def test_the_cascade_from_the_regional_plan_to_the_results_below(s, plan, client):  # noqa: F811
    agreement, head_result, kabid_result = _cascade(s, plan)
    client.force_login(s.world.users["bappeda"])
    page = client.get("/plans/cascade/?year=2024")
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count('data-testid="regional-goal"') == 3  # mission, objective, target
    assert reverse("performance:template_list") in text
    # The regional target has two agency goals below it (agencies A and B).
    level = client.get(f"/plans/cascade/goals/{plan.target.pk}/?year=2024").content.decode()
    assert level.count('data-testid="agency-goal"') == 2
    assert "DIK.T1" in level and "KES.T1" in level
    # Agency A's objective has its target below it, which carries the indicator and its PK.
    level = client.get(f"/plans/cascade/goals/{plan.objective_a.pk}/?year=2024").content.decode()
    assert level.count('data-testid="cascade-indicator"') == 1
    assert "DIK-01" in level and agreement.get_absolute_url() in level
    assert "Meningkatnya APK SMA provinsi" in level  # the head's result serving the PK target
    assert reverse("performance:workspace_cascade_result", args=[head_result.pk]) in level
    below = client.get(f"/plans/cascade/results/{head_result.pk}/").content.decode()
    assert below.count('data-testid="cascade-result"') == 1
    assert "Bertambahnya ruang kelas SMA" in below


def test_the_cascade_keeps_to_the_callers_reach(s, plan, client):  # noqa: F811
    _cascade(s, plan)
    client.force_login(s.head_user)  # agency A's head reads agency A's planning
    level = client.get(f"/plans/cascade/goals/{plan.target.pk}/?year=2024").content.decode()
    assert level.count('data-testid="agency-goal"') == 1
    assert "DIK.T1" in level and "KES.T1" not in level
    assert client.get(f"/plans/cascade/goals/{plan.objective_b.pk}/").status_code == 404
    client.force_login(s.siti_user)  # no planning grant
    assert client.get("/plans/cascade/").status_code == 403


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_a_level_stays_at_the_same_query_count_as_it_grows(s, plan, client):  # noqa: F811
    agreement, head_result, kabid_result = _cascade(s, plan)
    client.force_login(s.world.users["bappeda"])
    goal_url = f"/plans/cascade/goals/{plan.objective_a.pk}/?year=2024"
    result_url = f"/plans/cascade/results/{head_result.pk}/"
    few_goals, _ = _count(client, goal_url)
    few_results, _ = _count(client, result_url)
    bappeda, scope = s.world.users["bappeda"], scope_for(s.world.users["bappeda"])
    for i in range(6):
        goal = services.goal_create(
            actor=bappeda, scope=scope, instansi=s.world.instansi,
            data={"level": "agency_target", "code": f"DIK.T1.S{i + 2}", "name": f"Sasaran {i}",
                  "parent": plan.objective_a, "unit": s.world.agency_a},
        )  # fmt: skip
        plan.indicator(goal, f"DIK-1{i}", f"Indikator {i}")
    many_goals, response = _count(client, goal_url)
    assert response.content.decode().count('data-testid="agency-goal"') == 7
    assert many_goals == few_goals
    # A second result of the Kepala Bidang serves the head's: two results below.
    kabid = kabid_result.plan
    add_result(s, kabid, s.kabid_scope, s.kabid_user, text="Data ruang kelas", serves=head_result)
    many_results, response = _count(client, result_url)
    assert response.content.decode().count('data-testid="cascade-result"') == 2
    assert many_results == few_results
