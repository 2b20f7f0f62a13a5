#!/usr/bin/env python
"""Benchmark the employee import against django-import-export and a bare bulk_create.

Generates an employee workbook (80,330 rows by default, fixed seed, valid NIPs, units and
positions that exist in the database), then on one fresh database times, each in its own
forked process so that its peak memory is its own:

1. Kinerja: read with python-calamine, check every row, write employees and assignments in
   bulk, the file's audit event and one sealed event per created employee
   (`kinerja.imports.engine.import_run`);
2. django-import-export: a ModelResource for Employee keyed by NIP, ``use_bulk=True``
   (and, unless ``--skip-row-by-row``, the same resource row by row);
3. the floors, with no check at all: python-calamine and ``bulk_create`` of the employees; the
   same with the engine's own writer (``kinerja.core.bulk.insert_rows``); and the same writes
   as Kinerja's (employees, their assignments, one HMAC-chained audit row per employee) done
   by hand with ``insert_rows``, which measures what Kinerja's checks and engine add.

Between the runs the imported employees are deleted (not timed); the audit trail keeps growing,
as a real one does. Kinerja and the floors run ``--repeat`` rounds, interleaved, and each figure
is the median of its rounds (django-import-export, 10x slower or more, runs once). Run from
the project root:

    .venv/bin/python bench/import_employees.py                       # SQLite, a temp file
    .venv/bin/python bench/import_employees.py --database-url postgres://postgres@127.0.0.1/kinerja

With PostgreSQL a scratch database ``<name>_bench_<pid>`` is created beside the named one and
dropped afterwards; the named database is not touched.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST = [
    "Agus",
    "Budi",
    "Dewi",
    "Eko",
    "Fitri",
    "Hadi",
    "Indah",
    "Joko",
    "Kartika",
    "Lestari",
    "Made",
    "Nur",
    "Putri",
    "Rina",
    "Siti",
    "Teguh",
    "Wahyu",
    "Yuni",
    "Bambang",
    "Sri",
]
LAST = [
    "Santoso",
    "Wijaya",
    "Rahayu",
    "Saputra",
    "Kusuma",
    "Hidayat",
    "Pratama",
    "Wulandari",
    "Susanto",
    "Purnomo",
    "Setiawan",
    "Lestari",
    "Nugroho",
    "Handayani",
    "Firmansyah",
]
GRADES = {  # valid by status: a PNS grade on a PPPK employee is refused
    "pns": ["II/a", "II/c", "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b"],
    "pppk": ["V", "VII", "IX", "X"],
}
HEADER = [
    "nip",
    "name",
    "front_title",
    "back_title",
    "status",
    "sex",
    "grade",
    "unit_code",
    "position_code",
]
AGENCIES, DIVISIONS, POSITIONS = 48, 6, 8


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=80_330)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="rounds of the runs, interleaved; each figure is the median (default 3)",
    )
    parser.add_argument("--database-url", default="", help="PostgreSQL server to use")
    parser.add_argument(
        "--skip-row-by-row",
        action="store_true",
        help="skip django-import-export without use_bulk (the slowest run)",
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated runs: kinerja, bulk, row, floor, raw, same (default: all)",
    )
    args = parser.parse_args()
    with scratch_database(args.database_url) as url:
        os.environ["DATABASE_URL"] = url
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
        import django

        django.setup()
        run(args, url)


@contextlib.contextmanager
def scratch_database(url: str) -> Iterator[str]:
    """Yield the URL of an empty database: a temp SQLite file, or a scratch PostgreSQL one."""
    if not url:
        with tempfile.TemporaryDirectory(prefix="kinerja-bench-") as tmp:
            yield f"sqlite:///{tmp}/bench.sqlite3"
        return
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'kinerja'}_bench_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def run(args: argparse.Namespace, url: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    instansi, units, positions = seed_registry()
    data = make_workbook(args.rows, args.seed, units, positions)
    print(
        f"database: {connection.vendor} ({describe(url)}); rows: {args.rows:,}; "
        f"workbook: {len(data) / 2**20:.1f} MiB; setup {time.perf_counter() - started:.0f} s"
    )

    phases: list[tuple[str, str, Callable[[], None]]] = [
        ("kinerja", "kinerja", lambda: kinerja_import(data, instansi.pk)),
        (
            "bulk",
            "import-export (bulk)",
            lambda: import_export_import(data, instansi.pk, bulk=True),
        ),
        (
            "row",
            "import-export (row by row)",
            lambda: import_export_import(data, instansi.pk, bulk=False),
        ),
        ("floor", "floor: calamine + bulk_create", lambda: floor_import(data, instansi.pk)),
        ("raw", "floor: calamine + insert_rows", lambda: floor_import(data, instansi.pk, raw=True)),
        ("same", "floor: the same writes", lambda: same_writes_floor(data, instansi.pk)),
    ]
    wanted = set(args.only.split(",")) if args.only else {key for key, _n, _w in phases}
    if args.skip_row_by_row:
        wanted.discard("row")

    # Rounds interleave the runs, so that a slow spell of a shared machine falls on all of them;
    # each figure is the median of its rounds.
    samples: dict[str, list[tuple[float, int]]] = {}
    for round_ in range(1, max(1, args.repeat) + 1):
        for key, name, work in phases:
            if key not in wanted or (round_ > 1 and key in ("bulk", "row")):
                continue
            reset(instansi.pk)
            seconds, peak_kib = measure(work)
            check_imported(instansi.pk, args.rows, name)
            samples.setdefault(name, []).append((seconds, peak_kib))
            print(
                f"  [{round_}] {name:32} {seconds:8.2f} s {args.rows / seconds:10,.0f} rows/s "
                f"peak RSS {peak_kib / 1024:7.0f} MiB",
                flush=True,
            )
    results = {
        name: (statistics.median(s for s, _p in runs), max(p for _s, p in runs))
        for name, runs in samples.items()
    }
    print(f"medians of {max(1, args.repeat)} rounds:")
    for name, (seconds, peak_kib) in results.items():
        print(
            f"  {name:36} {seconds:8.2f} s {args.rows / seconds:10,.0f} rows/s "
            f"peak RSS {peak_kib / 1024:7.0f} MiB"
        )

    if "kinerja" not in results:
        return
    kinerja = results["kinerja"][0]
    for name in ("import-export (bulk)", "import-export (row by row)"):
        if name in results:
            target = " (target >= 10x)" if "bulk" in name else ""
            print(f"kinerja vs {name}: {results[name][0] / kinerja:5.1f}x faster{target}")
    # The floor that does Kinerja's writes (employees, assignments, one sealed event per row)
    # measures what the checks and the engine add; the two employee-only floors show what the
    # extra writes cost.
    for name, target in (
        ("floor: the same writes", " (target <= 3x)"),
        ("floor: calamine + insert_rows", " (employees only)"),
        ("floor: calamine + bulk_create", " (employees only)"),
    ):
        if name in results:
            floor = results[name][0]
            print(f"kinerja vs {name}: {kinerja / floor:5.2f}x its time{target}")
    print(f"kinerja peak RSS: {results['kinerja'][1] / 1024:.0f} MiB (target < 1024 MiB)")


def describe(url: str) -> str:
    parts = urlsplit(url)
    return parts.path if parts.scheme.startswith("sqlite") else f"{parts.hostname}{parts.path}"


def seed_registry():
    """Create an instansi with agencies, divisions and positions; return their codes."""
    from kinerja.organisations import services
    from kinerja.organisations.models import Instansi, OrgUnit, Position, Region

    region = Region.objects.create(code="35", name="Jawa Timur", level="province")
    instansi = Instansi.objects.create(
        code="bench", name="Pemprov Bench", kind="province", region=region, is_synthetic=True
    )
    units: list[str] = []
    positions: dict[str, list[str]] = {}
    start = dt.date(2020, 1, 1)
    for a in range(AGENCIES):
        agency = OrgUnit.objects.create(
            instansi=instansi,
            code=f"OPD{a:02d}",
            name=f"Dinas {a}",
            kind="dinas",
            valid_from=start,
            is_synthetic=True,
        )
        services._place(agency)
        units.append(agency.code)
        for d in range(DIVISIONS):
            division = OrgUnit.objects.create(
                instansi=instansi,
                parent=agency,
                code=f"OPD{a:02d}-B{d}",
                name=f"Bidang {d}",
                kind="bidang",
                valid_from=start,
                is_synthetic=True,
            )
            services._place(division)
            units.append(division.code)
    rows = []
    for code, unit in OrgUnit.objects.filter(instansi=instansi).values_list("code", "pk"):
        positions[code] = [f"{code}-J{p}" for p in range(POSITIONS)]
        rows += [
            Position(
                instansi=instansi, unit_id=unit, code=c, title=f"Jabatan {c}", kind="pelaksana"
            )
            for c in positions[code]
        ]
    Position.objects.bulk_create(rows)
    return instansi, units, positions


def make_workbook(rows: int, seed: int, units: list[str], positions: dict[str, list[str]]):
    """Return the bytes of a workbook of ``rows`` valid employees (PNS and PPPK)."""
    from openpyxl import Workbook

    from kinerja.organisations.nip import make_nip

    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("employees")
    sheet.append(HEADER)
    seen: set[str] = set()
    while len(seen) < rows:
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(40 * 365))
        appointed = dt.date(birth.year + rng.randint(20, 30), rng.randint(1, 12), 1)
        sex = rng.choice("mf")
        nip = make_nip(birth, appointed, sex, rng.randint(1, 999))
        if nip in seen:
            continue
        seen.add(nip)
        unit = rng.choice(units)
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        front = rng.choice(["", "", "Dr.", "Ir."])
        back = rng.choice(["", "S.Pd.", "S.E.", "M.Si.", "S.T."])
        status = "pns" if rng.random() < 0.8 else "pppk"
        sheet.append(
            [
                nip,
                name,
                front,
                back,
                status,
                sex,
                rng.choice(GRADES[status]),
                unit,
                rng.choice(positions[unit]) if rng.random() < 0.4 else "",
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def measure(work: Callable[[], None]) -> tuple[float, int]:
    """Run ``work`` in a forked child; return its seconds and its peak RSS in KiB."""
    from django.db import connections

    connections.close_all()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        code = 0
        try:
            started = time.perf_counter()
            work()
            seconds = time.perf_counter() - started
            connections.close_all()
            os.write(write, json.dumps({"seconds": seconds}).encode())
        except BaseException:
            import traceback

            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read) as pipe:
        answer = pipe.read()
    _pid, status, usage = os.wait4(pid, 0)
    if status != 0 or not answer:
        sys.exit("a benchmark run failed; see the traceback above")
    return json.loads(answer)["seconds"], usage.ru_maxrss


def reset(instansi_id: int) -> None:
    from kinerja.organisations.models import Assignment, Employee

    Assignment.objects.filter(instansi_id=instansi_id)._raw_delete("default")
    Employee.objects.filter(instansi_id=instansi_id)._raw_delete("default")


def check_imported(instansi_id: int, rows: int, name: str) -> None:
    from kinerja.organisations.models import Employee

    found = Employee.objects.filter(instansi_id=instansi_id).count()
    if found != rows:
        sys.exit(f"{name} imported {found} employees, not {rows}")


def kinerja_import(data: bytes, instansi_id: int) -> None:
    from kinerja.imports.engine import import_run
    from kinerja.imports.jobs import system_scope
    from kinerja.imports.readers import read_table
    from kinerja.organisations.importers import EmployeeImporter

    table = read_table(io.BytesIO(data), "employees.xlsx")
    outcome = import_run(
        actor=None,
        scope=system_scope(instansi_id),
        importer=EmployeeImporter,
        table=table,
        file_name="employees.xlsx",
    )
    if not outcome.valid:
        sys.exit(f"kinerja found errors: {outcome.errors[:5]}")


def import_export_import(data: bytes, instansi_id: int, *, bulk: bool) -> None:
    import tablib
    from import_export import fields, resources, widgets

    from kinerja.organisations.models import Employee, OrgUnit, Position

    class EmployeeResource(resources.ModelResource):
        unit = fields.Field(
            attribute="unit",
            column_name="unit_code",
            widget=widgets.ForeignKeyWidget(OrgUnit, field="code"),
        )
        position = fields.Field(
            attribute="position",
            column_name="position_code",
            widget=widgets.ForeignKeyWidget(Position, field="code"),
        )

        class Meta:
            model = Employee
            import_id_fields = ["nip"]
            fields = (
                "nip",
                "name",
                "front_title",
                "back_title",
                "status",
                "sex",
                "grade",
                "unit",
                "position",
            )
            use_bulk = bulk
            skip_diff = bulk  # recommended with use_bulk; it only makes import-export faster
            batch_size = 1000

        def init_instance(self, row=None):
            instance = super().init_instance(row)
            instance.instansi_id = instansi_id
            return instance

    dataset = tablib.Dataset().load(data, format="xlsx")
    result = EmployeeResource().import_data(dataset, dry_run=False, raise_errors=True)
    if result.has_validation_errors():
        sys.exit("import-export found errors")


def floor_import(data: bytes, instansi_id: int, *, raw: bool = False) -> None:
    """Parse and write without any check: with bulk_create, or with the engine's insert_rows."""
    from python_calamine import CalamineWorkbook

    from kinerja.core.bulk import insert_rows
    from kinerja.organisations.models import Employee, OrgUnit, Position

    units = dict(OrgUnit.objects.filter(instansi_id=instansi_id).values_list("code", "pk"))
    positions = dict(Position.objects.filter(instansi_id=instansi_id).values_list("code", "pk"))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    header = rows[0]
    at = {name: header.index(name) for name in HEADER}
    if raw:
        fields = (
            "instansi_id",
            "nip",
            "name",
            "front_title",
            "back_title",
            "status",
            "sex",
            "grade",
            "unit_id",
            "position_id",
        )
        insert_rows(
            Employee,
            fields,
            (
                (
                    instansi_id,
                    r[at["nip"]],
                    r[at["name"]],
                    r[at["front_title"]],
                    r[at["back_title"]],
                    r[at["status"]],
                    r[at["sex"]],
                    r[at["grade"]],
                    units[r[at["unit_code"]]],
                    positions.get(r[at["position_code"]]),
                )
                for r in rows[1:]
            ),
        )
        return
    Employee.objects.bulk_create(
        [
            Employee(
                instansi_id=instansi_id,
                nip=r[at["nip"]],
                name=r[at["name"]],
                front_title=r[at["front_title"]],
                back_title=r[at["back_title"]],
                status=r[at["status"]],
                sex=r[at["sex"]],
                grade=r[at["grade"]],
                unit_id=units[r[at["unit_code"]]],
                position_id=positions.get(r[at["position_code"]]),
            )
            for r in rows[1:]
        ],
        batch_size=1000,
    )


def same_writes_floor(data: bytes, instansi_id: int) -> None:
    """Write what Kinerja's import writes, with no check and no framework: employees, their
    assignments, and one HMAC-chained audit row per employee with its values as JSON."""
    import hmac

    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone
    from python_calamine import CalamineWorkbook

    from kinerja.audit.models import AuditChain, AuditEvent
    from kinerja.core.bulk import RawJSON, insert_rows
    from kinerja.organisations.models import Assignment, Employee, OrgUnit, Position

    units = dict(OrgUnit.objects.filter(instansi_id=instansi_id).values_list("code", "pk"))
    paths = dict(OrgUnit.objects.filter(instansi_id=instansi_id).values_list("pk", "path"))
    positions = dict(Position.objects.filter(instansi_id=instansi_id).values_list("code", "pk"))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    header = rows[0]
    at = [header.index(name) for name in HEADER]
    fields = ("nip", "name", "front_title", "back_title", "status", "sex", "grade")
    records = []
    for r in rows[1:]:
        values = [r[i] for i in at]
        values[-2] = units[values[-2]]
        values[-1] = positions.get(values[-1])
        records.append(values)
    today = timezone.localdate()
    with transaction.atomic():
        ids = insert_rows(
            Employee,
            ("instansi_id", *fields, "unit_id", "position_id"),
            ([instansi_id, *values] for values in records),
            return_ids=True,
        )
        insert_rows(
            Assignment,
            ("instansi_id", "employee_id", "position_id", "unit_id", "valid_from"),
            ((instansi_id, pk, v[-1], v[-2], today) for pk, v in zip(ids, records, strict=True)),
        )
        chain = AuditChain.objects.create(instansi_id=-AuditChain.objects.count() - 1)
        key = settings.KINERJA_AUDIT_KEY.encode()
        names = (*fields, "unit", "position")
        previous = "0" * 64
        events = []
        for sequence, (pk, values) in enumerate(zip(ids, records, strict=True), start=1):
            changes = json.dumps(
                {n: [None, v] for n, v in zip(names, values, strict=True) if v not in (None, "")},
                sort_keys=True,
                separators=(",", ":"),
            )
            seal = hmac.digest(key, f"{previous}{sequence}{pk}{changes}".encode(), "sha256").hex()
            unit = values[-2]
            events.append(
                (chain.pk, sequence, "organisations.employee", str(pk), values[1], unit)
                + (paths[unit], RawJSON(changes), previous, seal)
            )
            previous = seal
        insert_rows(
            AuditEvent,
            ("chain_id", "sequence", "target_type", "target_id", "target_repr", "unit_id")
            + ("unit_path", "changes", "prev_hash", "hash"),
            events,
            same={
                "occurred_at": timezone.now(),
                "action": "import.employees.create",
                "instansi_id": instansi_id,
                "actor_repr": "system",
                "reason": "Import: employees.xlsx",
            },
        )


if __name__ == "__main__":
    main()
