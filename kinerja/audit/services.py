"""Write audit events. Services call `record`; nothing else writes to the trail."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from kinerja.core.middleware import current_request_id

from .models import AuditChain, AuditEvent

HASHED_FIELDS = (
    "sequence",
    "occurred_at",
    "actor_id",
    "action",
    "target_type",
    "target_id",
    "instansi_id",
    "unit_id",
    "changes",
    "reason",
    "prev_hash",
)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, set | frozenset | tuple):
        return sorted(value)
    return str(value)


def to_jsonable(data: Any) -> Any:
    """Return ``data`` as plain JSON values (dates as ISO strings, models as their keys)."""
    return json.loads(json.dumps(data, default=_json_default))


def event_hash(event: AuditEvent) -> str:
    """Return the SHA-256 of the event's hashed fields, in a canonical JSON form."""
    payload = {}
    for name in HASHED_FIELDS:
        value = getattr(event, name)
        if name == "occurred_at":
            value = value.astimezone(dt.UTC).isoformat(timespec="microseconds")
        payload[name] = value
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=_json_default)
    return hashlib.sha256(text.encode()).hexdigest()


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Return ``{"field": [old, new]}`` for the fields whose value changed."""
    out = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            out[key] = [old, new]
    return to_jsonable(out)


@transaction.atomic
def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    target_type: str = "",
    target_repr: str = "",
    instansi_id: int | None = None,
    unit: Any = None,
) -> AuditEvent:
    """Append one event to the chain.

    The instansi and unit come from the target when it has them (``instansi_id``, ``unit`` or
    itself being a unit with a ``path``), so that scoped readers see the events of their units.
    """
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_repr = target_repr or str(target)[:300]
        if instansi_id is None:
            instansi_id = getattr(target, "instansi_id", None)
        if unit is None:
            unit = target if hasattr(target, "path") else getattr(target, "unit", None)
    chain, _ = AuditChain.objects.select_for_update().get_or_create(pk=1)
    user = actor if getattr(actor, "pk", None) else None
    event = AuditEvent(
        sequence=chain.last_sequence + 1,
        occurred_at=timezone.now(),
        actor=user,
        actor_repr=str(actor)[:200] if actor is not None else "system",
        action=action,
        target_type=target_type,
        target_id=str(target.pk) if target is not None else "",
        target_repr=target_repr,
        instansi_id=instansi_id,
        unit_id=getattr(unit, "pk", None),
        unit_path=getattr(unit, "path", "") or "",
        changes=to_jsonable(changes or {}),
        reason=reason,
        request_id=current_request_id(),
        prev_hash=chain.last_hash,
    )
    event.hash = event_hash(event)
    event.save(force_insert=True)
    chain.last_sequence = event.sequence
    chain.last_hash = event.hash
    chain.save(update_fields=["last_sequence", "last_hash"])
    return event


@transaction.atomic
def record_many(
    *,
    actor: Any,
    action: str,
    entries: Iterable[dict[str, Any]],
    reason: str = "",
    instansi_id: int | None = None,
) -> int:
    """Append one event per entry under one lock and in bulk; return how many were appended.

    Each entry is a dict with ``target_type``, ``target_id``, ``target_repr``, ``changes`` and
    optionally ``unit_id``, ``unit_path`` and ``instansi_id`` (default: the argument). Used by
    imports, which change thousands of rows and must leave each row's change in its history.
    """
    chain, _ = AuditChain.objects.select_for_update().get_or_create(pk=1)
    user = actor if getattr(actor, "pk", None) else None
    actor_repr = str(actor)[:200] if actor is not None else "system"
    now = timezone.now()
    request_id = current_request_id()
    sequence, prev = chain.last_sequence, chain.last_hash
    events = []
    for entry in entries:
        sequence += 1
        event = AuditEvent(
            sequence=sequence,
            occurred_at=now,
            actor=user,
            actor_repr=actor_repr,
            action=action,
            target_type=entry["target_type"],
            target_id=str(entry.get("target_id", "")),
            target_repr=str(entry.get("target_repr", ""))[:300],
            instansi_id=entry.get("instansi_id", instansi_id),
            unit_id=entry.get("unit_id"),
            unit_path=entry.get("unit_path") or "",
            changes=to_jsonable(entry.get("changes") or {}),
            reason=reason,
            request_id=request_id,
            prev_hash=prev,
        )
        event.hash = prev = event_hash(event)
        events.append(event)
    if not events:
        return 0
    AuditEvent.objects.bulk_create(events, batch_size=2000)
    chain.last_sequence, chain.last_hash = sequence, prev
    chain.save(update_fields=["last_sequence", "last_hash"])
    return len(events)


def verify_chain(batch_size: int = 5000) -> tuple[int, AuditEvent | None, str]:
    """Walk the chain in order; return (events checked, first bad event or None, what is wrong)."""
    expected_prev = "0" * 64
    expected_seq = 1
    checked = 0
    qs = AuditEvent.objects.order_by("sequence")
    for event in qs.iterator(chunk_size=batch_size):
        if event.sequence != expected_seq:
            return checked, event, f"missing event(s) before #{event.sequence}"
        if event.prev_hash != expected_prev:
            return checked, event, "previous hash does not match"
        if event_hash(event) != event.hash:
            return checked, event, "content does not match its hash"
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    head = AuditChain.objects.filter(pk=1).first()
    if head and head.last_sequence != checked:
        return checked, None, f"chain head says {head.last_sequence} events, found {checked}"
    return checked, None, ""
