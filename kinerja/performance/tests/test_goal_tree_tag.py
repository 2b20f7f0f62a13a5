"""The goal tree's items, written in Python, equal what the template wrote for them."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from kinerja.performance import selectors, services
from kinerja.performance.choices import GoalLevel
from kinerja.performance.templatetags.goal_tree import goal_nodes

REFERENCE = (
    "{% for node in roots %}{% include 'performance/partials/_goal_node.html' %}{% endfor %}"
)


def _squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html).strip())


@pytest.mark.parametrize("language", ["id", "en"])
def test_items_equal_the_template_items(plan, world, scopes, language):
    plan.objective_a.name = 'Akses <b>"SMA"</b> & SMK'
    plan.objective_a.save(update_fields=["name"])
    plan.indicator(plan.objective_b, "KES-02", "Rasio <dokter>", polarity="lower_is_better")
    tagged = services.goal_create(
        actor=world.users["bappeda"],
        scope=scopes["bappeda"],
        instansi=world.instansi,
        data={
            "level": GoalLevel.AGENCY_TARGET,
            "code": "DIK.T1.S2",
            "name": "Sasaran & tema",
            "parent": plan.objective_a,
            "unit": world.agency_a,
        },
        rb_themes=["kemiskinan"],
    )
    roots = selectors.goal_tree(scope=scopes["bappeda"])
    goals = [plan.mission, plan.objective, plan.target, plan.objective_a, plan.target_a]
    editable = {plan.target.pk, plan.objective_a.pk, plan.target_a.pk, tagged.pk}
    extendable = {g.pk for g in goals[:4]}
    context = {"roots": roots, "editable": editable, "extendable": extendable, "this_year": 2026}
    with translation.override(language):
        expected = Template(REFERENCE).render(Context(context))
        got = goal_nodes(roots, editable, extendable, 2026)
    assert _squeeze(got) == _squeeze(expected)
    assert got.count('data-testid="goal"') == 7 and got.count('data-testid="indicator"') == 4
    assert got.count('data-testid="goal-edit"') == 4 and "bg-azure-lt" in got
    assert "Akses &lt;b&gt;&quot;SMA&quot;&lt;/b&gt; &amp; SMK" in got
    assert reverse("performance:target_edit", args=[plan.ind_a.pk, 2026]) in got
