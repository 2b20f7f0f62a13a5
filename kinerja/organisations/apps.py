from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "kinerja.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from kinerja.core.registry import HomeCard, NavEntry, register_home_card, register_nav
        from kinerja.core.scope import Action

        from . import (
            home,
            importers,  # noqa: F401 - registers the unit, position and employee importers
        )

        register_nav(NavEntry(_("Units"), "organisations:unit_tree", Action.VIEW_ORG, "units", 10))
        register_nav(
            NavEntry(
                _("Employees"), "organisations:employee_list", Action.VIEW_PEOPLE, "employees", 20
            )
        )
        register_nav(
            NavEntry(
                _("Retirement (BUP)"),
                "organisations:retirement_list",
                Action.VIEW_PEOPLE,
                "retirement",
                25,
            )
        )
        register_nav(
            NavEntry(
                _("Acting officials"), "organisations:acting_list", Action.VIEW_PEOPLE, "acting", 27
            )
        )
        register_nav(NavEntry(_("My record"), "organisations:employee_me", "self", "me", 30))
        register_nav(
            NavEntry(_("My reports"), "organisations:my_reports", "reports", "reports", 35)
        )
        for key, order, template, context in (
            ("units", 10, "organisations/partials/_home_units.html", home.units_card),
            ("employees", 20, "organisations/partials/_home_employees.html", home.staff_card),
            ("me", 30, "organisations/partials/_home_me.html", home.me_card),
            ("agency", 40, "organisations/partials/_home_agency.html", home.agency_card),
            ("agencies", 50, "organisations/partials/_home_agencies.html", home.agencies_card),
        ):
            register_home_card(key, HomeCard(template, context, order))
