"""Pages of the risks app, under /risks/."""

from django.urls import path

from . import views

app_name = "risks"
urlpatterns = [
    path("", views.RiskListView.as_view(), name="risk_list"),
    path("export/", views.RiskExportView.as_view(), name="risk_export"),
    path("heatmap/", views.HeatmapView.as_view(), name="heatmap"),
    path("heatmap/export/", views.HeatmapExportView.as_view(), name="heatmap_export"),
    path("new/", views.RiskPickView.as_view(), name="risk_pick"),
    path("new/<str:kind>/<int:pk>/", views.RiskCreateView.as_view(), name="risk_create"),
    path(
        "from-target/<int:target>/",
        views.RiskFromTargetView.as_view(),
        name="risk_from_target",
    ),
    path("<int:pk>/", views.RiskDetailView.as_view(), name="risk_detail"),
    path("<int:pk>/edit/", views.RiskUpdateView.as_view(), name="risk_update"),
    path("<int:pk>/close/", views.RiskCloseView.as_view(), name="risk_close"),
    path(
        "<int:pk>/mitigations/new/",
        views.MitigationCreateView.as_view(),
        name="mitigation_create",
    ),
    path(
        "mitigations/<int:pk>/edit/",
        views.MitigationUpdateView.as_view(),
        name="mitigation_update",
    ),
]
