"""Hostile and large files: sheet extent limits, streamed rows, blank headers, empty files,
and the download of a job's own file."""

import datetime as dt
import io
import json
import os
import resource
import time
import tracemalloc
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl.styles import Font

from kinerja.audit.models import AuditEvent
from kinerja.imports import jobs
from kinerja.imports.models import ImportJob
from kinerja.imports.readers import ImportFileError, read_table
from kinerja.organisations.models import Employee
from kinerja.organisations.nip import make_nip

from .test_imports import NIPS, upload


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def login(client, settings):
    def _login(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _login


def workbook(rows, *, far=None, far_value=" ") -> bytes:
    """Return an .xlsx of ``rows``; ``far`` names a styled cell far away holding ``far_value``."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if far:
        sheet[far].value = far_value
        sheet[far].font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def staff_rows(n=3):
    return [["nip", "name", "status", "unit_code"]] + [
        [NIPS[i], f"Pegawai {i}", "pns", "DIKBUD-SMA"] for i in range(n)
    ]


def in_child(work, memory_mib=400):
    """Run ``work`` in a forked child whose address space may grow by ``memory_mib`` only.

    Return ``work``'s answer, or fail the test when the child is killed or aborts (as the old
    reader did when asked for a 550 GB grid).
    """
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read)
        code = 0
        try:
            with open("/proc/self/status") as status:
                vm = next(int(line.split()[1]) for line in status if line.startswith("VmSize"))
            limit = vm * 1024 + memory_mib * 2**20
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            os.write(write, json.dumps(work()).encode())
        except BaseException as exc:  # noqa: BLE001
            os.write(write, json.dumps({"error": repr(exc)}).encode())
            code = 1
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read) as pipe:
        answer = pipe.read()
    _pid, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status), f"the reader died with signal {os.WTERMSIG(status)}"
    return json.loads(answer)


# --- the sheet's extent ------------------------------------------------------------------------


def test_a_blank_cell_at_xfd1048576_costs_nothing():
    data = workbook(staff_rows(2), far="XFD1048576")
    assert len(data) < 6000

    def read():
        started = time.perf_counter()
        table = read_table(io.BytesIO(data), "staff.xlsx")
        rows = [list(map(str, row)) for row in table.rows]
        return {"rows": rows, "count": table.row_count, "seconds": time.perf_counter() - started}

    answer = in_child(read)

    assert answer["rows"] == [[NIPS[0], "Pegawai 0", "pns", "DIKBUD-SMA"]] + [
        [NIPS[1], "Pegawai 1", "pns", "DIKBUD-SMA"]
    ]
    assert answer["count"] == 2
    assert answer["seconds"] < 1


def test_a_blank_cell_at_a1048576_costs_no_million_rows():
    data = workbook(staff_rows(2), far="A1048576")
    answer = in_child(
        lambda: {"count": read_table(io.BytesIO(data), "staff.xlsx").row_count}, memory_mib=60
    )
    assert answer == {"count": 2}


def test_a_value_far_away_is_refused_with_the_size_found_and_the_limit():
    def refusal(far):
        data = workbook(staff_rows(1), far=far, far_value="x")
        try:
            read_table(io.BytesIO(data), "staff.xlsx")
        except ImportFileError as exc:
            return str(exc)
        return "read"

    assert in_child(lambda: refusal("XFD1048576")) == (
        "The sheet has data up to column XFD (column 16,384); an import reads at most 30 "
        "columns. Delete the columns right of the data."
    )
    assert in_child(lambda: refusal("A900000")) == (
        "The sheet has data down to row 900,000; an import reads at most 500,000 rows. "
        "Split the file or delete the rows below the data."
    )


def test_the_limits_come_from_the_settings(settings):
    settings.KINERJA_IMPORT_MAX_ROWS = 3
    settings.KINERJA_IMPORT_MAX_COLUMNS = 4
    assert read_table(io.BytesIO(workbook(staff_rows(3))), "a.xlsx").row_count == 3
    with pytest.raises(ImportFileError, match="down to row 5; an import reads at most 3 rows"):
        read_table(io.BytesIO(workbook(staff_rows(4))), "a.xlsx")
    with pytest.raises(ImportFileError, match="up to column E"):
        read_table(io.BytesIO(workbook(staff_rows(1), far="E2", far_value=1)), "a.xlsx")
    csv = "nip,name\n" + "".join(f"{n},X\n" for n in NIPS[:4])
    with pytest.raises(ImportFileError, match="at most 3 rows"):
        read_table(io.BytesIO(csv.encode()), "a.csv").row_count  # noqa: B018


def test_the_page_imports_the_real_rows_of_a_file_with_a_blank_cell_at_xfd1048576(world, login):
    client = login(world.users["bkd"])
    file = SimpleUploadedFile("staff.xlsx", workbook(staff_rows(3), far="XFD1048576"))

    started = time.perf_counter()
    upload(client, file)

    job = ImportJob.objects.get()
    assert (job.status, job.total_rows, job.counts["created"]) == ("done", 3, 3)
    assert Employee.objects.filter(nip__in=NIPS).count() == 3
    assert time.perf_counter() - started < 5


def test_the_page_refuses_a_sheet_with_a_value_past_the_limits(world, login):
    client = login(world.users["bkd"])
    file = SimpleUploadedFile("staff.xlsx", workbook(staff_rows(3), far="A1048576", far_value=7))

    response = upload(client, file)

    assert response.status_code == 200
    assert "data down to row 1,048,576" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_command_imports_past_a_blank_far_cell_and_refuses_a_far_value(world, tmp_path):
    path = tmp_path / "staff.xlsx"
    path.write_bytes(workbook(staff_rows(2), far="XFD1048576"))
    out = io.StringIO()
    call_command("import_employees", str(path), "--user", "bkd", stdout=out, verbosity=0)
    assert "Created 2, update 0, unchanged 0 (2 rows" in out.getvalue()

    path.write_bytes(workbook(staff_rows(2), far="A1048576", far_value="x"))
    with pytest.raises(CommandError, match="data down to row 1,048,576"):
        call_command("import_employees", str(path), "--user", "bkd", verbosity=0)
    assert ImportJob.objects.count() == 1


def test_a_sparse_sheet_goes_to_the_worker_not_the_web_process(world, login, monkeypatch):
    """Two rows, in rows 2 and 5,000: the reader's grid is 5,000 rows, so the worker reads it."""
    queued = []
    monkeypatch.setattr(
        "kinerja.imports.views.run_import_job", SimpleNamespace(enqueue=queued.append)
    )
    rows = staff_rows(1)
    data = workbook(rows, far="A5000", far_value=NIPS[1])

    upload(login(world.users["bkd"]), SimpleUploadedFile("staff.xlsx", data))

    job = ImportJob.objects.get()
    assert (job.status, job.total_rows, queued) == ("pending", 4999, [job.pk])


# --- blank headers and empty files -----------------------------------------------------------


def test_a_data_column_without_a_header_is_an_error_naming_its_letter(world, login):
    client = login(world.users["bkd"])
    csv = "nip;name;;status;unit_code\n" + f"{NIPS[0]};Siti;guru;pns;DIKBUD-SMA\n"

    upload(client, SimpleUploadedFile("staff.csv", csv.encode()))

    job = ImportJob.objects.get()
    assert job.status == "invalid"
    assert job.errors == [
        {"row": 1, "column": "C", "value": "", "message": "Column C has no header."}
    ]
    assert not Employee.objects.filter(nip=NIPS[0]).exists()


def test_merged_header_cells_leave_a_column_without_header(world):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [
        ["nip", "name", "name", "status", "unit_code"],
        [NIPS[0], "Siti", "Aminah", "pns", "DIKBUD-SMA"],
    ]:
        sheet.append(row)
    sheet.merge_cells("B1:C1")  # openpyxl blanks C1, as Excel does
    out = io.BytesIO()
    book.save(out)
    user = world.users["bkd"]
    job = jobs.importjob_create(
        actor=user,
        scope=jobs.scope_for_user(user),
        kind="employees",
        upload=SimpleUploadedFile("staff.xlsx", out.getvalue()),
    )

    job = jobs.importjob_run(job=job)

    assert (job.status, job.errors[0]["column"]) == ("invalid", "C")
    assert job.errors[0]["message"] == "Column C has no header."


def test_trailing_delimiters_without_data_are_no_columns(world):
    csv = "nip;name;status;unit_code;;\n" + f"{NIPS[0]};Siti;pns;DIKBUD-SMA;;\n"
    table = read_table(io.BytesIO(csv.encode()), "staff.csv")
    assert (table.row_count, table.unnamed_columns) == (1, [])


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("staff.csv", b"nip;name;status;unit_code\r\n\r\n"),
        ("staff.xlsx", workbook([["nip", "name", "status", "unit_code"]])),
    ],
)
def test_a_file_with_a_header_and_no_rows_has_nothing_to_import(world, login, name, data):
    client = login(world.users["bkd"])
    events = AuditEvent.objects.count()

    upload(client, SimpleUploadedFile(name, data))

    job = ImportJob.objects.get()
    assert (job.status, job.total_rows, job.counts) == ("invalid", 0, {})
    assert job.errors == [
        {
            "row": 2,
            "column": "",
            "value": "",
            "message": "The file has a header but no rows: there is nothing to import.",
        }
    ]
    assert AuditEvent.objects.count() == events
    page = client.get(job.get_absolute_url()).content.decode()
    assert "there is nothing to import" in page


def test_column_letters_are_excels():
    from kinerja.imports.readers import column_letter

    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702, 16383)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
        "XFD",
    ]


# --- memory ----------------------------------------------------------------------------------


def big_csv(rows: int) -> bytes:
    lines = ["nip;name;front_title;back_title;status;unit_code"]
    first = dt.date(1960, 1, 1)
    lines += [
        f"{make_nip(first + dt.timedelta(days=n), dt.date(2020, 1, 1), 'm', 1)};"
        f"Pegawai Nomor {n};Dr.;S.E.;pns;DIKBUD-SMA"
        for n in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def test_the_upload_is_counted_without_holding_the_file(world, login, monkeypatch):
    """The page counts 20,000 rows as a stream and hands the file to the worker."""
    queued = []
    monkeypatch.setattr(
        "kinerja.imports.views.run_import_job", SimpleNamespace(enqueue=queued.append)
    )
    client = login(world.users["bkd"])
    data = big_csv(20_000)
    assert len(data) > 1_200_000
    file = SimpleUploadedFile("staff.csv", data)
    body_sized = len(data)

    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        upload(client, file)
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()

    job = ImportJob.objects.get()
    assert (job.status, job.total_rows, queued) == ("pending", 20_000, [job.pk])
    # The test client and the multipart parser hold the body a few times; a table of the
    # rows (about 10 MB for these 20,000) may not be built on top of that.
    assert peak < 6 * body_sized, (
        f"peak {peak / 2**20:.1f} MiB for a {body_sized / 2**20:.1f} MiB file"
    )


def test_the_table_streams_its_rows_on_every_pass(world):
    """Reading 20,000 rows twice keeps far less than the rows' own size in memory."""
    data = big_csv(20_000)
    rows_size = sum(  # what a list of the rows as lists of str costs
        56 + 8 * 6 + sum(49 + len(c) for c in line.split(";"))
        for line in data.decode().splitlines()[1:]
    )
    fileobj = io.BytesIO(data)

    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        table = read_table(fileobj, "staff.csv")
        passes = [sum(1 for _ in table.rows), sum(1 for _ in table.rows), table.row_count]
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()

    assert passes == [20_000, 20_000, 20_000]
    assert peak < rows_size / 10, f"peak {peak / 2**20:.2f} MiB; rows {rows_size / 2**20:.1f} MiB"


def test_a_valid_large_job_runs_through_the_worker_path(world):
    user = world.users["bkd"]
    job = jobs.importjob_create(
        actor=user,
        scope=jobs.scope_for_user(user),
        kind="employees",
        upload=SimpleUploadedFile("staff.csv", big_csv(3_000)),
        dry_run=True,
    )

    jobs.importjob_run(job=job)

    job.refresh_from_db()
    assert (job.status, job.total_rows, job.error_count) == ("done", 3_000, 0)
    assert job.counts == {"created": 3_000, "updated": 0, "unchanged": 0}


# --- the job's file --------------------------------------------------------------------------


def test_a_jobs_file_is_downloaded_only_by_those_who_see_the_job(world, login):
    data = workbook(staff_rows(1))
    owner = world.users["opd_admin"]
    job = jobs.importjob_create(
        actor=owner,
        scope=jobs.scope_for_user(owner),
        kind="employees",
        upload=SimpleUploadedFile("dikbud staff.xlsx", data),
        dry_run=True,
    )
    url = reverse("imports:importjob_file", args=[job.pk])

    page = login(owner).get(job.get_absolute_url()).content.decode()
    assert f'href="{url}"' in page  # the job page links its file
    response = login(owner).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert 'filename="dikbud staff.xlsx"' in response["Content-Disposition"]
    assert login(world.users["bkd"]).get(url).status_code == 200

    other = ImportJob.objects.create(
        instansi=world.other_instansi, kind="units", file=job.file.name, original_name="x.xlsx"
    )
    bkd_job = jobs.importjob_create(
        actor=world.users["bkd"],
        scope=jobs.scope_for_user(world.users["bkd"]),
        kind="employees",
        upload=SimpleUploadedFile("bkd.xlsx", data),
    )
    assert (
        login(world.users["bkd"])
        .get(reverse("imports:importjob_file", args=[other.pk]))
        .status_code
        == 404
    )
    assert login(owner).get(reverse("imports:importjob_file", args=[bkd_job.pk])).status_code == 404
    assert login(world.users["leadership"]).get(url).status_code == 403


def without_cell_positions(data: bytes) -> bytes:
    """Return the workbook with its cells' ``r`` attributes removed, as some writers do."""
    import re
    import zipfile

    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as copy:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                content = re.sub(rb'<c r="[A-Z]+[0-9]+"', b"<c", content)
            copy.writestr(info, content)
    return out.getvalue()


def test_cells_without_positions_are_placed_and_checked_one_by_one():
    rows = staff_rows(2)
    table = read_table(io.BytesIO(without_cell_positions(workbook(rows))), "staff.xlsx")
    assert (table.headers, list(table.rows)) == (rows[0], rows[1:])

    wide = [[f"column {n}" for n in range(65)]]
    with pytest.raises(
        ImportFileError, match=r"up to column AE \(column 31\); an import reads at most 30"
    ):
        read_table(io.BytesIO(without_cell_positions(workbook(wide))), "staff.xlsx")


def test_the_messages_speak_indonesian(world, login):
    data = workbook(staff_rows(1), far="A900000", far_value="x")
    with translation.override("id"), pytest.raises(ImportFileError) as refused:
        read_table(io.BytesIO(data), "staff.xlsx")
    assert str(refused.value) == (
        "Lembar ini berisi data sampai baris 900.000; impor membaca paling banyak 500.000 baris. "
        "Pecah berkasnya atau hapus baris di bawah data."
    )
    client = login(world.users["bkd"])
    client.cookies["django_language"] = "id"
    csv = "nip;name;;status;unit_code\n" + f"{NIPS[0]};Siti;guru;pns;DIKBUD-SMA\n"
    upload(client, SimpleUploadedFile("staff.csv", csv.encode()))
    assert ImportJob.objects.get().errors[0]["message"] == "Kolom C tidak punya judul."
