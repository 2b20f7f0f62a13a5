"""Forms around the employee plan (SKP): the bulk cascade, a dialogue entry, a work log entry."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import ResultKind
from ..models import DialogueKind


class CascadeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ResultKind.choices)
    text = forms.CharField(
        label=_("Text for the reports (empty: the result's own)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        raw = self.data.getlist("employees") if hasattr(self.data, "getlist") else []
        ids = [int(v) for v in raw if str(v).isdigit()]
        if not ids:
            self.add_error(None, _("Choose at least one employee."))
        cleaned["employees"] = ids
        return cleaned


class DialogueForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DialogueKind.choices)
    on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(
        label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class WorkLogForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        label=_("Description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    quantity = forms.DecimalField(
        label=_("Output quantity"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    evidence_url = forms.URLField(
        label=_("Evidence link"), required=False, max_length=500, assume_scheme="https"
    )
