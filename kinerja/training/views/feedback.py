"""Pages of reaction feedback and test scores.

- participant: My feedback (the open forms of their events; answer once; "thank you");
- organiser (``manage_training``): the events, an event's forms (create, close, reopen,
  release; counts only once released), the moderation queue of closed forms, the results
  (means per session and speaker, and the organisation), the test scores (enter, import,
  export);
- a speaker (their own account) or the organiser: the speaker's aggregated results.

Every read starts from ``.within(request.scope)``; every write goes through
``services.feedback``. No page shows a single response or who gave it.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView, View

from kinerja.core.excel import export_response
from kinerja.imports.readers import ImportFileError, read_table

from .. import feedback_rules as rules
from ..assessment_io import AssessmentReport, assessment_import
from ..choices import TestKind
from ..models import (
    Event,
    FeedbackForm,
    FeedbackFormStatus,
    FeedbackResponse,
    Moderation,
    Participant,
    Speaker,
)
from ..querysets import organises
from ..selectors_feedback import (
    learning_summary,
    may_see_speaker,
    my_forms,
    reaction_summary,
    speaker_summary,
)
from ..services import feedback as svc

QUESTION_LABELS = {
    "relevance": gettext_lazy("Relevance"),
    "speaker": gettext_lazy("The speaker"),
    "material": gettext_lazy("Material"),
    "applicability": gettext_lazy("Applicability"),
    "venue": gettext_lazy("Venue"),
    "facilities": gettext_lazy("Facilities"),
    "schedule": gettext_lazy("Schedule"),
}


def _labels() -> dict[str, str]:
    return {k: str(v) for k, v in QUESTION_LABELS.items()}


def _moment(value: str, field: str):
    """A date and time typed on the page (``YYYY-MM-DDTHH:MM``, the site's time zone), or
    None when left empty."""
    value = value.strip()
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            {field: gettext("Give a date and time like 2023-01-13 16:00.")}
        ) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _refused(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def organiser_event(request, pk: int) -> Event:
    """The event within the caller's reach, for its organiser only (403 for others)."""
    event = get_object_or_404(
        Event.objects.within(request.scope).select_related("training_type"), pk=pk
    )
    if not svc.may_organise(request.scope, event):
        raise PermissionDenied
    return event


class FeedbackPage(LoginRequiredMixin, TemplateView):
    nav_active = "training_feedback"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_active", self.nav_active)
        return super().get_context_data(**kwargs)


# Participant ------------------------------------------------------------------------------


class MyFeedbackView(FeedbackPage):
    template_name = "training/feedback_mine.html"
    nav_active = "my_feedback"

    def get_context_data(self, **kwargs):
        return super().get_context_data(rows=my_forms(self.request.scope), **kwargs)


class FeedbackAnswerView(FeedbackPage):
    """Answer one form: the caller's own enrolment, once."""

    template_name = "training/feedback_answer.html"
    nav_active = "my_feedback"

    def _form(self, pk) -> FeedbackForm:
        form = get_object_or_404(
            FeedbackForm.objects.within(self.request.scope).select_related(
                "event", "session", "speaker"
            ),
            pk=pk,
        )
        if svc.own_participant(self.request.scope, form.event_id) is None:
            raise PermissionDenied
        return form

    def get(self, request, pk):
        form = self._form(pk)
        return self.render_to_response(self.get_context_data(form=form, **self._extra(form)))

    def _extra(self, form, typed=None):
        low, high = rules.scale(form.event.starts_on)
        labels = _labels()
        return {
            "questions": [(q, labels[q], (typed or {}).get(q, "")) for q in svc.questions(form)],
            "choices": list(range(low, high + 1)),
            "comment": (typed or {}).get("comment", ""),
        }

    def post(self, request, pk):
        form = self._form(pk)
        answers = {q: request.POST.get(q, "") for q in svc.questions(form)}
        try:
            svc.feedback_respond(
                actor=request.user,
                scope=request.scope,
                form=form,
                answers=answers,
                comment=request.POST.get("comment", ""),
            )
        except ValidationError as exc:
            _refused(request, exc)
            typed = {**answers, "comment": request.POST.get("comment", "")}
            context = self.get_context_data(form=form, **self._extra(form, typed))
            return self.render_to_response(context, status=400)
        messages.success(request, gettext("Thank you: your answer is recorded, without your name."))
        return redirect("training:my_feedback")


# Organiser --------------------------------------------------------------------------------


class FeedbackEventsView(FeedbackPage):
    template_name = "training/feedback_events.html"

    def get(self, request, *args, **kwargs):
        if not organises(request.scope):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        events = Event.objects.within(self.request.scope).order_by("-starts_on", "title")[:200]
        return super().get_context_data(events=events, **kwargs)


def _form_rows(event: Event) -> list[dict]:
    summary = reaction_summary(event)
    by_form = {s["form_id"]: s for s in summary["sessions"]}
    if "form_id" in summary["organisation"]:
        by_form[summary["organisation"]["form_id"]] = summary["organisation"]
    forms = FeedbackForm.objects.filter(event=event).select_related("session", "speaker")
    return [{"form": f, "result": by_form.get(f.pk, {})} for f in forms]


class FeedbackFormsView(FeedbackPage):
    """An event's forms: create the missing ones, close, reopen, release."""

    template_name = "training/feedback_forms.html"

    def get(self, request, pk):
        event = organiser_event(request, pk)
        return self.render_to_response(self.get_context_data(event=event, rows=_form_rows(event)))

    def post(self, request, pk):
        event = organiser_event(request, pk)
        try:
            created = svc.forms_create(
                actor=request.user,
                scope=request.scope,
                event=event,
                opens_at=_moment(request.POST.get("opens_at", ""), "opens_at"),
                closes_at=_moment(request.POST.get("closes_at", ""), "closes_at"),
            )
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, gettext("%(n)d forms created.") % {"n": len(created)})
        return redirect("training:feedback_forms", pk=event.pk)


class FeedbackFormMoveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        form = get_object_or_404(
            FeedbackForm.objects.within(request.scope).select_related("event"), pk=pk
        )
        if not svc.may_organise(request.scope, form.event):
            raise PermissionDenied
        try:
            svc.form_move(
                actor=request.user, scope=request.scope, form=form, move=request.POST.get("move")
            )
        except ValidationError as exc:
            _refused(request, exc)
        return redirect("training:feedback_forms", pk=form.event_id)


class FeedbackModerationView(FeedbackPage):
    """Comments of the event's closed forms awaiting moderation (and those decided), with no
    ratings beside them and in no order of arrival."""

    template_name = "training/feedback_moderation.html"

    def get(self, request, pk):
        event = organiser_event(request, pk)
        comments = (
            FeedbackResponse.objects.filter(form__event=event)
            .exclude(form__status=FeedbackFormStatus.OPEN)
            .exclude(comment="")
            .select_related("form__session", "form__speaker")
            .order_by("moderation", "form_id", "id")
            .only("id", "comment", "moderation", "form")
        )
        return self.render_to_response(
            self.get_context_data(event=event, comments=comments, Moderation=Moderation)
        )


class CommentModerateView(LoginRequiredMixin, View):
    def post(self, request, pk):
        response = (
            FeedbackResponse.objects.filter(
                pk=pk, form__in=FeedbackForm.objects.within(request.scope)
            )
            .select_related("form__event")
            .first()
        )
        if response is None:
            raise Http404
        if not svc.may_organise(request.scope, response.form.event):
            raise PermissionDenied
        try:
            svc.comment_moderate(
                actor=request.user,
                scope=request.scope,
                response_id=response.pk,
                decision=request.POST.get("decision", ""),
            )
        except ValidationError as exc:
            _refused(request, exc)
        return redirect("training:feedback_moderation", pk=response.form.event_id)


class FeedbackResultsView(FeedbackPage):
    template_name = "training/feedback_results.html"

    def get(self, request, pk):
        event = organiser_event(request, pk)
        summary = reaction_summary(event)
        return self.render_to_response(
            self.get_context_data(
                event=event,
                summary=summary,
                session_questions=[(q, _labels()[q]) for q in rules.SESSION_QUESTIONS],
                org_questions=[(q, _labels()[q]) for q in rules.ORGANISATION_QUESTIONS],
                org_means=[
                    (_labels()[q], summary["organisation"]["means"].get(q))
                    for q in rules.ORGANISATION_QUESTIONS
                ],
            )
        )


class SpeakerFeedbackView(FeedbackPage):
    """A speaker's aggregated results: their own account, or the organiser."""

    template_name = "training/feedback_speaker.html"

    def get(self, request, pk):
        speaker = get_object_or_404(Speaker.objects.within(request.scope), pk=pk)
        if not may_see_speaker(request.scope, speaker):
            raise Http404
        rows = speaker_summary(speaker)
        labels = _labels()
        for row in rows:
            row["shown_means"] = [(labels[q], v) for q, v in row["means"].items()]
        return self.render_to_response(self.get_context_data(speaker=speaker, rows=rows))


# Test scores ------------------------------------------------------------------------------


class TestScoresView(FeedbackPage):
    """The event's pre- and post-test scores: enter one, import a workbook, export."""

    template_name = "training/test_scores.html"

    def get(self, request, pk, **extra):
        event = organiser_event(request, pk)
        return self.render_to_response(self._context(event, **extra))

    def _context(self, event, **extra):
        return self.get_context_data(
            event=event,
            summary=learning_summary(event),
            kinds=TestKind.choices,
            **extra,
        )

    def post(self, request, pk):
        event = organiser_event(request, pk)
        participant = (
            Participant.objects.within(request.scope)
            .filter(event=event, pk=request.POST.get("participant") or 0)
            .first()
        )
        if participant is None:
            messages.error(request, gettext("No such participant of this event."))
            return redirect("training:test_scores", pk=event.pk)
        data = {f: request.POST[f] for f in ("knowledge", "skill", "attitude") if f in request.POST}
        try:
            svc.assessment_set(
                actor=request.user,
                scope=request.scope,
                participant=participant,
                kind=request.POST.get("kind"),
                data=data,
            )
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, gettext("The score is saved."))
        return redirect("training:test_scores", pk=event.pk)


class TestScoresExportView(LoginRequiredMixin, View):
    def get(self, request, pk):
        event = organiser_event(request, pk)
        fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
        name = f"nilai-tes-{event.pk}-{timezone.localtime():%Y%m%d-%H%M}"
        return export_response(AssessmentReport(event), filename=name, fmt=fmt)


class TestScoresImportView(LoginRequiredMixin, View):
    """Import a workbook of scores; "check only" is a dry run. Errors name row and column."""

    def post(self, request, pk):
        event = organiser_event(request, pk)
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, gettext("Choose a file to import."))
            return redirect("training:test_scores", pk=event.pk)
        dry_run = bool(request.POST.get("dry_run"))
        try:
            table = read_table(upload, upload.name)
            outcome = assessment_import(
                actor=request.user,
                scope=request.scope,
                event=event,
                table=table,
                dry_run=dry_run,
                file_name=upload.name,
            )
        except ImportFileError as exc:
            messages.error(request, str(exc))
            return redirect("training:test_scores", pk=event.pk)
        view = TestScoresView()
        view.setup(request, pk=pk)
        context = view._context(event, outcome=outcome)
        return render(request, view.template_name, context, status=200 if outcome.valid else 400)


__all__ = [
    "CommentModerateView",
    "FeedbackAnswerView",
    "FeedbackEventsView",
    "FeedbackFormMoveView",
    "FeedbackFormsView",
    "FeedbackModerationView",
    "FeedbackResultsView",
    "MyFeedbackView",
    "SpeakerFeedbackView",
    "TestScoresExportView",
    "TestScoresImportView",
    "TestScoresView",
]
