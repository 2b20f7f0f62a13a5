"""Check the audit chains, and export or compare a checkpoint of their heads.

Within the database a chain proves that no event was altered, removed from its middle or
re-ordered. Removing the newest events and rewinding the head to an earlier state (a backup)
leaves a consistent shorter chain, so truncation shows only against a checkpoint of the heads
kept outside the database: `manage.py audit_checkpoint` writes one, `audit_verify --checkpoint`
compares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from .models import GENESIS, AuditChain, AuditEvent
from .sealing import audit_key, event_seal, head_seal, mac, same

CHECKPOINT_FORMAT = "kinerja-audit-checkpoint/1"
CHECKPOINT_KIND = "kinerja.audit.checkpoint.v1"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one chain; ``event`` is the event it concerns, when there is one."""

    chain: str
    message: str
    event: AuditEvent | None = None

    def __str__(self) -> str:
        where = ""
        if self.event is not None:
            e = self.event
            where = (
                f" #{e.sequence} ({e.action}, {e.target_repr or e.target_type}, "
                f"{e.occurred_at:%Y-%m-%d %H:%M})"
            )
        return f"{self.chain}{where}: {self.message}"


@dataclass
class Report:
    """What a verification found: events checked, chains checked, problems (empty: intact)."""

    events: int = 0
    chains: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(*, checkpoint: dict[str, Any] | None = None, batch_size: int = 5000) -> Report:
    """Verify every chain: each event's keyed hash, links, sequence and the sealed head.

    With a ``checkpoint`` (as written by `checkpoint()`), also report each chain that is shorter
    than the checkpoint, or whose event at the checkpoint's sequence has another hash.
    """
    key = audit_key()
    report = Report()
    for chain in AuditChain.objects.order_by("pk"):
        report.chains += 1
        report.events += _verify_chain(chain, key, report.problems, batch_size)
    if checkpoint is not None:
        report.problems.extend(compare_checkpoint(checkpoint, key))
    return report


def _verify_chain(chain: AuditChain, key: bytes, problems: list[Problem], batch_size: int) -> int:
    """Check the chain up to its head as read in ``chain``; appends made meanwhile are left for
    the next run, so a live system gives no false alarm."""
    label = chain.label
    expected_seq, expected_prev = 1, GENESIS
    checked = 0
    events = AuditEvent.objects.filter(chain=chain, sequence__lte=chain.last_sequence)
    events = events.order_by("sequence")
    for event in events.iterator(chunk_size=batch_size):
        if event.sequence != expected_seq:
            problems.append(Problem(label, f"missing event(s) before #{event.sequence}", event))
        elif event.prev_hash != expected_prev:
            problems.append(Problem(label, "previous hash does not match", event))
        if event.instansi_id != chain.instansi_id:
            problems.append(Problem(label, "event names another instansi than its chain", event))
        if not same(event_seal(event, key), event.hash):
            problems.append(Problem(label, "content does not match its keyed hash", event))
        expected_seq, expected_prev = event.sequence + 1, event.hash
        checked += 1
    last_seq = expected_seq - 1
    unsealed_empty_head = chain.last_sequence == 0 and not chain.seal
    if not unsealed_empty_head and not same(head_seal(chain, key), chain.seal):
        problems.append(Problem(label, "chain head does not match its keyed hash"))
    if (chain.last_sequence, chain.last_hash) != (last_seq, expected_prev):
        problems.append(
            Problem(
                label,
                f"chain head says #{chain.last_sequence}, the newest event is #{last_seq}",
            )
        )
    # An event and its head update commit together, so reading the head after the events
    # cannot see it older than an event that was committed with it.
    newest = (
        AuditEvent.objects.filter(chain=chain)
        .order_by("-sequence")
        .values_list("sequence", flat=True)
        .first()
    )
    head_now = AuditChain.objects.filter(pk=chain.pk).values_list("last_sequence", flat=True)
    if newest is not None and newest > (head_now.first() or 0):
        problems.append(Problem(label, f"event(s) beyond the chain head, up to #{newest}"))
    return checked


def heads() -> list[dict[str, Any]]:
    """Return each chain's head as ``{"instansi_id", "sequence", "hash"}``, system chain first."""
    rows = AuditChain.objects.order_by("pk").values_list(
        "instansi_id", "last_sequence", "last_hash"
    )
    out = [{"instansi_id": i, "sequence": s, "hash": h} for i, s, h in rows]
    return sorted(out, key=lambda h: (h["instansi_id"] is not None, h["instansi_id"] or 0))


def checkpoint() -> dict[str, Any]:
    """Return a signed checkpoint of every chain's head, to be kept outside the database.

    Refuses (ValueError) when a head does not match its keyed hash: a checkpoint must not
    bless a head that was already tampered with.
    """
    key = audit_key()
    for chain in AuditChain.objects.order_by("pk"):
        if chain.last_sequence and not same(head_seal(chain, key), chain.seal):
            raise ValueError(f"{chain.label}: chain head does not match its keyed hash")
    body = {
        "format": CHECKPOINT_FORMAT,
        "created_at": timezone.now().isoformat(timespec="seconds"),
        "chains": heads(),
    }
    return {**body, "signature": mac(CHECKPOINT_KIND, body, key)}


def compare_checkpoint(data: dict[str, Any], key: bytes | None = None) -> list[Problem]:
    """Return the truncations (or forks) that ``data``, a signed checkpoint, reveals."""
    key = key or audit_key()
    body = {k: v for k, v in data.items() if k != "signature"}
    if body.get("format") != CHECKPOINT_FORMAT or not same(
        mac(CHECKPOINT_KIND, body, key), str(data.get("signature", ""))
    ):
        return [Problem("checkpoint", "signature does not match (not made with this key?)")]
    problems = []
    chains = {c.instansi_id: c for c in AuditChain.objects.all()}
    for head in body["chains"]:
        instansi_id, sequence, expected = head["instansi_id"], head["sequence"], head["hash"]
        label = "system" if instansi_id is None else f"instansi {instansi_id}"
        if sequence == 0:
            continue
        chain = chains.get(instansi_id)
        if chain is None:
            problems.append(
                Problem(label, f"truncated: the chain is gone, the checkpoint has #{sequence}")
            )
            continue
        event = AuditEvent.objects.filter(chain=chain, sequence=sequence).first()
        if event is None:
            newest = (
                AuditEvent.objects.filter(chain=chain)
                .order_by("-sequence")
                .values_list("sequence", flat=True)
                .first()
                or 0
            )
            problems.append(
                Problem(
                    label,
                    f"truncated: the chain ends at #{newest}, the checkpoint has #{sequence}",
                )
            )
        elif not same(event.hash, expected):
            problems.append(
                Problem(label, f"event #{sequence} has another hash than the checkpoint", event)
            )
    return problems
