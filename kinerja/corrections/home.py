"""The corrections' cards on the home page: my requests, and the queue of those who decide."""

from __future__ import annotations

from typing import Any

from kinerja.audit.freshness import kept
from kinerja.core.scope import Action

from .models import CorrectionRequest


def mine_card(request) -> dict[str, Any] | None:
    scope = request.scope
    if not scope.employee_id:
        return None
    pending = kept(
        "home.corrections.mine",
        lambda: CorrectionRequest.objects.filter(employee_id=scope.employee_id).pending().count(),
        scope=scope,
        request=request,
    )
    return {"my_pending": pending}


def queue_card(request) -> dict[str, Any] | None:
    scope = request.scope
    if not scope.can_anywhere(Action.CHANGE_PEOPLE):
        return None
    count = kept(
        "home.corrections.queue",
        lambda: CorrectionRequest.objects.to_decide(scope).count(),
        scope=scope,
        request=request,
    )
    return {"to_decide": count}
