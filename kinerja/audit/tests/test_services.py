import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from kinerja.audit.models import AuditEvent
from kinerja.audit.services import diff, record, verify_chain


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


def test_events_chain_by_hash(three_events):
    first, second, third = three_events
    assert first.prev_hash == "0" * 64
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert [e.sequence for e in three_events] == [1, 2, 3]
    assert verify_chain()[2] == ""


def test_event_knows_its_instansi_and_unit(three_events, world):
    assert three_events[0].instansi_id == world.instansi.pk
    assert three_events[0].unit_path == world.agency_b.path
    assert three_events[0].target_type == "organisations.employee"


def test_verify_finds_the_first_altered_event(three_events):
    AuditEvent.objects.filter(sequence=2).update(reason="tampered")
    checked, bad, problem = verify_chain()
    assert (checked, bad.sequence) == (1, 2)
    assert "hash" in problem


def test_verify_finds_a_deleted_event(three_events):
    AuditEvent.objects.filter(sequence=2).delete()
    checked, bad, problem = verify_chain()
    assert bad.sequence == 3
    assert "missing" in problem


def test_audit_verify_command(three_events):
    out = io.StringIO()
    with translation.override("en"):
        call_command("audit_verify", stdout=out)
    assert out.getvalue().strip() == "Audit chain intact: 3 events."
    AuditEvent.objects.filter(sequence=3).update(action="other")
    with pytest.raises(CommandError, match="#3"):
        call_command("audit_verify")


def test_diff_keeps_changed_fields_only():
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None}) == {"b": [2, 3]}


def test_within_scopes_events_by_unit(three_events, world):
    from kinerja.accounts.scope import scope_for

    assert AuditEvent.objects.within(scope_for(world.users["bkd"])).count() == 3
    assert AuditEvent.objects.within(scope_for(world.users["opd_admin"])).count() == 0
    assert AuditEvent.objects.within(scope_for(world.users["leadership"])).count() == 0


@pytest.mark.django_db
def test_record_many_appends_a_verifiable_run_of_events():
    from kinerja.audit.models import AuditEvent
    from kinerja.audit.services import record_many, verify_chain

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
    assert verify_chain() == (3, None, "")
