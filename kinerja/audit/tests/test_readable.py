"""The trail reads as people speak: Indonesian labels, names for keys, dates in words."""

import datetime as dt

import pytest
from django.urls import reverse

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.organisations import services


@pytest.fixture
def changes(world):
    bkd = world.users["bkd"]
    # Budi leaves the head post first (set up directly, no event): a head post has one holder.
    type(world.head_a).objects.filter(pk=world.head_a.pk).update(position=None)
    services.employee_update(
        actor=bkd,
        scope=scope_for(bkd),
        employee=world.staff_a,
        data={"grade": "III/c", "unit": world.agency_a, "position": world.head_pos_a},
        reason="Mutasi",
    )
    services.employee_update(
        actor=bkd,
        scope=scope_for(bkd),
        employee=world.honorer_b,
        data={"birth_date": dt.date(1991, 3, 17), "sex": "f"},
    )
    services.unit_update(
        actor=None,
        scope=scope_for(bkd),
        unit=world.division_a,
        data={"valid_from": dt.date(2017, 1, 1)},
    )
    return world


def _rows(body: str) -> str:
    """The table body, whitespace collapsed, so that assertions read like the page."""
    start = body.index("<tbody>")
    return " ".join(body[start : body.index("</tbody>", start)].split())


def test_event_list_speaks_indonesian(changes, login):
    body = login(changes.users["bkd"]).get(reverse("audit:event_list")).content.decode()
    rows = _rows(body)
    # Field labels, unit and position names instead of keys.
    assert (
        '<span class="text-secondary">Jabatan:</span> <del>Analis SMA</del> → '
        "<strong>Kepala Dinas Pendidikan</strong>"
    ) in rows
    assert (
        '<span class="text-secondary">Unit kerja:</span> <del>Bidang SMA</del> → '
        "<strong>Dinas Pendidikan</strong>"
    ) in rows
    # Dates in words, choices by their labels.
    assert "<del>1 Januari 1990</del> → <strong>17 Maret 1991</strong>" in rows
    assert "<del>1 Januari 2020</del> → <strong>1 Januari 2017</strong>" in rows
    assert "<del>Laki-laki</del> → <strong>Perempuan</strong>" in rows
    # Nobody acted: the system did.
    assert "<td>Sistem</td>" in rows
    assert "system" not in rows
    assert "2020-01-01" not in rows and "2017-01-01" not in rows
    # The kind of object, from its model.
    assert '<div class="small text-secondary">Pegawai</div> Siti Aminah' in rows
    assert "Telah diubah" not in rows


def test_searching_for_sistem_finds_what_nobody_did_by_hand(changes, login):
    url = reverse("audit:event_list")
    body = login(changes.users["bkd"]).get(url, {"q": "sistem"}).content.decode()
    assert "1 peristiwa" in body
    assert "Bidang SMA" in _rows(body)
    assert "Siti Aminah" not in body


def test_history_partial_speaks_indonesian(changes, login):
    url = reverse("organisations:employee_detail", args=[changes.honorer_b.pk])
    body = login(changes.users["bkd"]).get(url).content.decode()
    history = body[body.index('id="history"') :]
    assert "<td>bkd</td>" in history
    assert (
        '<span class="text-secondary">Tanggal lahir:</span> <del>1 Januari 1990</del> → '
        "<strong>17 Maret 1991</strong>"
    ) in " ".join(history.split())


def test_an_event_altered_in_the_database_is_flagged_on_the_page(changes, login):
    AuditEvent.objects.filter(action="unit.update").update(unit_path=changes.agency_b.path)
    rows = _rows(login(changes.users["bkd"]).get(reverse("audit:event_list")).content.decode())
    assert rows.count("Telah diubah") == 1
