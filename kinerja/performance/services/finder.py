"""Writes of the collaboration finder: a run (find the candidates of a year), accepting a
candidate (the shared target is created through the collaboration services) and dismissing
one. Bappeda's: manage_goals across the instansi. Atomic and audited."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record
from kinerja.core.scope import Action, Scope
from kinerja.organisations.models import Instansi, OrgUnit

from .. import selectors_finder as selectors
from ..finder import find_pairs, finder_policy
from ..models import (
    CandidateStatus,
    Collaboration,
    CollaborationCandidate,
    CollaborationMember,
    CollaborationStatus,
    Target,
)
from . import _check_year, _instansi_wide, _same_instansi
from . import collaboration as collaborations


@dataclass
class RunSummary:
    """What one run found and did."""

    year: int
    indicators: int
    scored: int
    proposed: int  # new candidates
    updated: int  # proposed ones found again (score refreshed)
    withdrawn: int  # proposed ones of the year no longer found (removed)
    decided: int  # pairs found again that were decided before (left as they are)
    together: int  # pairs found that already work together (not proposed)
    standard: int  # indicators set aside as standard (kept by many agencies alike)
    self_named: int  # indicators set aside as naming their own agency
    threshold: float
    seconds: float


def _score(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.0001"))


@transaction.atomic
def finder_run(
    *,
    actor,
    scope: Scope,
    instansi: Instansi,
    year: Any,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
) -> RunSummary:
    """Compare the agency indicators of ``year`` and propose the pairs of two agencies scoring
    at least the policy's threshold, neither working together already nor decided before. A
    proposed candidate found again gets its new score; a proposed one of the year no longer
    found is withdrawn (removed); accepted and dismissed ones are never touched."""
    _instansi_wide(scope, Action.MANAGE_GOALS)
    _check_year(year)
    started = time.monotonic()
    policy = finder_policy()
    docs, agency = selectors.agency_documents(instansi_id=instansi.pk, year=year)
    result = find_pairs(docs, policy, progress=progress)
    pairs_together = selectors.working_together(instansi_id=instansi.pk)
    existing = {
        (c.indicator_a_id, c.indicator_b_id): c
        for c in CollaborationCandidate.objects.filter(instansi=instansi).select_for_update()
    }
    new, changed, found = [], [], set()
    decided = joint = 0
    for pair in result.pairs:
        key = (pair.a, pair.b)
        if selectors.together(pairs_together, pair.a, agency[pair.a], pair.b, agency[pair.b]):
            joint += 1
            continue
        found.add(key)
        old = existing.get(key)
        score = _score(pair.score)
        if old is None:
            new.append(
                CollaborationCandidate(
                    instansi=instansi,
                    year=year,
                    indicator_a_id=pair.a,
                    indicator_b_id=pair.b,
                    unit_a_id=agency[pair.a],
                    unit_b_id=agency[pair.b],
                    score=score,
                    terms=list(pair.terms),
                )
            )
        elif old.status != CandidateStatus.PROPOSED:
            decided += 1
        elif (old.score, old.terms, old.year) != (score, list(pair.terms), year):
            old.score, old.terms, old.year = score, list(pair.terms), year
            changed.append(old)
    CollaborationCandidate.objects.bulk_create(new, batch_size=500)
    CollaborationCandidate.objects.bulk_update(changed, ["score", "terms", "year"], batch_size=500)
    stale = [
        c.pk
        for key, c in existing.items()
        if c.status == CandidateStatus.PROPOSED and c.year == year and key not in found
    ]
    CollaborationCandidate.objects.filter(pk__in=stale).delete()
    summary = RunSummary(
        year=year,
        indicators=result.documents,
        scored=result.scored,
        proposed=len(new),
        updated=len(changed),
        withdrawn=len(stale),
        decided=decided,
        together=joint,
        standard=len(result.standard),
        self_named=len(result.self_named),
        threshold=policy.threshold,
        seconds=round(time.monotonic() - started, 2),
    )
    counts = {k: v for k, v in asdict(summary).items() if k != "seconds"}
    record(
        actor=actor,
        action="collaboration_candidate.run",
        target=instansi,
        instansi_id=instansi.pk,
        changes={k: [None, v] for k, v in counts.items()}
        | {"policy": [None, policy.valid_from.isoformat()]},
    )
    return summary


def _lock(candidate: CollaborationCandidate) -> CollaborationCandidate:
    locked = (
        CollaborationCandidate.objects.select_for_update()
        .select_related("indicator_a", "indicator_b", "unit_a", "unit_b")
        .get(pk=candidate.pk)
    )
    if locked.status != CandidateStatus.PROPOSED:
        raise ValidationError(
            {
                "status": _("This candidate has already been decided: it is %(status)s.")
                % {"status": locked.get_status_display().lower()}
            }
        )
    return locked


def _moved(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    """The collaboration service's refusal with its fields renamed to the accept form's."""
    if not hasattr(exc, "error_dict"):
        return exc
    out: dict[str, list] = {}
    for name, errors in exc.error_dict.items():
        out.setdefault(names.get(name, "__all__"), []).extend(errors)
    return ValidationError(out)


ACCEPT_FIELDS = {"target": "lead_unit", "lead_unit": "lead_unit", "unit": "lead_unit"}
ACCEPT_FIELDS |= {"title": "title", "weight": "weight", "status": "lead_unit"}


@transaction.atomic
def candidate_accept(
    *,
    actor,
    scope: Scope,
    candidate: CollaborationCandidate,
    lead_unit: Any,
    weight: Any,
    title: str,
) -> CollaborationCandidate:
    """Accept a candidate: the lead agency's indicator's target of the candidate's year
    becomes a shared target (`collaboration_create`, or the lead's open collaboration on it
    already) and the other agency is invited with ``weight`` (`collaboration_invite`); the
    invited agency then answers the invitation on the collaboration's page, as every member
    does. The collaboration services' rules apply and their refusals come back here."""
    _instansi_wide(scope, Action.MANAGE_GOALS)
    candidate = _lock(candidate)
    if not isinstance(lead_unit, OrgUnit) or lead_unit.pk not in (
        candidate.unit_a_id,
        candidate.unit_b_id,
    ):
        raise ValidationError(
            {"lead_unit": _("Choose one of the two agencies of the candidate to lead.")}
        )
    _same_instansi(candidate.instansi_id, lead_unit)
    if lead_unit.pk == candidate.unit_a_id:
        indicator, member = candidate.indicator_a, candidate.unit_b
    else:
        indicator, member = candidate.indicator_b, candidate.unit_a
    target = Target.objects.filter(indicator=indicator, year=candidate.year).first()
    if target is None:
        raise ValidationError(
            {
                "lead_unit": _(
                    "%(agency)s has no target of %(year)d for %(indicator)s: set it first, or "
                    "let the other agency lead."
                )
                % {"agency": lead_unit.name, "year": candidate.year, "indicator": indicator.name}
            }
        )
    call = {"actor": actor, "scope": scope}
    collaboration = Collaboration.objects.filter(target=target).first()
    try:
        if collaboration is None:
            collaboration = collaborations.collaboration_create(
                **call,
                instansi=lead_unit.instansi,
                data={"target": target, "title": title},
            )
        elif collaboration.status != CollaborationStatus.OPEN:
            raise ValidationError(
                {
                    "lead_unit": _(
                        "This target is already shared in a closed collaboration: open it "
                        "again or let the other agency lead."
                    )
                }
            )
        collaborations.collaboration_invite(
            **call,
            collaboration=collaboration,
            version=collaboration.version,
            unit=member,
            weight=weight,
        )
    except ValidationError as exc:
        raise _moved(exc, ACCEPT_FIELDS) from None
    now = timezone.now()
    candidate.status = CandidateStatus.ACCEPTED
    candidate.decided_by = actor if getattr(actor, "pk", None) else None
    candidate.decided_at = now
    candidate.collaboration = collaboration
    candidate.save(update_fields=["status", "decided_by", "decided_at", "collaboration"])
    invited = CollaborationMember.objects.get(collaboration=collaboration, unit=member)
    record(
        actor=actor,
        action="collaboration_candidate.accept",
        target=candidate,
        instansi_id=candidate.instansi_id,
        unit=lead_unit,
        changes={
            "status": ["proposed", "accepted"],
            "collaboration": [None, collaboration.pk],
            "lead_unit": [None, lead_unit.pk],
            "weight": [None, f"{invited.weight.normalize():f}"],
        },
    )
    return candidate


@transaction.atomic
def candidate_dismiss(
    *, actor, scope: Scope, candidate: CollaborationCandidate, reason: str
) -> CollaborationCandidate:
    """Dismiss a candidate with the reason; the pair is not proposed again."""
    _instansi_wide(scope, Action.MANAGE_GOALS)
    candidate = _lock(candidate)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for dismissing the candidate.")})
    candidate.status = CandidateStatus.DISMISSED
    candidate.reason = reason[:2000]
    candidate.decided_by = actor if getattr(actor, "pk", None) else None
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    record(
        actor=actor,
        action="collaboration_candidate.dismiss",
        target=candidate,
        instansi_id=candidate.instansi_id,
        changes={"status": ["proposed", "dismissed"]},
        reason=candidate.reason,
    )
    return candidate


__all__ = ["RunSummary", "candidate_accept", "candidate_dismiss", "finder_run"]
