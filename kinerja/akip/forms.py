"""Forms of the AKIP pages: input shapes only; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import GRADE_CHOICES, RecommendationStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StartForm(forms.Form):
    budget_approved_on = forms.DateField(
        label=_("Budget document approved on"), required=False, widget=DateInput()
    )


class AnswerForm(forms.Form):
    grade = forms.ChoiceField(label=pgettext_lazy("LKE", "Answer"), choices=GRADE_CHOICES)
    evidence_note = forms.CharField(
        label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence_link = forms.CharField(label=_("Evidence link"), required=False, max_length=1000)


class RecommendationForm(forms.Form):
    component = forms.ChoiceField(label=_("Component"))
    criterion = forms.ChoiceField(label=_("Criterion"), required=False)
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label=_("Due date"), widget=DateInput())
    responsible_unit = forms.ChoiceField(label=_("Responsible unit"))

    def __init__(self, *args, policy, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["component"].choices = [
            (c.code, f"{c.code}. {c.name}") for c in policy.components
        ]
        self.fields["criterion"].choices = [("", "—")] + [
            (code, f"{code} {c.text[:80]}") for code, c in policy.criteria.items()
        ]
        self.fields["responsible_unit"].choices = [(u.pk, u.name) for u in units[:500]]


class RecommendationEditForm(RecommendationForm):
    status = forms.ChoiceField(label=_("Status"), choices=RecommendationStatus.choices)
    status_note = forms.CharField(
        label=_("Note on the status"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["component"]
        del self.fields["criterion"]


class FollowUpForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(label=_("Follow-up"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence_link = forms.CharField(label=_("Evidence link"), required=False, max_length=1000)


class RefreshForm(forms.Form):
    budget_approved_on = forms.DateField(
        label=_("Budget document approved on"), required=False, widget=DateInput()
    )
