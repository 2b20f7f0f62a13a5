import datetime as dt
import hashlib
import json

import pytest
from django.db import connection

from kinerja.audit.models import GENESIS, AuditChain, AuditEvent
from kinerja.audit.sealing import canonical, event_payload, mac
from kinerja.audit.services import diff, record, record_many
from kinerja.audit.verification import checkpoint, verify


@pytest.fixture
def three_events(world):
    for i in range(3):
        record(
            actor=world.users["bkd"],
            action="test.touch",
            target=world.staff_b,
            changes={"n": [i, i + 1]},
        )
    return list(AuditEvent.objects.order_by("sequence"))


def _messages(report):
    return [str(p) for p in report.problems]


def test_events_chain_by_keyed_hash(three_events):
    first, second, third = three_events
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert [e.sequence for e in three_events] == [1, 2, 3]
    report = verify()
    assert (report.ok, report.events, report.chains) == (True, 3, 1)


def test_each_instansi_has_its_own_chain(world):
    bkd = world.users["bkd"]
    record(actor=bkd, action="a.one", target=world.staff_b)
    record(actor=bkd, action="x.one", target=world.staff_x)
    record(actor=bkd, action="a.two", target=world.staff_a)
    record(actor=None, action="sys.one", target_type="core.thing")
    rows = AuditEvent.objects.order_by("pk").values_list(
        "action", "instansi_id", "chain__instansi_id", "sequence"
    )
    assert list(rows) == [
        ("a.one", world.instansi.pk, world.instansi.pk, 1),
        ("x.one", world.other_instansi.pk, world.other_instansi.pk, 1),
        ("a.two", world.instansi.pk, world.instansi.pk, 2),
        ("sys.one", None, None, 1),
    ]
    assert AuditChain.objects.count() == 3
    assert verify().ok


def test_event_knows_its_instansi_and_unit(three_events, world):
    assert three_events[0].instansi_id == world.instansi.pk
    assert three_events[0].unit_path == world.agency_b.path
    assert three_events[0].target_type == "organisations.employee"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("actor_repr", "Kepala BKD"),
        ("target_repr", "Budi Santoso"),
        ("unit_path", "PATH-OF-AGENCY-A"),
        ("changes", {"n": [1, 99]}),
        ("reason", "tampered"),
        ("request_id", "forged"),
        ("action", "other"),
    ],
)
def test_verify_names_an_event_edited_in_the_database(three_events, world, field, value):
    if value == "PATH-OF-AGENCY-A":
        value = world.agency_a.path  # would move the event onto agency A's audit page
    AuditEvent.objects.filter(sequence=2).update(**{field: value})
    action = value if field == "action" else "test.touch"
    target = value if field == "target_repr" else "Rina Wulandari"
    when = three_events[1].occurred_at
    assert _messages(verify()) == [
        f"instansi {world.instansi.pk} #2 ({action}, {target}, {when:%Y-%m-%d %H:%M}): "
        "content does not match its keyed hash"
    ]


def test_verify_names_an_event_whose_actor_was_swapped(three_events, world):
    AuditEvent.objects.filter(sequence=3).update(actor=world.users["opd_admin"])
    (problem,) = verify().problems
    assert (problem.event.sequence, problem.message) == (3, "content does not match its keyed hash")


def test_verify_finds_a_deleted_event(three_events):
    AuditEvent.objects.filter(sequence=2).delete()
    (problem,) = verify().problems
    assert problem.event.sequence == 3
    assert problem.message == "missing event(s) before #3"


def _sha256(kind: str, payload: dict) -> str:
    """The former unkeyed hash, now over every field."""
    return hashlib.sha256(canonical(payload)).hexdigest()


def _same_algorithm_guessed_key(kind: str, payload: dict) -> str:
    """The exact algorithm, with the key the attacker guesses: the test settings' SECRET_KEY."""
    return mac(kind, payload, key=b"test-only-not-secret")


def test_verify_reports_events_slipped_in_beyond_the_head(three_events):
    forged = AuditEvent.objects.get(sequence=3)
    forged.pk, forged.sequence, forged.prev_hash = None, 4, forged.hash
    forged.save()
    assert _messages(verify()) == [
        f"{AuditChain.objects.get().label}: event(s) beyond the chain head, up to #4"
    ]


@pytest.mark.parametrize("rehash", [_sha256, _same_algorithm_guessed_key])
def test_rehashing_without_the_key_does_not_pass(three_events, rehash):
    """An attacker with database access edits an event and rebuilds the chain as best they can."""
    AuditEvent.objects.filter(sequence=2).update(target_repr="Budi Santoso")
    prev = GENESIS
    for event in AuditEvent.objects.order_by("sequence"):
        event.prev_hash = prev
        event.hash = prev = rehash("kinerja.audit.event.v2", event_payload(event))
        event.save(update_fields=["prev_hash", "hash"])
    chain = AuditChain.objects.get()
    head = {"chain": chain.pk, "instansi_id": chain.instansi_id, "sequence": 3, "hash": prev}
    AuditChain.objects.update(last_hash=prev, seal=rehash("kinerja.audit.head.v2", head))
    report = verify()
    assert [(p.event and p.event.sequence, p.message) for p in report.problems] == [
        (1, "content does not match its keyed hash"),
        (2, "content does not match its keyed hash"),
        (3, "content does not match its keyed hash"),
        (None, "chain head does not match its keyed hash"),
    ]


def test_verify_with_a_checkpoint_reports_truncation(three_events, world, tmp_path):
    bkd = world.users["bkd"]
    backup = AuditChain.objects.values("last_sequence", "last_hash", "seal").get()
    for n in range(2):
        record(actor=bkd, action="test.more", target=world.staff_b, changes={"n": [n, n]})
    saved = tmp_path / "checkpoint.json"
    saved.write_text(json.dumps(checkpoint()))
    # The attacker deletes the newest events and rewinds the head row to an earlier, sealed state.
    AuditEvent.objects.filter(sequence__gt=3).delete()
    AuditChain.objects.update(**backup)

    assert verify().ok  # the shorter chain is consistent in itself
    report = verify(checkpoint=json.loads(saved.read_text()))
    assert _messages(report) == [
        f"instansi {world.instansi.pk}: truncated: the chain ends at #3, the checkpoint has #5"
    ]


def test_a_forged_checkpoint_is_refused(three_events):
    data = checkpoint()
    data["chains"][0]["sequence"] = 2
    assert _messages(verify(checkpoint=data)) == [
        "checkpoint: signature does not match (not made with this key?)"
    ]


def test_deleting_the_newest_events_is_caught_by_the_head(three_events):
    AuditEvent.objects.filter(sequence__gte=2).delete()
    assert _messages(verify()) == [
        f"{AuditChain.objects.get().label}: chain head says #3, the newest event is #1"
    ]


def test_rewinding_the_head_by_hand_is_caught_without_a_checkpoint(three_events):
    AuditEvent.objects.filter(sequence=3).delete()
    second = three_events[1]
    AuditChain.objects.update(last_sequence=2, last_hash=second.hash)
    assert _messages(verify()) == [
        f"{AuditChain.objects.get().label}: chain head does not match its keyed hash"
    ]


def test_diff_keeps_changed_fields_only():
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None}) == {"b": [2, 3]}


def test_within_scopes_events_by_unit(three_events, world):
    from kinerja.accounts.scope import scope_for

    assert AuditEvent.objects.within(scope_for(world.users["bkd"])).count() == 3
    assert AuditEvent.objects.within(scope_for(world.users["opd_admin"])).count() == 0
    assert AuditEvent.objects.within(scope_for(world.users["leadership"])).count() == 0


@pytest.mark.django_db
def test_record_many_appends_a_verifiable_run_of_events():
    appended = record_many(
        actor=None,
        action="import.row",
        entries=[
            {"target_type": "organisations.employee", "target_id": n, "changes": {"name": ["a", n]}}
            for n in range(3)
        ],
        instansi_id=7,
    )
    assert appended == 3
    assert list(AuditEvent.objects.order_by("sequence").values_list("target_id", flat=True)) == [
        "0",
        "1",
        "2",
    ]
    assert verify().events == 3
    assert verify().ok


@pytest.mark.django_db
def test_record_many_files_each_entry_in_its_instansi_chain():
    record(actor=None, action="first", target_type="t", instansi_id=8)
    appended = record_many(
        actor=None,
        action="import.row",
        entries=[
            {"target_type": "t", "target_id": 1, "instansi_id": 8},
            {"target_type": "t", "target_id": 2},
            {"target_type": "t", "target_id": 3, "instansi_id": 8},
        ],
        instansi_id=7,
    )
    assert appended == 3
    rows = AuditEvent.objects.order_by("instansi_id", "sequence").values_list(
        "instansi_id", "sequence", "target_id"
    )
    assert list(rows) == [(7, 1, "2"), (8, 1, ""), (8, 2, "1"), (8, 3, "3")]
    assert dict(AuditChain.objects.values_list("instansi_id", "last_sequence")) == {7: 1, 8: 3}
    assert verify().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite locks the whole database")
@pytest.mark.django_db(transaction=True)
def test_a_locked_chain_does_not_hold_up_another_instansi():
    import threading

    from django.db import connections, transaction
    from django.db.utils import OperationalError

    record(actor=None, action="seed", target_type="t", instansi_id=1)
    record(actor=None, action="seed", target_type="t", instansi_id=2)
    locked, release = threading.Event(), threading.Event()

    def hold_chain_one():
        try:
            with transaction.atomic():
                record(actor=None, action="slow", target_type="t", instansi_id=1)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_chain_one)
    holder.start()
    try:
        assert locked.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '500ms'")
        record(actor=None, action="fast", target_type="t", instansi_id=2)  # does not wait
        with pytest.raises(OperationalError, match="lock timeout"):
            record(actor=None, action="blocked", target_type="t", instansi_id=1)
    finally:
        release.set()
        holder.join()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
    assert sorted(AuditEvent.objects.values_list("action", flat=True)) == [
        "fast",
        "seed",
        "seed",
        "slow",
    ]
    assert verify().ok


def test_record_many_seals_dates_and_text_as_verify_reads_them_back(world):
    import datetime as dt

    appended = record_many(
        actor=world.users["bkd"],
        action="import.employees.create",
        entries=[
            {
                "target_type": "organisations.employee",
                "target_id": 1,
                "target_repr": "Siti Aminah",
                "changes": {"birth_date": [None, dt.date(1985, 3, 14)], "name": [None, "Siti é"]},
            }
        ],
        instansi_id=world.instansi.pk,
    )

    assert appended == 1
    event = AuditEvent.objects.get(action="import.employees.create")
    assert event.changes == {"birth_date": [None, "1985-03-14"], "name": [None, "Siti é"]}
    assert verify().problems == []


@pytest.mark.parametrize(
    ("actor_repr", "target_repr", "unit_id", "changes"),
    [
        ("system", "Siti Aminah", None, {}),
        ('Budi \u00e9"\\', "Dewi \u2013 \n\t", 7, {"name": [None, "\u00c9"], "unit": [3, 4]}),
        ("", "", 12345678901, {"is_active": [True, False], "x": [1.5, None]}),
    ],
)
def test_the_run_sealer_writes_the_same_bytes_as_the_plain_seal(
    actor_repr, target_repr, unit_id, changes
):
    """record_many's fast sealer and the seal that verification recomputes agree exactly."""
    import datetime as dt

    from kinerja.audit.sealing import RunSealer, changes_text, values_seal

    now = dt.datetime(2026, 11, 28, 10, 0, 0, 123456, tzinfo=dt.UTC)
    values = {
        "sequence": 42,
        "chain_id": 3,
        "occurred_at": now,
        "actor_id": 9,
        "actor_repr": actor_repr,
        "action": "import.employees.update",
        "target_type": "organisations.employee",
        "target_id": "101",
        "target_repr": target_repr,
        "instansi_id": 1,
        "unit_id": unit_id,
        "unit_path": "000001.000002.",
        "changes": changes,
        "reason": "Import #5: pegawai.csv",
        "request_id": "abc",
        "prev_hash": "f" * 64,
    }
    sealer = RunSealer(
        key=b"k" * 32,
        occurred_at=now,
        actor_id=9,
        actor_repr=actor_repr,
        action=values["action"],
        reason=values["reason"],
        request_id="abc",
    )
    fast = sealer.seal(
        chain_id=3,
        instansi_id=1,
        sequence=42,
        target_type=values["target_type"],
        target_id="101",
        target_repr=target_repr,
        unit_id=unit_id,
        unit_path="000001.000002.",
        changes=changes_text(changes),
        prev_hash="f" * 64,
    )
    assert fast == values_seal(values, b"k" * 32)


def test_the_run_sealer_keeps_each_chain_and_unit_apart_within_a_run():
    """The parts the sealer writes once per chain and per unit never leak into another's."""
    import datetime as dt

    from kinerja.audit.sealing import RunSealer, values_seal

    now = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)
    run = {"occurred_at": now, "actor_id": None, "actor_repr": "system", "action": "x.create"}
    run |= {"reason": "Import #7: a.xlsx", "request_id": ""}
    sealer = RunSealer(key=b"k" * 32, **run)
    events = [
        (3, 1, 10, "000001."),
        (4, 2, 11, "000002."),
        (3, 1, 11, "000002."),
        (4, 2, 10, "000001."),
        (5, None, None, ""),
    ]
    for sequence, (chain_id, instansi_id, unit_id, unit_path) in enumerate(events, start=1):
        event = {
            "chain_id": chain_id,
            "instansi_id": instansi_id,
            "sequence": sequence,
            "target_type": "organisations.employee",
            "target_id": str(sequence * 100),
            "target_repr": f"Pegawai {sequence}",
            "unit_id": unit_id,
            "unit_path": unit_path,
            "prev_hash": str(sequence) * 64,
        }
        fast = sealer.seal(**event, changes='{"name":[null,"A"]}')
        plain = values_seal({**run, **event, "changes": {"name": [None, "A"]}}, b"k" * 32)
        assert fast == plain, event


@pytest.mark.parametrize(
    "values",
    [
        ('Budi \u00e9"\\', 7, None, dt.date(1980, 2, 29), True, "", 12345678901),
        ("", 0, "m", None, False, "x\n\t\u2013", -1),
    ],
)
def test_creation_text_is_the_canonical_change_set_of_a_new_object(values):
    from kinerja.audit.sealing import CreationText, changes_text

    fields = ("a_name", "b_grade", "c_sex", "d_birth", "e_active", "f_email", "g_unit")
    pairs = zip(fields, values, strict=True)
    expected = changes_text({f: [None, v] for f, v in pairs if v is not None and v != ""})

    assert CreationText(fields)(values) == expected


def test_creation_text_needs_its_fields_sorted():
    from kinerja.audit.sealing import CreationText

    with pytest.raises(ValueError, match="sorted"):
        CreationText(("name", "grade"))
