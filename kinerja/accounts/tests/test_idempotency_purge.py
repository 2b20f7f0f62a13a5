"""``manage.py idempotency_purge``: expired kept answers go, fresh ones stay, and it is audited."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from kinerja.audit.models import AuditEvent
from kinerja.core.models import IdempotencyKey

pytestmark = pytest.mark.django_db


def _key(user, key: str, age: dt.timedelta) -> IdempotencyKey:
    made = IdempotencyKey.objects.create(
        user=user, key=key, method="POST", path="/api/v1/x/", request_hash="h", response_status=200
    )
    IdempotencyKey.objects.filter(pk=made.pk).update(created=timezone.now() - age)
    return made


def test_the_purge_deletes_only_expired_answers_and_audits_it(django_user_model):
    user = django_user_model.objects.create_user(username="api", password="x-Uji-2024!")
    old = _key(user, "old", dt.timedelta(hours=25))
    fresh = _key(user, "fresh", dt.timedelta(hours=23))
    out = io.StringIO()
    call_command("idempotency_purge", stdout=out)
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]
    assert not IdempotencyKey.objects.filter(pk=old.pk).exists() and fresh.pk
    event = AuditEvent.objects.get(action="idempotency.purge")
    assert event.changes["removed"] == 1 and event.actor_id is None
    assert "1 kunci idempotensi kedaluwarsa dihapus (lebih dari 24 jam)" in out.getvalue()
    call_command("idempotency_purge", stdout=io.StringIO())  # nothing left to delete
    assert AuditEvent.objects.filter(action="idempotency.purge").count() == 1
