"""Fixtures of the AKIP tests: the planning fixtures of the performance tests (``plan``, ``pk``:
agency A's indicator DIK-01 with a 2023 target of 85, agency B's KES-01, the province's IKU) and
a signed 2023 PK of agency A dated 5 January 2023, with the year open in quarters."""

from __future__ import annotations

import pytest

from kinerja.accounts.scope import scope_for
from kinerja.performance import services as perf
from kinerja.performance.tests.conftest import pk, plan, scopes  # noqa: F401 - fixtures


def signed_pk(k, unit=None, year=2023, day=None):
    """Agency A's PK for ``year`` (targets: DIK-01), signed by Bappeda."""
    w = k.world

    def call(fn, agreement, user="opd_admin", **kw):
        u = w.users[user]
        return fn(actor=u, scope=scope_for(u), agreement=agreement, version=agreement.version, **kw)

    admin = w.users["opd_admin"]
    agreement = perf.agreement_create(
        actor=admin,
        scope=scope_for(admin),
        instansi=w.instansi,
        data={
            "unit": unit or w.agency_a,
            "year": year,
            "agreement_date": day or k.day,
            **k.governor,
        },
    )
    targets = [k.t_a] if year == 2023 else [k.t_a_2024]
    agreement = call(perf.agreement_set_targets, agreement, targets=targets)
    agreement = call(perf.agreement_submit, agreement)
    agreement = call(perf.agreement_approve, agreement, user="bappeda")
    return call(perf.agreement_sign, agreement, user="bappeda")


@pytest.fixture
def akip(pk, scopes):  # noqa: F811 - the imported fixtures
    """The 2023 period (quarters) and agency A's signed PK 2023."""
    k, scopes_ = pk, scopes
    w = k.world
    k.period = perf.period_create(
        actor=w.users["bappeda"], scope=scopes_["bappeda"], instansi=w.instansi, year=2023
    )
    k.quarters = list(k.period.sub_periods.order_by("number"))
    k.agreement = signed_pk(k)
    k.scopes = scopes_
    return k
