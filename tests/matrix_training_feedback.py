"""Permission-matrix rows of reaction feedback and test scores.

`extend` gives each target an event of its own (so the rows do not depend on what other
capabilities add to the shared event): "a" an event of the instansi with staff_a enrolled
(the employee role's own enrolment, present at its session), whose session has three
speakers: an open form (the first), a released one (the second) and none yet (the third),
and a closed organisation form holding a comment to moderate; "b" the same event, staff_b's
enrolment; "x" the same in the other instansi. The organiser is who holds manage_training
across the instansi (bpsdm, the system administrator).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.training.models import (
    Assessment,
    Attendance,
    FeedbackForm,
    FeedbackResponse,
    SessionSpeaker,
)
from kinerja.training.tests.factories import (
    EventFactory,
    ParticipantFactory,
    SessionFactory,
    SpeakerFactory,
)
from tests.matrix_base import SIGNED_IN, Row

ORG = {"system_admin", "bpsdm"}
EVENT = {"pk": "fb_event"}
ANSWERS = {"relevance": 5, "speaker": 4, "material": 4, "applicability": 3}


def _responses(objs, role):
    return FeedbackResponse.objects.filter(form_id=objs["fb_form"]).count()


def _one_more_response(objs, role):
    return 1


def _form_status(objs, role):
    return FeedbackForm.objects.get(pk=objs["fb_form"]).status


def _moderation(objs, role):
    return FeedbackResponse.objects.get(pk=objs["fb_comment"]).moderation


def _forms(objs, role):
    return FeedbackForm.objects.filter(event_id=objs["fb_event"]).count()


def _forms_plus_one(objs, role):
    return objs["fb_forms"] + 1


def _post_score(objs, role):
    row = Assessment.objects.filter(participant_id=objs["fb_participant"], kind="post").first()
    return row.knowledge if row else None


def _scores(objs, role):
    return Assessment.objects.filter(participant__event_id=objs["fb_event"]).count()


def _const(value):
    return lambda objs, role: value


def _upload(objs, role):
    body = f"NIP,Tes,Pengetahuan\n{objs['fb_nip']},pre,70\n".encode()
    return {"file": SimpleUploadedFile("nilai.csv", body, "text/csv"), "dry_run": "1"}


def _page_answer(objs, role):
    return {**ANSWERS, "comment": "Bagus"}


ROWS = [
    Row("training:my_feedback", "get", {"-": SIGNED_IN}, training=True),
    Row(
        "training:feedback_answer",
        "get",
        {"a": {"employee"}, "x": set()},
        kwargs={"pk": "fb_form"},
        training=True,
    ),
    Row(
        "training:feedback_answer",
        "post",
        {"a": {"employee"}, "x": set()},
        data=_page_answer,
        ok=(302,),
        state=_responses,
        expect=_one_more_response,
        kwargs={"pk": "fb_form"},
        training=True,
    ),
    Row(
        "training:feedback_form_move",
        "post",
        {"a": ORG, "x": set()},
        data={"move": "close"},
        ok=(302,),
        state=_form_status,
        expect=_const("closed"),
        kwargs={"pk": "fb_form"},
        training=True,
    ),
    Row(
        "training:feedback_comment_moderate",
        "post",
        {"a": ORG, "x": set()},
        data={"decision": "hide"},
        ok=(302,),
        state=_moderation,
        expect=_const("hidden"),
        kwargs={"pk": "fb_comment"},
        training=True,
    ),
    Row("training:feedback_events", "get", {"-": ORG}, training=True),
    Row("training:feedback_forms", "get", {"a": ORG, "x": set()}, kwargs=EVENT, training=True),
    Row(
        "training:feedback_forms",
        "post",
        {"a": ORG, "x": set()},
        ok=(302,),
        state=_forms,
        expect=_forms_plus_one,
        kwargs=EVENT,
        training=True,
    ),
    Row("training:feedback_moderation", "get", {"a": ORG, "x": set()}, kwargs=EVENT, training=True),
    Row("training:feedback_results", "get", {"a": ORG, "x": set()}, kwargs=EVENT, training=True),
    Row("training:test_scores", "get", {"a": ORG, "x": set()}, kwargs=EVENT, training=True),
    Row(
        "training:test_scores",
        "post",
        {"a": ORG, "x": set()},
        data=lambda objs, role: {
            "participant": objs["fb_participant"],
            "kind": "post",
            "knowledge": "81",
        },
        ok=(302,),
        state=_post_score,
        expect=_const(Decimal("81.00")),
        kwargs=EVENT,
        training=True,
    ),
    Row("training:test_scores_export", "get", {"a": ORG, "x": set()}, kwargs=EVENT, training=True),
    Row(
        "training:test_scores_import",
        "post",
        {"a": ORG, "x": set()},
        data=_upload,
        state=_scores,  # a dry run: nothing changes for anyone
        kwargs=EVENT,
        training=True,
    ),
    Row(
        "training:speaker_feedback",
        "get",
        {"a": ORG, "x": set()},
        kwargs={"pk": "fb_speaker"},
        training=True,
    ),
    # API
    Row("api:training-feedback-form-list", "get", {"-": SIGNED_IN}, api=True, training=True),
    Row(
        "api:training-feedback-form-detail",
        "get",
        {"a": SIGNED_IN, "x": set()},
        api=True,
        kwargs={"pk": "fb_form"},
        training=True,
    ),
    Row(
        "api:training-feedback-form-respond",
        "post",
        {"a": {"employee"}, "x": set()},
        data={"answers": ANSWERS, "comment": ""},
        api=True,
        ok=(201,),
        state=_responses,
        expect=_one_more_response,
        kwargs={"pk": "fb_form"},
        training=True,
    ),
    Row(
        "api:training-feedback-form-results",
        "get",
        {"a": ORG, "x": set()},
        api=True,
        kwargs={"pk": "fb_released"},
        training=True,
    ),
    Row("api:training-assessment-list", "get", {"-": SIGNED_IN}, api=True, training=True),
    Row(
        "api:training-assessment-list",
        "post",
        {"a": ORG, "b": ORG, "x": set()},
        data=lambda objs, role: {
            "participant": objs["fb_participant"],
            "kind": "post",
            "knowledge": "81",
        },
        api=True,
        ok=(201,),
        state=_post_score,
        expect=_const(Decimal("81.00")),
        outside=400,
        training=True,
    ),
    Row(
        "api:training-assessment-detail",
        "get",
        {"a": ORG | {"employee"}, "b": ORG, "x": set()},
        api=True,
        kwargs={"pk": "fb_assessment"},
        training=True,
    ),
]


def _build(instansi, unit, employees):
    """An event with one session of three speakers, the employees enrolled and present, and
    its forms: open (first speaker), released (second), the organisation's closed with a
    comment; a pre-test of each employee."""
    event = EventFactory(instansi=instansi, organiser_unit=unit, title="Umpan balik uji")
    speakers = [SpeakerFactory(instansi=instansi) for _ in range(3)]
    session = SessionFactory(event=event)
    for i, speaker in enumerate(speakers):
        SessionSpeaker.objects.create(session=session, speaker=speaker, order=i)
    parts = []
    for employee in employees:
        part = ParticipantFactory(event=event, employee=employee)
        Attendance.objects.create(
            instansi=instansi, participant=part, session=session, status="present"
        )
        parts.append(part)

    def form(kind, status, speaker=None):
        return FeedbackForm.objects.create(
            instansi=instansi,
            event=event,
            kind=kind,
            session=session if speaker else None,
            speaker=speaker,
            status=status,
            min_count=5,
        )

    open_form = form("session", "open", speakers[0])
    released = form("session", "released", speakers[1])
    closed = form("organisation", "closed")
    comment = FeedbackResponse.objects.create(
        instansi=instansi,
        form=closed,
        venue=4,
        facilities=4,
        schedule=3,
        comment="Uji komentar",
        moderation="pending",
    )
    assessments = [
        Assessment.objects.create(instansi=instansi, participant=p, kind="pre", knowledge=60)
        for p in parts
    ]
    common = {
        "fb_event": event.pk,
        "fb_form": open_form.pk,
        "fb_released": released.pk,
        "fb_comment": comment.pk,
        "fb_speaker": speakers[0].pk,
        "fb_forms": 3,
    }
    return [
        {
            **common,
            "fb_participant": p.pk,
            "fb_nip": p.employee.nip,
            "fb_assessment": a.pk,
        }
        for p, a in zip(parts, assessments, strict=True)
    ]


def extend(world, objects) -> None:
    a, b = _build(world.instansi, world.agency_a, [world.staff_a, world.staff_b])
    (x,) = _build(world.other_instansi, world.agency_x, [world.staff_x])
    objects["a"].update(a)
    objects["b"].update(b)
    objects["x"].update(x)
    objects["-"].update(a)
