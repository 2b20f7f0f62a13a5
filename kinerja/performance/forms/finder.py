"""Forms of the collaboration finder's pages. They parse input; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.organisations.models import OrgUnit

from ..services import FIRST_YEAR, LAST_YEAR
from . import PlanningForm


class RunForm(PlanningForm):
    """Run the finder over the agency indicators of a year."""

    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)


class AcceptForm(PlanningForm):
    """Accept a candidate: which of the two agencies leads, the weight proposed to the other
    and the collaboration's title."""

    lead_unit = forms.ModelChoiceField(
        label=_("Lead agency"),
        queryset=OrgUnit.objects.none(),
        empty_label=None,
        help_text=_(
            "Its indicator's target of the year becomes the shared target; it enters the "
            "realisation."
        ),
    )
    weight = forms.DecimalField(
        label=_("Contribution weight of the other agency (%)"),
        max_digits=5,
        decimal_places=2,
        help_text=_("Moved from the lead's share when the other agency accepts the invitation."),
    )
    title = forms.CharField(label=_("Title of the collaboration"), max_length=300)
    data_fields = ("lead_unit", "weight", "title")

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = agencies


class DismissForm(PlanningForm):
    """Dismiss a candidate with the reason."""

    reason = forms.CharField(
        label=_("Reason for dismissing"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
