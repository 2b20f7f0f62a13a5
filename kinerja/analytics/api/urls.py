"""The analytics app's resources under /api/v1/ (included by config/api.py in its namespace)."""

from django.urls import include, path

urlpatterns: list = [
    path("", include("kinerja.analytics.api.urls_dashboards")),
    path("", include("kinerja.analytics.api.urls_warning")),
    path("", include("kinerja.analytics.api.urls_health")),
    path("", include("kinerja.analytics.api.urls_reports")),
    path("", include("kinerja.analytics.api.urls_network")),
]
