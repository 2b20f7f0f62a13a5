"""Pages of the action plans: my action plans (write, link my own PK/SKP targets, milestones,
progress, reviews due), one plan (with the forms the caller may use), the plans I mentor, the
reviews asked of me, and an event's action plans (the organiser's overview with the mentor
delegation; an agency's viewers see their nominees' plans).

Every read starts from `selectors_action_plans.action_plans_for` (or the scoped enrolments and
events); every write goes through `services.action_plans`."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.generic import TemplateView

from kinerja.organisations.models import Employee

from ..action_plan_rules import write_closes
from ..choices import ReviewProgress
from ..models import Event, Participant
from ..models.actionplans import SeminarKind, SeminarOutcome
from ..querysets import organises
from ..selectors_action_plans import (
    action_plans_for,
    behaviour_summary,
    career_moves,
    mentored_by,
    own_targets,
    review_schedule,
    reviews_asked_of,
)
from ..services import action_plans as svc

__all__ = [
    "ActionPlanDetailView",
    "EventActionPlansView",
    "MentoringView",
    "MyActionPlansView",
    "ReviewsAskedView",
]


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _employee_by(value: str, instansi_id: int) -> Employee | None:
    """An employee of the instansi by NIP (grouped or not) or by id."""
    value = "".join((value or "").split())
    if not value:
        return None
    qs = Employee.objects.filter(instansi_id=instansi_id, is_active=True)
    if len(value) == 18 and value.isdigit():
        return qs.filter(nip=value).first()
    if value.isdigit():
        return qs.filter(pk=int(value)).first()
    return None


class MyActionPlansView(LoginRequiredMixin, TemplateView):
    """The caller's enrolments and their action plans; POST writes one."""

    template_name = "training/action_plan_mine.html"

    def enrolments(self):
        scope = self.request.scope
        if not scope.employee_id:
            return Participant.objects.none()
        return (
            Participant.objects.within(scope)
            .filter(employee_id=scope.employee_id)
            .exclude(status="withdrawn")
            .select_related("event", "action_plan")
            .order_by("-event__starts_on")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rows = []
        for part in self.enrolments():
            plan = getattr(part, "action_plan", None)
            rows.append({"participant": part, "plan": plan, "closes": write_closes(part.event)})
        ctx["rows"] = rows
        ctx["has_record"] = bool(self.request.scope.employee_id)
        return ctx

    def post(self, request, *args, **kwargs):
        pk = request.POST.get("participant", "")
        participant = get_object_or_404(
            Participant.objects.within(request.scope), pk=int(pk) if pk.isdigit() else 0
        )
        try:
            plan = svc.action_plan_write(
                actor=request.user,
                scope=request.scope,
                participant=participant,
                title=request.POST.get("title", ""),
                change=request.POST.get("change", ""),
                coach_name=request.POST.get("coach_name", ""),
            )
        except ValidationError as exc:
            _errors(request, exc)
            return redirect("training:action_plan_mine")
        messages.success(request, gettext("The action plan has been saved."))
        return redirect("training:action_plan_detail", plan.pk)


class ActionPlanDetailView(LoginRequiredMixin, TemplateView):
    """One action plan: what it serves, milestones and progress, reviews with the career
    moves beside them, seminars; the forms the caller may use. POST ``op`` names the write."""

    template_name = "training/action_plan_detail.html"

    def plan(self):
        return get_object_or_404(
            action_plans_for(self.request.scope).select_related(
                "participant__event__training_type",
                "participant__employee",
                "mentor",
                "coach",
            ),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scope = self.request.scope
        plan = self.plan()
        event = plan.participant.event
        mine = svc.is_participant(scope, plan)
        editable = mine and plan.status in svc.EDITABLE
        targets, results = own_targets(plan.participant.employee_id, event.year)
        linked = list(
            plan.links.select_related(
                "agreement_target__agreement__unit", "plan_result__plan"
            ).order_by("pk")
        )
        ctx.update(
            plan=plan,
            event=event,
            mine=mine,
            editable=editable,
            is_mentor=svc.is_mentor(scope, plan),
            is_organiser=svc.is_organiser(scope, plan.instansi_id),
            linked=linked,
            targets=list(targets) if editable else [],
            results=list(results) if editable else [],
            milestones=list(plan.milestones.prefetch_related("updates").order_by("position")),
            schedule=review_schedule(plan),
            moves=career_moves(plan.participant),
            seminars=list(plan.seminars.all()),
            leadership=event.training_type.leadership,
            progress_choices=ReviewProgress.choices,
            seminar_kinds=SeminarKind.choices,
            seminar_outcomes=SeminarOutcome.choices,
            closes=write_closes(event),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        plan = self.plan()
        post = request.POST
        op = post.get("op", "")
        call = {"actor": request.user, "scope": request.scope}
        try:
            if op == "link":
                value = post.get("target", "")
                kind, _sep, pk = value.partition(":")
                if kind == "pk" and pk.isdigit():
                    svc.action_plan_link(**call, plan=plan, agreement_target=int(pk))
                elif kind == "skp" and pk.isdigit():
                    svc.action_plan_link(**call, plan=plan, plan_result=int(pk))
                else:
                    raise ValidationError(gettext("Choose a target."))
            elif op == "new_result":
                svc.action_plan_link_new_result(**call, plan=plan, text=post.get("text", ""))
            elif op == "unlink":
                link = plan.links.filter(pk=post.get("link") or 0).first()
                if link is None:
                    raise Http404
                svc.action_plan_unlink(**call, link=link)
            elif op == "milestone":
                svc.milestone_add(
                    **call,
                    plan=plan,
                    title=post.get("title", ""),
                    due_on=_date(post.get("due_on", "")),
                    link=post.get("link") or None,
                )
            elif op == "submit":
                svc.action_plan_submit(**call, plan=plan)
            elif op == "approve":
                svc.action_plan_approve(**call, plan=plan)
            elif op == "complete":
                svc.action_plan_complete(**call, plan=plan)
            elif op == "drop":
                svc.action_plan_drop(**call, plan=plan, reason=post.get("reason", ""))
            elif op == "progress":
                milestone = plan.milestones.filter(pk=post.get("milestone") or 0).first()
                if milestone is None:
                    raise Http404
                svc.progress_update(
                    **call,
                    milestone=milestone,
                    percent=post.get("percent"),
                    evidence=post.get("evidence", ""),
                    link=post.get("link", ""),
                    attach=post.get("attach") == "on",
                )
            elif op == "review":
                svc.review_submit(
                    **call,
                    plan=plan,
                    month=post.get("month"),
                    progress=post.get("progress"),
                    comment=post.get("comment", ""),
                )
            elif op == "invite":
                peer = _employee_by(post.get("peer", ""), plan.instansi_id)
                svc.review_invite(**call, plan=plan, month=post.get("month"), peer=peer)
            elif op == "seminar":
                svc.seminar_record(
                    **call,
                    plan=plan,
                    kind=post.get("kind"),
                    held_on=_date(post.get("held_on", "")),
                    examiner_name=post.get("examiner_name", ""),
                    outcome=post.get("outcome"),
                    score=post.get("score") or None,
                    assessment=post.get("assessment", ""),
                )
            else:
                raise ValidationError(gettext("Unknown action."))
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, gettext("Saved."))
        return redirect("training:action_plan_detail", plan.pk)


class MentoringView(LoginRequiredMixin, TemplateView):
    """The action plans the caller mentors, with their reviews to give."""

    template_name = "training/action_plan_mentoring.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["plans"] = list(mentored_by(self.request.scope).prefetch_related("reviews"))
        return ctx


class ReviewsAskedView(LoginRequiredMixin, TemplateView):
    """The peer reviews the caller is invited to and has not given yet."""

    template_name = "training/action_plan_reviews.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["reviews"] = list(reviews_asked_of(self.request.scope))
        return ctx


class EventActionPlansView(LoginRequiredMixin, TemplateView):
    """An event's action plans within the caller's reach (the organiser: all; an agency's
    viewers: their nominees'), the behaviour summary for the organiser, and the mentor
    delegation by agency (POST, the organiser)."""

    template_name = "training/event_action_plans.html"

    def event(self):
        return get_object_or_404(Event.objects.within(self.request.scope), pk=self.kwargs["event"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scope = self.request.scope
        event = self.event()
        plans = list(
            action_plans_for(scope)
            .filter(participant__event=event)
            .select_related("participant__employee", "mentor")
            .prefetch_related("links", "reviews", "milestones")
            .order_by("participant__agency_name", "participant__employee__name")
        )
        rows = []
        for plan in plans:
            given = Counter(r.month for r in plan.reviews.all() if r.submitted_at)
            rows.append(
                {
                    "plan": plan,
                    "links": len(plan.links.all()),
                    "milestones": len(plan.milestones.all()),
                    "reviews": [(m, given.get(m, 0)) for m in (3, 6, 12)],
                }
            )
        organiser = organises(scope)
        agencies = sorted(
            {(p.participant.agency_id, p.participant.agency_name) for p in plans},
            key=lambda a: a[1],
        )
        ctx.update(
            event=event,
            rows=rows,
            organiser=organiser,
            agencies=agencies if organiser else [],
            summary=behaviour_summary(event) if organiser else None,
        )
        return ctx

    def post(self, request, *args, **kwargs):
        event = self.event()
        mentors = {}
        for key, value in request.POST.items():
            if key.startswith("mentor_") and key[7:].isdigit() and value.strip():
                employee = _employee_by(value, event.instansi_id)
                if employee is None:
                    message = gettext("No employee with NIP %(nip)s.") % {"nip": value}
                    messages.error(request, message)
                    return redirect("training:event_action_plans", event.pk)
                mentors[int(key[7:])] = employee
        try:
            changed = svc.mentor_delegate(
                actor=request.user,
                scope=request.scope,
                event=event,
                mentors=mentors,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(
                request, gettext("Mentor delegated on %(n)d action plans.") % {"n": changed}
            )
        return redirect(reverse("training:event_action_plans", args=[event.pk]))
