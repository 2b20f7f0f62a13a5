"""Forms of the risk register's pages. They only gather the values; the services check them
and their refusals are shown beside the fields (`add_service_errors`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.organisations.forms import DATE_WIDGET, TablerFormMixin
from kinerja.organisations.models import Position

from .choices import MitigationStatus, RiskStatus
from .policy import RiskPolicy, entry_label

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class PostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Position) -> str:
        return f"{obj.title} \u2014 {obj.unit.name}"


def _levels(entries) -> list[tuple[str, str]]:
    return [("", "\u2014")] + [
        (str(e["value"]), f"{e['value']} \u2013 {entry_label(e)}") for e in entries
    ]


class RiskForm(TablerFormMixin, forms.Form):
    """A risk's description, levels, owner and next review (create and update)."""

    title = forms.CharField(label=_("Risk"), max_length=300, required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    cause = forms.CharField(label=_("Cause"), widget=TEXTAREA, required=False)
    impact_description = forms.CharField(
        label=_("Impact (consequence)"), widget=TEXTAREA, required=False
    )
    likelihood = forms.ChoiceField(label=_("Likelihood"), required=False)
    impact = forms.ChoiceField(label=_("Impact"), required=False)
    residual_likelihood = forms.ChoiceField(
        label=_("Residual likelihood"),
        required=False,
        help_text=_("After the mitigations work; leave both residual fields empty until known."),
    )
    residual_impact = forms.ChoiceField(label=_("Residual impact"), required=False)
    owner_position = PostChoiceField(
        label=_("Risk owner (post)"),
        queryset=Position.objects.none(),
        required=False,
        help_text=_("Empty: the head of the risk's unit."),
    )
    identified_on = forms.DateField(label=_("Identified on"), widget=DATE_WIDGET, required=False)
    review_on = forms.DateField(label=_("Next review"), widget=DATE_WIDGET, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s, RiskStatus(s).label) for s in RiskStatus.live()],
        required=False,
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=2000, required=False)

    def __init__(self, *args, policy: RiskPolicy, posts, update: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "\u2014"), *policy.category_choices()]
        for name in ("likelihood", "residual_likelihood"):
            self.fields[name].choices = _levels(policy.likelihood)
        for name in ("impact", "residual_impact"):
            self.fields[name].choices = _levels(policy.impact)
        self.fields["owner_position"].queryset = posts
        if update:
            del self.fields["identified_on"]
            self.fields["owner_position"].help_text = ""
        else:
            del self.fields["status"]
            del self.fields["reason"]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("reason", None)
        if "status" in data and not data["status"]:
            data.pop("status")
        for name in ("likelihood", "impact", "residual_likelihood", "residual_impact"):
            data[name] = data.get(name) or None
        return data


class CloseForm(TablerFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Close as"),
        choices=[(s, RiskStatus(s).label) for s in RiskStatus.ended()],
        required=False,
        help_text=_("Accepted: the risk stays, within the appetite, without further treatment."),
    )
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA, required=False)
    closed_on = forms.DateField(label=_("Closed on"), widget=DATE_WIDGET, required=False)


class MitigationForm(TablerFormMixin, forms.Form):
    action = forms.CharField(label=_("Mitigation action"), widget=TEXTAREA, required=False)
    responsible_position = PostChoiceField(
        label=_("Responsible (post)"), queryset=Position.objects.none(), required=False
    )
    responsible_name = forms.CharField(
        label=_("Responsible (name or unit)"),
        max_length=200,
        required=False,
        help_text=_("When no post of the list answers for it."),
    )
    due_on = forms.DateField(label=_("Due date"), widget=DATE_WIDGET, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=MitigationStatus.choices, required=False)
    progress_percent = forms.IntegerField(
        label=_("Progress (%)"), min_value=0, max_value=100, required=False
    )
    progress_note = forms.CharField(label=_("Progress notes"), widget=TEXTAREA, required=False)

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_position"].queryset = posts


class RaiseForm(TablerFormMixin, forms.Form):
    """Raise an at-risk target: the projection and threshold come from the early warning
    (hidden), the rest may be adjusted."""

    projected_percent = forms.CharField(widget=forms.HiddenInput, required=False)
    threshold = forms.CharField(widget=forms.HiddenInput, required=False)
    cause = forms.CharField(
        label=_("Cause"),
        widget=TEXTAREA,
        required=False,
        help_text=_("Empty: the projection against the threshold."),
    )
    impact_description = forms.CharField(
        label=_("Impact (consequence)"),
        widget=TEXTAREA,
        required=False,
        help_text=_("Empty: the year's target is not achieved."),
    )
    owner_position = PostChoiceField(
        label=_("Risk owner (post)"),
        queryset=Position.objects.none(),
        required=False,
        help_text=_("Empty: the head of the target's unit."),
    )

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_position"].queryset = posts
