from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AkipConfig(AppConfig):
    name = "kinerja.akip"
    label = "akip"
    verbose_name = _("Internal AKIP evaluation (PermenPAN-RB 88/2021)")

    def ready(self) -> None:
        from . import registry

        registry.register()
