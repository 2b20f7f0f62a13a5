"""The caller's reach, computed once per request and used by every scoped read.

`Scope` is a plain frozen value so that domain apps can narrow querysets without importing the
accounts app. A scope is a list of grants; each grant names the actions it allows and where:
across the whole instansi (``unit_path`` is None) or within one org unit's subtree (the unit's
materialised path, so a subtree is a ``startswith`` on an indexed column).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from . import paths as unit_paths


class Action:
    """The actions a grant can carry. Names are stable: they are stored in role policy."""

    VIEW_ORG = "view_org"  # units and positions
    CHANGE_ORG = "change_org"
    VIEW_PEOPLE = "view_people"  # employees and their history
    CHANGE_PEOPLE = "change_people"
    IMPORT = "import"
    EXPORT = "export"
    VIEW_AUDIT = "view_audit"
    MANAGE_ACCESS = "manage_access"
    # Performance planning: reading the plans, and who sets up what.
    VIEW_PLANNING = "view_planning"  # periods, goals, indicators, targets
    MANAGE_PERIODS = "manage_periods"  # the year, its sub-periods, late-entry windows
    MANAGE_GOALS = "manage_goals"  # the regional plan (RPJMD) tree, the indicator library
    MANAGE_PLANS = "manage_plans"  # an agency's strategic plan (Renstra), indicators, targets
    # Training: the organiser (BPSDM) runs programmes and events across the instansi; an agency
    # nominates its own staff within its quota.
    MANAGE_TRAINING = "manage_training"
    NOMINATE = "nominate"

    ALL = frozenset(
        {
            VIEW_ORG,
            CHANGE_ORG,
            VIEW_PEOPLE,
            CHANGE_PEOPLE,
            IMPORT,
            EXPORT,
            VIEW_AUDIT,
            MANAGE_ACCESS,
            VIEW_PLANNING,
            MANAGE_PERIODS,
            MANAGE_GOALS,
            MANAGE_PLANS,
            MANAGE_TRAINING,
            NOMINATE,
        }
    )


@dataclass(frozen=True)
class Grant:
    """Actions allowed across the instansi (``unit_path=None``) or in one unit subtree.

    A grant with ``position_ids`` reaches neither: it reaches the holders of those posts only
    (an evaluator's reports down the reporting lines, computed once when the scope is built).
    """

    actions: frozenset[str]
    unit_path: str | None = None
    role: str = ""
    position_ids: frozenset[int] | None = None

    @property
    def by_posts(self) -> bool:
        return self.position_ids is not None


@dataclass(frozen=True)
class Scope:
    """What one caller may reach: an instansi, the grants within it, and their own employee."""

    instansi_id: int | None = None
    grants: tuple[Grant, ...] = ()
    employee_id: int | None = None
    user_id: int | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    has_reports: bool = False  # the caller's posts have reports today (the "My reports" page)

    @classmethod
    def empty(cls) -> Scope:
        return cls()

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def can(self, action: str, unit_path: str | None = None) -> bool:
        """Return whether ``action`` is allowed anywhere, or on the unit with ``unit_path``."""
        for grant in self.grants:
            if action not in grant.actions:
                continue
            if grant.by_posts:
                if unit_path is None:
                    return True
                continue
            if unit_path is None or grant.unit_path is None:
                return True
            if unit_path.startswith(grant.unit_path):
                return True
        return False

    def can_anywhere(self, action: str) -> bool:
        return any(action in grant.actions for grant in self.grants)

    def paths_for(self, action: str) -> list[str] | None:
        """Return the subtree paths where ``action`` is allowed; None means the whole instansi."""
        paths: list[str] = []
        for grant in self.grants:
            if action not in grant.actions or grant.by_posts:
                continue
            if grant.unit_path is None:
                return None
            paths.append(grant.unit_path)
        return paths

    def post_ids_for(self, action: str) -> frozenset[int]:
        """Return the posts reached by post grants (an evaluator's reports) for ``action``."""
        ids: set[int] = set()
        for grant in self.grants:
            if grant.by_posts and action in grant.actions:
                ids.update(grant.position_ids)
        return frozenset(ids)

    def unit_q(
        self, action: str, path_field: str, post_field: str | None = None, *, legacy: bool = False
    ) -> Q:
        """Return a Q that keeps rows whose unit path (``path_field``) lies in the grants.

        With ``post_field`` (the row's post id), rows whose post a post grant reaches are kept
        too: one ``IN`` on an indexed column. With ``legacy``, paths stored in the former
        six-digit format match too (sealed audit events). An empty Q means the whole instansi;
        ``Q(pk__in=[])`` means nothing.
        """
        paths = self.paths_for(action)
        if paths is None:
            return Q()
        q = Q()
        for path in _outermost(paths):
            q |= Q(**{f"{path_field}__startswith": path})
            old = unit_paths.legacy(path) if legacy else None
            if old is not None:
                q |= Q(**{f"{path_field}__startswith": old})
        if post_field is not None:
            posts = self.post_ids_for(action)
            if posts:
                q |= Q(**{f"{post_field}__in": sorted(posts)})
        return q if q else Q(pk__in=[])


def _outermost(paths: list[str]) -> list[str]:
    """Drop paths that lie inside another path of the list, so the OR stays short."""
    kept: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept
