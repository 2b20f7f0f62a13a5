"""bench/achievement.py at a tiny size, so that it cannot rot: the generator makes the plans it
says, the floor (one SQL statement) gives the same numbers as `recompute_aggregates` on both
databases, the comparison catches a difference, and the figures table prints."""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from kinerja.core.db import analyze
from kinerja.organisations.models import Instansi
from kinerja.performance.models import Indicator, Plan, Realisation, Rollup, Target

BENCH = Path(__file__).resolve().parents[1] / "bench" / "achievement.py"
STAFF = 200  # the synthetic province's least


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_achievement", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def bench():
    return load_bench()


@pytest.mark.django_db
def test_the_bench_at_200_staff(bench):
    """One build (the slow part), then each check. Without the agreements step (the slowest):
    the goal tree and the shared targets are enough for the agencies and the province."""
    counts = bench.build(STAFF, 3, 2023, steps=("planning", "collaborations"))
    call_command("recompute_aggregates", "--instansi", "jatim", verbosity=0)
    instansi = Instansi.objects.get(code="jatim")

    # The generator: one plan a post, three indicators a plan, the four quarters.
    plans = Plan.objects.filter(instansi=instansi, period__year=2023)
    assert plans.count() == counts["plans"] >= 190  # 200 staff, nearly all holding a post
    assert Indicator.objects.filter(result__plan__in=plans).count() == 3 * counts["plans"]
    generated = Realisation.objects.filter(target__indicator__result__plan__in=plans)
    assert generated.count() == counts["realisations"]
    assert 0.95 * 4 * 3 * counts["plans"] < counts["realisations"] <= 4 * 3 * counts["plans"]
    assert generated.filter(status="verified").count() == counts["verified"]
    shapes = set(
        Target.objects.filter(indicator__result__plan__in=plans).values_list("shape", flat=True)
    )
    assert shapes == {"value", "range", "qualitative"}

    # The floor gives the recomputed numbers, every roll-up row. The tables written in this
    # test have no statistics yet (the bench analyses its province after building it): on
    # PostgreSQL the planner would nest loops over the floor's CTEs for minutes.
    analyze()
    rows = bench.run_floor(instansi.pk)
    assert {row[0] for row in rows} == {"plan", "unit", "agency", "province"}
    compared = bench.compare(instansi.pk, rows)
    assert compared == Rollup.objects.filter(instansi=instansi).exclude(kind="target").count()
    assert compared > 190 * 5  # every plan's year and four quarters, at least

    # ... and the comparison catches a difference of a cent.
    row = Rollup.objects.filter(instansi=instansi, kind="plan", percent__isnull=False).first()
    Rollup.objects.filter(pk=row.pk).update(percent=row.percent + Decimal("0.01"))
    with pytest.raises(AssertionError, match="differs from the roll-ups on 1 rows"):
        bench.compare(instansi.pk, bench.run_floor(instansi.pk))


def test_figures_table(bench):
    bench.ARGS = bench.parse(["--staff", "200", "--indicators", "3"])
    figures = {
        "database": "sqlite",
        "staff": 200,
        "plans": 199,
        "targets": 1000,
        "realisations": 2300,
        "verified": 2200,
        "rollup_rows": 5000,
        "compared": 1200,
        "floor_s": 2.0,
        "floor_rss_mib": 90.0,
        "recompute_s": 5.0,
        "recompute_rss_mib": 120.0,
        "agency_read_s": 0.0004,
        "province_read_s": 0.0002,
        "recompute_x": 2.5,
        "recompute_empty_s": 8.0,
        "recompute_empty_rss_mib": 130.0,
        "recompute_empty_x": 4.0,
        "province_x": 0.0001,
        "agency_x": 0.0002,
    }
    text = bench.table([figures])
    assert "| 200 staff x 3 indicators | sqlite |" in text
    assert "| **recompute / floor** (target <= 3) | **2.50x** |" in text
    assert "| **into an empty table / floor** | **4.00x** |" in text
    assert "| province read | 0.20 ms |" in text
