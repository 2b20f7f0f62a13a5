"""The line rules outside `reporting_line_set`: moving a post to another unit, and the position
importer (same unit or a unit above, no loop), with the fixture agency of test_reporting:

    Kepala Dinas                  agency A (Dinas Pendidikan)
    ├── Kepala Bidang SMA         Bidang SMA
    │   ├── Analis SMA            Bidang SMA
    │   └── Kepala Seksi Kur.     Seksi Kurikulum (under Bidang SMA)
    │       └── Analis Kur.       Seksi Kurikulum
    └── Kepala Bidang SMK         Bidang SMK
        └── Analis SMK            Bidang SMK
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from kinerja.audit.models import AuditEvent
from kinerja.organisations import services
from kinerja.organisations.importers import PositionImporter
from kinerja.organisations.models import Position, ReportingLine

from .test_excel import POSITION_HEADER
from .test_reporting import _import


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


def _lines():
    return sorted(ReportingLine.objects.values_list("position_id", "reports_to_id", "valid_to"))


def _row(post, unit, boss, *, title=None, kind="pelaksana", head="tidak"):
    return [post.code if hasattr(post, "code") else post, title or post.title, unit.code, kind,
            head, boss.code if hasattr(boss, "code") else boss]  # fmt: skip


# Moving a post (position_update) -----------------------------------------------------------


def test_moving_a_post_below_its_superiors_unit_is_allowed(org):
    org.analis.refresh_from_db()  # the fixture set its line behind its back
    services.position_update(
        actor=org.admin, scope=org.scope, position=org.analis, data={"unit": org.section}
    )
    org.analis.refresh_from_db()
    assert org.analis.unit == org.section and org.analis.reports_to == org.kabid


def test_moving_a_post_away_from_its_superiors_unit_is_refused(org):
    lines = _lines()
    with pytest.raises(ValidationError) as exc:
        services.position_update(
            actor=org.admin, scope=org.scope, position=org.analis_kur, data={"unit": org.smk}
        )
    message = exc.value.message_dict["unit"][0]
    assert message == (
        "Jabatan ini melapor kepada Kepala Seksi Kurikulum di Seksi Kurikulum, yang tidak "
        "berada di atas Bidang SMK. Sebuah jabatan melapor kepada jabatan di unitnya sendiri "
        "atau unit di atasnya: ubah dulu garis pelaporannya."
    )
    assert Position.objects.get(pk=org.analis_kur.pk).unit == org.section
    assert _lines() == lines and not AuditEvent.objects.filter(action="position.update").exists()


def test_moving_a_post_away_from_the_posts_reporting_to_it_is_refused(org):
    # Its own new line is fine (the Kabid SMK is above Bidang SMK), but Analis Kurikulum still
    # reports to it from Seksi Kurikulum, which is not below Bidang SMK.
    with pytest.raises(ValidationError) as exc:
        services.position_update(
            actor=org.admin,
            scope=org.scope,
            position=org.kasi,
            data={"unit": org.smk, "reports_to": org.kabid_smk, "is_head": False},
        )
    assert exc.value.message_dict["unit"] == [
        "Analis Kurikulum melapor kepada jabatan ini tetapi tidak lagi berada di Bidang SMK "
        "atau unit di bawahnya. Ubah dulu garis pelaporan mereka."
    ]
    kasi = Position.objects.get(pk=org.kasi.pk)
    assert (kasi.unit, kasi.reports_to) == (org.section, org.kabid)


# The position importer ----------------------------------------------------------------------


def test_import_refuses_a_line_to_a_unit_that_is_not_above(org):
    lines, titles = _lines(), list(Position.objects.values_list("title", flat=True))
    outcome = _import(
        org.admin,
        [POSITION_HEADER, _row(org.analis, org.w.division_a, org.kabid_smk, title="Analis Baru")],
        PositionImporter,
    )
    assert not outcome.valid
    assert [(e.row, e.column, e.message) for e in outcome.errors] == [
        (
            2,
            "reports_to_code",
            "Kepala Bidang SMK berada di Bidang SMK, yang bukan unit jabatan ini dan bukan unit "
            "di atasnya. Jabatan melapor kepada jabatan di unitnya sendiri atau di unit di "
            "atasnya.",
        )
    ]
    assert _lines() == lines
    assert list(Position.objects.values_list("title", flat=True)) == titles


def test_import_refuses_a_loop_in_the_file_and_through_registered_lines(org):
    unit = org.w.division_a
    rows = [
        POSITION_HEADER,
        ["SMA-A", "Pengolah A", unit.code, "pelaksana", "tidak", "SMA-B"],
        ["SMA-B", "Pengolah B", unit.code, "pelaksana", "tidak", "SMA-A"],
        # Kepala Bidang SMA to its own Analis SMA, who reports to it already.
        _row(org.kabid, unit, org.analis, kind="administrator", head="ya"),
        ["SMA-C", "Pengolah C", unit.code, "pelaksana", "tidak", org.kabid.code],  # fine
    ]
    count = Position.objects.count()
    outcome = _import(org.admin, rows, PositionImporter)
    loop = (
        "sudah melapor, langsung atau tidak, kepada jabatan ini: garis itu akan membentuk "
        "lingkaran."
    )
    assert [(e.row, e.column, e.message) for e in outcome.errors] == [
        (2, "reports_to_code", f"Pengolah B {loop}"),
        (3, "reports_to_code", f"Pengolah A {loop}"),
        (4, "reports_to_code", f"Analis SMA {loop}"),
    ]
    assert Position.objects.count() == count
    assert ReportingLine.objects.get(position=org.kabid, valid_to=None).reports_to == org.kadis


def test_import_refuses_moving_a_post_away_from_the_posts_that_stay(org):
    # Kepala Seksi Kurikulum moves to Bidang SMK under its Kabid: its own line holds, but
    # Analis Kurikulum, not in the file, stays in Seksi Kurikulum.
    rows = [POSITION_HEADER, _row(org.kasi, org.smk, org.kabid_smk, kind="pengawas")]
    outcome = _import(org.admin, rows, PositionImporter)
    assert [(e.row, e.column, e.message) for e in outcome.errors] == [
        (
            2,
            "unit_code",
            "Analis Kurikulum melapor kepada jabatan ini tetapi tidak lagi berada di Bidang SMK "
            "atau unit di bawahnya. Ubah dulu garis pelaporan mereka.",
        )
    ]
    # Moving Analis Kurikulum along in the same file makes it valid.
    rows.append(_row(org.analis_kur, org.smk, org.kasi))
    outcome = _import(org.admin, rows, PositionImporter)
    assert outcome.valid, [(e.row, e.message) for e in outcome.errors]
    assert Position.objects.get(pk=org.analis_kur.pk).unit == org.smk


def test_the_line_checks_read_nothing_per_row(org):
    """A file of 40 rows reads the database as often as one of 4: the rules run in memory."""

    def queries(n: int) -> int:
        rows = [POSITION_HEADER] + [
            [
                f"SMA-N{i}",
                f"Pengolah {i}",
                org.w.division_a.code,
                "pelaksana",
                "tidak",
                org.kabid.code if i % 2 else org.kadis.code,
            ]  # fmt: skip
            for i in range(n)
        ]
        with CaptureQueriesContext(connection) as captured:
            outcome = _import(org.admin, rows, PositionImporter)
        assert outcome.valid, [(e.row, e.message) for e in outcome.errors]
        Position.objects.filter(code__startswith="SMA-N").delete()
        return len(captured)

    queries(4)  # the first import also opens the instansi's audit chain
    assert queries(40) == queries(4)


# A line set to start later takes effect on its day: sync_reporting_lines --------------------


def test_a_future_line_reaches_the_readers_on_its_day_and_the_daily_sync_follows(org):
    import io

    from django.core.management import call_command
    from django.utils import timezone

    from kinerja.organisations import selectors

    today = timezone.localdate()
    day = today + dt.timedelta(days=10)
    services.reporting_line_set(
        actor=org.admin,
        scope=org.scope,
        position=org.analis_kur,
        reports_to=org.kabid,
        valid_from=day,
        reason="SOTK baru",
    )
    cached = lambda: Position.objects.get(pk=org.analis_kur.pk).reports_to_id  # noqa: E731
    assert cached() == org.kasi.pk  # today's line still runs to the Kasi
    # The selectors read the dated lines: on the day the new superior answers, sync or not.
    assert selectors.superior_of(org.joko, day - dt.timedelta(days=1)).employee == org.wati
    assert selectors.superior_of(org.joko, day).employee == org.hartono

    out = io.StringIO()
    call_command("sync_reporting_lines", date=day.isoformat(), stdout=out)
    assert cached() == org.kabid.pk
    assert "1 jabatan berubah." in out.getvalue()
    event = AuditEvent.objects.get(action="position.reporting_line_sync")
    assert (event.target_id, event.actor_id) == (str(org.analis_kur.pk), None)
    assert event.changes == {"reports_to": [org.kasi.pk, org.kabid.pk]}
    assert event.unit_path == org.section.path  # the agency's auditors see it

    # Idempotent: the same day again changes and records nothing.
    out = io.StringIO()
    call_command("sync_reporting_lines", date=day.isoformat(), stdout=out)
    assert "0 jabatan berubah." in out.getvalue()
    assert AuditEvent.objects.filter(action="position.reporting_line_sync").count() == 1
    # A day before the line, the sync brings the cache back: it follows the dated lines only.
    assert services.reporting_lines_sync(org.w.instansi.pk, day - dt.timedelta(days=1)) == 1
    assert cached() == org.kasi.pk


def test_the_sync_command_refuses_a_bad_date_or_instansi(db):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("sync_reporting_lines", date="31-12-2025")
    with pytest.raises(CommandError, match="tidak-ada"):
        call_command("sync_reporting_lines", instansi="tidak-ada")
