"""The collaboration network: the agencies are the nodes; two agencies are joined by an edge
when they share items: a shared target of the year (a performance `Collaboration`: its lead
and its accepted members, every pair of them) or a strategic project (the regional app's
`Project`: its lead agency and its collaborating agencies, every pair of them).

An edge carries ``count`` (how many items the two share) and ``weight``: each shared target
counts the pair's combined share of it (the two contribution weights, in percent, over 100:
a lead keeping 70 with a member of 30 gives 1.00, two members of 25 and 20 give 0.45), each
project counts 1. The chart draws an edge's width by its weight.

Scope: every agency of the instansi is a node (agency names are public facts). The edges are
built from the items the caller reaches: the collaborations whose lead or invited agency their
planning reach covers (`Collaboration.objects.within`), and the projects the regional app lets
them read (`Project.objects.within`: the instansi's planning readers). So an agency head sees
the edges of the shared targets their agency takes part in, and a wide reader all of them; the
details of an edge list only what the caller reaches, and a pair sharing nothing within reach
answers "not found".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations
from typing import Any

from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from kinerja.core.scope import Scope
from kinerja.organisations.models import OrgUnit
from kinerja.performance.models import Collaboration, CollaborationMember, MemberStatus, RollupKind

from .reports_lkjip import agencies_within, pct, year_rollups

HUNDRED = Decimal(100)
ONE = Decimal(1)


@dataclass
class SharedItem:
    kind: str  # "target" or "project"
    pk: int
    title: str
    code: str
    name: str
    lead_id: int
    lead: str
    shares: dict[int, Decimal] = field(default_factory=dict)  # agency -> weight (targets)
    status: str = ""
    status_label: Any = ""
    target: str = ""
    realisation: Decimal | None = None
    percent: Decimal | None = None
    url: str = ""

    @property
    def agencies(self) -> set[int]:
        return set(self.shares)


@dataclass
class Edge:
    source: int
    target: int
    targets: int = 0
    projects: int = 0
    weight: Decimal = Decimal(0)

    @property
    def count(self) -> int:
        return self.targets + self.projects


@dataclass
class Network:
    year: int
    nodes: list[dict]
    edges: list[Edge]
    projects_included: bool
    reach: set[int]  # the agencies whose planning the caller reads

    @property
    def has_data(self) -> bool:
        return bool(self.edges)


def _project_models():
    """The regional app's project models, or None where the app has none (imported lazily:
    the network works without it)."""
    try:
        from kinerja.regional.models import Project, ProjectAgency
    except ImportError:  # pragma: no cover - the regional app ships them
        return None
    return Project, ProjectAgency


def shared_items(scope: Scope, year: int) -> list[SharedItem]:
    """The items the caller reaches that two or more agencies share (see the module
    docstring): four queries for the targets, two for the projects."""
    collaborations = list(
        Collaboration.objects.within(scope)
        .filter(target__year=year)
        .annotate(lead_agency=Coalesce("lead_unit__agency_id", "lead_unit_id"))
        .select_related("target__indicator", "lead_unit")
        .order_by("title", "pk")
    )
    members: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for collaboration_id, agency_id, weight in (
        CollaborationMember.objects.filter(
            collaboration__in=[c.pk for c in collaborations], status=MemberStatus.ACCEPTED
        )
        .annotate(agency=Coalesce("unit__agency_id", "unit_id"))
        .order_by("collaboration_id", "unit__sort_key")
        .values_list("collaboration_id", "agency", "weight")
    ):
        members[collaboration_id].append((agency_id, weight))
    rollups = year_rollups(RollupKind.TARGET, [c.target_id for c in collaborations])
    items: list[SharedItem] = []
    for c in collaborations:
        shares: dict[int, Decimal] = defaultdict(Decimal)
        shares[c.lead_agency] += c.lead_weight
        for agency_id, weight in members.get(c.pk, []):
            shares[agency_id] += weight
        row = rollups.get((c.target_id, year))
        items.append(
            SharedItem(
                kind="target",
                pk=c.pk,
                title=c.title,
                code=c.target.indicator.code,
                name=c.target.indicator.name,
                lead_id=c.lead_agency,
                lead=c.lead_unit.name,
                shares=dict(shares),
                status=c.status,
                status_label=c.get_status_display(),
                target=c.target.display,
                realisation=row.realisation if row else None,
                percent=row.percent if row else None,
                url=c.get_absolute_url(),
            )
        )
    items.extend(_project_items(scope))
    return items


def _project_items(scope: Scope) -> list[SharedItem]:
    models = _project_models()
    if models is None:
        return []
    project_model, joined_model = models
    projects = list(
        project_model.objects.within(scope).select_related("lead_agency").order_by("code")
    )
    if not projects:
        return []
    partners: dict[int, set[int]] = defaultdict(set)
    for project_id, agency_id in (
        joined_model.objects.filter(project__in=[p.pk for p in projects])
        .annotate(top=Coalesce("agency__agency_id", "agency_id"))
        .values_list("project_id", "top")
    ):
        partners[project_id].add(agency_id)
    items = []
    for p in projects:
        lead = p.lead_agency.agency_id or p.lead_agency_id
        agencies = {lead, *partners.get(p.pk, ())}
        if len(agencies) < 2:
            continue
        try:
            url = p.get_absolute_url()
        except NoReverseMatch:  # the regional pages are not wired yet
            url = ""
        items.append(
            SharedItem(
                kind="project",
                pk=p.pk,
                title=p.name,
                code=p.code,
                name=p.name,
                lead_id=lead,
                lead=p.lead_agency.name,
                shares={a: Decimal(0) for a in agencies},
                status=p.status,
                status_label=p.get_status_display(),
                url=url,
            )
        )
    return items


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _item_weight(item: SharedItem, a: int, b: int) -> Decimal:
    if item.kind == "project":
        return ONE
    return (item.shares.get(a, Decimal(0)) + item.shares.get(b, Decimal(0))) / HUNDRED


def build_edges(items: list[SharedItem]) -> dict[tuple[int, int], Edge]:
    """The edges of ``items``: every pair of agencies sharing an item, with its counts and
    weight (see the module docstring)."""
    edges: dict[tuple[int, int], Edge] = {}
    for item in items:
        for a, b in combinations(sorted(item.agencies), 2):
            key = _pair(a, b)
            edge = edges.get(key)
            if edge is None:
                edge = edges[key] = Edge(*key)
            if item.kind == "project":
                edge.projects += 1
            else:
                edge.targets += 1
            edge.weight += _item_weight(item, a, b)
    for edge in edges.values():
        edge.weight = pct(edge.weight)
    return edges


def network(scope: Scope, year: int) -> Network:
    """The graph for the caller and year: every agency of the instansi as a node, the edges
    of the items within reach."""
    items = shared_items(scope, year)
    edges = build_edges(items)
    reach = set(agencies_within(scope).values_list("pk", flat=True))
    degree: dict[int, int] = defaultdict(int)
    for edge in edges.values():
        degree[edge.source] += edge.count
        degree[edge.target] += edge.count
    nodes = [
        {
            "id": pk,
            "code": code,
            "name": name,
            "items": degree.get(pk, 0),
            "in_reach": pk in reach,
        }
        for pk, code, name in OrgUnit.objects.filter(
            instansi_id=scope.instansi_id, parent__isnull=True
        )
        .order_by("sort_key", "name")
        .values_list("pk", "code", "name")
    ]
    ordered = sorted(edges.values(), key=lambda e: (-e.weight, -e.count, e.source, e.target))
    return Network(
        year=year,
        nodes=nodes,
        edges=ordered,
        projects_included=_project_models() is not None,
        reach=reach,
    )


def edge_detail(scope: Scope, year: int, a: int, b: int) -> dict[str, Any]:
    """What agencies ``a`` and ``b`` share within the caller's reach, and how it is going;
    "not found" when they share nothing the caller reaches (or are not the instansi's
    agencies)."""
    agencies = {
        u.pk: u
        for u in OrgUnit.objects.filter(
            instansi_id=scope.instansi_id, parent__isnull=True, pk__in=[a, b]
        )
    }
    if a == b or len(agencies) != 2:
        raise Http404
    shared = [i for i in shared_items(scope, year) if {a, b} <= i.agencies]
    if not shared:
        raise Http404
    edge = build_edges(shared)[_pair(a, b)]
    return {
        "year": year,
        "a": agencies[a],
        "b": agencies[b],
        "edge": edge,
        "targets": [i for i in shared if i.kind == "target"],
        "projects": [i for i in shared if i.kind == "project"],
        "share_a": {i.pk: i.shares.get(a) for i in shared if i.kind == "target"},
        "share_b": {i.pk: i.shares.get(b) for i in shared if i.kind == "target"},
    }


def item_data(item: SharedItem, a: int, b: int) -> dict[str, Any]:
    data = {
        "kind": item.kind,
        "id": item.pk,
        "title": item.title,
        "code": item.code,
        "name": item.name,
        "lead": item.lead,
        "status": item.status,
        "status_label": str(item.status_label),
    }
    if item.kind == "target":
        data.update(
            target=item.target,
            realisation=item.realisation,
            percent=item.percent,
            share_a=item.shares.get(a),
            share_b=item.shares.get(b),
        )
    return data


def network_url(year: int) -> str:
    return reverse("analytics:network") + f"?year={year}"
