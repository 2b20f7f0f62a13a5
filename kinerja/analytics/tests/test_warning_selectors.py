"""The warning rows from stored targets: the projections of the fixture (warning_fixtures.py),
the action plan's weights read from the PK, silence, owners, the scan and its scope."""

from __future__ import annotations

from decimal import Decimal as D

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja.accounts.scope import scope_for
from kinerja.analytics import selectors_warning as sel
from kinerja.analytics.models import TargetWarning
from kinerja.performance.models import Target

from .warning_fixtures import TODAY, YEAR, wr_fixture  # noqa: F401 - the wr fixture


def by_code(rows):
    return {r.code: r for r in rows}


def test_the_projections_of_the_fixture(wr):
    rows = by_code(sel.project_targets(Target.objects.filter(year=YEAR), today=TODAY))
    assert rows["W-A1"].percent == D("76.67") and rows["W-A1"].status == "at_risk"
    assert rows["W-A2"].percent == D("90.59") and rows["W-A2"].status == "on_track"
    # The PK's action plan (two actions, 10/10/40/40 each) moves W-A3 onto the track.
    assert rows["W-A3"].projection.basis == "action_plan"
    assert rows["W-A3"].percent == D("115.00") and rows["W-A3"].status == "on_track"
    assert rows["W-B1"].percent == D("40.00") and rows["W-B1"].projection.basis == "even"
    assert rows["W-B2"].percent is None and rows["W-B2"].status == "silent"
    assert rows["W-B2"].silent == (1, 2)
    assert rows["W-P1"].percent == D("89.41") and rows["W-P1"].kind == "province"
    assert rows["W-SA"].percent == D("33.33") and rows["W-SA"].kind == "skp"
    # Owners, links and the last update.
    assert rows["W-A1"].owner == "Dinas Pendidikan" and rows["W-A1"].agreement_id == wr.agreement.pk
    assert rows["W-SA"].owner == "Siti Aminah" and rows["W-SA"].plan_id == wr.plan_a.pk
    assert rows["W-SA"].agency_name == "Dinas Pendidikan"
    assert rows["W-A1"].last_update is not None and rows["W-B2"].last_update is None
    # At risk first, the lowest projection first.
    order = [r.code for r in sel.project_targets(Target.objects.filter(year=YEAR), today=TODAY)]
    assert order[:5] == ["W-SB", "W-SA", "W-B1", "W-A1", "W-P1"]  # ties by agency name


def test_a_sub_period_not_yet_due_is_not_silent(wr):
    early = TODAY.replace(month=3, day=1)
    wr.q[1].status = wr.q[2].status = "open"
    wr.q[1].save(), wr.q[2].save()
    row = sel.project_targets(Target.objects.filter(pk=wr.b2.pk), today=early)[0]
    assert row.silent == () and row.status == "not_projectable"


def test_a_submitted_report_is_not_silent_a_draft_is(wr):
    from kinerja.performance.models import Realisation

    Realisation.objects.create(
        instansi=wr.world.instansi, target=wr.b2, sub_period=wr.q[1], value=1, status="submitted"
    )
    Realisation.objects.create(
        instansi=wr.world.instansi, target=wr.b2, sub_period=wr.q[2], value=1, status="draft"
    )
    row = sel.project_targets(Target.objects.filter(pk=wr.b2.pk), today=TODAY)[0]
    assert row.silent == (2,)
    assert row.percent is None  # nothing verified: not projectable, never 0


def test_the_number_of_queries_does_not_grow_with_the_targets(wr):
    # W-A3 has an action plan: a set without one skips the two reads of its actions.
    with CaptureQueriesContext(connection) as few:
        sel.project_targets(Target.objects.filter(pk=wr.a3.pk), today=TODAY)
    with CaptureQueriesContext(connection) as many:
        sel.project_targets(Target.objects.filter(year=YEAR), today=TODAY)
    assert len(many) == len(few) <= 11


def test_the_head_reaches_the_agencys_targets_only(wr):
    head = scope_for(wr.world.users["opd_head"])
    leader = scope_for(wr.world.users["leadership"])
    mine = {r.code for r in sel.goal_rows(head, YEAR, today=TODAY)}
    assert mine == {"W-A1", "W-A2", "W-A3"}
    wide = {r.code for r in sel.goal_rows(leader, YEAR, today=TODAY)}
    assert wide == {"W-A1", "W-A2", "W-A3", "W-B1", "W-B2", "W-P1"}


def test_the_scan_keeps_the_flagged_targets_and_the_staff_list_is_scoped(wr):
    n = sel.scan(wr.world.instansi.pk, YEAR, today=TODAY)
    flags = dict(TargetWarning.objects.values_list("target__indicator__code", "status"))
    assert flags == {
        "W-A1": "at_risk",
        "W-B1": "at_risk",
        "W-B2": "silent",
        "W-P1": "at_risk",
        "W-SA": "at_risk",
        "W-SB": "at_risk",
    }
    assert n == 6
    head = scope_for(wr.world.users["opd_head"])
    leader = scope_for(wr.world.users["leadership"])
    staff = sel.staff_flags(head, YEAR).values_list("target__indicator__code", flat=True)
    assert list(staff) == ["W-SA"]
    assert set(sel.staff_flags(leader, YEAR).values_list("target__indicator__code", flat=True)) == {
        "W-SA",
        "W-SB",
    }
    # The home card's count: agency A's W-A1 and Siti's W-SA for its head; every one for the
    # leadership.
    assert sel.at_risk_in_reach(head, YEAR) == 2
    assert sel.at_risk_in_reach(leader, YEAR) == 5
    # A second scan replaces the flags: W-B1 verified at 100 in Q2 recovers (110 / 50 %).
    from kinerja.performance.models import Realisation

    Realisation.objects.create(
        instansi=wr.world.instansi, target=wr.b1, sub_period=wr.q[2], value=100, status="verified"
    )
    sel.scan(wr.world.instansi.pk, YEAR, today=TODAY)
    assert not TargetWarning.objects.filter(target=wr.b1).exists()
