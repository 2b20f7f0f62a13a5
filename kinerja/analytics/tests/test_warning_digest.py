"""The weekly digest: its recipients (the agency heads with an account and an address, the
leadership), its text in Indonesian, the dry run, the command and the task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from kinerja.analytics import digest
from kinerja.analytics.models import TargetWarning
from kinerja.audit.models import AuditEvent

from .warning_fixtures import TODAY, wr_fixture  # noqa: F401 - the wr fixture


@pytest.fixture
def addressed(wr):
    from kinerja.accounts.models import RoleAssignment

    users = wr.world.users
    # The grants hold since 2024 (the digest reads them on the fixture's day, July 2026).
    RoleAssignment.objects.update(valid_from=dt.date(2024, 1, 1))
    for role, address in (
        ("opd_head", "budi@jatimprov.go.id"),
        ("leadership", "gub@jatimprov.go.id"),
    ):
        users[role].email = address
        users[role].save()
    return wr


def test_the_head_and_the_leadership_get_their_lists(addressed):
    messages = digest.send(addressed.world.instansi, today=TODAY)
    assert [m.to for m in mail.outbox] == [["budi@jatimprov.go.id"], ["gub@jatimprov.go.id"]]
    head, leader = mail.outbox
    assert head.subject == "Peringatan dini 2026: 1 target berisiko di Dinas Pendidikan"
    assert head.body.startswith("Yth. Budi Santoso,")
    assert "W-A1 Indikator W-A1 (Dinas Pendidikan): Berisiko, proyeksi 76,67 %" in head.body
    assert "W-B1" not in head.body and "W-P1" not in head.body
    # Siti's SKP target, flagged at the scan the digest runs first.
    assert "- Dinas Pendidikan: 1 berisiko, 0 tanpa laporan" in head.body
    assert "/dashboards/warning/?year=2026&agency=" in head.body
    assert leader.subject == (
        "Peringatan dini 2026: 3 target berisiko di Pemerintah Provinsi Jawa Timur"
    )
    for line in (
        "W-B1 Indikator W-B1 (Dinas Kesehatan): Berisiko, proyeksi 40,00 %",
        "W-P1 Indikator W-P1 (Provinsi): Berisiko, proyeksi 89,41 %",
        "W-B2 Indikator W-B2 (Dinas Kesehatan): Tanpa laporan, 2 subperiode tanpa laporan",
    ):
        assert line in leader.body, leader.body
    assert "- Dinas Kesehatan: 1 berisiko" in leader.body
    assert len(messages) == 2
    assert TargetWarning.objects.filter(target=addressed.sa).exists()
    assert AuditEvent.objects.filter(action="warning.digest").count() == 1


def test_no_address_no_message_and_no_head_account_no_message(addressed):
    users = addressed.world.users
    users["leadership"].email = ""
    users["leadership"].save()
    users["opd_head"].is_active = False
    users["opd_head"].save()
    assert digest.send(addressed.world.instansi, today=TODAY) == []
    assert mail.outbox == []


def test_an_acting_head_receives_the_agencys_digest(addressed):
    from kinerja.organisations.models import ActingAssignment

    w = addressed.world
    ActingAssignment.objects.create(
        instansi=w.instansi,
        employee=w.staff_a,
        position=w.head_pos_a,
        kind="plt",
        decree_number="SK-9",
        valid_from=dt.date(2026, 7, 1),
    )
    w.users["employee"].email = "siti@jatimprov.go.id"
    w.users["employee"].save()
    digest.send(w.instansi, today=TODAY)
    assert [m.to[0] for m in mail.outbox] == ["siti@jatimprov.go.id", "gub@jatimprov.go.id"]


def test_the_command_dry_run_sends_nothing(addressed, capsys):
    call_command("send_warning_digest", "--instansi", "jatim", "--dry-run")
    out = capsys.readouterr().out
    assert "budi@jatimprov.go.id\tPeringatan dini" in out
    assert "jatim: 2 pesan (uji coba, tidak ada yang dikirim)." in out
    assert mail.outbox == []
    assert not TargetWarning.objects.exists()


def test_the_task_sends_the_digest(addressed):
    from kinerja.analytics.tasks import send_warning_digest, warning_scan

    warning_scan.enqueue("jatim")
    assert TargetWarning.objects.count() >= 1
    send_warning_digest.enqueue("jatim")
    assert len(mail.outbox) == 2


def test_the_demo_step_scans_and_addresses_the_demo_heads(wr):
    from types import SimpleNamespace

    from kinerja.analytics.demo_warning import demo_warning_run, demo_warning_wipe

    head = wr.world.users["opd_head"]
    head.is_demo = True
    head.save()
    ctx = SimpleNamespace(instansi=wr.world.instansi)
    demo_warning_run(ctx)
    head.refresh_from_db()
    assert head.email == "opd_head@demo.example"
    assert wr.world.users["bkd"].email == ""  # not a demo head nor the leadership
    assert TargetWarning.objects.filter(target=wr.sa).exists()
    demo_warning_wipe(ctx)
    assert not TargetWarning.objects.exists()
