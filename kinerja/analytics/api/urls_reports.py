"""The reports part's resources under /api/v1/."""

from django.urls import path

from . import reports

urlpatterns: list = [
    path(
        "reports/agencies/<int:pk>/lkjip/",
        reports.AgencyLkjipView.as_view(),
        name="reports-agency-lkjip",
    ),
    path("reports/province/", reports.ProvinceSummaryView.as_view(), name="reports-province"),
    path(
        "open-data/indicators.json",
        reports.OpenDataJsonView.as_view(),
        name="open-data-indicators-json",
    ),
    path(
        "open-data/indicators.csv",
        reports.OpenDataCsvView.as_view(),
        name="open-data-indicators-csv",
    ),
]
