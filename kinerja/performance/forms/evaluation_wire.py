"""Forms of the objection and unit predikat pages. They parse input; the services hold the
rules (the deadline, who decides, a reason, the curve, the version lock)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..curve_rules import UnitPredikat as Choice
from ..evaluation_rules import Rating
from .evaluation import OPTIONAL_RATING, TEXT, EvaluationVersionForm


class ObjectionFileForm(forms.Form):
    reasons = forms.CharField(label=_("Reasons"), **TEXT)
    evidence = forms.CharField(label=_("Evidence"), **TEXT)
    links = forms.CharField(label=_("Evidence links (one a line)"), **TEXT)

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]


class ObjectionDecideForm(EvaluationVersionForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=(("uphold", _("Uphold the rating")), ("change", _("Change the rating"))),
    )
    reason = forms.CharField(label=_("Reason for the decision"), **TEXT)
    results_rating = forms.ChoiceField(
        label=_("New results rating"), choices=OPTIONAL_RATING, required=False
    )
    behaviour_rating = forms.ChoiceField(
        label=_("New behaviour rating"), choices=OPTIONAL_RATING, required=False
    )


class ReopenForm(EvaluationVersionForm):
    reason = forms.CharField(label=_("Reason for reopening"), **TEXT)


class UnitPredikatOpenForm(forms.Form):
    unit = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    year = forms.IntegerField(min_value=1900, max_value=9999)
    sub_period = forms.IntegerField(min_value=0, max_value=99)
    expectation = forms.ChoiceField(
        label=_("Delivery against the expectation"), choices=OPTIONAL_RATING, required=False
    )


class RecommendForm(EvaluationVersionForm):
    predikat = forms.ChoiceField(label=_("Predikat"), choices=Choice.choices)
    note = forms.CharField(label=_("Note"), **TEXT)
    source = forms.CharField(required=False, max_length=20)


class SetForm(EvaluationVersionForm):
    predikat = forms.ChoiceField(label=_("Predikat"), choices=Choice.choices)
    reason = forms.CharField(label=_("Reason for another predikat than the suggestion"), **TEXT)


class FinaliseForm(EvaluationVersionForm):
    justification = forms.CharField(label=_("Justification of a breach of the curve"), **TEXT)


__all__ = [
    "FinaliseForm",
    "ObjectionDecideForm",
    "ObjectionFileForm",
    "RecommendForm",
    "ReopenForm",
    "Rating",
    "SetForm",
    "UnitPredikatOpenForm",
]
