"""A verifier for the agency heads' targets, for the benchmark's verification queue.

In the demo province every target belongs to an agency and is held by its head, whose post
reports to no one (an agency is at the top of the unit tree), so no employee verifies it: the
plan keepers do, and no verifier has a queue. Employee plans (SKP) bring targets held by staff
and verified by their superiors; until the demo has them, this site gives the head's targets
a verifier: whoever holds the head post of the first agency of the tree (in the demo, the
regional secretary, who answers for the agency heads). The targets that already have a verifier
keep it. Registered by ``urls.py``, so in the benchmark's server only.
"""

from __future__ import annotations

import functools

from kinerja.organisations.models import Position
from kinerja.organisations.selectors import holders_of
from kinerja.performance.parties import agreement_or_unit_parties, register_target_parties


@functools.cache
def secretary_post(instansi_id: int) -> int | None:
    """The post's id, read once a process (the benchmark does not change the unit tree)."""
    return (
        Position.objects.filter(instansi_id=instansi_id, is_head=True, unit__parent__isnull=True)
        .order_by("unit__sort_key", "pk")
        .values_list("pk", flat=True)
        .first()
    )


@register_target_parties
def head_verified_by_the_secretary(target, on):
    found = agreement_or_unit_parties(target, on)
    if found is None or found[0] is None or found[1] is not None:
        return found
    post = secretary_post(target.instansi_id)
    holders = holders_of(post, on) if post is not None else []
    if not holders or holders[0].employee.pk == found[0]:
        return found
    return (found[0], holders[0].employee.pk)
