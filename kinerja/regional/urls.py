"""Pages of the regional app, under /regional/."""

from django.urls import path

from . import views

app_name = "regional"
urlpatterns = [
    path("", views.AreaListView.as_view(), name="area_list"),
    path("areas/<slug:code>/", views.AreaDetailView.as_view(), name="area_detail"),
    path(
        "areas/<slug:code>/status.xlsx",
        views.AreaStatusExportView.as_view(),
        name="area_status_xlsx",
    ),
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/export/", views.ProjectExportView.as_view(), name="project_export"),
    path("projects/add/", views.ProjectCreateView.as_view(), name="project_create"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="project_update"),
    path(
        "projects/<int:pk>/milestones/add/",
        views.MilestoneAddView.as_view(),
        name="milestone_add",
    ),
    path("milestones/<int:pk>/edit/", views.MilestoneUpdateView.as_view(), name="milestone_update"),
    path("projects/<int:pk>/progress/add/", views.ProgressAddView.as_view(), name="progress_add"),
    path(
        "progress/<int:pk>/evidence/",
        views.ProgressEvidenceView.as_view(),
        name="progress_evidence",
    ),
    path("agencies/", views.AgencyDutiesIndexView.as_view(), name="agency_duties_index"),
    path("agencies/<int:pk>/", views.AgencyDutiesView.as_view(), name="agency_duties"),
]
