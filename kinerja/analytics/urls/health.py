"""Pages of the health part of the analytics app: the cascade health report
(docs/analytics-health.md)."""

from django.urls import path

from ..views import health

urlpatterns: list = [
    path("cascade-health/", health.HealthOverviewView.as_view(), name="health_overview"),
    path(
        "cascade-health/export/",
        health.HealthOverviewExportView.as_view(),
        name="health_overview_export",
    ),
    path(
        "cascade-health/agencies/<int:pk>/",
        health.HealthAgencyView.as_view(),
        name="health_agency",
    ),
    path(
        "cascade-health/agencies/<int:pk>/export/",
        health.HealthAgencyExportView.as_view(),
        name="health_agency_export",
    ),
]
