"""Forms of the employee plan (SKP) pages. They parse input; `services.skp` holds the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.organisations.models import Employee

from ..choices import Aspect, DataType, Perspective, PlanApproach, ResultKind, TargetShape
from ..models import Period, PlanResult
from ..policy import measure_unit_choices
from . import PlanningForm, StyledForm

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}
NUMBER_TYPES = [
    (DataType.DECIMAL, DataType.DECIMAL.label),
    (DataType.INTEGER, DataType.INTEGER.label),
]
NUMBER_SHAPES = [
    (TargetShape.VALUE, TargetShape.VALUE.label),
    (TargetShape.RANGE, TargetShape.RANGE.label),
]
TEXT = {"widget": forms.Textarea(attrs={"rows": 3}), "required": False, "max_length": 5000}


class PlanForm(PlanningForm):
    """A plan: on creation its employee and year; its dates, approach and the three annexes."""

    employee = forms.ModelChoiceField(label=_("Employee"), queryset=Employee.objects.none())
    period = forms.ModelChoiceField(label=_("Year"), queryset=Period.objects.none())
    starts = forms.DateField(label=_("First day"), required=False, **DATE)
    ends = forms.DateField(label=_("Last day"), required=False, **DATE)
    approach = forms.ChoiceField(label=_("Approach"), choices=PlanApproach.choices)
    evaluator_name = forms.CharField(
        label=_("Evaluator's name"),
        max_length=300,
        required=False,
        help_text=_("Only when nobody is above the post in the reporting lines."),
    )
    evaluator_nip = forms.CharField(label=_("Evaluator's NIP"), max_length=18, required=False)
    evaluator_title = forms.CharField(label=_("Evaluator's title"), max_length=300, required=False)
    resources = forms.CharField(label=_("Resources (dukungan sumber daya)"), **TEXT)
    accountability = forms.CharField(label=_("Accountability scheme"), **TEXT)
    consequences = forms.CharField(label=_("Consequences"), **TEXT)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    data_fields = (
        "employee",
        "period",
        "starts",
        "ends",
        "approach",
        "evaluator_name",
        "evaluator_nip",
        "evaluator_title",
        "resources",
        "accountability",
        "consequences",
    )

    def __init__(self, *args, employees=None, periods=None, **kwargs):
        super().__init__(*args, **kwargs)
        if employees is None:
            del self.fields["employee"], self.fields["period"]
        else:
            self.fields["employee"].queryset = employees
            self.fields["period"].queryset = periods
            del self.fields["version"]

    def service_data(self) -> dict:
        data = super().service_data()
        for name in ("evaluator_name", "evaluator_nip", "evaluator_title"):
            if not data.get(name):
                data.pop(name, None)
        return data


class IndicatorForm(PlanningForm):
    """An individual indicator (IKI) of a result, with its target for the plan's year; a
    qualitative plan's indicator takes an expectation, a JPT plan's a perspective."""

    name = forms.CharField(label=_("Indicator (IKI)"), max_length=500)
    aspect = forms.ChoiceField(label=_("Aspect"), choices=Aspect.choices)
    perspective = forms.ChoiceField(
        label=_("Perspective"), choices=[("", "---------"), *Perspective.choices], required=False
    )
    measure_unit = forms.ChoiceField(label=_("Unit of measure"), choices=measure_unit_choices)
    data_type = forms.ChoiceField(label=_("Data type"), choices=NUMBER_TYPES, required=False)
    shape = forms.ChoiceField(label=_("Target"), choices=NUMBER_SHAPES, required=False)
    value = forms.DecimalField(label=_("Value"), required=False, max_digits=20, decimal_places=4)
    low = forms.DecimalField(label=_("Low bound"), required=False, max_digits=20, decimal_places=4)
    high = forms.DecimalField(
        label=_("High bound"), required=False, max_digits=20, decimal_places=4
    )
    expectation = forms.CharField(label=_("Expectation"), required=False, max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, jpt=False, qualitative=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not jpt:
            del self.fields["perspective"]
        if qualitative:
            for name in ("data_type", "shape", "value", "low", "high"):
                del self.fields[name]
        else:
            del self.fields["expectation"]

    def indicator_data(self) -> dict:
        data = self.cleaned_data
        target = {k: data.get(k) for k in ("shape", "value", "low", "high", "expectation")}
        return {
            "name": data["name"],
            "aspect": data["aspect"],
            "perspective": data.get("perspective") or "",
            "measure_unit": data["measure_unit"],
            "data_type": data.get("data_type") or "",
            "target": {k: v for k, v in target.items() if v not in (None, "")},
        }


class ResultForm(IndicatorForm):
    """Add a result with its first indicator (a result needs one to be submitted)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ResultKind.choices)
    text = forms.CharField(
        label=_("Result (RHK)"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    serves = forms.ModelChoiceField(
        label=_("Serves the evaluator's result"),
        queryset=PlanResult.objects.none(),
        required=False,
    )
    serves_directly = forms.BooleanField(
        label=_("Serves it directly"), required=False, initial=True
    )
    field_order = ("kind", "text", "serves", "serves_directly")

    def __init__(self, *args, serveable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["serves"].queryset = serveable
        self.fields["name"].label = _("First indicator (IKI)")

    def result_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.field_order}


class BehaviourForm(PlanningForm):
    """The superior's specific expectation for each BerAKHLAK value."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, values, **kwargs):
        super().__init__(*args, **kwargs)
        for value in values:
            self.fields[f"b_{value['code']}"] = forms.CharField(
                label=value["name"],
                help_text=" · ".join(value["behaviours"]),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def expectations(self) -> dict[str, str]:
        return {k[2:]: v for k, v in self.cleaned_data.items() if k.startswith("b_")}


class PlanStepForm(StyledForm):
    version = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)
