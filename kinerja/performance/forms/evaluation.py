"""Forms of the evaluation pages. They parse input; `services.evaluation` holds the rules (a
reason for an override, a final evaluation refusing edits, the version lock)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..evaluation_rules import Rating

VERSION = {"min_value": 1, "max_value": 2**31 - 1}
TEXT = {"required": False, "max_length": 5000}
OPTIONAL_RATING = [("", "—"), *Rating.choices]


class EvaluationVersionForm(forms.Form):
    """The version of the evaluation the page showed (a hidden field)."""

    version = forms.IntegerField(widget=forms.HiddenInput, **VERSION)


class EvaluationOpenForm(forms.Form):
    """What to open: a sub-period's number or ``annual``."""

    when = forms.CharField(max_length=8)


class EvaluationRateForm(EvaluationVersionForm):
    rating = forms.ChoiceField(label=_("Results rating"), choices=Rating.choices)
    reason = forms.CharField(label=_("Reason for rating otherwise"), **TEXT)


class EvaluationBehaviourForm(EvaluationVersionForm):
    """The overall behaviour rating and, per BerAKHLAK value, a rating with feedback (a value
    left without a rating keeps what it had)."""

    rating = forms.ChoiceField(label=_("Behaviour rating"), choices=Rating.choices)

    def __init__(self, *args, values: tuple[dict[str, Any], ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = [v["code"] for v in values]
        for value in values:
            code = value["code"]
            self.fields[f"value_{code}"] = forms.ChoiceField(
                label=value["name"], choices=OPTIONAL_RATING, required=False
            )
            self.fields[f"feedback_{code}"] = forms.CharField(label=_("Feedback"), **TEXT)

    def clean(self):
        data = super().clean()
        for code in self.codes:
            if data.get(f"feedback_{code}") and not data.get(f"value_{code}"):
                self.add_error(f"value_{code}", _("Give a rating with the feedback."))
        return data

    def values(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {
            code: {"rating": data[f"value_{code}"], "feedback": data.get(f"feedback_{code}", "")}
            for code in self.codes
            if data.get(f"value_{code}")
        }


class EvaluationFeedbackForm(EvaluationVersionForm):
    """Feedback per result of the plan (an empty text removes it)."""

    def __init__(self, *args, results=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.result_ids = [r.pk for r in results]
        for result in results:
            self.fields[f"result_{result.pk}"] = forms.CharField(label=result.text, **TEXT)

    def feedback(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(f"result_{pk}", "") for pk in self.result_ids}
