from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kinerja.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from .registry import NavEntry, register_nav

        register_nav(NavEntry(_("Home"), "core:home", None, "home", 0))
        post_migrate.connect(_statistics_after_migrate, sender=self)


def _statistics_after_migrate(sender, using="default", **kwargs) -> None:
    """A table a migration rebuilt on SQLite lost its planner statistics: gather them again."""
    from .db import analyze_unanalyzed

    analyze_unanalyzed(using)
