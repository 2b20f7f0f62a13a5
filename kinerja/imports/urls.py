from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.ImportStartView.as_view(), name="import_start"),
    path("jobs/", views.ImportJobListView.as_view(), name="importjob_list"),
    path("jobs/<int:pk>/", views.ImportJobDetailView.as_view(), name="importjob_detail"),
    path("jobs/<int:pk>/errors.xlsx", views.ImportJobErrorsView.as_view(), name="importjob_errors"),
    path("jobs/<int:pk>/retry/", views.ImportJobRetryView.as_view(), name="importjob_retry"),
    path("jobs/<int:pk>/file/", views.ImportJobFileView.as_view(), name="importjob_file"),
    path(
        "templates/<slug:kind>.xlsx",
        views.ImportTemplateView.as_view(),
        name="import_template",
    ),
]
