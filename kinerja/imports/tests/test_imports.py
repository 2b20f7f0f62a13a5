"""The import engine's pages, jobs, background task, templates, readers and command."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django_tasks.signals import task_enqueued

from kinerja.audit.models import AuditEvent
from kinerja.imports import jobs
from kinerja.imports.models import ImportJob
from kinerja.imports.readers import ImportFileError, read_table
from kinerja.organisations.models import Assignment, Employee
from kinerja.organisations.nip import make_nip

NIPS = [make_nip(dt.date(1990, 1, 2 + n), dt.date(2015, 3, 1), "m", n + 1) for n in range(5)]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def login(client, settings):
    """Sign in and ask for English pages, so that the assertions read in one language."""

    def _login(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _login


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def staff_file(n=3, unit="DIKBUD-SMA", name="staff.xlsx"):
    rows = [["nip", "name", "status", "unit_code"]]
    rows += [[NIPS[i], f"Pegawai {i}", "pns", unit] for i in range(n)]
    return SimpleUploadedFile(name, xlsx(rows))


def upload(client, file, kind="employees", dry_run=False):
    data = {"kind": kind, "file": file}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("imports:import_start"), data)


# --- readers ---------------------------------------------------------------------------------


def test_csv_reader_sniffs_semicolons_and_drops_the_bom():
    data = "\ufeffnip;name\r\n1;Siti, S.Pd.\r\n".encode()
    table = read_table(io.BytesIO(data), "a.CSV")
    assert table.headers == ["nip", "name"]
    assert list(table.rows) == [["1", "Siti, S.Pd."]]


def test_csv_reader_reads_commas_too():
    table = read_table(io.BytesIO(b'nip,name\n1,"Siti; Aminah"\n\n'), "a.csv")
    assert (list(table.rows)[0], table.row_count) == (["1", "Siti; Aminah"], 1)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4", "staff.pdf", "not '.pdf'"),
        (b"not a zip file", "staff.xlsx", "could not be read as an Excel workbook"),
        ("nip;nama\n1;Jos\xe9\n".encode("latin-1"), "staff.csv", "not UTF-8"),
        (b"", "staff.csv", "empty"),
    ],
)
def test_unreadable_files_give_a_clear_message(data, name, message):
    with pytest.raises(ImportFileError, match=message):
        read_table(io.BytesIO(data), name)


def test_xlsx_rows_are_numbered_as_excel_shows_them_and_the_guide_sheet_is_skipped():
    workbook = openpyxl.Workbook()
    workbook.active.title = "Petunjuk"
    data = workbook.create_sheet("data")
    data["B3"], data["B4"] = "nip", "123"
    out = io.BytesIO()
    workbook.save(out)
    table = read_table(io.BytesIO(out.getvalue()), "x.xlsx")
    assert (table.header_row, table.headers, list(table.rows)) == (3, ["nip"], [["123"]])


# --- pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("system_admin", 200),
        ("bkd", 200),
        ("opd_admin", 200),
        ("leadership", 403),
        ("inspektorat", 403),
        ("opd_head", 403),
        ("employee", 403),
    ],
)
def test_only_importers_reach_the_import_pages(world, login, role, status):
    client = login(world.users[role])
    for name, args in [
        ("imports:import_start", []),
        ("imports:importjob_list", []),
        ("imports:import_template", ["employees"]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == status


def test_anonymous_callers_are_sent_to_sign_in(client, world):
    response = client.get(reverse("imports:import_start"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_small_file_is_imported_in_the_request(world, login):
    client = login(world.users["bkd"])

    response = upload(client, staff_file(3))

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert (job.status, job.total_rows, job.processed_rows) == ("done", 3, 3)
    assert job.counts == {"created": 3, "updated": 0, "unchanged": 0}
    assert Employee.objects.filter(nip__in=NIPS).count() == 3
    event = AuditEvent.objects.get(action="import.employees")
    assert (event.target_id, event.changes["created"]) == (str(job.pk), 3)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'data-count="created">3<' in page
    assert "hx-trigger" not in page


def test_an_invalid_file_shows_every_error_and_writes_nothing(world, login):
    client = login(world.users["opd_admin"])
    rows = [
        ["nip", "name", "status", "unit_code"],
        [NIPS[0], "A", "pns", "DIKBUD"],
        [NIPS[1], "B", "pns", "DINKES"],
        ["12345", "C", "pns", "DIKBUD"],
    ]

    upload(client, SimpleUploadedFile("bad.xlsx", xlsx(rows)))

    job = ImportJob.objects.get()
    assert (job.status, job.error_count) == ("invalid", 2)
    assert job.errors == [
        {
            "row": 3,
            "column": "unit_code",
            "value": "DINKES",
            "message": "Unknown unit code 'DINKES'.",
        },
        {"row": 4, "column": "nip", "value": "12345", "message": "NIP must be exactly 18 digits."},
    ]
    assert not Employee.objects.filter(nip=NIPS[0]).exists()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "The file has 2 errors; nothing was written." in page
    assert "Unknown unit code &#x27;DINKES&#x27;." in page


def test_a_dry_run_reports_what_would_happen(world, login):
    client = login(world.users["bkd"])
    upload(client, staff_file(2), dry_run=True)
    job = ImportJob.objects.get()
    assert (job.status, job.dry_run, job.counts["created"]) == ("done", True, 2)
    assert not Employee.objects.filter(nip__in=NIPS).exists()
    assert not AuditEvent.objects.filter(action="import.employees").exists()
    assert "would create 2" in client.get(job.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("staff.txt", b"nip\n1\n"), "not &#x27;staff.txt&#x27;"),
        (SimpleUploadedFile("staff.xlsx", b"PK\x03\x04broken"), "could not be read"),
        (SimpleUploadedFile("staff.csv", b"x" * 300), "files up to 200"),
    ],
)
def test_bad_uploads_get_a_message_not_a_500(world, login, settings, file, message):
    settings.KINERJA_IMPORT_MAX_BYTES = 200
    response = upload(login(world.users["bkd"]), file)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_large_file_goes_to_the_background_task(world, login, settings):
    settings.KINERJA_IMPORT_BACKGROUND_ROWS = 4
    enqueued = []

    def remember(sender, task_result, **kwargs):
        enqueued.append(task_result.args)

    task_enqueued.connect(remember)
    try:
        upload(login(world.users["bkd"]), staff_file(5))
    finally:
        task_enqueued.disconnect(remember)

    job = ImportJob.objects.get()
    assert enqueued == [[job.pk]]
    # The test settings run tasks at once; a worker would do the same later.
    assert (job.status, job.processed_rows, job.counts["created"]) == ("done", 5, 5)


def test_the_job_page_polls_its_progress_until_the_job_ends(world, login):
    client = login(world.users["bkd"])
    job = ImportJob.objects.create(
        instansi=world.instansi,
        created_by=world.users["bkd"],
        kind="employees",
        file="imports/x.xlsx",
        original_name="x.xlsx",
        status="validating",
        total_rows=80_330,
        processed_rows=20_083,
    )
    url = job.get_absolute_url()

    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert partial.lstrip().startswith('<div id="import-job-status"')
    assert 'hx-trigger="every 1s"' in partial
    assert "width: 25%" in partial
    assert "<html" not in partial
    job.status, job.processed_rows, job.counts = "done", 80_330, {"created": 80_330}
    job.save()
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial
    assert "width: 100%" in partial


def test_progress_is_saved_while_rows_are_checked(world, monkeypatch):
    monkeypatch.setattr("kinerja.imports.engine.PROGRESS_EVERY", 2)
    monkeypatch.setattr(jobs, "SAVE_PROGRESS_EVERY", 0)
    user = world.users["bkd"]
    file = staff_file(5)
    job = jobs.importjob_create(
        actor=user, scope=jobs.scope_for_user(user), kind="employees", upload=file
    )
    seen = []

    def spy(phase, done, total):
        stored = ImportJob.objects.values_list("status", "processed_rows").get(pk=job.pk)
        seen.append((phase, done, total, *stored))

    jobs.importjob_run(job=job, progress=spy)

    assert seen == [
        ("validating", 2, 5, "validating", 2),
        ("validating", 4, 5, "validating", 4),
        ("validating", 5, 5, "validating", 5),
        ("importing", 5, 5, "importing", 5),
    ]


def test_jobs_are_seen_only_by_their_instansi_and_unit_importers_see_their_own(world, login):
    bkd_job = ImportJob.objects.create(
        instansi=world.instansi,
        created_by=world.users["bkd"],
        kind="employees",
        file="imports/a.xlsx",
        original_name="bkd.xlsx",
    )
    own_job = ImportJob.objects.create(
        instansi=world.instansi,
        created_by=world.users["opd_admin"],
        kind="employees",
        file="imports/b.xlsx",
        original_name="dikbud.xlsx",
    )
    other = ImportJob.objects.create(
        instansi=world.other_instansi,
        created_by=None,
        kind="units",
        file="imports/c.xlsx",
        original_name="malang.xlsx",
    )
    admin = login(world.users["opd_admin"])
    assert admin.get(bkd_job.get_absolute_url()).status_code == 404
    assert admin.get(own_job.get_absolute_url()).status_code == 200
    listing = admin.get(reverse("imports:importjob_list")).content.decode()
    assert "dikbud.xlsx" in listing and "bkd.xlsx" not in listing
    bkd = login(world.users["bkd"])
    assert bkd.get(own_job.get_absolute_url()).status_code == 200
    assert bkd.get(other.get_absolute_url()).status_code == 404
    listing = bkd.get(reverse("imports:importjob_list")).content.decode()
    assert "dikbud.xlsx" in listing and "malang.xlsx" not in listing


def test_a_job_fails_cleanly_when_the_uploader_lost_the_right_to_import(world):
    user = world.users["opd_admin"]
    job = jobs.importjob_create(
        actor=user, scope=jobs.scope_for_user(user), kind="employees", upload=staff_file(1)
    )
    user.role_assignments.all().delete()
    job = jobs.importjob_run(job=job)
    assert (job.status, job.message) == ("failed", "The uploader may no longer import data.")
    assert not Employee.objects.filter(nip=NIPS[0]).exists()


# --- templates -------------------------------------------------------------------------------


def test_the_template_downloads_and_reimports_after_filling_one_row(world, login):
    client = login(world.users["bkd"])

    response = client.get(reverse("imports:import_template", args=["employees"]))

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('kinerja-employees-template.xlsx"')
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["employees", "Petunjuk"]
    sheet = workbook["employees"]
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["NIP", "Nama", "Status", "Kode Unit", "Unit", "Kode Jabatan"]
    assert sheet["A2"].value == "198503142005012001"  # a woman's NIP, as the example says
    guide = {row[0]: row for row in workbook["Petunjuk"].iter_rows(values_only=True) if row[0]}
    assert guide["NIP"][1:3] == ("nip", "column required, cell may be empty")
    assert guide["Status"][2:5] == ("yes", "one of the allowed values", "pns, pppk, non_asn")
    assert guide["Email"][2] == "no"
    assert guide["Aktif"][3] == "yes / no"

    example = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert (example["Jenis Kelamin"], example["Aktif"]) == ("Female", "yes")
    example.update(
        {"NIP": NIPS[0], "Kode Unit": "DIKBUD-SMA", "Kode Jabatan": "DIKBUD-SMA-01"},
        **{"Jenis Kelamin": None, "Tanggal Lahir": None},
    )
    for position, name in enumerate(header, start=1):
        sheet.cell(row=2, column=position).value = example[name]
    out = io.BytesIO()
    workbook.save(out)
    upload(client, SimpleUploadedFile("filled.xlsx", out.getvalue()))

    job = ImportJob.objects.get()
    assert (job.status, job.counts["created"]) == ("done", 1), job.errors
    siti = Employee.objects.get(nip=NIPS[0])
    assert (siti.name, siti.back_title, siti.grade) == ("Siti Aminah", "S.Pd.", "III/a")
    assert Assignment.objects.get(employee=siti).position == world.staff_pos_a


def test_unknown_template_kind_is_404(world, login):
    client = login(world.users["bkd"])
    assert client.get(reverse("imports:import_template", args=["nope"])).status_code == 404


# --- command line ----------------------------------------------------------------------------


def test_the_command_imports_with_a_users_rights(world, tmp_path):
    path = tmp_path / "staff.xlsx"
    path.write_bytes(staff_file(3).read())
    out = io.StringIO()

    call_command("import_employees", str(path), "--user", "opd_admin", stdout=out, verbosity=0)

    assert "Created 3, update 0, unchanged 0" in out.getvalue()
    job = ImportJob.objects.get()
    assert (job.created_by, job.status) == (world.users["opd_admin"], "done")
    # Filed under the agency, so that the agency's own auditors see it.
    event = AuditEvent.objects.get(action="import.employees")
    assert (event.actor, event.unit_id) == (world.users["opd_admin"], world.agency_a.pk)


def test_the_command_lists_errors_and_fails_on_an_invalid_file(world, tmp_path):
    path = tmp_path / "staff.csv"
    lines = ["nip;name;status;unit_code"] + [f"{n};X;pns;DINKES" for n in NIPS]
    path.write_text("\n".join(lines), encoding="utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError, match="5 errors in staff.csv; nothing was written"):
        call_command("import_employees", str(path), "--user", "opd_admin", stderr=err, verbosity=0)

    assert err.getvalue().splitlines()[0] == ("row 2 [unit_code]: Unknown unit code 'DINKES'.")
    assert not Employee.objects.filter(nip__in=NIPS).exists()


def test_the_command_without_a_user_needs_the_instansi_when_there_are_several(world, tmp_path):
    path = tmp_path / "staff.xlsx"
    path.write_bytes(staff_file(2).read())
    with pytest.raises(CommandError, match="--instansi"):
        call_command("import_employees", str(path), "--dry-run", verbosity=0)
    out = io.StringIO()
    call_command(
        "import_employees", str(path), "--dry-run", "--instansi", "jatim", stdout=out, verbosity=0
    )
    assert "would create 2" in out.getvalue()
    assert not Employee.objects.filter(nip__in=NIPS).exists()


# --- the bulk writer -------------------------------------------------------------------------


def test_insert_rows_returns_ids_in_order_and_fills_defaults_and_timestamps(world):
    from kinerja.core.bulk import insert_rows

    fields = ("instansi_id", "employee_id", "unit_id", "valid_from")
    rows = [
        (world.instansi.pk, world.staff_b.pk, world.agency_b.pk, dt.date(2024, 1, 2)),
        (world.instansi.pk, world.honorer_b.pk, world.agency_b.pk, dt.date(2023, 5, 6)),
    ]

    ids = insert_rows(Assignment, fields, rows, return_ids=True)

    made = {a.pk: a for a in Assignment.objects.filter(pk__in=ids)}
    assert [made[pk].employee for pk in ids] == [world.staff_b, world.honorer_b]
    assert [made[pk].valid_from for pk in ids] == [dt.date(2024, 1, 2), dt.date(2023, 5, 6)]
    first = made[ids[0]]
    assert (first.valid_to, first.note, first.position) == (None, "", None)
    assert first.created_at is not None and first.created_at == first.updated_at


def test_insert_rows_writes_shared_values_once_for_every_row_and_refuses_bad_ones(world):
    from kinerja.core.bulk import insert_rows

    rows = [(world.staff_b.pk, dt.date(2024, 1, 2)), (world.honorer_b.pk, dt.date(2023, 5, 6))]
    same = {"instansi_id": world.instansi.pk, "unit_id": world.agency_b.pk, "note": "impor"}

    ids = insert_rows(Assignment, ("employee_id", "valid_from"), rows, return_ids=True, same=same)

    made = Assignment.objects.filter(pk__in=ids).order_by("valid_from")
    assert [(a.employee_id, a.unit_id, a.note) for a in made] == [
        (world.honorer_b.pk, world.agency_b.pk, "impor"),
        (world.staff_b.pk, world.agency_b.pk, "impor"),
    ]
    with pytest.raises(ValueError, match="shared columns"):
        insert_rows(Assignment, ("employee_id", "valid_from"), rows, same={"valid_from": None})
    with pytest.raises(ValueError, match="shared columns"):
        insert_rows(Assignment, ("employee_id",), [(1,)], same={"no_such_column": 1})
    # A short row is found while writing; the caller's transaction (a savepoint here) undoes it.
    with pytest.raises(ValueError, match="a row of 1 values for 2 columns"), transaction.atomic():
        insert_rows(Assignment, ("employee_id", "valid_from"), [(1,)], same=same)
    assert Assignment.objects.filter(note="impor").count() == 2


def test_a_job_left_waiting_warns_that_the_worker_may_be_down(world, login):
    import datetime as dt

    from django.utils import timezone

    from kinerja.imports.models import ImportJob

    job = ImportJob.objects.create(
        instansi=world.instansi,
        created_by=world.users["bkd"],
        kind="employees",
        original_name="besar.xlsx",
        file="imports/besar.xlsx",
        total_rows=5000,
    )
    client = login(world.users["bkd"])
    assert 'data-testid="worker-warning"' not in client.get(job.get_absolute_url()).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=2))
    body = client.get(job.get_absolute_url()).content.decode()
    assert 'data-testid="worker-warning"' in body


@pytest.mark.parametrize(("threshold", "analyzed"), [(3, 1), (4, 0)])
def test_a_large_import_refreshes_the_planner_statistics(
    world, login, settings, monkeypatch, threshold, analyzed
):
    # 3 rows written: ANALYZE runs when the threshold is 3, not when it is 4.
    settings.KINERJA_ANALYZE_AFTER_ROWS = threshold
    calls = []
    monkeypatch.setattr("kinerja.imports.engine.analyze", lambda *a, **k: calls.append(a))
    client = login(world.users["bkd"])

    upload(client, staff_file(3))

    assert ImportJob.objects.get().counts["created"] == 3
    assert len(calls) == analyzed
