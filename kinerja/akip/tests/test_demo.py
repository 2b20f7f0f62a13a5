"""The demo's AKIP step on the small world: agency A (Dinas Pendidikan, with its signed PK
2023) gets a final 2023 worksheet with three recommendations and this year's draft; a second
run adds nothing; the wipe removes them."""

from __future__ import annotations

from types import SimpleNamespace

from django.utils import timezone

from kinerja.akip.demo import demo_akip_run, demo_akip_wipe
from kinerja.akip.models import Evaluation, FollowUp, Recommendation


def test_the_demo_step_is_deterministic_and_wiped(akip):
    ctx = SimpleNamespace(instansi=akip.world.instansi)
    demo_akip_run(ctx)
    final = Evaluation.objects.get(agency=akip.world.agency_a, year=2023)
    assert final.status == "final" and final.answers.filter(source="answered").count() == 80
    # Confirmed suggestion 1.1.6 BB; the rest follow the pattern.
    assert final.answers.get(criterion="1.1.6").grade == "BB"
    assert 50 < final.score < 90
    statuses = sorted(Recommendation.objects.values_list("status", flat=True))
    assert statuses == ["done", "in_progress", "open"]
    assert FollowUp.objects.count() == 2
    this_year = Evaluation.objects.get(agency=akip.world.agency_a, year=timezone.localdate().year)
    # This year's sheet reads the 2023 recommendations: 1 of 3 done, 33.3 % -> C.
    assert this_year.answers.get(criterion="4.3.1").grade == "C"
    before = (Evaluation.objects.count(), Recommendation.objects.count(), final.score)
    demo_akip_run(ctx)
    assert (Evaluation.objects.count(), Recommendation.objects.count()) == before[:2]
    demo_akip_wipe(ctx)
    assert not Evaluation.objects.exists() and not Recommendation.objects.exists()
