"""Pages of the analytics app, under /dashboards/: one module per capability."""

from django.urls import include, path

app_name = "analytics"
urlpatterns: list = [
    path("", include("kinerja.analytics.urls.dashboards")),
    path("", include("kinerja.analytics.urls.warning")),
    path("", include("kinerja.analytics.urls.health")),
    path("", include("kinerja.analytics.urls.reports")),
    path("", include("kinerja.analytics.urls.network")),
]
