"""The demo step of reaction feedback and tests, on an event built with factories."""

from types import SimpleNamespace

import pytest

from kinerja.audit.models import AuditEvent
from kinerja.organisations.tests.factories import EmployeeFactory
from kinerja.training.demo_feedback import EVENT_TITLE, demo_feedback_run, demo_feedback_wipe
from kinerja.training.models import (
    Attendance,
    FeedbackForm,
    FeedbackReceipt,
    FeedbackResponse,
    Moderation,
)
from kinerja.training.selectors_feedback import learning_summary, reaction_summary
from kinerja.training.tests.factories import (
    EventFactory,
    ParticipantFactory,
    SessionFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db


def test_the_demo_fills_forms_answers_moderation_and_tests(world):
    event = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a, title=EVENT_TITLE)
    sessions = [
        SessionFactory(event=event, speakers=[SpeakerFactory(instansi=world.instansi)])
        for _ in range(3)
    ]
    participants = [
        ParticipantFactory(event=event, employee=EmployeeFactory(unit=world.division_a))
        for _ in range(20)
    ]
    for i, p in enumerate(participants):
        for s in sessions:
            status = "absent" if i == 0 else "present"
            Attendance.objects.create(
                instansi=world.instansi, participant=p, session=s, status=status
            )
    ctx = SimpleNamespace(instansi=world.instansi, seed=2023)
    demo_feedback_run(ctx)
    assert FeedbackForm.objects.filter(event=event).count() == 4
    assert not FeedbackForm.objects.exclude(status="released").exists()
    # nobody who did not attend answered; most who did, did
    absent = participants[0]
    assert not FeedbackReceipt.objects.filter(participant=absent).exists()
    receipts = FeedbackReceipt.objects.filter(form__event=event).count()
    assert receipts == FeedbackResponse.objects.filter(form__event=event).count()
    assert 4 * 19 * 0.6 < receipts <= 4 * 19
    assert FeedbackResponse.objects.filter(moderation=Moderation.HIDDEN).count() == 2
    summary = reaction_summary(event)
    assert summary["released"] is True
    assert all(not s["suppressed"] for s in summary["sessions"])
    assert all(3 <= s["overall"] <= 5 for s in summary["sessions"])
    learning = learning_summary(event)
    assert learning["n"] == 20
    assert 10 <= learning["mean_gain"] <= 20
    assert AuditEvent.objects.filter(action="training.assessment.demo").count() == 40
    # a second run keeps what is there; the wipe removes it
    demo_feedback_run(ctx)
    assert FeedbackForm.objects.filter(event=event).count() == 4
    demo_feedback_wipe(ctx)
    assert not FeedbackForm.objects.filter(event=event).exists()
    assert not FeedbackResponse.objects.exists()
