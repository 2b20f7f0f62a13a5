#!/usr/bin/env python
"""Benchmark the dashboards' data: the province's and an agency's, against the same figures
computed on the fly from the raw rows with one SQL statement, at two province sizes.

The provinces are those of ``bench/achievement.py`` (the demo's organisation, goal tree, shared
targets and agreements, then one signed 2023 plan for every employee holding a post, five
indicators each, a realisation in each of the four quarters), built and cached by that script's
code at ``--staff`` sizes (default 8,033 and 80,330: the province and a tenth of it, so the
growth between them is tenfold), plus the development areas and projects (the demo's
``regional`` step). For each database and size it times, in one process:

1. **province**: ``analytics.selectors_dashboards.province_dashboard`` for a leadership scope
   (key indicators, agencies ranked, goals and themes, development areas, training), the data
   the page renders;
2. **agency**: ``agency_dashboard`` for the largest agency (its PK, its units, its staff's plan
   completion, the predikat distribution);
3. **on the fly**: ONE SQL statement over the raw rows (targets, indicators, verified
   realisations, sub-period targets, shared targets, plans) that computes the same achievement
   figures the dashboards show (the agencies' and the province's for the province; the
   agency's and its units' for the agency), with the floor of ``bench/achievement.py``
   (aggregation per indicator, both directions, ranges, the cap and floor, the weights) narrowed
   to the targets those figures need. It computes and writes nothing.

Each is read ``--reads`` times (after one warm-up); the figures are the median and the 95th
percentile. The dashboards keep their staff-wide figures until the instansi's next audited write;
each is also timed as the first read after a write (the cache emptied before every read), and
both are reported. Targets: each dashboard at least 5x faster than on the fly; from the smaller
province to the ten-times larger one, each dashboard's median grows at most 1.5x.

    .venv/bin/python bench/dashboard.py                         # SQLite, 8,033 and 80,330 staff
    .venv/bin/python bench/dashboard.py --databases sqlite,postgres --reads 30
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

YEAR = 2023
TARGET_SPEEDUP = 5.0  # the dashboard at least this many times faster than on the fly
TARGET_GROWTH = 1.5  # at most this much slower in a province ten times larger


def _achievement():
    """bench/achievement.py as a module (it builds and caches the provinces)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_achievement", HERE / "achievement.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# In the child: the province, the scope, the timings ----------------------------------------


def ensure_regional(instansi) -> None:
    """Load the demo's development areas and projects once (the provinces are cached without
    them when they were built before the regional app)."""
    from django.db import transaction
    from django.utils.module_loading import import_string

    from kinerja.core.registry import demo_steps
    from kinerja.organisations.management.commands.load_demo import DemoContext
    from kinerja.regional.models import Project

    if Project.objects.filter(instansi=instansi).exists():
        return
    ctx = DemoContext(staff=0, instansi=instansi)
    with transaction.atomic():
        for step in demo_steps():
            if step.label == "regional":
                import_string(step.run)(ctx)


def leadership_scope(instansi):
    from kinerja.accounts.roles import ROLE_ACTIONS, Role
    from kinerja.core.scope import Grant, Scope

    grant = Grant(actions=ROLE_ACTIONS[Role.LEADERSHIP], role=Role.LEADERSHIP)
    return Scope(
        instansi_id=instansi.pk, grants=(grant,), user_id=-1, roles=frozenset({Role.LEADERSHIP})
    )


def largest_agency(instansi):
    """The agency with the most active staff."""
    from django.db.models import Count

    from kinerja.organisations.models import Employee, OrgUnit

    top = (
        Employee.objects.filter(instansi=instansi, is_active=True)
        .values("unit__agency_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return OrgUnit.objects.get(pk=top["unit__agency_id"])


def on_the_fly(instansi_id: int, agency=None) -> list[tuple]:
    """The floor of bench/achievement.py narrowed to the targets the dashboard's figures need:
    the goal tree's targets for the province (the agencies' and the province's figures); the
    agency's goal-tree targets and its staff's plan targets for an agency (its own figure and
    its units')."""
    from django.db import connection

    achievement = _achievement()
    sql, params = achievement.floor_sql(instansi_id)
    where = "WHERE t.instansi_id = %(instansi)s"
    if agency is None:
        narrowed = where + " AND i.goal_id IS NOT NULL"
        kinds = "('agency', 'province')"
    else:
        # The agency's own targets carry its unit; a plan's targets carry none (their plan's
        # unit says whose they are).
        narrowed = (
            where + " AND (i.unit_id IN (SELECT u.id FROM organisations_orgunit u "
            "WHERE u.path LIKE %(prefix)s) OR pr.plan_id IN (SELECT p.id FROM performance_plan p "
            "JOIN organisations_orgunit u ON u.id = p.unit_id WHERE u.path LIKE %(prefix)s))"
        )
        params["prefix"] = agency.path + "%"
        kinds = "('agency', 'unit', 'plan')"
    assert where in sql  # noqa: S101 - the floor's text is this script's own
    sql = sql.replace(where, narrowed, 1)
    # The realisations of those targets only.
    sql = sql.replace(
        "WHERE re.instansi_id = %(instansi)s AND re.status = 'verified'",
        "WHERE re.instansi_id = %(instansi)s AND re.status = 'verified' "
        "AND re.target_id IN (SELECT id FROM t)",
        1,
    )
    sql = f"SELECT * FROM ({sql}) figures WHERE kind IN {kinds}"  # noqa: S608 - fixed text
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET jit = off")
        cursor.execute(sql, params)
        return cursor.fetchall()


def timed(work, reads: int) -> dict:
    work()  # warm-up: connection, caches, imports
    seconds = []
    for _ in range(reads):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    seconds.sort()
    p95 = seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))]
    return {"median": statistics.median(seconds), "p95": p95}


def worker(args) -> dict:
    import resource

    from django.core.cache import cache
    from django.db import connection

    from kinerja.analytics import selectors_dashboards as dash
    from kinerja.organisations.models import Instansi

    instansi = Instansi.objects.get(code="jatim")
    ensure_regional(instansi)
    scope = leadership_scope(instansi)
    agency = largest_agency(instansi)
    filters = dash.resolve_filters(instansi.pk, YEAR, None)

    def province():
        board = dash.province_dashboard(scope, filters)
        assert board is not None  # noqa: S101

    def agency_board():
        board = dash.agency_dashboard(scope, agency, filters)
        assert board is not None  # noqa: S101

    def cold(work):
        """The read after a write: the figures the dashboards keep until the instansi's next
        audited write (``audit.freshness.kept``) are gone, so everything is read again."""

        def run():
            cache.clear()
            work()

        return run

    flies = min(args.reads, args.fly_reads)
    figures = {
        "database": connection.vendor,
        "staff": args.staff,
        "agency": agency.name,
        "province": timed(province, args.reads),
        "agency_board": timed(agency_board, args.reads),
        "province_cold": timed(cold(province), args.reads),
        "agency_board_cold": timed(cold(agency_board), args.reads),
        "fly_province": timed(lambda: on_the_fly(instansi.pk), flies),
        "fly_agency": timed(lambda: on_the_fly(instansi.pk, agency), flies),
        "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(
        f"{connection.vendor} {args.staff:,}: province {figures['province']['median'] * 1000:.1f}"
        f" ms, agency {figures['agency_board']['median'] * 1000:.1f} ms, on the fly "
        f"{figures['fly_province']['median'] * 1000:.0f} / "
        f"{figures['fly_agency']['median'] * 1000:.0f} ms",
        flush=True,
    )
    return figures


def in_child(args) -> None:
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(json.dumps(worker(args)))


def child(url: str, args, staff: int) -> dict:
    argv = [sys.executable, __file__, "--role", "time", "--database-url", url]
    argv += ["--staff", str(staff), "--reads", str(args.reads), "--fly-reads", str(args.fly_reads)]
    done = subprocess.run(argv, check=True, text=True, stdout=subprocess.PIPE, cwd=ROOT)
    lines = done.stdout.rstrip().splitlines()
    print("\n".join(lines[:-1]), flush=True)
    return json.loads(lines[-1])


# Report -------------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def table(results: list[dict]) -> tuple[str, list[str]]:
    failures = []
    lines = [
        "| database | staff | dashboard | median | p95 | after a write (median) | on the fly "
        "(median) | speed-up | after a write | growth | after a write |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    smallest: dict[tuple[str, str], float] = {}
    largest = max(r["staff"] for r in results)
    for r in sorted(results, key=lambda r: (r["database"], r["staff"])):
        for key, fly, label in (
            ("province", "fly_province", "province"),
            ("agency_board", "fly_agency", f"agency ({r['agency']})"),
        ):
            median, cold = r[key]["median"], r[key + "_cold"]["median"]
            speedup = r[fly]["median"] / median
            base = smallest.setdefault((r["database"], key), median)
            base_cold = smallest.setdefault((r["database"], key + "_cold"), cold)
            growth = median / base
            lines.append(
                f"| {r['database']} | {r['staff']:,} | {label} | {ms(median)} | "
                f"{ms(r[key]['p95'])} | {ms(cold)} | {ms(r[fly]['median'])} | {speedup:.1f}x | "
                f"{r[fly]['median'] / cold:.1f}x | {growth:.2f}x | {cold / base_cold:.2f}x |"
            )
            # The speed-up is the province's (the largest size); the smaller one is there to
            # measure the growth.
            if r["staff"] == largest and speedup < TARGET_SPEEDUP:
                failures.append(f"{r['database']} {r['staff']:,} {key}: {speedup:.1f}x on the fly")
            if growth > TARGET_GROWTH:
                failures.append(f"{r['database']} {r['staff']:,} {key}: grew {growth:.2f}x")
    return "\n".join(lines), failures


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite", help="sqlite, postgres or both")
    parser.add_argument("--staff", default="8033,80330", help="province sizes, comma-separated")
    parser.add_argument("--reads", type=int, default=30, help="reads of each dashboard")
    parser.add_argument("--fly-reads", type=int, default=5, help="runs of the on-the-fly SQL")
    parser.add_argument(
        "--pg-url", default="postgres://postgres@127.0.0.1:5432/kinerja_bench_achievement"
    )
    parser.add_argument(
        "--cache-dir", default=str(Path(tempfile.gettempdir()) / "kinerja-bench-achievement")
    )
    parser.add_argument("--role", choices=("time",), help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main() -> None:
    args = parse()
    if args.role:
        args.staff = int(args.staff)
        in_child(args)
        return
    achievement = _achievement()
    results = []
    for database in [d.strip() for d in args.databases.split(",") if d.strip()]:
        for staff in [int(s) for s in args.staff.split(",") if s.strip()]:
            build_args = achievement.parse(
                ["--staff", str(staff), "--pg-url", args.pg_url, "--cache-dir", args.cache_dir]
            )
            achievement.ARGS = build_args
            url = achievement.prepare(database, build_args)
            results.append(child(url, args, staff))
    text, failures = table(results)
    print()
    print(text)
    print()
    print("targets: " + ("all met" if not failures else "NOT MET: " + "; ".join(failures)))


if __name__ == "__main__":
    main()
