"""Forms of the planning pages. They parse input; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kinerja.organisations.forms import LookupSelect, TablerFormMixin
from kinerja.organisations.lookups import clean_query, unit_label
from kinerja.organisations.models import OrgUnit

from ..choices import Frequency, GoalLevel, SubPeriodStatus, TargetShape
from ..lookups import agreement_unit_options, template_label, template_options
from ..models import Goal, Indicator, IndicatorTemplate
from ..policy import development_area_choices, rb_theme_choices
from ..services import FIRST_YEAR, LAST_YEAR


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, as the registry's forms have."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class PeriodForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    frequency = forms.ChoiceField(
        label=_("Sub-periods"),
        choices=[("", _("Policy default")), *Frequency.choices],
        required=False,
    )


class SubPeriodStatusForm(StyledForm):
    status = forms.ChoiceField(label=_("Status"), choices=SubPeriodStatus.choices)


class LateEntryForm(StyledForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    sub_period = forms.TypedChoiceField(label=_("Sub-period"), coerce=int)
    opens = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    closes = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=1000)

    def __init__(self, *args, units, sub_periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["sub_period"].choices = [(s.pk, s.label) for s in sub_periods]


# Editing pages ------------------------------------------------------------------------------


def _model_field(model, name: str, **kwargs):
    return model._meta.get_field(name).formfield(**kwargs)


class PlanningForm(TablerFormMixin, forms.Form):
    """A form of a planning page: Tabler classes, and the service's refusals on the fields
    they name (`TablerFormMixin.add_service_errors`). ``data_fields`` go to the service."""

    data_fields: tuple[str, ...] = ()

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.data_fields if name in self.fields}


class GoalForm(PlanningForm):
    """A goal under ``parent`` (None: a mission at the top): the level is one the parent
    allows; an agency is chosen for a strategic objective only (a strategic target is its
    objective's agency's)."""

    level = forms.ChoiceField(label=_("Level"))
    code = _model_field(Goal, "code")
    name = _model_field(Goal, "name", widget=forms.Textarea(attrs={"rows": 2}))
    description = _model_field(Goal, "description", widget=forms.Textarea(attrs={"rows": 3}))
    unit = forms.ModelChoiceField(label=_("Agency"), queryset=OrgUnit.objects.none())
    rb_themes = forms.MultipleChoiceField(label=_("RB Tematik themes"), required=False)
    development_areas = forms.MultipleChoiceField(
        label=_("Development areas (Perpres 80/2019)"), required=False
    )
    data_fields = ("level", "code", "name", "description", "unit")

    def __init__(self, *args, parent: Goal | None, level: str | None, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        levels = (
            [level]
            if level
            else [
                value
                for value in GoalLevel.values
                if GoalLevel.parent_level(value) == (parent.level if parent else None)
            ]
        )
        self.fields["level"].choices = [(v, GoalLevel(v).label) for v in levels]
        if levels != [GoalLevel.AGENCY_OBJECTIVE]:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = agencies
        self.fields["rb_themes"].choices = rb_theme_choices()
        self.fields["development_areas"].choices = list(development_area_choices())


MANUAL_FORM_FIELDS = (
    "name",
    "definition",
    "purpose",
    "measure_unit",
    "data_type",
    "polarity",
    "control_level",
    "formula",
    "data_source",
    "reporting_frequency",
    "aggregation",
)
TEXT = {"widget": forms.Textarea(attrs={"rows": 2})}


class TemplateForm(PlanningForm):
    """An entry of the indicator library."""

    name = _model_field(IndicatorTemplate, "name")
    position_kind = _model_field(IndicatorTemplate, "position_kind")
    definition = _model_field(IndicatorTemplate, "definition", **TEXT)
    purpose = _model_field(IndicatorTemplate, "purpose", **TEXT)
    measure_unit = _model_field(IndicatorTemplate, "measure_unit")
    data_type = _model_field(IndicatorTemplate, "data_type")
    polarity = _model_field(IndicatorTemplate, "polarity")
    control_level = _model_field(IndicatorTemplate, "control_level")
    formula = _model_field(IndicatorTemplate, "formula", **TEXT)
    data_source = _model_field(IndicatorTemplate, "data_source")
    reporting_frequency = _model_field(IndicatorTemplate, "reporting_frequency")
    aggregation = _model_field(IndicatorTemplate, "aggregation")
    data_fields = (*MANUAL_FORM_FIELDS, "position_kind")


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: IndicatorTemplate) -> str:
        return template_label(obj)


class IndicatorForm(PlanningForm):
    """An indicator of a goal with its manual (manual indikator). A new indicator may start
    from a library entry (a searchable select): the name, unit of measure, control level and
    texts left empty take the entry's."""

    template = TemplateChoiceField(
        label=_("Library entry"),
        queryset=IndicatorTemplate.objects.none(),
        required=False,
        widget=LookupSelect(
            lookup_url="performance:template_lookup",
            placeholder=_("Search the indicator library"),
        ),
        help_text=_("Optional: the manual fields left empty take the library entry's."),
    )
    uses_lookups = True
    code = _model_field(Indicator, "code")
    name = _model_field(Indicator, "name")
    definition = _model_field(Indicator, "definition", **TEXT)
    purpose = _model_field(Indicator, "purpose", **TEXT)
    measure_unit = _model_field(Indicator, "measure_unit")
    data_type = _model_field(Indicator, "data_type")
    polarity = _model_field(Indicator, "polarity")
    control_level = _model_field(Indicator, "control_level")
    formula = _model_field(Indicator, "formula", **TEXT)
    data_source = _model_field(Indicator, "data_source")
    producer = _model_field(Indicator, "producer")
    reporting_frequency = _model_field(Indicator, "reporting_frequency")
    aggregation = _model_field(Indicator, "aggregation")
    baseline = _model_field(Indicator, "baseline")
    baseline_year = _model_field(Indicator, "baseline_year")
    cap_percent = _model_field(Indicator, "cap_percent")
    zero_target_rule = _model_field(Indicator, "zero_target_rule")
    is_key = _model_field(Indicator, "is_key")
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)
    data_fields = (
        *MANUAL_FORM_FIELDS,
        "template",
        "code",
        "producer",
        "baseline",
        "baseline_year",
        "cap_percent",
        "zero_target_rule",
        "is_key",
    )

    def __init__(self, *args, scope, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.fields["template"].queryset = IndicatorTemplate.objects.within(scope)
        if editing:
            del self.fields["template"]
            self.uses_lookups = False
        else:
            del self.fields["reason"]
            # Left empty, they take the library entry's; without one the service names them.
            for name in ("name", "measure_unit", "control_level"):
                self.fields[name].required = False

    def offer_search_results(self, data, field_name: str) -> None:
        """The library search without JavaScript (`FormPageView.search_form`)."""
        if field_name != "template" or "template" not in self.fields:
            return
        widget = self.fields["template"].widget
        widget.search_text = clean_query(data.get("template_q"))
        widget.searched = True
        widget.offered, widget.more = template_options(self.scope, widget.search_text)


NUMBER_INPUT = {"max_digits": 20, "decimal_places": 4, "required": False}


class TargetForm(PlanningForm):
    """An indicator's target for a year and, for a number, its value for each sub-period of
    the year (fields ``value_<n>``, or ``low_<n>`` and ``high_<n>`` for a range)."""

    shape = forms.ChoiceField(label=_("Shape"), choices=TargetShape.choices)
    value = forms.DecimalField(label=_("Value"), **NUMBER_INPUT)
    low = forms.DecimalField(label=_("Low bound"), **NUMBER_INPUT)
    high = forms.DecimalField(label=_("High bound"), **NUMBER_INPUT)
    expectation = forms.CharField(
        label=_("Expectation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)
    data_fields = ("shape", "value", "low", "high", "expectation")

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.numbers = numbers
        self.values_errors: list[str] = []
        for n in numbers:
            for kind in ("value", "low", "high"):
                field = forms.DecimalField(label=f"{kind} {n}", **NUMBER_INPUT)
                field.widget.attrs["class"] = "form-control"
                self.fields[f"{kind}_{n}"] = field

    def sub_period_rows(self):
        """(number, value field, low field, high field) per sub-period, for the template."""
        return [(n, self[f"value_{n}"], self[f"low_{n}"], self[f"high_{n}"]) for n in self.numbers]

    def sub_period_values(self) -> dict[int, object] | None:
        """The sub-period values posted for the shape, or None when none was given."""
        shape = self.cleaned_data["shape"]
        if shape == TargetShape.QUALITATIVE or not self.numbers:
            return None
        if shape == TargetShape.RANGE:
            values = {
                n: {"low": self.cleaned_data[f"low_{n}"], "high": self.cleaned_data[f"high_{n}"]}
                for n in self.numbers
            }
            given = {
                n: v for n, v in values.items() if v["low"] is not None or v["high"] is not None
            }
        else:
            values = {n: self.cleaned_data[f"value_{n}"] for n in self.numbers}
            given = {n: v for n, v in values.items() if v is not None}
        if not given:
            return None
        # A sub-period left empty is sent as missing, so the service names the count.
        return given

    def add_service_errors(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            return super().add_service_errors(exc)
        shape = self.data.get("shape")
        for name, messages in exc.message_dict.items():
            if name == "values":
                self.values_errors.extend(messages)
            elif name.startswith("values."):
                n = name.split(".", 1)[1]
                field = f"low_{n}" if shape == TargetShape.RANGE else f"value_{n}"
                self.add_error(field if field in self.fields else None, messages)
            else:
                self.add_error(name if name in self.fields else None, messages)
        return None


class KeySetIndicatorForm(StyledForm):
    """Add an indicator to a key-indicator set, or take one out."""

    indicator = forms.ModelChoiceField(label=_("Key indicator"), queryset=Indicator.objects.none())

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators


# Performance agreements ---------------------------------------------------------------------

PARTY_HELP = _("Only when nobody stands above the head post on the day (the governor).")


class AgreementForm(PlanningForm):
    """A draft agreement: on creation its owner and year; its date, the parties named by hand,
    its targets and its program and budget table (one program a line:
    ``name | SIPD code | budget | note``)."""

    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("The province (the governor)"),
    )
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    agreement_date = forms.DateField(
        label=_("Date of the agreement"), widget=forms.DateInput(attrs={"type": "date"})
    )
    first_party_name = forms.CharField(
        label=_("First party's name"),
        max_length=300,
        required=False,
        help_text=_("The province's agreement only: the governor."),
    )
    first_party_nip = forms.CharField(label=_("First party's NIP"), max_length=18, required=False)
    first_party_title = forms.CharField(
        label=_("First party's title"), max_length=300, required=False
    )
    second_party_name = forms.CharField(
        label=_("Second party's name"), max_length=300, required=False, help_text=PARTY_HELP
    )
    second_party_nip = forms.CharField(label=_("Second party's NIP"), max_length=18, required=False)
    second_party_title = forms.CharField(
        label=_("Second party's title"), max_length=300, required=False
    )
    targets = forms.ModelMultipleChoiceField(
        label=_("Targets"),
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    programs = forms.CharField(
        label=_("Programs and budget"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One program a line: name | SIPD code | budget in rupiah | note."),
    )
    version = forms.IntegerField(label="", widget=forms.HiddenInput, required=False)

    data_fields = (
        "unit",
        "year",
        "agreement_date",
        "first_party_name",
        "first_party_nip",
        "first_party_title",
        "second_party_name",
        "second_party_nip",
        "second_party_title",
    )

    def __init__(self, *args, units=None, targets=None, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        if units is None:
            del self.fields["unit"]
            del self.fields["year"]
        else:
            self.fields["unit"].queryset = units
            del self.fields["targets"]
            del self.fields["programs"]
            if scope is not None:
                # A province has over a thousand units: search them (see docs/architecture.md
                # "Searchable selects"); empty is the province's own agreement.
                self.fields["unit"].widget = LookupSelect(
                    lookup_url="performance:agreement_unit_lookup",
                    placeholder=_("Search a unit; empty: the province (the governor)"),
                    attrs={"class": "form-select"},
                )
                self.fields["unit"].label_from_instance = unit_label
                self.fields["unit"].help_text = _(
                    "A unit with a head post; leave it empty for the province's agreement."
                )
                self.uses_lookups = True
        if targets is not None:
            self.fields["targets"].queryset = targets
            self.fields["targets"].label_from_instance = lambda t: (
                f"{t.indicator.code} {t.indicator.name}: {t.display}"
            )

    def offer_search_results(self, data, field_name: str) -> None:
        """The unit search without JavaScript (`FormPageView.search_form`)."""
        if field_name != "unit" or "unit" not in self.fields or self.scope is None:
            return
        widget = self.fields["unit"].widget
        widget.search_text = clean_query(data.get("unit_q"))
        widget.searched = True
        widget.offered, widget.more = agreement_unit_options(self.scope, widget.search_text)

    def clean_programs(self) -> list[dict]:
        rows = []
        for number, line in enumerate(self.cleaned_data.get("programs", "").splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")] + ["", "", "", ""]
            budget = parts[2].replace(".", "").replace(",", ".") if parts[2] else ""
            if not parts[0] or not budget:
                raise ValidationError(
                    _("Line %(n)d: give at least the program's name and its budget.")
                    % {"n": number}
                )
            rows.append(
                {"name": parts[0], "sipd_code": parts[1], "budget": budget, "note": parts[3]}
            )
        return rows

    def add_service_errors(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                field = name.split(".")[0]
                visible = field in self.fields and field != "version"
                self.add_error(field if visible else None, messages)
        else:
            self.add_error(None, exc.messages)


def rupiah(amount) -> str:
    """1250000000.5 as 1.250.000.000,50 (the Indonesian way)."""
    return f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def programs_text(agreement) -> str:
    """The program table as the form's lines."""
    return "\n".join(
        " | ".join([p.name, p.sipd_code, rupiah(p.budget), p.note]).rstrip(" |")
        for p in agreement.programs.all()
    )


class AgreementStepForm(StyledForm):
    version = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    reason = forms.CharField(label=_("Reason for the revision"), max_length=2000, required=False)
