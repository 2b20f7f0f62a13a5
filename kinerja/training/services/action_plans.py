"""Writes of the action plans (aksi perubahan): atomic, checked, audited. Bad input raises a
ValidationError naming the field and writes nothing; a caller without the right raises
PermissionDenied.

Who:
- the participant writes their own plan (title, what will change, coach), links it to
  targets of THEIR OWN performance agreement (PK) or employee plan (SKP) of the event's year,
  or to a new result added to their SKP while it is a draft, adds milestones and submits it,
  from the event's first day until the policy's days after its last day
  (`action_plan_rules`); they report progress and invite peers for the reviews;
- the mentor (by default the participant's superior on the event's last day, from the
  reporting lines) approves a submitted plan and reviews it;
- the organiser (``manage_training``: BPSDM, the system administrator) delegates the mentor in
  bulk by agency with a reason, invites peers and records the seminars of accredited
  leadership training;
- an invited peer (an employee of the same instansi) reviews.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlparse

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record, record_many
from kinerja.core.scope import Scope
from kinerja.organisations.models import Employee
from kinerja.organisations.selectors import superior_of

from ..action_plan_rules import review_due, review_window, rules_for, write_closes
from ..choices import ActionPlanStatus, ParticipantStatus, ReviewerRole, ReviewProgress
from ..models import (
    ActionPlan,
    ActionPlanLink,
    FollowUpReview,
    LeadershipSeminar,
    Milestone,
    Participant,
    ProgressUpdate,
)
from ..models.actionplans import SeminarKind, SeminarOutcome
from ..querysets import organises

TEXT_LIMIT = 5000
TITLE_LIMIT = 300
EDITABLE = (ActionPlanStatus.DRAFT, ActionPlanStatus.SUBMITTED)
LIVE = (ActionPlanStatus.SUBMITTED, ActionPlanStatus.APPROVED)


_AS_OF: list[dt.date] = []


def _today() -> dt.date:
    """Today, local; inside `as_of` the day it names (a seam for the window tests)."""
    return _AS_OF[-1] if _AS_OF else timezone.localdate()


def _moment(day: dt.date | None = None) -> dt.datetime:
    """Now; for another day than the real today (the demo's replay), noon of that day."""
    day = day or _today()
    if day == timezone.localdate():
        return timezone.now()
    return dt.datetime.combine(day, dt.time(12), timezone.get_default_timezone())


@contextlib.contextmanager
def as_of(day: dt.date):
    """Run the services as if today were ``day``: for the demo's load, which replays 2023
    (the windows, and the dates of the progress reports and reviews, read this day)."""
    _AS_OF.append(day)
    try:
        yield
    finally:
        _AS_OF.pop()


def _day(actor, on: Any) -> dt.date:
    """The day of an entry: today; a back-dated day only for the system (the demo's load,
    ``actor`` None), never in the future."""
    today = _today()
    if on is None or on == today:
        return today
    if actor is not None or not isinstance(on, dt.date) or on > today:
        raise ValidationError({"on": _("An entry is dated today.")})
    return on


# Who may do what ---------------------------------------------------------------------------


def is_organiser(scope: Scope, instansi_id: int) -> bool:
    return scope.instansi_id == instansi_id and organises(scope)


def is_participant(scope: Scope, plan: ActionPlan) -> bool:
    return scope.employee_id is not None and scope.employee_id == plan.participant.employee_id


def is_mentor(scope: Scope, plan: ActionPlan) -> bool:
    return scope.employee_id is not None and scope.employee_id == plan.mentor_id


def _require_participant(scope: Scope, plan: ActionPlan) -> None:
    if not is_participant(scope, plan):
        raise PermissionDenied(_("Only the participant writes their action plan."))


# Checks ------------------------------------------------------------------------------------


def _text(value: Any, field: str, *, required: str | None = None, limit: int = TEXT_LIMIT) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: required})
    if len(text) > limit:
        raise ValidationError({field: _("At most %(limit)d characters.") % {"limit": limit}})
    return text


def _link_url(value: Any) -> str:
    url = str(value or "").strip()
    if not url:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            {"link": _("Give a link starting with http:// or https://.")}
        ) from None
    if len(url) > 1000 or not urlparse(url).netloc:
        raise ValidationError({"link": _("Give a link starting with http:// or https://.")})
    return url


def _check_window(event, on: dt.date) -> None:
    last = write_closes(event)
    if not event.starts_on <= on <= last:
        raise ValidationError(
            _("The action plan is written from the event's first day (%(first)s) until %(last)s.")
            % {"first": event.starts_on.isoformat(), "last": last.isoformat()}
        )


def _check_editable(plan: ActionPlan) -> None:
    if plan.status not in EDITABLE:
        raise ValidationError(
            _("This action plan is %(status)s: its content no longer changes.")
            % {"status": plan.get_status_display().lower()}
        )
    _check_window(plan.participant.event, _today())


def _lock(plan: ActionPlan) -> ActionPlan:
    return (
        ActionPlan.objects.select_for_update(of=("self",))
        .select_related("participant__event__training_type", "participant__employee")
        .get(pk=plan.pk)
    )


def _employee(value: Any, instansi_id: int, field: str) -> Employee | None:
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, Employee) else value
    found = Employee.objects.filter(pk=pk, instansi_id=instansi_id, is_active=True).first()
    if found is None:
        raise ValidationError({field: _("No such employee in this instansi.")})
    return found


def _bump(plan: ActionPlan, *fields: str) -> None:
    plan.version += 1
    plan.save(update_fields=[*fields, "version", "updated_at"])


# The plan ----------------------------------------------------------------------------------


@transaction.atomic
def action_plan_write(
    *,
    actor,
    scope: Scope,
    participant: Participant,
    title: Any,
    change: Any,
    coach: Any = None,
    coach_name: Any = "",
) -> ActionPlan:
    """Write (or rewrite while a draft or submitted) the participant's action plan. A new plan
    takes as mentor the participant's superior on the event's last day (reporting lines)."""
    participant = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("event", "employee", "unit")
        .get(pk=participant.pk)
    )
    if scope.employee_id is None or scope.employee_id != participant.employee_id:
        raise PermissionDenied(_("Only the participant writes their action plan."))
    if participant.status == ParticipantStatus.WITHDRAWN:
        raise ValidationError(_("This enrolment was withdrawn: it has no action plan."))
    title = _text(title, "title", required=_("Give the action plan a title."), limit=TITLE_LIMIT)
    change = _text(change, "change", required=_("Say what will change."))
    coach = _employee(coach, participant.instansi_id, "coach")
    coach_name = _text(coach_name, "coach_name", limit=200)
    if coach is not None and coach_name:
        raise ValidationError(
            {"coach_name": _("Name the coach as an employee or as an external name, not both.")}
        )
    if coach is not None and coach.pk == participant.employee_id:
        raise ValidationError({"coach": _("A participant does not coach themselves.")})
    plan = ActionPlan.objects.select_for_update().filter(participant=participant).first()
    if plan is None:
        _check_window(participant.event, _today())
        holder = superior_of(participant.employee, participant.event.ends_on)
        plan = ActionPlan.objects.create(
            instansi_id=participant.instansi_id,
            participant=participant,
            title=title,
            change=change,
            coach=coach,
            coach_name=coach_name,
            mentor=holder.employee if holder else None,
        )
        record(
            actor=actor,
            action="action_plan.create",
            target=plan,
            unit=participant.unit,
            changes={
                "participant": [None, participant.pk],
                "title": [None, title],
                "change": [None, change],
                "mentor": [None, plan.mentor_id],
                "coach": [None, coach.pk if coach else coach_name or None],
            },
        )
        return plan
    plan = _lock(plan)
    _check_editable(plan)
    before = {
        "title": plan.title,
        "change": plan.change,
        "coach": plan.coach_id,
        "coach_name": plan.coach_name,
    }
    plan.title, plan.change, plan.coach, plan.coach_name = title, change, coach, coach_name
    after = {"title": title, "change": change, "coach": plan.coach_id, "coach_name": coach_name}
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changes:
        _bump(plan, "title", "change", "coach", "coach_name")
        record(
            actor=actor,
            action="action_plan.update",
            target=plan,
            unit=participant.unit,
            changes=changes,
        )
    return plan


def _own_agreement_target(plan: ActionPlan, row) -> bool:
    agreement = row.agreement
    return (
        agreement.first_party_id == plan.participant.employee_id
        and agreement.year == plan.participant.event.year
        and agreement.is_current
        and agreement.instansi_id == plan.instansi_id
    )


def _own_plan_result(plan: ActionPlan, row) -> bool:
    skp = row.plan
    return (
        skp.employee_id == plan.participant.employee_id
        and skp.period.year == plan.participant.event.year
        and skp.is_current
    )


@transaction.atomic
def action_plan_link(
    *, actor, scope: Scope, plan: ActionPlan, agreement_target=None, plan_result=None
) -> ActionPlanLink:
    """Link the plan to a target of the participant's own agreement (PK) of the event's year,
    or to a result of their own employee plan (SKP) of that year. Someone else's is refused."""
    from kinerja.performance.models import AgreementTarget, PlanResult

    plan = _lock(plan)
    _require_participant(scope, plan)
    _check_editable(plan)
    if (agreement_target is None) == (plan_result is None):
        raise ValidationError(
            {"target": _("Choose one target: of your agreement (PK) or of your plan (SKP).")}
        )
    not_yours = ValidationError({"target": _("This target is not yours.")})
    if agreement_target is not None:
        row = (
            AgreementTarget.objects.select_related("agreement")
            .filter(pk=getattr(agreement_target, "pk", agreement_target))
            .first()
        )
        if row is None or not _own_agreement_target(plan, row):
            raise not_yours
        if plan.links.filter(agreement_target=row).exists():
            raise ValidationError({"target": _("The plan is already linked to this target.")})
        link = ActionPlanLink.objects.create(action_plan=plan, agreement_target=row)
        kind, label = "agreement_target", row.indicator_name or str(row.target_id)
    else:
        row = (
            PlanResult.objects.select_related("plan__period")
            .filter(pk=getattr(plan_result, "pk", plan_result))
            .first()
        )
        if row is None or not _own_plan_result(plan, row):
            raise not_yours
        if plan.links.filter(plan_result=row).exists():
            raise ValidationError({"target": _("The plan is already linked to this target.")})
        link = ActionPlanLink.objects.create(action_plan=plan, plan_result=row)
        kind, label = "plan_result", row.text[:200]
    _bump(plan)
    record(
        actor=actor,
        action="action_plan.link",
        target=plan,
        unit=plan.participant.unit,
        changes={kind: [None, row.pk], "label": [None, label]},
    )
    return link


def own_draft_plan(plan: ActionPlan):
    """The participant's current employee plan (SKP) of the event's year, the latest."""
    from kinerja.performance.models import Plan

    return (
        Plan.objects.select_related("unit", "period", "position")
        .filter(
            employee_id=plan.participant.employee_id,
            period__year=plan.participant.event.year,
            is_current=True,
        )
        .order_by("-starts")
        .first()
    )


@transaction.atomic
def action_plan_link_new_result(
    *, actor, scope: Scope, plan: ActionPlan, text: Any
) -> ActionPlanLink:
    """Add a new result (RHK) to the participant's employee plan of the event's year through
    the performance app's service, and link it. The SKP's rules hold: a result is added only
    to a draft plan; a submitted, approved or signed one is refused (link one of its results,
    or start a revision of the plan first)."""
    from kinerja.performance.services import skp

    plan = _lock(plan)
    _require_participant(scope, plan)
    _check_editable(plan)
    text = _text(text, "text", required=_("Describe the new result."))
    skp_plan = own_draft_plan(plan)
    year = plan.participant.event.year
    if skp_plan is None:
        raise ValidationError(
            {"text": _("You have no employee plan (SKP) for %(year)d.") % {"year": year}}
        )
    if not skp_plan.is_draft:
        raise ValidationError(
            {
                "text": _(
                    "Your employee plan (SKP) for %(year)d is %(status)s: a new result is "
                    "added only to a draft. Link one of its results, or start a revision of "
                    "the plan first."
                )
                % {"year": year, "status": skp_plan.get_status_display().lower()}
            }
        )
    result = skp.plan_result_add(
        actor=actor, scope=scope, plan=skp_plan, version=skp_plan.version, data={"text": text}
    )
    return action_plan_link(actor=actor, scope=scope, plan=plan, plan_result=result)


@transaction.atomic
def action_plan_unlink(*, actor, scope: Scope, link: ActionPlanLink) -> None:
    plan = _lock(link.action_plan)
    _require_participant(scope, plan)
    _check_editable(plan)
    changes = {
        "agreement_target": [link.agreement_target_id, None],
        "plan_result": [link.plan_result_id, None],
    }
    link.delete()
    _bump(plan)
    record(
        actor=actor,
        action="action_plan.unlink",
        target=plan,
        unit=plan.participant.unit,
        changes={k: v for k, v in changes.items() if v[0] is not None},
    )


@transaction.atomic
def milestone_add(
    *, actor, scope: Scope, plan: ActionPlan, title: Any, due_on: Any, link: Any = None
) -> Milestone:
    """A step of the plan, dated between the event's first day and the last follow-up
    review's due date; optionally serving one of the plan's linked targets."""
    plan = _lock(plan)
    _require_participant(scope, plan)
    _check_editable(plan)
    title = _text(title, "title", required=_("Name the milestone."), limit=TITLE_LIMIT)
    event = plan.participant.event
    if not isinstance(due_on, dt.date):
        raise ValidationError({"due_on": _("Give the milestone's date.")})
    last = review_due(event, max(rules_for(event).review_months))
    if not event.starts_on <= due_on <= last:
        raise ValidationError(
            {
                "due_on": _("A milestone falls between %(first)s and %(last)s.")
                % {"first": event.starts_on.isoformat(), "last": last.isoformat()}
            }
        )
    if link not in (None, ""):
        link = plan.links.filter(pk=getattr(link, "pk", link)).first()
        if link is None:
            raise ValidationError({"link": _("Choose one of the plan's linked targets.")})
    else:
        link = None
    position = plan.milestones.count() + 1
    milestone = Milestone.objects.create(
        action_plan=plan, title=title, due_on=due_on, link=link, position=position
    )
    _bump(plan)
    record(
        actor=actor,
        action="action_plan.milestone_add",
        target=plan,
        unit=plan.participant.unit,
        changes={
            "milestone": [None, milestone.pk],
            "title": [None, title],
            "due_on": [None, due_on.isoformat()],
            "link": [None, link.pk if link else None],
        },
    )
    return milestone


@transaction.atomic
def action_plan_submit(*, actor, scope: Scope, plan: ActionPlan) -> ActionPlan:
    """The participant submits the plan to the mentor: it needs a linked target and a
    milestone. A plan without a mentor (a head of agency whose superior holds no post in the
    lines) waits for the organiser to delegate one."""
    plan = _lock(plan)
    _require_participant(scope, plan)
    if plan.status != ActionPlanStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft action plan is submitted.")})
    _check_window(plan.participant.event, _today())
    if not plan.links.exists():
        raise ValidationError(
            {"links": _("Link the plan to at least one target of your PK or SKP.")}
        )
    if not plan.milestones.exists():
        raise ValidationError({"milestones": _("Add at least one milestone.")})
    plan.status = ActionPlanStatus.SUBMITTED
    plan.submitted_at = _moment()
    _bump(plan, "status", "submitted_at")
    record(
        actor=actor,
        action="action_plan.submit",
        target=plan,
        unit=plan.participant.unit,
        changes={"status": [ActionPlanStatus.DRAFT, ActionPlanStatus.SUBMITTED]},
    )
    return plan


@transaction.atomic
def action_plan_approve(*, actor, scope: Scope, plan: ActionPlan) -> ActionPlan:
    """The mentor approves a submitted plan."""
    plan = _lock(plan)
    if not is_mentor(scope, plan):
        raise PermissionDenied(_("Only the plan's mentor approves it."))
    if plan.status != ActionPlanStatus.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted action plan is approved.")})
    plan.status = ActionPlanStatus.APPROVED
    _bump(plan, "status")
    record(
        actor=actor,
        action="action_plan.approve",
        target=plan,
        unit=plan.participant.unit,
        changes={"status": [ActionPlanStatus.SUBMITTED, ActionPlanStatus.APPROVED]},
    )
    return plan


@transaction.atomic
def action_plan_complete(*, actor, scope: Scope, plan: ActionPlan) -> ActionPlan:
    """The mentor (or the organiser) marks an approved plan completed: every milestone must
    be done (a date it was done, or 100 %); the refusal names those still open."""
    plan = _lock(plan)
    if not (is_mentor(scope, plan) or is_organiser(scope, plan.instansi_id)):
        raise PermissionDenied(_("Only the plan's mentor or the organiser marks it completed."))
    if plan.status != ActionPlanStatus.APPROVED:
        raise ValidationError({"status": _("Only an approved action plan is completed.")})
    still_open = [
        m.title
        for m in plan.milestones.order_by("position", "due_on", "pk")
        if m.done_on is None and m.progress < 100
    ]
    if still_open:
        raise ValidationError(
            {
                "milestones": _("These milestones are not done yet: %(list)s.")
                % {"list": "; ".join(still_open)}
            }
        )
    plan.status = ActionPlanStatus.COMPLETED
    plan.closed_at = _moment()
    _bump(plan, "status", "closed_at")
    record(
        actor=actor,
        action="action_plan.complete",
        target=plan,
        unit=plan.participant.unit,
        changes={"status": [ActionPlanStatus.APPROVED, ActionPlanStatus.COMPLETED]},
    )
    return plan


@transaction.atomic
def action_plan_drop(*, actor, scope: Scope, plan: ActionPlan, reason: Any) -> ActionPlan:
    """The participant, the mentor or the organiser drops a plan not yet closed, with the
    reason (a transfer, a reorganisation, a target withdrawn from the PK). Its reviews and
    progress stay as they were."""
    plan = _lock(plan)
    if not (
        is_participant(scope, plan)
        or is_mentor(scope, plan)
        or is_organiser(scope, plan.instansi_id)
    ):
        raise PermissionDenied(_("Only the participant, the mentor or the organiser drops it."))
    if plan.status in (ActionPlanStatus.COMPLETED, ActionPlanStatus.DROPPED):
        raise ValidationError(
            {
                "status": _("This action plan is %(status)s already.")
                % {"status": plan.get_status_display().lower()}
            }
        )
    reason = _text(reason, "reason", required=_("Say why the plan is dropped."))
    before = plan.status
    plan.status = ActionPlanStatus.DROPPED
    plan.closed_at = _moment()
    plan.close_reason = reason
    _bump(plan, "status", "closed_at", "close_reason")
    record(
        actor=actor,
        action="action_plan.drop",
        target=plan,
        unit=plan.participant.unit,
        changes={"status": [before, ActionPlanStatus.DROPPED]},
        reason=reason,
    )
    return plan


# Mentors -----------------------------------------------------------------------------------


@transaction.atomic
def mentor_delegate(*, actor, scope: Scope, event, mentors: dict[Any, Any], reason: Any) -> int:
    """The organiser names the mentor of the event's plans by the participant's agency
    (``mentors``: agency id -> employee), e.g. the Sekda's assistants instead of the one
    superior all heads of agency share. A reason is required; one audit event per changed
    plan. A participant is never their own mentor. Answers how many plans changed."""
    if not is_organiser(scope, event.instansi_id):
        raise PermissionDenied(_("Only the organiser delegates the mentors."))
    reason = _text(reason, "reason", required=_("Give the reason for the delegation."))
    if not isinstance(mentors, dict) or not mentors:
        raise ValidationError({"mentors": _("Name a mentor for at least one agency.")})
    chosen: dict[int, Employee] = {}
    for agency, employee in mentors.items():
        try:
            agency_id = int(getattr(agency, "pk", agency))
        except (TypeError, ValueError):
            raise ValidationError({"mentors": _("Give the agencies by their ids.")}) from None
        found = _employee(employee, event.instansi_id, "mentors")
        if found is None:
            raise ValidationError({"mentors": _("Name a mentor for each agency given.")})
        chosen[agency_id] = found
    plans = list(
        ActionPlan.objects.select_for_update(of=("self",))
        .select_related("participant__unit")
        .filter(participant__event=event, participant__agency_id__in=chosen)
        .exclude(participant__status=ParticipantStatus.WITHDRAWN)
        .order_by("pk")
    )
    entries = []
    for plan in plans:
        mentor = chosen[plan.participant.agency_id]
        if mentor.pk == plan.participant.employee_id:
            raise ValidationError(
                {
                    "mentors": _("%(name)s is a participant of that agency: not their own mentor.")
                    % {"name": mentor.display_name}
                }
            )
        if plan.mentor_id == mentor.pk:
            continue
        entries.append(
            {
                "target_type": "training.actionplan",
                "target_id": plan.pk,
                "target_repr": str(plan)[:300],
                "unit_id": plan.participant.unit_id,
                "unit_path": plan.participant.unit.path,
                "instansi_id": plan.instansi_id,
                "changes": {"mentor": [plan.mentor_id, mentor.pk]},
            }
        )
        plan.mentor = mentor
        plan.mentor_delegated_by = actor if getattr(actor, "pk", None) else None
        plan.version += 1
    changed = [p for p in plans if any(e["target_id"] == p.pk for e in entries)]
    ActionPlan.objects.bulk_update(changed, ["mentor", "mentor_delegated_by", "version"])
    if entries:
        record_many(
            actor=actor,
            action="action_plan.mentor_delegate",
            entries=entries,
            reason=reason,
            instansi_id=event.instansi_id,
        )
    return len(entries)


# Progress ----------------------------------------------------------------------------------


def _skp_result_for(plan: ActionPlan, milestone: Milestone):
    """The SKP result a milestone's progress is written on as feedback: the linked result; for
    a linked agreement target, the participant's result serving it; else the plan's first
    linked result. None when the plan touches no SKP result."""
    from kinerja.performance.models import PlanResult

    link = milestone.link
    if link is not None and link.plan_result_id:
        return link.plan_result
    if link is not None and link.agreement_target_id:
        skp_plan = own_draft_plan(plan)
        if skp_plan is not None:
            serving = skp_plan.results.filter(serves_target_id=link.agreement_target_id).first()
            if serving is not None:
                return serving
    first = plan.links.filter(plan_result__isnull=False).order_by("pk").first()
    if first is not None:
        return PlanResult.objects.get(pk=first.plan_result_id)
    skp_plan = own_draft_plan(plan)
    if skp_plan is not None:
        targets = plan.links.filter(agreement_target__isnull=False).values("agreement_target")
        return skp_plan.results.filter(serves_target__in=targets).order_by("pk").first()
    return None


def _open_realisation(target, on: dt.date):
    """The realisation of ``target`` for the sub-period containing ``on``, if one exists."""
    from kinerja.performance.models import Realisation

    return (
        Realisation.objects.select_related("sub_period")
        .filter(target=target, sub_period__starts__lte=on, sub_period__ends__gte=on)
        .first()
    )


@transaction.atomic
def progress_update(
    *,
    actor,
    scope: Scope,
    milestone: Milestone,
    percent: Any,
    evidence: Any = "",
    link: Any = "",
    attach: bool = False,
    on: Any = None,
) -> ProgressUpdate:
    """The participant reports a milestone's progress (percent, evidence text and link) on a
    submitted or approved plan. What flows into the employee plan: a continuous-feedback entry
    on the SKP result the milestone serves (`_skp_result_for`), written through the
    performance service; and, with ``attach``, the evidence link added to the linked agreement
    target's realisation of the sub-period containing the day, through the performance
    service (its rules hold: only a draft or returned realisation takes evidence)."""
    from kinerja.performance.models import PlanDialogue
    from kinerja.performance.services import realisations as realisation_svc
    from kinerja.performance.services import skp_extra

    plan = _lock(milestone.action_plan)
    _require_participant(scope, plan)
    if plan.status not in LIVE:
        raise ValidationError(
            {"status": _("Progress is reported on a submitted or approved action plan.")}
        )
    try:
        percent = int(percent)
    except (TypeError, ValueError):
        raise ValidationError({"percent": _("Give the progress as a whole percent.")}) from None
    if not 0 <= percent <= 100:
        raise ValidationError({"percent": _("The progress lies between 0 and 100%.")})
    evidence = _text(evidence, "evidence")
    url = _link_url(link)
    day = _day(actor, on)
    milestone = (
        Milestone.objects.select_for_update(of=("self",))
        .select_related("link")
        .get(pk=milestone.pk)
    )
    author = Employee.objects.get(pk=plan.participant.employee_id)
    update = ProgressUpdate(
        instansi_id=plan.instansi_id,
        milestone=milestone,
        on=day,
        percent=percent,
        evidence=evidence,
        link=url,
        author=author,
    )
    if attach:
        row = milestone.link
        if not url:
            raise ValidationError({"link": _("Give the evidence link to attach.")})
        if row is None or row.agreement_target_id is None:
            raise ValidationError(
                {"attach": _("This milestone serves no target of your agreement (PK).")}
            )
        realisation = _open_realisation(row.agreement_target.target, day)
        if realisation is None or not realisation.is_editable:
            raise ValidationError(
                {
                    "attach": _(
                        "The target has no realisation open for entries on %(day)s: the "
                        "evidence is kept on the action plan only."
                    )
                    % {"day": day.isoformat()}
                }
            )
        update.realisation_evidence = realisation_svc.evidence_add_link(
            actor=actor,
            scope=scope,
            realisation=realisation,
            url=url,
            label=_("Action plan: %(milestone)s") % {"milestone": milestone.title[:250]},
        )
    result = _skp_result_for(plan, milestone)
    if result is not None and skp_extra.may_write_dialogue(scope, result.plan):
        text = _("Action plan “%(plan)s”, milestone “%(milestone)s”: %(percent)d%%.") % {
            "plan": plan.title[:200],
            "milestone": milestone.title[:200],
            "percent": percent,
        }
        if evidence:
            text += f" {evidence}"
        if url:
            text += f" {url}"
        update.feedback = skp_extra.dialogue_add(
            actor=actor,
            scope=scope,
            result=result,
            data={"kind": "feedback", "text": text[:TEXT_LIMIT], "on": day},
        )
        assert isinstance(update.feedback, PlanDialogue)
    update.save()
    milestone.progress = percent
    if evidence or url:
        milestone.evidence = "\n".join(x for x in (milestone.evidence, evidence, url) if x)[
            -TEXT_LIMIT:
        ]
    milestone.done_on = day if percent == 100 else None
    milestone.save(update_fields=["progress", "evidence", "done_on"])
    record(
        actor=actor,
        action="action_plan.progress",
        target=plan,
        unit=plan.participant.unit,
        changes={
            "milestone": [None, milestone.pk],
            "percent": [None, percent],
            "on": [None, day.isoformat()],
            "evidence": [None, evidence or None],
            "link": [None, url or None],
            "feedback": [None, update.feedback_id],
            "realisation_evidence": [None, update.realisation_evidence_id],
        },
    )
    return update


# Follow-up reviews -------------------------------------------------------------------------


def _month(plan: ActionPlan, month: Any) -> int:
    months = rules_for(plan.participant.event).review_months
    try:
        month = int(month)
    except (TypeError, ValueError):
        month = None
    if month not in months:
        raise ValidationError(
            {
                "month": _("Choose a review month: %(months)s.")
                % {"months": ", ".join(str(m) for m in months)}
            }
        )
    return month


@transaction.atomic
def review_invite(
    *, actor, scope: Scope, plan: ActionPlan, month: Any, peer: Any
) -> FollowUpReview:
    """The participant or the organiser invites a peer (an active employee of the same
    instansi, not the participant nor the mentor) to the review of ``month``; at most the
    policy's number of peers per review."""
    plan = _lock(plan)
    if not (is_participant(scope, plan) or is_organiser(scope, plan.instansi_id)):
        raise PermissionDenied(_("Only the participant or the organiser invites peers."))
    if plan.status not in LIVE:
        raise ValidationError(
            {"status": _("Peers are invited to review a submitted or approved action plan.")}
        )
    month = _month(plan, month)
    peer = _employee(peer, plan.instansi_id, "peer")
    if peer is None:
        raise ValidationError({"peer": _("Choose the peer.")})
    if peer.pk in (plan.participant.employee_id, plan.mentor_id):
        raise ValidationError(
            {"peer": _("A peer is someone other than the participant and the mentor.")}
        )
    if plan.reviews.filter(month=month, reviewer=peer).exists():
        raise ValidationError({"peer": _("This peer is already invited to this review.")})
    limit = rules_for(plan.participant.event).max_peers
    if plan.reviews.filter(month=month, role=ReviewerRole.PEER).count() >= limit:
        raise ValidationError({"peer": _("At most %(n)d peers review each month.") % {"n": limit}})
    review = FollowUpReview.objects.create(
        instansi_id=plan.instansi_id,
        action_plan=plan,
        month=month,
        reviewer=peer,
        role=ReviewerRole.PEER,
    )
    record(
        actor=actor,
        action="action_plan.review_invite",
        target=plan,
        unit=plan.participant.unit,
        changes={"month": [None, month], "peer": [None, peer.pk]},
    )
    return review


@transaction.atomic
def review_submit(
    *,
    actor,
    scope: Scope,
    plan: ActionPlan,
    month: Any,
    progress: Any,
    comment: Any = "",
    on: Any = None,
) -> FollowUpReview:
    """A review of ``month`` by the participant (self), the mentor or an invited peer: the
    progress (ahead, on track, behind, stalled) and a comment, from the due date minus the
    policy's days until its close; once each."""
    plan = _lock(plan)
    me = scope.employee_id
    invited = (
        plan.reviews.select_for_update().filter(
            month=_month(plan, month), reviewer_id=me, role=ReviewerRole.PEER
        )
        if me
        else FollowUpReview.objects.none()
    ).first()
    if is_participant(scope, plan):
        role = ReviewerRole.PARTICIPANT
    elif is_mentor(scope, plan):
        role = ReviewerRole.MENTOR
    elif invited is not None:
        role = ReviewerRole.PEER
    else:
        raise PermissionDenied(
            _("Only the participant, the mentor and the invited peers review this plan.")
        )
    if plan.status not in LIVE:
        raise ValidationError({"status": _("A submitted or approved action plan is reviewed.")})
    month = _month(plan, month)
    if progress not in ReviewProgress.values:
        raise ValidationError(
            {"progress": _("Choose the progress: ahead, on track, behind or stalled.")}
        )
    comment = _text(comment, "comment")
    day = _day(actor, on)
    opens, closes = review_window(plan.participant.event, month)
    if not opens <= day <= closes:
        raise ValidationError(
            {
                "month": _("The %(month)d-month review is given from %(opens)s to %(closes)s.")
                % {"month": month, "opens": opens.isoformat(), "closes": closes.isoformat()}
            }
        )
    review = invited or plan.reviews.select_for_update().filter(month=month, reviewer_id=me).first()
    if review is not None and review.submitted_at is not None:
        raise ValidationError({"month": _("You have already given this review.")})
    moment = _moment(day)
    if review is None:
        review = FollowUpReview(
            instansi_id=plan.instansi_id, action_plan=plan, month=month, reviewer_id=me, role=role
        )
    review.progress, review.comment, review.submitted_at = progress, comment, moment
    review.save()
    record(
        actor=actor,
        action="action_plan.review",
        target=plan,
        unit=plan.participant.unit,
        changes={
            "month": [None, month],
            "role": [None, role],
            "progress": [None, progress],
            "comment": [None, comment or None],
        },
    )
    return review


# Seminars of accredited leadership training ------------------------------------------------


@transaction.atomic
def seminar_record(
    *,
    actor,
    scope: Scope,
    plan: ActionPlan,
    kind: Any,
    held_on: Any,
    examiner: Any = None,
    examiner_name: Any = "",
    coach_name: Any = "",
    mentor_name: Any = "",
    outcome: Any,
    score: Any = None,
    assessment: Any = "",
) -> LeadershipSeminar:
    """The organiser records the design or the results seminar of a leadership training's
    change project (again: it corrects the record). Refused for other training types; the
    results seminar comes after the design seminar."""
    plan = _lock(plan)
    if not is_organiser(scope, plan.instansi_id):
        raise PermissionDenied(_("Only the organiser records the seminars."))
    event = plan.participant.event
    if not event.training_type.leadership:
        raise ValidationError(
            {
                "kind": _(
                    "Seminars of the change project are recorded for accredited leadership "
                    "training only; %(type)s is not."
                )
                % {"type": event.training_type.name}
            }
        )
    if kind not in SeminarKind.values:
        raise ValidationError({"kind": _("Choose the design or the results seminar.")})
    if not isinstance(held_on, dt.date):
        raise ValidationError({"held_on": _("Give the seminar's date.")})
    if held_on < event.starts_on:
        raise ValidationError({"held_on": _("The seminar comes after the event's first day.")})
    if outcome not in SeminarOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    examiner = _employee(examiner, plan.instansi_id, "examiner")
    examiner_name = _text(examiner_name, "examiner_name", limit=200) or (
        examiner.display_name[:200] if examiner else ""
    )
    if not examiner_name:
        raise ValidationError({"examiner_name": _("Name the examiner.")})
    if score in (None, ""):
        score = None
    else:
        try:
            score = Decimal(str(score))
        except InvalidOperation:
            raise ValidationError({"score": _("Give the score as a number.")}) from None
        if not Decimal(0) <= score <= Decimal(100):
            raise ValidationError({"score": _("A score lies between 0 and 100.")})
    if kind == SeminarKind.RESULTS:
        design = plan.seminars.filter(kind=SeminarKind.DESIGN).first()
        if design is None:
            raise ValidationError({"kind": _("The design seminar comes first.")})
        if held_on < design.held_on:
            raise ValidationError(
                {"held_on": _("The results seminar comes after the design seminar.")}
            )
    values = {
        "held_on": held_on,
        "examiner": examiner,
        "examiner_name": examiner_name,
        "coach_name": _text(coach_name, "coach_name", limit=200)
        or (plan.coach.display_name[:200] if plan.coach_id else plan.coach_name),
        "mentor_name": _text(mentor_name, "mentor_name", limit=200)
        or (plan.mentor.display_name[:200] if plan.mentor_id else ""),
        "outcome": outcome,
        "score": score,
        "assessment": _text(assessment, "assessment"),
        "recorded_by": actor if getattr(actor, "pk", None) else None,
    }
    seminar, created = LeadershipSeminar.objects.update_or_create(
        action_plan=plan, kind=kind, defaults={"instansi_id": plan.instansi_id, **values}
    )
    record(
        actor=actor,
        action="action_plan.seminar",
        target=plan,
        unit=plan.participant.unit,
        changes={
            "kind": [None, kind],
            "held_on": [None, held_on.isoformat()],
            "examiner_name": [None, examiner_name],
            "outcome": [None, outcome],
            "score": [None, str(score) if score is not None else None],
            "created": [None, created],
        },
    )
    return seminar
