from __future__ import annotations

from django.db import models

from kinerja.core.querysets import ScopedQuerySet
from kinerja.core.scope import Action


class AuditEventQuerySet(ScopedQuerySet):
    """The events of the instansi in the units where the caller may view the audit, by the unit
    path sealed into each event (six-digit paths of events written before the paths widened
    match too: sealed events are never rewritten)."""

    scope_path = "unit_path"
    scope_action = Action.VIEW_AUDIT
    scope_legacy_paths = True

    def for_object(self, obj: models.Model) -> AuditEventQuerySet:
        return self.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))
