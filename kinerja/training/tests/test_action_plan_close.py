# ruff: noqa: F811 - the fixtures are imported by name
"""An action plan's end: the mentor (or the organiser) marks an approved plan completed once
every milestone is done; the participant, the mentor or the organiser drops one with a reason.
Both are audited; a refusal changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.performance.tests.conftest import pk, plan, scopes  # noqa: F401
from kinerja.training.models import ActionPlan, Milestone
from kinerja.training.services import action_plans as svc
from kinerja.training.tests.test_action_plans import _english, ap, today, write  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(ap):
    """Siti's plan (her mentor: Budi, her superior), approved, with two milestones: one done,
    one at 60 %."""
    plan = write(ap)
    Milestone.objects.create(
        action_plan=plan, title="Uji coba", due_on=dt.date(2023, 3, 31), progress=100,
        done_on=dt.date(2023, 3, 20), position=1,
    )  # fmt: skip
    Milestone.objects.create(
        action_plan=plan, title="Peluncuran", due_on=dt.date(2023, 6, 30), progress=60,
        position=2,
    )  # fmt: skip
    ActionPlan.objects.filter(pk=plan.pk).update(status="approved")
    plan.refresh_from_db()
    return plan


def test_the_mentor_completes_once_every_milestone_is_done(ap, approved):
    with pytest.raises(PermissionDenied):  # Siti herself does not mark it completed
        svc.action_plan_complete(actor=ap.staff_user, scope=ap.staff_scope, plan=approved)
    with pytest.raises(ValidationError) as err:
        svc.action_plan_complete(actor=ap.head_user, scope=ap.head_scope, plan=approved)
    assert "These milestones are not done yet: Peluncuran." in str(err.value)
    approved.refresh_from_db()
    assert (approved.status, approved.closed_at) == ("approved", None)
    assert not AuditEvent.objects.filter(action="action_plan.complete").exists()

    Milestone.objects.filter(title="Peluncuran").update(progress=100)
    done = svc.action_plan_complete(actor=ap.head_user, scope=ap.head_scope, plan=approved)
    assert done.status == "completed" and done.closed_at is not None
    assert done.version == approved.version + 1
    event = AuditEvent.objects.get(action="action_plan.complete")
    assert event.changes == {"status": ["approved", "completed"]}
    with pytest.raises(ValidationError, match="completed already"):
        svc.action_plan_drop(actor=ap.head_user, scope=ap.head_scope, plan=done, reason="x")


def test_only_an_approved_plan_is_completed_and_the_organiser_may(ap):
    draft = write(ap)
    with pytest.raises(ValidationError, match="Only an approved action plan is completed."):
        svc.action_plan_complete(actor=ap.bpsdm, scope=ap.bpsdm_scope, plan=draft)
    ActionPlan.objects.filter(pk=draft.pk).update(status="approved")  # no milestone: nothing open
    done = svc.action_plan_complete(actor=ap.bpsdm, scope=ap.bpsdm_scope, plan=draft)
    assert done.status == "completed"


def test_a_plan_is_dropped_with_its_reason_by_the_participant(ap):
    plan = write(ap)
    with pytest.raises(ValidationError, match="Say why the plan is dropped."):
        svc.action_plan_drop(actor=ap.staff_user, scope=ap.staff_scope, plan=plan, reason="  ")
    other = ap.world.users["opd_admin"]  # agency A's administrator: neither of the three
    with pytest.raises(PermissionDenied):
        svc.action_plan_drop(actor=other, scope=scope_for(other), plan=plan, reason="Mutasi")
    plan.refresh_from_db()
    assert plan.status == "draft" and not AuditEvent.objects.filter(action="action_plan.drop")
    dropped = svc.action_plan_drop(
        actor=ap.staff_user, scope=ap.staff_scope, plan=plan, reason="Dimutasi ke Dinkes"
    )
    assert (dropped.status, dropped.close_reason) == ("dropped", "Dimutasi ke Dinkes")
    event = AuditEvent.objects.get(action="action_plan.drop")
    assert (event.changes, event.reason) == ({"status": ["draft", "dropped"]}, "Dimutasi ke Dinkes")


def test_the_page_and_the_api_close_a_plan(ap, approved, client):
    api = APIClient()
    api.force_authenticate(ap.staff_user)
    url = reverse("api:training-action-plan-complete", args=[approved.pk])
    assert api.post(url, {}, format="json").status_code == 403  # not the mentor
    refused = api.post(
        reverse("api:training-action-plan-drop", args=[approved.pk]), {}, format="json"
    )
    assert refused.status_code == 400 and "reason" in refused.json()
    client.force_login(ap.head_user)  # Budi, the mentor, through the page
    page = reverse("training:action_plan_detail", args=[approved.pk])
    assert "Nyatakan selesai" in client.get(page).content.decode()
    response = client.post(page, {"op": "complete"}, follow=True)
    assert "Tahapan berikut belum selesai: Peluncuran." in response.content.decode()
    client.post(page, {"op": "drop", "reason": "Program dihentikan"})
    approved.refresh_from_db()
    assert (approved.status, approved.close_reason) == ("dropped", "Program dihentikan")
    answer = api.get(reverse("api:training-action-plan-detail", args=[approved.pk])).json()
    assert (answer["status"], answer["close_reason"]) == ("dropped", "Program dihentikan")
