"""The figures of the leaders' home pages: vacant structural posts and the staff make-up.

Every figure comes from a fixed number of grouped queries, whatever the number of units or staff:
one over the active staff (grouped by agency, status, grade and kind of post; the three
breakdowns are summed from its rows in Python) and one over the structural posts (grouped by
agency, with the vacant ones counted by a conditional filter). An agency's figures and the
province's table per agency are the same two queries, grouped by agency or not.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from kinerja.core.scope import Action, Scope

from . import retirement
from .choices import EmployeeStatus, PositionKind
from .models import Employee, Position
from .retirement import reaching_bup

# The window of the home pages' "reaching retirement age" figure, in months (one of the
# retirement page's windows, so that the figure links to the list it counts).
BUP_HOME_MONTHS = 12

# Kinds of post that are structural (jabatan struktural); a post with an eselon is structural too.
STRUCTURAL_KINDS = (
    PositionKind.JPT_UTAMA,
    PositionKind.JPT_MADYA,
    PositionKind.JPT_PRATAMA,
    PositionKind.ADMINISTRATOR,
    PositionKind.PENGAWAS,
)
PNS_GROUPS = ("I", "II", "III", "IV")
# PPPK grades (golongan PPPK) I to XVII.
PPPK_GROUPS = (
    *("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"),
    *("X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII"),
)
NO_POST = "none"  # the "kind of post" of staff without a post, as it stands in a filter


def grade_group(status: str, grade: str) -> str:
    """Return the grade group of a grade: the golongan "III" of PNS "III/a", PPPK "IX" itself.

    The one place that groups grades: the home figures, the employee filter and its choices all
    call it. Grades that do not read as one of the groups (and all non-ASN staff) have none ("").
    """
    grade = (grade or "").strip().upper()
    if status == EmployeeStatus.PNS:
        head = grade.split("/", 1)[0].strip()
        return head if head in PNS_GROUPS else ""
    if status == EmployeeStatus.PPPK:
        return grade if grade in PPPK_GROUPS else ""
    return ""


def grade_group_choices() -> list[tuple[str, str]]:
    """Every grade group a filter may name (PNS golongan and PPPK grades share the numerals)."""
    return [(g, g) for g in PPPK_GROUPS]


def structural_q(prefix: str = "") -> Q:
    """Posts that are structural: a structural kind, or an eselon."""
    return Q(**{f"{prefix}kind__in": STRUCTURAL_KINDS}) | ~Q(**{f"{prefix}eselon": ""})


def structural_posts(scope: Scope, on: dt.date | None = None):
    """The active structural posts of active units in the caller's reach."""
    on = on or timezone.localdate()
    return (
        Position.objects.within(scope, Action.VIEW_ORG)
        .filter(structural_q(), is_active=True, unit__valid_from__lte=on)
        .filter(Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=on))
    )


def held() -> Exists:
    """Whether an active employee holds the post (for a queryset of positions)."""
    return Exists(Employee.objects.filter(position=OuterRef("pk"), is_active=True))


def vacant_structural_posts(scope: Scope, on: dt.date | None = None):
    """The active structural posts in the caller's reach that no active employee holds."""
    return structural_posts(scope, on).exclude(held())


@dataclass
class StaffFigures:
    """The staff make-up of one agency (or of the whole reach) and its structural posts."""

    total: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_grade: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    by_kind: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    structural: int = 0
    vacant: int = 0
    bup: int = 0  # civil servants reaching retirement age within BUP_HOME_MONTHS (or past it)

    def add(self, status: str, grade: str, kind: str | None, n: int) -> None:
        self.total += n
        self.by_status[status] += n
        group = grade_group(status, grade)
        if group:
            self.by_grade[(status, group)] += n
        self.by_kind[kind or NO_POST] += n

    def merge(self, other: StaffFigures) -> None:
        """Add another agency's figures to these (for the total row)."""
        self.total += other.total
        for mine, theirs in (
            (self.by_status, other.by_status),
            (self.by_grade, other.by_grade),
            (self.by_kind, other.by_kind),
        ):
            for key, n in theirs.items():
                mine[key] += n
        self.structural += other.structural
        self.vacant += other.vacant
        self.bup += other.bup


def staff_figures(scope: Scope, *, by_agency: bool = False) -> dict[int | None, StaffFigures]:
    """Return the figures of the active staff and posts in the caller's reach.

    Keyed by agency id when ``by_agency``, else one entry keyed None for the whole reach. Three
    queries either way: the staff make-up, the structural posts, the staff reaching BUP within
    ``BUP_HOME_MONTHS``.
    """
    out: dict[int | None, StaffFigures] = defaultdict(StaffFigures)
    staff_keys = ("unit__agency_id",) if by_agency else ()
    rows = (
        Employee.objects.within(scope, Action.VIEW_PEOPLE)
        .active()
        .values_list(*staff_keys, "status", "grade", "position__kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        agency = row[0] if by_agency else None
        status, grade, kind, n = row[-4:]
        out[agency].add(status, grade, kind, n)
    posts = structural_posts(scope).order_by()
    counts = {"structural": Count("pk"), "vacant": Count("pk", filter=~Q(held()))}
    if by_agency:
        rows = posts.values("unit__agency_id").annotate(**counts)
    else:
        rows = [posts.aggregate(**counts)]
    for row in rows:
        figures = out[row.get("unit__agency_id")]
        figures.structural, figures.vacant = row["structural"], row["vacant"]
    retiring = reaching_bup(
        Employee.objects.within(scope, Action.VIEW_PEOPLE),
        today=retirement.today(),
        months=BUP_HOME_MONTHS,
    ).order_by()
    if by_agency:
        for agency, n in retiring.values_list("unit__agency_id").annotate(n=Count("pk")):
            out[agency].bup = n
    else:
        out[None].bup = retiring.count()
    return out
