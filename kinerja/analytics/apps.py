from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Each capability registers its own navigation entries and home cards (registry_<part>.py).
PARTS = ("dashboards", "warning", "health", "reports", "network")


class AnalyticsConfig(AppConfig):
    name = "kinerja.analytics"
    label = "analytics"
    verbose_name = _("Dashboards, early warning and reports")

    def ready(self) -> None:
        for part in PARTS:
            import_module(f"{self.name}.registry_{part}").register()
