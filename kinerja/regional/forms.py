"""Forms of the regional pages. They only carry the values: the rules are the model's and the
services' (each refusal is shown beside its field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.core.scope import Action
from kinerja.organisations.models import OrgUnit
from kinerja.performance.choices import TagKind
from kinerja.performance.models import Goal, Indicator

from .choices import Funding, LandStatus, Phase, ProjectStatus
from .models import DevelopmentArea
from .policy import category_choices, prioritisation_choices, readiness_choices

DATE = {"type": "date"}


def _codes(value: str) -> list[str]:
    return [p.strip() for p in value.replace(",", ";").split(";") if p.strip()]


class ProjectForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30)
    name = forms.CharField(label=_("Name"), max_length=300)
    area = forms.ModelChoiceField(label=_("Area"), queryset=DevelopmentArea.objects.none())
    category = forms.ChoiceField(label=_("Category"), choices=())
    funding = forms.ChoiceField(label=_("Funding scheme"), choices=Funding.choices)
    investment_rp = forms.IntegerField(
        label=_("Investment (Rp)"),
        required=False,
        help_text=_("In rupiah; empty when not published."),
    )
    lead_agency = forms.ModelChoiceField(label=_("Lead agency"), queryset=OrgUnit.objects.none())
    collaborators = forms.ModelMultipleChoiceField(
        label=_("Collaborating agencies"), queryset=OrgUnit.objects.none(), required=False
    )
    location_regions = forms.CharField(
        label=_("Location regions"),
        required=False,
        help_text=_("Kemendagri codes separated by semicolons, e.g. 35.78; 35.15"),
    )
    supporting_regions = forms.CharField(
        label=_("Supporting regions"),
        required=False,
        help_text=_("Kemendagri codes separated by semicolons"),
    )
    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices)
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices)
    start_date = forms.DateField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    land_status = forms.ChoiceField(label=_("Land status"), choices=LandStatus.choices)
    readiness_met = forms.MultipleChoiceField(
        label=_("Readiness criteria met"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    priority_criteria = forms.MultipleChoiceField(
        label=_("Prioritisation criteria"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Goals it serves"), queryset=Goal.objects.none(), required=False
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators it serves"), queryset=Indicator.objects.none(), required=False
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    synthetic = forms.BooleanField(label=_("Synthetic (demo)"), required=False)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = DevelopmentArea.objects.within(scope).ordered()
        agencies = (
            OrgUnit.objects.within(scope, Action.VIEW_ORG)
            .filter(parent__isnull=True)
            .order_by("sort_key")
        )
        self.fields["lead_agency"].queryset = agencies
        self.fields["collaborators"].queryset = agencies
        self.fields["category"].choices = category_choices()
        self.fields["readiness_met"].choices = readiness_choices()
        self.fields["priority_criteria"].choices = prioritisation_choices()
        tagged = Goal.objects.within(scope).filter(tags__kind=TagKind.DEVELOPMENT_AREA).distinct()
        self.fields["goals"].queryset = tagged.order_by("code")
        self.fields["indicators"].queryset = (
            Indicator.objects.within(scope).filter(goal__in=tagged.values("pk")).order_by("code")
        )

    def regions(self) -> dict[str, str]:
        out = {c: "supporting" for c in _codes(self.cleaned_data.get("supporting_regions") or "")}
        out.update({c: "location" for c in _codes(self.cleaned_data.get("location_regions") or "")})
        return out


class MilestoneForm(forms.Form):
    name = forms.CharField(label=_("Milestone"), max_length=200)
    planned_date = forms.DateField(label=_("Planned date"), widget=forms.DateInput(attrs=DATE))
    actual_date = forms.DateField(
        label=_("Actual date"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    order = forms.IntegerField(label=_("Order"), required=False, min_value=0, max_value=32767)


class MilestoneActualForm(forms.Form):
    actual_date = forms.DateField(
        label=_("Actual date"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
        help_text=_("The day the milestone was reached; empty: not yet."),
    )


class ProgressForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs=DATE))
    percent = forms.DecimalField(label=_("Physical progress (%)"), max_digits=5, decimal_places=2)
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_url = forms.URLField(
        label=_("Evidence link"), required=False, max_length=500, assume_scheme="https"
    )
    evidence_file = forms.FileField(label=_("Evidence file"), required=False)
