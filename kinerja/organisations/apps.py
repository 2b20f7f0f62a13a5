from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "kinerja.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from . import excel  # noqa: F401 - registers the unit, position and employee importers
