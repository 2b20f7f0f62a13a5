"""The risk register and a risk's page are kept ({% kept %}) until the next audited write: the
second view runs fewer queries and shows the same, a new risk or mitigation shows on the next
view, and a reader of another reach never gets the kept page of a wider one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kinerja.audit.testing import counted_view
from kinerja.risks import services

pytestmark = pytest.mark.django_db


def test_the_register_is_kept_until_a_new_risk(world, plan, call, risk_data, login):
    services.risk_create(**call("opd_admin"), instansi=world.instansi, data=risk_data())
    client = login(world.users["bappeda"])
    url = reverse("risks:risk_list")
    first, first_queries = counted_view(client, url)
    second, second_queries = counted_view(client, url)
    assert second == first
    assert first.count('data-testid="risk-row"') == 1
    # The count, the rows and the agencies of the filter are not read again.
    assert second_queries <= first_queries - 3
    services.risk_create(
        **call("bappeda"),
        instansi=world.instansi,
        data=risk_data(
            target=plan.target_b,
            title="Akreditasi puskesmas tertunda",
            owner_position=world.head_pos_a,
        ),
    )
    after, _ = counted_view(client, url)
    assert after.count('data-testid="risk-row"') == 2 and "Akreditasi puskesmas tertunda" in after
    # An agency's administrator reads its own agency only, kept or not.
    admin = login(world.users["opd_admin"])
    admin.get(url)
    own, _ = counted_view(admin, url)
    assert own.count('data-testid="risk-row"') == 1
    assert "Akreditasi puskesmas tertunda" not in own


def test_a_risk_is_kept_until_a_new_mitigation(world, plan, call, risk_data, login):
    risk = services.risk_create(**call("opd_admin"), instansi=world.instansi, data=risk_data())
    client = login(world.users["opd_admin"])
    url = risk.get_absolute_url()
    first, first_queries = counted_view(client, url)
    second, second_queries = counted_view(client, url)
    assert second == first
    assert "Belum ada mitigasi" in first and 'data-testid="mitigation-add"' in first
    # The mitigations and the histories are not read again.
    assert second_queries <= first_queries - 2
    services.mitigation_add(
        **call("opd_admin"),
        risk=risk,
        data={
            "action": "Bantuan biaya pendidikan",
            "responsible_name": "Bidang SMA",
            "due_on": dt.date(2026, 6, 30),
        },
    )
    after, _ = counted_view(client, url)
    assert after.count('data-testid="mitigation"') == 1 and "Bantuan biaya pendidikan" in after
    assert "Belum ada mitigasi" not in after
