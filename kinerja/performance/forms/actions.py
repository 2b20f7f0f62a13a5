"""Forms of the action plan (rencana aksi): an action and its schedule in one form, and the
progress of one sub-period."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kinerja.organisations.models import OrgUnit

from ..models import Action
from ..models.actions import funding_source_choices
from . import PlanningForm

ACTION_DATA_FIELDS = (
    "parent",
    "code",
    "position",
    "text",
    "unit",
    "program_code",
    "activity_code",
    "sub_activity_code",
    "budget",
    "spending",
    "funding_source",
)


class ActionForm(PlanningForm):
    """An action with one planned output and weight per sub-period of the year (the weights
    sum to 100; all empty: no schedule yet)."""

    parent = forms.ModelChoiceField(
        label=_("Parent action"),
        queryset=Action.objects.none(),
        required=False,
        empty_label=_("None (a top-level action)"),
    )
    code = forms.CharField(label=_("Code"), max_length=40)
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=0)
    text = forms.CharField(
        label=pgettext_lazy("action plan", "Action"),
        max_length=1000,
        widget=forms.Textarea({"rows": 2}),
    )
    unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=OrgUnit.objects.none())
    program_code = forms.CharField(
        label=_("SIPD program code"), max_length=40, required=False, help_text="X.XX.XX"
    )
    activity_code = forms.CharField(
        label=_("SIPD activity code"), max_length=40, required=False, help_text="X.XX.XX.X.XX"
    )
    sub_activity_code = forms.CharField(
        label=_("SIPD sub-activity code"),
        max_length=40,
        required=False,
        help_text="X.XX.XX.X.XX.XX",
    )
    budget = forms.DecimalField(
        label=_("Budget ceiling (Rp)"), min_value=0, max_digits=18, decimal_places=2, initial=0
    )
    spending = forms.DecimalField(
        label=_("Spending (Rp)"), min_value=0, max_digits=18, decimal_places=2, initial=0
    )
    funding_source = forms.ChoiceField(label=_("Funding source"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    data_fields = ACTION_DATA_FIELDS

    def __init__(self, *args, parents, units, sub_periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents
        self.fields["unit"].queryset = units
        self.fields["funding_source"].choices = [("", "—"), *funding_source_choices()]
        self.sub_periods = list(sub_periods)
        self.schedule_errors: list[str] = []
        for sub in self.sub_periods:
            self.fields[f"output_{sub.number}"] = forms.CharField(
                label=_("Planned output, %(sub)s") % {"sub": sub.label},
                max_length=500,
                required=False,
            )
            self.fields[f"weight_{sub.number}"] = forms.DecimalField(
                label=_("Weight (%%), %(sub)s") % {"sub": sub.label},
                min_value=0,
                max_value=100,
                decimal_places=2,
                required=False,
            )
            for name in (f"output_{sub.number}", f"weight_{sub.number}"):
                self.fields[name].widget.attrs["class"] = "form-control"

    def schedule(self) -> list[dict]:
        rows = []
        for sub in self.sub_periods:
            weight = self.cleaned_data.get(f"weight_{sub.number}")
            output = self.cleaned_data.get(f"output_{sub.number}") or ""
            if weight is None and not output:
                continue
            rows.append({"sub_period": sub.number, "planned_output": output, "weight": weight or 0})
        return rows

    def add_service_errors(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc.messages)
            return
        for name, messages in exc.message_dict.items():
            field = name.split(".")[0]
            if name.startswith("schedule."):
                parts = name.split(".")
                field = None
                if len(parts) == 3 and parts[2] == "weight":
                    row = self.schedule()[int(parts[1])]
                    field = f"weight_{row['sub_period']}"
            elif field == "schedule" or field not in self.fields or field == "version":
                field = None
            self.add_error(field, messages)


class ProgressForm(PlanningForm):
    progress = forms.DecimalField(
        label=_("Progress (%)"), min_value=0, max_value=100, decimal_places=2
    )
    note = forms.CharField(
        label=_("Note"), max_length=5000, required=False, widget=forms.Textarea({"rows": 2})
    )
    evidence_url = forms.URLField(
        label=_("Evidence link"), max_length=500, required=False, assume_scheme="https"
    )
    sub_period = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    data_fields = ("progress", "note", "evidence_url")
