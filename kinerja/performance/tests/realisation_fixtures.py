"""The fixture of the realisation tests (``rl``) and sample file contents."""

from __future__ import annotations

import pytest

from kinerja.accounts.models import User
from kinerja.organisations.tests.factories import EmployeeFactory, PositionFactory
from kinerja.organisations.tests.lines import hold, line
from kinerja.performance.services import period_create

from .conftest import START

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(name="rl")
def rl_fixture(pk, scopes):
    """Agency A's head (Budi, the holder of its targets) reports to the regional secretary
    (Adhy, the verifier, with an account); the year 2023 is open in quarters."""
    w = pk.world
    sekda_post = PositionFactory(unit=w.agency_b, code="SEKDA", title="Sekretaris Daerah")
    pk.adhy = hold(EmployeeFactory(unit=w.agency_b, name="Adhy Karyono"), sekda_post, START)
    line(w.head_pos_a, sekda_post, START)
    pk.verifier_user = User.objects.create_user(
        username="adhy", password="x", instansi=w.instansi, employee=pk.adhy
    )
    pk.holder_user = w.users["opd_head"]
    pk.period = period_create(
        actor=w.users["bappeda"], scope=scopes["bappeda"], instansi=w.instansi, year=2023
    )
    pk.q1 = pk.period.sub_periods.get(number=1)
    pk.q2 = pk.period.sub_periods.get(number=2)
    pk.scopes = scopes
    return pk
