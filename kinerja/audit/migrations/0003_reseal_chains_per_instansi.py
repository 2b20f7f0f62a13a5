"""One-time re-seal: move the single chain's events into one chain per instansi, keyed.

Until now every event sat in one chain, hashed with plain SHA-256 over part of its fields. This
migration walks the events in their old order, checks them against the old hash (and warns about
each one that fails: the re-seal cannot vouch for what was altered before it), then numbers them
afresh within their instansi's chain and seals each with the keyed HMAC (version 2, written out
here so that later changes to ``kinerja.audit.sealing`` do not change what this migration does)
over every shown or scoping field. Needs ``KINERJA_AUDIT_KEY``.
"""

import datetime as dt
import hashlib
import json
import sys

from django.db import migrations

from kinerja.audit.sealing import audit_key, json_default, mac

GENESIS = "0" * 64
OLD_FIELDS = (
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
SEALED_V2 = (
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
BATCH = 2000


def event_seal(event, key) -> str:
    payload = {name: getattr(event, name) for name in SEALED_V2}
    payload["occurred_at"] = event.occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return mac("kinerja.audit.event.v2", payload, key)


def head_seal(chain, key) -> str:
    payload = {
        "chain": chain.pk,
        "instansi_id": chain.instansi_id,
        "sequence": chain.last_sequence,
        "hash": chain.last_hash,
    }
    return mac("kinerja.audit.head.v2", payload, key)


def _old_hash(event) -> str:
    payload = {}
    for name in OLD_FIELDS:
        value = getattr(event, name)
        if name == "occurred_at":
            value = value.astimezone(dt.UTC).isoformat(timespec="microseconds")
        payload[name] = value
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=json_default)
    return hashlib.sha256(text.encode()).hexdigest()


def reseal(apps, schema_editor):
    AuditChain = apps.get_model("audit", "AuditChain")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ids = list(AuditEvent.objects.order_by("sequence").values_list("pk", flat=True))
    if not ids:
        return
    key = audit_key()
    heads = {}  # instansi_id -> [chain, sequence, hash]
    old_prev = GENESIS
    failed = []
    for start in range(0, len(ids), BATCH):
        batch = list(AuditEvent.objects.filter(pk__in=ids[start : start + BATCH]).order_by("sequence"))
        for event in batch:
            if event.prev_hash != old_prev or _old_hash(event) != event.hash:
                failed.append(event.sequence)
            old_prev = event.hash
            head = heads.get(event.instansi_id)
            if head is None:
                chain, _ = AuditChain.objects.get_or_create(instansi_id=event.instansi_id)
                head = heads[event.instansi_id] = [chain, 0, GENESIS]
            head[1] += 1
            event.chain_id = head[0].pk
            event.sequence = head[1]
            event.prev_hash = head[2]
            event.hash = head[2] = event_seal(event, key)
        AuditEvent.objects.bulk_update(batch, ["chain", "sequence", "prev_hash", "hash"])
    for chain, sequence, last in heads.values():
        chain.last_sequence, chain.last_hash = sequence, last
        chain.seal = head_seal(chain, key)
        chain.save()
    AuditChain.objects.exclude(pk__in=[h[0].pk for h in heads.values()]).update(
        last_sequence=0, last_hash=GENESIS, seal=""
    )
    if failed:
        shown = ", ".join(f"#{n}" for n in failed[:20])
        sys.stderr.write(
            f"\nWARNING: {len(failed)} audit event(s) did not match the old chain before the "
            f"re-seal (old sequence {shown}); they are now sealed as found.\n"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_chain_per_instansi"),
    ]

    operations = [
        migrations.RunPython(reseal, migrations.RunPython.noop, elidable=False),
    ]
