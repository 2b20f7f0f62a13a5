"""The keyed hashes of the audit trail: events, chain heads and exported checkpoints.

Every seal is an HMAC-SHA256 keyed by ``settings.KINERJA_AUDIT_KEY``, which lives in the
environment, not in the database: write access to the database alone cannot rebuild a chain.
Each kind of seal has its own prefix, so that no seal of one kind passes for another.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import hmac
import json
import uuid
from json.encoder import encode_basestring_ascii
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

# Every field that the pages show or that scoping uses; a change to any of them breaks the seal.
SEALED_FIELDS = (
    "sequence",
    "chain_id",
    "occurred_at",
    "actor_id",
    "actor_repr",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "instansi_id",
    "unit_id",
    "unit_path",
    "changes",
    "reason",
    "request_id",
    "prev_hash",
)


EVENT_KIND = "kinerja.audit.event.v2"


def json_default(value: Any) -> Any:
    """Encode what JSON lacks: dates as ISO strings, models as their keys, sets as sorted lists."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, set | frozenset | tuple):
        return sorted(value)
    return str(value)


def canonical(payload: Any) -> bytes:
    """Return ``payload`` as canonical JSON bytes (sorted keys, no spaces, ASCII only)."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=json_default).encode()


def audit_key() -> bytes:
    """Return the HMAC key from settings; refuse to seal anything without one."""
    key = getattr(settings, "KINERJA_AUDIT_KEY", "")
    if not key:
        raise ImproperlyConfigured("KINERJA_AUDIT_KEY is not set.")
    return key.encode() if isinstance(key, str) else bytes(key)


def mac(kind: str, payload: Any, key: bytes | None = None) -> str:
    """Return the hex HMAC-SHA256 of ``kind`` and the canonical JSON of ``payload``."""
    message = kind.encode() + b"\n" + canonical(payload)
    return hmac.new(key or audit_key(), message, hashlib.sha256).hexdigest()


def event_payload(event: Any) -> dict[str, Any]:
    """Return the sealed fields of an event (also of a migration's historical model)."""
    return values_payload({name: getattr(event, name) for name in SEALED_FIELDS})


def values_payload(values: dict[str, Any]) -> dict[str, Any]:
    """Return the sealed fields of an event given as a dict of its field values (by attname)."""
    payload = {name: values[name] for name in SEALED_FIELDS}
    payload["occurred_at"] = (
        payload["occurred_at"].astimezone(dt.UTC).isoformat(timespec="microseconds")
    )
    return payload


def event_seal(event: Any, key: bytes | None = None) -> str:
    """Return the event's keyed hash (stored in ``AuditEvent.hash``)."""
    return mac(EVENT_KIND, event_payload(event), key)


def values_seal(values: dict[str, Any], key: bytes | None = None) -> str:
    """Return the keyed hash of an event given as a dict of its field values (by attname)."""
    return mac(EVENT_KIND, values_payload(values), key)


def changes_text(changes: Any) -> str:
    """Return a change set as the canonical JSON text that the seal covers and the row stores."""
    return json.dumps(changes, sort_keys=True, separators=(",", ":"), default=json_default)


class CreationText:
    """Write the change set of a new object as `changes_text` would, built faster.

    ``CreationText(fields)(values)``: each field whose value is set (not None, not "") becomes
    ``[null, value]``. ``fields`` must be sorted, as the canonical form sorts keys, and the
    values come in their order: text, numbers, booleans or dates. Imports call it once per
    created row; a test holds it equal to `changes_text`.
    """

    def __init__(self, fields: tuple[str, ...]) -> None:
        if list(fields) != sorted(fields):
            raise ValueError("CreationText needs its fields sorted")
        self.heads = tuple(f"{encode_basestring_ascii(field)}:[null," for field in fields)

    def __call__(self, values: tuple[Any, ...]) -> str:
        scalar = _json_scalar
        return (
            "{"
            + ",".join(
                [
                    head + scalar(value) + "]"
                    for head, value in zip(self.heads, values, strict=True)
                    if value is not None and value != ""
                ]
            )
            + "}"
        )


def _json_scalar(value: Any) -> str:
    """Return a scalar as `canonical` writes it (fast paths for the common kinds)."""
    kind = value.__class__
    if kind is str:
        return encode_basestring_ascii(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)  # as json writes an int
    if kind is bool:
        return "true" if value else "false"
    if kind is dt.date:
        return '"' + value.isoformat() + '"'  # json_default's form, ASCII already
    return json.dumps(value, default=json_default)


class RunSealer:
    """Seal the events of one `record_many` run: the same bytes as `values_seal`, made faster.

    The fields every event of the run shares (time, actor, action, reason, request, instansi)
    are written once; each event adds its own few fields and its change set's canonical text.
    `canonical` sorts the keys; the parts below are in that order. A test holds the two equal.
    """

    def __init__(
        self,
        *,
        key: bytes,
        occurred_at: Any,
        actor_id: Any,
        actor_repr: str,
        action: str,
        reason: str,
        request_id: str,
    ) -> None:
        self.key = key
        self.prefix = (EVENT_KIND + "\n{").encode()
        self.action = f'"action":{_json_scalar(action)},"actor_id":{_json_scalar(actor_id)},'
        self.actor_repr = f'"actor_repr":{_json_scalar(actor_repr)},'
        self.occurred_at = _json_scalar(
            occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
        )
        self.reason = f'"reason":{_json_scalar(reason)},"request_id":{_json_scalar(request_id)},'
        # The parts that repeat across a run's events, written once each.
        self._chains: dict[tuple[Any, Any], tuple[str, str]] = {}
        self._tails: dict[tuple[Any, Any, Any], str] = {}

    def seal(
        self,
        *,
        chain_id: int,
        instansi_id: int | None,
        sequence: int,
        target_type: str,
        target_id: str,
        target_repr: str,
        unit_id: int | None,
        unit_path: str,
        changes: str,
        prev_hash: str,
    ) -> str:
        try:
            head, middle = self._chains[chain_id, instansi_id]
        except KeyError:
            head = f'{self.action}{self.actor_repr}"chain_id":{_json_scalar(chain_id)},"changes":'
            middle = (
                f',"instansi_id":{_json_scalar(instansi_id)},"occurred_at":{self.occurred_at},'
                '"prev_hash":'
            )
            self._chains[chain_id, instansi_id] = head, middle
        try:
            tail = self._tails[target_type, unit_id, unit_path]
        except KeyError:
            tail = self._tails[target_type, unit_id, unit_path] = (
                f',"target_type":{_json_scalar(target_type)},'
                f'"unit_id":{_json_scalar(unit_id)},"unit_path":{_json_scalar(unit_path)}}}'
            )
        text = (
            f"{head}{changes}{middle}{_json_scalar(prev_hash)},{self.reason}"
            f'"sequence":{sequence},"target_id":{_json_scalar(target_id)},'
            f'"target_repr":{_json_scalar(target_repr)}{tail}'
        )
        return hmac.digest(self.key, self.prefix + text.encode(), "sha256").hex()


def head_seal(chain: Any, key: bytes | None = None) -> str:
    """Return the keyed hash of a chain head (stored in ``AuditChain.seal``)."""
    payload = {
        "chain": chain.pk,
        "instansi_id": chain.instansi_id,
        "sequence": chain.last_sequence,
        "hash": chain.last_hash,
    }
    return mac("kinerja.audit.head.v2", payload, key)


def same(a: str, b: str) -> bool:
    """Compare two seals in constant time."""
    return hmac.compare_digest(a.encode(), b.encode())
