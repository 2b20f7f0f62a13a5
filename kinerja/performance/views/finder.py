"""Pages of the collaboration finder: the candidates (filtered, paged, best score first), a
candidate with the two manuals side by side and Bappeda's accept and dismiss forms, and the
run button."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.views.generic import TemplateView, View

from kinerja.core.pagination import CappedPaginator, cap_for
from kinerja.core.scope import Action
from kinerja.organisations.models import OrgUnit

from ..filters_finder import CandidateFilter
from ..finder import finder_policy
from ..forms.finder import AcceptForm, DismissForm, RunForm
from ..models import CandidateStatus, Collaboration, CollaborationCandidate
from ..selectors_finder import candidates_within, evidence
from ..services import finder as services
from . import PlanningPageMixin, _instansi

PER_PAGE = 50


def may_decide(scope) -> bool:
    """Bappeda's: manage_goals across the instansi (the services check it again)."""
    return scope.paths_for(Action.MANAGE_GOALS) is None and scope.can_anywhere(Action.MANAGE_GOALS)


def _candidate(request, pk) -> CollaborationCandidate:
    return get_object_or_404(candidates_within(request.scope), pk=pk)


class FinderListView(PlanningPageMixin, TemplateView):
    """The candidates within reach: by status (proposed by default), agency, minimum score and
    year, best score first, 50 a page; the run form for Bappeda."""

    nav_active = "finder"
    template_name = "performance/finder_list.html"

    def get_context_data(self, **kwargs):
        # Only the run form is rendered on every view: the rest of the page is kept
        # ({% kept %} in the template) and built only when it is not kept yet (the template
        # calls these when it reads them), so a kept view reads no candidate.
        scope = self.request.scope
        data = self.request.GET.copy()
        if "status" not in data:
            data["status"] = CandidateStatus.PROPOSED

        @functools.cache
        def filterset():
            return CandidateFilter(data, queryset=candidates_within(scope))

        @functools.cache
        def page():
            found = filterset()
            rows = found.qs if found.is_valid() else found.queryset.none()
            rows = rows.order_by("-score", "pk")
            return CappedPaginator(rows, PER_PAGE, cap=cap_for(self.request.GET)).get_page(
                self.request.GET.get("page")
            )

        def counts():
            counted = dict(
                CollaborationCandidate.objects.within(scope, Action.VIEW_PLANNING)
                .values_list("status")
                .annotate(n=Count("pk"))
                .order_by()
            )
            return [
                (value, label, counted.get(value, 0)) for value, label in CandidateStatus.choices
            ]

        def units():
            return (
                OrgUnit.objects.within(scope, Action.VIEW_PLANNING)
                .agencies()
                .order_by("sort_key", "name")
                .only("pk", "name")
            )

        query = data.copy()
        query.pop("page", None)
        decides = may_decide(scope)
        return super().get_context_data(
            filter=filterset,
            page_obj=page,
            query=query.urlencode(),
            status=data.get("status"),
            statuses=CandidateStatus.choices,
            counts=counts,
            units=units,
            may_run=decides,
            run_form=RunForm(initial={"year": _default_year()}) if decides else None,
            policy=finder_policy(),
            **kwargs,
        )


def _default_year() -> int:
    return timezone.localdate().year


class FinderRunView(PlanningPageMixin, View):
    """Run the finder over a year's agency indicators (POST; Bappeda). Synchronous: a
    province's few thousand indicators take a few seconds (docs/planning-finder.md)."""

    required_action = Action.MANAGE_GOALS

    def post(self, request, *args, **kwargs):
        if not may_decide(request.scope):
            raise PermissionDenied
        form = RunForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("performance:finder_list")
        try:
            summary = services.finder_run(
                actor=request.user,
                scope=request.scope,
                instansi=_instansi(request),
                year=form.cleaned_data["year"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                gettext(
                    "The finder compared %(indicators)d agency indicators of %(year)d: "
                    "%(proposed)d new candidates, %(updated)d found again, %(withdrawn)d "
                    "withdrawn, %(decided)d decided before (%(seconds)s s)."
                )
                % {
                    "indicators": summary.indicators,
                    "year": summary.year,
                    "proposed": summary.proposed,
                    "updated": summary.updated,
                    "withdrawn": summary.withdrawn,
                    "decided": summary.decided,
                    "seconds": summary.seconds,
                },
            )
        return redirect(f"{_list_url()}?year={form.cleaned_data['year']}")


def _list_url() -> str:
    return reverse("performance:finder_list")


def default_lead(candidate: CollaborationCandidate) -> int:
    """The agency proposed to lead: the one already leading an open collaboration on its
    target of the year, else the one whose indicator is a key indicator (IKU), else the
    first."""
    shared = set(
        Collaboration.objects.filter(
            target__year=candidate.year,
            target__indicator_id__in=[candidate.indicator_a_id, candidate.indicator_b_id],
        ).values_list("lead_unit_id", flat=True)
    )
    for unit_id in (candidate.unit_a_id, candidate.unit_b_id):
        if unit_id in shared:
            return unit_id
    if candidate.indicator_b.is_key and not candidate.indicator_a.is_key:
        return candidate.unit_b_id
    return candidate.unit_a_id


def decision_forms(candidate, accept_data=None, dismiss_data=None):
    """The accept form (with its defaults: the proposed lead, the policy's weight, the lead
    indicator's name as title) and the dismiss form."""
    lead = default_lead(candidate)
    indicator = candidate.indicator_a if lead == candidate.unit_a_id else candidate.indicator_b
    agencies = OrgUnit.objects.filter(pk__in=[candidate.unit_a_id, candidate.unit_b_id]).order_by(
        "sort_key", "name"
    )
    initial = {
        "lead_unit": lead,
        "weight": finder_policy().default_member_weight,
        "title": indicator.name[:300],
    }
    return (
        AcceptForm(accept_data, initial=initial, agencies=agencies, prefix="accept"),
        DismissForm(dismiss_data, prefix="dismiss"),
    )


class FinderDetailView(PlanningPageMixin, TemplateView):
    """A candidate: the two manuals side by side with the shared stems marked, the score, and
    for Bappeda the accept and dismiss forms. POST ``accept`` or ``dismiss`` decides; a refusal
    shows beside its field."""

    nav_active = "finder"
    template_name = "performance/finder_detail.html"

    def get_context_data(self, **kwargs):
        candidate = kwargs.pop("candidate", None) or _candidate(self.request, self.kwargs["pk"])
        forms = kwargs.pop("forms", None)
        decides = may_decide(self.request.scope) and candidate.is_proposed
        # The manuals side by side and the fields of the forms as first shown are kept
        # ({% kept %} in the template; each form's CSRF token stays outside): they are built
        # only when they are not kept yet. Forms sent back with their errors are rendered.
        bound = forms is not None

        @functools.cache
        def built():
            return forms if bound else decision_forms(candidate)

        return super().get_context_data(
            candidate=candidate,
            evidence=SimpleLazyObject(lambda: evidence(candidate, finder_policy())),
            decides=decides,
            bound_forms=bound,
            accept_form=(lambda: built()[0]) if decides else None,
            dismiss_form=(lambda: built()[1]) if decides else None,
            **kwargs,
        )

    def post(self, request, pk):
        candidate = _candidate(request, pk)
        answer = request.POST.get("decision")
        if answer not in ("accept", "dismiss"):
            raise Http404
        if not may_decide(request.scope):
            raise PermissionDenied
        accept, dismiss = decision_forms(
            candidate,
            accept_data=request.POST if answer == "accept" else None,
            dismiss_data=request.POST if answer == "dismiss" else None,
        )
        form = accept if answer == "accept" else dismiss
        if form.is_valid():
            call = {"actor": request.user, "scope": request.scope, "candidate": candidate}
            try:
                if answer == "accept":
                    done = services.candidate_accept(**call, **form.service_data())
                else:
                    services.candidate_dismiss(**call, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                if answer == "accept":
                    messages.success(
                        request,
                        gettext(
                            "The candidate has been accepted: the target is shared and the "
                            "other agency is invited."
                        ),
                    )
                    return redirect(done.collaboration)
                messages.success(request, gettext("The candidate has been dismissed."))
                return redirect(candidate)
        context = self.get_context_data(candidate=candidate, forms=(accept, dismiss))
        return self.render_to_response(context)
