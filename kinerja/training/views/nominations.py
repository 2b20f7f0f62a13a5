"""Pages of the nominations.

- The organiser (``manage_training``): an event's nominations (quotas by agency with seats
  used and left, the enrolments with a bulk confirmation, the suggested nominees with their
  reasons and an invitation, withdrawal and replacement).
- An agency (``nominate``): "our nominees" for each event open for nomination, with its
  quota; nominate from its own eligible staff (a searchable select that offers the agency's
  staff only), withdraw with a reason and a replacement.

Views are thin: reads through `selectors_nominations`, writes through
`services.nominations`; a refusal shows as a message on the page it came from.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from kinerja.core.scope import Action
from kinerja.organisations.models import OrgUnit

from ..filters_nominations import ParticipantFilter
from ..models import Event, Participant
from ..querysets import organises
from ..selectors_nominations import (
    nominates,
    nominating_agencies,
    open_events_for,
    participants_for,
    quota_rows,
    staff_within,
    suggested_nominees,
    verdicts,
)
from ..services import nominations as svc

LOOKUP_LIMIT = 30
SUGGESTIONS_SHOWN = 200


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _id(value) -> int | None:
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


def name_or_nip(query: str, prefix: str = "") -> Q:
    """A name holding ``query`` or a NIP starting with it (spaces ignored); ``prefix`` is the
    path to the employee (``"employee__"`` from a row about one)."""
    return Q(**{f"{prefix}name__icontains": query}) | Q(
        **{f"{prefix}nip__startswith": query.replace(" ", "")}
    )


def first_matches(staff, query: str, limit: int = LOOKUP_LIMIT):
    """The first ``limit`` of ``staff`` whose name holds ``query`` or whose NIP starts with it
    (spaces ignored), by name, with their post and unit; and whether more match."""
    query = query.strip()
    if query:
        staff = staff.filter(name_or_nip(query))
    rows = list(staff.select_related("position", "unit").order_by("name", "pk")[: limit + 1])
    return rows[:limit], len(rows) > limit


def staff_matches(scope, event: Event, query: str, limit: int = LOOKUP_LIMIT):
    """Up to ``limit`` active staff within the caller's reach matching a name or NIP, each
    with whether the event's rule admits them (and why not), and whether more match."""
    rows, more = first_matches(staff_within(scope).filter(is_active=True), query, limit)
    judged = verdicts(event, rows)
    return [(e, judged[e.pk]) for e in rows], more


class TrainingPage(LoginRequiredMixin):
    nav_active = "training_nominations"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_active", self.nav_active)
        return super().get_context_data(**kwargs)


def _organiser_event(request, pk) -> Event:
    event = get_object_or_404(Event.objects.within(request.scope), pk=pk)
    if not organises(request.scope):
        raise PermissionDenied
    return event


class EventNominationsView(TrainingPage, TemplateView):
    """The organiser's page of an event's nominations."""

    template_name = "training/nominations_event.html"

    def get_context_data(self, **kwargs):
        event = _organiser_event(self.request, self.kwargs["pk"])
        scope = self.request.scope
        filters = ParticipantFilter(
            self.request.GET,
            queryset=participants_for(scope)
            .filter(event=event)
            .select_related("employee")
            .order_by("agency_name", "employee__name", "pk"),
        )
        rows = quota_rows(event)
        matches, more = staff_matches(scope, event, self.request.GET.get("q", ""))
        agencies = OrgUnit.objects.filter(
            instansi_id=event.instansi_id, parent__isnull=True
        ).order_by("sort_key", "name")
        return super().get_context_data(
            event=event,
            quotas=rows,
            seats_total=sum(r.seats or 0 for r in rows),
            seats_used=sum(r.used for r in rows),
            filter=filters,
            participants=filters.qs if filters.is_valid() else Participant.objects.none(),
            suggestions=suggested_nominees(event, scope, limit=SUGGESTIONS_SHOWN),
            suggestions_limit=SUGGESTIONS_SHOWN,
            matches=matches,
            more=more,
            q=self.request.GET.get("q", ""),
            agencies=agencies,
            lookup_url=reverse("training:staff_lookup", args=[event.pk]),
            **kwargs,
        )


class QuotaSetView(LoginRequiredMixin, View):
    def post(self, request, pk):
        event = _organiser_event(request, pk)
        agency = OrgUnit.objects.filter(
            instansi_id=event.instansi_id, pk=_id(request.POST.get("agency"))
        ).first()
        seats = _id(request.POST.get("seats"))
        try:
            if agency is None:
                raise ValidationError(_("Choose an agency (a unit at the top of the tree)."))
            svc.quota_set(
                actor=request.user,
                scope=request.scope,
                event=event,
                agency=agency,
                seats=seats if seats is not None else -1,
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The quota has been set."))
        return redirect("training:event_nominations", event.pk)


class InviteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        event = _organiser_event(request, pk)
        employee = get_object_or_404(
            staff_within(request.scope), pk=_id(request.POST.get("employee"))
        )
        try:
            svc.participant_invite(
                actor=request.user,
                scope=request.scope,
                event=event,
                employee=employee,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(
                request, _("%(name)s has been invited.") % {"name": employee.display_name}
            )
        return redirect("training:event_nominations", event.pk)


class ConfirmView(LoginRequiredMixin, View):
    def post(self, request, pk):
        event = _organiser_event(request, pk)
        ids = [i for i in (_id(v) for v in request.POST.getlist("participant")) if i]
        chosen = list(
            participants_for(request.scope)
            .filter(event=event, pk__in=ids)
            .select_related("event", "employee", "unit")
        )
        try:
            done = svc.participants_confirm(
                actor=request.user, scope=request.scope, participants=chosen
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Confirmed: %(n)d.") % {"n": len(done)})
        return redirect("training:event_nominations", event.pk)


class AgencyNomineesView(TrainingPage, TemplateView):
    """An agency's nominees for each event open for nomination, with its quota."""

    template_name = "training/nominations_agency.html"
    nav_active = "training_our_nominees"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        if not nominates(scope):
            raise PermissionDenied
        agencies = list(nominating_agencies(scope).values_list("pk", flat=True))
        mine = participants_for(scope).filter(agency_id__in=agencies).select_related("employee")
        events = []
        chosen = _id(self.request.GET.get("event"))
        q = self.request.GET.get("q", "")
        for event in open_events_for(scope).order_by("starts_on", "pk"):
            item = {
                "event": event,
                "quotas": quota_rows(event, agencies),
                "nominees": [p for p in mine.filter(event=event).order_by("employee__name")],
                "lookup_url": reverse("training:staff_lookup", args=[event.pk]),
                "select_id": f"nominee-{event.pk}",
            }
            if chosen == event.pk:
                item["matches"], item["more"] = staff_matches(scope, event, q)
            events.append(item)
        return super().get_context_data(events=events, q=q, chosen=chosen, **kwargs)


class NominateView(LoginRequiredMixin, View):
    def post(self, request, pk):
        event = get_object_or_404(Event.objects.within(request.scope), pk=pk)
        if not nominates(request.scope):
            raise PermissionDenied
        employee = get_object_or_404(
            staff_within(request.scope), pk=_id(request.POST.get("employee"))
        )
        try:
            svc.participant_nominate(
                actor=request.user,
                scope=request.scope,
                event=event,
                employee=employee,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(
                request, _("%(name)s has been nominated.") % {"name": employee.display_name}
            )
        return redirect("training:our_nominees")


class StaffLookupView(LoginRequiredMixin, View):
    """JSON of the searchable select: the caller's own staff (the organiser: the instansi's),
    each marked with whether the event's rule admits them."""

    def get(self, request, pk):
        scope = request.scope
        if not (organises(scope) or nominates(scope)):
            raise PermissionDenied
        event = get_object_or_404(Event.objects.within(scope), pk=pk)
        found, more = staff_matches(scope, event, request.GET.get("q", ""))
        results = [
            {
                "value": e.pk,
                "text": e.display_name,
                "hint": (e.position.title if e.position_id else e.unit.name)
                + ("" if v.eligible else f" · {_('not eligible')}: {v.reason}"),
            }
            for e, v in found
        ]
        response = JsonResponse({"results": results, "more": more})
        response["Cache-Control"] = "private, no-store"
        return response


class WithdrawView(TrainingPage, TemplateView):
    """Withdraw an enrolment with a reason, and name a replacement (the organiser, or the
    agency for its own nominee)."""

    template_name = "training/nominations_withdraw.html"

    def participant(self) -> Participant:
        participant = get_object_or_404(
            participants_for(self.request.scope).select_related("event", "employee", "unit"),
            pk=self.kwargs["pk"],
        )
        scope = self.request.scope
        if not (
            svc.is_organiser(scope, participant.event)
            or scope.can(Action.NOMINATE, participant.unit.path)
        ):
            raise PermissionDenied
        return participant

    def get_context_data(self, **kwargs):
        participant = self.participant()
        q = self.request.GET.get("q", "")
        matches, more = staff_matches(self.request.scope, participant.event, q)
        return super().get_context_data(
            participant=participant,
            matches=matches,
            more=more,
            q=q,
            lookup_url=reverse("training:staff_lookup", args=[participant.event_id]),
            **kwargs,
        )

    def post(self, request, pk):
        participant = self.participant()
        replacement = None
        if request.POST.get("replacement"):
            replacement = get_object_or_404(
                staff_within(request.scope), pk=_id(request.POST.get("replacement"))
            )
        try:
            svc.participant_withdraw(
                actor=request.user,
                scope=request.scope,
                participant=participant,
                reason=request.POST.get("reason", ""),
                replacement=replacement,
            )
        except ValidationError as exc:
            _errors(request, exc)
            url = reverse("training:participant_withdraw", args=[participant.pk])
            return redirect(f"{url}?{urlencode({'q': request.POST.get('q', '')})}")
        messages.success(request, _("The enrolment has been withdrawn."))
        if svc.is_organiser(request.scope, participant.event):
            return redirect("training:event_nominations", participant.event_id)
        return redirect("training:our_nominees")


class AgencyProgressView(TrainingPage, TemplateView):
    """Their progress: the agency's confirmed participants of events that run or ran, with the
    event's status. The capabilities that follow the participants (attendance, action plans,
    certificates) add their columns to this list."""

    template_name = "training/nominations_progress.html"
    nav_active = "training_our_nominees"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        if not nominates(scope):
            raise PermissionDenied
        agencies = list(nominating_agencies(scope).values_list("pk", flat=True))
        rows = (
            participants_for(scope)
            .filter(agency_id__in=agencies, status="confirmed")
            .exclude(event__status__in=["planned", "nomination"])
            .select_related("employee", "event")
            .order_by("-event__starts_on", "event_id", "employee__name", "pk")
        )
        return super().get_context_data(rows=rows[:500], **kwargs)
