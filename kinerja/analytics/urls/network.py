"""Pages of the network part of the analytics app (under /dashboards/, namespace "analytics"):
the collaboration network, an edge's details (a page, or the panel's fragment for HTMX) and
the edges' workbook."""

from django.urls import path

from ..views import network as views

urlpatterns: list = [
    path("network/", views.NetworkView.as_view(), name="network"),
    path("network/xlsx/", views.NetworkXlsxView.as_view(), name="network_xlsx"),
    path("network/edges/<int:a>/<int:b>/", views.NetworkEdgeView.as_view(), name="network_edge"),
]
