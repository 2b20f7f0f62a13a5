from kinerja.core.scope import Action, Grant, Scope, _outermost


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


def _codes(scope, action=Action.VIEW_ORG):
    from kinerja.organisations.models import OrgUnit

    return sorted(
        OrgUnit.objects.filter(scope.unit_q(action, "path")).values_list("code", flat=True)
    )


def test_instansi_wide_grant_keeps_every_unit(world):
    scope = Scope(instansi_id=1, grants=(Grant(actions=frozenset({Action.VIEW_ORG})),))
    assert scope.paths_for(Action.VIEW_ORG) is None
    assert _codes(scope) == ["DIKBUD", "DIKBUD-SMA", "DINKES", "DISDIK-MLG"]
    assert scope.paths_for(Action.VIEW_PEOPLE) == []
    assert _codes(scope, Action.VIEW_PEOPLE) == []


def test_subtree_grants_keep_their_subtrees(world):
    def scope(*units):
        grants = tuple(Grant(actions=frozenset({Action.VIEW_ORG}), unit_path=u.path) for u in units)
        return Scope(instansi_id=1, grants=grants)

    assert _codes(scope(world.division_a)) == ["DIKBUD-SMA"]
    assert _codes(scope(world.agency_a)) == ["DIKBUD", "DIKBUD-SMA"]
    # A grant inside another one adds nothing; grants side by side add up.
    assert _codes(scope(world.division_a, world.agency_a)) == ["DIKBUD", "DIKBUD-SMA"]
    assert _codes(scope(world.division_a, world.agency_b)) == ["DIKBUD-SMA", "DINKES"]


def test_nested_paths_collapse_to_the_outermost():
    paths = ["000001.000002.", "000001.", "000003.", "000003."]
    assert sorted(_outermost(paths)) == ["000001.", "000003."]


def test_no_grant_matches_nothing(world):
    assert _codes(Scope(instansi_id=1)) == []
