"""A signed-in session slides its 8-hour expiry, written at most once per refresh interval."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.accounts import middleware


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def _writes(client) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("core:home")).status_code == 200
    return [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]


@pytest.mark.django_db
def test_reads_do_not_write_the_session_until_the_interval_passes(world, login, monkeypatch):
    now = [1_800_000_000]
    monkeypatch.setattr(middleware, "_now", lambda: now[0])
    client = login(world.users["bkd"])  # the log-in stamps the session
    assert client.session[middleware.SESSION_REFRESHED] == now[0]
    assert not any("django_session" in sql for sql in _writes(client))
    stamped = _expiry(client)
    now[0] += 299
    assert not any("django_session" in sql for sql in _writes(client))
    assert _expiry(client) == stamped
    now[0] += 2  # 301 s after the stamp: the expiry moves
    assert any("django_session" in sql for sql in _writes(client))
    assert _expiry(client) > stamped
    assert client.session[middleware.SESSION_REFRESHED] == now[0]


@pytest.mark.django_db
def test_a_stamp_from_the_future_or_of_another_type_is_renewed(world, login, monkeypatch):
    client = login(world.users["bkd"])
    session = client.session
    session[middleware.SESSION_REFRESHED] = int(time.time()) + 3600
    session.save()
    assert any("django_session" in sql for sql in _writes(client))
    session = client.session
    session[middleware.SESSION_REFRESHED] = "yesterday"
    session.save()
    assert any("django_session" in sql for sql in _writes(client))


def test_anonymous_requests_make_no_session(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
