"""Forms of the realisation pages: they only read the input; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import StyledForm

__all__ = ["EvidenceForm", "RealisationEntryForm", "RealisationStepForm"]

TEXT = {"required": False, "max_length": 10_000}


class RealisationEntryForm(StyledForm):
    value = forms.CharField(label=_("Value"), required=False, max_length=40)
    outcome = forms.CharField(
        label=_("Described outcome"), widget=forms.Textarea(attrs={"rows": 2}), **TEXT
    )
    supporting_factors = forms.CharField(
        label=_("Supporting factors"), widget=forms.Textarea(attrs={"rows": 2}), **TEXT
    )
    obstructing_factors = forms.CharField(
        label=_("Obstructing factors"), widget=forms.Textarea(attrs={"rows": 2}), **TEXT
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), **TEXT)
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class RealisationStepForm(StyledForm):
    version = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), **TEXT)


class EvidenceForm(StyledForm):
    label = forms.CharField(label=_("Label"), required=False, max_length=300)
    file = forms.FileField(label=_("File"), required=False)
    url = forms.CharField(label=_("Or a link"), required=False, max_length=1000)
