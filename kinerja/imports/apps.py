import sys

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
        if sys.argv[1:2] == ["db_worker"]:
            # django-tasks has no periodic tasks: the worker process reaps dead jobs itself,
            # at start and then every half timeout, from a thread of its own.
            from .jobs import start_reaper

            start_reaper()
