from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("units/", views.UnitTreeView.as_view(), name="unit_tree"),
    path("units/<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("units/<int:pk>/edit/", views.UnitUpdateView.as_view(), name="unit_update"),
    path("units/<int:pk>/new/", views.UnitCreateView.as_view(), name="unit_create"),
    path("units/<int:pk>/children/", views.UnitChildrenView.as_view(), name="unit_children"),
    path("positions/vacant/", views.VacantPostListView.as_view(), name="position_vacant"),
    path("employees/", views.EmployeeListView.as_view(), name="employee_list"),
    path("employees/export.xlsx", views.EmployeeExportView.as_view(), name="employee_export"),
    path(
        "employees/nominatif.xlsx",
        views.EmployeeNominatifView.as_view(),
        name="employee_nominatif",
    ),
    path("employees/new/", views.EmployeeCreateView.as_view(), name="employee_create"),
    path(
        "employees/lookup/units/",
        views.EmployeeUnitLookupView.as_view(),
        name="employee_unit_lookup",
    ),
    path(
        "employees/lookup/positions/",
        views.EmployeePositionLookupView.as_view(),
        name="employee_position_lookup",
    ),
    path(
        "employees/lookup/filter-units/",
        views.EmployeeFilterUnitLookupView.as_view(),
        name="employee_filter_unit_lookup",
    ),
    path("employees/retirement/", views.RetirementListView.as_view(), name="retirement_list"),
    path(
        "employees/retirement.xlsx",
        views.RetirementExportView.as_view(),
        name="retirement_export",
    ),
    path("employees/me/", views.EmployeeMeView.as_view(), name="employee_me"),
    path("employees/me/reports/", views.MyReportsView.as_view(), name="my_reports"),
    path("employees/<int:pk>/", views.EmployeeDetailView.as_view(), name="employee_detail"),
    path("employees/<int:pk>/edit/", views.EmployeeUpdateView.as_view(), name="employee_update"),
    path("positions/<int:pk>/", views.PositionDetailView.as_view(), name="position_detail"),
    path(
        "positions/<int:pk>/line/",
        views.ReportingLineSetView.as_view(),
        name="position_line_set",
    ),
    path(
        "positions/lookup/superiors/",
        views.SuperiorLookupView.as_view(),
        name="position_superior_lookup",
    ),
    path("acting/", views.ActingListView.as_view(), name="acting_list"),
    path("acting/new/", views.ActingCreateView.as_view(), name="acting_create"),
    path("acting/<int:pk>/end/", views.ActingEndView.as_view(), name="acting_end"),
    path(
        "acting/lookup/employees/",
        views.ActingEmployeeLookupView.as_view(),
        name="acting_employee_lookup",
    ),
]
