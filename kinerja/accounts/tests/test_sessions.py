"""The session store reads a session with one prepared statement and behaves as Django's: a live
session loads, an expired, unknown or tampered one starts empty, and signing in and out work
through it."""

import datetime as dt

from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from kinerja.accounts.sessions import SessionStore


def _saved(**data) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    return store.session_key


def test_a_live_session_loads_in_one_query(db):
    key = _saved(answer=42, name="Sari")
    store = SessionStore(key)
    with CaptureQueriesContext(connection) as queries:
        assert store["answer"] == 42 and store["name"] == "Sari"
    assert len(queries) == 1
    assert store.session_key == key


def test_an_expired_unknown_or_tampered_session_is_empty(db):
    expired = _saved(answer=1)
    Session.objects.filter(pk=expired).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    tampered = _saved(answer=2)
    row = Session.objects.get(pk=tampered)
    Session.objects.filter(pk=tampered).update(session_data=row.session_data[:-3] + "abc")
    for key in (expired, "x" * 32, tampered):
        store = SessionStore(key)
        assert store.get("answer") is None
    store = SessionStore(expired)
    store.load()
    assert store.session_key is None  # as Django's store: a new session will be made


def test_signing_in_and_out_goes_through_it(client, world, settings):
    assert settings.SESSION_ENGINE == "kinerja.accounts.sessions"
    user = world.users["bkd"]
    response = client.post(reverse("accounts:login"), {"username": "bkd", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).context["user"] == user
    client.post(reverse("accounts:logout"))
    assert not client.get(reverse("core:home")).wsgi_request.user.is_authenticated
