"""The health part's resources under /api/v1/: the cascade health report."""

from django.urls import path

from . import health

urlpatterns: list = [
    path("cascade-health/", health.HealthSummaryView.as_view(), name="cascade-health"),
    path(
        "cascade-health/<int:pk>/",
        health.HealthAgencyView.as_view(),
        name="cascade-health-agency",
    ),
]
