"""Reads of the reporting lines: who holds a post, who is whose superior, on a given day.

The rules, in one place:

- An employee's post on a day is their assignment that covers it. ``Assignment.valid_to`` is the
  last day of the post, the day before the next one starts (``services._reassign`` writes it
  so, as every dated row ends), so on a transfer day the new post counts, the day before the
  old one.
- A post's line on a day is the ``ReportingLine`` that covers it.
- A post's holders on a day: its acting officials (``ActingAssignment``, Plt or Plh) first,
  then its definitive holders (earliest start first). An acting official wins over a definitive
  holder for the period of the decree (a Plh while the holder is away).
- The superior of an employee is the first holder of the post their post reports to; a vacant
  post passes the question up its own line. The employee never is their own superior: a head of
  division who is also Plt of the head of agency reports to the next post up.

Every function reads in a fixed number of queries: the lines up a chain are one recursive query,
the holders of all posts met are three, whatever the depth or the number of employees asked about.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

from .models import ActingAssignment, Assignment, Employee, Instansi, Position, ReportingLine

# Above this many starting posts the whole instansi's lines are read at once (one plain query)
# instead of a recursive query with a long IN list.
MAX_START_POSTS = 2000
FAR_FUTURE = dt.date(9999, 12, 31)


@dataclass(frozen=True)
class Holder:
    """Someone who answers for a post on a day: definitively, or acting (``acting`` plt/plh)."""

    employee: Employee
    position_id: int
    acting: str = ""
    decree_number: str = ""

    @property
    def is_acting(self) -> bool:
        return bool(self.acting)


def _on_assignment(on: dt.date) -> Q:
    """Assignments in force on ``on``: both ends inclusive, as ``active_on`` reads them."""
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def posts_on(employee_ids: Iterable[int], on: dt.date) -> dict[int, int]:
    """Return {employee id: their definitive post id on ``on``} (one query)."""
    ids = sorted(set(employee_ids))
    if not ids:
        return {}
    out: dict[int, int] = {}
    rows = (
        Assignment.objects.filter(_on_assignment(on), employee_id__in=ids, position__isnull=False)
        .order_by("employee_id", "valid_from", "pk")
        .values_list("employee_id", "position_id")
    )
    for employee_id, position_id in rows:
        out[employee_id] = position_id  # the latest start wins
    return out


def lines_up(position_ids: Iterable[int], on: dt.date) -> dict[int, int]:
    """Return {post id: post it reports to on ``on``} for the posts and every post above them.

    One recursive query (``UNION`` stops at a loop, should one ever be stored).
    """
    starts = sorted(set(position_ids))
    if not starts:
        return {}
    if len(starts) > MAX_START_POSTS:
        instansi_ids = set(
            Position.objects.filter(pk__in=starts[:1]).values_list("instansi_id", flat=True)
        )
        lines = ReportingLine.objects.active_on(on).filter(instansi_id__in=instansi_ids)
        return dict(lines.order_by("valid_from").values_list("position_id", "reports_to_id"))
    table = connection.ops.quote_name(ReportingLine._meta.db_table)
    marks = ", ".join(["%s"] * len(starts))
    # Each step up is a correlated subquery on the (position, valid_from) index rather than a
    # join: a planner cannot know how far a recursion goes, and PostgreSQL joined every line of
    # the instansi by hash at each step (6 ms at 80,330 staff, growing with the province).
    # Only the quoted table name and placeholders are formatted in; values are parameters.
    sql = f"""
        WITH RECURSIVE up(pid, boss) AS (
            SELECT l.position_id, l.reports_to_id FROM {table} l
            WHERE l.position_id IN ({marks})
              AND l.valid_from <= %s AND (l.valid_to IS NULL OR l.valid_to >= %s)
            UNION
            SELECT up.boss, (
                SELECT l.reports_to_id FROM {table} l
                WHERE l.position_id = up.boss
                  AND l.valid_from <= %s AND (l.valid_to IS NULL OR l.valid_to >= %s)
                ORDER BY l.valid_from DESC LIMIT 1
            ) FROM up WHERE up.boss IS NOT NULL
        )
        SELECT pid, boss FROM up WHERE boss IS NOT NULL
    """  # noqa: S608
    out: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*starts, on, on, on, on])
        for pid, boss in cursor.fetchall():
            out[pid] = boss
    return out


def posts_below(position_ids: Iterable[int], on: dt.date) -> set[int]:
    """Return every post that reports, directly or not, to one of ``position_ids`` on ``on``."""
    starts = sorted(set(position_ids))
    if not starts:
        return set()
    table = connection.ops.quote_name(ReportingLine._meta.db_table)
    marks = ", ".join(["%s"] * len(starts))
    # Only the quoted table name and placeholders are formatted in; values are parameters.
    sql = f"""
        WITH RECURSIVE down(pid) AS (
            SELECT l.position_id FROM {table} l
            WHERE l.reports_to_id IN ({marks})
              AND l.valid_from <= %s AND (l.valid_to IS NULL OR l.valid_to >= %s)
            UNION
            SELECT l.position_id FROM {table} l JOIN down ON l.reports_to_id = down.pid
            WHERE l.valid_from <= %s AND (l.valid_to IS NULL OR l.valid_to >= %s)
        )
        SELECT pid FROM down
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*starts, on, on, on, on])
        return {row[0] for row in cursor.fetchall()}


# What a Holder's employee carries: enough to name and link them, and to read their own post;
# a holder's other fields load on first use.
HOLDER_FIELDS = (
    *("id", "instansi_id", "nip", "name", "front_title", "back_title", "status"),
    *("unit_id", "position_id", "is_active"),
)


def _dated_holders(ids: list[int], on: dt.date) -> tuple[list[tuple], list[tuple]]:
    """The acting rows ``(post, employee, valid_to, kind, decree)`` and the definitive rows
    ``(post, employee, valid_to)`` of posts ``ids`` in force on ``on`` (both ends inclusive,
    as ``active_on`` reads them): acting ones latest first, definitive ones earliest first.

    Two statements written out: every signed-in submit of a realisation reads who holds and
    who answers above a post, and compiling the two querysets cost more than running them."""
    qn = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(ids))
    dated = "valid_from <= %s AND (valid_to IS NULL OR valid_to >= %s)"
    # Only quoted table names and placeholders are formatted in; values are parameters.
    acting_sql = (
        "SELECT position_id, employee_id, valid_to, kind, decree_number FROM "  # noqa: S608
        f"{qn(ActingAssignment._meta.db_table)} WHERE position_id IN ({marks}) AND {dated} "
        "ORDER BY position_id, valid_from DESC, id"
    )
    definitive_sql = (
        "SELECT position_id, employee_id, valid_to FROM "  # noqa: S608
        f"{qn(Assignment._meta.db_table)} WHERE position_id IN ({marks}) AND {dated} "
        "ORDER BY position_id, valid_from, id"
    )
    params = [*ids, on, on]
    with connection.cursor() as cursor:
        cursor.execute(acting_sql, params)
        acting = cursor.fetchall()
        cursor.execute(definitive_sql, params)
        definitive = cursor.fetchall()
    return acting, definitive


def holders_by_post(position_ids: Iterable[int], on: dt.date) -> dict[int, list[Holder]]:
    """Return {post id: its holders on ``on``}, acting officials first (three queries).

    The dated rows are read first and their employees after, by key: joined in one query,
    PostgreSQL hashed the whole staff table to find a few dozen people.
    """
    ids = sorted(set(position_ids))
    out: dict[int, list[Holder]] = defaultdict(list)
    if not ids:
        return out
    acting, definitive = _dated_holders(ids, on)
    wanted = sorted({row[1] for row in acting} | {row[1] for row in definitive})
    people = Employee.objects.only(*HOLDER_FIELDS).in_bulk(wanted) if wanted else {}
    # A closed assignment is history; an open one counts while its employee is active.
    for post, employee_id, valid_to, kind, decree in acting:
        employee = people.get(employee_id)
        if employee is not None and (employee.is_active or valid_to is not None):
            out[post].append(Holder(employee, post, kind, decree))
    for post, employee_id, valid_to in definitive:
        employee = people.get(employee_id)
        if employee is not None and (employee.is_active or valid_to is not None):
            out[post].append(Holder(employee, post))
    return out


def holders_of(position: Position | int, on: dt.date) -> list[Holder]:
    """Return who answers for ``position`` on ``on``: acting officials first, then holders."""
    pk = position if isinstance(position, int) else position.pk
    return list(holders_by_post([pk], on).get(pk, []))


def _walk_up(
    start: int | None, lines: dict[int, int], holders: dict[int, list[Holder]], skip: int | None
):
    """Yield each holder up the chain from post ``start`` (vacant posts pass it on)."""
    seen = {start}
    post = lines.get(start) if start is not None else None
    while post is not None and post not in seen:
        seen.add(post)
        found = [h for h in holders.get(post, []) if h.employee.pk != skip]
        if found:
            skip_next = found[0].employee.pk
            yield found[0]
            skip = skip_next
        post = lines.get(post)


def _chains(employee_ids: list[int], on: dt.date):
    posts = posts_on(employee_ids, on)
    lines = lines_up(posts.values(), on)
    above = set(lines.values())
    holders = holders_by_post(above, on)
    return posts, lines, holders


def superiors_of(employees: Iterable[Employee | int], on: dt.date) -> dict[int, Holder | None]:
    """Return {employee id: their superior on ``on``, or None} in five queries, for any number."""
    ids = [e if isinstance(e, int) else e.pk for e in employees]
    posts, lines, holders = _chains(ids, on)
    out: dict[int, Holder | None] = {}
    for pk in ids:
        out[pk] = next(_walk_up(posts.get(pk), lines, holders, pk), None)
    return out


def superior_of(employee: Employee | int, on: dt.date) -> Holder | None:
    """Return the superior (atasan langsung, the evaluator) of ``employee`` on ``on``."""
    pk = employee if isinstance(employee, int) else employee.pk
    return superiors_of([pk], on)[pk]


def chain_up(employee: Employee | int, on: dt.date) -> list[Holder]:
    """Return the superiors of ``employee`` on ``on``, nearest first, up to the agency's head."""
    pk = employee if isinstance(employee, int) else employee.pk
    posts, lines, holders = _chains([pk], on)
    return list(_walk_up(posts.get(pk), lines, holders, pk))


def superior_of_post(position: Position | int, on: dt.date, skip: int | None = None):
    """Return who answers above ``position`` on ``on`` (its line up, vacant posts passing it
    on), never the employee ``skip`` (the post's own holder); None at the top."""
    pk = position if isinstance(position, int) else position.pk
    lines = lines_up([pk], on)
    holders = holders_by_post(set(lines.values()), on)
    return next(_walk_up(pk, lines, holders, skip), None)


def holders_and_superior_of_post(
    position: Position | int, on: dt.date
) -> tuple[list[Holder], Holder | None]:
    """Return who answers for ``position`` on ``on`` (`holders_of`) and who answers above it,
    never its first holder (`superior_of_post` with ``skip`` that holder): the holders of the
    post and of its line up read together (five queries, not eight)."""
    pk = position if isinstance(position, int) else position.pk
    lines = lines_up([pk], on)
    holders = holders_by_post({pk, *lines.values()}, on)
    own = list(holders.get(pk, []))
    skip = own[0].employee.pk if own else None
    return own, next(_walk_up(pk, lines, holders, skip), None)


@dataclass(frozen=True)
class Report:
    """A direct report: the employee and the post through which they report."""

    employee: Employee
    position_id: int


def held_posts(employee: Employee | int, on: dt.date) -> set[int]:
    """Return the posts ``employee`` answers for on ``on``: their own and those they act in."""
    pk = employee if isinstance(employee, int) else employee.pk
    own = set(posts_on([pk], on).values())
    acting = ActingAssignment.objects.active_on(on).filter(employee_id=pk)
    return own | set(acting.values_list("position_id", flat=True))


def direct_reports(person: Employee | int, on: dt.date) -> list[Report]:
    """Return the employees whose superior on ``on`` is ``person``, by name.

    Walks down from the person's posts, level by level only through vacant posts (usually none
    or one), then keeps the candidates whose superior really is the person (an acting official
    of the same post, or an earlier holder of a shared post, may answer instead).
    """
    pk = person if isinstance(person, int) else person.pk
    frontier = held_posts(pk, on)
    seen = set(frontier)
    candidates: dict[int, Holder] = {}
    while frontier:
        children = (
            set(
                ReportingLine.objects.active_on(on)
                .filter(reports_to_id__in=sorted(frontier))
                .values_list("position_id", flat=True)
            )
            - seen
        )
        seen |= children
        holders = holders_by_post(children, on)
        frontier = set()
        for post in children:
            found = holders.get(post, [])
            if not found:
                frontier.add(post)
            for holder in found:
                if not holder.acting and holder.employee.pk != pk:
                    candidates.setdefault(holder.employee.pk, holder)
    if not candidates:
        return []
    bosses = superiors_of(list(candidates), on)
    reports = [
        Report(h.employee, h.position_id)
        for e, h in candidates.items()
        if bosses.get(e) is not None and bosses[e].employee.pk == pk
    ]
    return sorted(reports, key=lambda r: (r.employee.name, r.employee.pk))


def reachable_posts(employee_id: int, on: dt.date) -> frozenset[int]:
    """Return the posts below every post ``employee_id`` answers for on ``on`` (the evaluator's
    reach): three queries whatever the depth."""
    return frozenset(posts_below(held_posts(employee_id, on), on))


def has_reports(employee_id: int, on: dt.date) -> bool:
    """Return whether a line ends at one of the posts ``employee_id`` answers for (one query)."""
    own = Assignment.objects.filter(_on_assignment(on), employee_id=employee_id).values(
        "position_id"
    )
    acting = ActingAssignment.objects.active_on(on).filter(employee_id=employee_id)
    return (
        ReportingLine.objects.active_on(on)
        .filter(Q(reports_to_id__in=own) | Q(reports_to_id__in=acting.values("position_id")))
        .exists()
    )


# For pages: who of the holders the caller may open, and their rows ------------------------


def visible_employee_ids(scope, ids) -> set[int]:
    """Return which of ``ids`` the caller may open (one query)."""
    ids = sorted(set(ids))
    if not ids:
        return set()
    return set(Employee.objects.within(scope).filter(pk__in=ids).values_list("pk", flat=True))


def holder_rows(scope, holders) -> list[dict]:
    """Shape holders for the pages: employee, post title, acting kind and whether to link."""
    titles = dict(
        Position.objects.filter(pk__in=[h.position_id for h in holders]).values_list("pk", "title")
    )
    seen = visible_employee_ids(scope, [h.employee.pk for h in holders])
    return [
        {
            "employee": h.employee,
            "acting": h.acting,
            "title": titles.get(h.position_id, ""),
            "visible": h.employee.pk in seen,
        }
        for h in holders
    ]


def caller_instansi(scope) -> Instansi:
    """Return the caller's instansi: new rows belong to it, never to one named in a payload.

    A caller whose account belongs to no instansi may create nothing (PermissionDenied).
    """
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    if scope.instansi_id is None:
        raise PermissionDenied(_("Your account belongs to no instansi."))
    return Instansi.objects.get(pk=scope.instansi_id)
