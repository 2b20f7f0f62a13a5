"""Pages of the collaboration network (``/dashboards/network/``): the graph (ECharts, force
layout) with its table of edges beside it, an edge's details (the panel's HTMX fragment, or a
page without JavaScript) and the table's workbook.

Readers: whoever reads planning somewhere; the edges and their details are what the caller's
reach holds (`kinerja.analytics.selectors_network`)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from kinerja.audit.freshness import kept
from kinerja.core.views import is_partial

from ..reports_lkjip import workbook_bytes, write_sheet
from ..selectors_network import Network, edge_detail, network
from .reports import _Download, _page_year, _reader, _xlsx, _years


def _network(request, year: int) -> Network:
    """The caller's graph of ``year``, kept until the next audited write of the instansi."""
    return kept(
        "analytics.network",
        lambda: network(request.scope, year),
        scope=request.scope,
        request=request,
        parts=(year, get_language()),
    )


def _chart(net, year: int) -> dict:
    """The graph's data for the script: nodes sized by their shared items, edges by their
    weight, each edge with the address of its panel."""
    names = {n["id"]: n["name"] for n in net.nodes}
    return {
        "nodes": [
            {
                "id": str(n["id"]),
                "name": n["name"],
                "value": n["items"],
                "category": 0 if n["in_reach"] else 1,
            }
            for n in net.nodes
        ],
        "edges": [
            {
                "source": str(e.source),
                "target": str(e.target),
                "value": float(e.weight),
                "count": e.count,
                "label": f"{names.get(e.source, '')} \u2013 {names.get(e.target, '')}",
                "url": reverse("analytics:network_edge", args=[e.source, e.target])
                + f"?year={year}",
            }
            for e in net.edges
        ],
        "categories": [{"name": _("Within your access")}, {"name": _("Other agencies")}],
    }


class NetworkView(LoginRequiredMixin, View):
    def get(self, request):
        _reader(request)
        year = _page_year(request)
        net = SimpleLazyObject(lambda: _network(request, year))

        def edges() -> list[dict]:
            names = {n["id"]: n for n in net.nodes}
            return [
                {"edge": e, "a": names.get(e.source), "b": names.get(e.target)} for e in net.edges
            ]

        # Built only when the page's graph and table are not kept yet ({% kept %} in the
        # template); callables, which the template calls when it reads them.
        return render(
            request,
            "analytics/network.html",
            {
                "net": net,
                "edges": edges,
                "year": year,
                "years": _years(request)[0],
                "chart": lambda: _chart(net, year),
                "nav_active": "analytics_network",
            },
        )


class NetworkEdgeView(LoginRequiredMixin, View):
    """What two agencies share: the panel's fragment for HTMX, else a page."""

    def get(self, request, a, b):
        _reader(request)
        year = _page_year(request)
        detail = kept(
            "analytics.network_edge",
            lambda: edge_detail(request.scope, year, a, b),
            scope=request.scope,
            request=request,
            parts=(year, a, b, get_language()),
        )
        template = (
            "analytics/network_edge_panel.html"
            if is_partial(request)
            else "analytics/network_edge.html"
        )
        response = render(
            request, template, {**detail, "year": year, "nav_active": "analytics_network"}
        )
        patch_vary_headers(response, ["HX-Request"])
        return response


class NetworkXlsxView(_Download):
    """The table behind the graph: the edges with their counts and weights."""

    def get(self, request):
        from openpyxl import Workbook

        net = _network(request, self.year)
        names = {n["id"]: n for n in net.nodes}
        wb = Workbook(write_only=True)
        write_sheet(
            wb,
            _("Collaboration network"),
            [_("Collaboration network %(year)d") % {"year": self.year}],
            [
                _("Agency"),
                _("Code"),
                _("Agency"),
                _("Code"),
                _("Shared targets"),
                _("Shared projects"),
                _("Shared items"),
                _("Weight"),
            ],
            [
                (
                    names[e.source]["name"],
                    names[e.source]["code"],
                    names[e.target]["name"],
                    names[e.target]["code"],
                    e.targets,
                    e.projects,
                    e.count,
                    e.weight,
                )
                for e in net.edges
            ],
            widths=(36, 12, 36, 12, 14, 14, 12, 10),
        )
        return _xlsx(workbook_bytes(wb), f"jejaring-kolaborasi-{self.year}.xlsx")
