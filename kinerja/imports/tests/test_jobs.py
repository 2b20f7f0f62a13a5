"""The life of an import job: errors as a workbook, heartbeat, reaper, retry, per-row audit."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from python_calamine import CalamineWorkbook

from kinerja.audit.models import AuditEvent
from kinerja.audit.services import record
from kinerja.audit.verification import verify
from kinerja.imports import base, jobs
from kinerja.imports.columns import Column, as_text
from kinerja.imports.engine import import_run
from kinerja.imports.models import ImportJob
from kinerja.imports.readers import Table
from kinerja.organisations.models import Employee
from kinerja.organisations.nip import make_nip

NIPS = [make_nip(dt.date(1991, 2, 1 + n), dt.date(2016, 4, 1), "f", n + 1) for n in range(5)]
DEAD = "The import stopped unexpectedly (the worker died); nothing was written. You can try again."


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def login(client, settings):
    def _login(user, language="en"):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return _login


def staff_csv(n=3, unit="DIKBUD-SMA", name="staff.csv") -> SimpleUploadedFile:
    lines = ["nip;name;status;unit_code"] + [f"{NIPS[i]};Pegawai {i};pns;{unit}" for i in range(n)]
    return SimpleUploadedFile(name, "\n".join(lines).encode())


def make_job(world, user="bkd", **fields) -> ImportJob:
    defaults = {
        "instansi": world.instansi,
        "created_by": world.users[user] if user else None,
        "kind": "employees",
        "file": "imports/x.csv",
        "original_name": "x.csv",
        "language": "en",
    }
    return ImportJob.objects.create(**{**defaults, **fields})


def errors(n: int) -> list[dict]:
    return [
        {"row": 2 + i, "column": "nip", "value": f"12{i}", "message": "NIP must be 18 digits."}
        for i in range(n)
    ]


# --- point 5: the error list -----------------------------------------------------------------


def test_the_error_list_downloads_as_a_workbook_with_every_stored_error(world, login):
    stored = errors(1200)
    stored[0]["value"] = "=HYPERLINK(1)"
    job = make_job(world, status="invalid", errors=stored, error_count=1500)
    client = login(world.users["bkd"], language="id")

    response = client.get(reverse("imports:importjob_errors", args=[job.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'kinerja-import-{job.pk}-errors.xlsx"')
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    rows = rows.to_python()
    assert rows[0] == ["Baris", "Kolom", "Nilai", "Pesan"]
    assert len(rows) == 1 + 1200 + 1
    assert rows[1] == [2, "nip", "=HYPERLINK(1)", "NIP must be 18 digits."]
    assert rows[1200][:3] == [1201, "nip", "121199"]
    assert "300" in rows[-1][3]
    # The typed value stays text: Excel shows it, it does not run it.
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["C2"].data_type == "s"


def test_only_who_sees_the_job_downloads_its_errors(world, login):
    job = make_job(world, user="bkd", status="invalid", errors=errors(2), error_count=2)
    url = reverse("imports:importjob_errors", args=[job.pk])
    assert login(world.users["opd_admin"]).get(url).status_code == 404
    assert login(world.users["employee"]).get(url).status_code == 403
    assert login(world.users["system_admin"]).get(url).status_code == 200


def test_the_job_page_shows_the_errors_a_page_at_a_time_with_a_download_link(world, login):
    job = make_job(world, status="invalid", errors=errors(1200), error_count=1200)
    client = login(world.users["bkd"])

    page = client.get(job.get_absolute_url()).content.decode()

    table = page.split('id="import-errors"')[1].split("</table>")[0]
    assert table.count("<tr>") == 1 + 50
    assert "<code>120</code>" in table and "<code>1249</code>" in table
    assert "<code>1250</code>" not in table
    assert "Errors 1-50 of 1200." in page
    assert reverse("imports:importjob_errors", args=[job.pk]) in page
    partial = client.get(
        job.get_absolute_url() + "?errors_page=3", headers={"HX-Request": "true"}
    ).content.decode()
    table = partial.split('id="import-errors"')[1].split("</table>")[0]
    assert table.count("<tr>") == 1 + 50
    assert "<td>102</td>" in table and "<td>151</td>" in table and "<td>101</td>" not in table


def test_a_file_with_ten_thousand_errors_keeps_them_all(world):
    user = world.users["bkd"]
    lines = ["nip;name;status;unit_code"] + [f"12{i};X;pns;DIKBUD-SMA" for i in range(10_050)]
    upload = SimpleUploadedFile("bad.csv", "\n".join(lines).encode())
    job = jobs.importjob_create(
        actor=user, scope=jobs.scope_for_user(user), kind="employees", upload=upload
    )

    job = jobs.importjob_run(job=job)

    assert (job.status, job.error_count, len(job.errors)) == ("invalid", 10_050, 10_000)
    assert job.hidden_error_count == 50
    assert job.errors[9_999]["row"] == 10_001


# --- point 6: heartbeat, reaper, retry -------------------------------------------------------


def test_the_reaper_fails_running_jobs_whose_heartbeat_stopped(world, settings):
    settings.KINERJA_IMPORT_HEARTBEAT_TIMEOUT = 60
    now = timezone.now()
    dead = make_job(
        world,
        status="validating",
        started_at=now - dt.timedelta(minutes=5),
        heartbeat_at=now - dt.timedelta(seconds=61),
    )
    writing = make_job(
        world,
        status="importing",
        started_at=now - dt.timedelta(minutes=5),
        heartbeat_at=now - dt.timedelta(seconds=30),
    )
    never_beat = make_job(
        world, status="importing", started_at=now - dt.timedelta(minutes=2), heartbeat_at=None
    )
    finished = make_job(
        world,
        status="done",
        started_at=now - dt.timedelta(hours=1),
        heartbeat_at=now - dt.timedelta(hours=1),
    )

    reaped = jobs.importjob_reap(now=now)

    assert sorted(reaped) == sorted([dead.pk, never_beat.pk])
    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses == {
        dead.pk: "failed",
        writing.pk: "importing",
        never_beat.pk: "failed",
        finished.pk: "done",
    }
    dead.refresh_from_db()
    assert dead.message == DEAD and dead.finished_at == now
    event = AuditEvent.objects.get(action="import.reaped", target_id=str(dead.pk))
    assert event.changes["status"] == ["validating", "failed"]
    assert jobs.importjob_reap(now=now) == []


def test_the_reaper_speaks_the_language_of_the_job(world):
    job = make_job(
        world,
        status="validating",
        language="id",
        heartbeat_at=timezone.now() - dt.timedelta(minutes=5),
    )
    jobs.importjob_reap()
    job.refresh_from_db()
    assert job.message == (
        "Impor berhenti tanpa diduga (pekerja latar mati); tidak ada yang ditulis."
        " Anda dapat mencobanya lagi."
    )


def test_a_job_that_died_after_its_commit_is_marked_done_not_failed(world):
    job = make_job(
        world,
        status="importing",
        total_rows=3,
        heartbeat_at=timezone.now() - dt.timedelta(minutes=5),
    )
    # What _commit writes with the rows, in the same transaction.
    record(
        actor=None,
        action="import.employees",
        target=job,
        target_type="imports.importjob",
        changes={"created": 3, "updated": 0, "unchanged": 0, "rows": 3},
    )
    jobs.importjob_reap()
    job.refresh_from_db()
    assert (job.status, job.counts, job.processed_rows) == (
        "done",
        {"created": 3, "updated": 0, "unchanged": 0},
        3,
    )


def test_a_waiting_job_whose_task_is_gone_is_failed_but_one_in_the_queue_waits(world, settings):
    from django_tasks_db.models import DBTaskResult

    from kinerja.imports.tasks import run_import_job

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    old = timezone.now() - dt.timedelta(minutes=10)
    queued, orphan = make_job(world), make_job(world)
    ImportJob.objects.update(created_at=old)
    run_import_job.enqueue(queued.pk)
    assert DBTaskResult.objects.count() == 1

    assert jobs.importjob_reap() == [orphan.pk]

    queued.refresh_from_db(), orphan.refresh_from_db()
    assert (queued.status, orphan.status) == ("pending", "failed")
    assert "background task is gone" in orphan.message


def test_the_job_pages_reap_dead_jobs(world, login):
    job = make_job(world, status="importing", heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    client = login(world.users["bkd"])

    page = client.get(job.get_absolute_url()).content.decode()

    assert DEAD in page
    assert 'data-testid="retry"' in page


def test_the_import_reap_command_reports_what_it_failed(world):
    from django.core.management import call_command

    job = make_job(world, status="validating", heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    out = io.StringIO()
    call_command("import_reap", stdout=out)
    assert out.getvalue().strip() == f"Reaped 1 import job(s): #{job.pk}"


def test_a_running_job_beats_while_it_checks_rows(world, monkeypatch, transactional_db):
    """The heartbeat thread keeps beating even when no progress is reported."""
    import time

    monkeypatch.setattr(jobs, "HEARTBEAT_EVERY", 0.05)
    beats = []

    class Slow(FakeImporter):
        kind = "slow-test"

        def check(self, row, values):
            time.sleep(0.4)
            beats.append(ImportJob.objects.values_list("heartbeat_at", flat=True).get())

    base.register(Slow)
    try:
        user = world.users["bkd"]
        job = jobs.importjob_create(
            actor=user,
            scope=jobs.scope_for_user(user),
            kind="slow-test",
            upload=SimpleUploadedFile("s.csv", b"code;name\nA;a\nB;b\nC;c\n"),
            dry_run=True,
        )
        job = jobs.importjob_run(job=job)
    finally:
        base._registry.pop("slow-test")

    assert job.status == "done"
    assert len(set(beats)) == 3 and beats == sorted(beats)


def test_a_failed_job_is_retried_from_its_stored_file(world, login):
    user = world.users["bkd"]
    job = jobs.importjob_create(
        actor=user,
        scope=jobs.scope_for_user(user),
        kind="employees",
        upload=staff_csv(3),
        total_rows=3,
    )
    ImportJob.objects.filter(pk=job.pk).update(status="failed", message=DEAD)
    client = login(world.users["system_admin"])

    response = client.post(reverse("imports:importjob_retry", args=[job.pk]))

    retry = ImportJob.objects.get(retry_of=job)
    assert response["Location"] == retry.get_absolute_url()
    assert (retry.status, retry.attempt, retry.created_by) == (
        "done",
        2,
        world.users["system_admin"],
    )
    assert retry.counts["created"] == 3
    assert Employee.objects.filter(nip__in=NIPS[:3]).count() == 3
    event = AuditEvent.objects.get(action="import.retry")
    assert (event.target_id, event.changes) == (str(retry.pk), {"retry_of": job.pk, "attempt": 2})
    # Once: a second click does not import the file twice.
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'data-testid="retry"' not in page and retry.get_absolute_url() in page
    client.post(reverse("imports:importjob_retry", args=[job.pk]))
    assert ImportJob.objects.filter(retry_of=job).count() == 1


def test_a_large_retry_goes_to_the_worker(world, login, settings):
    from django_tasks.signals import task_enqueued

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.KINERJA_IMPORT_BACKGROUND_ROWS = 2
    job = make_job(world, status="failed", total_rows=3)
    enqueued = []

    def remember(sender, task_result, **kwargs):
        enqueued.append(task_result.args)

    task_enqueued.connect(remember)
    try:
        login(world.users["bkd"]).post(reverse("imports:importjob_retry", args=[job.pk]))
    finally:
        task_enqueued.disconnect(remember)

    retry = ImportJob.objects.get(retry_of=job)
    assert (enqueued, retry.status) == ([[retry.pk]], "pending")


def test_only_failed_jobs_of_ones_own_scope_are_retried(world, login):
    bkd_job = make_job(world, user="bkd", status="failed")
    done_job = make_job(world, user="opd_admin", status="done")
    admin = login(world.users["opd_admin"])
    url = reverse("imports:importjob_retry", args=[bkd_job.pk])

    assert admin.post(url).status_code == 404
    assert admin.get(reverse("imports:importjob_retry", args=[done_job.pk])).status_code == 405
    response = admin.post(reverse("imports:importjob_retry", args=[done_job.pk]), follow=True)
    assert "Only a failed import can be tried again." in response.content.decode()
    assert login(world.users["employee"]).post(url).status_code == 403
    assert not ImportJob.objects.filter(retry_of__isnull=False).exists()
    with pytest.raises(ValidationError):
        jobs.importjob_retry(
            actor=world.users["bkd"], scope=jobs.scope_for_user(world.users["bkd"]), job=done_job
        )


# --- point 8: per-row audit events -----------------------------------------------------------


class FakeImporter(base.Importer):
    """Codes and names; ``A`` exists, the other codes are new."""

    kind = "fake-test"
    label = "Fake"
    columns = (Column("code", as_text, required=True), Column("name", as_text))
    key = ("code",)

    def prepare(self, column):
        self.rows = []

    def check(self, row, values):
        self.rows.append(values)

    def counts(self):
        return {"created": len(self.rows) - 1, "updated": 1, "unchanged": 0}

    def write(self):
        self.written = True

    def audit_entries(self):
        assert self.written  # after write(), so ids of new rows are known
        for n, values in enumerate(self.rows, start=1):
            new = values["code"] != "A"
            yield {
                "action": "create" if new else "update",
                "target_type": "tests.thing",
                "target_id": 100 + n,
                "target_repr": values["name"],
                "unit_id": None,
                "unit_path": "",
                "changes": {"name": [None if new else "old", values["name"]]},
            }


@pytest.fixture
def fake_importer():
    base.register(FakeImporter)
    yield FakeImporter
    base._registry.pop(FakeImporter.kind)


def test_each_imported_row_is_an_event_in_its_objects_history(world, fake_importer):
    user = world.users["bkd"]
    scope = jobs.scope_for_user(user)
    job = make_job(world, kind="fake-test", original_name="things.csv")
    table = Table(headers=["code", "name"], rows=[["A", "Alpha"], ["B", "Beta"], ["C", "Gamma"]])

    outcome = import_run(
        actor=user,
        scope=scope,
        importer=fake_importer,
        table=table,
        job=job,
        file_name="things.csv",
    )

    assert outcome.valid
    events = AuditEvent.objects.order_by("sequence")
    assert [(e.action, e.target_id, e.target_repr) for e in events] == [
        ("import.fake-test", str(job.pk), "things.csv"),
        ("import.fake-test.update", "101", "Alpha"),
        ("import.fake-test.create", "102", "Beta"),
        ("import.fake-test.create", "103", "Gamma"),
    ]
    rows = events.exclude(action="import.fake-test")
    assert {e.reason for e in rows} == {f"Import #{job.pk}: things.csv"}
    assert {(e.actor_id, e.instansi_id) for e in rows} == {(user.pk, world.instansi.pk)}
    assert rows.get(target_id="101").changes == {"name": ["old", "Alpha"]}
    report = verify()
    assert (report.events, report.problems) == (4, [])


def test_a_dry_run_writes_no_row_events(world, fake_importer):
    user = world.users["bkd"]
    table = Table(headers=["code", "name"], rows=[["B", "Beta"]])
    import_run(
        actor=user,
        scope=jobs.scope_for_user(user),
        importer=fake_importer,
        table=table,
        dry_run=True,
    )
    assert not AuditEvent.objects.exists()


def test_the_job_page_speaks_indonesian(world, login):
    client = login(world.users["bkd"], language="id")
    invalid = make_job(world, status="invalid", errors=errors(2), error_count=2, language="id")
    failed = make_job(
        world,
        status="importing",
        language="id",
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )

    page = client.get(invalid.get_absolute_url()).content.decode()
    assert "Unduh daftar kesalahan (.xlsx)" in page and "<th>Nilai</th>" in page
    page = client.get(failed.get_absolute_url()).content.decode()
    assert "pekerja latar mati" in page and "Coba lagi" in page
