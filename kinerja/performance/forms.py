"""Forms of the planning pages. They parse input; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.organisations.models import OrgUnit

from .choices import Frequency, SubPeriodStatus
from .services import FIRST_YEAR, LAST_YEAR


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
