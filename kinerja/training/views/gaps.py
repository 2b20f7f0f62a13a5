"""Development needs (competency gaps): the page that lists the gaps the caller may read and
records one. A gap is read like the person (``view_people`` on their unit, an evaluator's
reports, the employee); BKD, the employee's agency administrator (``change_people``) or their
superior on the day records one, as the service decides. The suggested nominees of an event
read these gaps (`selectors_nominations`)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from kinerja.core.scope import Action
from kinerja.organisations.forms import TablerFormMixin
from kinerja.organisations.models import Employee

from ..eligibility import nomination_policy
from ..models import Competency, CompetencyGap, GapSource
from ..services import nominations as svc
from .nominations import LOOKUP_LIMIT, TrainingPage, first_matches, name_or_nip

PAGE_SIZE = 50


def reads_gaps(scope) -> bool:
    """The page is for whoever reads people (a unit's staff) or rates someone."""
    return scope.can_anywhere(Action.VIEW_PEOPLE) or scope.employee_id is not None


def _year(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None


def _candidates(scope):
    return Employee.objects.within(scope, Action.VIEW_PEOPLE).filter(is_active=True)


def gap_staff_matches(scope, query: str, limit: int = LOOKUP_LIMIT):
    """Up to ``limit`` active staff within the caller's reach by name or NIP, and whether more
    match."""
    return first_matches(_candidates(scope), query, limit)


class GapForm(TablerFormMixin, forms.Form):
    employee = forms.IntegerField(label=gettext_lazy("Employee"))
    competency = forms.ModelChoiceField(
        queryset=Competency.objects.all(), label=gettext_lazy("Competency")
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    level = forms.TypedChoiceField(
        label=gettext_lazy("Gap level"), required=False, coerce=int, empty_value=None
    )
    description = forms.CharField(
        label=gettext_lazy("Gap"), required=False, max_length=500, widget=forms.TextInput
    )
    source = forms.ChoiceField(label=gettext_lazy("Source"), choices=GapSource.choices)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea)

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        scale = nomination_policy(dt.date(year, 1, 1))["gap_levels"]
        self.fields["level"].choices = [("", "---------")] + [
            (n, str(n)) for n in range(scale["min"], scale["max"] + 1)
        ]
        self.fields["note"].widget.attrs["rows"] = 2
        self.scale = scale


class GapListView(TrainingPage, TemplateView):
    template_name = "training/gaps.html"
    nav_active = "training_gaps"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not reads_gaps(request.scope):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        scope = self.request.scope
        year = _year(self.request.GET.get("year", ""))
        q = self.request.GET.get("q", "").strip()
        gaps = (
            CompetencyGap.objects.within(scope)
            .select_related("employee__unit", "competency")
            .order_by("-year", "employee__name", "pk")
        )
        if year:
            gaps = gaps.filter(year=year)
        if q:
            gaps = gaps.filter(name_or_nip(q, "employee__"))
        page = Paginator(gaps, PAGE_SIZE).get_page(self.request.GET.get("page"))
        this_year = timezone.localdate().year
        form = form or GapForm(initial={"year": this_year}, year=this_year)
        found = self.request.GET.get("staff", "")
        matches, more = gap_staff_matches(scope, found) if found else ([], False)
        query = urlencode({k: v for k, v in (("year", year or ""), ("q", q)) if v})
        return super().get_context_data(
            page_obj=page,
            query=query,
            year=year,
            q=q,
            form=form,
            staff=found,
            matches=matches,
            more=more,
            lookup_url=reverse("training:gap_staff_lookup"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        scope = request.scope
        year = _year(request.POST.get("year", ""))
        form = GapForm(request.POST, year=year or timezone.localdate().year)
        if form.is_valid():
            data = form.cleaned_data
            employee = _candidates(scope).filter(pk=data["employee"]).first()
            if employee is None:
                form.add_error("employee", _("Choose an employee within your reach."))
            else:
                try:
                    svc.competency_gap_record(
                        actor=request.user,
                        scope=scope,
                        employee=employee,
                        competency=data["competency"],
                        year=data["year"],
                        source=data["source"],
                        level=data["level"],
                        description=data["description"],
                        note=data["note"],
                    )
                except PermissionDenied as exc:
                    form.add_error("employee", str(exc))
                except ValidationError as exc:
                    for field, messages in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, messages)
                else:
                    return redirect(f"{reverse('training:gaps')}?year={data['year']}")
        context = self.get_context_data(form=form)
        return self.render_to_response(context, status=400)


class GapStaffLookupView(LoginRequiredMixin, View):
    """JSON of the employee select: active staff within the caller's reach."""

    def get(self, request):
        if not reads_gaps(request.scope):
            raise PermissionDenied
        found, more = gap_staff_matches(request.scope, request.GET.get("q", ""))
        results = [
            {
                "value": e.pk,
                "text": e.display_name,
                "hint": e.position.title if e.position_id else e.unit.name,
            }
            for e in found
        ]
        response = JsonResponse({"results": results, "more": more})
        response["Cache-Control"] = "private, no-store"
        return response
