"""Forms of the organisation pages. They collect input; the services hold the rules.

Field definitions come from the models (``formfield()``), so labels and field validators such as
the NIP rule are the models' own, never a second copy. The choices of units and positions are
limited to where the caller may make the change.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kinerja.core.scope import Action, Scope

from .models import Employee, OrgUnit, Position, Region
from .validators import normalise_nip

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _model_field(model, name: str, **kwargs):
    return model._meta.get_field(name).formfield(**kwargs)


# Room for a NIP as people write it: "NIP. 19750315 200501 1 002" is 26 characters.
NIP_INPUT_MAX_LENGTH = 40


class NipField(forms.CharField):
    """A NIP as typed or pasted, reduced by `normalise_nip` before the model's NIP rule runs."""

    def __init__(self, **kwargs):
        kwargs["max_length"] = NIP_INPUT_MAX_LENGTH
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return normalise_nip(value) or self.empty_value


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        indent = "\u00a0\u00a0\u00a0" * obj.depth
        return f"{indent}{obj.name} ({obj.code})"


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Position) -> str:
        return f"{obj.title} · {obj.unit.name}"


class TablerFormMixin:
    """Give widgets Tabler's classes and mark a field ``is-invalid`` when it gets an error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css

    def add_error(self, field, error):
        super().add_error(field, error)
        names = error.error_dict.keys() if hasattr(error, "error_dict") else [field]
        for name in names:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def add_service_errors(self, exc: ValidationError) -> None:
        """Show a service's ValidationError on the fields it names, the rest above the form."""
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, exc.messages)


class EmployeeForm(TablerFormMixin, forms.Form):
    """Add an employee: identity, status and NIP, and the unit and position they start in."""

    name = _model_field(Employee, "name")
    front_title = _model_field(Employee, "front_title")
    back_title = _model_field(Employee, "back_title")
    status = _model_field(Employee, "status")
    nip = _model_field(
        Employee,
        "nip",
        form_class=NipField,
        help_text=_("18 digits, spaces allowed; leave empty for non-ASN staff."),
    )
    grade = _model_field(Employee, "grade")
    grade_tmt = _model_field(Employee, "grade_tmt", widget=DATE_WIDGET)
    email = _model_field(Employee, "email")
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    position = PositionChoiceField(
        label=_("Position"), queryset=Position.objects.none(), required=False
    )
    start_date = forms.DateField(
        label=_("Start date"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("When the first assignment begins; today if left empty."),
    )

    # Fields handed to the service as ``data``; the rest are its other arguments.
    data_fields = (
        "name",
        "front_title",
        "back_title",
        "status",
        "nip",
        "grade",
        "grade_tmt",
        "email",
        "unit",
        "position",
    )

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.within(scope, Action.CHANGE_PEOPLE).order_by(
            "sort_key", "path"
        )
        self.fields["position"].queryset = (
            Position.objects.within(scope, Action.CHANGE_PEOPLE)
            .select_related("unit")
            .order_by("unit__sort_key", "-is_head", "title")
        )

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.data_fields}


class EmployeeUpdateForm(EmployeeForm):
    """Change an employee; a new unit or position is a transfer on the effective date."""

    start_date = None
    is_active = _model_field(Employee, "is_active")
    effective = forms.DateField(
        label=_("Effective date"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("For a transfer: the day the new post begins; today if left empty."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the audit trail."),
    )

    data_fields = (*EmployeeForm.data_fields, "is_active")


class UnitForm(TablerFormMixin, forms.Form):
    """Change a unit: its names, kind, place in the tree, region, duties and validity."""

    name = _model_field(OrgUnit, "name")
    short_name = _model_field(OrgUnit, "short_name")
    kind = _model_field(OrgUnit, "kind")
    parent = UnitChoiceField(label=_("Parent unit"), queryset=OrgUnit.objects.none())
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), required=False
    )
    duties = _model_field(OrgUnit, "duties", widget=forms.Textarea(attrs={"rows": 4}))
    valid_from = _model_field(OrgUnit, "valid_from", widget=DATE_WIDGET)
    valid_to = _model_field(OrgUnit, "valid_to", widget=DATE_WIDGET)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the audit trail."),
    )

    data_fields = (
        "name",
        "short_name",
        "kind",
        "parent",
        "region",
        "duties",
        "valid_from",
        "valid_to",
    )

    def __init__(self, *args, scope: Scope, unit: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (
            OrgUnit.objects.within(scope, Action.CHANGE_ORG)
            .exclude(path__startswith=unit.path)
            .order_by("sort_key", "path")
        )
        # An agency stays at the top unless a parent is chosen; a sub-unit keeps one.
        self.fields["parent"].required = unit.parent_id is not None
        self.fields["region"].queryset = Region.objects.within(scope)

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.data_fields}


class UnitCreateForm(TablerFormMixin, forms.Form):
    """Add a sub-unit under a unit."""

    code = _model_field(OrgUnit, "code")
    name = _model_field(OrgUnit, "name")
    short_name = _model_field(OrgUnit, "short_name")
    kind = _model_field(OrgUnit, "kind")
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), required=False
    )
    duties = _model_field(OrgUnit, "duties", widget=forms.Textarea(attrs={"rows": 4}))
    valid_from = _model_field(
        OrgUnit,
        "valid_from",
        widget=DATE_WIDGET,
        required=False,
        help_text=_("Today if left empty."),
    )

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.within(scope)

    def service_data(self) -> dict:
        return dict(self.cleaned_data)
