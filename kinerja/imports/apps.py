from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "kinerja.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from kinerja.core.registry import NavEntry, register_nav
        from kinerja.core.scope import Action

        register_nav(NavEntry(_("Import"), "imports:import_start", Action.IMPORT, "import", 50))
