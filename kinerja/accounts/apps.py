from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kinerja.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Registers the token scheme with drf-spectacular before any schema is generated.
        from django.contrib.auth.signals import user_logged_in

        from kinerja.core.registry import HomeCard, NavEntry, register_home_card, register_nav
        from kinerja.core.scope import Action

        from . import schema  # noqa: F401
        from .context_processors import request_uses_api
        from .home import identity_card
        from .middleware import stamp_session_on_login

        user_logged_in.connect(stamp_session_on_login, dispatch_uid="kinerja.session_stamp")

        register_nav(
            NavEntry(
                _("Accounts and roles"), "accounts:grant_list", Action.MANAGE_ACCESS, "access", 70
            )
        )
        # The API's documentation, for those who use the API (see context_processors.uses_api).
        register_nav(NavEntry(_("API"), "api-docs", request_uses_api, "api", 900))
        register_home_card(
            "identity", HomeCard("accounts/partials/_home_identity.html", identity_card, 0)
        )
