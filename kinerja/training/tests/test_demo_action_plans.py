# ruff: noqa: F811 - the planning fixtures (pk, plan, scopes) are imported by name
"""The demo step of the action plans on a small 2023 refreshment made with factories: five
heads (two bureau heads of the Setda, three heads of agency) reporting to the Sekda; three
hold a 2023 agreement, two do not (and have no SKP: their plans stay drafts)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from kinerja.organisations.choices import PositionKind, UnitKind
from kinerja.organisations.tests.factories import (
    EmployeeFactory,
    OrgUnitFactory,
    PositionFactory,
)
from kinerja.organisations.tests.lines import hold, line
from kinerja.performance.models import Agreement, AgreementTarget, PlanDialogue
from kinerja.performance.tests.conftest import pk, plan, scopes  # noqa: F401
from kinerja.training.demo_action_plans import TITLE, demo_action_plans_run, demo_action_plans_wipe
from kinerja.training.models import ActionPlan, FollowUpReview, ProgressUpdate
from kinerja.training.selectors_action_plans import behaviour_summary, linked_targets
from kinerja.training.tests.factories import EventFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The services' messages are checked in English (the catalogue translates them)."""
    from django.utils import translation

    with translation.override("en"):
        yield


START = dt.date(2020, 1, 1)


@pytest.fixture
def demo(world, pk):
    inst = world.instansi
    setda = OrgUnitFactory(instansi=inst, code="SETDA", name="Sekretariat Daerah", kind="setda")
    sekda_post = PositionFactory(
        unit=setda, code="SEKDA", title="Sekretaris Daerah", is_head=True, kind="jpt_madya"
    )
    sekda = hold(EmployeeFactory(unit=setda, name="Sekda"), sekda_post, START)
    heads = []
    for code in ("BIRO-PEM", "BIRO-EKO"):
        biro = OrgUnitFactory(
            instansi=inst, parent=setda, code=code, name=f"Biro {code}", kind=UnitKind.BIRO
        )
        post = PositionFactory(
            unit=biro,
            code=f"{code}-K",
            title="Kepala Biro",
            is_head=True,
            kind=PositionKind.JPT_PRATAMA,
        )
        heads.append(hold(EmployeeFactory(unit=biro, name=f"Kepala {code}"), post, START))
    agency_c = OrgUnitFactory(instansi=inst, code="DISHUB", name="Dinas Perhubungan")
    head_b_post = PositionFactory(
        unit=world.agency_b,
        code="DINKES-K",
        title="Kepala Dinas Kesehatan",
        is_head=True,
        kind=PositionKind.JPT_PRATAMA,
    )
    head_c_post = PositionFactory(
        unit=agency_c,
        code="DISHUB-K",
        title="Kepala Dinas Perhubungan",
        is_head=True,
        kind=PositionKind.JPT_PRATAMA,
    )
    head_a = world.head_a  # holds the post from the planning fixture (pk)
    head_b = hold(EmployeeFactory(unit=world.agency_b, name="Kadinkes"), head_b_post, START)
    head_c = hold(EmployeeFactory(unit=agency_c, name="Kadishub"), head_c_post, START)
    heads += [head_a, head_b, head_c]
    for head in heads:
        line(head.position, sekda_post, START)
    event = EventFactory(instansi=inst, organiser_unit=world.agency_a, title=TITLE)
    for head in heads:
        ParticipantFactory(event=event, employee=head)

    def agreement(unit, holder, *targets):
        row = Agreement.objects.create(
            instansi=inst,
            unit=unit,
            year=2023,
            agreement_date=dt.date(2023, 1, 5),
            first_party=holder,
            first_party_name=holder.name,
            first_party_title="Kepala",
        )
        return [
            AgreementTarget.objects.create(agreement=row, target=t, goal=pk.plan.target_a)
            for t in targets
        ]

    targets = agreement(world.agency_a, head_a, pk.t_a, pk.t_iku)
    targets += agreement(world.agency_b, head_b, pk.t_b)
    targets += agreement(heads[0].unit, heads[0], pk.t_a_2024)
    return SimpleNamespace(event=event, heads=heads, sekda=sekda, targets=targets)


def test_the_demo_writes_links_delegates_and_reviews(demo, world):
    ctx = SimpleNamespace(instansi=world.instansi)
    message = demo_action_plans_run(ctx)
    assert message == "3 action plans, 3 approved"
    plans = {p.participant.employee_id: p for p in ActionPlan.objects.select_related("participant")}
    assert len(plans) == 5
    bureau, _eko, head_a, head_b, head_c = demo.heads
    # Linked to their own 2023 PK targets only: 1 or 2 each; Kadishub has none (a draft).
    links = linked_targets(demo.event)
    linked = {plans[e.pk].participant_id for e in (bureau, head_a, head_b)}
    assert set(links) == linked
    mine = {t.pk for t in demo.targets}
    for entry in links.values():
        assert 1 <= len(entry["agreement_targets"]) <= 2
        assert set(entry["agreement_targets"]) <= mine
    assert plans[head_c.pk].status == "draft" and plans[head_c.pk].links.count() == 0
    # The mentor: the Sekda by default; delegated to the bureau heads for the agencies.
    assert plans[bureau.pk].mentor == demo.sekda
    assert plans[head_a.pk].mentor_id in {demo.heads[0].pk, demo.heads[1].pk}
    assert plans[head_a.pk].mentor_delegated_by is None  # the system (load_demo) delegated
    # Milestones, progress (each a report on 2023 days), reviews at 3, 6 and 12 months.
    assert ProgressUpdate.objects.count() == 3 * 3
    assert set(ProgressUpdate.objects.values_list("on", flat=True)) == {
        dt.date(2023, 3, 20),
        dt.date(2023, 6, 20),
        dt.date(2023, 11, 30),
    }
    reviews = FollowUpReview.objects.filter(submitted_at__isnull=False)
    assert set(reviews.values_list("month", flat=True)) == {3, 6, 12}
    assert {r.submitted_at.date() for r in reviews} == {
        dt.date(2023, 4, 10),
        dt.date(2023, 7, 10),
        dt.date(2024, 1, 10),
    }
    summary = behaviour_summary(demo.event)
    # 3 plans reviewed each month; round(3 * 70 %) = 2 on track at 3 months, 2 at 6, 2 at 12.
    assert [summary[m]["reviewed"] for m in (3, 6, 12)] == [3, 3, 3]
    assert [summary[m]["on_track"] for m in (3, 6, 12)] == [2, 2, 2]
    # Again: keeps what is there. Wipe: plans and their SKP feedback go.
    assert demo_action_plans_run(ctx) == "action plans already there"
    demo_action_plans_wipe(ctx)
    assert ActionPlan.objects.count() == 0
    assert PlanDialogue.objects.count() == 0
