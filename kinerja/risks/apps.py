from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "kinerja.risks"
    label = "risks"
    verbose_name = _("Risk register (Perpres 39/2023)")

    def ready(self) -> None:
        from . import registry

        registry.register()
