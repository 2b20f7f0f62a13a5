"""Forms of the correction pages; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.organisations.forms import TablerFormMixin

from .models import field_choices


class CorrectionRequestForm(TablerFormMixin, forms.Form):
    field = forms.ChoiceField(label=_("Data to correct"), choices=field_choices)
    proposed_value = forms.CharField(
        label=_("Correct value"),
        max_length=255,
        required=False,
        help_text=_("Dates as 14-03-1985; sex as L or P."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the document that shows the correct value."),
    )


class DecisionForm(TablerFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when refusing: the employee reads it."),
    )
