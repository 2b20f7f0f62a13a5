"""Pages of the dashboards part of the analytics app (under /dashboards/, namespace
"analytics"): each dashboard and the Excel export of each of its tables."""

from django.urls import path

from ..views import dashboards as views

urlpatterns: list = [
    path("province/", views.ProvinceDashboardView.as_view(), name="dashboard_province"),
    path(
        "province/xlsx/<slug:key>/",
        views.ProvinceDashboardView.as_view(),
        name="dashboard_province_xlsx",
    ),
    path("agencies/mine/", views.MyAgencyView.as_view(), name="dashboard_my_agency"),
    path("agencies/<int:pk>/", views.AgencyDashboardView.as_view(), name="dashboard_agency"),
    path(
        "agencies/<int:pk>/xlsx/<slug:key>/",
        views.AgencyDashboardView.as_view(),
        name="dashboard_agency_xlsx",
    ),
    path("units/<int:pk>/", views.UnitDashboardView.as_view(), name="dashboard_unit"),
    path(
        "units/<int:pk>/xlsx/<slug:key>/",
        views.UnitDashboardView.as_view(),
        name="dashboard_unit_xlsx",
    ),
    path("me/", views.MyDashboardView.as_view(), name="dashboard_me"),
    path("me/xlsx/<slug:key>/", views.MyDashboardView.as_view(), name="dashboard_me_xlsx"),
]
