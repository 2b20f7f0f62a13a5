"""The network part's resources under /api/v1/."""

from django.urls import path

from . import network

urlpatterns: list = [
    path("network/", network.NetworkView.as_view(), name="network"),
    path("network/edges/<int:a>/<int:b>/", network.NetworkEdgeView.as_view(), name="network-edge"),
]
