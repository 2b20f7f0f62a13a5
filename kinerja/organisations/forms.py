"""Forms of the organisation pages. They collect input; the services hold the rules.

Field definitions come from the models (``formfield()``), so labels and field validators such as
the NIP rule are the models' own, never a second copy. The choices of units and positions are
limited to where the caller may make the change.

The employee form's unit and post are searchable selects (`LookupSelect`): the page holds only
their current values, the browser searches the scoped lookup views (`lookups.py`), and the
fields still validate against the whole scoped queryset, so a unit or post out of reach that is
posted by hand is refused as before.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from kinerja.core.scope import Action, Scope

from .lookups import (
    LOOKUP_LIMIT,
    Option,
    clean_query,
    employee_options,
    position_label,
    position_options,
    superior_options,
    unit_label,
    unit_options,
)
from .models import ActingAssignment, Employee, OrgUnit, Position, Region
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


class LookupSelect(forms.Select):
    """A select that renders only its current value, plus the results of a search if one ran.

    With JavaScript, ``kinerja/lookup-select.js`` turns it into a Tom Select that searches the
    JSON view ``lookup_url`` (a URL name); ``depends_on`` names a field whose value is sent as
    ``depends_param`` (the post select sends the chosen unit). Without JavaScript a search box
    and button follow it (inside ``<noscript>``): the button sends the form back with
    ``_lookup=<field>`` and the page comes back with the matches of ``<field>_q`` as options
    (`FormPageView.post`); nothing is saved on that round trip.
    """

    def __init__(
        self,
        *,
        lookup_url: str,
        depends_on: str | None = None,
        depends_param: str = "",
        placeholder: str = "",
        attrs=None,
    ):
        super().__init__(attrs)
        self.lookup_url = lookup_url
        self.depends_on = depends_on
        self.depends_param = depends_param
        self.placeholder = placeholder
        self.lookup_query: dict[str, str | int] = {}  # fixed parameters of every search
        self.search_text = ""
        self.searched = False
        self.offered: list[Option] = []
        self.more = False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        url = reverse(self.lookup_url)
        if self.lookup_query:
            url = f"{url}?{urlencode(self.lookup_query)}"
        widget_attrs["data-lookup-url"] = url
        widget_attrs["data-lookup-empty"] = gettext("Nothing matches.")
        widget_attrs["data-lookup-more"] = gettext(
            "Only the first %(limit)s matches are shown: type more to narrow the search."
        ) % {"limit": LOOKUP_LIMIT}
        widget_attrs["data-lookup-loading"] = gettext("Searching…")
        if self.placeholder:
            widget_attrs["data-placeholder"] = str(self.placeholder)
        if self.depends_on:
            widget_attrs["data-lookup-depends"] = f"id_{self.depends_on}"
            widget_attrs["data-lookup-depends-param"] = self.depends_param
            widget_attrs["data-lookup-depends-missing"] = gettext("Choose the unit first.")
        return context

    def optgroups(self, name, value, attrs=None):
        """The empty choice, the current value and the offered search results; no other row."""
        chosen = [v for v in value if v and str(v).isdigit()]
        labels: list[tuple[str, str]] = []
        iterator = self.choices
        if chosen and hasattr(iterator, "queryset"):
            field = iterator.field
            found = {
                str(obj.pk): field.label_from_instance(obj)
                for obj in iterator.queryset.filter(pk__in=chosen)
            }
            labels = [(pk, found[pk]) for pk in chosen if pk in found]
        seen = {pk for pk, _label in labels}
        labels += [(str(o.value), o.text) for o in self.offered if str(o.value) not in seen]
        options = [self.create_option(name, "", "---------", not chosen, 0)]
        for index, (pk, label) in enumerate(labels, start=1):
            options.append(self.create_option(name, pk, label, pk in chosen, index))
        return [(None, options, 0)]

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        note = ""
        if self.searched and not self.offered:
            note = gettext("Nothing matches.")
        elif self.searched:
            note = ngettext(
                "%(count)s match: choose it in the list above.",
                "%(count)s matches: choose one in the list above.",
                len(self.offered),
            ) % {"count": len(self.offered)}
            if self.more:
                note += " " + gettext(
                    "Only the first %(limit)s matches are shown: type more to narrow the search."
                ) % {"limit": LOOKUP_LIMIT}
        return format_html(
            '{}<noscript><div class="input-group mt-2">'
            '<input type="search" name="{}_q" value="{}" class="form-control" '
            'placeholder="{}" aria-label="{}">'
            '<button type="submit" name="_lookup" value="{}" class="btn">{}</button>'
            "</div>{}</noscript>",
            select,
            name,
            self.search_text,
            gettext("Name or code"),
            gettext("Search"),
            name,
            gettext("Search"),
            format_html('<div class="form-hint">{}</div>', note) if note else "",
        )


class LookupUnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return unit_label(obj)


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Position) -> str:
        return position_label(obj)


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
    unit = LookupUnitField(
        label=_("Unit"),
        queryset=OrgUnit.objects.none(),
        widget=LookupSelect(
            lookup_url="organisations:employee_unit_lookup",
            placeholder=_("Search a unit by name or code"),
        ),
    )
    position = PositionChoiceField(
        label=_("Position"),
        queryset=Position.objects.none(),
        required=False,
        widget=LookupSelect(
            lookup_url="organisations:employee_position_lookup",
            depends_on="unit",
            depends_param="unit",
            placeholder=_("Search a post of the unit"),
        ),
        help_text=_("The posts of the chosen unit."),
    )
    # The page loads the searchable-select script only for forms that have such selects.
    uses_lookups = True
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
        self.scope = scope
        # The whole scope validates a choice; the widgets render only the chosen rows of it.
        self.fields["unit"].queryset = OrgUnit.objects.within(scope, Action.CHANGE_PEOPLE).order_by(
            "sort_key", "path"
        )
        self.fields["position"].queryset = (
            Position.objects.within(scope, Action.CHANGE_PEOPLE)
            .select_related("unit")
            .order_by("unit__sort_key", "-is_head", "title")
        )

    def offer_search_results(self, data, field_name: str) -> None:
        """Offer in ``field_name``'s select the matches of its search box (the no-JS search).

        The post search keeps to the unit chosen in ``data`` when that unit is one the caller
        may assign to; otherwise it searches every post in reach.
        """
        if field_name not in ("unit", "position"):
            return
        widget = self.fields[field_name].widget
        widget.search_text = clean_query(data.get(f"{field_name}_q"))
        widget.searched = True
        if field_name == "unit":
            widget.offered, widget.more = unit_options(
                self.scope, Action.CHANGE_PEOPLE, widget.search_text
            )
            return
        unit_id = str(data.get("unit") or "")
        unit_id = int(unit_id) if unit_id.isdigit() and len(unit_id) < 19 else None
        if unit_id is not None and not self.fields["unit"].queryset.filter(pk=unit_id).exists():
            unit_id = None
        widget.offered, widget.more = position_options(
            self.scope, Action.CHANGE_PEOPLE, widget.search_text, unit_id=unit_id
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


REASON_HELP = _("Kept in the audit trail.")


def _reason_field(required: bool = True, help_text=REASON_HELP) -> forms.CharField:
    return forms.CharField(
        label=_("Reason"),
        required=required,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=help_text,
    )


class EmployeeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Employee) -> str:
        return obj.display_name


class ReportingLineForm(TablerFormMixin, forms.Form):
    """Set a post's reporting line from a date (`services.reporting_line_set` holds the rules)."""

    reports_to = PositionChoiceField(
        label=_("Reports to"),
        queryset=Position.objects.none(),
        required=False,
        widget=LookupSelect(
            lookup_url="organisations:position_superior_lookup",
            placeholder=_("Search a post of this unit or a unit above it"),
        ),
        help_text=_(
            "A post of the same unit or of a unit above it. Leave empty to end the line: from "
            "that day the post reports to no one."
        ),
    )
    valid_from = forms.DateField(
        label=_("From"),
        widget=DATE_WIDGET,
        help_text=_("The first day of the new line; the line before ends the day before."),
    )
    reason = _reason_field(
        help_text=_("Kept in the audit trail, such as the regulation (SOTK) that sets the line.")
    )
    uses_lookups = True

    def __init__(self, *args, scope: Scope, position: Position, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope, self.position = scope, position
        # Any post the caller may change validates; the service then says why a post outside
        # the unit's ancestry, closed on the day, or in a loop is refused.
        self.fields["reports_to"].queryset = Position.objects.within(
            scope, Action.CHANGE_ORG
        ).select_related("unit")
        self.fields["reports_to"].widget.lookup_query = {"position": position.pk}

    def offer_search_results(self, data, field_name: str) -> None:
        if field_name != "reports_to":
            return
        widget = self.fields[field_name].widget
        widget.search_text = clean_query(data.get(f"{field_name}_q"))
        widget.searched = True
        widget.offered, widget.more = superior_options(
            self.scope, self.position, widget.search_text
        )


class ActingForm(TablerFormMixin, forms.Form):
    """Appoint an acting official (Plt or Plh) of a post (`services.acting_create`)."""

    employee = EmployeeChoiceField(
        label=_("Employee"),
        queryset=Employee.objects.none(),
        widget=LookupSelect(
            lookup_url="organisations:acting_employee_lookup",
            placeholder=_("Search by name or NIP"),
        ),
    )
    position = PositionChoiceField(
        label=_("Post"),
        queryset=Position.objects.none(),
        widget=LookupSelect(
            lookup_url="organisations:employee_position_lookup",
            placeholder=_("Search a post by title or code"),
        ),
        help_text=_("The post the employee acts in, usually a vacant or absent head's."),
    )
    kind = _model_field(ActingAssignment, "kind")
    decree_number = _model_field(ActingAssignment, "decree_number")
    valid_from = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    valid_to = forms.DateField(
        label=_("Until (last day)"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Empty: until the assignment is ended."),
    )
    reason = _reason_field(required=False)
    uses_lookups = True

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.fields["employee"].queryset = Employee.objects.within(
            scope, Action.VIEW_PEOPLE
        ).active()
        self.fields["position"].queryset = (
            Position.objects.within(scope, Action.CHANGE_PEOPLE).active().select_related("unit")
        )

    def offer_search_results(self, data, field_name: str) -> None:
        if field_name not in ("employee", "position"):
            return
        widget = self.fields[field_name].widget
        widget.search_text = clean_query(data.get(f"{field_name}_q"))
        widget.searched = True
        if field_name == "employee":
            widget.offered, widget.more = employee_options(
                self.scope, Action.VIEW_PEOPLE, widget.search_text
            )
        else:
            widget.offered, widget.more = position_options(
                self.scope, Action.CHANGE_PEOPLE, widget.search_text
            )


class ActingEndForm(TablerFormMixin, forms.Form):
    """End an acting assignment on a date (`services.acting_end`)."""

    valid_to = forms.DateField(
        label=_("Last day"),
        widget=DATE_WIDGET,
        help_text=_("The last day the acting official answers for the post."),
    )
    reason = _reason_field(required=False)
