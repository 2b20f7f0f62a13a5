"""`JoinedRow` gives what ``select_related(...).get(pk=...)`` gives, in one statement."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinerja.accounts.models import User
from kinerja.core.prepared import JoinedRow
from kinerja.organisations.models import Employee, Instansi, Position

RELATED = ("instansi", "employee", "employee__position")


def _values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _same_as_the_orm(user_id: int) -> User:
    loaded = JoinedRow(User, RELATED)
    with CaptureQueriesContext(connection) as queries:
        mine = loaded.get(user_id)
        assert len(queries) == 1
        orm = User.objects.select_related(*RELATED).get(pk=user_id)
    assert type(mine) is User and _values(mine) == _values(orm)
    assert mine._state.adding is False and mine._state.db == "default"
    with CaptureQueriesContext(connection) as queries:  # the related rows came with it
        for name in ("instansi", "employee"):
            theirs, ours = getattr(orm, name), getattr(mine, name)
            assert (ours is None) == (theirs is None)
            if ours is not None:
                assert type(ours) is type(theirs) and _values(ours) == _values(theirs)
        if orm.employee is not None:
            theirs, ours = orm.employee.position, mine.employee.position
            assert (ours is None) == (theirs is None)
            if ours is not None:
                assert _values(ours) == _values(theirs)
            assert mine.employee.user is mine  # the one-to-one's other side, as the ORM sets it
    assert len(queries) == 0
    return mine


def test_a_user_with_instansi_employee_and_post(world):
    user = world.users["employee"]
    user.last_login = timezone.now()  # a datetime through the backend's converter
    user.save()
    mine = _same_as_the_orm(user.pk)
    assert isinstance(mine.employee, Employee) and isinstance(mine.employee.position, Position)
    assert isinstance(mine.instansi, Instansi) and mine.instansi.code == "jatim"
    assert mine.employee.birth_date == world.staff_a.birth_date
    assert isinstance(mine.employee.birth_date, dt.date)
    assert mine.is_active is True and mine.is_superuser is False  # booleans, not 1 and 0
    assert mine.last_login == User.objects.get(pk=user.pk).last_login


def test_an_employee_without_a_post_and_a_user_without_employee_or_instansi(world):
    staff = world.staff_a
    staff.position = None
    staff.save()
    mine = _same_as_the_orm(world.users["employee"].pk)
    assert mine.employee.position is None
    mine = _same_as_the_orm(world.users["bkd"].pk)
    assert mine.employee is None
    root = User.objects.create_user(username="root", password="x")
    mine = _same_as_the_orm(root.pk)
    assert mine.instansi is None and mine.employee is None


def test_an_unknown_key_is_none_and_a_reverse_relation_is_refused(db):
    assert JoinedRow(User, RELATED).get(987654) is None
    with pytest.raises(ValueError, match="role_assignments"):
        JoinedRow(User, ("role_assignments",)).get(1)


def test_by_a_unique_field_with_nested_joins(world):
    from kinerja.accounts.models import ApiToken

    user = world.users["employee"]
    token = ApiToken.objects.create(
        user=user, name="sistem", prefix="abcd1234", key_hash="f" * 64, expires_at=timezone.now()
    )
    related = ("user", "user__instansi", "user__employee", "user__employee__position")
    loaded = JoinedRow(ApiToken, related, by="key_hash")
    with CaptureQueriesContext(connection) as queries:
        mine = loaded.get("f" * 64)
        assert mine.user.employee.position.pk == world.staff_a.position_id
        assert mine.user.instansi.code == "jatim"
    assert len(queries) == 1
    assert _values(mine) == _values(token) and _values(mine.user) == _values(user)
    assert loaded.get("0" * 64) is None
    with pytest.raises(ValueError, match="name: a row is found by a unique field"):
        JoinedRow(ApiToken, by="name")
