"""Reads of reaction feedback and test scores.

A contract the impact report and the certificates call (names and shapes kept):

- `reaction_summary(event)`: per form of a session and speaker, and for the organisation, the
  number of responses and the means, or ``suppressed`` with no number at all while the form
  is not released or holds fewer than its minimum;
- `learning_summary(event)`: knowledge scores per participant (pre, post, gain) and the means
  over participants with both, plus skill and attitude means where the training type asks;
- `post_test_taken(participant_ids)`: the participants with a post-test score.

The event given is already within the caller's reach; nothing here names who answered.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q

from kinerja.core.scope import Scope

from . import feedback_rules as rules
from .choices import TestKind
from .models import (
    Assessment,
    Event,
    FeedbackForm,
    FeedbackFormKind,
    FeedbackFormStatus,
    FeedbackReceipt,
    FeedbackResponse,
    Moderation,
    Participant,
)
from .querysets import organises
from .services.feedback import ANSWER_FIELDS, is_open

__all__ = [
    "form_results",
    "learning_summary",
    "my_forms",
    "post_test_taken",
    "reaction_summary",
    "speaker_summary",
]

TWO = Decimal("0.01")


def _q(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(TWO)


def _stats(forms: list[FeedbackForm]) -> dict[int, dict[str, Any]]:
    """Count and means per form, in one grouped query."""
    aggregates = {f"m_{name}": Avg(field) for name, field in ANSWER_FIELDS.items()}
    rows = (
        FeedbackResponse.objects.filter(form__in=forms)
        .order_by()
        .values("form_id")
        .annotate(n=Count("id"), **aggregates)
    )
    return {row["form_id"]: row for row in rows}


def form_results(form: FeedbackForm, stats: dict[str, Any] | None = None) -> dict[str, Any]:
    """The numbers of one form, or none: ``n`` and ``means`` only when released with at least
    ``min_count`` responses."""
    if stats is None:
        stats = _stats([form]).get(form.pk, {})
    names = (
        rules.SESSION_QUESTIONS
        if form.kind == FeedbackFormKind.SESSION
        else (rules.ORGANISATION_QUESTIONS)
    )
    n = stats.get("n", 0) if stats else 0
    released = form.status == FeedbackFormStatus.RELEASED
    shown = rules.shows_results(released=released, count=n, minimum=form.min_count)
    means = {name: (_q(stats.get(f"m_{name}")) if shown else None) for name in names}
    overall = None
    if shown:
        overall = rules.mean([m for m in means.values() if m is not None])
    return {
        "released": released,
        "n": n if shown else None,
        "means": means,
        "overall": overall,
        "suppressed": not shown,
    }


def reaction_summary(event: Event) -> dict[str, Any]:
    """Reaction (Kirkpatrick level 1) of an event: one entry per session and speaker (the form
    of that pair) and the organisation's. ``released`` is True when the event has forms and
    every one is released."""
    forms = list(
        FeedbackForm.objects.filter(event=event)
        .select_related("session", "speaker")
        .order_by("kind", "session__starts_at", "session_id", "speaker__name", "pk")
    )
    stats = _stats(forms)
    sessions = []
    organisation = {
        "n": None,
        "means": dict.fromkeys(rules.ORGANISATION_QUESTIONS),
        "suppressed": True,
    }
    for form in forms:
        result = form_results(form, stats.get(form.pk, {}))
        if form.kind == FeedbackFormKind.ORGANISATION:
            organisation = {
                "form_id": form.pk,
                "n": result["n"],
                "means": result["means"],
                "overall": result["overall"],
                "suppressed": result["suppressed"],
            }
            continue
        sessions.append(
            {
                "form_id": form.pk,
                "session_id": form.session_id,
                "title": form.session.title,
                "speaker_id": form.speaker_id,
                "speakers": [form.speaker.name],
                "n": result["n"],
                "means": result["means"],
                "overall": result["overall"],
                "suppressed": result["suppressed"],
            }
        )
    released = bool(forms) and all(f.status == FeedbackFormStatus.RELEASED for f in forms)
    return {"released": released, "sessions": sessions, "organisation": organisation}


def shown_comments(form: FeedbackForm, results: dict[str, Any]) -> list[str]:
    """The approved comments of a form whose results are shown, in no order of arrival."""
    if results["suppressed"]:
        return []
    return list(
        FeedbackResponse.objects.filter(form=form, moderation=Moderation.APPROVED)
        .exclude(comment="")
        .order_by("id")
        .values_list("comment", flat=True)
    )


def speaker_summary(speaker) -> list[dict[str, Any]]:
    """A speaker's own sessions: the aggregated means and approved comments of each released
    form above its minimum; nothing else."""
    forms = list(
        FeedbackForm.objects.filter(speaker=speaker, kind=FeedbackFormKind.SESSION)
        .select_related("session", "event")
        .order_by("-session__starts_at", "pk")
    )
    stats = _stats(forms)
    out = []
    for form in forms:
        result = form_results(form, stats.get(form.pk, {}))
        out.append(
            {
                "form": form,
                "event": form.event,
                "session": form.session,
                **result,
                "comments": shown_comments(form, result),
            }
        )
    return out


def may_see_speaker(scope: Scope, speaker) -> bool:
    """The speaker's own account, or the organiser of the speaker's instansi."""
    if speaker.instansi_id != scope.instansi_id:
        return False
    if organises(scope):
        return True
    return speaker.user_id is not None and speaker.user_id == scope.user_id


def my_forms(scope: Scope) -> list[dict[str, Any]]:
    """The caller's forms: those of the events they take part in, open now or already
    answered by them, each with whether they attended and answered."""
    if not scope.employee_id:
        return []
    participants = {
        p.event_id: p
        for p in Participant.objects.active().filter(
            employee_id=scope.employee_id, instansi_id=scope.instansi_id
        )
    }
    if not participants:
        return []
    answered = set(
        FeedbackReceipt.objects.filter(participant__in=participants.values()).values_list(
            "form_id", flat=True
        )
    )
    forms = (
        FeedbackForm.objects.filter(event_id__in=participants)
        .select_related("event", "session", "speaker")
        .order_by("-event__starts_on", "kind", "session__starts_at", "pk")
    )
    from .choices import AttendanceStatus
    from .models import Attendance

    attended = set(
        Attendance.objects.filter(
            participant__in=participants.values(),
            status__in=(
                AttendanceStatus.PRESENT,
                AttendanceStatus.LATE,
                AttendanceStatus.LEFT_EARLY,
            ),
        ).values_list("session_id", "session__event_id")
    )
    sessions_attended = {s for s, _e in attended}
    events_attended = {e for _s, e in attended}
    out = []
    for form in forms:
        open_now = is_open(form)
        if not open_now and form.pk not in answered:
            continue
        if form.kind == FeedbackFormKind.SESSION:
            may = form.session_id in sessions_attended
        else:
            may = form.event_id in events_attended
        out.append(
            {"form": form, "open": open_now, "answered": form.pk in answered, "attended": may}
        )
    return out


def _knowledge_rows(event: Event):
    return Assessment.objects.filter(participant__event=event).values_list(
        "participant_id", "kind", "knowledge", "skill", "attitude"
    )


def _means(pairs: list[tuple[Decimal, Decimal]]) -> dict[str, Decimal | None]:
    return {
        "mean_pre": rules.mean([p for p, _ in pairs]),
        "mean_post": rules.mean([q for _, q in pairs]),
        "mean_gain": rules.mean([q - p for p, q in pairs]),
    }


def learning_summary(event: Event) -> dict[str, Any]:
    """Learning (Kirkpatrick level 2): each participant's knowledge pre, post and gain (None
    when one is missing), the means over participants with both (``n``), and, where the
    training type asks for them, the same means of skill and attitude."""
    scores: dict[int, dict[str, dict[str, Decimal | None]]] = {}
    for pid, kind, knowledge, skill, attitude in _knowledge_rows(event):
        scores.setdefault(pid, {})[kind] = {
            "knowledge": knowledge,
            "skill": skill,
            "attitude": attitude,
        }
    participants = list(
        Participant.objects.active()
        .filter(event=event)
        .select_related("employee")
        .order_by("agency_name", "employee__name", "pk")
    )
    rows = []
    pairs: dict[str, list[tuple[Decimal, Decimal]]] = {"knowledge": [], "skill": [], "attitude": []}
    for p in participants:
        pre = scores.get(p.pk, {}).get(TestKind.PRE, {})
        post = scores.get(p.pk, {}).get(TestKind.POST, {})
        k_pre, k_post = pre.get("knowledge"), post.get("knowledge")
        gain = k_post - k_pre if k_pre is not None and k_post is not None else None
        rows.append(
            {
                "participant_id": p.pk,
                "name": p.employee.name,
                "nip": p.employee.nip,
                "pre": k_pre,
                "post": k_post,
                "gain": gain,
                "skill_pre": pre.get("skill"),
                "skill_post": post.get("skill"),
                "attitude_pre": pre.get("attitude"),
                "attitude_post": post.get("attitude"),
            }
        )
        for field in pairs:
            a, b = pre.get(field), post.get(field)
            if a is not None and b is not None:
                pairs[field].append((a, b))
    out: dict[str, Any] = {
        "participants": rows,
        "n": len(pairs["knowledge"]),
        **_means(pairs["knowledge"]),
        "skill_attitude": event.training_type.skill_attitude_scores,
    }
    if event.training_type.skill_attitude_scores:
        out["skill"] = {"n": len(pairs["skill"]), **_means(pairs["skill"])}
        out["attitude"] = {"n": len(pairs["attitude"]), **_means(pairs["attitude"])}
    return out


def post_test_taken(participant_ids) -> set[int]:
    """The participants among ``participant_ids`` with a post-test knowledge score."""
    return set(
        Assessment.objects.filter(participant_id__in=list(participant_ids), kind=TestKind.POST)
        .filter(~Q(knowledge=None))
        .values_list("participant_id", flat=True)
    )
