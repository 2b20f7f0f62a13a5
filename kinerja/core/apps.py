from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kinerja.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from .registry import NavEntry, register_nav

        register_nav(NavEntry(_("Home"), "core:home", None, "home", 0))
