"""The collaboration network under ``/api/v1/``, scoped exactly like its page
(`kinerja.analytics.selectors_network`): readers of planning only (403 otherwise), the edges and
their details within the caller's reach, a pair sharing nothing within reach 404.

- ``GET network/?year=``: the nodes (every agency of the instansi, `in_reach` telling whether the
  caller reads its plans) and the edges (`targets`, `projects`, `count`, `weight`);
- ``GET network/edges/{a}/{b}/?year=``: what the two agencies share and how it is going."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from ..reports_lkjip import as_json
from ..selectors_network import edge_detail, item_data, network
from .reports import YEAR, _ReportView


class NetworkView(_ReportView):
    @extend_schema(
        operation_id="network",
        tags=["network"],
        summary="The collaboration network of a year",
        parameters=[YEAR],
        description="`nodes`: every agency (`id`, `code`, `name`, `items` shared within reach, "
        "`in_reach`); `edges`: each pair of agencies sharing items within the caller's reach "
        "(`source`, `target`, `targets` shared targets of the year, `projects` shared "
        "strategic projects, `count`, and `weight`: for each shared target the two agencies' "
        "combined contribution weight over 100, plus 1 per project; a decimal string). "
        "`projects_included` is false where the regional app records no projects.",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        year = self.year(request)
        net = network(request.scope, year)
        return Response(
            as_json(
                {
                    "year": year,
                    "projects_included": net.projects_included,
                    "nodes": net.nodes,
                    "edges": [
                        {
                            "source": e.source,
                            "target": e.target,
                            "targets": e.targets,
                            "projects": e.projects,
                            "count": e.count,
                            "weight": e.weight,
                        }
                        for e in net.edges
                    ],
                }
            )
        )


class NetworkEdgeView(_ReportView):
    @extend_schema(
        operation_id="network_edge",
        tags=["network"],
        summary="What two agencies share",
        parameters=[YEAR],
        description="The shared targets (with each agency's weight, the target, the verified "
        "realisation and the achievement from the target's roll-up) and the shared projects "
        "(with their status) of agencies `a` and `b` within the caller's reach; 404 when they "
        "share nothing within reach.",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, a, b):
        year = self.year(request)
        detail = edge_detail(request.scope, year, a, b)
        edge = detail["edge"]
        return Response(
            as_json(
                {
                    "year": year,
                    "a": {"id": detail["a"].pk, "code": detail["a"].code, "name": detail["a"].name},
                    "b": {"id": detail["b"].pk, "code": detail["b"].code, "name": detail["b"].name},
                    "targets": edge.targets,
                    "projects": edge.projects,
                    "count": edge.count,
                    "weight": edge.weight,
                    "items": [item_data(i, a, b) for i in detail["targets"] + detail["projects"]],
                }
            )
        )
