#!/usr/bin/env python
"""Benchmark the pages and the API as served: gunicorn, a province of staff, many connections.

For each database (SQLite and PostgreSQL in one run) it makes (or reuses) the demo province of
``--staff`` people (``manage.py load_demo``), starts the production server (gunicorn with
``WEB_CONCURRENCY`` sync workers, default 2, on 127.0.0.1) with the bench-only site in
``bench/http_site`` (production settings plus a hello-world JSON view at ``/bench/hello``), signs
in two demo users (an agency administrator and BKD, instansi-wide) with session cookies and API
tokens, and drives each page with a bounded load generator (asyncio, standard library only) at 16
and at 64 connections. For each page it prints requests/s, p50 and p99 latency, errors, and the
ratio of its requests/s to hello-world's in the same run, then checks the targets.

The planning pages (the goal tree, the performance agreement and its PDF, the verification
queue, and the employee plans and "my plan" pages where their URLs resolve; those that do not
are skipped, and the run says so) need data the demo may lack: ``bench/planning_setup.py`` makes
it through the services before the server starts. The realisation write is a stream of POSTs to
the realisations API, each a new write (the next version of its realisation, a new
``Idempotency-Key``): a draft or returned realisation is submitted by the agency administrator,
a submitted one returned with a comment by its verifier.

    .venv/bin/python bench/http.py                                  # SQLite and PostgreSQL
    .venv/bin/python bench/http.py --databases sqlite --seconds 3
    .venv/bin/python bench/http.py --databases postgres --staff 80330,1000000   # cost vs scope

Provinces are cached by size in ``--cache-dir`` (default: a folder in the temp dir): a SQLite
file ``sqlite-<staff>.sqlite3`` and a PostgreSQL database ``kinerja_bench_http_<staff>`` on the
server of ``--pg-url`` (``<name>_<staff>`` when the URL names a database other than
``postgres``; it is migrated on reuse; ``--rebuild`` makes it anew). With several
sizes, each page's cost (1 / requests per second) at each size is compared to the first size.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# This file is called http.py: keep its folder off the path so that `import http` (asyncio,
# urllib) finds the standard library's module, not this script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import secrets  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from urllib.parse import urlsplit, urlunsplit  # noqa: E402

SETTINGS = "bench.http_site.settings"
AGENCY_ADMIN = "admin.pendidikan"
INSTANSI_WIDE = "bkd"
AGENCY_HEAD = "kadis.pendidikan"
PLANNER = "bappeda"
EMPLOYEE = "pegawai.pendidikan"
EVALUATOR = "penilai.pendidikan"
VERIFIER = "bench.verifier"  # made by bench/planning_setup.py
ORGANISER = "bpsdm"  # BPSDM: runs the leadership programmes
LEADERSHIP = "gubernur"  # the governor: the province dashboard
SEARCH = "sari"

# Targets (see bench/README.md): requests/s as a share of hello-world's, in the same run.
TARGET_LIST = 0.10  # lists of 50 rows and the employee form
TARGET_HOME = 0.25
TARGET_PLANNING = 0.10  # the planning pages
TARGET_TRAINING = 0.10  # the training pages
TARGET_DASHBOARD = 0.25  # the dashboards (issue 10)
TARGET_LEADERSHIP = 0.10  # the other pages of issue 10 (areas, warning, health, reports...)
TARGET_WRITE = 0.05  # an audited realisation write through the API
TARGET_TAIL = 5.0  # p99 within 5x p50
TARGET_SCALE = 1.5  # a page at the larger size costs at most 1.5x its cost at the first


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    # may hold {employee}, {agreement}, {skp_plan}, {evaluation}, {event}, {agency}, {project}
    path: str
    user: str | None  # None: no log-in (hello-world)
    api: bool = False
    target: float | None = None
    optional: bool = False  # skipped (and said so) where its URL does not resolve
    write: bool = False  # the realisation write: POSTs built per request, see drive_writes


PAGES = (
    Page("hello", "hello-world JSON (floor)", "/bench/hello", None),
    Page("home_admin", "home, agency admin", "/", AGENCY_ADMIN, target=TARGET_HOME),
    Page("home_bkd", "home, BKD", "/", INSTANSI_WIDE, target=TARGET_HOME),
    Page(
        "list_admin",
        "employee list, agency admin",
        "/org/employees/",
        AGENCY_ADMIN,
        target=TARGET_LIST,
    ),
    Page("list_bkd", "employee list, BKD", "/org/employees/", INSTANSI_WIDE, target=TARGET_LIST),
    Page(
        "api_admin",
        "employee API, agency admin",
        "/api/v1/employees/",
        AGENCY_ADMIN,
        api=True,
        target=TARGET_LIST,
    ),
    Page(
        "api_bkd",
        "employee API, BKD",
        "/api/v1/employees/",
        INSTANSI_WIDE,
        api=True,
        target=TARGET_LIST,
    ),
    Page(
        "search_bkd",
        f"search '{SEARCH}', BKD",
        f"/org/employees/?q={SEARCH}",
        INSTANSI_WIDE,
        target=TARGET_LIST,
    ),
    Page("tree_bkd", "unit tree, BKD", "/org/units/", INSTANSI_WIDE),
    Page(
        "employee_admin", "employee page, agency admin", "/org/employees/{employee}/", AGENCY_ADMIN
    ),
    Page(
        "form_admin",
        "employee form, agency admin",
        "/org/employees/{employee}/edit/",
        AGENCY_ADMIN,
        target=TARGET_LIST,
    ),
    # Performance planning (bench/planning_setup.py makes what they show).
    Page("goals_bappeda", "goal tree, Bappeda", "/plans/goals/", PLANNER, target=TARGET_PLANNING),
    Page(
        "agreement_admin",
        "agreement (PK), agency admin",
        "/plans/agreements/{agreement}/",
        AGENCY_ADMIN,
        target=TARGET_PLANNING,
    ),
    Page(
        "agreement_pdf",
        "agreement PDF, agency admin",
        "/plans/agreements/{agreement}/pdf/",
        AGENCY_ADMIN,
        target=TARGET_PLANNING,
    ),
    Page(
        "queue_verifier",
        "verification queue, verifier",
        "/plans/realisations/verify/",
        VERIFIER,
        target=TARGET_PLANNING,
    ),
    Page(
        "skp_list",
        "SKP list, agency admin",
        "/plans/skp/",
        AGENCY_ADMIN,
        target=TARGET_PLANNING,
        optional=True,
    ),
    Page(
        "skp_plan",
        "SKP plan page, agency admin",
        "/plans/skp/{skp_plan}/",
        AGENCY_ADMIN,
        target=TARGET_PLANNING,
        optional=True,
    ),
    Page(
        "mine",
        "my plan, agency head",
        "/plans/mine/",
        AGENCY_HEAD,
        target=TARGET_PLANNING,
        optional=True,
    ),
    Page(
        "team",
        "my team, agency head",
        "/plans/team/",
        AGENCY_HEAD,
        target=TARGET_PLANNING,
        optional=True,
    ),
    Page(
        "agency",
        "my agency, agency admin",
        "/plans/agency/",
        AGENCY_ADMIN,
        target=TARGET_PLANNING,
        optional=True,
    ),
    Page(
        "cascade",
        "cascade, agency admin",
        "/plans/cascade/",
        AGENCY_ADMIN,
        target=TARGET_PLANNING,
        optional=True,
    ),
    Page(
        "eval_mine",
        "my evaluation (2023), employee",
        "/plans/evaluations/mine/?year=2023",
        EMPLOYEE,
        target=TARGET_PLANNING,
    ),
    Page(
        "eval_team",
        "team evaluations (2023), evaluator",
        "/plans/evaluations/team/?year=2023",
        EVALUATOR,
        target=TARGET_PLANNING,
    ),
    Page(
        "eval_one",
        "an evaluation, evaluator",
        "/plans/evaluations/{evaluation}/",
        EVALUATOR,
        target=TARGET_PLANNING,
    ),
    Page(
        "eval_overrides",
        "overrides across agencies, BKD",
        "/plans/evaluations/overrides/?year=2023",
        INSTANSI_WIDE,
        target=TARGET_PLANNING,
    ),
    Page(
        "eval_units",
        "unit predikat (2023), agency head",
        "/plans/evaluations/units/?year=2023&sub_period=0",
        AGENCY_HEAD,
        target=TARGET_PLANNING,
    ),
    Page(
        "eval_objections",
        "objections to decide, BKD",
        "/plans/evaluations/objections/",
        INSTANSI_WIDE,
        target=TARGET_PLANNING,
    ),
    # Training: the 2023 refreshment (61 heads, 11 sessions) on a province of --staff people.
    Page(
        "training_events", "training events, BPSDM", "/training/", ORGANISER, target=TARGET_TRAINING
    ),
    Page(
        "training_event",
        "the 2023 refreshment, BPSDM",
        "/training/events/{event}/",
        ORGANISER,
        target=TARGET_TRAINING,
    ),
    Page(
        "training_nominations",
        "its participants (61), BPSDM",
        "/training/events/{event}/nominations/",
        ORGANISER,
        target=TARGET_TRAINING,
    ),
    Page(
        "training_nominees",
        "nominees and suggestions, agency head",
        "/training/nominees/",
        AGENCY_HEAD,
        target=TARGET_TRAINING,
    ),
    Page(
        "training_jp",
        "JP totals of the event, BPSDM",
        "/training/events/{event}/jp-totals/",
        ORGANISER,
        target=TARGET_TRAINING,
    ),
    Page(
        "training_impact",
        "impact report of the event, BPSDM",
        "/training/events/{event}/impact/",
        ORGANISER,
        target=TARGET_TRAINING,
    ),
    Page(
        "training_shortfall",
        "development-hours shortfall (2023), BPSDM",
        "/training/hours/shortfall/?year=2023",
        ORGANISER,
        target=TARGET_TRAINING,
    ),
    Page(
        "training_records",
        "development-hours records, BPSDM",
        "/training/hours/records/",
        ORGANISER,
        target=TARGET_TRAINING,
    ),
    Page(
        "training_hours_mine",
        "my development hours, agency head",
        "/training/hours/",
        AGENCY_HEAD,
        target=TARGET_TRAINING,
    ),
    Page(
        "training_gaps",
        "development needs (competency gaps), BPSDM",
        "/training/gaps/",
        ORGANISER,
        target=TARGET_TRAINING,
    ),
    Page(
        "training_plans",
        "action plans of the event, BPSDM",
        "/training/events/{event}/action-plans/",
        ORGANISER,
        target=TARGET_TRAINING,
    ),
    Page(
        "dash_province",
        "province dashboard, governor",
        "/dashboards/province/",
        LEADERSHIP,
        target=TARGET_DASHBOARD,
    ),
    Page(
        "dash_agency",
        "agency dashboard, agency head",
        "/dashboards/agencies/{agency}/",
        AGENCY_HEAD,
        target=TARGET_DASHBOARD,
    ),
    Page("dash_me", "my dashboard, employee", "/dashboards/me/", EMPLOYEE, target=TARGET_DASHBOARD),
    Page(
        "dash_area",
        "area dashboard (Gerbangkertosusila), Bappeda",
        "/regional/areas/gerbangkertosusila/",
        PLANNER,
        target=TARGET_DASHBOARD,
    ),
    Page(
        "dash_api_province",
        "province dashboard API, governor",
        "/api/v1/dashboards/province/",
        LEADERSHIP,
        api=True,
        target=TARGET_DASHBOARD,
    ),
    Page("areas", "development areas, Bappeda", "/regional/", PLANNER, target=TARGET_LEADERSHIP),
    Page(
        "projects",
        "strategic projects, Bappeda",
        "/regional/projects/",
        PLANNER,
        target=TARGET_LEADERSHIP,
    ),
    Page(
        "project",
        "a strategic project, Bappeda",
        "/regional/projects/{project}/",
        PLANNER,
        target=TARGET_LEADERSHIP,
    ),
    Page(
        "duties",
        "agency duties and Perpres 80/2019, agency head",
        "/regional/agencies/{agency}/",
        AGENCY_HEAD,
        target=TARGET_LEADERSHIP,
    ),
    Page(
        "warning_gov",
        "early warning, governor",
        "/dashboards/warning/",
        LEADERSHIP,
        target=TARGET_LEADERSHIP,
    ),
    Page(
        "warning_head",
        "early warning, agency head",
        "/dashboards/warning/",
        AGENCY_HEAD,
        target=TARGET_LEADERSHIP,
    ),
    Page(
        "health",
        "cascade health, Bappeda",
        "/dashboards/cascade-health/",
        PLANNER,
        target=TARGET_LEADERSHIP,
    ),
    Page(
        "health_agency",
        "cascade health of an agency, agency head",
        "/dashboards/cascade-health/agencies/{agency}/",
        AGENCY_HEAD,
        target=TARGET_LEADERSHIP,
    ),
    Page(
        "lkjip",
        "LKjIP report of an agency, agency head",
        "/dashboards/reports/agencies/{agency}/",
        AGENCY_HEAD,
        target=TARGET_LEADERSHIP,
    ),
    Page(
        "network",
        "collaboration network, Bappeda",
        "/dashboards/network/",
        PLANNER,
        target=TARGET_LEADERSHIP,
    ),
    Page(
        "finder",
        "collaboration finder, Bappeda",
        "/plans/collaboration-finder/",
        PLANNER,
        target=TARGET_LEADERSHIP,
    ),
    Page("akip", "AKIP evaluations, Bappeda", "/akip/", PLANNER, target=TARGET_LEADERSHIP),
    Page("risks", "risk register, Bappeda", "/risks/", PLANNER, target=TARGET_LEADERSHIP),
    Page(
        "realisation_write",
        "realisation submit/return, API",
        "/api/v1/realisations/{id}/{step}/",
        AGENCY_ADMIN,
        api=True,
        target=TARGET_WRITE,
        write=True,
    ),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument("--staff", default="80330", help="province size(s), comma-separated")
    parser.add_argument(
        "--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/")
    )
    parser.add_argument(
        "--cache-dir", default=str(Path(tempfile.gettempdir()) / "kinerja-bench-http")
    )
    parser.add_argument("--rebuild", action="store_true", help="make the provinces anew")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2)))
    parser.add_argument("--connections", default="16,64")
    parser.add_argument("--seconds", type=float, default=5.0, help="measured time per cell")
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--only", default="", help="page keys, comma-separated (hello is kept)")
    parser.add_argument("--json", default="", help="also write the results to this file")
    parser.add_argument(
        "--hello-each",
        action="store_true",
        help="measure hello-world again right after each page and compare with that",
    )
    args = parser.parse_args()

    cache = Path(args.cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.staff.split(",")]
    connections = [int(c) for c in args.connections.split(",")]
    pages = [p for p in PAGES if not args.only or p.key == "hello" or p.key in args.only.split(",")]
    results: dict[str, dict] = {}
    failures: list[str] = []
    for database in args.databases.split(","):
        for staff in sizes:
            url = prepare_database(database, staff, cache, args)
            name = f"{database} {staff}"
            print(f"\n== {name}: {describe(url)}; gunicorn, {args.workers} workers", flush=True)
            env = server_env(url)
            run_pages, setup = plan_pages(env, pages)
            logins = sign_in(env, run_pages, setup)
            logins.update(setup)
            with serve(env, args.workers, cache) as port:
                results[name] = measure(port, run_pages, logins, connections, args)
            failures += check(name, run_pages, results[name], connections)
        if len(sizes) > 1:
            failures += compare_sizes(database, sizes, pages, results, connections)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    print()
    if failures:
        print("targets missed:")
        for line in failures:
            print(f"  {line}")
    else:
        print("all targets met")


# --- the databases --------------------------------------------------------------------------


def describe(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        return "SQLite " + Path(parts.path).name
    return f"PostgreSQL {parts.hostname}{parts.path}"


def base_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        KINERJA_AUDIT_KEY=env.get("KINERJA_AUDIT_KEY") or secrets.token_urlsafe(40),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        EMAIL_URL=env.get("EMAIL_URL") or "dummymail://",  # production requires one; none is sent
        # The API's per-token rate limit would answer 429 to a load test: lift it.
        API_RATE_PER_TOKEN="100000000/min",
        API_RATE_ANON="100000000/min",
    )
    return env


_ENV = base_env()  # one key per run: the sessions and tokens made below must stay valid


def manage(url: str, *argv: str, capture: bool = False) -> str:
    env = dict(_ENV, DATABASE_URL=url)
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *argv],
        env=env,
        cwd=ROOT,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return done.stdout or ""


def prepare_database(database: str, staff: int, cache: Path, args) -> str:
    """Return the URL of a migrated demo province of ``staff`` people, building it if needed."""
    if database == "sqlite":
        path = cache / f"sqlite-{staff}.sqlite3"
        url = f"sqlite:///{path}"
        if args.rebuild or not path.exists():
            building = path.with_suffix(".building")
            for leftover in cache.glob(building.name + "*"):
                leftover.unlink()
            build(f"sqlite:///{building}", staff)
            os.replace(building, path)
        else:
            manage(url, "migrate", "--verbosity", "0")
        return url
    if database != "postgres":
        sys.exit(f"unknown database {database!r}")
    import psycopg

    parts = urlsplit(args.pg_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    prefix = parts.path.strip("/")
    name = f"{prefix if prefix not in ('', 'postgres') else 'kinerja_bench_http'}_{staff}"
    url = urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and args.rebuild:
            conn.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}_building"')
            conn.execute(f'CREATE DATABASE "{name}_building"')
    if exists:
        manage(url, "migrate", "--verbosity", "0")
        return url
    build(urlunsplit(parts._replace(path=f"/{name}_building")), staff)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}_building" RENAME TO "{name}"')
    return url


def build(url: str, staff: int) -> None:
    print(f"building a province of {staff:,} staff ({describe(url)}) ...", flush=True)
    started = time.monotonic()
    manage(url, "migrate", "--verbosity", "0")
    manage(url, "load_demo", "--staff", str(staff), "--verbosity", "0")
    print(f"built in {time.monotonic() - started:.0f} s", flush=True)


def server_env(url: str) -> dict[str, str]:
    return dict(_ENV, DATABASE_URL=url)


PLANNING_SETUP = """
from bench.planning_setup import main
main(%r, %r)
"""


def is_planning(page: Page) -> bool:
    return page.path.startswith(("/plans/", "/api/v1/realisations/"))


def plan_pages(env: dict[str, str], pages) -> tuple[list[Page], dict]:
    """Make the planning pages' data (bench/planning_setup.py) if any is asked for; drop the
    optional pages whose URL does not resolve (or whose object the demo lacks), saying so."""
    if not any(is_planning(p) for p in pages):
        return list(pages), {}
    optional = [p.path.format(skp_plan=1) for p in pages if p.optional]
    code = PLANNING_SETUP % (AGENCY_ADMIN, optional)
    out = manage(env["DATABASE_URL"], "shell", "-c", code, capture=True)
    line = next(line for line in out.splitlines() if line.startswith("BENCH"))
    setup = json.loads(line[len("BENCH") :])
    print(
        f"  planning: agreement {setup['agreement']}, {setup['queue']} realisations in the "
        f"verifier's queue, {len(setup['pool'])} in the write pool",
        flush=True,
    )
    kept = []
    for page in pages:
        if page.optional and not setup["resolves"][page.path.format(skp_plan=1)]:
            print(f"  skipped: {page.label} ({page.path} does not resolve)", flush=True)
        elif "{skp_plan}" in page.path and setup["skp_plan"] is None:
            print(f"  skipped: {page.label} (the demo made no employee plan)", flush=True)
        elif page.write and not setup["pool"]:
            print(f"  skipped: {page.label} (no realisation may be written)", flush=True)
        else:
            kept.append(page)
    return kept, setup


SIGN_IN = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from kinerja.accounts.scope import scope_for
from kinerja.accounts.services import token_create
from kinerja.organisations.models import Employee

out = {}
for name in %r:
    user = get_user_model().objects.get(username=name)
    client = Client()
    client.force_login(user, backend="kinerja.accounts.backends.UsernameOrNipBackend")
    _token, raw = token_create(actor=user, user=user, name="bench http", days=1)
    out[name] = {"session": client.cookies["sessionid"].value, "token": raw}
admin = get_user_model().objects.get(username=%r)
out["employee"] = (
    Employee.objects.within(scope_for(admin)).filter(is_active=True).order_by("pk")[100].pk
)
from kinerja.performance.models import Evaluation
evaluator = get_user_model().objects.filter(username=%r).first()
rated = Evaluation.objects.filter(plan__evaluator_id=getattr(evaluator, "employee_id", None))
out["evaluation"] = getattr(rated.order_by("-pk").first(), "pk", None)
from kinerja.training.models import Event
refreshment = Event.objects.filter(starts_on__year=2023).order_by("pk").first()
out["event"] = getattr(refreshment, "pk", None)
head = get_user_model().objects.filter(username=%r).first()
out["agency"] = getattr(getattr(getattr(head, "employee", None), "unit", None), "agency_id", None)
from kinerja.regional.models import Project
out["project"] = Project.objects.order_by("pk").values_list("pk", flat=True).first()
print("BENCH" + json.dumps(out))
"""


def sign_in(env: dict[str, str], pages, setup: dict) -> dict:
    """Session cookies and API tokens for the demo users of the pages (the verifier of the
    planning pages under its own name), and an employee to open."""
    names = {AGENCY_ADMIN, INSTANSI_WIDE} | {p.user for p in pages if p.user}
    if setup:
        names = (names - {VERIFIER}) | {setup["verifier"]}
    code = SIGN_IN % (sorted(names), AGENCY_ADMIN, EVALUATOR, AGENCY_HEAD)
    out = manage(env["DATABASE_URL"], "shell", "-c", code, capture=True)
    line = next(line for line in out.splitlines() if line.startswith("BENCH"))
    logins = json.loads(line[len("BENCH") :])
    if setup:
        logins[VERIFIER] = logins[setup["verifier"]]
    return logins


# --- the server -----------------------------------------------------------------------------


class serve:  # noqa: N801 - a context manager used like a function
    """Run gunicorn on a free port of 127.0.0.1 for the ``with`` block; yield the port."""

    def __init__(self, env: dict[str, str], workers: int, cache: Path):
        self.env, self.workers, self.cache = env, workers, cache

    def __enter__(self) -> int:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.log = open(self.cache / "gunicorn.log", "a")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--backlog",
                "2048",
                "--timeout",
                "120",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn stopped (see {self.cache / 'gunicorn.log'})")
            try:
                status, _ = asyncio.run(fetch_once(self.port, "/bench/hello", {}))
                if status == 200:
                    return self.port
            except OSError:
                pass
            time.sleep(0.3)
        self.__exit__()
        sys.exit("gunicorn did not answer within 60 s")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


# --- the load generator ---------------------------------------------------------------------


def request_bytes(path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "Accept-Language: id"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def post_bytes(path: str, headers: dict[str, str], body: bytes) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Accept-Language: id"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def read_response(reader: asyncio.StreamReader, body: list | None = None):
    """Read one response; return its status, whether the connection stays open, body size
    (and, given a list, append the body to it)."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("closed before a response")
    status = int(status_line.split()[1])
    length, chunked, close = None, False, status_line.startswith(b"HTTP/1.0")
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
        elif name == "connection":
            close = value == "close"
    parts = []
    if chunked:
        while True:
            n = int((await reader.readline()).split(b";")[0], 16)
            parts.append((await reader.readexactly(n + 2))[:n])
            if n == 0:
                break
    elif length is not None:
        parts.append(await reader.readexactly(length))
    else:
        parts.append(await reader.read())
        close = True
    if body is not None:
        body.append(b"".join(parts))
    return status, not close, sum(len(p) for p in parts)


async def fetch_once(port: int, path: str, headers: dict[str, str]) -> tuple[int, int]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request_bytes(path, headers))
        await writer.drain()
        status, _, size = await read_response(reader)
        return status, size
    finally:
        writer.close()


@dataclass
class Cell:
    ok: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)


async def drive(port: int, raw: bytes, connections: int, seconds: float, cap: int) -> Cell:
    """``connections`` clients send ``raw`` back to back for ``seconds`` (at most ``cap``
    requests in all), each reconnecting whenever the server closes; return what they saw."""
    cell = Cell()
    deadline = time.monotonic() + seconds
    sent = 0

    async def client() -> None:
        nonlocal sent
        reader = writer = None
        while time.monotonic() < deadline and sent < cap:
            sent += 1
            started = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(raw)
                await writer.drain()
                status, keep, _ = await asyncio.wait_for(read_response(reader), 60)
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
                cell.errors += 1
                cell.statuses[type(exc).__name__] = cell.statuses.get(type(exc).__name__, 0) + 1
                if writer is not None:
                    writer.close()
                reader = writer = None
                continue
            cell.latencies.append(time.perf_counter() - started)
            cell.statuses[status] = cell.statuses.get(status, 0) + 1
            if status == 200:
                cell.ok += 1
            else:
                cell.errors += 1
            if not keep:
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    started = time.monotonic()
    await asyncio.gather(*(client() for _ in range(connections)))
    cell.seconds = time.monotonic() - started
    return cell


async def drive_writes(port: int, pool: list[dict], auth: dict, connections: int, seconds: float):
    """``connections`` clients write realisations of ``pool`` for ``seconds``: each takes a
    realisation no other client holds, submits it (as the agency administrator) when it is a
    draft or returned, else returns it with a comment (as its verifier), with the version it
    last answered and a new ``Idempotency-Key``, and puts it back. Every request is a new write:
    a new version of its realisation and one audit event."""
    cell = Cell()
    deadline = time.monotonic() + seconds
    free: asyncio.Queue = asyncio.Queue()
    for item in pool:
        free.put_nowait(item)

    def request(item: dict) -> bytes:
        submit = item["status"] in ("draft", "returned")
        headers = dict(auth["writer" if submit else "verifier"], **{"Idempotency-Key": uuid()})
        body = {"version": item["version"]}
        if not submit:
            body["comment"] = "Lengkapi bukti dukung"
        step = "submit" if submit else "return"
        return post_bytes(f"/api/v1/realisations/{item['id']}/{step}/", headers, json_bytes(body))

    async def client() -> None:
        reader = writer = None
        while time.monotonic() < deadline:
            try:
                item = await asyncio.wait_for(free.get(), max(deadline - time.monotonic(), 0.01))
            except TimeoutError:
                break
            started = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(request(item))
                await writer.drain()
                body: list[bytes] = []
                status, keep, _ = await asyncio.wait_for(read_response(reader, body), 60)
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
                cell.errors += 1
                cell.statuses[type(exc).__name__] = cell.statuses.get(type(exc).__name__, 0) + 1
                if writer is not None:
                    writer.close()
                reader = writer = None
                await resync(port, item, auth)
                free.put_nowait(item)
                continue
            cell.latencies.append(time.perf_counter() - started)
            cell.statuses[status] = cell.statuses.get(status, 0) + 1
            if status == 200:
                cell.ok += 1
                answer = json.loads(body[0])
                item["version"], item["status"] = answer["version"], answer["status"]
            else:
                cell.errors += 1
                await resync(port, item, auth)
            free.put_nowait(item)
            if not keep:
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    started = time.monotonic()
    await asyncio.gather(*(client() for _ in range(connections)))
    cell.seconds = time.monotonic() - started
    return cell


async def resync(port: int, item: dict, auth: dict) -> None:
    """Read a realisation's version and status again after a failed write (not counted)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request_bytes(f"/api/v1/realisations/{item['id']}/", auth["writer"]))
        await writer.drain()
        body: list[bytes] = []
        status, _, _ = await read_response(reader, body)
        if status == 200:
            answer = json.loads(body[0])
            item["version"], item["status"] = answer["version"], answer["status"]
    finally:
        writer.close()


def uuid() -> str:
    return secrets.token_hex(16)


def json_bytes(data: dict) -> bytes:
    return json.dumps(data).encode()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def headers_for(page: Page, logins: dict, user: str | None = None) -> dict[str, str]:
    if page.user is None:
        return {}
    login = logins[user or page.user]
    if page.api:
        return {"Authorization": f"Bearer {login['token']}", "Accept": "application/json"}
    return {"Cookie": f"sessionid={login['session']}"}


def measure(port: int, pages, logins: dict, connections: list[int], args) -> dict:
    out: dict[str, dict] = {}
    print(
        f"  {'page':32} {'conns':>5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'p99/p50':>7} {'errors':>6} {'vs hello':>8}  {'KiB':>5}",
        flush=True,
    )
    hello_raw = request_bytes("/bench/hello", {})
    for page in pages:
        headers = headers_for(page, logins)
        if page.write:
            path, size = page.path, 0
            auth = {"writer": headers, "verifier": headers_for(page, logins, VERIFIER)}
            pool = [dict(item) for item in logins["pool"]]
        else:
            path = page.path.format(
                employee=logins["employee"],
                agreement=logins.get("agreement"),
                skp_plan=logins.get("skp_plan"),
                evaluation=logins.get("evaluation"),
                event=logins.get("event"),
                agency=logins.get("agency"),
                project=logins.get("project"),
            )
            status, size = asyncio.run(fetch_once(port, path, headers))
            if status != 200:
                sys.exit(f"{page.label}: {path} answered {status}, not 200")
            raw = request_bytes(path, headers)
        out[page.key] = {"label": page.label, "path": path, "bytes": size}
        for n in connections:
            if page.write:
                asyncio.run(drive_writes(port, pool, auth, n, args.warmup))
                cell = asyncio.run(drive_writes(port, pool, auth, n, args.seconds))
            else:
                asyncio.run(drive(port, raw, n, args.warmup, 10**9))
                cell = asyncio.run(drive(port, raw, n, args.seconds, 10**9))
            rps = cell.ok / cell.seconds
            p50, p99 = percentile(cell.latencies, 0.50), percentile(cell.latencies, 0.99)
            hello = out["hello"][str(n)]["rps"] if page.key != "hello" else rps
            if args.hello_each and page.key != "hello":
                # On a shared machine the load changes between the first hello-world and this
                # page: compare with a hello-world measured right after it instead.
                floor = asyncio.run(drive(port, hello_raw, n, args.seconds, 10**9))
                hello = floor.ok / floor.seconds
            out[page.key][str(n)] = row = {
                "rps": rps,
                "p50_ms": p50 * 1000,
                "p99_ms": p99 * 1000,
                "errors": cell.errors,
                "requests": cell.ok + cell.errors,
                "vs_hello": rps / hello if hello else 0.0,
                "hello_rps": hello,
            }
            print(
                f"  {page.label:32} {n:5} {rps:8.1f} {row['p50_ms']:8.1f} {row['p99_ms']:8.1f} "
                f"{p99 / p50:7.1f} {cell.errors:6} {row['vs_hello']:8.3f}  {size / 1024:5.0f}",
                flush=True,
            )
            if cell.errors:
                print(f"      answers: {cell.statuses}", flush=True)
    return out


def check(name: str, pages, result: dict, connections: list[int]) -> list[str]:
    missed = []
    for page in pages:
        for n in connections:
            row = result[page.key][str(n)]
            where = f"{name}, {page.label}, {n} connections"
            if page.target is not None and row["vs_hello"] < page.target:
                missed.append(f"{where}: {row['vs_hello']:.3f}x hello-world < {page.target}x")
            if row["p99_ms"] > TARGET_TAIL * row["p50_ms"]:
                missed.append(f"{where}: p99 {row['p99_ms']:.0f} ms > 5x p50 {row['p50_ms']:.0f}")
            if n == max(connections) and row["errors"]:
                missed.append(f"{where}: {row['errors']} errors")
    return missed


def compare_sizes(database: str, sizes: list[int], pages, results: dict, conns) -> list[str]:
    """Each page's cost (seconds per request) at each size against the first size."""
    first = results[f"{database} {sizes[0]}"]
    missed = []
    print(f"\n== {database}: cost per request against {sizes[0]:,} staff (1.0 = the same)")
    for page in pages:
        if any(page.key not in results[f"{database} {staff}"] for staff in sizes):
            continue  # skipped at some size
        for n in conns:
            for staff in sizes[1:]:
                other = results[f"{database} {staff}"]
                ratio = first[page.key][str(n)]["rps"] / other[page.key][str(n)]["rps"]
                print(f"  {page.label:32} {n:5} at {staff:>9,}: {ratio:5.2f}x")
                if ratio > TARGET_SCALE and page.key != "hello":
                    missed.append(
                        f"{database}, {page.label}, {n} connections: {ratio:.2f}x the cost at "
                        f"{staff:,} staff (> {TARGET_SCALE}x)"
                    )
    return missed


if __name__ == "__main__":
    main()
