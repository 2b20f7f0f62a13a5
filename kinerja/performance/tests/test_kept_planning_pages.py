"""The planning pages serve their read-only parts from kept HTML (``{% kept %}``): the second
view of a page reads fewer queries than the first and shows the same page, and a write through
the services shows on the next view (it moves the instansi's audit chain, the kept parts'
version). The forms (a CSRF token each) are rendered on every view, outside the kept parts."""

from __future__ import annotations

import logging
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.accounts.scope import scope_for
from kinerja.performance import services
from kinerja.performance.choices import GoalLevel
from kinerja.performance.services import realisations as rs

from .realisation_fixtures import rl_fixture  # noqa: F401 (the fixture)
from .test_skp import add_result, create, s  # noqa: F401 (the fixture)
from .test_workspace import _siti_plan, _submitted

TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]*')


def _page(response) -> str:
    """The page as shown, without its CSRF tokens (masked anew on each view)."""
    assert response.status_code == 200
    return TOKEN.sub(r"\1", response.content.decode())


def twice(client, url, fewer: int, caplog) -> str:
    """View ``url`` twice: the second view reads at least ``fewer`` queries less than the
    first and shows the same page. Returns the page."""
    caplog.set_level(logging.WARNING, logger="kinerja.audit.templatetags.kinerja_kept")
    with CaptureQueriesContext(connection) as first:
        one = _page(client.get(url))
    with CaptureQueriesContext(connection) as second:
        two = _page(client.get(url))
    assert len(second.captured_queries) <= len(first.captured_queries) - fewer, (
        len(first.captured_queries),
        len(second.captured_queries),
    )
    assert one == two
    assert "CSRF token" not in caplog.text  # no kept part holds a form
    return two


def test_goal_tree(plan, login, world, scopes, caplog):
    client = login(world.users["bappeda"])
    url = reverse("performance:goal_tree")
    page = twice(client, url, 4, caplog)  # the goals, their tags, the indicators, ...
    assert "DIK.T1.S1" in page and "DIK.T1.S9" not in page
    services.goal_create(
        actor=world.users["bappeda"],
        scope=scopes["bappeda"],
        instansi=world.instansi,
        data={
            "level": GoalLevel.AGENCY_TARGET,
            "code": "DIK.T1.S9",
            "name": "Meningkatnya APM SMA",
            "parent": plan.objective_a,
            "unit": world.agency_a,
        },
    )
    page = _page(client.get(url))
    assert "DIK.T1.S9" in page and "Meningkatnya APM SMA" in page


def test_agreement(pk, login, caplog):
    w = pk.world
    admin = w.users["opd_admin"]
    scope = scope_for(admin)
    agreement = services.agreement_create(
        actor=admin,
        scope=scope,
        instansi=w.instansi,
        data={"unit": w.agency_a, "year": 2023, "agreement_date": pk.day, **pk.governor},
    )
    client = login(admin)
    url = agreement.get_absolute_url()
    page = twice(client, url, 3, caplog)  # the targets, the programs, the revisions
    assert 'data-testid="step-submit"' in page  # the form outside the kept parts
    assert "Program Pengelolaan Pendidikan" not in page
    services.agreement_set_programs(
        actor=admin,
        scope=scope,
        agreement=agreement,
        version=agreement.version,
        programs=[{"name": "Program Pengelolaan Pendidikan", "budget": "1000"}],
    )
    page = _page(client.get(url))
    assert page.count('data-testid="agreement-program"') == 1
    assert "Program Pengelolaan Pendidikan" in page


def test_realisations_to_verify(rl, login, caplog):
    holder = {"actor": rl.holder_user, "scope": rl.scopes["opd_head"]}

    def submit(sub):
        made = rs.realisation_create(**holder, target=rl.t_a, sub_period=sub, data={"value": "5"})
        return rs.realisation_submit(**holder, realisation=made, version=made.version)

    first = submit(rl.q1)
    client = login(rl.verifier_user)
    url = reverse("performance:realisation_verify_queue")
    page = twice(client, url, 4, caplog)  # the count, the rows, their evidence, ...
    assert page.count('data-testid="realisation"') == 1
    assert reverse("performance:realisation_detail", args=[first.pk]) in page
    second = submit(rl.q2)
    page = _page(client.get(url))
    assert page.count('data-testid="realisation"') == 2
    assert reverse("performance:realisation_detail", args=[second.pk]) in page


def test_plan_list(s, login, caplog):  # noqa: F811
    _siti_plan(s)
    client = login(s.world.users["opd_admin"])
    url = reverse("performance:plan_list")
    page = twice(client, url, 4, caplog)  # the keys, the plans, the years, the units
    assert page.count('data-testid="plan"') == 1
    added = create(s, s.kabid, s.kabid_scope, s.kabid_user)
    page = _page(client.get(url))
    assert page.count('data-testid="plan"') == 2
    assert added.get_absolute_url() in page


def test_plan(s, login, caplog):  # noqa: F811
    plan, _target = _siti_plan(s)
    client = login(s.siti_user)
    url = plan.get_absolute_url()
    page = twice(client, url, 6, caplog)  # results, indicators, targets, actions, ...
    assert 'data-testid="step-submit"' in page  # the form outside the kept parts
    assert "Terlaksananya supervisi" not in page
    add_result(s, plan, s.siti_scope, s.siti_user, text="Terlaksananya supervisi")
    page = _page(client.get(url))
    assert page.count('data-testid="plan-result"') == 2
    assert "Terlaksananya supervisi" in page


def test_my_plan(s, login, caplog):  # noqa: F811
    plan, target = _siti_plan(s)
    client = login(s.siti_user)
    url = "/plans/mine/?year=2024"
    page = twice(client, url, 6, caplog)  # the years and the plans with their results
    q1 = s.period.sub_periods.get(number=1)
    assert page.count('data-testid="realisation-row"') == 4  # the entry of each quarter
    assert f'id="realisation-row-{target.pk}-{q1.pk}"' in page
    made = _submitted(s, target, 1)
    page = _page(client.get(url))
    assert page.count('data-testid="realisation-row"') == 3  # Q1 is sent
    assert f'id="realisation-row-{target.pk}-{q1.pk}"' not in page
    assert reverse("performance:realisation_detail", args=[made.pk]) in page
    q2 = s.period.sub_periods.get(number=2)
    assert f'name="sp{q2.pk}-value" maxlength="40"' in page  # nothing entered yet
    rs.realisation_create(
        actor=s.siti_user, scope=s.siti_scope, target=target, sub_period=q2, data={"value": "7"}
    )
    page = _page(client.get(url))
    assert page.count('data-testid="realisation-row"') == 3  # a draft is entered inline
    assert f'name="sp{q2.pk}-value" value="7"' in page


def test_my_team(s, login, caplog):  # noqa: F811
    client = login(s.kabid_user)
    url = "/plans/team/?year=2024"
    page = twice(client, url, 10, caplog)  # the years, the reports, their plans, ...
    assert page.count('data-testid="report"') == 1 and "Siti Aminah" in page
    plan, _target = _siti_plan(s)
    page = _page(client.get(url))
    assert reverse("performance:plan_detail", args=[plan.pk]) in page


def test_my_agency(s, login, caplog):  # noqa: F811
    client = login(s.head_user)
    url = "/plans/agency/?year=2024"
    page = twice(client, url, 8, caplog)  # the years, the agreement, the counts, ...
    assert _with_plan(page) == 0  # nobody has a plan yet
    _siti_plan(s)
    assert _with_plan(_page(client.get(url))) == 1


def _with_plan(page: str) -> int:
    """My agency's total row: how many staff have a plan."""
    row = re.search(r'data-testid="total-row">(.*?)</tr>', page).group(1)
    return int(re.findall(r"<td>(\d+)</td>", row)[1])


def test_cascade(plan, login, world, scopes, caplog):
    client = login(world.users["bappeda"])
    url = reverse("performance:workspace_cascade")
    page = twice(client, url, 4, caplog)  # the years, the regional goals, ...
    assert page.count('data-testid="regional-goal"') == 3
    services.goal_create(
        actor=world.users["bappeda"],
        scope=scopes["bappeda"],
        instansi=world.instansi,
        data={"level": GoalLevel.MISSION, "code": "M2", "name": "Mewujudkan tata kelola"},
    )
    page = _page(client.get(url))
    assert page.count('data-testid="regional-goal"') == 4
    assert "Mewujudkan tata kelola" in page


def test_callers_of_another_reach_do_not_share_the_kept_tree(plan, login, world):
    url = reverse("performance:goal_tree")
    assert "KES.T1" in _page(login(world.users["bappeda"]).get(url))
    assert "KES.T1" not in _page(login(world.users["opd_admin"]).get(url))  # agency B's
