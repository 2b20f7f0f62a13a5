"""Attendance pages: the organiser's scanning page (camera or typed code, queued offline), the
room's rotating code, a participant's self check-in and badge, the session's attendance with
corrections, the totals in JP (page and Excel) and the documents (badges, the signed attendance
sheet). Every read starts from ``.within(request.scope)``; every write goes through
``services.attendance``."""

from __future__ import annotations

import datetime as dt

import segno
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView, View

from kinerja.core.excel import Report, export_response
from kinerja.core.pdf import pdf_filename, render_pdf_response
from kinerja.core.views import PartialTemplateMixin

from ..choices import AttendanceStatus
from ..models import Event, Participant, ScanDirection, Session
from ..querysets import organises
from ..services import attendance as svc

__all__ = [
    "AttendanceCorrectView",
    "BadgePdfView",
    "BadgesPdfView",
    "CheckInView",
    "JpTotalsExportView",
    "JpTotalsView",
    "MyBadgeView",
    "RoomCodeView",
    "ScanPageView",
    "SessionAttendanceView",
    "SignatureSheetPdfView",
]


def masked_nip(nip: str) -> str:
    """A NIP on a badge: the birth year and the sequence, the rest hidden."""
    nip = (nip or "").strip()
    if len(nip) != 18:
        return ""
    return f"{nip[:4]}**** ****** * {nip[-3:]}"


def qr_data_uri(text: str, scale: int = 4) -> str:
    return segno.make(text, error="m").svg_data_uri(scale=scale, border=2)


class _Scoped(LoginRequiredMixin):
    def event(self, pk) -> Event:
        return get_object_or_404(Event.objects.within(self.request.scope), pk=pk)

    def session(self, pk) -> Session:
        return get_object_or_404(
            Session.objects.within(self.request.scope).select_related("event"), pk=pk
        )

    def participants(self, event: Event):
        return (
            Participant.objects.within(self.request.scope)
            .filter(event=event)
            .confirmed()
            .order_by("agency_name", "employee__name", "pk")
        )


class _Organiser(_Scoped):
    """Pages for the organiser only (``manage_training``); others get 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not organises(request.scope):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _badge(participant: Participant, event: Event) -> dict:
    code = svc.badge_code(participant)
    return {
        "participant": participant,
        "name": participant.employee.display_name,
        "nip": masked_nip(participant.employee.nip),
        "agency": participant.agency_name,
        "position": participant.position_title,
        "event": event,
        "code": code,
        "qr": qr_data_uri(code),
    }


class ScanPageView(_Organiser, TemplateView):
    template_name = "training/attendance_scan.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        event = self.event(kwargs["pk"])
        sessions = list(Session.objects.within(self.request.scope).filter(event=event))
        now = timezone.now()
        policy = svc.policy_for(sessions[0]) if sessions else None
        current = None
        for s in sessions:
            if policy and svc.rules.in_window(now, s.starts_at, s.ends_at, policy):
                current = s
                break
        ctx.update(
            event=event,
            sessions=sessions,
            current=current or (sessions[0] if sessions else None),
            directions=ScanDirection.choices,
            api_url=reverse("api:training-scans-list"),
        )
        return ctx


class RoomCodeView(_Organiser, PartialTemplateMixin, TemplateView):
    """The room's screen: the rotating code and its QR (a link to the check-in page with the
    code filled in); the page reloads the code every few seconds."""

    template_name = "training/attendance_room_code.html"
    partial_template_name = "training/partials/room_code.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        session = self.session(kwargs["pk"])
        code = svc.room_code_now(session)
        link = self.request.build_absolute_uri(
            reverse("training:attendance_check_in", args=[session.pk]) + f"?code={code['code']}"
        )
        ctx.update(session=session, event=session.event, room=code, qr=qr_data_uri(link, 8))
        return ctx


class CheckInView(_Scoped, TemplateView):
    """A participant's own check-in or check-out with the code on the room's screen."""

    template_name = "training/attendance_check_in.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.object = self.session(kwargs["pk"])
        self.participant = svc.participant_in(request.scope, self.object.event)
        if self.participant is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        session = self.object
        ctx.update(
            session=session,
            event=session.event,
            code=self.request.GET.get("code", "")[:12],
            directions=ScanDirection.choices,
            attendance=session.attendances.filter(participant=self.participant).first(),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        try:
            svc.room_check_in(
                actor=request.user,
                scope=request.scope,
                session=self.object,
                code=request.POST.get("code", ""),
                direction=request.POST.get("direction", ""),
            )
        except ValidationError as error:
            ctx = self.get_context_data(**kwargs)
            ctx["errors"] = error.messages
            return self.render_to_response(ctx, status=400)
        messages.success(request, gettext("Your attendance is recorded."))
        return redirect("training:attendance_check_in", pk=self.object.pk)


class MyBadgeView(_Scoped, TemplateView):
    template_name = "training/attendance_badge.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        event = self.event(kwargs["pk"])
        participant = svc.participant_in(self.request.scope, event)
        if participant is None:
            raise Http404
        ctx.update(_badge(participant, event))
        ctx["attendances"] = participant.attendances.select_related("session")
        now = timezone.now()
        ctx["open_sessions"] = [
            s
            for s in Session.objects.within(self.request.scope).filter(event=event)
            if svc.rules.in_window(now, s.starts_at, s.ends_at, svc.policy_for(s))
        ]
        return ctx


class BadgePdfView(_Scoped, View):
    """One participant's badge: the organiser's, or the participant's own."""

    def get(self, request, pk):
        participant = get_object_or_404(
            Participant.objects.within(request.scope)
            .confirmed()
            .select_related("employee", "event"),
            pk=pk,
        )
        if not organises(request.scope) and participant.employee_id != request.scope.employee_id:
            raise PermissionDenied
        badge = _badge(participant, participant.event)
        return render_pdf_response(
            "training/attendance_badges_pdf.html",
            {"badges": [badge], "event": participant.event},
            pdf_filename("Badge", participant.event.title, participant.employee.name),
        )


class BadgesPdfView(_Organiser, View):
    def get(self, request, pk):
        event = self.event(pk)
        badges = [_badge(p, event) for p in self.participants(event).select_related("employee")]
        return render_pdf_response(
            "training/attendance_badges_pdf.html",
            {"badges": badges, "event": event},
            pdf_filename("Badges", event.title),
        )


class SessionAttendanceView(_Organiser, TemplateView):
    template_name = "training/attendance_session.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        session = self.session(kwargs["pk"])
        ctx.update(
            session=session,
            event=session.event,
            rows=svc.attendance_grid(session, self.participants(session.event)),
            statuses=AttendanceStatus.choices,
        )
        return ctx


def _moment(session: Session, value: str) -> dt.datetime | None:
    """A time typed as HH:MM on the session's day, or an ISO date-time."""
    value = (value or "").strip()
    if not value:
        return None
    found = parse_datetime(value)
    if found is None:
        try:
            clock = dt.time.fromisoformat(value)
        except ValueError:
            raise ValidationError(gettext("Enter a time as HH:MM.")) from None
        day = timezone.localtime(session.starts_at).date()
        found = dt.datetime.combine(day, clock)
    if timezone.is_naive(found):
        found = timezone.make_aware(found)
    return found


class AttendanceCorrectView(_Organiser, View):
    def post(self, request, pk, participant):
        session = self.session(pk)
        part = get_object_or_404(self.participants(session.event), pk=participant)
        try:
            svc.attendance_correct(
                actor=request.user,
                scope=request.scope,
                participant=part,
                session=session,
                status=request.POST.get("status", ""),
                checked_in_at=_moment(session, request.POST.get("checked_in_at", "")),
                checked_out_at=_moment(session, request.POST.get("checked_out_at", "")),
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, gettext("The attendance is corrected."))
        return redirect("training:attendance_session", pk=session.pk)


class JpTotalsView(_Scoped, TemplateView):
    """JP attended per participant the caller may read (the organiser: all)."""

    template_name = "training/attendance_jp_totals.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        event = self.event(kwargs["pk"])
        ctx.update(
            event=event,
            rows=svc.totals_for(event, self.participants(event)),
            organiser=organises(self.request.scope),
            sessions=Session.objects.within(self.request.scope).filter(event=event),
        )
        return ctx


class JpTotalsReport(Report):
    title = gettext_lazy("JP totals")
    columns = (
        gettext_lazy("NIP"),
        gettext_lazy("Name"),
        gettext_lazy("Agency"),
        gettext_lazy("Post"),
        gettext_lazy("JP attended"),
        gettext_lazy("JP planned"),
        gettext_lazy("Percent"),
    )
    widths = (22, 36, 40, 40, 12, 12, 10)

    def __init__(self, rows):
        self._rows = rows

    def rows(self):
        for row in self._rows:
            p = row["participant"]
            yield (
                p.employee.nip,
                p.employee.display_name,
                p.agency_name,
                p.position_title,
                float(row["attended"]),  # a number cell (the core writer keeps Decimals as text)
                float(row["planned"]),
                float(row["percent"]),
            )


class JpTotalsExportView(_Scoped, View):
    def get(self, request, pk):
        event = Event.objects.within(request.scope).filter(pk=pk).first()
        if event is None:
            raise Http404
        rows = svc.totals_for(event, self.participants(event))
        return export_response(JpTotalsReport(rows), filename=f"jp-{event.pk}")


class SignatureSheetPdfView(_Organiser, View):
    """The attendance sheet (daftar hadir) of a session, for the spending report: every
    confirmed participant with agency and an empty signature column, and the organiser's
    signature block."""

    def get(self, request, pk):
        session = self.session(pk)
        participants = list(self.participants(session.event).select_related("employee"))
        return render_pdf_response(
            "training/attendance_sheet_pdf.html",
            {
                "session": session,
                "event": session.event,
                "participants": participants,
                "speakers": list(session.speakers.all()),
                "organiser_unit": session.event.organiser_unit,
            },
            pdf_filename("Daftar hadir", session.event.title, session.title),
        )
