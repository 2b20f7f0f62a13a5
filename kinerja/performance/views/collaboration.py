"""Pages of collaborations: the list, a collaboration with its members and the consent
buttons, sharing a target, inviting, the weights, and the role-result matrix (Matriks Peran
Hasil) with its Excel export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView, View

from kinerja.core.excel import Report, export_response
from kinerja.core.pagination import CappedPaginator, cap_for
from kinerja.core.scope import Action
from kinerja.organisations.models import OrgUnit

from ..filters_collaboration import CollaborationFilter
from ..forms.collaboration import (
    AcceptForm,
    CollaborationForm,
    DeclineForm,
    InviteForm,
    WeightsForm,
)
from ..models import (
    Collaboration,
    CollaborationMember,
    CollaborationStatus,
    Goal,
    MemberStatus,
    Target,
)
from ..selectors_collaboration import LEAD, role_result_matrix
from ..services import collaboration as services
from . import PlanningFormView, PlanningPageMixin, _instansi, may_change

PER_PAGE = 50
ROLE_LABELS = {LEAD: gettext_lazy("Lead"), "member": gettext_lazy("Member")}


def _collaboration(request, pk) -> Collaboration:
    return get_object_or_404(
        Collaboration.objects.within(request.scope).select_related(
            "lead_unit", "target__indicator__unit"
        ),
        pk=pk,
    )


def _agencies(collaboration_or_instansi_id):
    instansi_id = getattr(collaboration_or_instansi_id, "instansi_id", collaboration_or_instansi_id)
    return OrgUnit.objects.filter(instansi_id=instansi_id, parent__isnull=True).order_by(
        "sort_key", "name"
    )


def may_lead(scope, collaboration: Collaboration) -> bool:
    return may_change(scope, Action.MANAGE_PLANS, collaboration.lead_unit)


class CollaborationListView(PlanningPageMixin, TemplateView):
    """The collaborations whose lead or invited unit is within reach, by year, unit (lead or
    invited) and status."""

    nav_active = "collaborations"
    template_name = "performance/collaboration_list.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        qs = Collaboration.objects.within(scope).select_related("lead_unit", "target__indicator")
        filterset = CollaborationFilter(self.request.GET, queryset=qs)
        rows = filterset.qs if filterset.is_valid() else qs.none()
        rows = rows.order_by("-target__year", "title", "pk")
        page = CappedPaginator(rows, PER_PAGE, cap=cap_for(self.request.GET)).get_page(
            self.request.GET.get("page")
        )
        members = {}
        for m in CollaborationMember.objects.filter(
            collaboration__in=[c.pk for c in page]
        ).select_related("unit"):
            members.setdefault(m.collaboration_id, []).append(m)
        for c in page:
            c.member_list = members.get(c.pk, [])
        query = self.request.GET.copy()
        query.pop("page", None)
        units = OrgUnit.objects.within(scope, Action.VIEW_PLANNING).agencies()
        return super().get_context_data(
            filter=filterset,
            page_obj=page,
            query=query.urlencode(),
            statuses=CollaborationStatus.choices,
            units=units.order_by("sort_key", "name").only("pk", "name"),
            may_add=scope.can_anywhere(Action.MANAGE_PLANS),
            **kwargs,
        )


def _answer_forms(request, collaboration, members):
    """Per invitation the caller may answer: its accept and decline forms."""
    out = {}
    if not collaboration.is_open:
        return out
    for member in members:
        if member.is_invited and may_change(request.scope, Action.MANAGE_PLANS, member.unit):
            out[member.pk] = _forms_for(collaboration, member)
    return out


def _forms_for(collaboration, member, accept_data=None, decline_data=None):
    initial = {"version": collaboration.version}
    goals = Goal.objects.filter(unit=member.unit).order_by("code")
    return (
        AcceptForm(accept_data, initial=initial, goals=goals, prefix=f"accept-{member.pk}"),
        DeclineForm(decline_data, initial=initial, prefix=f"decline-{member.pk}"),
    )


class CollaborationDetailView(PlanningPageMixin, TemplateView):
    """A collaboration: its shared target, the lead's share, the members with their answers,
    and the consent buttons for the invitations the caller may answer."""

    nav_active = "collaborations"
    template_name = "performance/collaboration_detail.html"

    def get_context_data(self, **kwargs):
        collaboration = _collaboration(self.request, self.kwargs["pk"])
        members = list(
            collaboration.members.select_related("unit", "supporting_target__indicator").order_by(
                "unit__sort_key", "unit__name", "pk"
            )
        )
        forms = _answer_forms(self.request, collaboration, members)
        for member in members:
            member.forms = forms.get(member.pk)
        leads = may_lead(self.request.scope, collaboration)
        return super().get_context_data(
            collaboration=collaboration,
            members=members,
            may_lead=leads and collaboration.is_open,
            **kwargs,
        )


class CollaborationAnswerView(PlanningPageMixin, View):
    """Accept or decline an invitation (POST, the invited unit's planners). With HTMX a
    refusal comes back as the member's card with its errors; a success reloads the page."""

    def post(self, request, pk, member, answer):
        if answer not in ("accept", "decline"):
            raise Http404
        collaboration = _collaboration(request, pk)
        member = get_object_or_404(
            CollaborationMember.objects.select_related("unit"),
            collaboration=collaboration,
            pk=member,
        )
        if not may_change(request.scope, Action.MANAGE_PLANS, member.unit):
            raise PermissionDenied
        data = request.POST
        accept_form, decline_form = _forms_for(
            collaboration,
            member,
            accept_data=data if answer == "accept" else None,
            decline_data=data if answer == "decline" else None,
        )
        form = accept_form if answer == "accept" else decline_form
        htmx = request.headers.get("HX-Request") == "true"
        if form.is_valid():
            call = {"actor": request.user, "scope": request.scope, "member": member}
            version = form.cleaned_data["version"]
            try:
                if answer == "accept":
                    services.collaboration_accept(**call, version=version, data=form.service_data())
                else:
                    services.collaboration_decline(
                        **call, version=version, reason=form.cleaned_data["reason"]
                    )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    gettext("The invitation has been accepted.")
                    if answer == "accept"
                    else gettext("The invitation has been declined."),
                )
                if htmx:
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = collaboration.get_absolute_url()
                    return response
                return redirect(collaboration)
        if not htmx:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(collaboration)
        member.forms = (accept_form, decline_form)
        return render(
            request,
            "performance/partials/_collaboration_member.html",
            {"member": member, "collaboration": collaboration},
        )


def _shareable_targets(scope, instansi_id):
    """The targets the caller may share: of the agencies within its manage_plans reach, and
    the province's own when it keeps the regional plan; not shared yet."""
    targets = Target.objects.filter(instansi_id=instansi_id, collaboration__isnull=True)
    paths = scope.paths_for(Action.MANAGE_PLANS)
    if paths is not None:
        q = Q(pk__in=[])
        for path in paths:
            q |= Q(indicator__unit__path__startswith=path)
        targets = targets.filter(q)
    elif not may_change(scope, Action.MANAGE_GOALS, None):
        targets = targets.filter(indicator__unit__isnull=False)
    return targets.select_related("indicator__unit").order_by("-year", "indicator__code", "pk")


class CollaborationCreateView(PlanningFormView):
    """Share a target: the caller's manage_plans reach leads it."""

    success_message = gettext_lazy("The collaboration has been started.")

    def get_object(self):
        if not self.request.scope.can_anywhere(Action.MANAGE_PLANS):
            raise PermissionDenied

    def get_form(self, obj, data=None):
        instansi = _instansi(self.request)
        return CollaborationForm(
            data,
            targets=_shareable_targets(self.request.scope, instansi.pk),
            agencies=_agencies(instansi.pk),
        )

    def save(self, form, obj):
        return services.collaboration_create(
            actor=self.request.user,
            scope=self.request.scope,
            instansi=_instansi(self.request),
            data=form.service_data(),
        )

    def page_context(self, obj):
        return {
            "pretitle": gettext("Collaborations"),
            "heading": gettext("Share a target"),
            "cancel_url": reverse("performance:collaboration_list"),
            "submit_label": gettext("Start the collaboration"),
        }


class LeadFormView(PlanningFormView):
    """A form of the lead unit's planners on one collaboration."""

    def get_object(self):
        collaboration = _collaboration(self.request, self.kwargs["pk"])
        if not may_lead(self.request.scope, collaboration):
            raise PermissionDenied
        return collaboration


class CollaborationInviteView(LeadFormView):
    success_message = gettext_lazy("The agency has been invited.")

    def get_form(self, obj, data=None):
        taken = obj.members.exclude(status=MemberStatus.DECLINED).values("unit_id")
        agencies = _agencies(obj).exclude(pk=obj.lead_unit_id).exclude(pk__in=taken)
        return InviteForm(data, initial={"version": obj.version}, agencies=agencies)

    def save(self, form, obj):
        services.collaboration_invite(
            actor=self.request.user,
            scope=self.request.scope,
            collaboration=obj,
            **form.cleaned_data,
        )
        return obj

    def page_context(self, obj):
        return {
            "pretitle": str(obj),
            "heading": gettext("Invite an agency"),
            "cancel_url": obj.get_absolute_url(),
            "submit_label": gettext("Invite"),
        }


class CollaborationWeightsView(LeadFormView):
    success_message = gettext_lazy("The weights have been saved.")

    def get_form(self, obj, data=None):
        members = (
            obj.members.exclude(status=MemberStatus.DECLINED)
            .select_related("unit")
            .order_by("unit__sort_key", "unit__name", "pk")
        )
        initial = {"version": obj.version, "lead_weight": obj.lead_weight}
        return WeightsForm(data, initial=initial, members=members)

    def save(self, form, obj):
        services.collaboration_set_weights(
            actor=self.request.user,
            scope=self.request.scope,
            collaboration=obj,
            version=form.cleaned_data["version"],
            lead_weight=form.cleaned_data["lead_weight"],
            weights=form.weights(),
        )
        return obj

    def page_context(self, obj):
        return {
            "pretitle": str(obj),
            "heading": gettext("Weights"),
            "cancel_url": obj.get_absolute_url(),
            "submit_label": gettext("Save"),
        }


class RoleResultReport(Report):
    """The role-result matrix as a workbook: a row per unit."""

    widths = (40, 12, 14, 14, 16, 50, 20)

    def __init__(self, collaboration: Collaboration):
        self.collaboration = collaboration
        self.title = gettext("Role-result matrix")
        self.columns = (
            gettext("Unit"),
            gettext("Role"),
            gettext("Weight (%)"),
            gettext("Status"),
            gettext("Indicator code"),
            gettext("Result"),
            gettext("Target"),
        )

    def rows(self):
        for row in role_result_matrix(self.collaboration):
            result = row.result
            yield (
                row.unit.name,
                str(ROLE_LABELS[row.role]),
                float(row.weight),
                str(MemberStatus(row.status).label),
                result.indicator.code if result else "",
                result.indicator.name if result else "",
                result.display if result else "",
            )


class CollaborationMatrixView(PlanningPageMixin, TemplateView):
    """The role-result matrix (Matriks Peran Hasil): a row per unit with its role, weight and
    result; ``?format=xlsx`` downloads it."""

    nav_active = "collaborations"
    template_name = "performance/collaboration_matrix.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            collaboration = _collaboration(request, kwargs["pk"])
            name = f"matriks-peran-hasil-{collaboration.pk}-{timezone.localdate():%Y%m%d}"
            return export_response(RoleResultReport(collaboration), filename=name)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        collaboration = _collaboration(self.request, self.kwargs["pk"])
        rows = role_result_matrix(collaboration)
        return super().get_context_data(
            collaboration=collaboration,
            rows=[(row, ROLE_LABELS[row.role], MemberStatus(row.status).label) for row in rows],
            total=sum((row.weight for row in rows if row.status == MemberStatus.ACCEPTED), 0),
            **kwargs,
        )
