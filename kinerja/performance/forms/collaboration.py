"""Forms of the collaboration pages. They parse input; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.organisations.models import OrgUnit

from ..models import Goal, Target
from . import PlanningForm

WEIGHT = {"max_digits": 5, "decimal_places": 2, "min_value": 0, "max_value": 100}


def target_label(target: Target) -> str:
    indicator = target.indicator
    owner = indicator.unit.name if indicator.unit_id else _("Province")
    return f"{target.year} · {indicator.code} {indicator.name} ({owner}): {target.display}"


class CollaborationForm(PlanningForm):
    """Share a target: the target, a title, and for the province's own target its lead."""

    target = forms.ModelChoiceField(label=_("Shared target"), queryset=Target.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    lead_unit = forms.ModelChoiceField(
        label=_("Lead agency"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("Only for a target of the province's own plan."),
    )
    data_fields = ("target", "title", "lead_unit")

    def __init__(self, *args, targets, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets
        self.fields["target"].label_from_instance = target_label
        self.fields["lead_unit"].queryset = agencies


class VersionForm(PlanningForm):
    """A form that names the collaboration's version it was read at; a refusal naming the
    version (a conflict) shows above the form."""

    version = forms.IntegerField(
        label="", widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1
    )

    def add_service_errors(self, exc) -> None:
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                field = name.replace("weights.", "weight_")
                visible = field in self.fields and field != "version"
                self.add_error(field if visible else None, messages)
        else:
            self.add_error(None, exc.messages)


class InviteForm(VersionForm):
    unit = forms.ModelChoiceField(label=_("Agency invited"), queryset=OrgUnit.objects.none())
    weight = forms.DecimalField(label=_("Proposed weight (%)"), **WEIGHT)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = agencies


class WeightsForm(VersionForm):
    """The lead's share and one weight per member that has not declined."""

    lead_weight = forms.DecimalField(label=_("Lead's share (%)"), **WEIGHT)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for member in self.members:
            label = f"{member.unit.name} ({member.get_status_display().lower()}, %)"
            self.fields[f"weight_{member.unit_id}"] = forms.DecimalField(
                label=label, initial=member.weight, **WEIGHT
            )
            self.fields[f"weight_{member.unit_id}"].widget.attrs["class"] = "form-control"

    def weights(self) -> dict[int, object]:
        return {m.unit_id: self.cleaned_data[f"weight_{m.unit_id}"] for m in self.members}


class AcceptForm(VersionForm):
    """The member's supporting result: a goal of the member agency, the indicator's code and
    name, and its target (the shared target's when left empty)."""

    goal = forms.ModelChoiceField(label=_("Goal it serves"), queryset=Goal.objects.none())
    code = forms.CharField(label=_("Indicator code"), max_length=40)
    name = forms.CharField(label=_("Supporting indicator"), max_length=500)
    value = forms.DecimalField(
        label=_("Target value"),
        required=False,
        max_digits=20,
        decimal_places=4,
        help_text=_("Empty: the shared target's."),
    )
    expectation = forms.CharField(
        label=_("Expectation (qualitative)"), required=False, max_length=2000
    )

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals

    def service_data(self) -> dict:
        data = {k: self.cleaned_data[k] for k in ("goal", "code", "name")}
        if self.cleaned_data.get("value") is not None:
            data["value"] = self.cleaned_data["value"]
        if self.cleaned_data.get("expectation"):
            data["expectation"] = self.cleaned_data["expectation"]
        return data


class DeclineForm(VersionForm):
    reason = forms.CharField(
        label=_("Reason for declining"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
