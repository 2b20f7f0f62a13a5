"""Pages of the warning part of the analytics app (``/dashboards/warning/``)."""

from django.urls import path

from ..views import warning

urlpatterns: list = [
    path("warning/", warning.WarningListView.as_view(), name="warning_list"),
    path("warning/export/", warning.WarningExportView.as_view(), name="warning_export"),
    path("warning/staff/", warning.StaffWarningListView.as_view(), name="warning_staff"),
    path(
        "warning/staff/export/",
        warning.StaffWarningExportView.as_view(),
        name="warning_staff_export",
    ),
    path("warning/targets/<int:pk>/", warning.WarningTargetView.as_view(), name="warning_target"),
]
