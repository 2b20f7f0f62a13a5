"""The warning part's resources under /api/v1/."""

from django.urls import path

from . import warning

urlpatterns: list = [
    path("early-warning/", warning.WarningListView.as_view(), name="analytics-warning-list"),
    path(
        "early-warning/staff/",
        warning.StaffWarningListView.as_view(),
        name="analytics-warning-staff",
    ),
    path(
        "early-warning/targets/<int:pk>/",
        warning.WarningTargetView.as_view(),
        name="analytics-warning-target",
    ),
]
