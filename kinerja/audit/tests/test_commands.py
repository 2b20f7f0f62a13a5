"""`audit_checkpoint` and `audit_verify`: what an operator runs (in Indonesian, the default
language), and what makes them fail."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from kinerja.audit.models import AuditChain, AuditEvent
from kinerja.audit.services import record


@pytest.fixture(autouse=True)
def _default_language():
    """`manage.py` speaks the default language; earlier tests' requests may have switched it."""
    with translation.override("id"):
        yield


@pytest.fixture
def trail(world):
    bkd = world.users["bkd"]
    for n in range(4):
        record(actor=bkd, action="test.touch", target=world.staff_b, changes={"n": [n, n + 1]})
    record(actor=bkd, action="test.touch", target=world.staff_x)
    return world


def _verify(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("audit_verify", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_checkpoint_lists_each_chain_head_and_verify_accepts_it(trail, tmp_path):
    saved = tmp_path / "heads.json"
    call_command("audit_checkpoint", "--out", str(saved), stderr=io.StringIO())
    data = json.loads(saved.read_text())
    assert [(c["instansi_id"], c["sequence"]) for c in data["chains"]] == [
        (trail.instansi.pk, 4),
        (trail.other_instansi.pk, 1),
    ]
    assert len(data["signature"]) == 64
    record(actor=None, action="later", target=trail.staff_b)  # growing is not truncation
    out = _verify("--checkpoint", str(saved))
    assert "Jejak audit utuh: 6 peristiwa dalam 2 rantai." in out
    assert "Tidak ada rantai yang lebih pendek daripada titik periksa." in out


def test_verify_fails_and_names_the_edited_event(trail):
    AuditEvent.objects.filter(instansi_id=trail.instansi.pk, sequence=3).update(
        unit_path=trail.agency_a.path
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 masalah"):
        call_command("audit_verify", stdout=io.StringIO(), stderr=err)
    assert f"instansi {trail.instansi.pk} #3 (test.touch, Rina Wulandari" in err.getvalue()


def test_verify_with_checkpoint_fails_on_truncation(trail, tmp_path):
    chain = AuditChain.objects.get(instansi_id=trail.instansi.pk)
    rewound = AuditChain.objects.filter(pk=chain.pk).values("last_sequence", "last_hash", "seal")
    backup = dict(rewound.get())
    record(actor=None, action="newest", target=trail.staff_b)
    saved = tmp_path / "heads.json"
    call_command("audit_checkpoint", "--out", str(saved), stderr=io.StringIO())
    AuditEvent.objects.filter(chain=chain, sequence=5).delete()
    rewound.update(**backup)

    assert "utuh" in _verify()  # without the checkpoint the rewind cannot show
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 masalah"):
        call_command("audit_verify", "--checkpoint", str(saved), stdout=io.StringIO(), stderr=err)
    assert (
        f"instansi {trail.instansi.pk}: truncated: the chain ends at #4, the checkpoint has #5"
        in err.getvalue()
    )


def test_checkpoint_refuses_a_head_that_was_tampered_with(trail):
    AuditChain.objects.filter(instansi_id=trail.instansi.pk).update(last_sequence=3)
    with pytest.raises(CommandError, match="chain head does not match its keyed hash"):
        call_command("audit_checkpoint", stdout=io.StringIO())


def test_verify_refuses_an_unreadable_checkpoint(trail, tmp_path):
    with pytest.raises(CommandError, match="tidak dapat dibaca"):
        call_command("audit_verify", "--checkpoint", str(tmp_path / "missing.json"))
