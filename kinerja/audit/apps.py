from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "kinerja.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from kinerja.core.registry import NavEntry, register_nav
        from kinerja.core.scope import Action

        register_nav(NavEntry(_("Audit trail"), "audit:event_list", Action.VIEW_AUDIT, "audit", 60))
