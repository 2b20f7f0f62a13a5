from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("import/", views.ImportStartView.as_view(), name="import_start"),
]
