from __future__ import annotations

from django.db import models

from kinerja.core.scope import Action, Scope


class AuditEventQuerySet(models.QuerySet):
    def within(self, scope: Scope) -> AuditEventQuerySet:
        """Keep the events of the instansi in the units where the caller may view the audit."""
        if scope.instansi_id is None:
            return self.none()
        qs = self.filter(instansi_id=scope.instansi_id)
        return qs.filter(scope.unit_q(Action.VIEW_AUDIT, "unit_path"))

    def for_object(self, obj: models.Model) -> AuditEventQuerySet:
        return self.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))
