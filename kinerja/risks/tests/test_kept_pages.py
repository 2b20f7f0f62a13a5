"""The risk register and a risk's page are kept ({% kept %}) until the next audited write: the
second view runs fewer queries and shows the same, a new risk or mitigation shows on the next
view, and a reader of another reach never gets the kept page of a wider one."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.risks import services

pytestmark = pytest.mark.django_db
# The session's CSRF token, masked anew on each render (htmx's header, any form of the layout).
TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[A-Za-z0-9]+')


def _view(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return TOKEN.sub(r"\1", response.content.decode()), len(queries.captured_queries)


def test_the_register_is_kept_until_a_new_risk(world, plan, call, risk_data, login):
    services.risk_create(**call("opd_admin"), instansi=world.instansi, data=risk_data())
    client = login(world.users["bappeda"])
    url = reverse("risks:risk_list")
    first, first_queries = _view(client, url)
    second, second_queries = _view(client, url)
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
    after, _ = _view(client, url)
    assert after.count('data-testid="risk-row"') == 2 and "Akreditasi puskesmas tertunda" in after
    # An agency's administrator reads its own agency only, kept or not.
    admin = login(world.users["opd_admin"])
    admin.get(url)
    own, _ = _view(admin, url)
    assert own.count('data-testid="risk-row"') == 1
    assert "Akreditasi puskesmas tertunda" not in own


def test_a_risk_is_kept_until_a_new_mitigation(world, plan, call, risk_data, login):
    risk = services.risk_create(**call("opd_admin"), instansi=world.instansi, data=risk_data())
    client = login(world.users["opd_admin"])
    url = risk.get_absolute_url()
    first, first_queries = _view(client, url)
    second, second_queries = _view(client, url)
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
    after, _ = _view(client, url)
    assert after.count('data-testid="mitigation"') == 1 and "Bantuan biaya pendidikan" in after
    assert "Belum ada mitigasi" not in after
