from kinerja.core.scope import Action, Grant, Scope


def test_subtree_grant_allows_inside_and_not_beside():
    scope = Scope(
        instansi_id=1,
        user_id=1,
        grants=(Grant(actions=frozenset({Action.VIEW_PEOPLE}), unit_path="000001."),),
    )
    assert scope.can(Action.VIEW_PEOPLE, "000001.")
    assert scope.can(Action.VIEW_PEOPLE, "000001.000007.")
    assert not scope.can(Action.VIEW_PEOPLE, "000002.")
    assert not scope.can(Action.CHANGE_PEOPLE, "000001.")


def test_instansi_wide_grant_means_no_path_filter():
    scope = Scope(instansi_id=1, grants=(Grant(actions=frozenset({Action.VIEW_ORG})),))
    assert scope.paths_for(Action.VIEW_ORG) is None
    assert scope.paths_for(Action.VIEW_PEOPLE) == []
    assert str(scope.unit_q(Action.VIEW_ORG, "path")) == "(AND: )"


def test_nested_paths_collapse_to_the_outermost():
    grants = tuple(
        Grant(actions=frozenset({Action.VIEW_ORG}), unit_path=p)
        for p in ["000001.000002.", "000001.", "000003."]
    )
    q = Scope(instansi_id=1, grants=grants).unit_q(Action.VIEW_ORG, "path")
    assert sorted(child[1] for child in q.children) == ["000001.", "000003."]


def test_no_grant_matches_nothing():
    q = Scope(instansi_id=1).unit_q(Action.VIEW_ORG, "path")
    assert q.children == [("pk__in", [])]
