from django.urls import path

from . import views
from .imports import views as imports

app_name = "core"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("import/", imports.ImportStartView.as_view(), name="import_start"),
    path("import/jobs/", imports.ImportJobListView.as_view(), name="importjob_list"),
    path("import/jobs/<int:pk>/", imports.ImportJobDetailView.as_view(), name="importjob_detail"),
    path(
        "import/templates/<slug:kind>.xlsx",
        imports.ImportTemplateView.as_view(),
        name="import_template",
    ),
]
