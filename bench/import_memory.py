#!/usr/bin/env python
"""Measure the memory of a large employee import: the web process that takes the upload and
the worker process that runs the job, each in its own fresh process.

Writes a CSV (with ``--format xlsx`` a workbook) of 450,000 valid employees by default (the
same rows as ``import_employees.py``: fixed seed, valid NIPs, units and positions created in the
database first), then:

1. web: a fresh Django process serves the upload page (``imports:import_start``) through the
   WSGI handler, reading the multipart body from a file on disk as a real server would
   (``wsgi.input``); the form counts the rows and the view hands the job to the task queue (a
   dummy backend, so that the job is left for step 2);
2. worker: a fresh Django process runs the job (``importjob_run``), as the task worker does.

Each step prints its peak resident memory (``VmHWM`` from ``/proc/self/status``), the same for a
process that only started Django, and the worker's rows per second. Run from the project root:

    .venv/bin/python bench/import_memory.py                       # SQLite, a temp directory
    .venv/bin/python bench/import_memory.py --rows 100000 --dry-run
    .venv/bin/python bench/import_memory.py --database-url postgres://postgres@127.0.0.1/kinerja
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

BOUNDARY = "kinerja-bench-boundary"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=450_000)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--database-url", default="", help="PostgreSQL server to use")
    parser.add_argument("--dry-run", action="store_true", help="check the rows, write nothing")
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv", help="the file's kind")
    parser.add_argument("--step", choices=["web", "worker", "idle"], help=argparse.SUPPRESS)
    parser.add_argument("--work-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        step(args)
        return
    from import_employees import scratch_database

    with (
        scratch_database(args.database_url) as url,
        tempfile.TemporaryDirectory(prefix="kinerja-memory-") as work,
    ):
        environment(url, work)
        prepare(args, Path(work))
        results = {}
        for name in ("idle", "web", "worker"):
            results[name] = run_step(name, args, url, work)
            print(f"  {name:7} {json.dumps(results[name])}", flush=True)
        rows = results["worker"]["total_rows"]
        print(
            f"rows {rows:,}; web peak {results['web']['peak_mib']:.0f} MiB "
            f"(target < 300); worker peak {results['worker']['peak_mib']:.0f} MiB (target < 500); "
            f"worker {results['worker']['seconds']:.1f} s, "
            f"{rows / results['worker']['seconds']:,.0f} rows/s "
            f"({rows / results['worker']['cpu_seconds']:,.0f} rows per CPU second); "
            f"an idle Django process "
            f"{results['idle']['peak_mib']:.0f} MiB"
        )


def environment(url: str, work: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["MEDIA_ROOT"] = str(Path(work) / "media")


def setup_django(work: str) -> None:
    import django
    from django.conf import settings

    django.setup()
    # The test settings keep files in memory and run tasks at once: a web process and a worker
    # are separate processes here, so files go to disk and tasks wait.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(Path(work) / "media")},
        },
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "CsrfViewMiddleware" not in m]
    settings.ALLOWED_HOSTS = ["*"]


def prepare(args: argparse.Namespace, work: Path) -> None:
    """Migrate, create the registry and an importing user, write the CSV and the request."""
    setup_django(str(work))
    from django.core.management import call_command
    from import_employees import seed_registry

    from kinerja.accounts.models import RoleAssignment, User

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    instansi, units, positions = seed_registry()
    user = User.objects.create_user(username="bench", password="x", instansi=instansi)
    RoleAssignment.objects.create(user=user, role="bkd", instansi=instansi)
    data_path = work / f"employees.{args.format}"
    write_file(data_path, employee_rows(args.rows, args.seed, units, positions))
    write_request(work / "request.body", data_path, dry_run=args.dry_run)
    print(
        f"rows: {args.rows:,}; {data_path.name}: {data_path.stat().st_size / 2**20:.1f} MiB; "
        f"setup {time.perf_counter() - started:.0f} s",
        flush=True,
    )


def employee_rows(rows: int, seed: int, units, positions) -> Iterator[list[str]]:
    """Yield ``rows`` valid employees as ``import_employees.make_workbook`` makes them."""
    from import_employees import FIRST, GRADES, LAST

    from kinerja.organisations.nip import make_nip

    rng = random.Random(seed)
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
        yield [
            nip,
            f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            rng.choice(["", "", "Dr.", "Ir."]),
            rng.choice(["", "S.Pd.", "S.E.", "M.Si.", "S.T."]),
            "pns" if rng.random() < 0.8 else "pppk",
            sex,
            rng.choice(GRADES),
            unit,
            rng.choice(positions[unit]) if rng.random() < 0.4 else "",
        ]


def write_file(path: Path, rows: Iterator[list[str]]) -> None:
    """Write the rows under the header, as CSV or (by the suffix) as a workbook."""
    from import_employees import HEADER

    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("employees")
        sheet.append(HEADER)
        for row in rows:
            sheet.append(row)
        workbook.save(path)
        return
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(";".join(HEADER) + "\n")
        for row in rows:
            out.write(";".join(row) + "\n")


def write_request(path: Path, data_path: Path, *, dry_run: bool) -> None:
    """Write the multipart body of the upload form to a file, copying the CSV in chunks."""
    fields = [("kind", "employees")] + ([("dry_run", "on")] if dry_run else [])
    with path.open("wb") as out:
        for name, value in fields:
            out.write(
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        out.write(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{data_path.name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        with data_path.open("rb") as src:
            while chunk := src.read(1 << 20):
                out.write(chunk)
        out.write(f"\r\n--{BOUNDARY}--\r\n".encode())


def run_step(name: str, args: argparse.Namespace, url: str, work: str) -> dict:
    command = [sys.executable, __file__, "--step", name, "--work-dir", work]
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ, check=False)
    if done.returncode != 0:
        sys.exit(f"step {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def cpu_seconds() -> float:
    """Return the CPU time this process has used: steadier than the clock on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    return 0.0


def step(args: argparse.Namespace) -> None:
    setup_django(args.work_dir)
    if args.step == "idle":
        from kinerja.imports.engine import import_run  # noqa: F401 - what the others import

        print(json.dumps({"peak_mib": round(peak_mib(), 1)}))
    elif args.step == "web":
        web(Path(args.work_dir))
    else:
        worker()


def web(work: Path) -> None:
    from django.contrib.auth import get_user_model
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import Client
    from django.urls import reverse

    from kinerja.imports.models import ImportJob

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench"))
    cookie = "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())
    body = work / "request.body"
    handler = WSGIHandler()
    answer: dict = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = status
        answer["location"] = dict(headers).get("Location", "")

    started = time.perf_counter()
    with body.open("rb") as stream:
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": reverse("imports:import_start"),
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "localhost",
            "HTTP_COOKIE": cookie,
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
            "CONTENT_LENGTH": str(body.stat().st_size),
            "wsgi.input": stream,
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        response = handler(environ, start_response)
        content = b"".join(response)
    seconds = time.perf_counter() - started
    job = ImportJob.objects.order_by("-pk").first()
    if job is None or not answer["status"].startswith("302"):
        sys.exit(f"the upload was not accepted: {answer} {content[:2000]!r}")
    print(
        json.dumps(
            {
                "peak_mib": round(peak_mib(), 1),
                "status": answer["status"],
                "job": job.pk,
                "job_status": job.status,
                "counted_rows": job.total_rows,
                "seconds": round(seconds, 2),
            }
        )
    )


def worker() -> None:
    from kinerja.imports.jobs import importjob_run
    from kinerja.imports.models import ImportJob

    job = ImportJob.objects.order_by("-pk").first()
    started, cpu = time.perf_counter(), cpu_seconds()
    job = importjob_run(job=job)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    if job.status != ImportJob.Status.DONE:
        sys.exit(f"the job ended {job.status}: {job.message} {job.errors[:5]}")
    print(
        json.dumps(
            {
                "peak_mib": round(peak_mib(), 1),
                "status": job.status,
                "total_rows": job.total_rows,
                "counts": job.counts,
                "seconds": round(seconds, 2),
                "cpu_seconds": round(cpu, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
