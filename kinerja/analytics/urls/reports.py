"""Pages of the reports part of the analytics app (under /dashboards/, namespace "analytics"):
the list, an agency's yearly performance report (LKjIP) with its PDF and workbook, the province
summary with its PDF and workbook, and the open-data files."""

from django.urls import path

from ..views import reports as views

urlpatterns: list = [
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/agencies/<int:pk>/", views.LkjipView.as_view(), name="report_lkjip"),
    path("reports/agencies/<int:pk>/pdf/", views.LkjipPdfView.as_view(), name="report_lkjip_pdf"),
    path(
        "reports/agencies/<int:pk>/xlsx/", views.LkjipXlsxView.as_view(), name="report_lkjip_xlsx"
    ),
    path("reports/province/", views.ProvinceReportView.as_view(), name="report_province"),
    path(
        "reports/province/pdf/",
        views.ProvinceReportPdfView.as_view(),
        name="report_province_pdf",
    ),
    path(
        "reports/province/xlsx/",
        views.ProvinceReportXlsxView.as_view(),
        name="report_province_xlsx",
    ),
    path(
        "reports/open-data/indicators.csv",
        views.OpenDataCsvView.as_view(),
        name="report_open_data_csv",
    ),
    path(
        "reports/open-data/indicators.json",
        views.OpenDataJsonView.as_view(),
        name="report_open_data_json",
    ),
]
