"""`{% audit_history obj %}`: an object's audit events, for callers who may view the audit."""

from __future__ import annotations

from collections import defaultdict

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from kinerja.core.scope import Action

from ..models import AuditEvent

register = template.Library()

HISTORY_LIMIT = 50


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
    describe_changes(events)
    return {"show": True, "events": events, "more": more, "obj": obj}


def describe_changes(events) -> None:
    """Set ``event.change_rows`` to ``[{field, old, new}]`` for each event, readable by people.

    Field names become their verbose names, and keys of related rows (a unit, a position) become
    those rows' names: one query per related model for the whole list.
    """
    pending: dict[type, set] = defaultdict(set)
    parsed = []
    for event in events:
        model = _model(event.target_type)
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
                pending[related].update(v for v in (old, new) if v is not None)
            label = str(field.verbose_name) if field is not None else name
            rows.append({"field": label, "old": old, "new": new, "related": related})
        parsed.append((event, rows))
    names: dict[type, dict[str, str]] = {}
    for related, keys in pending.items():
        names[related] = {
            str(obj.pk): str(obj) for obj in related._default_manager.filter(pk__in=keys)
        }
    for event, rows in parsed:
        for row in rows:
            related = row.pop("related")
            if related is not None:
                lookup = names.get(related, {})
                for side in ("old", "new"):
                    if row[side] is not None:
                        row[side] = lookup.get(str(row[side]), row[side])
        event.change_rows = rows


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
