"""The entry form of other training for the development-hours ledger. It only carries the
values: the rules are the service's (`services.ledger.clean_record`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .ledger_rules import UNIT_LABELS
from .models import TrainingType


class DevelopmentRecordForm(forms.Form):
    nip = forms.CharField(label=_("Employee's NIP"), max_length=40)
    training_type = forms.ModelChoiceField(
        label=_("Training type"), queryset=TrainingType.objects.all(), to_field_name="code"
    )
    title = forms.CharField(label=_("Title"), max_length=250)
    organiser = forms.CharField(label=_("Organiser"), max_length=250, required=False)
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Last day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=6, decimal_places=2, min_value=0)
    quantity_unit = forms.ChoiceField(label=_("Unit"), choices=list(UNIT_LABELS.items()))
    year = forms.IntegerField(
        label=_("Ledger year"),
        required=False,
        min_value=1950,
        max_value=2999,
        help_text=_("Empty: the year of the last day."),
    )
    certificate_number = forms.CharField(
        label=_("Certificate number"), max_length=100, required=False
    )


class DevelopmentRecordEditForm(DevelopmentRecordForm):
    """The same fields without the employee: a record stays with its person."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["nip"]
