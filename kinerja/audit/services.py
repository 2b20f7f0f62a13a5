"""Write audit events. Services call `record` or `record_many`; nothing else writes the trail.

Each instansi has its own chain (events without an instansi go to the system chain). An append
locks only its chain's head row, so the audited writes of different instansi never wait on each
other, and `record_many` appends a whole run of events under that one lock, in bulk.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from itertools import islice
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from kinerja.core.bulk import RawJSON, insert_rows
from kinerja.core.middleware import current_request_id

from .freshness import moves_access
from .models import AuditChain, AuditEvent
from .sealing import (
    SEALED_FIELDS,
    RunSealer,
    audit_key,
    changes_text,
    event_seal,
    head_seal,
    json_default,
)

SYSTEM_ACTOR = "system"
# The columns of a `record_many` run that differ per event; the rest every event of a run shares.
RUN_FIELDS = ("occurred_at", "actor_id", "actor_repr", "action", "reason", "request_id")
BULK_FIELDS = (*(f for f in SEALED_FIELDS if f not in RUN_FIELDS), "hash")


def to_jsonable(data: Any) -> Any:
    """Return ``data`` as plain JSON values (dates as ISO strings, models as their keys)."""
    return json.loads(json.dumps(data, default=json_default))


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Return ``{"field": [old, new]}`` for the fields whose value changed."""
    out = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            out[key] = [old, new]
    return to_jsonable(out)


def _locked_chain(instansi_id: int | None) -> AuditChain:
    """Return the head row of the instansi's chain (created on first use), locked until commit."""
    chain, _ = AuditChain.objects.select_for_update().get_or_create(instansi_id=instansi_id)
    return chain


HEAD_FIELDS = ["last_sequence", "last_hash", "seal", "access_sequence"]


def _advance(chain: AuditChain, last: AuditEvent, key: bytes) -> None:
    chain.last_sequence, chain.last_hash = last.sequence, last.hash
    if moves_access(last.target_type):
        chain.access_sequence = last.sequence
    chain.seal = head_seal(chain, key)
    chain.save(update_fields=HEAD_FIELDS)


def _actor(actor: Any) -> tuple[Any, str]:
    user = actor if getattr(actor, "pk", None) else None
    return user, str(actor)[:200] if actor is not None else SYSTEM_ACTOR


# No savepoint of its own inside a caller's transaction (two round trips an audited write):
# if appending fails, the caller's write fails with it, as it must.
@transaction.atomic(savepoint=False)
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
    """Append one event to its instansi's chain.

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
    key = audit_key()
    user, actor_repr = _actor(actor)
    chain = _locked_chain(instansi_id)
    event = AuditEvent(
        chain=chain,
        sequence=chain.last_sequence + 1,
        occurred_at=timezone.now(),  # taken under the lock: time never runs back in a chain
        actor=user,
        actor_repr=actor_repr,
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
    event.hash = event_seal(event, key)
    event.save(force_insert=True)
    _advance(chain, event, key)
    return event


RECORD_MANY_CHUNK = 2000  # events prepared and inserted at a time: memory stays flat


@transaction.atomic
def record_many(
    *,
    actor: Any,
    action: str,
    entries: Iterable[dict[str, Any]],
    reason: str = "",
    instansi_id: int | None = None,
) -> int:
    """Append one event per entry, in bulk under one lock per chain; return how many.

    Each entry is a dict with ``target_type``, ``target_id``, ``target_repr``, ``changes`` and
    optionally ``unit_id``, ``unit_path`` and ``instansi_id`` (default: the argument).
    ``changes`` may come as `RawJSON` already in canonical form (`changes_text`). Used by
    imports, which change thousands of rows and must leave each row's change in its history.
    ``entries`` is read once, a chunk at a time, so an import of 80,000 rows never holds 80,000
    events. Each chain is locked when its first entry comes (chains first met in one chunk in a
    fixed order: system chain first, then by instansi) and stays locked to the end.
    """
    key = audit_key()
    user, actor_repr = _actor(actor)
    user_id = getattr(user, "pk", None)
    request_id = current_request_id()
    now = timezone.now()
    sealer = RunSealer(
        key=key,
        occurred_at=now,
        actor_id=user_id,
        actor_repr=actor_repr,
        action=action,
        reason=reason,
        request_id=request_id,
    )
    shared = {
        "occurred_at": now,
        "actor_id": user_id,
        "actor_repr": actor_repr,
        "action": action,
        "reason": reason,
        "request_id": request_id,
    }
    chains: dict[int | None, AuditChain] = {}
    total = 0
    entries = iter(entries)
    while chunk := list(islice(entries, RECORD_MANY_CHUNK)):
        owners = {entry.get("instansi_id", instansi_id) for entry in chunk} - chains.keys()
        for owner in sorted(owners, key=lambda i: (i is not None, i or 0)):
            chains[owner] = _locked_chain(owner)
        rows: list[tuple[Any, ...]] = []
        for entry in chunk:
            owner = entry.get("instansi_id", instansi_id)
            chain = chains[owner]
            chain.last_sequence += 1
            if moves_access(entry["target_type"]):
                chain.access_sequence = chain.last_sequence
            target_id = str(entry.get("target_id", ""))
            target_repr = str(entry.get("target_repr", ""))[:300]
            unit_id = entry.get("unit_id")
            unit_path = entry.get("unit_path") or ""
            # Serialised once: the seal covers this text and the row stores it as it is.
            changes = entry.get("changes") or {}
            if changes.__class__ is not RawJSON:
                changes = RawJSON(changes_text(changes))
            prev = chain.last_hash
            chain.last_hash = sealer.seal(
                chain_id=chain.pk,
                instansi_id=owner,
                sequence=chain.last_sequence,
                target_type=entry["target_type"],
                target_id=target_id,
                target_repr=target_repr,
                unit_id=unit_id,
                unit_path=unit_path,
                changes=changes,
                prev_hash=prev,
            )
            # In the order of BULK_FIELDS.
            rows.append(
                (
                    chain.last_sequence,
                    chain.pk,
                    entry["target_type"],
                    target_id,
                    target_repr,
                    owner,
                    unit_id,
                    unit_path,
                    changes,
                    prev,
                    chain.last_hash,
                )
            )
        # The engine's writer (COPY on PostgreSQL): bulk_create's per-value compiling cost more
        # than the database's work, and the chain stays locked while the rows go in.
        insert_rows(AuditEvent, BULK_FIELDS, rows, same=shared)
        total += len(rows)
    for chain in chains.values():
        chain.seal = head_seal(chain, key)
        chain.save(update_fields=HEAD_FIELDS)
    return total
