"""What the demo's 2023 refreshment must hold, from nomination to the impact report; run by the
demo test after ``load_demo`` (``kinerja/performance/tests/test_demo.py``)."""

from __future__ import annotations

from django.db.models import Count, Sum

from kinerja.training.impact import impact_demo_checks
from kinerja.training.models import (
    ActionPlan,
    Assessment,
    Attendance,
    Certificate,
    Event,
    FeedbackForm,
    FollowUpReview,
    Participant,
)

TITLE = "Refreshment Manajemen Pemerintah Tahun 2023"
SPEAKERS = {
    "Ainun Najib",
    "Hermawan Kartajaya",
    "John Robert Powers",
    "Prof. Dr. Erwan Agus Purwanto",
}


def training_demo_problems() -> list[str]:
    """Return what is missing or wrong in the demo's 2023 refreshment (empty when all holds)."""
    problems: list[str] = []
    event = Event.objects.filter(title=TITLE).first()
    if event is None:
        return [f"no event titled {TITLE!r}"]
    sessions = list(event.sessions.all())
    if (len(sessions), sum(s.published for s in sessions)) != (11, 4):
        problems.append(
            f"sessions: {len(sessions)} with {sum(s.published for s in sessions)} published"
        )
    names = {sp.name for s in sessions for sp in s.speakers.all()}
    if names != SPEAKERS:
        problems.append(f"speakers: {sorted(names)}")
    if any(s.speakers.exists() for s in sessions if not s.published):
        problems.append("an unpublished session has an invented speaker")
    confirmed = Participant.objects.filter(event=event, status="confirmed")
    n = confirmed.count()
    if n != 61:
        problems.append(f"participants: {n} confirmed, not 61")
    if not Participant.objects.filter(event=event, status="withdrawn", replaced_by__isnull=False):
        problems.append("no withdrawal with a replacement")
    rows = Attendance.objects.filter(participant__event=event, participant__status="confirmed")
    if rows.count() != n * len(sessions):
        problems.append(f"attendance: {rows.count()} rows for {n} x {len(sessions)}")
    planned = sum(s.jp for s in sessions)
    below = (
        rows.values("participant").annotate(jp=Sum("jp")).filter(jp__lt=planned * 9 / 10).count()
    )
    if not 1 <= below <= 5:
        problems.append(f"attendance: {below} participants under 90% of {planned} JP")
    forms = FeedbackForm.objects.filter(event=event)
    if not forms.exists() or forms.exclude(status="released").exists():
        problems.append("feedback: forms missing or not released")
    tests = (
        Assessment.objects.filter(participant__in=confirmed).values("kind").annotate(n=Count("id"))
    )
    if {t["kind"]: t["n"] for t in tests} != {"pre": n, "post": n}:
        problems.append(f"tests: {list(tests)}")
    plans = ActionPlan.objects.filter(participant__in=confirmed)
    if plans.count() != n or plans.filter(links__isnull=True).exists():
        problems.append("action plans: not one per participant, each with a linked target")
    months = set(
        FollowUpReview.objects.filter(action_plan__in=plans).values_list("month", flat=True)
    )
    if months != {3, 6, 12}:
        problems.append(f"reviews at months {sorted(months)}")
    certificates = Certificate.objects.filter(participant__event=event)
    statuses = {c.status for c in certificates}
    if "signed" not in statuses or "revoked" not in statuses:
        problems.append(f"certificates: {sorted(statuses)}")
    if not certificates.exclude(exception_reason="").exists():
        problems.append("certificates: no exception with its reason")
    problems += impact_demo_checks(event)
    return problems
