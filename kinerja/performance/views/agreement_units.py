"""The agreement start form's searchable unit select: its JSON lookup."""

from __future__ import annotations

from kinerja.core.scope import Action
from kinerja.organisations.views import LookupView

from ..lookups import agreement_unit_options


class AgreementUnitLookupView(LookupView):
    """Units an agreement may be started for (the start form's searchable select, JSON)."""

    required_action = Action.MANAGE_PLANS

    def options(self, request, query):
        return agreement_unit_options(request.scope, query)
