"""Demo step "training_feedback": reaction feedback and pre/post tests of the 2023 refresher.

For the event titled "Refreshment Manajemen Pemerintah Tahun 2023" (made, with its sessions,
participants and attendance, by the steps before): a form for every session and speaker and
one for the organisation; answers from most of those who attended (ratings of realistic
spread, a few comments, two of them hidden by moderation); every form closed and released.
Pre- and post-tests for every participant, the post-test about 15 points higher on average.
Written in bulk with one audit event per form and per score.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record_many

from . import feedback_rules as rules
from .choices import AttendanceStatus, TestKind
from .models import (
    Assessment,
    Attendance,
    Event,
    FeedbackForm,
    FeedbackFormKind,
    FeedbackFormStatus,
    FeedbackReceipt,
    FeedbackResponse,
    Moderation,
    Participant,
    SessionSpeaker,
)

EVENT_TITLE = "Refreshment Manajemen Pemerintah Tahun 2023"
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY)
ANSWER_SHARE = 0.85
# Most ratings are 4 or 5, a few 3, rarely lower.
WEIGHTS = {1: 1, 2: 3, 3: 14, 4: 45, 5: 37}
COMMENTS = [
    "Materi sangat relevan dengan tugas kepala perangkat daerah.",
    "Contoh dari sektor swasta membuka wawasan, perlu lebih banyak studi kasus pemerintah daerah.",
    "Waktu diskusi terlalu singkat.",
    "Narasumber komunikatif dan inspiratif.",
    "Mohon materi presentasi dibagikan sebelum sesi.",
]
HIDDEN = [
    "Narasumber membosankan, tidak usah diundang lagi!!!",
    "Nomor HP saya 0812xxxx, tolong hubungi soal proyek.",
]


def _event(ctx) -> Event | None:
    return Event.objects.filter(instansi=ctx.instansi, title=EVENT_TITLE).first()


def _rating(rng: random.Random, shift: int = 0) -> int:
    value = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
    value += shift if rng.random() < 0.5 else 0  # a shift moves about half the answers
    return max(1, min(5, value))


def _score(rng: random.Random, mean: float, spread: float) -> Decimal:
    value = max(0.0, min(100.0, rng.gauss(mean, spread)))
    return Decimal(str(round(value))).quantize(Decimal("0.01"))


@transaction.atomic
def demo_feedback_run(ctx) -> str:
    event = _event(ctx)
    if event is None:
        return _("no 2023 refresher event: no feedback")
    if FeedbackForm.objects.filter(event=event).exists():
        return _("feedback already there")
    rng = random.Random(f"{ctx.seed}-feedback")
    minimum = rules.min_count(event.starts_on)
    now = timezone.now()
    forms = [
        FeedbackForm(
            instansi_id=event.instansi_id,
            event=event,
            kind=FeedbackFormKind.SESSION,
            session_id=link.session_id,
            speaker_id=link.speaker_id,
            min_count=minimum,
            status=FeedbackFormStatus.RELEASED,
        )
        for link in SessionSpeaker.objects.filter(session__event=event).order_by(
            "session__starts_at", "order", "pk"
        )
    ]
    forms.append(
        FeedbackForm(
            instansi_id=event.instansi_id,
            event=event,
            kind=FeedbackFormKind.ORGANISATION,
            min_count=minimum,
            status=FeedbackFormStatus.RELEASED,
        )
    )
    FeedbackForm.objects.bulk_create(forms)
    forms = list(FeedbackForm.objects.filter(event=event).order_by("pk"))
    attended: dict[int, list[int]] = {}
    for pid, sid in Attendance.objects.filter(
        session__event=event, status__in=ATTENDED
    ).values_list("participant_id", "session_id"):
        attended.setdefault(sid, []).append(pid)
    anyone = sorted({p for ps in attended.values() for p in ps})
    receipts, responses = [], []
    comments = list(COMMENTS)
    hidden = list(HIDDEN)
    for form in forms:
        pool = attended.get(form.session_id, []) if form.session_id else anyone
        chosen = [p for p in sorted(pool) if rng.random() < ANSWER_SHARE]
        # A speaker's own tone: some sessions land better than others.
        shift = rng.choice([0, 0, 0, -1]) if form.session_id else 0
        for pid in chosen:
            receipts.append(
                FeedbackReceipt(
                    instansi_id=event.instansi_id, form=form, participant_id=pid, submitted_at=now
                )
            )
            row = FeedbackResponse(
                instansi_id=event.instansi_id,
                form=form,
                session_id=form.session_id,
                speaker_id=form.speaker_id,
                moderation=Moderation.APPROVED,
            )
            if form.session_id:
                row.relevance = _rating(rng, shift)
                row.speaker_rating = _rating(rng, shift)
                row.material = _rating(rng, shift)
                row.applicability = _rating(rng, shift - (rng.random() < 0.3))
            else:
                row.venue, row.facilities, row.schedule = (
                    _rating(rng),
                    _rating(rng),
                    _rating(rng, -(rng.random() < 0.4)),
                )
            if form.session_id and rng.random() < 0.06:
                if hidden and rng.random() < 0.5:
                    row.comment, row.moderation = hidden.pop(), Moderation.HIDDEN
                elif comments:
                    row.comment = comments.pop(0)
            responses.append(row)
    # The two hidden comments are always there, on the first session form with answers.
    for text in hidden:
        target = next((r for r in responses if r.session_id and not r.comment), None)
        if target is not None:
            target.comment, target.moderation = text, Moderation.HIDDEN
    FeedbackReceipt.objects.bulk_create(receipts)
    rng.shuffle(responses)  # the keys are random too: no order of arrival
    FeedbackResponse.objects.bulk_create(responses)
    counts: dict[int, int] = {}
    for r in receipts:
        counts[r.form_id] = counts.get(r.form_id, 0) + 1
    record_many(
        actor=None,
        action="training.feedback.demo",
        instansi_id=event.instansi_id,
        entries=(
            {
                "target_type": "training.feedbackform",
                "target_id": str(form.pk),
                "target_repr": str(form)[:300],
                "changes": {
                    "status": [None, form.status],
                    "responses": [None, counts.get(form.pk, 0)],
                },
            }
            for form in forms
        ),
    )
    scores = _assessments(event, rng)
    return _("%(forms)d feedback forms, %(answers)d answers, %(scores)d test scores") % {
        "forms": len(forms),
        "answers": len(responses),
        "scores": scores,
    }


def _assessments(event: Event, rng: random.Random) -> int:
    both = event.training_type.skill_attitude_scores
    rows = []
    participants = list(
        Participant.objects.active().filter(event=event).select_related("unit").order_by("pk")
    )
    have = set(
        Assessment.objects.filter(participant__event=event).values_list("participant_id", "kind")
    )
    for p in participants:
        pre = _score(rng, 62, 9)
        post = min(Decimal("100.00"), max(Decimal("0"), pre + _score(rng, 15, 6)))
        for kind, knowledge, day in (
            (TestKind.PRE, pre, event.starts_on),
            (TestKind.POST, post, event.ends_on),
        ):
            if (p.pk, kind) in have:
                continue
            row = Assessment(
                instansi_id=event.instansi_id,
                participant=p,
                kind=kind,
                knowledge=knowledge,
                taken_on=day,
            )
            if both:
                row.skill = _score(rng, 65 if kind == TestKind.PRE else 75, 8)
                row.attitude = _score(rng, 70 if kind == TestKind.PRE else 78, 6)
            rows.append(row)
    Assessment.objects.bulk_create(rows)
    units = {p.pk: p.unit for p in participants}
    record_many(
        actor=None,
        action="training.assessment.demo",
        instansi_id=event.instansi_id,
        entries=(
            {
                "target_type": "training.assessment",
                "target_id": str(a.pk),
                "target_repr": str(a),
                "unit_id": units[a.participant_id].pk,
                "unit_path": units[a.participant_id].path,
                "changes": {"kind": [None, a.kind], "knowledge": [None, str(a.knowledge)]},
            }
            for a in Assessment.objects.filter(participant__event=event).order_by("pk")
        ),
    )
    return len(rows)


def demo_feedback_wipe(ctx) -> str:
    """Remove the 2023 refresher's feedback forms (their receipts and answers) and test
    scores (their audit events stay)."""
    event = _event(ctx)
    if event is None:
        return _("no 2023 refresher event")
    forms = FeedbackForm.objects.filter(event=event).delete()[1].get("training.FeedbackForm", 0)
    scores = Assessment.objects.filter(participant__event=event).delete()[0]
    return _("removed %(forms)d feedback forms and %(scores)d test scores") % {
        "forms": forms,
        "scores": scores,
    }
