"""The dashboards part's resources under /api/v1/."""

from django.urls import path

from . import dashboards

urlpatterns: list = [
    path(
        "dashboards/province/",
        dashboards.ProvinceDashboardAPI.as_view(),
        name="dashboards-province",
    ),
    path(
        "dashboards/agencies/<int:pk>/",
        dashboards.AgencyDashboardAPI.as_view(),
        name="dashboards-agency",
    ),
    path(
        "dashboards/units/<int:pk>/", dashboards.UnitDashboardAPI.as_view(), name="dashboards-unit"
    ),
    path("dashboards/me/", dashboards.MyDashboardAPI.as_view(), name="dashboards-me"),
]
