"""`{% audit_history obj %}` and the helpers that make audit events readable by people."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kinerja.core.formatting import format_nip
from kinerja.core.scope import Action

from ..models import AuditEvent
from ..sealing import audit_key, event_seal, same

register = template.Library()

HISTORY_LIMIT = 50
EMPTY = "—"
# The active language's formats (kinerja/formats/): "1 Januari 2017", "1 Januari 2017, 08.30".
DATE_FORMAT = "DATE_FORMAT"
DATETIME_FORMAT = "DATETIME_FORMAT"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@register.inclusion_tag("audit/partials/_history.html", takes_context=True)
def audit_history(context, obj, unit=None, limit=HISTORY_LIMIT):
    """Render the latest events about ``obj``.

    Shown only when the caller has view_audit on the object's unit: ``unit`` when given, else
    the object itself when it is a unit (has a ``path``), else ``obj.unit``.
    """
    request = context.get("request")
    scope = getattr(request, "scope", None)
    unit = unit or (obj if hasattr(obj, "path") else getattr(obj, "unit", None))
    path = getattr(unit, "path", None)
    if scope is None or not path or not scope.can(Action.VIEW_AUDIT, path):
        return {"show": False}
    events = list(
        AuditEvent.objects.within(scope).for_object(obj).order_by("-sequence")[: limit + 1]
    )
    more = len(events) > limit
    events = events[:limit]
    describe_events(events)
    return {"show": True, "events": events, "more": more, "obj": obj}


@register.filter
def audit_time(value: dt.datetime | None) -> str:
    """Return the event's time as people read it: "1 Januari 2017, 08.30" in Indonesian."""
    if value is None:
        return EMPTY
    return date_format(timezone.localtime(value), DATETIME_FORMAT)


def describe_events(events) -> None:
    """Make each event readable by people, for a whole page at once.

    Sets ``actor_label`` ("Sistem" when no person acted), ``target_label`` (the kind of object,
    from the target model's verbose name), ``intact`` (the event still matches its keyed hash)
    and ``change_rows``: ``[{field, old, new}]`` with field labels from the target model's
    verbose names and values as people read them: names of related rows instead of their keys
    (one query per related model for the whole page), choice labels, yes/no, and dates as
    "1 Januari 2017".
    """
    key = audit_key()
    pending: dict[type[models.Model], set] = defaultdict(set)
    parsed = []
    for event in events:
        model = _model(event.target_type)
        event.actor_label = event.actor_repr if event.actor_id else _("System")
        event.target_label = capfirst(model._meta.verbose_name) if model is not None else ""
        event.intact = same(event_seal(event, key), event.hash)
        rows = []
        changes = event.changes if isinstance(event.changes, dict) else {}
        for name, value in changes.items():
            if isinstance(value, list | tuple) and len(value) == 2:
                old, new = value
            else:
                old, new = None, value
            field = _field(model, name)
            related = field.related_model if field is not None and field.many_to_one else None
            if related is not None:
                pending[related].update(v for v in (old, new) if v not in (None, ""))
            label = capfirst(field.verbose_name) if field is not None else name
            rows.append({"field": label, "old": old, "new": new, "_field": field, "_rel": related})
        parsed.append((event, rows))
    names = {related: _names(related, keys) for related, keys in pending.items()}
    for event, rows in parsed:
        for row in rows:
            field, related = row.pop("_field"), row.pop("_rel")
            for side in ("old", "new"):
                row[side] = _readable(row[side], field, names.get(related) if related else None)
        event.change_rows = rows


def _names(related: type[models.Model], keys: set) -> dict[str, str]:
    try:
        rows = related._default_manager.filter(pk__in=keys)
        return {str(obj.pk): str(obj) for obj in rows}
    except (ValueError, TypeError, ValidationError):
        return {}


def _readable(value: Any, field: models.Field | None, names: dict[str, str] | None) -> Any:
    """Return ``value`` (as stored in the event's JSON) as people read it; None stays None."""
    if value is None:
        return None
    if value == "":
        return EMPTY
    if names is not None:
        return names.get(str(value), value)
    if field is not None and field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str):
        if field is not None and field.name == "nip":
            return format_nip(value)
        if isinstance(field, models.DateTimeField) or (field is None and ISO_DATETIME.match(value)):
            moment = parse_datetime(value)
            if moment is not None:
                if timezone.is_aware(moment):
                    moment = timezone.localtime(moment)
                return date_format(moment, DATETIME_FORMAT)
        if isinstance(field, models.DateField) or ISO_DATE.match(value):
            try:
                day = parse_date(value[:10])
            except ValueError:
                day = None
            if day is not None:
                return date_format(day, DATE_FORMAT)
    return value


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
