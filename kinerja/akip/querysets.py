"""Who reads the AKIP evaluations, written once here.

The evaluation is the Inspektorat's work on an agency, so reach follows roles, not only the
actions of `kinerja.core.scope.Action` (view_planning would open every sheet to BKD and BPSDM,
view_audit to BKD): a grant's ``role`` says who holds it.

- Across the instansi: the Inspektorat and the system administrator (who fill the sheets),
  the leadership and Bappeda (who read them all).
- An agency's head and administrator: the sheets of the agencies inside their grant's subtree
  (their own agency).
- Anyone else: none (403 on the pages; a sheet out of reach answers 404).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from kinerja.core.scope import Scope

EVALUATOR_ROLES = frozenset({"inspektorat", "system_admin"})
WIDE_READER_ROLES = EVALUATOR_ROLES | {"leadership", "bappeda"}
AGENCY_ROLES = frozenset({"opd_head", "opd_admin"})
_NOTHING = Q(pk__in=[])


def _wide(scope: Scope, roles: frozenset[str]) -> bool:
    return any(g.role in roles and g.unit_path is None and not g.by_posts for g in scope.grants)


def evaluates(scope: Scope) -> bool:
    """Fills the sheets: the Inspektorat (or the system administrator) across the instansi."""
    return scope.instansi_id is not None and _wide(scope, EVALUATOR_ROLES)


def reads_all(scope: Scope) -> bool:
    return scope.instansi_id is not None and _wide(scope, WIDE_READER_ROLES)


def agency_paths(scope: Scope) -> list[str]:
    """The subtree paths of the caller's agency grants (head, administrator)."""
    return [
        g.unit_path
        for g in scope.grants
        if g.role in AGENCY_ROLES and g.unit_path is not None and not g.by_posts
    ]


def reads_any(scope: Scope) -> bool:
    return reads_all(scope) or bool(agency_paths(scope))


def acts_for_agency(scope: Scope, agency) -> bool:
    """The agency's head or administrator (a grant covering the agency)."""
    return scope.instansi_id == agency.instansi_id and any(
        agency.path.startswith(path) for path in agency_paths(scope)
    )


class _AkipQuerySet(models.QuerySet):
    agency_path = "agency__path"
    instansi_field = "instansi_id"

    def within(self, scope: Scope):
        if scope.instansi_id is None:
            return self.none()
        qs = self.filter(**{self.instansi_field: scope.instansi_id})
        if reads_all(scope):
            return qs
        q = _NOTHING
        for path in agency_paths(scope):
            part = Q(**{f"{self.agency_path}__startswith": path})
            q = part if q is _NOTHING else q | part
        return qs.filter(q)


class EvaluationQuerySet(_AkipQuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)


class AnswerQuerySet(_AkipQuerySet):
    agency_path = "evaluation__agency__path"
    instansi_field = "evaluation__instansi_id"


class RecommendationQuerySet(_AkipQuerySet):
    agency_path = "evaluation__agency__path"

    def open(self):
        return self.exclude(status__in=("done", "dropped"))
