"""Reads of the nominations: the facts the eligibility rule needs, the seats of each agency,
the suggested nominees with their reasons, and who may be nominated by whom.

Every read is bounded by the caller's reach: the organiser (``manage_training``) reaches the
instansi, an agency (``nominate``) its own subtree; nobody else reaches staff here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from kinerja.core.scope import Action, Scope
from kinerja.organisations.models import (
    ActingAssignment,
    Assignment,
    Employee,
    OrgUnit,
    Position,
)

from .choices import EventStatus, NominationRoute
from .eligibility import Audience, Facts, Post, Verdict, judge, nomination_policy
from .models import CompetencyGap, Event, EventQuota, Participant
from .querysets import organises

NOMINATING = (EventStatus.NOMINATION,)
INVITING = (EventStatus.NOMINATION, EventStatus.RUNNING)


# Reach ---------------------------------------------------------------------------------------


def nominates(scope: Scope) -> bool:
    """Whether the caller nominates for some agency (an agency head or administrator)."""
    return scope.can_anywhere(Action.NOMINATE)


def staff_within(scope: Scope) -> QuerySet[Employee]:
    """The employees the caller may put forward: the instansi for the organiser, the subtrees
    where ``nominate`` is granted for an agency, nobody else (never the caller's own row by
    default: an employee does not nominate themself)."""
    if scope.instansi_id is None:
        return Employee.objects.none()
    qs = Employee.objects.filter(instansi_id=scope.instansi_id)
    if organises(scope):
        return qs
    if not nominates(scope):
        return qs.none()
    return qs.filter(scope.unit_q(Action.NOMINATE, "unit__path"))


def may_nominate_in(scope: Scope, unit_path: str) -> bool:
    return scope.can(Action.NOMINATE, unit_path)


def nominating_agencies(scope: Scope) -> QuerySet[OrgUnit]:
    """The agencies (top units) the caller nominates for: those holding a unit of its reach."""
    if scope.instansi_id is None or not nominates(scope):
        return OrgUnit.objects.none()
    tops = OrgUnit.objects.filter(instansi_id=scope.instansi_id, parent__isnull=True)
    paths = scope.paths_for(Action.NOMINATE)
    if paths is None:
        return tops
    return tops.filter(
        pk__in=OrgUnit.objects.filter(
            Q(instansi_id=scope.instansi_id) & scope.unit_q(Action.NOMINATE, "path")
        ).values("agency_id")
    )


# Eligibility facts ---------------------------------------------------------------------------


def _post(position, unit, agency_names: dict[int, str], acting: str = "") -> Post:
    agency_id = unit.agency_id or unit.pk
    return Post(
        position_id=position.pk if position is not None else None,
        title=position.title if position is not None else "",
        kind=position.kind if position is not None else "",
        eselon=position.eselon if position is not None else "",
        unit_id=unit.pk,
        unit_name=unit.name,
        unit_path=unit.path,
        agency_id=agency_id,
        agency_name=agency_names.get(agency_id, ""),
        acting=acting,
    )


def eligibility_facts(event: Event, employees: Iterable[Employee]) -> dict[int, Facts]:
    """The facts of each employee on the event's first day, in at most four queries whatever
    the number: their posts that day (dated assignments; the current post when none is dated),
    the posts they act in that day, and the names of the agencies."""
    day = event.starts_on
    people = {e.pk: e for e in employees}
    ids = list(people)
    held = {
        a.employee_id: a
        for a in Assignment.objects.filter(employee_id__in=ids)
        .active_on(day)
        .select_related("position", "unit")
    }
    current = {
        e.pk: e
        for e in Employee.objects.filter(pk__in=[i for i in ids if i not in held]).select_related(
            "position", "unit"
        )
    }
    acting_rows = list(
        ActingAssignment.objects.filter(employee_id__in=ids, position__is_active=True)
        .active_on(day)
        .select_related("position__unit")
        .order_by("valid_from", "pk")
    )
    agency_ids = {a.unit.agency_id or a.unit_id for a in held.values()}
    agency_ids |= {e.unit.agency_id or e.unit_id for e in current.values()}
    agency_ids |= {a.position.unit.agency_id or a.position.unit_id for a in acting_rows}
    names = dict(OrgUnit.objects.filter(pk__in=agency_ids).values_list("pk", "name"))
    acting: dict[int, list[Post]] = defaultdict(list)
    for row in acting_rows:
        acting[row.employee_id].append(_post(row.position, row.position.unit, names, row.kind))
    out = {}
    for pk, employee in people.items():
        if pk in held:
            post = _post(held[pk].position, held[pk].unit, names)
        else:
            now = current[pk]
            post = _post(now.position, now.unit, names)
        out[pk] = Facts(
            employee_id=pk,
            name=employee.display_name,
            instansi_id=employee.instansi_id,
            is_active=employee.is_active,
            post=post,
            acting=tuple(acting[pk]),
        )
    return out


def verdict(event: Event, employee: Employee) -> Verdict:
    facts = eligibility_facts(event, [employee])[employee.pk]
    return judge(facts, Audience.of(event), instansi_id=event.instansi_id, day=event.starts_on)


def verdicts(event: Event, employees: Iterable[Employee]) -> dict[int, Verdict]:
    audience = Audience.of(event)
    return {
        pk: judge(f, audience, instansi_id=event.instansi_id, day=event.starts_on)
        for pk, f in eligibility_facts(event, employees).items()
    }


# Seats -------------------------------------------------------------------------------------


@dataclass
class QuotaRow:
    agency_id: int
    agency_name: str
    seats: int | None  # None: the agency has no quota row (no seats)
    used: int = 0
    invited: int = 0

    @property
    def left(self) -> int:
        return max(0, (self.seats or 0) - self.used)


def seats_used(event: Event, agency_id: int) -> int:
    """The agency's seats taken: its active enrolments nominated through the agency (an
    organiser's invitation is outside the quotas)."""
    return (
        Participant.objects.filter(event=event, agency_id=agency_id, route=NominationRoute.AGENCY)
        .active()
        .count()
    )


def quota_rows(event: Event, agency_ids: Iterable[int] | None = None) -> list[QuotaRow]:
    """Each agency with a quota or an enrolment: its seats, used and left (two queries)."""
    quotas = EventQuota.objects.filter(event=event).select_related("agency")
    if agency_ids is not None:
        agency_ids = list(agency_ids)
        quotas = quotas.filter(agency_id__in=agency_ids)
    rows = {q.agency_id: QuotaRow(q.agency_id, q.agency.name, q.seats) for q in quotas}
    counts = Participant.objects.filter(event=event).active()
    if agency_ids is not None:
        counts = counts.filter(agency_id__in=agency_ids)
    for agency_id, name, route, n in (
        counts.values_list("agency_id", "agency_name", "route").annotate(n=Count("pk")).order_by()
    ):
        row = rows.setdefault(agency_id, QuotaRow(agency_id, name, None))
        if route == NominationRoute.AGENCY:
            row.used += n
        else:
            row.invited += n
    return sorted(rows.values(), key=lambda r: r.agency_name)


# Suggestions -------------------------------------------------------------------------------


@dataclass
class Suggestion:
    employee_id: int
    name: str
    nip: str | None
    position_title: str
    unit_name: str
    agency_id: int | None
    reasons: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)


# Up to this many people in an event's audience are looked up by id (see suggested_nominees).
NARROW = 2000


def _audience_q(event: Event) -> Q:
    """Employees whose current post, or a post they act in on the first day, is of the
    audience (the nomination checks the first day's post again)."""
    audience = Audience.of(event)
    if audience.anyone:
        return Q()
    own = Q()
    acting = Q()
    if audience.kinds:
        own &= Q(kind__in=audience.kinds)
        acting &= Q(position__kind__in=audience.kinds)
    if audience.eselons:
        own &= Q(eselon__in=audience.eselons)
        acting &= Q(position__eselon__in=audience.eselons)
    # The posts first (a few thousand rows), then their holders through the post index: not
    # a join of every employee to their post.
    posts = Position.objects.filter(own).values("pk")
    actors = ActingAssignment.objects.active_on(event.starts_on).filter(acting)
    return Q(position_id__in=posts) | Q(pk__in=actors.values("employee_id"))


def event_competency_ids(event: Event) -> list[int]:
    from .models import Session

    through = Session.competencies.through
    return sorted(
        set(through.objects.filter(session__event=event).values_list("competency_id", flat=True))
    )


def _when(kind: str, sub_period: int, year: int) -> str:
    if kind == "annual":
        return _("annual evaluation %(year)s") % {"year": year}
    return _("periodic evaluation %(n)s, %(year)s") % {"n": sub_period, "year": year}


def suggested_nominees(event: Event, scope: Scope, *, limit: int | None = None) -> list[Suggestion]:
    """Employees of the audience, within the caller's reach (the organiser: the instansi; an
    agency: its own staff), not already enrolled, with a development need:

    - the latest final evaluation of the event's year or the years before it (the policy's
      ``evaluation_years_back``), annual before periodic, rated results or behaviour below
      expectation; or
    - a competency gap of those years on a competency the event's sessions are tagged with.

    Three queries whatever the staff: a narrowed audience's people (through the posts), the
    employees with their latest evaluation's ratings (correlated subqueries) filtered to a
    need, then the gaps of those found.
    """
    from kinerja.performance.models import Evaluation

    policy = nomination_policy(event.starts_on)
    year = event.starts_on.year
    eval_years = list(range(year - int(policy["evaluation_years_back"]), year + 1))
    gap_years = list(range(year - int(policy["gap_years_back"]), year + 1))
    need = policy["need_rating"]
    competencies = event_competency_ids(event)
    latest = (
        Evaluation.objects.filter(
            plan__employee_id=OuterRef("pk"),
            status="final",
            plan__period__year__in=eval_years,
        )
        .exclude(results_rating="", behaviour_rating="")
        .order_by("-plan__period__year", "kind", "-sub_period", "-pk")
    )
    gaps = CompetencyGap.objects.filter(
        employee_id=OuterRef("pk"), competency_id__in=competencies, year__in=gap_years
    )
    # Correlated (not an IN list): the list would read every final evaluation of the years
    # (625,000 at province size) on each request; this looks up only the audience's rows.
    rated_below = Evaluation.objects.filter(
        Q(results_rating=need) | Q(behaviour_rating=need),
        plan__employee_id=OuterRef("pk"),
        status="final",
        plan__period__year__in=eval_years,
    )
    enrolled = Participant.objects.filter(event=event).active().values("employee_id")
    staff = staff_within(scope).filter(is_active=True)
    audience_q = _audience_q(event)
    if audience_q:
        # A narrowed audience (the 61 heads of the province) is found first, so the query
        # below starts from its few people instead of walking 80,000 in the order of the page.
        ids = list(staff.filter(audience_q).order_by().values_list("pk", flat=True)[: NARROW + 1])
        staff = staff.filter(pk__in=ids) if len(ids) <= NARROW else staff.filter(audience_q)
    rows = (
        staff.exclude(pk__in=enrolled)
        .annotate(
            ev_results=Subquery(latest.values("results_rating")[:1]),
            ev_behaviour=Subquery(latest.values("behaviour_rating")[:1]),
            ev_kind=Subquery(latest.values("kind")[:1]),
            ev_sub=Subquery(latest.values("sub_period")[:1]),
            ev_year=Subquery(latest.values("plan__period__year")[:1]),
            has_gap=Exists(gaps),
        )
        # A cheap first cut (anyone with such a rating in those years, or a gap) before the
        # latest evaluation decides, so the correlated subqueries run only for those.
        .filter(Exists(rated_below) | Q(has_gap=True))
        .filter(Q(ev_results=need) | Q(ev_behaviour=need) | Q(has_gap=True))
        .order_by("unit__path", "name", "pk")
        .values_list(
            "pk",
            "name",
            "front_title",
            "back_title",
            "nip",
            "position__title",
            "unit__name",
            "unit__agency_id",
            "ev_results",
            "ev_behaviour",
            "ev_kind",
            "ev_sub",
            "ev_year",
            "has_gap",
        )
    )
    if limit is not None:
        rows = rows[:limit]
    from kinerja.organisations.display import person_name

    out: dict[int, Suggestion] = {}
    for (
        pk,
        name,
        front,
        back,
        nip,
        title,
        unit_name,
        agency_id,
        results,
        behaviour,
        kind,
        sub,
        ev_year,
        _gap,
    ) in rows:
        item = Suggestion(
            pk, person_name(front, name, back), nip, title or "", unit_name, agency_id
        )
        when = _when(kind, sub, ev_year) if kind else ""
        if results == need:
            item.reasons.append(_("Results below expectation (%(when)s)") % {"when": when})
        if behaviour == need:
            item.reasons.append(_("Behaviour below expectation (%(when)s)") % {"when": when})
        out[pk] = item
    found = list(out)
    if found and competencies:
        for employee_id, competency in (
            CompetencyGap.objects.filter(
                employee_id__in=found, competency_id__in=competencies, year__in=gap_years
            )
            .order_by("employee_id", "competency__sort", "competency__name")
            .values_list("employee_id", "competency__name")
            .distinct()
        ):
            item = out[employee_id]
            if competency not in item.gaps:
                item.gaps.append(competency)
                item.reasons.append(_("Competency gap: %(name)s") % {"name": competency})
    return list(out.values())


# Listing -----------------------------------------------------------------------------------


def participants_for(scope: Scope) -> QuerySet[Participant]:
    """Enrolments read like the person (the foundation's rule), the organiser's across the
    instansi."""
    return Participant.objects.within(scope)


def open_events_for(scope: Scope) -> QuerySet[Event]:
    """Events open for nomination, as the caller sees them."""
    return Event.objects.within(scope).filter(status=EventStatus.NOMINATION)


def participant_status_counts(event: Event) -> dict[str, int]:
    return dict(
        Participant.objects.filter(event=event)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
