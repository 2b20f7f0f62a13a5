"""Reads: similar indicator names, the goal tree within reach."""

from kinerja.performance import selectors, services


def test_similar_names_find_typos_and_parts(world, scopes, plan):
    found = selectors.similar_indicators(
        scope=scopes["bappeda"], name="Presentase puskesmas terakreditasi"
    )
    assert [f.code for f in found][:1] == ["KES-01"]
    assert found[0].score >= 90

    found = selectors.similar_indicators(scope=scopes["bappeda"], name="partisipasi kasar SMA")
    assert found[0].code == "DIK-01"
    assert selectors.similar_indicators(scope=scopes["bappeda"], name="  ") == []


def test_similar_names_stay_within_reach(world, scopes, plan):
    found = selectors.similar_indicators(
        scope=scopes["opd_admin"], name="Persentase puskesmas terakreditasi"
    )
    assert "KES-01" not in [f.code for f in found]  # agency B's


def test_similar_names_include_library_entries(world, scopes, plan):
    services.template_create(
        actor=world.users["bappeda"],
        scope=scopes["bappeda"],
        instansi=world.instansi,
        data={
            "name": "Indeks kepuasan masyarakat",
            "measure_unit": "indeks",
            "control_level": "outcome",
            "position_kind": "jpt_pratama",
        },
    )
    found = selectors.similar_indicators(scope=scopes["opd_admin"], name="indeks kepuasan")
    assert [(f.kind, f.name) for f in found[:1]] == [("template", "Indeks kepuasan masyarakat")]


def test_goal_tree_within_reach_in_fixed_queries(world, scopes, plan, django_assert_num_queries):
    with django_assert_num_queries(3):
        roots = selectors.goal_tree(scope=scopes["opd_admin"])
    assert [n.goal.code for n in roots] == ["M1"]
    target = roots[0].children[0].children[0]
    assert [i.code for i in target.indicators] == ["IKU-01"]
    # Agency A's Renstra under the RPJMD target; agency B's is out of reach.
    assert [n.goal.code for n in target.children] == ["DIK.T1"]

    roots = selectors.goal_tree(scope=scopes["bappeda"])
    target = roots[0].children[0].children[0]
    assert [n.goal.code for n in target.children] == ["DIK.T1", "KES.T1"]
