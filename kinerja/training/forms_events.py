"""Forms of the events pages. They only read input: every rule is checked by
`services.events`, whose refusals the views put back on the fields."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import EventStatus
from .models import Competency, Programme, Speaker, TrainingType

SPEAKER_SLOTS = 4


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _units(scope):
    from kinerja.organisations.models import OrgUnit

    return OrgUnit.objects.filter(instansi_id=scope.instansi_id, depth__lte=1).order_by(
        "sort_key", "pk"
    )


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    purpose = forms.CharField(
        label=_("purpose"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    organiser_unit = forms.ModelChoiceField(
        label=_("organiser unit"), queryset=None, required=False
    )

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser_unit"].queryset = _units(scope)


class EventForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("programme"), queryset=None)
    title = forms.CharField(label=_("title"), max_length=250)
    description = forms.CharField(
        label=_("description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    venue = forms.CharField(label=_("venue"), max_length=250, required=False)
    venue_region = forms.CharField(
        label=_("venue region (Kemendagri code)"), max_length=13, required=False
    )
    starts_on = forms.DateField(label=_("first day"), widget=DateInput())
    ends_on = forms.DateField(label=_("last day"), widget=DateInput())
    organiser_unit = forms.ModelChoiceField(label=_("organiser unit"), queryset=None)
    training_type = forms.ModelChoiceField(
        label=_("training type"), queryset=TrainingType.objects.all()
    )
    audience_kinds = forms.CharField(
        label=_("audience: kinds of post"),
        required=False,
        help_text=_("Codes separated by commas, such as jpt_pratama."),
    )
    audience_eselons = forms.CharField(
        label=_("audience: eselon"),
        required=False,
        help_text=_("Separated by commas, such as II.a, II.b."),
    )
    audience_note = forms.CharField(label=_("audience"), max_length=250, required=False)
    planned_sessions = forms.IntegerField(label=_("planned sessions"), min_value=0, initial=0)
    capacity = forms.IntegerField(label=_("seats"), min_value=0, required=False)
    opened_by = forms.CharField(label=_("opened by"), max_length=200, required=False)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.within(scope)
        self.fields["organiser_unit"].queryset = _units(scope)

    @classmethod
    def initial_of(cls, event) -> dict:
        return {
            "programme": event.programme_id,
            "title": event.title,
            "description": event.description,
            "venue": event.venue,
            "venue_region": event.venue_region.code if event.venue_region_id else "",
            "starts_on": event.starts_on,
            "ends_on": event.ends_on,
            "organiser_unit": event.organiser_unit_id,
            "training_type": event.training_type_id,
            "audience_kinds": ", ".join(event.audience_kinds),
            "audience_eselons": ", ".join(event.audience_eselons),
            "audience_note": event.audience_note,
            "planned_sessions": event.planned_sessions,
            "capacity": event.capacity,
            "opened_by": event.opened_by,
        }


class QuotaForm(forms.Form):
    quotas = forms.CharField(
        label=_("quotas"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One agency a line: its unit code, a colon and the seats (DINKES: 2)."),
    )

    def __init__(self, *args, scope, **kwargs):
        self.scope = scope
        super().__init__(*args, **kwargs)

    def clean_quotas(self) -> dict[int, int]:
        from kinerja.organisations.models import OrgUnit

        out: dict[int, int] = {}
        for number, line in enumerate(self.cleaned_data["quotas"].splitlines(), start=1):
            if not line.strip():
                continue
            code, _sep, seats = line.partition(":")
            unit = OrgUnit.objects.filter(
                instansi_id=self.scope.instansi_id, code=code.strip(), parent__isnull=True
            ).first()
            if unit is None or not seats.strip().isdigit():
                raise ValidationError(
                    _("Line %(n)d: give an agency's code and a number of seats.") % {"n": number}
                )
            out[unit.pk] = int(seats.strip())
        return out


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=EventStatus.choices)
    reason = forms.CharField(label=_("reason"), required=False, max_length=500)


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SessionForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=300)
    objectives = forms.CharField(
        label=_("learning objectives"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    day = forms.DateField(label=_("day"), widget=DateInput())
    start = forms.TimeField(label=_("starts at"), widget=TimeInput())
    end = forms.TimeField(label=_("ends at"), widget=TimeInput())
    room = forms.CharField(label=_("room"), max_length=120, required=False)
    jp = forms.DecimalField(
        label=_("lesson hours (JP)"),
        required=False,
        min_value=0,
        max_digits=5,
        decimal_places=2,
        help_text=_("Empty: the length in lesson hours of 45 minutes, rounded down to a half."),
    )
    published = forms.BooleanField(label=_("subject published"), required=False, initial=True)
    competencies = forms.ModelMultipleChoiceField(
        label=_("competencies"),
        queryset=Competency.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        speakers = Speaker.objects.within(scope)
        for i in range(1, SPEAKER_SLOTS + 1):
            self.fields[f"speaker_{i}"] = forms.ModelChoiceField(
                label=_("speaker %(n)d") % {"n": i}, queryset=speakers, required=False
            )

    @classmethod
    def initial_of(cls, session) -> dict:
        start = timezone.localtime(session.starts_at)
        end = timezone.localtime(session.ends_at)
        initial = {
            "title": session.title,
            "objectives": session.objectives,
            "day": start.date(),
            "start": start.time(),
            "end": end.time(),
            "room": session.room,
            "jp": session.jp,
            "published": session.published,
            "competencies": list(session.competencies.all()),
        }
        for i, link in enumerate(session.speaker_links.order_by("order", "pk"), start=1):
            initial[f"speaker_{i}"] = link.speaker_id
        return initial

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "objectives": data["objectives"],
            "starts_at": timezone.make_aware(dt.datetime.combine(data["day"], data["start"])),
            "ends_at": timezone.make_aware(dt.datetime.combine(data["day"], data["end"])),
            "room": data["room"],
            "jp": data["jp"],
            "published": data["published"],
            "competencies": list(data["competencies"]),
            "speakers": [
                data[f"speaker_{i}"]
                for i in range(1, SPEAKER_SLOTS + 1)
                if data.get(f"speaker_{i}") is not None
            ],
        }


class SpeakerForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    position = forms.CharField(label=_("position"), max_length=250, required=False)
    organisation = forms.CharField(label=_("organisation"), max_length=250, required=False)
    bio = forms.CharField(
        label=_("short bio"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    email = forms.CharField(label=_("e-mail"), required=False, max_length=254)


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=250, required=False)
    file = forms.FileField(label=_("file"))
