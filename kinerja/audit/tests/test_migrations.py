"""The one-time re-seal: events of the single old chain move into keyed per-instansi chains."""

import datetime as dt
import hashlib
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kinerja.audit.models import AuditChain, AuditEvent
from kinerja.audit.verification import verify

BEFORE = [("audit", "0001_initial")]
AFTER = [("audit", "0004_sequence_per_chain")]


def _old_hash(values: dict) -> str:
    payload = {k: values[k] for k in (
        "sequence", "occurred_at", "actor_id", "action", "target_type", "target_id",
        "instansi_id", "unit_id", "changes", "reason", "prev_hash",
    )}  # fmt: skip
    payload["occurred_at"] = (
        payload["occurred_at"].astimezone(dt.UTC).isoformat(timespec="microseconds")
    )
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_reseal_moves_old_events_into_keyed_chains_per_instansi():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldEvent, OldChain = old.get_model("audit", "AuditEvent"), old.get_model("audit", "AuditChain")
    prev = "0" * 64
    start = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)
    for n, instansi in enumerate([5, 6, 5, None], start=1):
        values = {
            "sequence": n,
            "occurred_at": start + dt.timedelta(minutes=n),
            "actor_id": None,
            "actor_repr": "system",
            "action": f"test.{n}",
            "target_type": "organisations.employee",
            "target_id": str(n),
            "target_repr": f"Pegawai {n}",
            "instansi_id": instansi,
            "unit_id": None,
            "unit_path": "",
            "changes": {"n": [n, n + 1]},
            "reason": "",
            "request_id": "",
            "prev_hash": prev,
        }
        values["hash"] = prev = _old_hash(values)
        OldEvent.objects.create(**values)
    OldChain.objects.create(pk=1, last_sequence=4, last_hash=prev)

    executor.loader.build_graph()
    executor.migrate(AFTER)

    rows = AuditEvent.objects.order_by("occurred_at").values_list(
        "action", "chain__instansi_id", "sequence"
    )
    assert list(rows) == [("test.1", 5, 1), ("test.2", 6, 1), ("test.3", 5, 2), ("test.4", None, 1)]
    executor.loader.build_graph()  # the later migrations, which the current models read
    executor.migrate(executor.loader.graph.leaf_nodes("audit"))
    assert dict(AuditChain.objects.values_list("instansi_id", "access_sequence")) == {
        5: 2,
        6: 1,
        None: 1,
    }  # from the last event (0007): every scope kept before is worked out again
    report = verify()
    assert (report.ok, report.events, report.chains) == (True, 4, 3)
