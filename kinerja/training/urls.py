"""Pages of the training app, under /training/."""

from django.urls import path

from .views import ledger

app_name = "training"
urlpatterns: list = [
    path("hours/", ledger.MyHoursView.as_view(), name="hours_mine"),
    path("hours/shortfall/", ledger.ShortfallView.as_view(), name="hours_shortfall"),
    path(
        "hours/shortfall/export/",
        ledger.ShortfallExportView.as_view(),
        name="hours_shortfall_export",
    ),
    path("hours/records/", ledger.RecordListView.as_view(), name="hours_records"),
    path("hours/records/new/", ledger.RecordCreateView.as_view(), name="hours_record_new"),
    path(
        "hours/records/<int:pk>/edit/",
        ledger.RecordUpdateView.as_view(),
        name="hours_record_edit",
    ),
    path(
        "hours/records/<int:pk>/delete/",
        ledger.RecordDeleteView.as_view(),
        name="hours_record_delete",
    ),
    path("hours/records/export/", ledger.RecordExportView.as_view(), name="hours_records_export"),
    path(
        "hours/records/national/",
        ledger.NationalExportView.as_view(),
        name="hours_national_export",
    ),
]
