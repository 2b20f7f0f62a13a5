"""Who answers for a target's realisations: its holder (who enters and submits them) and its
verifier (who verifies them or returns them with a comment).

Each kind of target resolves its parties its own way; a resolver is registered with
`register_target_parties` and `target_parties` asks each in turn, latest registered first,
until one answers. A resolver takes the target and a day and answers
``(holder_employee_id, verifier_employee_id)``, or None when the target is not of its kind.
The built-in resolver (registered first, asked last) knows two kinds:

- a target of the current performance agreement (PK) of its year: the agreement's first party
  holds it, the second party verifies;
- any other agency or unit target: the holder of the indicator's unit's head post on the day,
  verified by whoever answers above that post in the reporting lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

Parties = tuple[int | None, int | None]
Resolver = Callable[..., Parties | None]

_resolvers: list[Resolver] = []


def register_target_parties(fn: Resolver) -> Resolver:
    """Register ``fn(target, on)`` (usable as a decorator). Registering twice is harmless."""
    if fn not in _resolvers:
        _resolvers.append(fn)
    return fn


def target_parties(target, on: dt.date | None = None) -> Parties:
    """The holder and verifier employee ids of ``target`` on ``on`` (today when left out);
    ``(None, None)`` when nobody answers for it (a province target: administrators enter)."""
    on = on or timezone.localdate()
    for resolver in reversed(_resolvers):
        found = resolver(target, on)
        if found is not None:
            return found
    return (None, None)


def agreement_or_unit_parties(target, on: dt.date) -> Parties | None:
    from kinerja.organisations.selectors import holders_and_superior_of_post

    from .models import AgreementTarget
    from .services import head_post_on

    row = (
        AgreementTarget.objects.filter(
            target=target, agreement__is_current=True, agreement__year=target.year
        )
        .select_related("agreement")
        .first()
    )
    if row is not None and row.agreement.first_party_id:
        return (row.agreement.first_party_id, row.agreement.second_party_id)
    unit = target.indicator.unit
    if unit is None:
        return None
    post = head_post_on(unit, on)
    if post is None:
        return None
    holders, boss = holders_and_superior_of_post(post, on)
    if not holders:
        return None
    return (holders[0].employee.pk, boss.employee.pk if boss else None)


register_target_parties(agreement_or_unit_parties)


def plan_parties(target, on: dt.date) -> Parties | None:
    """An individual indicator (IKI) of an employee plan (SKP): the plan's employee holds it,
    the evaluator kept on the plan verifies it (not whoever is above them today: the plan was
    agreed with that evaluator). None for any other target, without a query."""
    if target.indicator.result_id is None:
        return None
    from .services.skp import skp_target_parties

    return skp_target_parties(target)


register_target_parties(plan_parties)
