"""Filters shared by every app's FilterSets, for the pages and the API alike."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

# The largest id a 64-bit primary key holds; SQLite cannot even compare with a larger number.
MAX_ID = 2**63 - 1
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


class IdField(forms.IntegerField):
    """An id typed into a URL: a whole number from 1 to MAX_ID, or a clear error."""

    default_error_messages = {
        "invalid": _("Give an id: a whole number from 1 to %(max)s."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault("step_size", None)
        super().__init__(**kwargs)

    def clean(self, value):
        # One message for text, fractions and numbers out of range: they are all "not an id".
        try:
            return super().clean(value)
        except forms.ValidationError as exc:
            if getattr(exc, "code", None) == "required":
                raise
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"max": MAX_ID}
            ) from exc


@extend_schema_field(ID_SCHEMA)
class IdFilter(django_filters.NumberFilter):
    """Filter by an id; one beyond 64 bits is a 400 with a message, never a database error."""

    field_class = IdField
