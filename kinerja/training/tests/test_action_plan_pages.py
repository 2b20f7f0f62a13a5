# ruff: noqa: F811 - the fixtures are imported by name
"""The action-plan pages: the participant links from a list of their own targets only, an
agency's viewers see their nominees' plans only, the organiser sees the behaviour summary."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinerja.performance.tests.conftest import pk, plan, scopes  # noqa: F401
from kinerja.training.models import ActionPlanLink
from kinerja.training.tests.test_action_plans import ap, head_plan, today, write  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_participant_links_from_their_own_targets_only(ap, client):
    plan = write(ap, ap.head_part, ap.head_user, ap.head_scope)
    client.force_login(ap.head_user)
    url = reverse("training:action_plan_detail", args=[plan.pk])
    page = client.get(url).content.decode()
    assert f'value="pk:{ap.target_a.pk}"' in page
    assert f'value="pk:{ap.target_b.pk}"' not in page  # agency B's PK: not Budi's
    # Posting someone else's target anyway: refused with the reason, nothing linked.
    response = client.post(url, {"op": "link", "target": f"pk:{ap.target_b.pk}"}, follow=True)
    assert "Sasaran ini bukan milik Anda." in response.content.decode()
    assert ActionPlanLink.objects.count() == 0
    client.post(url, {"op": "link", "target": f"pk:{ap.target_a.pk}"})
    assert list(plan.links.values_list("agreement_target", flat=True)) == [ap.target_a.pk]


def test_the_event_page_is_scoped_and_the_organiser_sees_the_summary(ap, client):
    from kinerja.training.tests.factories import ParticipantFactory

    head_plan(ap)
    write(ap)
    rina = ParticipantFactory(event=ap.event, employee=ap.world.staff_b)
    from kinerja.training.models import ActionPlan

    ActionPlan.objects.create(
        instansi=ap.world.instansi, participant=rina, title="Aksi Dinkes", change="x"
    )
    url = reverse("training:event_action_plans", args=[ap.event.pk])

    def rows(role):
        client.force_login(ap.world.users[role])
        body = client.get(url).content.decode()
        return body.count('data-testid="plan-row"'), 'data-testid="behaviour"' in body

    assert rows("bpsdm") == (3, True)
    assert rows("opd_admin") == (2, False)  # agency A's nominees: Budi and Siti
    assert rows("employee") == (1, False)  # Siti: her own


def test_the_event_page_reads_the_same_queries_for_one_plan_or_three(ap, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kinerja.training.models import ActionPlan
    from kinerja.training.tests.factories import ParticipantFactory

    head_plan(ap)
    url = reverse("training:event_action_plans", args=[ap.event.pk])
    client.force_login(ap.world.users["bpsdm"])

    def queries():
        with CaptureQueriesContext(connection) as read:
            assert client.get(url).status_code == 200
        return len(read.captured_queries)

    one = queries()
    from kinerja.organisations.tests.factories import EmployeeFactory

    for employee in (ap.world.staff_b, EmployeeFactory(unit=ap.world.agency_b)):
        person = ParticipantFactory(event=ap.event, employee=employee)
        ActionPlan.objects.create(
            instansi=ap.world.instansi, participant=person, title="A", change="x"
        )
    assert queries() <= one  # no query per plan (the participant's name came one by one)
