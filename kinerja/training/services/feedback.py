"""Reaction feedback and test scores: atomic, checked, audited. Bad input raises a
ValidationError naming the field and writes nothing; a caller without the right raises
PermissionDenied.

Who:
- sets up, closes, releases the forms and moderates comments: the organiser
  (``manage_training`` across the instansi: BPSDM, the system administrator);
- answers a form: a participant of the event (the caller's own enrolment), once, when they
  attended (a session form: that session present, late or left early; the organisation form:
  at least one session);
- enters test scores: the organiser.

Anonymity: the answer (`FeedbackResponse`) and the receipt (`FeedbackReceipt`) are written in
one transaction; nothing joins them. The audit event of an answer names the caller and the
form, never the answers.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record
from kinerja.core.scope import Scope

from .. import feedback_rules as rules
from ..choices import AttendanceStatus, TestKind
from ..models import (
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
from ..querysets import organises

ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY)
ANSWER_FIELDS = {
    "relevance": "relevance",
    "speaker": "speaker_rating",
    "material": "material",
    "applicability": "applicability",
    "venue": "venue",
    "facilities": "facilities",
    "schedule": "schedule",
}
UNSET = object()


def _now() -> dt.datetime:
    """The present moment (a seam for the window tests)."""
    return timezone.now()


def may_organise(scope: Scope, event: Event) -> bool:
    return organises(scope) and scope.instansi_id == event.instansi_id


def _require_organiser(scope: Scope, event: Event) -> None:
    if not may_organise(scope, event):
        raise PermissionDenied(_("Only the organiser of the training runs its feedback and tests."))


def questions(form: FeedbackForm) -> tuple[str, ...]:
    if form.kind == FeedbackFormKind.SESSION:
        return rules.SESSION_QUESTIONS
    return rules.ORGANISATION_QUESTIONS


def is_open(form: FeedbackForm, now: dt.datetime | None = None) -> bool:
    """Whether the form takes answers now: open, and within its window when it has one."""
    now = now or _now()
    if form.status != FeedbackFormStatus.OPEN:
        return False
    if form.opens_at and now < form.opens_at:
        return False
    return not (form.closes_at and now >= form.closes_at)


def has_attended(participant: Participant, form: FeedbackForm) -> bool:
    """The attendance rule: a session form needs that session attended (present, late or left
    early); the organisation form needs at least one session of the event attended."""
    rows = Attendance.objects.filter(participant=participant, status__in=ATTENDED)
    if form.kind == FeedbackFormKind.SESSION:
        return rows.filter(session_id=form.session_id).exists()
    return rows.filter(session__event_id=form.event_id).exists()


# Forms ------------------------------------------------------------------------------------


@transaction.atomic
def forms_create(
    *,
    actor,
    scope: Scope,
    event: Event,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
) -> list[FeedbackForm]:
    """Create the event's forms that are missing: one per session and speaker, and one for the
    organisation, open, with the policy's minimum count. Returns the forms created."""
    _require_organiser(scope, event)
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationError({"closes_at": _("A form must close after it opens.")})
    minimum = rules.min_count(event.starts_on)
    have_org = FeedbackForm.objects.filter(event=event, kind=FeedbackFormKind.ORGANISATION).exists()
    have = set(
        FeedbackForm.objects.filter(event=event, kind=FeedbackFormKind.SESSION).values_list(
            "session_id", "speaker_id"
        )
    )
    common = {
        "instansi_id": event.instansi_id,
        "event": event,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "min_count": minimum,
    }
    new = []
    links = SessionSpeaker.objects.filter(session__event=event).order_by(
        "session__starts_at", "session_id", "order", "pk"
    )
    for link in links:
        if (link.session_id, link.speaker_id) not in have:
            new.append(
                FeedbackForm(
                    kind=FeedbackFormKind.SESSION,
                    session_id=link.session_id,
                    speaker_id=link.speaker_id,
                    **common,
                )
            )
    if not have_org:
        new.append(FeedbackForm(kind=FeedbackFormKind.ORGANISATION, **common))
    if not new:
        raise ValidationError({"event": _("Every session and speaker already has its form.")})
    for form in new:
        form.save()
    record(
        actor=actor,
        action="training.feedback.forms_create",
        target=event,
        unit=event.organiser_unit,
        changes={"forms": [None, len(new)], "min_count": [None, minimum]},
    )
    return new


STATUS_MOVES = {
    "close": (FeedbackFormStatus.OPEN, FeedbackFormStatus.CLOSED),
    "reopen": (FeedbackFormStatus.CLOSED, FeedbackFormStatus.OPEN),
    "release": (FeedbackFormStatus.CLOSED, FeedbackFormStatus.RELEASED),
}


@transaction.atomic
def form_move(*, actor, scope: Scope, form: FeedbackForm, move: str) -> FeedbackForm:
    """Close an open form, reopen a closed one (not yet released), or release a closed one's
    results. Release is final: a released form is never reopened, so its count cannot grow."""
    form = (
        FeedbackForm.objects.select_for_update(of=("self",)).select_related("event").get(pk=form.pk)
    )
    _require_organiser(scope, form.event)
    if move not in STATUS_MOVES:
        raise ValidationError({"move": _("Choose close, reopen or release.")})
    before, after = STATUS_MOVES[move]
    if form.status != before:
        messages = {
            "close": _("Only an open form is closed."),
            "reopen": _("Only a closed form whose results are not released is reopened."),
            "release": _("Results are released only once the form is closed."),
        }
        raise ValidationError({"status": messages[move]})
    form.status = after
    form.save(update_fields=["status", "updated_at"])
    record(
        actor=actor,
        action=f"training.feedback.{move}",
        target=form,
        unit=form.event.organiser_unit,
        changes={"status": [before, after]},
    )
    return form


# Answers ----------------------------------------------------------------------------------


def _rating(value: Any, field: str, low: int, high: int) -> int:
    message = _("Give a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}
    if isinstance(value, bool):
        raise ValidationError({field: message})
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({field: message}) from None
    if str(number) != str(value).strip() or not low <= number <= high:
        raise ValidationError({field: message})
    return number


def own_participant(scope: Scope, event_id: int) -> Participant | None:
    """The caller's own enrolment (not withdrawn) in the event."""
    if not scope.employee_id:
        return None
    return (
        Participant.objects.active()
        .filter(event_id=event_id, employee_id=scope.employee_id, instansi_id=scope.instansi_id)
        .first()
    )


@transaction.atomic
def feedback_respond(
    *, actor, scope: Scope, form: FeedbackForm, answers: dict[str, Any], comment: Any = ""
) -> None:
    """Answer a form, once, as a participant who attended. Writes the receipt and the
    anonymous response together; returns nothing that joins them."""
    form = FeedbackForm.objects.select_related("event").get(pk=form.pk)
    participant = own_participant(scope, form.event_id)
    if participant is None:
        raise PermissionDenied(_("Only a participant of the event answers its feedback forms."))
    if not is_open(form):
        raise ValidationError({"form": _("This form is not open for answers.")})
    if not has_attended(participant, form):
        if form.kind == FeedbackFormKind.SESSION:
            message = _("Only a participant who attended this session answers its form.")
        else:
            message = _("Only a participant who attended at least one session answers this form.")
        raise ValidationError({"form": message})
    if FeedbackReceipt.objects.filter(form=form, participant=participant).exists():
        raise ValidationError({"form": _("You have already answered this form, thank you.")})
    low, high = rules.scale(form.event.starts_on)
    answers = answers or {}
    values = {}
    errors = {}
    for name in questions(form):
        try:
            values[ANSWER_FIELDS[name]] = _rating(answers.get(name), name, low, high)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    unknown = set(answers) - set(questions(form))
    for name in sorted(unknown):
        errors[name] = [_("This form does not ask this question.")]
    text = str(comment or "").strip()
    limit = rules.comment_limit(form.event.starts_on)
    if len(text) > limit:
        errors["comment"] = [_("At most %(limit)d characters.") % {"limit": limit}]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            FeedbackReceipt.objects.create(
                instansi_id=form.instansi_id,
                form=form,
                participant=participant,
                submitted_at=_now(),
            )
    except IntegrityError:  # answered twice at the same moment: the constraint refuses one
        raise ValidationError(
            {"form": _("You have already answered this form, thank you.")}
        ) from None
    FeedbackResponse.objects.create(
        instansi_id=form.instansi_id,
        form=form,
        session_id=form.session_id,
        speaker_id=form.speaker_id,
        comment=text,
        moderation=Moderation.PENDING if text else Moderation.APPROVED,
        **values,
    )
    # The trail says who answered which form (as the receipt does), never what.
    record(
        actor=actor,
        action="training.feedback.respond",
        target=form,
        unit=participant.unit,
        changes={"answered": [False, True]},
    )


@transaction.atomic
def comment_moderate(*, actor, scope: Scope, response_id: Any, decision: str) -> FeedbackResponse:
    """Approve or hide a comment, once its form is closed (so the queue does not grow while
    participants answer). Only an approved comment reaches the speaker."""
    response = (
        FeedbackResponse.objects.select_for_update(of=("self",))
        .select_related("form__event")
        .filter(pk=response_id)
        .exclude(comment="")
        .order_by()
        .first()
    )
    if response is None or response.instansi_id != scope.instansi_id:
        raise ValidationError({"comment": _("No such comment.")})
    _require_organiser(scope, response.form.event)
    if response.form.status == FeedbackFormStatus.OPEN:
        raise ValidationError({"comment": _("Comments are moderated once the form is closed.")})
    targets = {"approve": Moderation.APPROVED, "hide": Moderation.HIDDEN}
    if decision not in targets:
        raise ValidationError({"decision": _("Choose approve or hide.")})
    before = response.moderation
    response.moderation = targets[decision]
    response.save(update_fields=["moderation"])
    record(
        actor=actor,
        action=f"training.feedback.comment_{decision}",
        target=response.form,
        unit=response.form.event.organiser_unit,
        changes={"moderation": [before, response.moderation]},
    )
    return response


# Test scores ------------------------------------------------------------------------------


def score(value: Any, field: str, low: Decimal, high: Decimal) -> Decimal | None:
    """A score within the policy's range (two decimals), or None for an empty value."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    message = _("Give a score from %(low)s to %(high)s.") % {"low": low, "high": high}
    if isinstance(value, bool):
        raise ValidationError({field: message})
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError({field: message}) from None
    if not number.is_finite() or not low <= number <= high or number != round(number, 2):
        raise ValidationError({field: message})
    return number.quantize(Decimal("0.01"))


def check_scores(event: Event, data: dict[str, Any]) -> dict[str, Decimal | None]:
    """Check the given scores (knowledge, skill, attitude; a key left out keeps what is
    stored). Skill and attitude only where the training type asks for them."""
    low, high = rules.score_range(event.starts_on)
    out: dict[str, Decimal | None] = {}
    errors: dict[str, list[str]] = {}
    for field in ("knowledge", "skill", "attitude"):
        if field not in data:
            continue
        try:
            value = score(data[field], field, low, high)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        if (
            field != "knowledge"
            and value is not None
            and not event.training_type.skill_attitude_scores
        ):
            errors[field] = [
                _("The training type %(type)s does not ask for skill and attitude scores.")
                % {"type": event.training_type.name}
            ]
            continue
        out[field] = value
    if errors:
        raise ValidationError(errors)
    return out


def _kind(value: Any) -> str:
    if value not in TestKind.values:
        raise ValidationError({"kind": _("Choose pre or post.")})
    return value


@transaction.atomic
def assessment_set(
    *,
    actor,
    scope: Scope,
    participant: Participant,
    kind: Any,
    data: dict[str, Any],
    taken_on: dt.date | None = None,
) -> Assessment:
    """Enter or change a participant's pre- or post-test scores (the organiser)."""
    participant = Participant.objects.select_related("event__training_type", "unit").get(
        pk=participant.pk
    )
    event = participant.event
    _require_organiser(scope, event)
    kind = _kind(kind)
    values = check_scores(event, data)
    return _write_assessment(actor, participant, kind, values, taken_on)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _write_assessment(actor, participant, kind, values, taken_on) -> Assessment:
    existing = (
        Assessment.objects.select_for_update(of=("self",))
        .filter(participant=participant, kind=kind)
        .order_by()
    )
    row = existing.first()
    if row is None:
        row = Assessment(
            instansi_id=participant.instansi_id,
            participant=participant,
            kind=kind,
            entered_by=actor if getattr(actor, "pk", None) else None,
            taken_on=taken_on,
            **values,
        )
        row.save()
        changes = {k: [None, v] for k, v in values.items()}
        action = "training.assessment.create"
    else:
        changes = {}
        for field, value in values.items():
            if getattr(row, field) != value:
                changes[field] = [getattr(row, field), value]
                setattr(row, field, value)
        if taken_on and taken_on != row.taken_on:
            changes["taken_on"] = [row.taken_on, taken_on]
            row.taken_on = taken_on
        if not changes:
            return row
        row.entered_by = actor if getattr(actor, "pk", None) else None
        row.version += 1
        row.save()
        action = "training.assessment.update"
    record(
        actor=actor,
        action=action,
        target=row,
        unit=participant.unit,
        changes={
            "kind": [None, kind],
            **{k: [_text(a), _text(b)] for k, (a, b) in changes.items()},
        },
    )
    return row
