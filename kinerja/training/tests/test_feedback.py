"""Reaction feedback: the attendance rule, once only, the release threshold, moderation, and
anonymity by design (no page or API shows a single response or who gave it)."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from conftest import PASSWORD
from kinerja.accounts.models import User
from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.organisations.tests.factories import EmployeeFactory
from kinerja.training.models import (
    Attendance,
    FeedbackForm,
    FeedbackReceipt,
    FeedbackResponse,
    Moderation,
)
from kinerja.training.selectors_feedback import reaction_summary, speaker_summary
from kinerja.training.services import feedback as svc
from kinerja.training.tests.factories import (
    EventFactory,
    ParticipantFactory,
    SessionFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in English (the pages speak Indonesian by default)."""
    with translation.override("en"):
        yield


GOOD = {"relevance": 5, "speaker": 4, "material": 4, "applicability": 3}


def _scope(user):
    return scope_for(user)


@pytest.fixture
def setup(world):
    event = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a)
    speaker = SpeakerFactory(instansi=world.instansi, name="Dr. Rhenald")
    session = SessionFactory(event=event, speakers=[speaker])
    other = SessionFactory(event=event, speakers=[speaker], title="Sesi Lain")
    organiser = world.users["bpsdm"]
    forms = svc.forms_create(actor=organiser, scope=_scope(organiser), event=event)
    return {
        "event": event,
        "speaker": speaker,
        "session": session,
        "other": other,
        "organiser": organiser,
        "session_form": next(f for f in forms if f.session_id == session.pk),
        "other_form": next(f for f in forms if f.session_id == other.pk),
        "org_form": next(f for f in forms if f.kind == "organisation"),
    }


def _participant(world, event, n, *, attended=(), status="present"):
    """A participant with an account; attendance of the given sessions."""
    employee = EmployeeFactory(unit=world.division_a, name=f"Peserta {n}")
    user = User.objects.create_user(
        username=f"peserta{n}", password=PASSWORD, instansi=world.instansi, employee=employee
    )
    part = ParticipantFactory(event=event, employee=employee)
    for session in attended:
        Attendance.objects.create(
            instansi=world.instansi, participant=part, session=session, status=status
        )
    return user, part


def _answer(user, form, answers=GOOD, comment=""):
    svc.feedback_respond(
        actor=user, scope=_scope(user), form=form, answers=answers, comment=comment
    )


def test_forms_are_one_per_session_and_speaker_and_one_for_the_organisation(setup):
    event = setup["event"]
    assert FeedbackForm.objects.filter(event=event, kind="session").count() == 2
    assert FeedbackForm.objects.filter(event=event, kind="organisation").count() == 1
    assert setup["org_form"].min_count == 5  # policy data/feedback.json
    with pytest.raises(ValidationError, match="already has its form"):
        svc.forms_create(actor=setup["organiser"], scope=_scope(setup["organiser"]), event=event)


def test_only_the_organiser_sets_up_forms(world, setup):
    user = world.users["opd_admin"]
    with pytest.raises(PermissionDenied):
        svc.form_move(actor=user, scope=_scope(user), form=setup["org_form"], move="close")


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        ("present", True),
        ("late", True),
        ("left_early", True),
        ("excused", False),
        ("sick", False),
        ("absent", False),
    ],
)
def test_a_session_form_needs_that_session_attended(world, setup, status, allowed):
    user, _part = _participant(world, setup["event"], 1, attended=[setup["session"]], status=status)
    if allowed:
        _answer(user, setup["session_form"])
        assert FeedbackResponse.objects.filter(form=setup["session_form"]).count() == 1
    else:
        with pytest.raises(ValidationError, match="attended this session"):
            _answer(user, setup["session_form"])
        assert not FeedbackReceipt.objects.exists() and not FeedbackResponse.objects.exists()


def test_another_sessions_attendance_does_not_open_this_sessions_form(world, setup):
    user, _ = _participant(world, setup["event"], 1, attended=[setup["other"]])
    with pytest.raises(ValidationError, match="attended this session"):
        _answer(user, setup["session_form"])
    # but one session attended opens the organisation form
    svc.feedback_respond(
        actor=user,
        scope=_scope(user),
        form=setup["org_form"],
        answers={"venue": 4, "facilities": 5, "schedule": 3},
    )
    assert FeedbackResponse.objects.get(form=setup["org_form"]).facilities == 5


def test_the_organisation_form_needs_one_session_attended(world, setup):
    user, _ = _participant(world, setup["event"], 1)
    with pytest.raises(ValidationError, match="at least one session"):
        _answer(user, setup["org_form"], {"venue": 4, "facilities": 5, "schedule": 3})


def test_someone_not_enrolled_is_refused(world, setup):
    user = world.users["opd_head"]
    with pytest.raises(PermissionDenied):
        _answer(user, setup["session_form"])


def test_a_second_response_is_refused_and_nothing_is_written(world, setup):
    user, _ = _participant(world, setup["event"], 1, attended=[setup["session"]])
    _answer(user, setup["session_form"])
    with pytest.raises(ValidationError, match="already answered"):
        _answer(user, setup["session_form"], {**GOOD, "relevance": 1})
    assert FeedbackResponse.objects.filter(form=setup["session_form"]).count() == 1
    assert FeedbackReceipt.objects.filter(form=setup["session_form"]).count() == 1


@pytest.mark.parametrize(
    "answers",
    [
        {**GOOD, "relevance": 6},
        {**GOOD, "relevance": 0},
        {**GOOD, "relevance": "4.5"},
        {k: v for k, v in GOOD.items() if k != "material"},
        {**GOOD, "venue": 3},
    ],
)
def test_bad_answers_are_refused_and_nothing_is_written(world, setup, answers):
    user, _ = _participant(world, setup["event"], 1, attended=[setup["session"]])
    with pytest.raises(ValidationError):
        _answer(user, setup["session_form"], answers)
    assert not FeedbackReceipt.objects.exists() and not FeedbackResponse.objects.exists()


def test_a_closed_form_takes_no_answer(world, setup):
    user, _ = _participant(world, setup["event"], 1, attended=[setup["session"]])
    org = setup["organiser"]
    svc.form_move(actor=org, scope=_scope(org), form=setup["session_form"], move="close")
    with pytest.raises(ValidationError, match="not open"):
        _answer(user, setup["session_form"])


def test_a_response_has_no_link_to_the_participant_nor_a_timestamp():
    fields = {f.name: f for f in FeedbackResponse._meta.get_fields()}
    related = {f.related_model._meta.model_name for f in fields.values() if f.is_relation}
    assert related == {"instansi", "feedbackform", "session", "speaker"}
    assert not any(
        isinstance(f, (type(FeedbackReceipt._meta.get_field("submitted_at")),))
        for f in fields.values()
    )
    assert "created_at" not in fields and "participant" not in fields
    assert fields["id"].get_internal_type() == "UUIDField"
    receipt_fields = {f.name for f in FeedbackReceipt._meta.get_fields()}
    assert not receipt_fields & {"relevance", "comment", "speaker_rating", "response"}


def test_the_audit_trail_of_an_answer_holds_no_answer(world, setup):
    user, _ = _participant(world, setup["event"], 1, attended=[setup["session"]])
    _answer(user, setup["session_form"], comment="Sangat inspiratif")
    event = AuditEvent.objects.get(action="training.feedback.respond")
    assert event.changes == {"answered": [False, True]}
    assert "inspiratif" not in json.dumps(event.changes)


def _fill(world, setup, count, form_key="session_form", values=None):
    form = setup[form_key]
    users = []
    for i in range(count):
        user, _ = _participant(world, setup["event"], 100 + i, attended=[setup["session"]])
        answers = values[i] if values else GOOD
        _answer(user, form, answers)
        users.append(user)
    return users


def _close_release(setup, form_key="session_form"):
    org = setup["organiser"]
    form = setup[form_key]
    svc.form_move(actor=org, scope=_scope(org), form=form, move="close")
    svc.form_move(actor=org, scope=_scope(org), form=form, move="release")


def test_release_needs_the_form_closed_first(setup):
    org = setup["organiser"]
    with pytest.raises(ValidationError, match="once the form is closed"):
        svc.form_move(actor=org, scope=_scope(org), form=setup["session_form"], move="release")


def test_four_responses_show_nothing_even_released(world, setup):
    _fill(world, setup, 4)
    _close_release(setup)
    entry = reaction_summary(setup["event"])["sessions"][0]
    assert entry["session_id"] == setup["session"].pk
    assert entry["suppressed"] is True and entry["n"] is None
    assert entry["means"] == dict.fromkeys(["relevance", "speaker", "material", "applicability"])
    assert entry["overall"] is None


def test_five_responses_show_the_means_once_released(world, setup):
    values = [
        {"relevance": 5, "speaker": 4, "material": 4, "applicability": 3},
        {"relevance": 4, "speaker": 4, "material": 3, "applicability": 3},
        {"relevance": 5, "speaker": 5, "material": 4, "applicability": 4},
        {"relevance": 3, "speaker": 4, "material": 5, "applicability": 2},
        {"relevance": 4, "speaker": 3, "material": 4, "applicability": 4},
    ]
    _fill(world, setup, 5, values=values)
    # open: nothing, not even the count
    entry = reaction_summary(setup["event"])["sessions"][0]
    assert entry["suppressed"] and entry["n"] is None
    org = setup["organiser"]
    svc.form_move(actor=org, scope=_scope(org), form=setup["session_form"], move="close")
    assert reaction_summary(setup["event"])["sessions"][0]["n"] is None  # closed, not released
    svc.form_move(actor=org, scope=_scope(org), form=setup["session_form"], move="release")
    summary = reaction_summary(setup["event"])
    entry = summary["sessions"][0]
    assert entry["n"] == 5 and entry["suppressed"] is False
    assert entry["means"] == {
        "relevance": Decimal("4.20"),
        "speaker": Decimal("4.00"),
        "material": Decimal("4.00"),
        "applicability": Decimal("3.20"),
    }
    assert entry["overall"] == Decimal("3.85")
    assert entry["speakers"] == ["Dr. Rhenald"]
    assert summary["released"] is False  # the other forms are still open
    assert summary["organisation"]["suppressed"] is True


def test_a_released_form_is_never_reopened(world, setup):
    _close_release(setup)
    org = setup["organiser"]
    with pytest.raises(ValidationError, match="not released"):
        svc.form_move(actor=org, scope=_scope(org), form=setup["session_form"], move="reopen")


def test_comments_are_moderated_before_the_speaker_sees_them(world, setup):
    comments = ["Materi sangat relevan", "Terlalu cepat", "Contoh kurang", "", ""]
    for i, comment in enumerate(comments):
        user, _ = _participant(world, setup["event"], 200 + i, attended=[setup["session"]])
        _answer(user, setup["session_form"], comment=comment)
    org = setup["organiser"]
    pending = FeedbackResponse.objects.filter(moderation=Moderation.PENDING)
    assert pending.count() == 3
    # not while the form is open
    with pytest.raises(ValidationError, match="once the form is closed"):
        svc.comment_moderate(
            actor=org, scope=_scope(org), response_id=pending[0].pk, decision="approve"
        )
    _close_release(setup)
    rows = {r.comment: r.pk for r in pending}
    for text, decision in [("Materi sangat relevan", "approve"), ("Terlalu cepat", "hide")]:
        svc.comment_moderate(
            actor=org, scope=_scope(org), response_id=rows[text], decision=decision
        )
    mine = speaker_summary(setup["speaker"])
    first = next(s for s in mine if s["session"] == setup["session"])
    assert first["comments"] == ["Materi sangat relevan"]  # pending and hidden are not shown
    assert first["n"] == 5
    other = next(s for s in mine if s["session"] == setup["other"])
    assert other["suppressed"] and other["comments"] == [] and other["n"] is None
    with pytest.raises(PermissionDenied):
        user = world.users["opd_admin"]
        svc.comment_moderate(
            actor=user, scope=_scope(user), response_id=rows["Contoh kurang"], decision="hide"
        )


def _released_five(world, setup):
    users = []
    for i in range(5):
        user, _ = _participant(world, setup["event"], 300 + i, attended=[setup["session"]])
        _answer(user, setup["session_form"], comment=f"komentar nomor {i}")
        users.append(user)
    _close_release(setup)
    for r in FeedbackResponse.objects.all():
        org = setup["organiser"]
        svc.comment_moderate(actor=org, scope=_scope(org), response_id=r.pk, decision="approve")
    return users


def test_no_page_or_api_names_who_answered(world, setup, client):
    users = _released_five(world, setup)
    org = setup["organiser"]
    event = setup["event"]
    client.force_login(org)
    pages = [
        reverse("training:feedback_results", kwargs={"pk": event.pk}),
        reverse("training:feedback_forms", kwargs={"pk": event.pk}),
        reverse("training:feedback_moderation", kwargs={"pk": event.pk}),
        reverse("training:speaker_feedback", kwargs={"pk": setup["speaker"].pk}),
    ]
    bodies = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies.append(response.content.decode())
    api = [
        reverse("api:training-feedback-form-results", kwargs={"pk": setup["session_form"].pk}),
        reverse("api:training-feedback-form-list"),
    ]
    for url in api:
        response = client.get(url, HTTP_ACCEPT="application/json")
        assert response.status_code == 200, url
        bodies.append(response.content.decode())
    names = [u.employee.name for u in users] + [u.username for u in users]
    for body in bodies:
        for name in names:
            assert name not in body
    # results carry only aggregates: no per-response values, no response ids
    data = client.get(api[0], HTTP_ACCEPT="application/json").json()
    assert data["n"] == 5 and "responses" not in data
    for r in FeedbackResponse.objects.all():
        assert all(str(r.pk) not in body for body in bodies[:2] + bodies[3:])
    # a participant sees only "thank you" about their own
    client.force_login(users[0])
    body = client.get(reverse("training:my_feedback")).content.decode()
    assert "komentar nomor" not in body


def test_the_speaker_sees_aggregates_of_their_own_sessions_only(world, setup, client):
    _released_five(world, setup)
    speaker_user = User.objects.create_user(
        username="narasumber", password=PASSWORD, instansi=world.instansi
    )
    setup["speaker"].user = speaker_user
    setup["speaker"].save()
    stranger = SpeakerFactory(instansi=world.instansi, name="Lain")
    client.force_login(speaker_user)
    url = reverse("training:speaker_feedback", kwargs={"pk": setup["speaker"].pk})
    body = client.get(url).content.decode()
    assert "4,00" in body or "4.00" in body
    assert (
        client.get(reverse("training:speaker_feedback", kwargs={"pk": stranger.pk})).status_code
        == 404
    )


def test_the_api_answers_once_and_hides_results_until_released(world, setup, client):
    user, _ = _participant(world, setup["event"], 1, attended=[setup["session"]])
    client.force_login(user)
    url = reverse("api:training-feedback-form-respond", kwargs={"pk": setup["session_form"].pk})
    payload = {"answers": GOOD, "comment": "Bagus"}
    first = client.post(url, payload, content_type="application/json")
    assert first.status_code == 201, first.content
    assert set(first.json()) == {"detail"}
    again = client.post(url, payload, content_type="application/json")
    assert again.status_code == 400
    assert FeedbackReceipt.objects.count() == FeedbackResponse.objects.count() == 1
    results = reverse("api:training-feedback-form-results", kwargs={"pk": setup["session_form"].pk})
    client.force_login(setup["organiser"])
    assert client.get(results, HTTP_ACCEPT="application/json").status_code == 404


def test_the_forms_page_sets_the_window_and_refuses_a_backward_one(world, client):
    import datetime as dt

    from django.utils import timezone

    from kinerja.training.models import FeedbackForm

    event = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a)
    SessionFactory(event=event, speakers=[SpeakerFactory(instansi=world.instansi)])
    client.force_login(world.users["bpsdm"])
    url = reverse("training:feedback_forms", kwargs={"pk": event.pk})
    backward = {"opens_at": "2023-01-13T16:00", "closes_at": "2023-01-13T09:00"}
    page = client.post(url, backward, follow=True).content.decode()
    assert "Formulir harus ditutup setelah dibuka." in page
    assert not FeedbackForm.objects.filter(event=event).exists()
    assert (
        "Berikan tanggal dan jam"
        in client.post(url, {"opens_at": "13/01"}, follow=True).content.decode()
    )
    client.post(url, {"opens_at": "2023-01-13T16:00", "closes_at": "2023-01-20T23:59"})
    forms = FeedbackForm.objects.filter(event=event)
    assert forms.count() == 2  # the session with its speaker, and the organisation
    jakarta = timezone.get_current_timezone()
    assert {f.opens_at.astimezone(jakarta).replace(tzinfo=None) for f in forms} == {
        dt.datetime(2023, 1, 13, 16, 0)
    }
    assert {f.closes_at.astimezone(jakarta).replace(tzinfo=None) for f in forms} == {
        dt.datetime(2023, 1, 20, 23, 59)
    }
