"""Maintained roll-ups of achievement: each target's achievement per sub-period and for the year,
and the roll-ups of plans, units, agencies and the province, kept in `Rollup` rows so that a
page reads a few rows (docs/evaluation-rollups.md).

What counts: **verified realisations only**. A verified realisation is the official figure, the
one an evaluation and the regional allowance (TPP) read; a submitted one may still be returned
and change, and a draft is the holder's working copy. So only `realisation_verify` and
`realisation_return` change a roll-up among the realisation writes (entering, changing and
submitting touch drafts and submitted values, which do not count).

The numbers come from the pure functions of `kinerja.performance.achievement`, under the rules
of the target's year (`policy.achievement_rules_for_year`):

- a **target**'s year row is `year_achievement` of its verified realisations (one per sub-period,
  None where none is verified) against the year's target, with the indicator's aggregation,
  polarity, cap and zero-target rule; a sub-period row exists for each sub-period with a verified
  realisation: `evaluate` against the sub-period's target (`TargetValue`) or, without one, the
  year's target when the indicator's aggregation is the last value or the average (a level held
  all year); a cumulative target without sub-period targets has no sub-period figure
  (``no_sub_period_target``).
- a **plan** (SKP): the plain mean of its individual indicators' (IKI) targets (the model has no
  indicator weights).
- a **unit**: the plain mean of its staff's current plans (`Plan.unit`, ``is_current``).
- an **agency**: the weighted mean of its own PK/Renstra targets (weight 100 each) and of the
  shared targets it leads (the lead's share) or joined (its contribution weight), as
  `selectors_collaboration` counts them.
- the **province** (the instansi): the plain mean of every PK/Renstra/RPJMD target of the year,
  a shared target once however many agencies count it, the members' supporting results left out.

A roll-up's row has, per year and per sub-period, the mean over the members that have a
figure (``computed``; ``not_computed`` the others), two decimals rounded half up; a sub-period
row exists when at least one member has a row for that sub-period.

Every service that changes a counted realisation, a target, an indicator's rule or a weight calls
`refresh_targets` in its own transaction; `batch()` gathers the targets an import or a bulk
writer touches and refreshes them once at the end. `rebuild` recomputes an instansi from scratch
in set-based passes (`manage.py recompute_aggregates`), giving the same rows, and writes only
the rows that differ from the stored ones.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.utils import timezone

from kinerja.core.bulk import insert_rows
from kinerja.core.db import analyze

from .achievement import CENT, AchievementRules, TargetSpec, aggregate, evaluate
from .choices import Aggregation, TargetShape
from .models import (
    Collaboration,
    CollaborationMember,
    Indicator,
    MemberStatus,
    Plan,
    PlanResult,
    Realisation,
    RealisationStatus,
    Rollup,
    RollupKind,
    Target,
    TargetValue,
)
from .policy import achievement_rules_for_year

YEAR = 0
# The kinds as plain strings (the rows go to the database driver as they are).
TARGET, PLAN, UNIT, AGENCY, PROVINCE = (str(k.value) for k in RollupKind)
COUNTED = (RealisationStatus.VERIFIED,)
FULL = Decimal(100)  # the weight of a target that is not shared
NO_SUB_PERIOD_TARGET = "no_sub_period_target"
FOUR = Decimal("0.0001")
CHUNK = 5000

ROW_FIELDS = (
    "instansi_id",
    "kind",
    "object_id",
    "year",
    "sub_period",
    "percent",
    "realisation",
    "target_value",
    "target_low",
    "target_high",
    "reason",
    "computed",
    "not_computed",
)
COMPARED = ROW_FIELDS  # what a rebuild must reproduce (``computed_at`` aside)


# Targets -----------------------------------------------------------------------------------


@dataclass
class TargetFacts:
    """What a target's achievement reads, loaded in bulk."""

    pk: int
    instansi_id: int
    year: int
    spec: TargetSpec
    polarity: str
    aggregation: str
    cap: Decimal | None
    zero_rule: str | None
    goal_id: int | None
    unit_id: int | None
    plan_id: int | None
    sub_targets: dict[int, TargetSpec] = field(default_factory=dict)
    realised: dict[int, Decimal | None] = field(default_factory=dict)  # verified, by number


TARGET_COLUMNS = (
    "pk",
    "instansi_id",
    "year",
    "shape",
    "value",
    "low",
    "high",
    "indicator__polarity",
    "indicator__aggregation",
    "indicator__cap_percent",
    "indicator__zero_target_rule",
    "indicator__goal_id",
    "indicator__unit_id",
    "indicator__result__plan_id",
)


def _spec(shape: str, value, low, high) -> TargetSpec:
    if shape == TargetShape.QUALITATIVE:
        return TargetSpec(qualitative=True)
    if shape == TargetShape.RANGE:
        return TargetSpec(low=low, high=high)
    return TargetSpec(value=value)


def load_facts(targets) -> dict[int, TargetFacts]:
    """The facts of the targets of queryset ``targets``: three queries."""
    facts: dict[int, TargetFacts] = {}
    for pk, inst, year, shape, value, low, high, pol, agg, cap, zero, goal, unit, plan in (
        targets.order_by().values_list(*TARGET_COLUMNS).iterator(chunk_size=CHUNK)
    ):
        facts[pk] = TargetFacts(
            pk, inst, year, _spec(shape, value, low, high), pol, agg, cap, zero, goal, unit, plan
        )
    if not facts:
        return facts
    ids = targets.order_by().values("pk")
    # No ordering (the rows go into dicts): the models' default order joined the indicator
    # and sorted every chunk.
    values = (
        TargetValue.objects.filter(target_id__in=ids)
        .order_by()
        .values_list("target_id", "sub_period__number", "value", "low", "high")
    )
    for target_id, number, value, low, high in values.iterator(chunk_size=CHUNK):
        fact = facts[target_id]
        if fact.spec.qualitative:
            continue
        fact.sub_targets[number] = _spec(
            TargetShape.RANGE if fact.spec.value is None else TargetShape.VALUE, value, low, high
        )
    realised = (
        Realisation.objects.filter(target_id__in=ids, status__in=COUNTED)
        .order_by()
        .values_list("target_id", "sub_period__number", "value")
    )
    for target_id, number, value in realised.iterator(chunk_size=CHUNK):
        facts[target_id].realised[number] = value
    return facts


class Context:
    """What the computation reads beside the facts, cached for a run: the rules of each
    year."""

    def __init__(self) -> None:
        self._rules: dict[int, AchievementRules] = {}

    def rules(self, year: int) -> AchievementRules:
        if year not in self._rules:
            self._rules[year] = achievement_rules_for_year(year)
        return self._rules[year]


def _q4(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(FOUR, rounding=ROUND_HALF_UP)


def _target_row(fact: TargetFacts, sub_period: int, result, realisation, bounds, reason=None):
    """A target's row; ``bounds`` is `_bounds` of the target it met (None: none), and
    ``realisation`` is kept as given: four decimals (`_q4` for the year's aggregate)."""
    computed = result is not None and result.computed
    return (
        fact.instansi_id,
        TARGET,
        fact.pk,
        fact.year,
        sub_period,
        result.percent if result is not None else None,
        realisation,
        *(bounds or NO_BOUNDS),
        reason if reason is not None else str(result.reason or "") if result is not None else "",
        1 if computed else 0,
        0 if computed else 1,
    )


NO_BOUNDS = (None, None, None)


def _bounds(spec: TargetSpec) -> tuple:
    """A target's value, low and high bounds as its row keeps them (four decimals).

    As they are: the facts read them from columns of four decimals, which both databases
    return as `Decimal`s of four places (SQLite's converter quantizes them to the column's
    places), so rounding them again gave the same numbers for 1.5 million rows a rebuild."""
    return (spec.value, spec.low, spec.high)


def target_rows(fact: TargetFacts, ctx: Context) -> list[tuple]:
    """The rows of one target: the year's, then one per sub-period with a verified
    realisation (`ROW_FIELDS` order).

    The year's row is `year_achievement` against the year's target, written out as what that
    function does in this case (``aggregate`` the realisations in sub-period order, a missing
    one not reported; `evaluate` the result against the year's target): the same numbers
    without building its per-sub-period lists and result objects, which a recomputation of
    two million realisations paid for (docs/evaluation-rollups.md, "Speed")."""
    kw = {
        "polarity": fact.polarity,
        "rules": ctx.rules(fact.year),
        "cap": fact.cap,
        "zero_rule": fact.zero_rule,
    }
    realised = fact.realised
    numbers = sorted(realised)
    realisation = aggregate([realised[n] for n in numbers], fact.aggregation)
    year_spec = fact.spec
    year_bounds = _bounds(year_spec)
    rows = [
        _target_row(
            fact, YEAR, evaluate(target=year_spec, realisation=realisation, **kw),
            _q4(realisation), year_bounds,
        )
    ]  # fmt: skip
    level = year_spec.qualitative or fact.aggregation != Aggregation.CUMULATIVE
    for number in numbers:
        value = realised[number]
        spec = fact.sub_targets.get(number)
        if spec is not None:
            result = evaluate(target=spec, realisation=value, **kw)
            rows.append(_target_row(fact, number, result, value, _bounds(spec)))
        elif level:  # a level held all year: the year's target
            result = evaluate(target=year_spec, realisation=value, **kw)
            rows.append(_target_row(fact, number, result, value, year_bounds))
        else:
            rows.append(_target_row(fact, number, None, value, None, NO_SUB_PERIOD_TARGET))
    return rows


# Membership: which roll-ups count a target, with which weight ------------------------------


@dataclass(frozen=True)
class Sharing:
    """A shared target's lead unit and share, and its accepted members with their weights."""

    lead_unit_id: int
    lead_weight: Decimal
    members: tuple[tuple[int, Decimal], ...]


def load_sharing(collaborations) -> tuple[dict[int, Sharing], set[int]]:
    """The sharing of each shared target of queryset ``collaborations``, by target, and the
    members' supporting targets."""
    members: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    supporting: set[int] = set()
    rows = CollaborationMember.objects.filter(
        collaboration__in=collaborations.order_by().values("pk"), status=MemberStatus.ACCEPTED
    ).values_list("collaboration_id", "unit_id", "weight", "supporting_target_id")
    for collaboration_id, unit_id, weight, supporting_id in rows.order_by("unit_id"):
        members[collaboration_id].append((unit_id, weight))
        supporting.add(supporting_id)
    sharing = {
        target_id: Sharing(lead, weight, tuple(members.get(pk, ())))
        for pk, target_id, lead, weight in collaborations.order_by().values_list(
            "pk", "target_id", "lead_unit_id", "lead_weight"
        )
    }
    return sharing, supporting


def agency_weights(fact: TargetFacts, sharing: Sharing | None) -> list[tuple[int, Decimal]]:
    """The agencies counting ``fact`` and the weight each gives it: a shared target counts in
    its lead (the lead's share) and in each accepted member (its weight); any other target of
    an agency's PK or Renstra counts in that agency with a weight of 100. An employee's
    indicator (IKI) counts in its plan, not here."""
    if sharing is not None:
        return [(sharing.lead_unit_id, sharing.lead_weight), *sharing.members]
    if fact.goal_id is not None and fact.unit_id is not None:
        return [(fact.unit_id, FULL)]
    return []


def counts_in_province(fact: TargetFacts, supporting: set[int]) -> bool:
    """A target of the goal tree (RPJMD, Renstra, PK) counts once at the province; a member's
    supporting result serves the shared target and is left out."""
    return fact.goal_id is not None and fact.pk not in supporting


# Roll-ups ----------------------------------------------------------------------------------


class Accumulator:
    """The roll-up of one object: members fed one at a time, each with its weight and its
    figures per sub-period (0 for the year; None where not computed)."""

    __slots__ = ("members", "sums")

    def __init__(self) -> None:
        self.members = 0
        self.sums: dict[int, list] = {YEAR: [0, Decimal(0), Decimal(0)]}

    def add(self, weight: Decimal, figures: dict[int, Decimal | None]) -> None:
        self.members += 1
        for number, percent in figures.items():
            entry = self.sums.get(number)
            if entry is None:
                entry = self.sums[number] = [0, Decimal(0), Decimal(0)]
            if percent is not None:
                entry[0] += 1
                entry[1] += weight * percent
                entry[2] += weight

    def rows(self, instansi_id: int, kind: str, object_id: int, year: int) -> Iterator[tuple]:
        for number in sorted(self.sums):
            computed, weighted, weights = self.sums[number]
            percent = None
            if computed and weights:
                percent = (weighted / weights).quantize(CENT, rounding=ROUND_HALF_UP)
            yield (
                instansi_id,
                kind,
                object_id,
                year,
                number,
                percent,
                None,
                None,
                None,
                None,
                "",
                computed,
                self.members - computed,
            )


def _figures(rows: Iterable[tuple]) -> dict[int, Decimal | None]:
    """A member's figures from its rows (`ROW_FIELDS` order)."""
    return {row[4]: row[5] for row in rows}


Key = tuple[int, str, int, int]  # instansi, kind, object, year


class Rollups:
    """Accumulators by roll-up key."""

    def __init__(self) -> None:
        self.acc: dict[Key, Accumulator] = {}

    def add(self, key: Key, weight: Decimal, figures: dict[int, Decimal | None]) -> None:
        acc = self.acc.get(key)
        if acc is None:
            acc = self.acc[key] = Accumulator()
        acc.add(weight, figures)

    def rows(self) -> Iterator[tuple]:
        for key in sorted(self.acc, key=lambda k: (k[1], k[2], k[3])):
            yield from self.acc[key].rows(*key)


def feed_target(
    out: Rollups,
    fact: TargetFacts,
    figures: dict[int, Decimal | None],
    sharing: dict[int, Sharing],
    supporting: set[int],
    wanted: Callable[[str, int, int], bool] = lambda kind, pk, year: True,
) -> None:
    """Feed one target's figures to the plan, agencies and province that count it."""
    if fact.plan_id is not None and wanted(PLAN, fact.plan_id, fact.year):
        out.add((fact.instansi_id, PLAN, fact.plan_id, fact.year), FULL, figures)
    for unit_id, weight in agency_weights(fact, sharing.get(fact.pk)):
        if wanted(AGENCY, unit_id, fact.year):
            out.add((fact.instansi_id, AGENCY, unit_id, fact.year), weight, figures)
    if counts_in_province(fact, supporting) and wanted(PROVINCE, fact.instansi_id, fact.year):
        key = (fact.instansi_id, PROVINCE, fact.instansi_id, fact.year)
        out.add(key, FULL, figures)


def _insert(rows: Iterable[tuple]) -> int:
    rows = list(rows)
    if rows:
        # The rows hold integers, text, Decimals and None only: nothing to convert.
        insert_rows(Rollup, ROW_FIELDS, rows, same={"computed_at": timezone.now()}, prepared=True)
    return len(rows)


def _stored(kind: str, object_ids: Iterable[int]) -> dict[int, dict[int, Decimal | None]]:
    """The stored figures of objects of ``kind``, by object."""
    out: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    ids = list(object_ids)
    for start in range(0, len(ids), CHUNK):
        rows = Rollup.objects.filter(kind=kind, object_id__in=ids[start : start + CHUNK])
        for object_id, number, percent in rows.values_list("object_id", "sub_period", "percent"):
            out[object_id][number] = percent
    return out


def _delete(kind: str, keys: Iterable[tuple[int, int]]) -> None:
    """Delete the rows of ``kind`` for (object, year) ``keys``."""
    by_year: dict[int, set[int]] = defaultdict(set)
    for object_id, year in keys:
        by_year[year].add(object_id)
    for year, ids in by_year.items():
        ids = sorted(ids)
        for start in range(0, len(ids), CHUNK):
            Rollup.objects.filter(
                kind=kind, year=year, object_id__in=ids[start : start + CHUNK]
            ).delete()


# Maintenance -------------------------------------------------------------------------------

_batch: contextvars.ContextVar[dict | None] = contextvars.ContextVar("rollup_batch", default=None)


@contextlib.contextmanager
def batch(*, refresh: bool = True):
    """Gather the targets, plans and agencies the writes inside touch and refresh them once at
    the end (an import, a bulk writer). Nested batches join the outer one. With ``refresh``
    False (an import's dry run, rolled back) nothing is refreshed."""
    if _batch.get() is not None:
        yield
        return
    pending = {"targets": set(), "plans": set(), "agencies": set()}
    token = _batch.set(pending)
    try:
        yield
    finally:
        _batch.reset(token)
    if refresh and any(pending.values()):
        _refresh(pending["targets"], pending["plans"], pending["agencies"])


def batched(func):
    """Run ``func`` in a `batch` (a demo step writing through the services)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with batch():
            return func(*args, **kwargs)

    return wrapper


def refresh_targets(
    targets: Iterable[Target | int],
    *,
    plans: Iterable[int] = (),
    agencies: Iterable[tuple[int, int]] = (),
) -> None:
    """Refresh the rows of ``targets`` (objects or ids; a deleted one loses its rows) and of
    the roll-ups counting them: their plans (and the plans' units), agencies and province.
    ``plans`` (ids) and ``agencies`` ((unit id, year) pairs) name roll-ups to refresh as well,
    which no longer count a target (a removed indicator, a moved one, a changed weight). Call
    it inside the writing service's transaction, after the write."""
    ids = {getattr(t, "pk", t) for t in targets}
    pending = _batch.get()
    if pending is not None:
        pending["targets"] |= ids
        pending["plans"] |= set(plans)
        pending["agencies"] |= set(agencies)
        return
    _refresh(ids, set(plans), set(agencies))


# A refresh of at least this many targets and plans follows a bulk write (a demo step, a large
# import): on PostgreSQL its tables are analysed first (see `_refresh`).
BULK_REFRESH = 1000


def _refresh(target_ids: set[int], plan_ids: set[int], agency_keys: set[tuple[int, int]]) -> None:
    ctx = Context()
    target_ids = {t for t in target_ids if t is not None}
    if connection.vendor == "postgresql" and len(target_ids) + len(plan_ids) >= BULK_REFRESH:
        # As in `rebuild`: the bulk write is in this transaction, and until its tables are
        # analysed the planner sees them as they were (empty, for a new demo); the agencies'
        # candidate targets (three ORs over the collaborations' joins) then ran for minutes by
        # nested loops.
        analyze(
            [Target, TargetValue, Realisation, Rollup, Plan, PlanResult, Indicator]
            + [Collaboration, CollaborationMember]
        )
    facts = load_facts(Target.objects.filter(pk__in=target_ids)) if target_ids else {}
    Rollup.objects.filter(kind=TARGET, object_id__in=target_ids).delete()
    _insert(row for fact in facts.values() for row in target_rows(fact, ctx))

    # Which roll-ups change: those counting a touched target, and those named.
    plans = set(plan_ids) | {f.plan_id for f in facts.values() if f.plan_id is not None}
    agencies = set(agency_keys)
    provinces: set[tuple[int, int]] = set()
    sharing, _x = load_sharing(Collaboration.objects.filter(target_id__in=target_ids))
    for fact in facts.values():
        agencies |= {(u, fact.year) for u, _w in agency_weights(fact, sharing.get(fact.pk))}
        if fact.goal_id is not None:
            provinces.add((fact.instansi_id, fact.year))

    out = Rollups()
    # Plans: every target of each plan.
    if plans:
        members = load_facts_light(Target.objects.filter(indicator__result__plan_id__in=plans))
        stored = _stored(TARGET, members)
        for fact in members.values():
            key = (fact.instansi_id, PLAN, fact.plan_id, fact.year)
            out.add(key, FULL, stored.get(fact.pk, {}))
    # Agencies and the province: the candidate targets of each, counted by the same rules
    # as the rebuild's.
    if agencies or provinces:
        units = {u for u, _y in agencies}
        years = {y for _u, y in agencies} | {y for _i, y in provinces}
        # Each kind of candidate on its own, its keys read and joined here: as one query
        # (three ORs over the collaborations' multi-valued joins) PostgreSQL planned nested
        # loops that ran for minutes after a bulk load.
        in_years = Target.objects.filter(year__in=years).order_by()
        parts = [
            in_years.filter(indicator__goal__isnull=False, indicator__unit_id__in=units),
            in_years.filter(collaboration__lead_unit_id__in=units),
            in_years.filter(
                collaboration__members__unit_id__in=units,
                collaboration__members__status=MemberStatus.ACCEPTED,
            ),
            *(
                in_years.filter(instansi_id=instansi_id, year=year, indicator__goal__isnull=False)
                for instansi_id, year in provinces
            ),
        ]
        ids = sorted({pk for part in parts for pk in part.values_list("pk", flat=True)})
        members = {}
        sharing, supporting = {}, set()
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            members |= load_facts_light(Target.objects.filter(pk__in=chunk))
            shared, backing = load_sharing(Collaboration.objects.filter(target_id__in=chunk))
            sharing |= shared
            supporting |= backing | set(
                CollaborationMember.objects.filter(supporting_target_id__in=chunk).values_list(
                    "supporting_target_id", flat=True
                )
            )
        stored = _stored(TARGET, members)

        def wanted(kind: str, pk: int, year: int) -> bool:
            if kind == AGENCY:
                return (pk, year) in agencies
            if kind == PROVINCE:
                return (pk, year) in provinces
            return False

        for fact in members.values():
            feed_target(out, fact, stored.get(fact.pk, {}), sharing, supporting, wanted)

    _delete(PLAN, {(p, y) for p, y in _plan_years(plans)})
    _delete(AGENCY, agencies)
    for instansi_id, year in provinces:
        Rollup.objects.filter(kind=PROVINCE, object_id=instansi_id, year=year).delete()
    _insert(out.rows())
    _refresh_units(plans)


def load_facts_light(targets) -> dict[int, TargetFacts]:
    """The facts membership reads (no numbers): one query."""
    facts = {}
    for pk, inst, year, goal, unit, plan in (
        targets.order_by()
        .values_list(
            "pk",
            "instansi_id",
            "year",
            "indicator__goal_id",
            "indicator__unit_id",
            "indicator__result__plan_id",
        )
        .iterator(chunk_size=CHUNK)
    ):
        facts[pk] = TargetFacts(
            pk, inst, year, TargetSpec(qualitative=True), "", "", None, None, goal, unit, plan
        )
    return facts


def _plan_years(plan_ids: set[int]) -> list[tuple[int, int]]:
    return list(Plan.objects.filter(pk__in=plan_ids).values_list("pk", "period__year")) + [
        (pk, y)
        for pk, y in Rollup.objects.filter(kind=PLAN, object_id__in=plan_ids)
        .values_list("object_id", "year")
        .distinct()
    ]


def _refresh_units(plan_ids: set[int]) -> None:
    """Refresh the units of ``plan_ids``: each the mean of its current plans."""
    if not plan_ids:
        return
    keys = set(
        Plan.objects.filter(pk__in=plan_ids).values_list("instansi_id", "unit_id", "period__year")
    )
    if not keys:
        return
    units = {u for _i, u, _y in keys}
    plans = list(
        Plan.objects.filter(unit_id__in=units, is_current=True).values_list(
            "pk", "instansi_id", "unit_id", "period__year"
        )
    )
    stored = _stored(PLAN, [p[0] for p in plans])
    out = Rollups()
    for pk, instansi_id, unit_id, year in plans:
        if (instansi_id, unit_id, year) in keys and pk in stored:
            out.add((instansi_id, UNIT, unit_id, year), FULL, stored.get(pk, {}))
    _delete(UNIT, {(u, y) for _i, u, y in keys})
    _insert(out.rows())


# Rebuild -----------------------------------------------------------------------------------


@dataclass
class Rebuilt:
    """What a rebuild did: the rows it computed, and of those the ones it wrote (new or
    changed) and the stored ones it deleted (changed, or no longer computed)."""

    rows: int = 0
    written: int = 0
    deleted: int = 0

    def add(self, other: Rebuilt) -> None:
        self.rows += other.rows
        self.written += other.written
        self.deleted += other.deleted


def rebuild(instansi_id: int, *, progress: Callable[[int], None] | None = None) -> Rebuilt:
    """Recompute every roll-up of the instansi from scratch; make the stored rows exactly the
    computed ones, writing only where they differ.

    Set-based: the targets are read in chunks of `CHUNK` by key (three queries a chunk), their
    rows computed, and the plans, agencies and province accumulated on the way; the units from
    the plans at the end. Each kind's computed rows are compared with the stored rows of the
    same objects (`_sync`): a stored row equal to its computed one stays, a changed one is
    replaced, a missing one inserted, one no longer computed deleted. The stored rows are never
    read as input, so the result is the same as deleting them all first and inserting every
    computed row, without rewriting the rows the services maintained right (as PostgreSQL's
    ``REFRESH MATERIALIZED VIEW CONCURRENTLY`` applies only the difference).
    ``progress(n)`` is called after each chunk with the number of targets done in it."""
    ctx = Context()
    if connection.vendor == "postgresql":
        # Rebuilding follows a bulk write (the demo's plans, a large import) in the same
        # transaction: until it is analysed the planner still sees the tables as they were
        # before (empty, for a new demo) and reads millions of new rows by nested loops.
        analyze([Target, TargetValue, Realisation, Rollup, Plan])
    sharing, supporting = load_sharing(Collaboration.objects.filter(instansi_id=instansi_id))
    out = Rollups()
    done = Rebuilt()
    pks = list(
        Target.objects.filter(instansi_id=instansi_id).order_by("pk").values_list("pk", flat=True)
    )
    # Each chunk owns the target ids from its first up to the next chunk's first (the first
    # from 0, the last to no end): a stored row of a target no longer there falls in one.
    starts = [pks[i] for i in range(0, len(pks), CHUNK)]
    for index, begin in enumerate(starts):
        chunk = pks[index * CHUNK : (index + 1) * CHUNK]
        facts = load_facts(
            Target.objects.filter(instansi_id=instansi_id, pk__gte=chunk[0], pk__lte=chunk[-1])
        )
        rows = []
        for fact in facts.values():
            mine = target_rows(fact, ctx)
            rows.extend(mine)
            feed_target(out, fact, _figures(mine), sharing, supporting)
        low = 0 if index == 0 else begin
        high = starts[index + 1] - 1 if index + 1 < len(starts) else None
        done.add(_sync(instansi_id, TARGET, rows, low, high))
        if progress is not None:
            progress(len(chunk))
    if not starts:
        done.add(_sync(instansi_id, TARGET, [], 0, None))
    plan_rows = list(out.rows())
    by_kind: dict[str, list[tuple]] = {PLAN: [], AGENCY: [], PROVINCE: []}
    for row in plan_rows:
        by_kind[row[1]].append(row)
    figures: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for row in by_kind[PLAN]:
        figures[row[2]][row[4]] = row[5]
    units = Rollups()
    for pk, unit_id, year in Plan.objects.filter(
        instansi_id=instansi_id, is_current=True
    ).values_list("pk", "unit_id", "period__year"):
        if pk in figures:
            units.add((instansi_id, UNIT, unit_id, year), FULL, figures[pk])
    by_kind[UNIT] = list(units.rows())
    for kind in (PLAN, UNIT, AGENCY, PROVINCE):
        done.add(_sync(instansi_id, kind, by_kind[kind], 0, None))
    return done


STORED_FIELDS = ("id", *ROW_FIELDS[2:5], *ROW_FIELDS[5:])  # id, object, year, sub-period, ...


def _stored_rows(instansi_id: int, kind: str, low: int, high: int | None) -> dict:
    """The stored rows of ``kind`` for objects ``low`` to ``high`` (None: no end), by
    (object, year, sub-period): ``(id, object, year, sub-period, *ROW_FIELDS[5:])`` as the
    driver gives them."""
    qn = connection.ops.quote_name
    columns = ", ".join(qn(Rollup._meta.get_field(name).column) for name in STORED_FIELDS)
    # Only quoted names are formatted in; values are parameters.
    sql = (
        f"SELECT {columns} FROM {qn(Rollup._meta.db_table)} "  # noqa: S608
        "WHERE instansi_id = %s AND kind = %s AND object_id >= %s"
    )
    params: list = [instansi_id, kind, low]
    if high is not None:
        sql += " AND object_id <= %s"
        params.append(high)
    stored = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(CHUNK):
            for row in batch:
                stored[row[1:4]] = row
    return stored


def _sync(instansi_id: int, kind: str, rows: list[tuple], low: int, high: int | None) -> Rebuilt:
    """Make the stored rows of ``kind`` for objects ``low`` to ``high`` exactly ``rows``
    (computed, `ROW_FIELDS` order, all of those objects): keep the equal ones, replace the
    changed ones, insert the new ones, delete the others.

    PostgreSQL gives a decimal column back as a `Decimal`, compared as it is; SQLite keeps a
    decimal as a float (an integer when whole), compared with the computed number's float.
    Django reads such a float back as its fifteen significant digits rounded to the column's
    places, so a stored float equal to the computed number's float reads as that number: the
    row is left as it is. A row found unequal is written again, which is never wrong."""
    stored = _stored_rows(instansi_id, kind, low, high)
    sqlite = connection.vendor == "sqlite"
    fresh: list[tuple] = []
    stale: list[int] = []
    for row in rows:
        old = stored.pop(row[2:5], None)
        if old is not None:
            if sqlite:
                _i, _k, _o, _y, _s, percent, realised, value, low, high, *rest = row
                new = (
                    None if percent is None else float(percent),
                    None if realised is None else float(realised),
                    None if value is None else float(value),
                    None if low is None else float(low),
                    None if high is None else float(high),
                    *rest,
                )
            else:
                new = row[5:]
            if old[4:] == new:
                continue
            stale.append(old[0])
        fresh.append(row)
    stale.extend(old[0] for old in stored.values())
    for start in range(0, len(stale), CHUNK):
        Rollup.objects.filter(pk__in=stale[start : start + CHUNK]).delete()
    _insert(fresh)
    return Rebuilt(rows=len(rows), written=len(fresh), deleted=len(stale))


def snapshot(instansi_id: int) -> list[tuple]:
    """The instansi's rows as tuples of `COMPARED`, in key order (what a rebuild must
    reproduce)."""
    return list(
        Rollup.objects.filter(instansi_id=instansi_id)
        .order_by("kind", "object_id", "year", "sub_period")
        .values_list(*COMPARED)
    )
