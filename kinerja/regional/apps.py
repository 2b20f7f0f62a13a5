from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionalConfig(AppConfig):
    name = "kinerja.regional"
    label = "regional"
    verbose_name = _("Development areas and strategic projects (Perpres 80/2019)")

    def ready(self) -> None:
        from . import registry

        registry.register()
