"""Role fixtures shared by every app's tests: one province, two agencies, a user per role.

Agency A (Dinas Pendidikan) has a division and staff; agency B (Dinas Kesehatan) likewise.
The opd_admin of A must never reach B; instansi-wide roles reach both.
"""

import datetime as dt
import os
import shutil

import pytest

from kinerja.accounts.models import RoleAssignment, User
from kinerja.accounts.roles import Role
from kinerja.organisations.choices import EmployeeStatus, PositionKind, UnitKind
from kinerja.organisations.nip import make_nip
from kinerja.organisations.tests.factories import (
    EmployeeFactory,
    InstansiFactory,
    OrgUnitFactory,
    PositionFactory,
)

PASSWORD = "Rahasia-Uji-2024!"


def pytest_collection_modifyitems(config, items):
    """Skip browser tests where no Chromium is installed, but never in CI."""
    if shutil.which("chromium") or os.path.exists("/usr/bin/chromium"):
        return
    if os.environ.get("CI"):
        return  # the browser fixture fails loudly instead: CI must run them
    skip = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rolled-back tests reuse ids and chain sequences, so
    a figure kept by one test (kinerja.audit.freshness) could match the key of the next. And in
    the default language: a test that switched to English must not leave the next test's
    messages in English (tests run in a different order, or in parallel workers)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)


class World:
    """The objects of the fixture province, by name."""


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """One transaction around a whole test module, rolled back at its end.

    Rows a module fixture writes inside it are written once for the module; each test's own
    ``db`` transaction then runs as a savepoint inside it and rolls back to it, so every test
    still starts from the same rows. Only for modules of ``db`` tests (a transactional test would
    flush the tables under the open transaction).
    """
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def build_world() -> World:
    """Write the fixture province (see the module docstring) and return its objects."""
    w = World()
    w.instansi = InstansiFactory(code="jatim", name="Pemerintah Provinsi Jawa Timur")
    w.other_instansi = InstansiFactory(
        code="kota-malang", name="Pemerintah Kota Malang", kind="city"
    )
    w.agency_a = OrgUnitFactory(instansi=w.instansi, code="DIKBUD", name="Dinas Pendidikan")
    w.agency_b = OrgUnitFactory(instansi=w.instansi, code="DINKES", name="Dinas Kesehatan")
    w.division_a = OrgUnitFactory(
        instansi=w.instansi,
        parent=w.agency_a,
        code="DIKBUD-SMA",
        name="Bidang SMA",
        kind=UnitKind.DIVISION,
    )
    w.agency_x = OrgUnitFactory(instansi=w.other_instansi, code="DISDIK-MLG", name="Disdik Malang")
    w.head_pos_a = PositionFactory(
        unit=w.agency_a,
        code="DIKBUD-KADIS",
        title="Kepala Dinas Pendidikan",
        kind=PositionKind.JPT_PRATAMA,
        eselon="II.a",
        is_head=True,
    )
    w.staff_pos_a = PositionFactory(unit=w.division_a, code="DIKBUD-SMA-01", title="Analis SMA")
    w.head_a = EmployeeFactory(unit=w.agency_a, position=w.head_pos_a, name="Budi Santoso")
    w.staff_a = EmployeeFactory(unit=w.division_a, position=w.staff_pos_a, name="Siti Aminah")
    w.staff_b = EmployeeFactory(unit=w.agency_b, name="Rina Wulandari")
    w.honorer_b = EmployeeFactory(
        unit=w.agency_b,
        name="Agus Salim",
        status=EmployeeStatus.NON_ASN,
        nip=None,
        birth_date=dt.date(1990, 1, 1),
    )
    w.staff_x = EmployeeFactory(
        unit=w.agency_x,
        name="Dewi Lestari",
        nip=make_nip(dt.date(1980, 5, 5), dt.date(2005, 4, 1), "f", 7),
        sex="f",
        birth_date=dt.date(1980, 5, 5),
    )
    w.users = {}
    for role, unit in [
        (Role.SYSTEM_ADMIN, None),
        (Role.LEADERSHIP, None),
        (Role.BAPPEDA, None),
        (Role.BKD, None),
        (Role.BPSDM, None),
        (Role.INSPEKTORAT, None),
        (Role.OPD_HEAD, w.agency_a),
        (Role.OPD_ADMIN, w.agency_a),
        (Role.EVALUATOR, w.division_a),
    ]:
        user = User.objects.create_user(username=role.value, password=PASSWORD, instansi=w.instansi)
        RoleAssignment.objects.create(user=user, role=role, instansi=w.instansi, unit=unit)
        w.users[role.value] = user
    w.users["employee"] = User.objects.create_user(
        username="employee", password=PASSWORD, instansi=w.instansi, employee=w.staff_a
    )
    w.users["opd_head"].employee = w.head_a
    w.users["opd_head"].save()
    return w


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
