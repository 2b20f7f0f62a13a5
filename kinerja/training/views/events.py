"""Pages of programmes, events, sessions and speakers (under /training/).

The organiser (``manage_training``) sets up programmes, events, quotas, sessions, speakers and
publishes the timetable; every signed-in member of the instansi reads the events out of planning
(the event page, its timetable per day, a session with its speakers and competencies); the
materials are for the confirmed participants and the organiser; a participant has "my events"
and "my timetable" with the notices of changes. Every read starts from the scoped querysets;
every write goes through `services.events`."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from kinerja.core.pagination import CappedPaginator

from .. import ics
from ..choices import EventStatus
from ..forms_events import (
    EventForm,
    MaterialForm,
    ProgrammeForm,
    PublishForm,
    QuotaForm,
    SessionForm,
    SpeakerForm,
    StatusForm,
    apply_errors,
)
from ..models import EventQuota, SessionMaterial, TrainingNotice
from ..querysets import organises
from ..selectors_events import (
    change_label,
    event_days,
    events_for,
    latest_version,
    my_enrolments,
    my_notices,
    pending_changes,
    programmes_for,
    published_rows,
    reads_materials,
    session_warnings,
    sessions_for,
    shown_title,
    speakers_for,
)
from ..services import events as svc

PER_PAGE = 50


class PageMixin(LoginRequiredMixin):
    nav_active = "training"

    def context(self, **kwargs):
        kwargs.setdefault("nav_active", self.nav_active)
        return kwargs


class OrganiserMixin(PageMixin):
    """Pages of the organiser only: anyone else is forbidden (403)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not organises(request.scope):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class FormPage(OrganiserMixin, View):
    """A form whose valid input goes to ``save`` (a service call); a refusal goes back on the
    form's fields."""

    form_class = None
    template_name = "training/events/form.html"
    heading = ""

    def get_form(self, data=None, files=None):
        return self.form_class(data=data, files=files, initial=self.initial(), **self.form_kwargs())

    def form_kwargs(self) -> dict:
        return {"scope": self.request.scope}

    def initial(self) -> dict:
        return {}

    def get_object(self):
        return None

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render(self.get_form())

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                return self.save(form)
            except ValidationError as exc:
                apply_errors(form, exc)
        return self.render(form, status=400 if form.errors else 200)

    def render(self, form, status=200):
        context = self.context(
            form=form, heading=self.heading_text(), cancel_url=self.cancel_url(), multipart=False
        )
        return render(self.request, self.template_name, context, status=status)

    def heading_text(self) -> str:
        return str(self.heading)

    def cancel_url(self) -> str:
        return reverse("training:event_list")


# Programmes -------------------------------------------------------------------------------


class ProgrammeListView(OrganiserMixin, TemplateView):
    template_name = "training/events/programme_list.html"

    def get_context_data(self, **kwargs):
        programmes = programmes_for(self.request.scope).order_by("name")
        return super().get_context_data(**self.context(programmes=programmes, **kwargs))


class ProgrammeCreateView(FormPage):
    form_class = ProgrammeForm

    def heading_text(self):
        return _("New programme")

    def save(self, form):
        svc.programme_create(actor=self.request.user, scope=self.request.scope, **form.cleaned_data)
        messages.success(self.request, _("Programme saved."))
        return redirect("training:programme_list")


class ProgrammeEditView(FormPage):
    form_class = ProgrammeForm

    def get_object(self):
        return get_object_or_404(programmes_for(self.request.scope), pk=self.kwargs["pk"])

    def initial(self):
        p = self.object
        return {"name": p.name, "purpose": p.purpose, "organiser_unit": p.organiser_unit_id}

    def heading_text(self):
        return _("Edit programme")

    def save(self, form):
        svc.programme_update(
            actor=self.request.user,
            scope=self.request.scope,
            programme=self.object,
            **form.cleaned_data,
        )
        messages.success(self.request, _("Programme saved."))
        return redirect("training:programme_list")


# Events -----------------------------------------------------------------------------------


class EventListView(PageMixin, TemplateView):
    """The events the caller may see, by year and status (the organiser sees planned ones)."""

    template_name = "training/events/event_list.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        qs = events_for(scope)
        get = self.request.GET
        year = get.get("year", "")
        if year.isdigit():
            qs = qs.filter(starts_on__year=int(year))
        status = get.get("status", "")
        if status in EventStatus.values:
            qs = qs.filter(status=status)
        page = CappedPaginator(qs.order_by("-starts_on", "title"), PER_PAGE).get_page(
            get.get("page")
        )
        years = sorted({d.year for d in events_for(scope).dates("starts_on", "year")}, reverse=True)
        return super().get_context_data(
            **self.context(
                page=page,
                years=years,
                statuses=EventStatus.choices,
                year=year,
                status=status,
                organiser=organises(scope),
                **kwargs,
            )
        )


class EventCreateView(FormPage):
    form_class = EventForm

    def heading_text(self):
        return _("New event")

    def save(self, form):
        event = svc.event_create(
            actor=self.request.user, scope=self.request.scope, **form.cleaned_data
        )
        messages.success(self.request, _("Event saved."))
        return redirect("training:event_setup", pk=event.pk)


class EventEditView(FormPage):
    form_class = EventForm

    def get_object(self):
        return get_object_or_404(events_for(self.request.scope), pk=self.kwargs["pk"])

    def initial(self):
        return EventForm.initial_of(self.object)

    def heading_text(self):
        return _("Edit event")

    def cancel_url(self):
        return reverse("training:event_setup", args=[self.object.pk])

    def save(self, form):
        svc.event_update(
            actor=self.request.user,
            scope=self.request.scope,
            event=self.object,
            **form.cleaned_data,
        )
        messages.success(self.request, _("Event saved."))
        return redirect("training:event_setup", pk=self.object.pk)


def _changes_shown(changes):
    return [{**c, "label": change_label(c["kind"])} for c in changes]


class EventSetupView(OrganiserMixin, TemplateView):
    """The organiser's set-up page: details, quotas, sessions, speakers, the status and the
    publication with the pending difference."""

    template_name = "training/events/event_setup.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        event = get_object_or_404(events_for(scope), pk=self.kwargs["pk"])
        sessions = list(sessions_for(scope).filter(event=event).order_by("starts_at", "pk"))
        quotas = EventQuota.objects.filter(event=event).select_related("agency")
        pending = pending_changes(event)
        rank = EventStatus.rank(event.status)
        nxt = EventStatus.values[rank + 1] if rank + 1 < len(EventStatus.values) else None
        return super().get_context_data(
            **self.context(
                event=event,
                sessions=sessions,
                quotas=quotas,
                quota_text="\n".join(f"{q.agency.code}: {q.seats}" for q in quotas),
                pending=_changes_shown(pending),
                changed=event.timetable_version > 0 and bool(pending),
                warnings=session_warnings(event),
                next_status=nxt,
                next_label=EventStatus(nxt).label if nxt else "",
                closed=event.status in svc.CLOSED,
                versions=event.timetable_versions.order_by("-number"),
                **kwargs,
            )
        )


class _EventPost(OrganiserMixin, View):
    def event(self):
        return get_object_or_404(events_for(self.request.scope), pk=self.kwargs["pk"])

    def done(self, event):
        return redirect("training:event_setup", pk=event.pk)

    def refused(self, event, exc: ValidationError):
        for message in exc.messages:
            messages.error(self.request, message)
        return self.done(event)


class EventQuotaView(_EventPost):
    def post(self, request, pk):
        event = self.event()
        form = QuotaForm(request.POST, scope=request.scope)
        if not form.is_valid():
            return self.refused(event, ValidationError(form.errors["quotas"]))
        try:
            svc.event_set_quotas(
                actor=request.user,
                scope=request.scope,
                event=event,
                quotas=form.cleaned_data["quotas"],
            )
        except ValidationError as exc:
            return self.refused(event, exc)
        messages.success(request, _("Quotas saved."))
        return self.done(event)


class EventStatusView(_EventPost):
    def post(self, request, pk):
        event = self.event()
        form = StatusForm(request.POST)
        if not form.is_valid():
            return self.refused(event, ValidationError(_("Choose a status.")))
        try:
            svc.event_set_status(
                actor=request.user,
                scope=request.scope,
                event=event,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            return self.refused(event, exc)
        messages.success(request, _("Status changed."))
        return self.done(event)


class EventPublishView(_EventPost):
    def post(self, request, pk):
        event = self.event()
        form = PublishForm(request.POST)
        form.is_valid()
        try:
            version = svc.timetable_publish(
                actor=request.user,
                scope=request.scope,
                event=event,
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as exc:
            return self.refused(event, exc)
        messages.success(
            request, _("Timetable version %(number)d published.") % {"number": version.number}
        )
        return self.done(event)


class EventDetailView(PageMixin, TemplateView):
    """The event page for everyone of the instansi: details and the published timetable's
    days."""

    template_name = "training/events/event_detail.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        event = get_object_or_404(events_for(scope), pk=self.kwargs["pk"])
        rows = published_rows(latest_version(event), scope)
        days = [
            (day, len([r for r in rows if r["starts"].date() == day])) for day in event_days(event)
        ]
        return super().get_context_data(
            **self.context(event=event, days=days, organiser=organises(scope), **kwargs)
        )


class TimetableView(PageMixin, TemplateView):
    """One day of the published timetable (``?day=YYYY-MM-DD``; the first day by default)."""

    template_name = "training/events/timetable.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        event = get_object_or_404(events_for(scope), pk=self.kwargs["pk"])
        days = event_days(event)
        try:
            day = dt.date.fromisoformat(self.request.GET.get("day", ""))
        except ValueError:
            day = days[0]
        if day not in days:
            day = days[0]
        version = latest_version(event)
        rows = [r for r in published_rows(version, scope) if r["starts"].date() == day]
        return super().get_context_data(
            **self.context(event=event, days=days, day=day, rows=rows, version=version, **kwargs)
        )


class EventIcsView(PageMixin, View):
    def get(self, request, pk):
        event = get_object_or_404(events_for(request.scope).select_related("instansi"), pk=pk)
        response = HttpResponse(
            ics.event_calendar(event), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{ics.filename(f"event-{pk}")}"'
        return response


# Sessions ---------------------------------------------------------------------------------


class SessionCreateView(FormPage):
    form_class = SessionForm

    def get_object(self):
        return get_object_or_404(events_for(self.request.scope), pk=self.kwargs["pk"])

    def initial(self):
        return {"day": self.object.starts_on, "published": True}

    def heading_text(self):
        return _("New session")

    def cancel_url(self):
        return reverse("training:event_setup", args=[self.object.pk])

    def save(self, form):
        session = svc.session_create(
            actor=self.request.user,
            scope=self.request.scope,
            event=self.object,
            **form.service_data(),
        )
        for warning in session.warnings:
            messages.warning(self.request, warning)
        messages.success(self.request, _("Session saved."))
        return redirect("training:event_setup", pk=self.object.pk)


class SessionEditView(FormPage):
    form_class = SessionForm

    def get_object(self):
        return get_object_or_404(sessions_for(self.request.scope), pk=self.kwargs["pk"])

    def initial(self):
        return SessionForm.initial_of(self.object)

    def heading_text(self):
        return _("Edit session")

    def cancel_url(self):
        return reverse("training:event_setup", args=[self.object.event_id])

    def save(self, form):
        session = svc.session_update(
            actor=self.request.user,
            scope=self.request.scope,
            session=self.object,
            **form.service_data(),
        )
        for warning in session.warnings:
            messages.warning(self.request, warning)
        messages.success(self.request, _("Session saved."))
        return redirect("training:event_setup", pk=self.object.event_id)


class SessionDeleteView(OrganiserMixin, View):
    def post(self, request, pk):
        session = get_object_or_404(sessions_for(request.scope), pk=pk)
        try:
            svc.session_delete(actor=request.user, scope=request.scope, session=session)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Session deleted."))
        return redirect("training:event_setup", pk=session.event_id)


class SessionDetailView(PageMixin, TemplateView):
    """A session: objectives, speakers, competencies; its materials for the event's confirmed
    participants and the organiser. An unpublished subject shows its neutral title (the organiser
    sees it all)."""

    template_name = "training/events/session_detail.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        session = get_object_or_404(sessions_for(scope), pk=self.kwargs["pk"])
        hidden = not session.published and not organises(scope)
        materials = (
            list(session.materials.order_by("pk"))
            if reads_materials(scope, session.event)
            else None
        )
        return super().get_context_data(
            **self.context(
                session=session,
                event=session.event,
                title=shown_title(session, scope),
                hidden=hidden,
                materials=materials,
                organiser=organises(scope),
                material_form=MaterialForm(),
                **kwargs,
            )
        )


class MaterialUploadView(OrganiserMixin, View):
    def post(self, request, pk):
        session = get_object_or_404(sessions_for(request.scope), pk=pk)
        form = MaterialForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Choose a file."))
        else:
            try:
                svc.material_add(
                    actor=request.user,
                    scope=request.scope,
                    session=session,
                    upload=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Material uploaded."))
        return redirect("training:session_detail", pk=session.pk)


class MaterialRemoveView(OrganiserMixin, View):
    def post(self, request, pk):
        material = get_object_or_404(
            SessionMaterial.objects.filter(session__in=sessions_for(request.scope)), pk=pk
        )
        svc.material_remove(actor=request.user, scope=request.scope, material=material)
        messages.success(request, _("Material removed."))
        return redirect("training:session_detail", pk=material.session_id)


class MaterialDownloadView(PageMixin, View):
    """A material, for the event's confirmed participants and the organiser (404 for anyone
    else: the file is not theirs to know of)."""

    def get(self, request, pk):
        material = get_object_or_404(
            SessionMaterial.objects.filter(session__in=sessions_for(request.scope)).select_related(
                "session__event"
            ),
            pk=pk,
        )
        if not reads_materials(request.scope, material.session.event):
            raise Http404
        try:
            handle = material.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        return FileResponse(handle, as_attachment=True, filename=PurePath(material.file.name).name)


# Speakers ---------------------------------------------------------------------------------


class SpeakerListView(OrganiserMixin, TemplateView):
    template_name = "training/events/speaker_list.html"

    def get_context_data(self, **kwargs):
        speakers = speakers_for(self.request.scope).order_by("name", "pk")
        page = CappedPaginator(speakers, PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(**self.context(page=page, **kwargs))


class SpeakerCreateView(FormPage):
    form_class = SpeakerForm

    def form_kwargs(self):
        return {}

    def heading_text(self):
        return _("New speaker")

    def cancel_url(self):
        return reverse("training:speaker_list")

    def save(self, form):
        svc.speaker_create(actor=self.request.user, scope=self.request.scope, **form.cleaned_data)
        messages.success(self.request, _("Speaker saved."))
        return redirect("training:speaker_list")


class SpeakerEditView(SpeakerCreateView):
    def get_object(self):
        return get_object_or_404(speakers_for(self.request.scope), pk=self.kwargs["pk"])

    def initial(self):
        s = self.object
        return {
            "name": s.name,
            "position": s.position,
            "organisation": s.organisation,
            "bio": s.bio,
            "email": s.email,
        }

    def heading_text(self):
        return _("Edit speaker")

    def save(self, form):
        svc.speaker_update(
            actor=self.request.user,
            scope=self.request.scope,
            speaker=self.object,
            **form.cleaned_data,
        )
        messages.success(self.request, _("Speaker saved."))
        return redirect("training:speaker_list")


# A participant's own ------------------------------------------------------------------------


class MyEventsView(PageMixin, TemplateView):
    nav_active = "my_training"
    template_name = "training/events/my_events.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        return super().get_context_data(
            **self.context(
                enrolments=my_enrolments(scope),
                notices=my_notices(scope)[:20],
                has_record=bool(scope.employee_id),
                **kwargs,
            )
        )


class MyTimetableView(PageMixin, TemplateView):
    """The published sessions of the caller's events, day by day."""

    nav_active = "my_training"
    template_name = "training/events/my_timetable.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        blocks = []
        for enrolment in my_enrolments(scope):
            rows = published_rows(latest_version(enrolment.event), scope)
            blocks.append({"enrolment": enrolment, "event": enrolment.event, "rows": rows})
        return super().get_context_data(
            **self.context(blocks=blocks, has_record=bool(scope.employee_id), **kwargs)
        )


class MyIcsView(PageMixin, View):
    def get(self, request):
        enrolments = my_enrolments(request.scope).select_related("event__instansi")
        body = ics.participant_calendar(list(enrolments), _("My training"))
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{ics.filename("my-training")}"'
        return response


class NoticeReadView(PageMixin, View):
    def post(self, request, pk):
        notice = get_object_or_404(
            TrainingNotice.objects.filter(
                instansi_id=request.scope.instansi_id, employee_id=request.scope.employee_id or 0
            ),
            pk=pk,
        )
        svc.notice_mark_read(actor=request.user, scope=request.scope, notice=notice)
        return redirect("training:my_events")
